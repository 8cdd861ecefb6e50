"""'Has this increased?': compare the rate of events between two windows of a series.

The test is chosen from the data and stated with its reason:

- **Exact conditional Poisson rate test** (the default). Given the total
  ``n = k_before + k_after``, the after-window count is Binomial(n, p) with
  ``p = t_after / (t_before + t_after)`` when the rate has not changed (``t``
  is each window's length), whatever that common rate is. The p-value is the
  exact two-sided binomial test; the 95% interval of the rate ratio comes from
  the Clopper-Pearson interval of ``p`` (R's ``poisson.test``).
- **Negative-binomial likelihood-ratio test** when the per-period counts vary
  more than a Poisson process allows: the Pearson dispersion index of the
  counts around each window's rate is significantly above 1 (chi-square test
  at 5%, needs at least two periods per window). Conflict events cluster, and
  a Poisson test on clustered counts overstates the evidence. See ``negbin``.

Both results are kept in the ``Comparison``; ``p_value`` and the interval are
the chosen test's. Windows are made of whole periods of the series: a period
that straddles a window's edge is left out (and named in the notes).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from vigil.analysis.negbin import Window, nb_rate_test
from vigil.analysis.series import Series
from vigil.analysis.stats import binom_test, chi2_sf, clopper_pearson, format_p

DateRange = tuple[dt.date, dt.date]
ALPHA = 0.05
POISSON_TEST = "exact Poisson rate test"
NB_TEST = "negative-binomial likelihood-ratio test"
UNIT_ADJECTIVES = {"month": "monthly", "week": "weekly"}
COVERAGE_CAVEAT = ("These are events reported in the stored documents: a change can come from coverage (which "
                   "and how many reports were ingested) as well as from what happened.")


class WindowSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: dt.date | None = None
    end: dt.date | None = None
    periods: list[str] = Field(default_factory=list, description="keys of the periods counted")
    exposure: float = Field(description="length in periods (days / average days per period)")
    events: int
    rate: float = Field(description="events per period")


class RateTest(BaseModel):
    model_config = ConfigDict(frozen=True)

    test: str
    rate_ratio: float | None = Field(description="after rate / before rate; None when the before rate is 0")
    ci_low: float | None
    ci_high: float | None
    p_value: float = Field(description="two-sided")
    statistic: float | None = None


class Dispersion(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: float = Field(description="Pearson chi-square / df around each window's rate; about 1 for Poisson counts")
    df: int
    p_value: float = Field(description="chance of an index this large if the counts were Poisson")


class Comparison(BaseModel):
    model_config = ConfigDict(frozen=True)

    unit: str = Field(description="what one period is: month, week or period")
    group: str | None = None
    before: WindowSummary
    after: WindowSummary
    test: str
    why: str
    rate_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float
    significant: bool = Field(description=f"p_value < {ALPHA}")
    direction: str = Field(description="rose, fell or unchanged (the point estimate)")
    poisson: RateTest
    negative_binomial: RateTest | None = None
    dispersion: Dispersion | None = None
    sentence: str
    notes: list[str] = Field(default_factory=list)


def compare_periods(series: Series, before: DateRange, after: DateRange, *, group: str | None = None,
                    alpha: float = ALPHA) -> Comparison:
    """Has the event rate changed between ``before`` and ``after`` (inclusive date ranges)?

    ``group`` picks one group of the series (its key or label); the default is
    the series total. Only whole periods inside each window are counted.
    """
    check_windows(before, after)
    values = series.group(group) if group is not None else series.total
    notes: list[str] = []
    windows = []
    for name, (start, end) in (("before", before), ("after", after)):
        inside = [n for n, p in enumerate(series.periods) if p.start >= start and p.end <= end]
        cut = [p.key for p in series.periods if p.start <= end and p.end >= start and not (p.start >= start and p.end <= end)]
        if not inside:
            raise ValueError(f"no whole {series.period} of the series lies in the {name} window {start}..{end}"
                             + (f" (series: {series.periods[0].key} to {series.periods[-1].key})" if series.periods else " (the series is empty)"))
        if cut:
            notes.append(f"{', '.join(cut)} straddle{'s' if len(cut) == 1 else ''} the edge of the {name} window "
                         f"{start}..{end} and {'is' if len(cut) == 1 else 'are'} left out.")
        covered = (series.periods[inside[0]].start, series.periods[inside[-1]].end)
        if covered != (start, end) and not cut:
            notes.append(f"The {name} window {start}..{end} is measured over {covered[0]}..{covered[1]}, "
                         "the part the series covers.")
        windows.append((inside, covered))
    (before_index, before_span), (after_index, after_span) = windows
    days = series.days_per_period
    return compare_counts(
        [values.events[n] for n in before_index], [values.events[n] for n in after_index],
        before_exposure=[series.periods[n].days / days for n in before_index],
        after_exposure=[series.periods[n].days / days for n in after_index],
        unit=series.period, group=None if group is None else values.label, alpha=alpha, notes=notes,
        before_span=(before_span, [series.periods[n].key for n in before_index]),
        after_span=(after_span, [series.periods[n].key for n in after_index]),
    )


def compare_counts(before: Sequence[int], after: Sequence[int], *, before_exposure: Sequence[float] | None = None,
                   after_exposure: Sequence[float] | None = None, unit: str = "period", group: str | None = None,
                   alpha: float = ALPHA, notes: Sequence[str] = (), before_span=None, after_span=None) -> Comparison:  # noqa: ANN001
    """The comparison on plain per-period counts (exposure 1 per period unless given)."""
    before_window = Window(list(before), list(before_exposure or [1.0] * len(before)))
    after_window = Window(list(after), list(after_exposure or [1.0] * len(after)))
    if not before_window.counts or not after_window.counts:
        raise ValueError("each window needs at least one period of counts")
    if any(k < 0 for k in [*before_window.counts, *after_window.counts]):
        raise ValueError("counts cannot be negative")
    summaries = [_summary(w, span) for w, span in ((before_window, before_span), (after_window, after_span))]
    poisson = exact_poisson_test(summaries[0].events, summaries[0].exposure, summaries[1].events, summaries[1].exposure)
    dispersion = pearson_dispersion(before_window, after_window)
    negative_binomial = None
    overdispersed = dispersion is not None and dispersion.index > 1 and dispersion.p_value < ALPHA
    adjective = UNIT_ADJECTIVES.get(unit, "per-period")
    if overdispersed:
        fitted = nb_rate_test(before_window, after_window)
        negative_binomial = RateTest(test=NB_TEST, rate_ratio=fitted.rate_ratio, ci_low=fitted.ci_low,
                                     ci_high=fitted.ci_high, p_value=fitted.p_value, statistic=fitted.statistic)
        why = (f"The {adjective} counts vary more than a Poisson process would (dispersion index "
               f"{dispersion.index:.1f}, p {_p_words(dispersion.p_value)}), which would make the exact Poisson test "
               f"overstate the evidence (it gives p {_p_words(poisson.p_value)}), so the {NB_TEST} is used, with "
               "the extra variation estimated from the data.")
    elif dispersion is not None:
        why = (f"The {adjective} counts are consistent with a Poisson process (dispersion index {dispersion.index:.1f}, "
               f"p {_p_words(dispersion.p_value)}), so the {POISSON_TEST} is used: given the total, how the events "
               "split between the windows is binomial with the share expected from their lengths.")
    else:
        why = (f"Too few periods to check whether the counts vary more than a Poisson process would; the {POISSON_TEST} "
               "assumes events happen independently at a constant rate within each window.")
    chosen = negative_binomial or poisson
    direction = _direction(summaries[0].rate, summaries[1].rate)
    sentence = _sentence(summaries, chosen, direction, unit, alpha, why if overdispersed else "")
    return Comparison(
        unit=unit, group=group, before=summaries[0], after=summaries[1], test=chosen.test, why=why,
        rate_ratio=chosen.rate_ratio, ci_low=chosen.ci_low, ci_high=chosen.ci_high, p_value=chosen.p_value,
        significant=chosen.p_value < alpha, direction=direction, poisson=poisson,
        negative_binomial=negative_binomial, dispersion=dispersion, sentence=sentence,
        notes=[*notes, COVERAGE_CAVEAT],
    )


def exact_poisson_test(k_before: int, t_before: float, k_after: int, t_after: float, level: float = 0.95) -> RateTest:
    """Exact conditional test of equal Poisson rates, with the exact interval of the rate ratio."""
    if t_before <= 0 or t_after <= 0:
        raise ValueError(f"window lengths must be positive, got {t_before} and {t_after}")
    total = k_before + k_after
    if total == 0:
        return RateTest(test=POISSON_TEST, rate_ratio=None, ci_low=None, ci_high=None, p_value=1.0)
    share = t_after / (t_before + t_after)
    p_value = binom_test(k_after, total, share)
    low, high = clopper_pearson(k_after, total, level)
    scale = t_before / t_after

    def ratio(proportion: float) -> float | None:
        return None if proportion >= 1 else proportion / (1 - proportion) * scale

    estimate = None if k_before == 0 else (k_after / t_after) / (k_before / t_before)
    return RateTest(test=POISSON_TEST, rate_ratio=estimate, ci_low=ratio(low), ci_high=ratio(high), p_value=p_value)


def pearson_dispersion(before: Window, after: Window) -> Dispersion | None:
    """Pearson dispersion of the counts around each window's own rate; None with fewer than 2 periods a window."""
    if len(before.counts) < 2 or len(after.counts) < 2:
        return None
    statistic = 0.0
    for window in (before, after):
        rate = sum(window.counts) / sum(window.exposure)
        for y, e in zip(window.counts, window.exposure):
            if rate > 0:
                statistic += (y - rate * e) ** 2 / (rate * e)
    df = len(before.counts) + len(after.counts) - 2
    return Dispersion(index=statistic / df, df=df, p_value=chi2_sf(statistic, df))


def _summary(window: Window, span) -> WindowSummary:  # noqa: ANN001 (((start, end), keys) or None)
    exposure = sum(window.exposure)
    events = sum(window.counts)
    (start, end), keys = span if span else ((None, None), [])
    return WindowSummary(start=start, end=end, periods=keys, exposure=exposure, events=events, rate=events / exposure)


def check_windows(before: DateRange, after: DateRange) -> None:
    """Each window runs forward, and ``before`` ends before ``after`` starts; else a ValueError naming them."""
    for name, (start, end) in (("before", before), ("after", after)):
        if start > end:
            raise ValueError(f"the {name} window {start}..{end} ends before it starts")
    if before[1] >= after[0]:
        raise ValueError(f"the windows overlap or are out of order: before {before[0]}..{before[1]}, "
                         f"after {after[0]}..{after[1]}")


def _direction(rate_before: float, rate_after: float) -> str:
    if math.isclose(rate_before, rate_after, rel_tol=1e-9, abs_tol=1e-12):
        return "unchanged"
    return "rose" if rate_after > rate_before else "fell"


def _p_words(p_value: float) -> str:
    words = format_p(p_value)
    return words if words.startswith("less") else f"= {words}"


def _sentence(summaries: list[WindowSummary], test: RateTest, direction: str, unit: str, alpha: float, why: str) -> str:
    before, after = summaries
    if direction == "unchanged":
        text = f"Events stayed at {after.rate:.1f} per {unit}"
    else:
        text = f"Events {direction} from {before.rate:.1f} to {after.rate:.1f} per {unit}"
    if test.rate_ratio is not None and test.ci_low is not None and test.ci_high is not None:
        text += f" (rate ratio {test.rate_ratio:.2f}, 95% CI {test.ci_low:.2f}-{test.ci_high:.2f})"
    elif before.events == 0 and after.events > 0:
        text += " (none before, so no rate ratio)"
    if before.events + after.events == 0:
        return f"No events in either window, so nothing to compare. {why}".strip()
    text += (f"; a change this large, up or down, would happen by chance with probability {format_p(test.p_value)} "
             f"if the rate had not changed ({test.test}).")
    if why:
        text += f" {why}"
    if test.p_value < alpha and direction != "unchanged":
        text += f" That is evidence of a real {'increase' if direction == 'rose' else 'decrease'} in reported events."
    else:
        text += " That is not evidence of a change: chance alone could produce it."
    return text
