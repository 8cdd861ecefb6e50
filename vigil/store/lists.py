"""Paged lists of actors, relations, claims, weapons and documents, filtered like events.

Each ``page_*`` function takes an ``EventFilter`` (see ``vigil.store.anchors``
for how place and time apply to facts that have none of their own), uses its
``limit``/``offset``, and returns a ``Page`` with the total number of matches.
Facts other than events sort by ``-date`` (newest first, the default), ``date``,
``id`` or ``-id``; their date is their event's, else their document's
publication date.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import Select, case, distinct, func, or_, select
from sqlalchemy.orm import selectinload

from vigil.model.records import ActorRef
from vigil.store.anchors import claim_conditions, document_place_and_time, relation_conditions, weapon_conditions
from vigil.store.database import Store
from vigil.store.filters import BadFilter, EventFilter, event_conditions, event_names_actor
from vigil.store.mapping import (
    actor_from_row,
    as_utc,
    claim_from_row,
    normalise_name,
    relation_from_row,
    weapon_from_row,
)
from vigil.store.tables import (
    ActorAliasRow,
    ActorRow,
    ClaimRow,
    DocumentRow,
    EventActorRow,
    EventRow,
    RelationRow,
    WeaponRow,
)
from vigil.store.views import (
    ActorInfo,
    DocumentInfo,
    DocumentRef,
    Page,
    StoredClaim,
    StoredRelation,
    StoredWeapon,
)

FACT_ORDERS = ("-date", "date", "id", "-id")
ActorOrder = Literal["-events", "events", "-perpetrator", "name", "-name"]
ACTOR_ORDERS: tuple[str, ...] = ActorOrder.__args__  # type: ignore[attr-defined]
ERR_FACT_ORDER = "Order {order!r} does not apply to {what}; use one of: {choices}."


def document_ref(row: DocumentRow) -> DocumentRef:
    return DocumentRef(id=row.id, title=row.title, publisher=row.publisher, url=row.url, published=row.published,
                       tlp=row.tlp, org_id=row.org_id)


def page_relations(store: Store, filter: EventFilter | None = None, *, type: str | None = None) -> Page[StoredRelation]:
    """Relations (optionally of one type) whose document matches ``filter``'s place and time."""
    filter = filter or EventFilter()
    conditions = relation_conditions(filter)
    if type:
        conditions.append(RelationRow.type == type)
    query = (
        select(RelationRow)
        .join(DocumentRow, DocumentRow.id == RelationRow.document_id)
        .where(*conditions)
        .options(selectinload(RelationRow.weapons))
        .order_by(*_fact_order(filter.order, DocumentRow.published, RelationRow.id, "relations"))
    )
    with store.session() as session:
        items = [
            StoredRelation(id=row.id, document_id=row.document_id, relation=relation_from_row(row), tlp=row.tlp, org_id=row.org_id)
            for row in session.scalars(_paged(query, filter))
        ]
        total = session.scalar(select(func.count(RelationRow.id)).where(*conditions)) or 0
    return Page[StoredRelation](items=items, total=total, limit=filter.limit, offset=filter.offset)


def page_claims(store: Store, filter: EventFilter | None = None, *, stance: str | None = None) -> Page[StoredClaim]:
    """Claims (optionally of one stance) about matching events, else in matching documents."""
    filter = filter or EventFilter()
    conditions = claim_conditions(filter, store.dialect)
    if stance:
        conditions.append(ClaimRow.stance == stance)
    query = (
        select(ClaimRow)
        .join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
        .where(*conditions)
        .order_by(*_fact_order(filter.order, DocumentRow.published, ClaimRow.id, "claims"))
    )
    with store.session() as session:
        items = [
            StoredClaim(id=row.id, document_id=row.document_id, claim=claim_from_row(row), tlp=row.tlp, org_id=row.org_id)
            for row in session.scalars(_paged(query, filter))
        ]
        total = session.scalar(select(func.count(ClaimRow.id)).where(*conditions)) or 0
    return Page[StoredClaim](items=items, total=total, limit=filter.limit, offset=filter.offset)


def page_weapons(
    store: Store, filter: EventFilter | None = None, *, weapon_class: str | None = None
) -> Page[StoredWeapon]:
    """Weapon mentions with the actors, date and place of what they belong to."""
    filter = filter or EventFilter()
    conditions = weapon_conditions(filter)
    if weapon_class:
        conditions.append(func.lower(WeaponRow.weapon_class) == weapon_class.strip().lower())
    date = func.coalesce(EventRow.date_start, DocumentRow.published)
    query = (
        select(WeaponRow, DocumentRow, EventRow, RelationRow)
        .join(DocumentRow, DocumentRow.id == WeaponRow.document_id)
        .outerjoin(EventRow, EventRow.id == WeaponRow.event_id)
        .outerjoin(RelationRow, RelationRow.id == WeaponRow.relation_id)
        .where(*conditions)
        .options(selectinload(EventRow.actors))
        .order_by(*_fact_order(filter.order, date, WeaponRow.id, "weapons"))
    )
    with store.session() as session:
        items = [stored_weapon(*row) for row in session.execute(_paged(query, filter))]
        total = session.scalar(select(func.count(WeaponRow.id)).where(*conditions)) or 0
    return Page[StoredWeapon](items=items, total=total, limit=filter.limit, offset=filter.offset)


def stored_weapon(
    weapon: WeaponRow, document: DocumentRow, event: EventRow | None, relation: RelationRow | None
) -> StoredWeapon:
    """A weapon row with its context, as listed (the detail read uses it too)."""
    actors: list[ActorRef] = []
    sentence = None
    if event is not None:
        actors = [
            ActorRef(start=a.start, end=a.end, text=a.text, kind=a.kind, actor=a.actor_id)  # type: ignore[arg-type]
            for a in event.actors
            if a.role == "perpetrator"
        ]
        sentence = event.sentence
    elif relation is not None:
        relation_record = relation_from_row(relation)
        actors = [relation_record.source, relation_record.target]
        sentence = relation.sentence
    return StoredWeapon(
        id=weapon.id,
        document=document_ref(document),
        weapon=weapon_from_row(weapon),
        event_id=weapon.event_id,
        relation_id=weapon.relation_id,
        date=event.date_start if event is not None else document.published,
        country=event.country if event is not None else None,
        admin1=event.admin1 if event is not None else None,
        actors=actors,
        sentence=sentence,
    )


def page_documents(store: Store, filter: EventFilter | None = None) -> Page[DocumentInfo]:
    """Documents published in the range that report a matching event (all documents without a filter).

    ``actor`` and ``text`` keep documents with an event naming the actor, and
    whose title or text contains the words.
    """
    filter = filter or EventFilter()
    conditions = document_place_and_time(filter, DocumentRow.id)
    if filter.actor and filter.actor.strip():
        conditions.append(DocumentRow.id.in_(select(EventRow.document_id).where(event_names_actor(filter.actor))))
    if filter.text:
        needle = filter.text
        conditions.append(
            or_(DocumentRow.title.icontains(needle, autoescape=True), DocumentRow.text.icontains(needle, autoescape=True))
        )
    if filter.document_id:
        conditions.append(DocumentRow.id == filter.document_id)
    events = select(EventRow.document_id, func.count(EventRow.id).label("n")).group_by(EventRow.document_id).subquery()
    query = (
        select(DocumentRow, func.coalesce(events.c.n, 0))
        .outerjoin(events, events.c.document_id == DocumentRow.id)
        .where(*conditions)
        .order_by(*_fact_order(filter.order, DocumentRow.published, DocumentRow.ingested_at, "documents"))
    )
    with store.session() as session:
        items = [
            DocumentInfo(
                id=row.id,
                title=row.title,
                publisher=row.publisher,
                published=row.published,
                url=row.url,
                source=row.source,
                ingested_at=as_utc(row.ingested_at),
                events=count,
                tlp=row.tlp,
                org_id=row.org_id,
            )
            for row, count in session.execute(_paged(query, filter))
        ]
        total = session.scalar(select(func.count(DocumentRow.id)).where(*conditions)) or 0
    return Page[DocumentInfo](items=items, total=total, limit=filter.limit, offset=filter.offset)


def page_actors(
    store: Store,
    filter: EventFilter | None = None,
    *,
    query: str | None = None,
    kind: str | None = None,
    active: bool = False,
    order: ActorOrder = "-events",
) -> Page[ActorInfo]:
    """Canonical actors with how many matching events name them.

    ``query`` keeps actors whose id, name or an alias contains it; ``kind`` one
    actor kind. With a filter that has conditions (or ``active``), only actors
    named by at least one matching event are listed. ``order``: ``-events``
    (most active first), ``events``, ``-perpetrator``, ``name``, ``-name``.
    """
    if order not in ACTOR_ORDERS:
        raise BadFilter(ERR_FACT_ORDER.format(order=order, what="actors", choices=", ".join(ACTOR_ORDERS)))
    filter = filter or EventFilter()
    matching = select(EventRow.id).where(*event_conditions(filter.conditions_only()))
    counts = (
        select(
            EventActorRow.actor_id,
            func.count(distinct(EventActorRow.event_id)).label("events"),
            func.count(distinct(case((EventActorRow.role == "perpetrator", EventActorRow.event_id)))).label("perp"),
        )
        .where(EventActorRow.actor_id.is_not(None))
        .group_by(EventActorRow.actor_id)
    )
    if not filter.is_empty():
        counts = counts.where(EventActorRow.event_id.in_(matching))
    counts_table = counts.subquery()
    events = func.coalesce(counts_table.c.events, 0)
    perpetrated = func.coalesce(counts_table.c.perp, 0)
    conditions = []
    if query and query.strip():
        needle = query.strip()
        by_alias = select(ActorAliasRow.actor_id).where(
            ActorAliasRow.normalised.contains(normalise_name(needle), autoescape=True)
        )
        conditions.append(
            or_(
                ActorRow.id.icontains(needle, autoescape=True),
                ActorRow.name.icontains(needle, autoescape=True),
                ActorRow.id.in_(by_alias),
            )
        )
    if kind:
        conditions.append(ActorRow.kind == kind)
    if active or not filter.is_empty():
        conditions.append(events > 0)
    orders = {
        "-events": [events.desc(), ActorRow.name, ActorRow.id],
        "events": [events.asc(), ActorRow.name, ActorRow.id],
        "-perpetrator": [perpetrated.desc(), events.desc(), ActorRow.name, ActorRow.id],
        "name": [ActorRow.name.asc(), ActorRow.id],
        "-name": [ActorRow.name.desc(), ActorRow.id],
    }
    statement = (
        select(ActorRow, events, perpetrated)
        .outerjoin(counts_table, counts_table.c.actor_id == ActorRow.id)
        .where(*conditions)
        .options(selectinload(ActorRow.aliases))
        .order_by(*orders[order])
    )
    total_query = (
        select(func.count(ActorRow.id)).outerjoin(counts_table, counts_table.c.actor_id == ActorRow.id).where(*conditions)
    )
    with store.session() as session:
        items = [
            ActorInfo(actor=actor_from_row(row), events=n, as_perpetrator=p)
            for row, n, p in session.execute(_paged(statement, filter))
        ]
        total = session.scalar(total_query) or 0
    return Page[ActorInfo](items=items, total=total, limit=filter.limit, offset=filter.offset)


def _paged(query: Select, filter: EventFilter) -> Select:
    return query.offset(filter.offset).limit(filter.limit)


def _fact_order(order: str, date, id_column, what: str) -> list:  # noqa: ANN001 (columns)
    if order not in FACT_ORDERS:
        raise BadFilter(ERR_FACT_ORDER.format(order=order, what=what, choices=", ".join(FACT_ORDERS)))
    if order == "date":
        return [date.asc().nulls_last(), id_column.asc()]
    if order == "-date":
        return [date.desc().nulls_last(), id_column.desc()]
    return [id_column.desc() if order == "-id" else id_column.asc()]
