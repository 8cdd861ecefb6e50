"""Trend statistics against known values: exact Poisson test, negative binomial, change points, deaths.

Reference values marked "R/SciPy" were computed independently with R's
``poisson.test`` / SciPy's ``binomtest`` and ``nbinom`` (numerical maximisation),
not with Vigil's code.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid

import numpy as np
import pytest

from vigil.analysis.changepoints import detect, split_statistics
from vigil.analysis.fatalities import compare_figures, overdispersion
from vigil.analysis.negbin import Window, nb_loglik, nb_rate_test
from vigil.analysis.stats import betainc, binom_cdf, binom_test, chi2_sf, clopper_pearson, format_p, gammaincc
from vigil.analysis.trend_report import parse_windows, trend_report
from vigil.analysis.trends import NB_TEST, POISSON_TEST, compare_counts, compare_periods, exact_poisson_test
from vigil.model.records import Bounds, Document, Event, Extraction
from vigil.settings import Settings
from vigil.store import EventFilter, open_store, save_document

DAYS_PER_MONTH = 365.2425 / 12


# ------------------------------------------------------------------ special functions and the binomial test


def test_special_functions_against_closed_forms():
    assert betainc(1, 1, 0.3) == pytest.approx(0.3, abs=1e-14)  # uniform
    assert betainc(2, 3, 0.4) == pytest.approx(0.5248, abs=1e-12)  # 6x^2 - 8x^3 + 3x^4
    assert betainc(0.5, 0.5, 0.25) == pytest.approx(2 / math.pi * math.asin(math.sqrt(0.25)), abs=1e-12)
    assert gammaincc(1, 2.0) == pytest.approx(math.exp(-2.0), abs=1e-14)
    assert chi2_sf(3.841458820694124, 1) == pytest.approx(0.05, abs=1e-12)
    assert chi2_sf(10, 3) == pytest.approx(0.01856613546304325, abs=1e-12)  # SciPy
    assert chi2_sf(0, 4) == 1.0


def binomial_two_sided_by_hand(k: int, n: int, p: float) -> float:
    """Sum of the probabilities of outcomes no more likely than k, from math.comb."""
    pmf = [math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(n + 1)]
    return math.fsum(x for x in pmf if x <= pmf[k] * (1 + 1e-7))


@pytest.mark.parametrize(("k", "n", "p"), [(10, 12, 0.5), (17, 22, 0.6), (0, 9, 0.3), (3, 40, 0.05), (25, 25, 0.9), (6, 13, 0.46)])
def test_binomial_test_matches_the_hand_computed_tail(k, n, p):
    assert binom_test(k, n, p) == pytest.approx(binomial_two_sided_by_hand(k, n, p), rel=1e-10, abs=1e-14)
    assert binom_cdf(k, n, p) == pytest.approx(math.fsum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k + 1)), abs=1e-12)


def test_clopper_pearson_closed_forms():
    assert clopper_pearson(0, 10) == (0.0, pytest.approx(1 - 0.025 ** (1 / 10), abs=1e-10))
    assert clopper_pearson(10, 10) == (pytest.approx(0.025 ** (1 / 10), abs=1e-10), 1.0)
    low, high = clopper_pearson(10, 12)
    assert (low, high) == (pytest.approx(0.5158622513139235, abs=1e-9), pytest.approx(0.9791374745403382, abs=1e-9))  # SciPy


def test_p_value_words():
    assert format_p(0.0004) == "less than 0.001"
    assert format_p(0.01337) == "0.013"
    assert format_p(0.4567) == "0.46"


# ------------------------------------------------------------------ exact Poisson rate test


def test_exact_poisson_test_known_values():
    # R: poisson.test(c(10, 2), c(1, 1)): p = 0.03857, rate ratio 5, 95% CI 1.065528-46.932834.
    result = exact_poisson_test(2, 1.0, 10, 1.0)
    assert result.p_value == pytest.approx(158 / 4096, rel=1e-12)  # 2 * (C(12,10) + C(12,11) + C(12,12)) / 2^12
    assert result.rate_ratio == pytest.approx(5.0)
    assert result.ci_low == pytest.approx(1.0655278434989743, rel=1e-7)
    assert result.ci_high == pytest.approx(46.93283545338377, rel=1e-7)
    # Unequal lengths: 5 events in 2 units, then 17 in 3 (R/SciPy: p = 0.12733, CI 0.80272-7.85780).
    unequal = exact_poisson_test(5, 2.0, 17, 3.0)
    assert unequal.p_value == pytest.approx(0.12733282321188844, rel=1e-9)
    assert unequal.rate_ratio == pytest.approx((17 / 3) / (5 / 2))
    assert (unequal.ci_low, unequal.ci_high) == (pytest.approx(0.8027213476620676, rel=1e-7), pytest.approx(7.857800091710104, rel=1e-7))


def test_exact_poisson_test_edges():
    assert exact_poisson_test(0, 1.0, 0, 1.0).p_value == 1.0
    none_before = exact_poisson_test(0, 2.0, 6, 2.0)
    assert none_before.rate_ratio is None and none_before.ci_high is None and none_before.ci_low > 0
    assert none_before.p_value == pytest.approx(2 * 0.5**6)
    with pytest.raises(ValueError, match="positive"):
        exact_poisson_test(1, 0.0, 1, 1.0)


def test_compare_counts_poisson_sentence():
    before = [2, 4, 3, 3, 5, 2, 4, 3, 1, 3, 4, 4]
    after = [5, 6, 4, 7, 5, 3, 6, 5, 4, 6, 5, 5]
    result = compare_counts(before, after, unit="month")
    assert result.test == POISSON_TEST and result.negative_binomial is None
    assert result.dispersion is not None and result.dispersion.df == 22 and result.dispersion.index < 1
    assert result.before.events == 38 and result.after.events == 61 and result.direction == "rose"
    assert result.p_value == pytest.approx(binomial_two_sided_by_hand(61, 99, 0.5), rel=1e-10)
    assert result.significant
    assert result.sentence.startswith("Events rose from 3.2 to 5.1 per month (rate ratio 1.61, 95% CI 1.05-2.47)")
    assert "probability 0.027" in result.sentence and "evidence of a real increase" in result.sentence
    assert any("coverage" in note for note in result.notes)


def test_few_periods_cannot_check_dispersion():
    result = compare_counts([4], [9], unit="week")
    assert result.dispersion is None and result.test == POISSON_TEST
    assert "Too few periods" in result.why
    assert compare_counts([0], [0]).sentence.startswith("No events in either window")


# ------------------------------------------------------------------ negative binomial

BEFORE = [3, 0, 7, 2, 9, 1, 4, 0, 6, 2, 11, 3]
AFTER = [8, 2, 15, 4, 0, 12, 7, 21, 3, 9, 5, 14]
BEFORE_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
AFTER_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def test_nb_loglik_matches_scipy():
    # SciPy: nbinom.logpmf([0, 3, 10], 2.5, 2.5 / (2.5 + 4.0)).sum()
    assert nb_loglik([0, 3, 10], [4.0, 4.0, 4.0], 2.5) == pytest.approx(-8.251313746562127, abs=1e-10)


def test_nb_rate_test_matches_a_numerical_fit():
    before = Window(BEFORE, [d / DAYS_PER_MONTH for d in BEFORE_DAYS])
    after = Window(AFTER, [d / DAYS_PER_MONTH for d in AFTER_DAYS])
    result = nb_rate_test(before, after)
    # SciPy Nelder-Mead on the same likelihood: LR 4.02992, p 0.04470, rates 3.98905 / 8.26956, size 1.89523.
    assert result.statistic == pytest.approx(4.029916550589661, abs=1e-5)
    assert result.p_value == pytest.approx(0.044700151917625566, abs=1e-5)
    assert (result.rate_before, result.rate_after) == (pytest.approx(3.98905072, rel=1e-5), pytest.approx(8.26955584, rel=1e-5))
    assert result.size == pytest.approx(1.8952342825539032, rel=1e-3)
    assert result.ci_low < result.rate_ratio < result.ci_high


def test_overdispersed_counts_switch_to_the_negative_binomial_test():
    result = compare_counts(BEFORE, AFTER, before_exposure=[d / DAYS_PER_MONTH for d in BEFORE_DAYS],
                            after_exposure=[d / DAYS_PER_MONTH for d in AFTER_DAYS], unit="month")
    assert result.dispersion.index > 3 and result.dispersion.p_value < 0.001
    assert result.test == NB_TEST and result.p_value == result.negative_binomial.p_value
    assert result.poisson.p_value < 1e-4 < result.p_value  # the Poisson test would overstate the evidence
    assert "vary more than a Poisson process would" in result.sentence
    assert result.ci_high - result.ci_low > result.poisson.ci_high - result.poisson.ci_low


def test_negative_binomial_keeps_false_alarms_near_the_nominal_rate():
    """Clustered counts without a change: the Poisson test cries wolf, the chosen test mostly does not."""
    rng = np.random.default_rng(7)
    poisson_alarms = chosen_alarms = 0
    runs = 60
    for _ in range(runs):
        counts = rng.negative_binomial(1.0, 1 / (1 + 5.0), 24)  # mean 5, variance 30
        result = compare_counts(list(counts[:12]), list(counts[12:]), unit="month")
        poisson_alarms += result.poisson.p_value < 0.05
        chosen_alarms += result.significant
    assert poisson_alarms >= runs // 4 and poisson_alarms >= 3 * chosen_alarms
    assert chosen_alarms <= runs * 0.15


# ------------------------------------------------------------------ change points


def test_split_statistic_by_hand():
    y, e = np.array([2.0, 2.0, 8.0, 8.0]), np.ones(4)
    statistics = split_statistics(y, e, 1)
    expected = 2 * (4 * math.log(4 / 2) + 16 * math.log(16 / 2) - 20 * math.log(20 / 4))
    assert statistics[1] == pytest.approx(expected) and statistics.argmax() == 1


def test_known_change_point_is_found_within_one_period():
    for seed in range(10):
        rng = np.random.default_rng(seed)
        counts = list(rng.poisson(2.0, 18)) + list(rng.poisson(10.0, 14))
        result = detect(counts, unit="month", seed=seed)
        assert result.points, seed
        assert any(abs(point.index - 18) <= 1 for point in result.points), (seed, result.points)
        main = min(result.points, key=lambda point: abs(point.index - 18))
        assert main.direction == "rose" and main.p_value < 0.05
        assert main.rate_before < 4 < 7 < main.rate_after


def test_flat_poisson_series_rarely_shows_a_change():
    alarms = sum(bool(detect(list(np.random.default_rng(100 + seed).poisson(4.0, 36))).points) for seed in range(40))
    assert alarms <= 6  # about 5% expected


def test_flat_overdispersed_series_rarely_shows_a_change():
    """The permutation test keeps the counts' own spread, unlike a Poisson penalty."""
    alarms = sum(
        bool(detect(list(np.random.default_rng(200 + seed).negative_binomial(1.0, 1 / 5, 36))).points)
        for seed in range(40)
    )
    assert alarms <= 8


def test_change_point_sentences_and_edges():
    result = detect([1, 1, 0, 2, 1, 1, 9, 8, 10, 9, 11, 8], keys=[f"2023-{m:02d}" for m in range(1, 13)], unit="month")
    assert [p.period for p in result.points] == ["2023-07"]
    assert result.sentence.startswith("The monthly event rate changed once: from 2023-07 it rose from 1.0 to 9.2 per month")
    assert [s.events for s in result.segments] == [6, 55]
    flat = detect([3, 4, 3, 5, 4, 3], unit="week")
    assert flat.points == [] and flat.sentence.startswith("No change point: the weekly counts are consistent")
    assert detect([1, 2, 3]).sentence.startswith("Too few periods (3)")
    assert detect([0, 0, 0, 0, 0]).points == []
    assert detect([1, 1, 0, 2, 1, 9, 8, 10], seed=3) == detect([1, 1, 0, 2, 1, 9, 8, 10], seed=3)  # repeatable
    with pytest.raises(ValueError, match="same length"):
        detect([1, 2, 3, 4], [1.0, 1.0])


# ------------------------------------------------------------------ deaths


def test_fatality_comparison_by_permutation_and_bootstrap():
    ratio, low, high, p_value = compare_figures([1, 2, 0, 3, 1, 2, 40], [5, 9, 7, 6, 8, 10, 7, 6])
    assert ratio == pytest.approx((58 / 8) / (49 / 7))
    assert low < ratio < high
    assert 0.5 < p_value <= 1  # one big event makes the before mean as large: no evidence
    ratio, low, high, p_value = compare_figures([1, 2, 1, 0, 2, 1, 1, 2, 1, 0], [9, 8, 12, 10, 7, 11, 9, 10, 8, 12])
    assert p_value < 0.001 and low > 3
    assert compare_figures([], [3, 4]) == (None, None, None, None)
    assert overdispersion([0, 40, 0, 2, 0, 100]) > 30 and overdispersion([5]) is None


# ------------------------------------------------------------------ on a store: compare_periods and trend_report


@pytest.fixture
def monthly_store(tmp_path):
    """24 months of events: about 2 a month in 2022, about 6 a month in 2023, with deaths on some."""
    rng = np.random.default_rng(11)
    with open_store(Settings(database_url=f"sqlite:///{tmp_path / 'trend.sqlite'}")) as store:
        for year, rate, deaths in ((2022, 2.0, 3), (2023, 6.0, 4)):
            for month in range(1, 13):
                for n in range(int(rng.poisson(rate))):
                    day = dt.date(year, month, 1 + n % 28)
                    text = f"Gunmen attacked a checkpoint on {day} ({uuid.uuid4().hex})."
                    event = Event(type="Armed clash", event_type="Battles", start=0, end=len(text), sentence=text,
                                  date=day.isoformat(), date_precision="day",
                                  fatalities=Bounds(min=int(rng.poisson(deaths))) if n % 2 == 0 else None)
                    document = Document.from_text(text, published=day)
                    save_document(store, document, Extraction(id=document.id, events=[event]))
        yield store


def test_compare_periods_on_a_series(monthly_store):
    report = trend_report(monthly_store, None, "month", None, parse_windows("2022,2023"))
    series = report.series
    assert len(series.periods) == 24 and series.periods[0].key == "2022-01"
    comparison = report.comparison
    assert comparison.before.periods[0] == "2022-01" and comparison.after.periods[-1] == "2023-12"
    assert comparison.before.events == sum(series.total.events[:12])
    assert comparison.direction == "rose" and comparison.significant
    assert comparison.p_value < 0.001 and 2 < comparison.rate_ratio < 5
    assert report.fatalities is not None and report.fatalities.before.events_with_figure > 0
    assert "Death totals are dominated by a few large events" in report.fatalities.sentence
    assert any(point.period in ("2022-12", "2023-01", "2023-02") for point in report.change_points.points)


def test_compare_periods_edges(monthly_store):
    weekly = trend_report(monthly_store, EventFilter(since=dt.date(2022, 1, 1), until=dt.date(2023, 12, 31)), "week").series
    comparison = compare_periods(weekly, (dt.date(2022, 1, 1), dt.date(2022, 12, 31)), (dt.date(2023, 1, 1), dt.date(2023, 12, 31)))
    assert any("straddle" in note for note in comparison.notes)  # 2022-W52 runs into 2023
    monthly = trend_report(monthly_store).series
    with pytest.raises(ValueError, match="overlap"):
        compare_periods(monthly, (dt.date(2022, 1, 1), dt.date(2023, 1, 31)), (dt.date(2023, 1, 1), dt.date(2023, 12, 31)))
    with pytest.raises(ValueError, match="no whole month"):
        compare_periods(monthly, (dt.date(2019, 1, 1), dt.date(2019, 12, 31)), (dt.date(2023, 1, 1), dt.date(2023, 12, 31)))
    with pytest.raises(ValueError, match="ends before it starts"):
        compare_periods(monthly, (dt.date(2022, 5, 1), dt.date(2022, 1, 1)), (dt.date(2023, 1, 1), dt.date(2023, 12, 31)))


def test_parse_windows():
    assert parse_windows("2022-01-01:2022-12-31,2023-01-01:2023-06-30") == (
        (dt.date(2022, 1, 1), dt.date(2022, 12, 31)), (dt.date(2023, 1, 1), dt.date(2023, 6, 30)))
    assert parse_windows("2024-02,2024-03:2024-04") == (
        (dt.date(2024, 2, 1), dt.date(2024, 2, 29)), (dt.date(2024, 3, 1), dt.date(2024, 4, 30)))
    with pytest.raises(ValueError, match="'2022' is not two windows"):
        parse_windows("2022")
    with pytest.raises(ValueError, match="'22-01' is not a date"):
        parse_windows("22-01,2023")
    with pytest.raises(ValueError, match="'2023-02-30'"):
        parse_windows("2022,2023-02-30")
