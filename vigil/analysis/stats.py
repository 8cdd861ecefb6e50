"""Small exact statistics on the standard library: binomial tails and tests, chi-square tails.

Written here rather than taken from SciPy (a heavy dependency for four
functions). The special functions are the classic continued-fraction and
series forms (Lentz's method); tests check them against reference values.
"""

from __future__ import annotations

import math

_EPS = 1e-15
_TINY = 1e-300
_MAX_ITER = 100_000


def betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta function I_x(a, b), for a, b > 0."""
    if a <= 0 or b <= 0:
        raise ValueError(f"betainc needs a, b > 0, got a={a}, b={b}")
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_ITER):
        m2 = 2 * m
        for numerator in (m * (b - m) * x / ((qam + m2) * (a + m2)), -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < _EPS:
            return h
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


def gammaincc(a: float, x: float) -> float:
    """Regularised upper incomplete gamma function Q(a, x), for a > 0."""
    if a <= 0:
        raise ValueError(f"gammaincc needs a > 0, got {a}")
    if x <= 0:
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:  # series for the lower function P, then Q = 1 - P
        term = total = 1.0 / a
        denominator = a
        for _ in range(_MAX_ITER):
            denominator += 1
            term *= x / denominator
            total += term
            if abs(term) < abs(total) * _EPS:
                return max(0.0, 1.0 - total * math.exp(log_front))
        raise ArithmeticError(f"incomplete gamma series did not converge for a={a}, x={x}")
    b = x + 1 - a  # continued fraction for Q (modified Lentz)
    c, d = 1.0 / _TINY, 1.0 / b
    h = d
    for i in range(1, _MAX_ITER):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = b + an / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        if abs(d * c - 1.0) < _EPS:
            return math.exp(log_front) * h
    raise ArithmeticError(f"incomplete gamma fraction did not converge for a={a}, x={x}")


def chi2_sf(statistic: float, df: float) -> float:
    """P(X >= statistic) for a chi-square variable with ``df`` degrees of freedom."""
    return gammaincc(df / 2.0, statistic / 2.0) if statistic > 0 else 1.0


def binom_logpmf(k: int, n: int, p: float) -> float:
    if k < 0 or k > n:
        return -math.inf
    if p <= 0 or p >= 1:
        return 0.0 if (p <= 0 and k == 0) or (p >= 1 and k == n) else -math.inf
    return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
            + k * math.log(p) + (n - k) * math.log1p(-p))


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return betainc(n - k, k + 1, 1.0 - p)


def binom_sf(k: int, n: int, p: float) -> float:
    """P(X > k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 1.0
    if k >= n:
        return 0.0
    return betainc(k + 1, n - k, p)


def binom_test(k: int, n: int, p: float) -> float:
    """Exact two-sided binomial test: the probability of outcomes no more likely than ``k``.

    The "minimum likelihood" rule of R's ``binom.test`` and SciPy's ``binomtest``
    (with their relative tolerance 1e-7 for ties).
    """
    if not 0 <= k <= n:
        raise ValueError(f"binom_test needs 0 <= k <= n, got k={k}, n={n}")
    if n == 0 or p <= 0 or p >= 1:
        return 1.0
    limit = binom_logpmf(k, n, p) + math.log1p(1e-7)
    mode = min(n, int((n + 1) * p))
    # Lower tail: the largest j <= mode whose pmf is <= the observed one (pmf rises up to the mode).
    low, high, lower_end = 0, mode, -1
    while low <= high:
        middle = (low + high) // 2
        if binom_logpmf(middle, n, p) <= limit:
            lower_end, low = middle, middle + 1
        else:
            high = middle - 1
    # Upper tail: the smallest j >= mode whose pmf is <= the observed one (pmf falls after the mode).
    low, high, upper_start = mode, n, n + 1
    while low <= high:
        middle = (low + high) // 2
        if binom_logpmf(middle, n, p) <= limit:
            upper_start, high = middle, middle - 1
        else:
            low = middle + 1
    if upper_start <= lower_end:  # the mode itself qualifies: every outcome is at most as likely
        return 1.0
    return min(1.0, binom_cdf(lower_end, n, p) + binom_sf(upper_start - 1, n, p))


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper-Pearson) confidence interval for a binomial proportion k/n."""
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"clopper_pearson needs 0 <= k <= n and n > 0, got k={k}, n={n}")
    tail = (1.0 - level) / 2.0
    lower = 0.0 if k == 0 else _bisect(lambda q: binom_sf(k - 1, n, q) - tail)  # P(X >= k | q) = tail
    upper = 1.0 if k == n else _bisect(lambda q: tail - binom_cdf(k, n, q))  # P(X <= k | q) = tail
    return lower, upper


def _bisect(increasing, low: float = 0.0, high: float = 1.0, steps: int = 200) -> float:  # noqa: ANN001
    """Root in [low, high] of a function that increases through zero."""
    for _ in range(steps):
        middle = (low + high) / 2.0
        if increasing(middle) < 0:
            low = middle
        else:
            high = middle
        if high - low < 1e-14:
            break
    return (low + high) / 2.0


def format_p(p_value: float) -> str:
    """A p-value for prose: two significant figures, or 'less than 0.001'."""
    if p_value < 0.001:
        return "less than 0.001"
    return f"{p_value:.2g}"
