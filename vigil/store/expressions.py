"""SQL expressions the schema indexes on, compiled the same way for SQLite and PostgreSQL.

``month_start(column)`` is the first day of the month of a DATE column. The
monthly series groups events by exactly this expression, so an index on it
(``ix_events_month_start``, migration 0002) lets SQLite read the series from
the index alone, already in group order. The SQL must stay identical to what
the series query emits, or the planner will not match the index; a test
compares the two.
"""

from __future__ import annotations

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class MonthStart(FunctionElement):
    """The first day of the month containing a DATE value."""

    type = Date()
    inherit_cache = True
    name = "month_start"


def month_start(column) -> MonthStart:  # noqa: ANN001 (a DATE column)
    return MonthStart(column)


@compiles(MonthStart, "sqlite")
def _month_start_sqlite(element, compiler, **kw) -> str:  # noqa: ANN001
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(MonthStart, "postgresql")
def _month_start_postgresql(element, compiler, **kw) -> str:  # noqa: ANN001
    return f"CAST(date_trunc('month', CAST({compiler.process(element.clauses, **kw)} AS TIMESTAMP)) AS DATE)"
