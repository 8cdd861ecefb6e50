"""When did the rate change? Change points in a count series, each with a permutation p-value.

Method (binary segmentation with permutation tests):

1. In a stretch of periods, find the split that best separates two constant
   Poisson rates: the largest likelihood ratio ``2 * [K1 log(K1/T1) + K2 log(K2/T2)
   - K log(K/T)]``, where K are event counts and T lengths in periods (a period
   cut by the filter's window counts for its share of days).
2. Keep the split when a split that good is rare without a change: the largest
   likelihood ratio of the same periods in random order is at least as large in
   fewer than ``alpha`` of ``permutations`` shuffles. Shuffling keeps the counts'
   own spread, so the test stays valid when counts are overdispersed (where a
   Poisson penalty such as BIC would find spurious changes).
3. Repeat on both sides of each kept split, up to ``max_points``.

Assumptions: without a change the periods are exchangeable (independent, same
distribution); a gradual trend shows up as one or more steps; each stretch is
tested at ``alpha`` without a correction for the number of tests; segments have
at least ``min_size`` periods. Shuffles use a fixed seed, so results repeat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from vigil.analysis.series import Series
from vigil.analysis.stats import format_p

ALPHA = 0.05
PERMUTATIONS = 999
METHOD = ("binary segmentation: the best split between two constant Poisson rates (likelihood ratio), "
          "kept when a permutation test of the same periods gives p < {alpha} ({permutations} shuffles, seed {seed}); "
          "valid for overdispersed counts, assumes periods are exchangeable when nothing changes")
UNIT_ADJECTIVES = {"month": "monthly", "week": "weekly"}


class Segment(BaseModel):
    model_config = ConfigDict(frozen=True)

    first: str = Field(description="key of its first period")
    last: str
    start: dt.date | None = None
    end: dt.date | None = None
    periods: int
    events: int
    rate: float = Field(description="events per period")


class ChangePoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int = Field(description="position in the series of the first period at the new rate")
    period: str
    start: dt.date | None = None
    rate_before: float = Field(description="rate of the segment that ends here (events per period)")
    rate_after: float
    direction: str = Field(description="rose or fell")
    statistic: float = Field(description="likelihood ratio of the split when it was found")
    p_value: float = Field(description="permutation p-value of the split within its stretch")


class ChangePoints(BaseModel):
    model_config = ConfigDict(frozen=True)

    unit: str
    group: str | None = None
    method: str
    points: list[ChangePoint]
    segments: list[Segment]
    tests: int = Field(description="permutation tests run (stretches examined)")
    sentence: str


def change_points(series: Series, *, group: str | None = None, alpha: float = ALPHA, min_size: int = 2,
                  permutations: int = PERMUTATIONS, seed: int = 0, max_points: int = 5) -> ChangePoints:
    """Change points of the event counts of ``series`` (its total, or one ``group``)."""
    values = series.group(group) if group is not None else series.total
    keys = [p.key for p in series.periods]
    starts = [p.start for p in series.periods]
    ends = [p.end for p in series.periods]
    exposure = [p.days / series.days_per_period for p in series.periods]
    return detect(values.events, exposure, keys=keys, starts=starts, ends=ends, unit=series.period,
                  group=None if group is None else values.label, alpha=alpha, min_size=min_size,
                  permutations=permutations, seed=seed, max_points=max_points)


def detect(counts: Sequence[int], exposure: Sequence[float] | None = None, *, keys: Sequence[str] | None = None,
           starts: Sequence[dt.date] | None = None, ends: Sequence[dt.date] | None = None, unit: str = "period",
           group: str | None = None, alpha: float = ALPHA, min_size: int = 2, permutations: int = PERMUTATIONS,
           seed: int = 0, max_points: int = 5) -> ChangePoints:
    """Change points of plain counts (exposure 1 per period unless given); see the module docstring."""
    if min_size < 1 or permutations < 1:
        raise ValueError(f"min_size and permutations must be at least 1, got {min_size} and {permutations}")
    y = np.asarray(counts, dtype=float)
    e = np.asarray(exposure if exposure is not None else [1.0] * len(y), dtype=float)
    if y.shape != e.shape or (e <= 0).any() or (y < 0).any():
        raise ValueError("counts and exposures must have the same length, counts >= 0 and exposures > 0")
    keys = list(keys) if keys is not None else [str(n) for n in range(len(y))]
    rng = np.random.default_rng(seed)
    found: list[tuple[int, float, float]] = []
    stretches = [(0, len(y))]
    tests = 0
    best_rejected: tuple[int, float] | None = None  # (index, p) of the top-level candidate when none is kept
    while stretches and len(found) < max_points:
        low, high = stretches.pop(0)
        if high - low < 2 * min_size or y[low:high].sum() == 0:
            continue
        split, statistic, p_value = _test_stretch(y[low:high], e[low:high], min_size, permutations, rng)
        tests += 1
        if p_value < alpha:
            found.append((low + split, statistic, p_value))
            stretches += [(low, low + split), (low + split, high)]
        elif tests == 1:
            best_rejected = (low + split, p_value)
    found.sort()
    segments = _segments(y, e, [index for index, _, _ in found], keys, starts, ends)
    points = [
        ChangePoint(index=index, period=keys[index], start=starts[index] if starts else None,
                    rate_before=segments[n].rate, rate_after=segments[n + 1].rate,
                    direction="rose" if segments[n + 1].rate > segments[n].rate else "fell",
                    statistic=statistic, p_value=p_value)
        for n, (index, statistic, p_value) in enumerate(found)
    ]
    method = METHOD.format(alpha=alpha, permutations=permutations, seed=seed)
    sentence = _sentence(points, segments, keys, best_rejected, len(y), unit, min_size)
    return ChangePoints(unit=unit, group=group, method=method, points=points, segments=segments, tests=tests,
                        sentence=sentence)


def split_statistics(y: np.ndarray, e: np.ndarray, min_size: int) -> np.ndarray:
    """Likelihood ratio of every allowed split, per row: column j splits after ``min_size + j`` periods."""
    cum_y, cum_e = np.cumsum(y, axis=-1), np.cumsum(e, axis=-1)
    length = y.shape[-1]
    k1, t1 = cum_y[..., min_size - 1:length - min_size], cum_e[..., min_size - 1:length - min_size]
    k, t = cum_y[..., -1:], cum_e[..., -1:]
    return 2.0 * (_k_log_rate(k1, t1) + _k_log_rate(k - k1, t - t1) - _k_log_rate(k, t))


def _k_log_rate(k: np.ndarray, t: np.ndarray) -> np.ndarray:
    """k * log(k / t), with 0 for k = 0 (the Poisson log-likelihood at its maximum, up to terms that cancel)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(k > 0, k * np.log(np.where(k > 0, k, 1.0) / t), 0.0)


def _test_stretch(y: np.ndarray, e: np.ndarray, min_size: int, permutations: int,
                  rng: np.random.Generator) -> tuple[int, float, float]:
    """(split position, likelihood ratio, permutation p-value) of the best split of one stretch."""
    observed = split_statistics(y, e, min_size)
    best = int(np.argmax(observed))
    statistic = float(observed[best])
    exceed = 0
    for chunk in _chunks(permutations, max(1, 2_000_000 // len(y))):
        order = np.argsort(rng.random((chunk, len(y))), axis=1)
        shuffled = split_statistics(y[order], e[order], min_size).max(axis=1)
        exceed += int((shuffled >= statistic - 1e-9 * max(1.0, statistic)).sum())
    return best + min_size, statistic, (1 + exceed) / (1 + permutations)


def _chunks(total: int, size: int) -> list[int]:
    return [min(size, total - done) for done in range(0, total, size)]


def _segments(y: np.ndarray, e: np.ndarray, cuts: list[int], keys: list[str], starts, ends) -> list[Segment]:  # noqa: ANN001
    bounds = [0, *cuts, len(y)]
    segments = []
    for low, high in zip(bounds, bounds[1:]):
        if high <= low:
            continue
        events = int(y[low:high].sum())
        segments.append(Segment(first=keys[low], last=keys[high - 1], start=starts[low] if starts else None,
                                end=ends[high - 1] if ends else None, periods=high - low, events=events,
                                rate=events / float(e[low:high].sum())))
    return segments


def _sentence(points: list[ChangePoint], segments: list[Segment], keys: list[str],
              best_rejected: tuple[int, float] | None, length: int, unit: str, min_size: int) -> str:
    adjective = UNIT_ADJECTIVES.get(unit, "per-period")
    if length < 2 * min_size:
        return f"Too few periods ({length}) to look for a change in the rate; at least {2 * min_size} are needed."
    if not points:
        rate = segments[0].rate if segments else 0.0
        text = f"No change point: the {adjective} counts are consistent with one constant rate ({rate:.1f} per {unit})"
        if best_rejected is not None:
            index, p_value = best_rejected
            text += (f"; the strongest candidate, a change from {keys[index]}, would arise by chance with "
                     f"probability {format_p(p_value)} (permutation test)")
        return text + "."
    steps = "; ".join(
        f"from {p.period} it {p.direction} from {p.rate_before:.1f} to {p.rate_after:.1f} per {unit} "
        f"(permutation p {'< 0.001' if p.p_value < 0.001 else '= ' + format_p(p.p_value)})"
        for p in points
    )
    times = "once" if len(points) == 1 else f"{len(points)} times"
    return f"The {adjective} event rate changed {times}: {steps}."
