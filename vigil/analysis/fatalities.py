"""Have reported deaths changed? A comparison that respects how lumpy fatality figures are.

Fatality totals are not counts of independent events: one bombing can carry
more deaths than a year of skirmishes, so per-period totals vary far more than
a Poisson count (``overdispersion`` says by how much). A Poisson test on them
would report almost any difference as significant. So deaths are split in two:
how many events there were (``vigil.analysis.trends`` tests that) and how many
deaths each event reported, compared here between the windows with

- a **permutation test** of the difference in mean deaths per event (events
  with a figure, shuffled between the windows; two-sided), and
- a **percentile bootstrap** 95% interval of the ratio of those means
  (events resampled within each window).

Both use a fixed seed, so results repeat. Figures are the lower bounds
reported ("at least 40" is 40); events without a figure are counted, not guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from vigil.analysis.series import Series, fatality_figures
from vigil.analysis.stats import format_p
from vigil.analysis.trends import DateRange
from vigil.store.database import Store
from vigil.store.queries import EventFilter

PERMUTATIONS = 9_999
BOOTSTRAPS = 2_000
TEST = "permutation test of mean deaths per event"


class FatalityWindow(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: dt.date
    end: dt.date
    events_with_figure: int
    events_without_figure: int
    deaths: int = Field(description="sum of the lower bounds")
    mean_per_event: float | None = Field(description="over events with a figure")


class FatalityComparison(BaseModel):
    model_config = ConfigDict(frozen=True)

    before: FatalityWindow
    after: FatalityWindow
    test: str = TEST
    ratio_of_means: float | None
    ci_low: float | None = Field(description="95% percentile bootstrap interval of the ratio of means")
    ci_high: float | None
    p_value: float | None = Field(description="two-sided; None when a window has no figure")
    overdispersion: float | None = Field(
        default=None, description="variance / mean of the per-period death totals (about 1 for Poisson counts)")
    why: str
    sentence: str


def compare_fatalities(store: Store, filter: EventFilter | None, before: DateRange, after: DateRange, *,
                       series: Series | None = None, seed: int = 0, fused: bool = False) -> FatalityComparison:
    """Deaths per event before and after (``series``, when given, supplies the overdispersion figure;
    ``fused``: per real-world event after fusion, not per report)."""
    windows = []
    figures = []
    for start, end in (before, after):
        values, missing = fatality_figures(store, filter, start, end, fused=fused)
        figures.append(values)
        windows.append(FatalityWindow(start=start, end=end, events_with_figure=len(values), events_without_figure=missing,
                                      deaths=sum(values), mean_per_event=sum(values) / len(values) if values else None))
    comparison = compare_figures(figures[0], figures[1], seed=seed)
    spread = overdispersion(series.total.fatalities_min) if series is not None else None
    why = _why(spread)
    sentence = _sentence(windows[0], windows[1], *comparison)
    ratio, low, high, p_value = comparison
    return FatalityComparison(before=windows[0], after=windows[1], ratio_of_means=ratio, ci_low=low, ci_high=high,
                              p_value=p_value, overdispersion=spread, why=why, sentence=f"{why} {sentence}")


def compare_figures(before: Sequence[int], after: Sequence[int], *, seed: int = 0, permutations: int = PERMUTATIONS,
                    bootstraps: int = BOOTSTRAPS) -> tuple[float | None, float | None, float | None, float | None]:
    """(ratio of means after/before, bootstrap CI low, high, permutation p-value) of per-event figures."""
    a, b = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    if not len(a) or not len(b):
        return None, None, None, None
    rng = np.random.default_rng(seed)
    observed = abs(b.mean() - a.mean())
    pooled = np.concatenate([a, b])
    exceed = 0
    for chunk in _chunks(permutations, max(1, 2_000_000 // len(pooled))):
        order = np.argsort(rng.random((chunk, len(pooled))), axis=1)
        shuffled = pooled[order]
        differences = np.abs(shuffled[:, len(a):].mean(axis=1) - shuffled[:, :len(a)].mean(axis=1))
        exceed += int((differences >= observed - 1e-9 * max(1.0, observed)).sum())
    p_value = (1 + exceed) / (1 + permutations)
    if a.mean() == 0:
        return None, None, None, p_value
    means_a = a[rng.integers(0, len(a), (bootstraps, len(a)))].mean(axis=1)
    means_b = b[rng.integers(0, len(b), (bootstraps, len(b)))].mean(axis=1)
    usable = means_a > 0
    ratios = means_b[usable] / means_a[usable]
    low, high = (float(q) for q in np.quantile(ratios, [0.025, 0.975])) if len(ratios) else (None, None)
    return float(b.mean() / a.mean()), low, high, p_value


def overdispersion(totals: Sequence[int]) -> float | None:
    """Variance / mean of per-period totals; None with fewer than two periods or no deaths."""
    values = np.asarray(totals, dtype=float)
    if len(values) < 2 or values.mean() == 0:
        return None
    return float(values.var(ddof=1) / values.mean())


def _chunks(total: int, size: int) -> list[int]:
    return [min(size, total - done) for done in range(0, total, size)]


def _why(spread: float | None) -> str:
    measured = f" (here the per-period totals vary {spread:.0f} times more than a Poisson count would)" if spread else ""
    return ("Death totals are dominated by a few large events" + measured + ", so they are not tested as counts; "
            "the number of events is tested above, and deaths per event here, by permutation.")


def _sentence(before: FatalityWindow, after: FatalityWindow, ratio: float | None, low: float | None,
              high: float | None, p_value: float | None) -> str:
    if before.mean_per_event is None or after.mean_per_event is None:
        empty = "before" if before.mean_per_event is None else "after"
        return f"No event reported a death toll in the {empty} window, so deaths per event cannot be compared."
    text = (f"Events with a figure reported {before.mean_per_event:.1f} deaths on average before "
            f"({before.events_with_figure} events, {before.deaths} deaths) and {after.mean_per_event:.1f} after "
            f"({after.events_with_figure} events, {after.deaths} deaths)")
    if ratio is not None and low is not None and high is not None:
        text += f"; ratio {ratio:.2f}, 95% bootstrap CI {low:.2f}-{high:.2f}"
    if p_value is not None:
        text += (f". A difference this large, up or down, would arise by chance with probability {format_p(p_value)} "
                 f"if the windows did not differ ({TEST}, {PERMUTATIONS:,} shuffles of the events between them).")
    missing = before.events_without_figure + after.events_without_figure
    if missing:
        text += f" {missing} events gave no figure and are left out of the means."
    return text
