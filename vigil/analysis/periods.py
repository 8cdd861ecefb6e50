"""Calendar periods (ISO weeks starting Monday, calendar months), in Python and in SQL.

A period is named by its first day. Python and the database must agree on which
period a day falls in, so both sides are defined here: ``period_start`` for
Python, ``sql_period_start`` for a query (compiled per dialect: SQLite's
``date()`` modifiers, PostgreSQL's ``date_trunc``, which is ISO-week based).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

Period = Literal["week", "month"]
PERIODS: tuple[str, ...] = Period.__args__  # type: ignore[attr-defined]
ERR_PERIOD = "Unknown period {period!r}; use one of: week, month."

# Average days per period, to state rates "per week" / "per month" when periods
# have unequal lengths (months) or are cut by the filter's window.
DAYS_PER_PERIOD: dict[str, float] = {"week": 7.0, "month": 365.2425 / 12}


def check_period(period: str) -> Period:
    if period not in PERIODS:
        raise ValueError(ERR_PERIOD.format(period=period))
    return period  # type: ignore[return-value]


def period_start(day: dt.date, period: Period) -> dt.date:
    """First day of the week (Monday) or month that contains ``day``."""
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period(start: dt.date, period: Period) -> dt.date:
    """First day of the period after the one starting on ``start``."""
    if period == "week":
        return start + dt.timedelta(days=7)
    return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)


def period_key(start: dt.date, period: Period) -> str:
    """``2023-07`` for a month, ``2023-W05`` for an ISO week."""
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.strftime("%Y-%m")


def period_starts(first: dt.date, last: dt.date, period: Period) -> list[dt.date]:
    """Every period start from the period of ``first`` to the period of ``last``, gaps included."""
    starts: list[dt.date] = []
    current, end = period_start(first, period), period_start(last, period)
    while current <= end:
        starts.append(current)
        current = next_period(current, period)
    return starts


def coarser_precisions(period: Period) -> tuple[str, ...]:
    """Date precisions too coarse to place an event in one ``period`` (it is counted on the first day)."""
    return ("month", "year") if period == "week" else ("year",)


class _PeriodStart(FunctionElement):
    """The first day of the period containing a DATE column (see ``sql_period_start``)."""

    type = Date()
    inherit_cache = True
    period: Period = "month"


class _MonthStart(_PeriodStart):
    inherit_cache = True
    period = "month"


class _WeekStart(_PeriodStart):
    inherit_cache = True
    period = "week"


def sql_period_start(column, period: Period) -> _PeriodStart:  # noqa: ANN001 (a DATE column)
    """SQL expression: the first day of the ``period`` that contains ``column``."""
    return _WeekStart(column) if check_period(period) == "week" else _MonthStart(column)


@compiles(_MonthStart, "sqlite")
def _month_start_sqlite(element, compiler, **kw) -> str:  # noqa: ANN001
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(_WeekStart, "sqlite")
def _week_start_sqlite(element, compiler, **kw) -> str:  # noqa: ANN001
    # Back six days, then forward to the next Monday (or stay on it): the ISO week's Monday.
    return f"date({compiler.process(element.clauses, **kw)}, '-6 days', 'weekday 1')"


@compiles(_MonthStart, "postgresql")
def _month_start_postgresql(element, compiler, **kw) -> str:  # noqa: ANN001
    return f"CAST(date_trunc('month', CAST({compiler.process(element.clauses, **kw)} AS TIMESTAMP)) AS DATE)"


@compiles(_WeekStart, "postgresql")
def _week_start_postgresql(element, compiler, **kw) -> str:  # noqa: ANN001
    return f"CAST(date_trunc('week', CAST({compiler.process(element.clauses, **kw)} AS TIMESTAMP)) AS DATE)"
