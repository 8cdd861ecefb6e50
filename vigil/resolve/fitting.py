"""Fit the link model's weights and threshold from labelled pairs.

Plain L2-regularised logistic regression solved by Newton's method (iteratively
reweighted least squares): deterministic, no random start, converges in a few
dozen steps on a few thousand pairs. The intercept is not penalised. The
threshold is the one that maximises F1 on the same pairs, counting positive
pairs that blocking never scores as misses. Used by ``benchmarks/bench_fusion.py``
to write ``data/linker.json``; an analyst's decisions can later serve as labels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def fit_logistic(rows: Sequence[Sequence[float]], labels: Sequence[int], l2: float = 1.0,
                 iterations: int = 100, signs: Sequence[int] | None = None) -> tuple[float, list[float]]:
    """(bias, weights) minimising log-loss + ``l2``/2 * |weights|^2.

    ``signs`` (+1, -1 or 0 per column) constrains the direction of each weight:
    while some weight has the wrong sign, the worst one is fixed at zero and the
    rest refitted (an active-set loop; deterministic).
    """
    columns = np.asarray(rows, dtype=float).reshape(len(rows), -1)
    active = list(range(columns.shape[1]))
    while True:
        bias, fitted = _fit(columns[:, active], labels, l2, iterations)
        weights = [0.0] * columns.shape[1]
        for column, weight in zip(active, fitted):
            weights[column] = weight
        if not signs:
            return bias, weights
        wrong = [(signs[c] * weights[c], c) for c in active if signs[c] * weights[c] < 0]
        if not wrong:
            return bias, weights
        active.remove(min(wrong)[1])


def _fit(columns: np.ndarray, labels: Sequence[int], l2: float, iterations: int) -> tuple[float, list[float]]:
    rows = columns
    x = np.column_stack([np.ones(len(rows)), np.asarray(rows, dtype=float)])
    y = np.asarray(labels, dtype=float)
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -50, 50)))
        gradient = x.T @ (p - y) + penalty * beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return float(beta[0]), [float(b) for b in beta[1:]]


def prf(true_positive: int, false_positive: int, false_negative: int) -> tuple[float, float, float]:
    """Precision, recall, F1 (0 where undefined)."""
    precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 0.0
    recall = true_positive / (true_positive + false_negative) if true_positive + false_negative else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def best_threshold(probabilities: Sequence[float], labels: Sequence[int], unscored_positives: int = 0,
                   lowest: float = 0.05, highest: float = 0.95) -> tuple[float, float]:
    """(threshold, F1) maximising F1; ``unscored_positives`` are positives blocking never scored."""
    order = sorted(zip(probabilities, labels), reverse=True)
    positives = sum(labels) + unscored_positives
    best = (0.5, -1.0)
    true_positive = false_positive = 0
    for n, (probability, label) in enumerate(order):
        true_positive += label
        false_positive += 1 - label
        next_probability = order[n + 1][0] if n + 1 < len(order) else -1.0
        if next_probability == probability or not lowest <= probability <= highest:
            continue
        f1 = prf(true_positive, false_positive, positives - true_positive)[2]
        if f1 > best[1]:
            threshold = (probability + max(next_probability, lowest)) / 2 if next_probability >= 0 else probability
            best = (min(max(threshold, lowest), probability), f1)
    return best
