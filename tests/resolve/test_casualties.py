"""Casualty figures: compatibility between reports, and low / best / high fusion (UCDP)."""

from __future__ import annotations

import math

from vigil.model.records import Bounds
from vigil.resolve.casualties import BEST_RULE, best_figure, figure_distance, fuse_figures

from .conftest import mention

TEXT = "A suicide bomber struck a rally in Bajaur."


def reports(*figures: tuple[int | None, int | None]):
    return [mention(f"doc-{n}", TEXT, killed=figure, start=n) for n, figure in enumerate(figures)]


def test_the_bajaur_tolls_fuse_to_low_best_high():
    fused = fuse_figures(reports((43, 43), (44, 44), (46, 46), (54, 54)), "fatalities", outlier_factor=5)
    assert (fused.low, fused.best, fused.high) == (43, 44, 54)
    assert fused.rule == BEST_RULE
    assert sorted(s.estimate for s in fused.sources) == [43, 44, 46, 54]
    assert all(s.credible for s in fused.sources)


def test_best_is_the_most_reported_figure_when_there_is_one():
    assert best_figure([43, 54, 54, 46]) == 54
    assert best_figure([43, 44, 46, 54]) == 44  # no figure repeated: the lower median
    assert best_figure([7]) == 7


def test_open_figures_count_by_their_lower_bound():
    fused = fuse_figures(reports((40, None), (54, 54), (63, 63)), "fatalities", outlier_factor=5)
    assert (fused.low, fused.best, fused.high) == (40, 54, 63)
    assert [s.min for s in fused.sources] == [40, 54, 63]


def test_a_range_gives_its_ends_to_low_and_high():
    fused = fuse_figures(reports((20, 30)), "fatalities", outlier_factor=5)
    assert (fused.low, fused.best, fused.high) == (20, 25, 30)


def test_an_outlier_is_kept_beside_but_not_counted():
    fused = fuse_figures(reports((43, 43), (44, 44), (46, 46), (3, 3)), "fatalities", outlier_factor=5)
    assert (fused.low, fused.best, fused.high) == (43, 44, 46)
    flagged = [s for s in fused.sources if not s.credible]
    assert [s.estimate for s in flagged] == [3]
    assert "median" in flagged[0].note


def test_no_figure_no_fusion():
    assert fuse_figures(reports(None, None), "fatalities", outlier_factor=5) is None


def test_figure_compatibility():
    close = figure_distance(Bounds(min=43, max=43), Bounds(min=54, max=54))
    far = figure_distance(Bounds(min=3, max=3), Bounds(min=80, max=80))
    assert close < math.log(2) < math.log(4) < far
    assert figure_distance(Bounds(min=40), Bounds(min=63, max=63)) == 0  # "more than 40" may be 63
    assert figure_distance(Bounds(min=4), Bounds(min=52, max=52)) > math.log(4)  # "at least 4" is not 52
    assert figure_distance(None, Bounds(min=3, max=3)) is None
