"""Charts of a series: the right file format, the change points drawn, clean errors."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from vigil.analysis.changepoints import change_points
from vigil.analysis.periods import next_period, period_key
from vigil.analysis.plots import plot_series
from vigil.analysis.series import GroupSeries, PeriodSpan, Series
from vigil.errors import VigilError

pytest.importorskip("matplotlib")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def group(key: str | None, label: str, events: list[int]) -> GroupSeries:
    zeros = [0] * len(events)
    return GroupSeries(key=key, label=label, events=events, fatalities_min=[3 * e for e in events],
                       no_fatality_figure=zeros, dated_by_document=zeros, date_coarser_than_period=zeros)


def monthly(by: str | None, groups: dict[str, list[int]]) -> Series:
    length = len(next(iter(groups.values())))
    spans, start = [], dt.date(2022, 1, 1)
    for _ in range(length):
        end = next_period(start, "month")
        spans.append(PeriodSpan(key=period_key(start, "month"), start=start, end=end - dt.timedelta(days=1), days=(end - start).days))
        start = end
    built = [group(key, key, values) for key, values in groups.items()]
    total = group(None, "all events", [sum(column) for column in zip(*groups.values())])
    return Series(period="month", by=by, since=None, until=None, periods=spans, total=total,
                  groups=built if by else [total], undated=0)


STEP = [1, 2, 1, 0, 2, 1, 1, 2, 9, 8, 11, 10, 9, 12, 10, 9]


def test_png_with_change_points(tmp_path):
    series = monthly(None, {"all": STEP})
    points = change_points(series)
    assert [p.period for p in points.points] == ["2022-09"]
    written = plot_series(series, tmp_path / "chart.png", change_points=points)
    assert written.read_bytes()[:8] == PNG_SIGNATURE


def test_svg_stacked_and_lines(tmp_path):
    stacked = monthly("event_type", {"Battles": STEP, "Riots": [1] * 16, "Protests": [0, 1] * 8})
    path = plot_series(stacked, tmp_path / "types.svg", change_points=change_points(stacked), top=2)
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = path.read_text("utf-8")
    assert "other (1 groups)" in text and "change point" in text
    lines = monthly("actor", {"islamic-state": STEP, "ttp": [2] * 16})
    assert ET.parse(plot_series(lines, tmp_path / "actors.svg", top=1)).getroot().tag.endswith("svg")
    assert "1 more not drawn" in (tmp_path / "actors.svg").read_text("utf-8")


def test_bad_suffix_and_empty_series(tmp_path):
    with pytest.raises(VigilError, match=r"chart\.pdf.*\.png or \.svg"):
        plot_series(monthly(None, {"all": STEP}), tmp_path / "chart.pdf")
    empty = Series(period="week", by=None, since=None, until=None, periods=[], total=group(None, "all events", []),
                   groups=[], undated=0)
    with pytest.raises(VigilError, match="nothing to draw"):
        plot_series(empty, tmp_path / "empty.png")
