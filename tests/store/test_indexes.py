"""The query indexes of migration 0002: present, and matching the queries they serve."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.dialects import postgresql, sqlite

from vigil.analysis.periods import sql_period_start
from vigil.analysis.series import event_series
from vigil.store.expressions import month_start
from vigil.store.tables import EventRow


def test_month_start_compiles_as_the_series_groups():
    """The series groups by ``sql_period_start``; the index is on ``month_start``: the SQL must be the same."""
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        ours = str(month_start(EventRow.date_start).compile(dialect=dialect))
        theirs = str(sql_period_start(EventRow.date_start, "month").compile(dialect=dialect))
        assert ours == theirs, dialect.name


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_indexes_exist(store):
    names = {index["name"] for index in inspect(store.engine).get_indexes("events")}
    assert "ix_events_country_event_type_date_start" in names
    actor_indexes = {index["name"]: index["column_names"] for index in inspect(store.engine).get_indexes("event_actors")}
    assert actor_indexes["ix_event_actors_role_actor_id_event_id"] == ["role", "actor_id", "event_id"]
    assert "ix_event_actors_role_actor_id" not in actor_indexes, "widened, not duplicated"
    if store.dialect == "sqlite":  # SQLAlchemy cannot reflect expression indexes on SQLite: read the schema
        with store.engine.connect() as connection:
            sql = connection.execute(text("SELECT sql FROM sqlite_master WHERE name = 'ix_events_month_start'")).scalar()
        assert "date(date_start, 'start of month')" in sql


def test_the_monthly_series_reads_the_covering_index(loaded):
    if loaded.dialect != "sqlite":
        pytest.skip("the plan is checked on SQLite, where the benchmark target applies")
    series = event_series(loaded, period="month", by="event_type")
    assert sum(group.total_events for group in series.groups) == 4
    grouped = (
        select(month_start(EventRow.date_start).label("month"), EventRow.event_type, EventRow.fatalities_min)
        .where(EventRow.date_start.is_not(None))
        .group_by(month_start(EventRow.date_start), EventRow.event_type)
    )
    with loaded.engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        compiled = grouped.compile(dialect=loaded.engine.dialect, compile_kwargs={"literal_binds": True})
        plan = " ".join(str(row[-1]) for row in connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "COVERING INDEX ix_events_month_start" in plan, plan
