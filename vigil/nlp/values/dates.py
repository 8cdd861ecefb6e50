"""Calendar arithmetic for dates read in text, relative to a publication date.

A resolved date is an ISO string truncated to its precision ("2023-07-30",
"2023-07", "2023"); week precision is written as the Monday of that ISO week
("2023-07-24" for any day of 24-30 July 2023).
"""

from __future__ import annotations

from datetime import date, timedelta

PRECISIONS = ("day", "week", "month", "year")


def as_date(value: object) -> date | None:
    """A ``datetime.date`` from a date or datetime (None stays None)."""
    if value is None:
        return None
    if hasattr(value, "date") and callable(value.date):  # datetime
        return value.date()  # type: ignore[no-any-return]
    return value if isinstance(value, date) else None


def make_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when the fields do not form one (31 February)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def iso(day: date, precision: str) -> str:
    """``day`` written to ``precision``; week precision gives that week's Monday."""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if precision == "week":
        day = week_start(day)
    return day.isoformat()


def week_start(day: date) -> date:
    """The Monday of the ISO week holding ``day``."""
    return day - timedelta(days=day.weekday())


def expand_year(yy: int, published: date | None, pivot: int = 50) -> int:
    """A four-digit year for a two-digit one ("90" -> 1990).

    With a publication date the century is the one that does not put the year more than
    a year after publication; without one, years below ``pivot`` are 20xx.
    """
    if published is not None:
        year = 2000 + yy if 2000 + yy <= published.year + 1 else 1900 + yy
        return year if year <= published.year + 1 else year - 100
    return 2000 + yy if yy < pivot else 1900 + yy


def latest_month(month: int, published: date) -> tuple[int, int]:
    """(year, month) of the most recent ``month`` not after the publication month."""
    year = published.year if month <= published.month else published.year - 1
    return year, month


def latest_day(month: int, day: int, published: date, grace_days: int = 0) -> date | None:
    """The most recent day/month not after publication (or at most ``grace_days`` after it)."""
    limit = published + timedelta(days=grace_days)
    for year in (limit.year, limit.year - 1, limit.year - 2, limit.year - 3, limit.year - 4):
        found = make_date(year, month, day)
        if found is not None and found <= limit:
            return found
    return None


def latest_weekday(weekday: int, published: date, relation: str | None = None) -> date:
    """The day named ``weekday`` (Monday = 0) a report of ``published`` means.

    Bare or "this": the most recent such day on or before publication; "last": strictly
    before; "next": strictly after.
    """
    if relation == "next":
        return published + timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)
    back = (published.weekday() - weekday) % 7
    if relation == "last" and back == 0:
        back = 7
    return published - timedelta(days=back)


def shift(published: date, unit: str, offset: int) -> date:
    """``published`` moved by ``offset`` days, weeks, months or years (day clamped to the month)."""
    if unit == "day":
        return published + timedelta(days=offset)
    if unit == "week":
        return published + timedelta(weeks=offset)
    if unit == "month":
        index = published.year * 12 + published.month - 1 + offset
        year, month = divmod(index, 12)
        return date(year, month + 1, 1)
    if unit == "year":
        return date(published.year + offset, 1, 1)
    raise ValueError(f"unknown unit {unit!r}")


def day_first(first: int, second: int) -> tuple[int, int] | None:
    """(day, month) for a numeric date: day-first unless that cannot be a date."""
    if 1 <= second <= 12 and 1 <= first <= 31:
        return first, second
    if 1 <= first <= 12 and 1 <= second <= 31:
        return second, first
    return None
