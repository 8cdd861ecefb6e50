"""One call for ``vigil trend`` and the API: the series, its change points and, if asked, a comparison.

``trend_report(store, filter, period, by, compare=(before, after))`` builds the
series (widening an open filter window so both comparison windows are covered:
a month without events inside them is a zero, not missing), finds change
points in the total, and compares the two windows for events
(``trends.compare_periods``) and deaths per event (``fatalities``).
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re

from pydantic import BaseModel, ConfigDict

from vigil.analysis.changepoints import ChangePoints, change_points
from vigil.analysis.fatalities import FatalityComparison, compare_fatalities
from vigil.analysis.periods import Period
from vigil.analysis.series import GroupBy, Series, event_series
from vigil.analysis.trends import Comparison, DateRange, check_windows, compare_periods
from vigil.store.database import Store
from vigil.store.queries import EventFilter

ERR_WINDOWS = ("{text!r} is not two windows; write BEFORE,AFTER where each is START:END or one period, "
               "e.g. 2022-01-01:2022-12-31,2023-01-01:2023-12-31 or 2022,2023")
ERR_BOUND = "{text!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"
_BOUND = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class TrendReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    series: Series
    change_points: ChangePoints
    comparison: Comparison | None = None
    fatalities: FatalityComparison | None = None


def trend_report(store: Store, filter: EventFilter | None = None, period: Period = "month", by: GroupBy | None = None,
                 compare: tuple[DateRange, DateRange] | None = None, *, seed: int = 0, fused: bool = False) -> TrendReport:
    """Series, change points of its total, and the before/after comparison when ``compare`` is given.

    ``fused``: count real-world events after fusion, not reports (``event_series``).
    """
    filter = filter or EventFilter()
    if compare is not None:
        check_windows(*compare)
        (before_start, _), (_, after_end) = compare
        filter = dataclasses.replace(filter, since=filter.since or before_start, until=filter.until or after_end)
    series = event_series(store, filter, period, by, fused=fused)
    points = change_points(series, seed=seed)
    if compare is None:
        return TrendReport(series=series, change_points=points)
    before, after = compare
    return TrendReport(
        series=series,
        change_points=points,
        comparison=compare_periods(series, before, after),
        fatalities=compare_fatalities(store, filter, before, after, series=series, seed=seed, fused=fused),
    )


def parse_windows(text: str) -> tuple[DateRange, DateRange]:
    """'2022-01-01:2022-12-31,2023-01-01:2023-12-31' (or '2022,2023', '2023-01:2023-06,2023-07:2023-12')."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise ValueError(ERR_WINDOWS.format(text=text))
    return _window(parts[0]), _window(parts[1])


def _window(text: str) -> DateRange:
    first, _, last = text.partition(":")
    return _bound(first, start=True), _bound(last or first, start=False)


def _bound(text: str, *, start: bool) -> dt.date:
    """The first (``start``) or last day of the year, month or day ``text`` names."""
    match = _BOUND.match(text.strip())
    if not match:
        raise ValueError(ERR_BOUND.format(text=text))
    year, month, day = match.groups()
    try:
        if day:
            return dt.date(int(year), int(month), int(day))
        if month:
            last_day = calendar.monthrange(int(year), int(month))[1]
            return dt.date(int(year), int(month), 1 if start else last_day)
        return dt.date(int(year), 1, 1) if start else dt.date(int(year), 12, 31)
    except ValueError as error:
        raise ValueError(f"{text!r}: {error}") from None
