"""The record beside a claim: events perpetrated by its subject actors in the months around it.

"Islamic State activity has been reduced to zero" is read next to the attacks
recorded for the Islamic State (and its provinces and factions) from some
months before the claim to some months after: how many, the newest of them
with links, and a gap-free count per month. An event reported several times
counts once (through the representative report of its fused event).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from vigil.store.details import stored_event
from vigil.store.expressions import month_start
from vigil.store.fusion_reads import one_report_per_event
from vigil.store.tables import DocumentRow, EventActorRow, EventRow
from vigil.store.views import PeriodCount, StoredEvent


@dataclass(frozen=True)
class Window:
    """How far around the claims' dates to look: whole months, or days when given."""

    months: int = 6
    days: int | None = None

    def around(self, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
        step = dt.timedelta(days=self.days) if self.days is not None else relativedelta(months=self.months)
        return first - step, last + step


@dataclass(frozen=True)
class Record:
    total: int
    events: list[StoredEvent]  #: newest first, at most ``max_events``
    by_month: list[PeriodCount]  #: every month of the window, zeros included


def recorded_events(session: Session, actor_ids: set[str], start: dt.date, end: dt.date, max_events: int) -> Record:
    """Events in [start, end] with one of the actors as perpetrator; reports fused into one event count once."""
    by_actors = select(EventActorRow.event_id).where(
        EventActorRow.role == "perpetrator", EventActorRow.actor_id.in_(sorted(actor_ids))
    )
    conditions = [EventRow.id.in_(by_actors), EventRow.date_start.between(start, end), one_report_per_event()]
    month = month_start(EventRow.date_start)
    counts = {
        _month_key(value): n
        for value, n in session.execute(select(month, func.count(EventRow.id)).where(*conditions).group_by(month))
    }
    rows = session.execute(
        select(EventRow, DocumentRow)
        .join(DocumentRow, DocumentRow.id == EventRow.document_id)
        .where(*conditions)
        .options(selectinload(EventRow.actors), selectinload(EventRow.weapons))
        .order_by(EventRow.date_start.desc(), EventRow.id.desc())
        .limit(max_events)
    ).all()
    months = [PeriodCount(period=key, events=counts.get(key, 0)) for key in _months(start, end)]
    return Record(total=sum(counts.values()), events=[stored_event(e, d) for e, d in rows], by_month=months)


def _month_key(value: object) -> str:
    """YYYY-MM of a month start (a date, or the ISO text SQLite returns)."""
    return value.isoformat()[:7] if isinstance(value, dt.date) else str(value)[:7]


def _months(start: dt.date, end: dt.date) -> list[str]:
    keys = []
    current = start.replace(day=1)
    while current <= end:
        keys.append(current.isoformat()[:7])
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return keys
