"""Reading facts back: events through ``EventFilter``, actors, claims and relations.

An actor can be named in a filter by its canonical id, its canonical name or
any alias (case- and accent-insensitive), or by the words a report used for
it (case-insensitive, whole mention), so unresolved mentions are findable too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, Select, case, distinct, exists, false, func, or_, select
from sqlalchemy.orm import selectinload

from vigil.store.database import Store
from vigil.store.mapping import actor_from_row, claim_from_row, event_from_row, normalise_name, relation_from_row
from vigil.store.tables import (
    ActorAliasRow,
    ActorRow,
    ClaimRow,
    DocumentRow,
    EventActorRow,
    EventRow,
    RelationRow,
)
from vigil.store.views import ActorInfo, StoredClaim, StoredEvent, StoredRelation

EventOrder = Literal["date", "-date", "id", "-id"]
EVENT_ORDERS: tuple[str, ...] = EventOrder.__args__  # type: ignore[attr-defined]
ERR_ORDER = "Unknown event order {order!r}; use one of: {choices}."


@dataclass(frozen=True)
class EventFilter:
    """Which events to list. Every field is optional; set ones must all match.

    ``since``/``until`` are inclusive and compare with the first day of the
    event's date period (the publication date for events without a date).
    ``order`` is ``date`` (oldest first), ``-date`` (newest first, the
    default), ``id`` or ``-id`` (storage order).
    """

    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None
    actor: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    text: str | None = None
    document_id: str | None = None
    limit: int | None = None
    offset: int = 0
    order: EventOrder = "-date"

    def __post_init__(self) -> None:
        if self.order not in EVENT_ORDERS:
            raise ValueError(ERR_ORDER.format(order=self.order, choices=", ".join(EVENT_ORDERS)))


def list_events(store: Store, filter: EventFilter | None = None) -> list[StoredEvent]:
    """Events matching ``filter``, with the document each came from."""
    filter = filter or EventFilter()
    query = (
        select(EventRow, DocumentRow.title, DocumentRow.published)
        .join(DocumentRow, DocumentRow.id == EventRow.document_id)
        .where(*event_conditions(filter))
        .order_by(*_event_order(filter.order))
        .offset(filter.offset)
        .limit(filter.limit)
        .options(selectinload(EventRow.actors), selectinload(EventRow.weapons))
    )
    with store.session() as session:
        return [
            StoredEvent(
                id=row.id,
                document_id=row.document_id,
                document_title=title,
                document_published=published,
                date_start=row.date_start,
                date_from_document=row.date_from_document,
                event=event_from_row(row),
            )
            for row, title, published in session.execute(query)
        ]


def count_events(store: Store, filter: EventFilter | None = None) -> int:
    """How many events match ``filter`` (its limit and offset are ignored)."""
    query = select(func.count(EventRow.id)).where(*event_conditions(filter or EventFilter()))
    with store.session() as session:
        return session.scalar(query) or 0


def event_conditions(filter: EventFilter) -> list[ColumnElement[bool]]:
    """SQL conditions on ``events`` for ``filter`` (shared with the aggregate queries)."""
    conditions: list[ColumnElement[bool]] = []
    if filter.since is not None:
        conditions.append(EventRow.date_start >= filter.since)
    if filter.until is not None:
        conditions.append(EventRow.date_start <= filter.until)
    if filter.country:
        conditions.append(EventRow.country == filter.country.strip().upper())
    if filter.event_type:
        conditions.append(EventRow.event_type == filter.event_type)
    if filter.sub_event_type:
        conditions.append(EventRow.sub_event_type == filter.sub_event_type)
    if filter.text:
        conditions.append(EventRow.sentence.icontains(filter.text, autoescape=True))
    if filter.document_id:
        conditions.append(EventRow.document_id == filter.document_id)
    if filter.actor and filter.actor.strip():
        mentions = select(EventActorRow.id).where(
            EventActorRow.event_id == EventRow.id,
            actor_matches(filter.actor, EventActorRow.actor_id, EventActorRow.text),
        )
        conditions.append(exists(mentions))
    return conditions


def actor_matches(query: str, id_column, text_column) -> ColumnElement[bool]:  # noqa: ANN001 (columns)
    """Condition: the mention in (``id_column``, ``text_column``) refers to the actor ``query`` names."""
    wanted = query.strip()
    if not wanted:
        return false()
    return or_(
        id_column == wanted,
        id_column.in_(canonical_ids(wanted)),
        func.lower(text_column) == wanted.lower(),
    )


def canonical_ids(query: str) -> Select:
    """Ids of canonical actors whose id, name or an alias is ``query``."""
    by_actor = select(ActorRow.id).where(
        or_(func.lower(ActorRow.id) == query.lower(), func.lower(ActorRow.name) == query.lower())
    )
    by_alias = select(ActorAliasRow.actor_id).where(ActorAliasRow.normalised == normalise_name(query))
    return by_actor.union(by_alias)


def list_actors(store: Store, query: str | None = None) -> list[ActorInfo]:
    """Canonical actors (optionally those whose id, name or an alias contains ``query``),
    with how many events name them; most active first."""
    counts = (
        select(
            EventActorRow.actor_id,
            func.count(distinct(EventActorRow.event_id)).label("events"),
            func.count(distinct(case((EventActorRow.role == "perpetrator", EventActorRow.event_id)))).label(
                "as_perpetrator"
            ),
        )
        .where(EventActorRow.actor_id.is_not(None))
        .group_by(EventActorRow.actor_id)
        .subquery()
    )
    statement = (
        select(ActorRow, func.coalesce(counts.c.events, 0), func.coalesce(counts.c.as_perpetrator, 0))
        .outerjoin(counts, counts.c.actor_id == ActorRow.id)
        .options(selectinload(ActorRow.aliases))
        .order_by(func.coalesce(counts.c.events, 0).desc(), ActorRow.name, ActorRow.id)
    )
    if query and query.strip():
        needle = query.strip()
        by_alias = select(ActorAliasRow.actor_id).where(
            ActorAliasRow.normalised.contains(normalise_name(needle), autoescape=True)
        )
        statement = statement.where(
            or_(
                ActorRow.id.icontains(needle, autoescape=True),
                ActorRow.name.icontains(needle, autoescape=True),
                ActorRow.id.in_(by_alias),
            )
        )
    with store.session() as session:
        return [
            ActorInfo(actor=actor_from_row(row), events=events, as_perpetrator=perpetrated)
            for row, events, perpetrated in session.execute(statement)
        ]


def list_claims(
    store: Store,
    actor: str | None = None,
    stance: str | None = None,
    *,
    document_id: str | None = None,
    limit: int | None = None,
) -> list[StoredClaim]:
    """Claims, optionally by speaker (person or organisation) and stance, in document order."""
    statement = select(ClaimRow).order_by(ClaimRow.document_id, ClaimRow.ordinal).limit(limit)
    if actor and actor.strip():
        statement = statement.where(
            or_(
                actor_matches(actor, ClaimRow.speaker_actor_id, ClaimRow.speaker_text),
                actor_matches(actor, ClaimRow.speaker_org_actor_id, ClaimRow.speaker_org_text),
            )
        )
    if stance:
        statement = statement.where(ClaimRow.stance == stance)
    if document_id:
        statement = statement.where(ClaimRow.document_id == document_id)
    with store.session() as session:
        return [
            StoredClaim(id=row.id, document_id=row.document_id, claim=claim_from_row(row))
            for row in session.scalars(statement)
        ]


def list_relations(
    store: Store,
    type: str | None = None,
    actor: str | None = None,
    *,
    document_id: str | None = None,
    limit: int | None = None,
) -> list[StoredRelation]:
    """Relations, optionally of one type and involving an actor as source or target."""
    statement = (
        select(RelationRow)
        .options(selectinload(RelationRow.weapons))
        .order_by(RelationRow.document_id, RelationRow.ordinal)
        .limit(limit)
    )
    if type:
        statement = statement.where(RelationRow.type == type)
    if actor and actor.strip():
        statement = statement.where(
            or_(
                actor_matches(actor, RelationRow.source_actor_id, RelationRow.source_text),
                actor_matches(actor, RelationRow.target_actor_id, RelationRow.target_text),
            )
        )
    if document_id:
        statement = statement.where(RelationRow.document_id == document_id)
    with store.session() as session:
        return [
            StoredRelation(id=row.id, document_id=row.document_id, relation=relation_from_row(row))
            for row in session.scalars(statement)
        ]


def _event_order(order: str) -> list:
    if order == "date":
        return [EventRow.date_start.asc().nulls_last(), EventRow.id.asc()]
    if order == "-date":
        return [EventRow.date_start.desc().nulls_last(), EventRow.id.desc()]
    if order == "-id":
        return [EventRow.id.desc()]
    return [EventRow.id.asc()]

