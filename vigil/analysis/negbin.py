"""A negative-binomial rate comparison for overdispersed counts (likelihood-ratio test).

Model: the count of period i in window g is NB2 with mean ``rate_g * exposure_i``
and variance ``mean + mean**2 / size`` (``size`` is the dispersion, estimated
from the data; a large size is the Poisson limit). The test compares one rate
for both windows against one rate per window, each model with its own
maximum-likelihood size, and refers twice the log-likelihood gain to a
chi-square with one degree of freedom. The confidence interval of the rate
ratio is the Wald interval from the expected information at the fitted size
(the interval R's ``glm.nb`` reports); it ignores the uncertainty in ``size``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

from vigil.analysis.stats import chi2_sf

LOG_SIZE_RANGE = (math.log(1e-3), math.log(1e8))
_GRID_POINTS = 48
_GOLDEN = (math.sqrt(5) - 1) / 2


@dataclass(frozen=True)
class Window:
    """Per-period counts of one window and the exposure of each period (in periods)."""

    counts: Sequence[int]
    exposure: Sequence[float]

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.exposure):
            raise ValueError(f"{len(self.counts)} counts but {len(self.exposure)} exposures")
        if any(e <= 0 for e in self.exposure):
            raise ValueError(f"exposures must be positive, got {list(self.exposure)}")


@dataclass(frozen=True)
class NegBinComparison:
    rate_before: float
    rate_after: float
    rate_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    statistic: float
    p_value: float
    size: float = math.inf  # fitted dispersion of the two-rate model


def nb_loglik(counts: Sequence[int], means: Sequence[float], size: float) -> float:
    """Log-likelihood of ``counts`` under NB2 with these means and ``size``."""
    total = 0.0
    log_size = math.log(size)
    for y, mu in zip(counts, means):
        if mu <= 0:
            if y:
                return -math.inf
            continue
        total += (math.lgamma(y + size) - math.lgamma(size) - math.lgamma(y + 1)
                  + size * (log_size - math.log(size + mu)) + y * (math.log(mu) - math.log(size + mu)))
    return total


def _fit_rate(window: Window, size: float) -> float:
    """Maximum-likelihood rate of one window at a fixed size (Newton on the log rate; concave)."""
    total = sum(window.counts)
    if total == 0:
        return 0.0
    log_rate = math.log(total / sum(window.exposure))  # exact when exposures are equal
    for _ in range(100):
        score = information = 0.0
        for y, e in zip(window.counts, window.exposure):
            mu = math.exp(log_rate) * e
            score += (y - mu) * size / (size + mu)
            information += size * mu * (y + size) / (size + mu) ** 2
        step = score / information
        log_rate += step
        if abs(step) < 1e-12:
            break
    return math.exp(log_rate)


def _profile(windows: Sequence[Window], log_size: float) -> tuple[float, list[float]]:
    """Log-likelihood maximised over the rates at this size, and those rates."""
    size = math.exp(log_size)
    rates = [_fit_rate(w, size) for w in windows]
    loglik = sum(
        nb_loglik(w.counts, [rate * e for e in w.exposure], size) for w, rate in zip(windows, rates)
    )
    return loglik, rates


def fit(windows: Sequence[Window]) -> tuple[float, list[float], float]:
    """(log-likelihood, rate per window, size) maximised over the size by grid then golden section."""
    low, high = LOG_SIZE_RANGE
    grid = [low + (high - low) * i / (_GRID_POINTS - 1) for i in range(_GRID_POINTS)]
    values = [_profile(windows, s)[0] for s in grid]
    best = max(range(len(grid)), key=values.__getitem__)
    a, b = grid[max(0, best - 1)], grid[min(len(grid) - 1, best + 1)]
    c, d = b - _GOLDEN * (b - a), a + _GOLDEN * (b - a)
    value_c, value_d = _profile(windows, c)[0], _profile(windows, d)[0]
    for _ in range(40):  # golden section: the bracket shrinks to 0.618**40 of the grid step
        if value_c >= value_d:
            b, d, value_d = d, c, value_c
            c = b - _GOLDEN * (b - a)
            value_c = _profile(windows, c)[0]
        else:
            a, c, value_c = c, d, value_d
            d = a + _GOLDEN * (b - a)
            value_d = _profile(windows, d)[0]
    log_size = (a + b) / 2
    loglik, rates = _profile(windows, log_size)
    if values[best] > loglik:  # the grid point was better (flat or edge likelihood)
        log_size = grid[best]
        loglik, rates = _profile(windows, log_size)
    return loglik, rates, math.exp(log_size)


def nb_rate_test(before: Window, after: Window, level: float = 0.95) -> NegBinComparison:
    """Likelihood-ratio test of one rate against a rate per window, in an NB2 model."""
    pooled = Window(list(before.counts) + list(after.counts), list(before.exposure) + list(after.exposure))
    null_loglik, _, _ = fit([pooled])
    loglik, (rate_before, rate_after), size = fit([before, after])
    statistic = max(0.0, 2.0 * (loglik - null_loglik))
    p_value = chi2_sf(statistic, 1)
    if rate_before <= 0 or rate_after <= 0:
        ratio = None if rate_before <= 0 else 0.0
        return NegBinComparison(rate_before, rate_after, ratio, None, None, statistic, p_value, size)
    z = NormalDist().inv_cdf(0.5 + level / 2)
    variance = sum(1.0 / _information(w, rate, size) for w, rate in ((before, rate_before), (after, rate_after)))
    log_ratio = math.log(rate_after / rate_before)
    spread = z * math.sqrt(variance)
    return NegBinComparison(rate_before, rate_after, math.exp(log_ratio), math.exp(log_ratio - spread),
                            math.exp(log_ratio + spread), statistic, p_value, size)


def _information(window: Window, rate: float, size: float) -> float:
    """Expected Fisher information for the log rate: sum of mean * size / (size + mean)."""
    return sum(rate * e * size / (size + rate * e) for e in window.exposure)
