"""Query indexes for the API and dashboard at scale (100,000 events and more).

- events (country, event_type, date_start): a filtered page and its count;
- event_actors (role, actor_id, event_id) replaces (role, actor_id), and
  events (id, fatalities_min): perpetrator counts with their fatalities read
  from indexes alone;
- events (month start of date_start, event_type, sub_event_type, country,
  date_start, fatalities_min, date_precision, date_from_document): the monthly
  series grouped by event type is read from this index alone, in group order.
  The expression is ``vigil.store.expressions.month_start``, written out per
  dialect here so the migration does not depend on code that may change.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_MONTH_START = {
    "sqlite": "date(date_start, 'start of month')",
    "postgresql": "CAST(date_trunc('month', CAST(date_start AS TIMESTAMP)) AS DATE)",
}
_SERIES_COLUMNS = ["event_type", "sub_event_type", "country", "date_start", "fatalities_min", "date_precision",
                   "date_from_document"]


def upgrade() -> None:
    op.create_index("ix_events_country_event_type_date_start", "events", ["country", "event_type", "date_start"])
    op.create_index("ix_events_id_fatalities_min", "events", ["id", "fatalities_min"])
    op.create_index("ix_event_actors_role_actor_id_event_id", "event_actors", ["role", "actor_id", "event_id"])
    op.drop_index("ix_event_actors_role_actor_id", table_name="event_actors")
    month_start = _MONTH_START.get(op.get_bind().dialect.name)
    if month_start is not None:
        op.create_index("ix_events_month_start", "events", [sa.text(month_start), *_SERIES_COLUMNS])


def downgrade() -> None:
    if op.get_bind().dialect.name in _MONTH_START:
        op.drop_index("ix_events_month_start", table_name="events")
    op.create_index("ix_event_actors_role_actor_id", "event_actors", ["role", "actor_id"])
    op.drop_index("ix_event_actors_role_actor_id_event_id", table_name="event_actors")
    op.drop_index("ix_events_id_fatalities_min", table_name="events")
    op.drop_index("ix_events_country_event_type_date_start", table_name="events")
