"""When an event happened, as an interval of days, and how far apart two such intervals are.

An event dated "2023-07" may be any day of July; "week" precision is the ISO
week starting on the Monday written. An event the text does not date carries
its report's publication date (that is what the extractor writes when there is
no date phrase); it is read as "some day in the ``undated_days`` before
publication", a wider window, because reports often follow the event by days.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from vigil.resolve.records import EventMention


@dataclass(frozen=True)
class DateSpan:
    """The days an event may have happened on (inclusive) and whether the text said so."""

    first: dt.date
    last: dt.date
    stated: bool

    def describe(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


def date_span(mention: EventMention, undated_days: int) -> DateSpan | None:
    """The interval of days ``mention`` may refer to; None when neither text nor publication dates it."""
    event = mention.event
    if event.date and (event.date_text or mention.published is None or event.date != mention.published.isoformat()):
        first, last = _interval(event.date, event.date_precision or "day")
        return DateSpan(first, last, stated=True)
    if mention.published is not None:
        return DateSpan(mention.published - dt.timedelta(days=undated_days), mention.published, stated=False)
    return None


def _interval(value: str, precision: str) -> tuple[dt.date, dt.date]:
    parts = [int(p) for p in value.split("-")]
    if precision == "year" or len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if precision == "month" or len(parts) == 2:
        last_day = calendar.monthrange(parts[0], parts[1])[1]
        return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], last_day)
    day = dt.date(parts[0], parts[1], parts[2])
    if precision == "week":
        return day, day + dt.timedelta(days=6)
    return day, day


def day_gap(a: DateSpan, b: DateSpan) -> int:
    """Days between two intervals; 0 when they overlap."""
    if a.last < b.first:
        return (b.first - a.last).days
    if b.last < a.first:
        return (a.first - b.last).days
    return 0


def span_days(span: DateSpan) -> int:
    """How many days the interval covers (1 for an exact day)."""
    return (span.last - span.first).days + 1
