"""Counts over stored facts, computed in the database (for summaries and dashboards).

Each function takes an optional ``EventFilter``; its limit, offset and order
are ignored. Claims and relations have no date or place of their own, so a
filter restricts them to the documents that have a matching event.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import ColumnElement, distinct, func, select

from vigil.store.database import Store
from vigil.store.queries import EventFilter, event_conditions
from vigil.store.tables import ActorRow, ClaimRow, DocumentRow, EventActorRow, EventRow, RelationRow

EventField = Literal["event_type", "sub_event_type", "country", "date_start"]


def events_by(store: Store, field: EventField, filter: EventFilter | None = None) -> dict[object, int]:
    """Number of matching events per value of ``field`` (None for events without one)."""
    column = getattr(EventRow, field)
    query = select(column, func.count(EventRow.id)).where(*_conditions(filter)).group_by(column)
    with store.session() as session:
        return {value: count for value, count in session.execute(query)}


def events_by_month(store: Store, filter: EventFilter | None = None) -> dict[str | None, int]:
    """Matching events per ``YYYY-MM`` of their ``date_start``, oldest first (None last)."""
    months: dict[str | None, int] = {}
    for day, count in sorted(events_by(store, "date_start", filter).items(), key=lambda kv: (kv[0] is None, kv[0])):
        key = day.strftime("%Y-%m") if isinstance(day, dt.date) else None
        months[key] = months.get(key, 0) + count
    return months


def perpetrator_counts(store: Store, filter: EventFilter | None = None, limit: int = 10) -> list[tuple[str | None, str, int]]:
    """(actor id, name, events) for the most frequent perpetrators of matching events.

    Resolved perpetrators are counted by canonical id (named by the gazetteer
    name when seeded); unresolved ones by the words used, with a None id.
    """
    events = select(EventRow.id).where(*_conditions(filter))
    perpetrators = EventActorRow.role == "perpetrator"
    resolved = (
        select(EventActorRow.actor_id, ActorRow.name, func.count(distinct(EventActorRow.event_id)))
        .outerjoin(ActorRow, ActorRow.id == EventActorRow.actor_id)
        .where(perpetrators, EventActorRow.actor_id.is_not(None), EventActorRow.event_id.in_(events))
        .group_by(EventActorRow.actor_id, ActorRow.name)
    )
    unresolved = (
        select(func.min(EventActorRow.text), func.count(distinct(EventActorRow.event_id)))
        .where(perpetrators, EventActorRow.actor_id.is_(None), EventActorRow.event_id.in_(events))
        .group_by(func.lower(EventActorRow.text))
    )
    with store.session() as session:
        rows: list[tuple[str | None, str, int]] = [
            (actor_id, name or actor_id, count) for actor_id, name, count in session.execute(resolved)
        ]
        rows += [(None, text, count) for text, count in session.execute(unresolved)]
    rows.sort(key=lambda row: (-row[2], row[1].casefold()))
    return rows[:limit]


def fatalities_min_total(store: Store, filter: EventFilter | None = None) -> int:
    """Sum of the lower fatality bounds of matching events (events without a count add nothing)."""
    query = select(func.coalesce(func.sum(EventRow.fatalities_min), 0)).where(*_conditions(filter))
    with store.session() as session:
        return int(session.scalar(query) or 0)


def count_documents_matching(store: Store, filter: EventFilter | None = None) -> int:
    """All documents without a filter; with one, the documents that have a matching event."""
    if _is_empty(filter):
        query = select(func.count(DocumentRow.id))
    else:
        query = select(func.count(distinct(EventRow.document_id))).where(*_conditions(filter))
    with store.session() as session:
        return session.scalar(query) or 0


def claims_by_stance(store: Store, filter: EventFilter | None = None) -> dict[str, int]:
    query = select(ClaimRow.stance, func.count(ClaimRow.id)).group_by(ClaimRow.stance)
    if not _is_empty(filter):
        query = query.where(ClaimRow.document_id.in_(_documents(filter)))
    with store.session() as session:
        return {stance: count for stance, count in session.execute(query)}


def relations_by_type(store: Store, filter: EventFilter | None = None) -> dict[str, int]:
    query = select(RelationRow.type, func.count(RelationRow.id)).group_by(RelationRow.type)
    if not _is_empty(filter):
        query = query.where(RelationRow.document_id.in_(_documents(filter)))
    with store.session() as session:
        return {kind: count for kind, count in session.execute(query)}


def _conditions(filter: EventFilter | None) -> list[ColumnElement[bool]]:
    return event_conditions(filter) if filter is not None else []


def _documents(filter: EventFilter | None):  # noqa: ANN202 (a select)
    return select(EventRow.document_id).where(*_conditions(filter))


def _is_empty(filter: EventFilter | None) -> bool:
    return filter is None or not event_conditions(filter)
