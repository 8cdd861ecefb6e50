"""Event dates as intervals of days."""

from __future__ import annotations

import datetime as dt

from vigil.resolve.timing import date_span, day_gap

from .conftest import mention

TEXT = "A bomb exploded in Quetta."


def test_day_month_week_and_year_intervals():
    day = date_span(mention("a", TEXT, date="2023-07-30"), 7)
    month = date_span(mention("b", TEXT, date="2023-07", precision="month", published="2023-08-28"), 7)
    week = date_span(mention("c", TEXT, date="2023-07-24", precision="week"), 7)
    year = date_span(mention("d", TEXT, date="2023", precision="year", published="2024-01-10"), 7)
    assert (day.first, day.last) == (dt.date(2023, 7, 30),) * 2
    assert (month.first, month.last) == (dt.date(2023, 7, 1), dt.date(2023, 7, 31))
    assert (week.first, week.last) == (dt.date(2023, 7, 24), dt.date(2023, 7, 30))
    assert (year.first, year.last) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert all(s.stated for s in (day, month, week, year))


def test_an_undated_event_gets_a_window_before_publication():
    span = date_span(mention("a", TEXT, date=None, published="2023-08-01"), 7)
    assert not span.stated
    assert (span.first, span.last) == (dt.date(2023, 7, 25), dt.date(2023, 8, 1))


def test_gaps_between_intervals():
    day = date_span(mention("a", TEXT, date="2023-07-30"), 7)
    later = date_span(mention("b", TEXT, date="2023-08-02", published="2023-08-02"), 7)
    month = date_span(mention("c", TEXT, date="2023-07", precision="month", published="2023-08-28"), 7)
    assert day_gap(day, later) == day_gap(later, day) == 3
    assert day_gap(day, month) == 0
