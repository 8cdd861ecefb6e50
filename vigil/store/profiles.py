"""An actor's profile: who it is, its family, its activity per month, its relations, weapons and claims."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import case, distinct, func, or_, select
from sqlalchemy.orm import selectinload

from vigil.store.aggregates import weapons_by
from vigil.store.anchors import claim_conditions, concerned, document_place_and_time
from vigil.store.database import Store
from vigil.store.filters import EventFilter, actor_matches, place_and_time_conditions
from vigil.store.lists import document_ref
from vigil.store.mapping import actor_from_row, claim_from_row, relation_from_row
from vigil.store.tables import ActorRow, ClaimRow, DocumentRow, EventActorRow, EventRow, RelationRow
from vigil.store.views import ActorLink, ActorProfile, PeriodCount, StoredClaim

TOP_WEAPONS = 10


def get_actor_profile(store: Store, actor_id: str, filter: EventFilter | None = None) -> ActorProfile | None:
    """The profile of canonical actor ``actor_id``, or None if no such actor.

    ``filter`` (its place and time) narrows the activity, relations, weapons
    and claims shown; the actor's identity and family are always complete.
    """
    filter = (filter or EventFilter()).conditions_only()
    with store.session() as session:
        row = session.get(ActorRow, actor_id, options=[selectinload(ActorRow.aliases)])
        if row is None:
            return None
        parent = session.get(ActorRow, row.parent_id, options=[selectinload(ActorRow.aliases)]) if row.parent_id else None
        factions = session.scalars(
            select(ActorRow).where(ActorRow.parent_id == actor_id).options(selectinload(ActorRow.aliases)).order_by(ActorRow.name)
        ).all()
        events, perpetrated = _activity_totals(session, actor_id, filter)
        months = _months(session, actor_id, filter)
        relations_out, relations_in = _relations(session, actor_id, filter)
        claims_by, claims_about = _claims(session, store.dialect, actor_id, filter)
        weapon_filter = _with_actor(filter, actor_id)
        return ActorProfile(
            actor=actor_from_row(row),
            parent=actor_from_row(parent) if parent is not None else None,
            factions=[actor_from_row(faction) for faction in factions],
            events=events,
            as_perpetrator=perpetrated,
            events_by_month=months,
            relations_out=relations_out,
            relations_in=relations_in,
            weapon_classes=weapons_by(store, "weapon_class", weapon_filter, limit=TOP_WEAPONS),
            weapon_models=[c for c in weapons_by(store, "model", weapon_filter) if c.value][:TOP_WEAPONS],
            weapon_origins=[c for c in weapons_by(store, "origin", weapon_filter) if c.value][:TOP_WEAPONS],
            claims_by=claims_by,
            claims_about=claims_about,
        )


def _with_actor(filter: EventFilter, actor_id: str) -> EventFilter:
    return replace(filter, actor=actor_id)


def _event_ids(actor_id: str, filter: EventFilter, role: str | None = None):  # noqa: ANN202 (a select)
    mentions = select(EventActorRow.event_id).where(EventActorRow.actor_id == actor_id)
    if role:
        mentions = mentions.where(EventActorRow.role == role)
    conditions = place_and_time_conditions(filter)
    if conditions:
        mentions = mentions.where(EventActorRow.event_id.in_(select(EventRow.id).where(*conditions)))
    return mentions


def _activity_totals(session, actor_id: str, filter: EventFilter) -> tuple[int, int]:  # noqa: ANN001
    query = select(
        func.count(distinct(EventActorRow.event_id)),
        func.count(distinct(case((EventActorRow.role == "perpetrator", EventActorRow.event_id)))),
    ).where(EventActorRow.event_id.in_(_event_ids(actor_id, filter)), EventActorRow.actor_id == actor_id)
    events, perpetrated = session.execute(query).one()
    return events or 0, perpetrated or 0


def _months(session, actor_id: str, filter: EventFilter) -> list[PeriodCount]:  # noqa: ANN001
    """Events naming the actor per month of their date (oldest first); undated events are left out."""
    days = session.execute(
        select(EventRow.date_start, func.count(EventRow.id))
        .where(EventRow.id.in_(_event_ids(actor_id, filter)), EventRow.date_start.is_not(None))
        .group_by(EventRow.date_start)
    ).all()
    months: dict[str, int] = {}
    for day, count in days:
        key = day.strftime("%Y-%m")
        months[key] = months.get(key, 0) + count
    return [PeriodCount(period=key, events=n) for key, n in sorted(months.items())]


def _relations(session, actor_id: str, filter: EventFilter) -> tuple[list[ActorLink], list[ActorLink]]:  # noqa: ANN001
    query = (
        select(RelationRow, DocumentRow)
        .join(DocumentRow, DocumentRow.id == RelationRow.document_id)
        .where(
            or_(RelationRow.source_actor_id == actor_id, RelationRow.target_actor_id == actor_id),
            *document_place_and_time(filter, RelationRow.document_id),
        )
        .options(selectinload(RelationRow.weapons))
        .order_by(DocumentRow.published.desc().nulls_last(), RelationRow.id)
    )
    outgoing: list[ActorLink] = []
    incoming: list[ActorLink] = []
    for row, document in session.execute(query):
        link = ActorLink(id=row.id, relation=relation_from_row(row), document=document_ref(document))
        if row.source_actor_id == actor_id:
            outgoing.append(link)
        if row.target_actor_id == actor_id:
            incoming.append(link)
    return outgoing, incoming


def _claims(session, dialect: str, actor_id: str, filter: EventFilter) -> tuple[list[StoredClaim], list[StoredClaim]]:  # noqa: ANN001
    place = claim_conditions(filter, dialect)
    by = select(ClaimRow).where(
        or_(
            actor_matches(actor_id, ClaimRow.speaker_actor_id, ClaimRow.speaker_text),
            actor_matches(actor_id, ClaimRow.speaker_org_actor_id, ClaimRow.speaker_org_text),
        ),
        *place,
    )
    names_actor = select(EventActorRow.id).where(EventActorRow.event_id == EventRow.id, EventActorRow.actor_id == actor_id)
    about = select(ClaimRow).where(
        or_(
            concerned(dialect, "event", [names_actor.exists()]),
            concerned(
                dialect,
                "relation",
                [or_(RelationRow.source_actor_id == actor_id, RelationRow.target_actor_id == actor_id)],
            ),
        ),
        *place,
    )
    order = (ClaimRow.document_id, ClaimRow.ordinal)
    made = [_stored(row) for row in session.scalars(by.order_by(*order))]
    concerning = [_stored(row) for row in session.scalars(about.order_by(*order))]
    return made, concerning


def _stored(row: ClaimRow) -> StoredClaim:
    return StoredClaim(id=row.id, document_id=row.document_id, claim=claim_from_row(row), tlp=row.tlp, org_id=row.org_id)
