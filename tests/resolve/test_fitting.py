"""Fitting the link model: logistic weights and the F1-optimal threshold."""

from __future__ import annotations

from vigil.resolve.fitting import best_threshold, fit_logistic, prf


def test_the_fitted_weights_point_the_right_way():
    rows = [[x / 10, (x % 3) / 3] for x in range(40)]
    labels = [int(x >= 20) for x in range(40)]
    bias, weights = fit_logistic(rows, labels, l2=0.1)
    assert weights[0] > 1 and abs(weights[1]) < abs(weights[0])
    assert bias < 0


def test_fitting_is_deterministic():
    rows = [[0.1], [0.4], [0.35], [0.8], [0.9], [0.2]]
    labels = [0, 0, 1, 1, 1, 0]
    assert fit_logistic(rows, labels) == fit_logistic(rows, labels)


def test_best_threshold_separates_and_counts_unscored_positives():
    threshold, f1 = best_threshold([0.9, 0.8, 0.3, 0.2], [1, 1, 0, 0])
    assert 0.3 < threshold <= 0.8 and f1 == 1.0
    _, with_missed = best_threshold([0.9, 0.8, 0.3, 0.2], [1, 1, 0, 0], unscored_positives=2)
    assert abs(with_missed - 2 / 3) < 1e-9


def test_prf():
    assert prf(8, 2, 2) == (0.8, 0.8, 0.8000000000000002) or prf(8, 2, 2)[2] == 0.8
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)


def test_a_weight_of_the_wrong_sign_is_held_at_zero():
    # the second column is anti-correlated with the label but declared "for" (+1): it must stay at zero
    rows = [[x / 10, 1 - x / 40] for x in range(40)]
    labels = [int(x >= 20) for x in range(40)]
    free = fit_logistic(rows, labels, l2=0.1)[1]
    constrained = fit_logistic(rows, labels, l2=0.1, signs=[1, 1])[1]
    assert free[1] < 0
    assert constrained[1] == 0 and constrained[0] > 0
