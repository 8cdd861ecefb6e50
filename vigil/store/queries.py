"""Reading facts back: events through ``EventFilter``, actors, claims and relations.

The filter itself (and how an actor is named in it) lives in
``vigil.store.filters``; it is re-exported here. Paged lists of relations,
claims, weapons and documents filtered by place and time are in
``vigil.store.lists``.
"""

from __future__ import annotations

from sqlalchemy import case, distinct, func, or_, select
from sqlalchemy.orm import selectinload

from vigil.store.database import Store
from vigil.store.filters import (
    EVENT_ORDERS,
    ERR_ORDER,
    EventFilter,
    EventOrder,
    actor_matches,
    canonical_ids,
    event_conditions,
    event_order,
)
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
from vigil.store.views import ActorInfo, Page, StoredClaim, StoredEvent, StoredRelation

__all__ = [
    "ERR_ORDER",
    "EVENT_ORDERS",
    "EventFilter",
    "EventOrder",
    "actor_matches",
    "canonical_ids",
    "count_events",
    "event_conditions",
    "list_actors",
    "list_claims",
    "list_events",
    "list_relations",
    "page_events",
]

def list_events(store: Store, filter: EventFilter | None = None) -> list[StoredEvent]:
    """Events matching ``filter``, with the document each came from."""
    filter = filter or EventFilter()
    query = (
        select(EventRow, DocumentRow.title, DocumentRow.published)
        .join(DocumentRow, DocumentRow.id == EventRow.document_id)
        .where(*event_conditions(filter))
        .order_by(*event_order(filter.order))
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
                tlp=row.tlp,
                org_id=row.org_id,
            )
            for row, title, published in session.execute(query)
        ]


def count_events(store: Store, filter: EventFilter | None = None) -> int:
    """How many events match ``filter`` (its limit and offset are ignored)."""
    query = select(func.count(EventRow.id)).where(*event_conditions(filter or EventFilter()))
    with store.session() as session:
        return session.scalar(query) or 0


def page_events(store: Store, filter: EventFilter | None = None) -> Page[StoredEvent]:
    """One page of matching events (``filter.limit``/``offset``) and how many match in all."""
    filter = filter or EventFilter()
    return Page[StoredEvent](
        items=list_events(store, filter), total=count_events(store, filter), limit=filter.limit, offset=filter.offset
    )


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
            StoredClaim(id=row.id, document_id=row.document_id, claim=claim_from_row(row), tlp=row.tlp, org_id=row.org_id)
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
            StoredRelation(id=row.id, document_id=row.document_id, relation=relation_from_row(row), tlp=row.tlp, org_id=row.org_id)
            for row in session.scalars(statement)
        ]
