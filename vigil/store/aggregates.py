"""Counts over stored facts, computed in the database (for summaries and dashboards).

Each function takes an optional ``EventFilter``; its limit, offset and order
are ignored. Claims and relations have no date or place of their own: the
summary counts restrict them to the documents that have a matching event;
weapons follow ``vigil.store.anchors`` (their event, else their document).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import ColumnElement, and_, distinct, func, literal, null, select, union_all

from vigil.store.anchors import weapon_conditions
from vigil.store.database import Store
from vigil.store.filters import BadFilter
from vigil.store.queries import EventFilter, event_conditions
from vigil.store.tables import ActorRow, ClaimRow, DocumentRow, EventActorRow, EventRow, RelationRow, WeaponRow
from vigil.store.views import ActorWeaponCount, Count, Totals, ValueCount

EventField = Literal["event_type", "sub_event_type", "country", "date_start"]
Dimension = Literal["actor", "event_type", "sub_event_type", "country", "admin1"]
DIMENSIONS: tuple[str, ...] = Dimension.__args__  # type: ignore[attr-defined]
WeaponField = Literal["weapon_class", "origin", "model", "calibre"]
WEAPON_FIELDS: tuple[str, ...] = WeaponField.__args__  # type: ignore[attr-defined]
ERR_DIMENSION = "Cannot count events by {by!r}; use one of: {choices}."
ERR_WEAPON_FIELD = "Cannot count weapons by {by!r}; use one of: {choices}."
MISSING = "(unknown)"


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


def totals(store: Store, filter: EventFilter | None = None) -> Totals:
    """Events, their fatalities (lower bounds), documents and actors, for the headline figures."""
    conditions = _conditions(filter)
    events = select(func.count(EventRow.id), func.coalesce(func.sum(EventRow.fatalities_min), 0)).where(*conditions)
    actors = select(func.count(distinct(EventActorRow.actor_id))).where(EventActorRow.actor_id.is_not(None))
    if conditions:
        actors = actors.where(EventActorRow.event_id.in_(select(EventRow.id).where(*conditions)))
    with store.session() as session:
        count, fatalities = session.execute(events).one()
        named = session.scalar(actors) or 0
    return Totals(
        events=count, fatalities_min=int(fatalities), documents=count_documents_matching(store, filter), actors=named
    )


def counts_by(store: Store, by: Dimension, filter: EventFilter | None = None, *, limit: int | None = None) -> list[Count]:
    """Matching events and their fatalities per actor (perpetrator), type, sub-type, country or province.

    Most events first, then by label. Perpetrators count by canonical id when
    resolved, else by the words used; provinces by ``country/admin1`` (the
    same name exists in several countries).
    """
    if by not in DIMENSIONS:
        raise BadFilter(ERR_DIMENSION.format(by=by, choices=", ".join(DIMENSIONS)))
    rows = _actor_counts(store, filter) if by == "actor" else _field_counts(store, by, filter)
    rows.sort(key=lambda row: (-row.events, row.label.casefold()))
    return rows[:limit] if limit is not None else rows


def _field_counts(store: Store, by: str, filter: EventFilter | None) -> list[Count]:
    fatalities = func.coalesce(func.sum(EventRow.fatalities_min), 0)
    if by == "admin1":
        query = (
            select(EventRow.country, EventRow.admin1, func.count(EventRow.id), fatalities)
            .where(*_conditions(filter))
            .group_by(EventRow.country, EventRow.admin1)
        )
        merged: dict[str | None, Count] = {}
        with store.session() as session:
            for country, admin1, n, dead in session.execute(query):
                key = f"{country or ''}/{admin1}" if admin1 else None  # events without a province: one bar
                label = f"{admin1}, {country}" if admin1 and country else admin1 or MISSING
                known = merged.get(key)
                merged[key] = Count(
                    key=key,
                    label=label,
                    events=n + (known.events if known else 0),
                    fatalities_min=int(dead) + (known.fatalities_min if known else 0),
                )
        return list(merged.values())
    column = getattr(EventRow, by)
    query = select(column, func.count(EventRow.id), fatalities).where(*_conditions(filter)).group_by(column)
    with store.session() as session:
        return [
            Count(key=value, label=value or MISSING, events=n, fatalities_min=int(dead))
            for value, n, dead in session.execute(query)
        ]


def _actor_counts(store: Store, filter: EventFilter | None) -> list[Count]:
    """Per perpetrator (resolved by id, else by its words): distinct events and their fatalities.

    Resolved mentions are joined to their events' fatalities directly (an
    index-only read); an actor named twice in one event would count that event's
    fatalities twice, so those repeats are found apart and taken off.
    """
    conditions = _conditions(filter)
    counts: list[Count] = []
    with store.session() as session:
        for resolved in (True, False):
            key = EventActorRow.actor_id if resolved else func.lower(EventActorRow.text)
            where = [
                EventActorRow.role == "perpetrator",
                EventActorRow.actor_id.is_not(None) if resolved else EventActorRow.actor_id.is_(None),
            ]
            if conditions:
                where.append(EventActorRow.event_id.in_(select(EventRow.id).where(*conditions)))
            words = null() if resolved else func.min(EventActorRow.text)  # resolved: named from the gazetteer
            totals = (
                select(
                    key,
                    words,
                    func.count(distinct(EventActorRow.event_id)),
                    func.coalesce(func.sum(EventRow.fatalities_min), 0),
                )
                .join(EventRow, EventRow.id == EventActorRow.event_id)
                .where(*where)
                .group_by(key)
            )
            repeats = (
                select(key.label("key"), EventActorRow.event_id.label("event_id"), (func.count() - 1).label("extra"))
                .where(*where)
                .group_by(key, EventActorRow.event_id)
                .having(func.count() > 1)
                .subquery()
            )
            overcounted = dict(
                session.execute(
                    select(repeats.c.key, func.coalesce(func.sum(repeats.c.extra * EventRow.fatalities_min), 0))
                    .join(EventRow, EventRow.id == repeats.c.event_id)
                    .group_by(repeats.c.key)
                ).all()
            )
            found = session.execute(totals).all()
            names = _actor_names(session, [row[0] for row in found]) if resolved else {}
            counts += [
                Count(
                    key=value if resolved else words,
                    label=names.get(value) or (value if resolved else words),
                    events=n,
                    fatalities_min=int(dead) - int(overcounted.get(value, 0)),
                )
                for value, words, n, dead in found
            ]
    return counts


def _actor_names(session, actor_ids: list[str]) -> dict[str, str]:  # noqa: ANN001 (a Session)
    if not actor_ids:
        return {}
    return dict(session.execute(select(ActorRow.id, ActorRow.name).where(ActorRow.id.in_(actor_ids))).all())


def weapons_by(
    store: Store, by: WeaponField, filter: EventFilter | None = None, *, limit: int | None = None
) -> list[ValueCount]:
    """Weapon mentions per class, origin, model or calibre (most first); None for mentions without one."""
    if by not in WEAPON_FIELDS:
        raise BadFilter(ERR_WEAPON_FIELD.format(by=by, choices=", ".join(WEAPON_FIELDS)))
    column = getattr(WeaponRow, by)
    query = (
        select(column, func.count(WeaponRow.id))
        .where(*weapon_conditions(filter or EventFilter()))
        .group_by(column)
    )
    with store.session() as session:
        rows = [ValueCount(value=value, count=n) for value, n in session.execute(query)]
    rows.sort(key=lambda row: (-row.count, row.value is None, (row.value or "").casefold()))
    return rows[:limit] if limit is not None else rows


def weapons_by_actor(
    store: Store, filter: EventFilter | None = None, *, limit: int | None = None
) -> list[ActorWeaponCount]:
    """Weapon classes per actor: used in its attacks, supplied by it, or received by it (most first)."""
    weapons = select(WeaponRow.id).where(*weapon_conditions(filter or EventFilter()))
    used = (
        select(
            EventActorRow.actor_id.label("actor_id"),
            EventActorRow.text.label("words"),
            literal("uses").label("role"),
            WeaponRow.weapon_class.label("weapon_class"),
        )
        .join(EventActorRow, and_(EventActorRow.event_id == WeaponRow.event_id, EventActorRow.role == "perpetrator"))
        .where(WeaponRow.id.in_(weapons))
    )
    ends = []
    for role, actor_id, words in (
        ("supplies", RelationRow.source_actor_id, RelationRow.source_text),
        ("receives", RelationRow.target_actor_id, RelationRow.target_text),
    ):
        ends.append(
            select(
                actor_id.label("actor_id"), words.label("words"), literal(role).label("role"),
                WeaponRow.weapon_class.label("weapon_class"),
            )
            .join(RelationRow, RelationRow.id == WeaponRow.relation_id)
            .where(WeaponRow.id.in_(weapons), RelationRow.type == "supplies_weapons_to")
        )
    mentions = union_all(used, *ends).subquery()
    key = func.coalesce(mentions.c.actor_id, func.lower(mentions.c.words))
    query = (
        select(
            mentions.c.actor_id, func.min(mentions.c.words), ActorRow.name, mentions.c.role,
            mentions.c.weapon_class, func.count(),
        )
        .outerjoin(ActorRow, ActorRow.id == mentions.c.actor_id)
        .group_by(key, mentions.c.actor_id, ActorRow.name, mentions.c.role, mentions.c.weapon_class)
    )
    with store.session() as session:
        rows = [
            ActorWeaponCount(
                actor_id=actor_id, actor=name or actor_id or words, role=role, weapon_class=weapon_class, count=n
            )
            for actor_id, words, name, role, weapon_class, n in session.execute(query)
        ]
    rows.sort(key=lambda row: (-row.count, row.actor.casefold(), row.role, row.weapon_class or ""))
    return rows[:limit] if limit is not None else rows
