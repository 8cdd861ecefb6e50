"""``EventFilter``: the one description of "which facts", shared by every list, count and chart.

Events carry their own date and place. Relations, claims and weapons do not:
``vigil.store.anchors`` applies the same filter to them through the event they
belong to, or else through their document.

An actor can be named by its canonical id, its canonical name or any alias
(case- and accent-insensitive), or by the words a report used for it
(case-insensitive, whole mention), so unresolved mentions are findable too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from typing import Literal

from sqlalchemy import ColumnElement, Select, exists, false, func, or_, select

from vigil.model.taxonomy import event_types, is_sub_event_type
from vigil.store.mapping import normalise_name
from vigil.store.tables import ActorAliasRow, ActorRow, EventActorRow, EventRow

EventOrder = Literal["date", "-date", "fatalities", "-fatalities", "country", "type", "id", "-id"]
EVENT_ORDERS: tuple[str, ...] = EventOrder.__args__  # type: ignore[attr-defined]
ERR_ORDER = "Unknown event order {order!r}; use one of: {choices}."
ERR_LIMIT = "limit must be a positive number, not {limit!r}."
ERR_OFFSET = "offset must be zero or more, not {offset!r}."
ERR_RANGE = "since ({since}) is after until ({until})."
ERR_EVENT_TYPE = "Unknown ACLED event type {value!r}; use one of: {choices}."
ERR_SUB_EVENT_TYPE = "Unknown ACLED sub-event type {value!r} (e.g. 'Suicide bomb', 'Armed clash')."

# The fields that say where and when, applied to a fact through its event or document.
PLACE_AND_TIME = ("since", "until", "country", "admin1", "event_type", "sub_event_type")


class BadFilter(ValueError):
    """A filter value or order that cannot be applied; the message names it."""


@dataclass(frozen=True)
class EventFilter:
    """Which events to list. Every field is optional; set ones must all match.

    ``since``/``until`` are inclusive and compare with the first day of the
    event's date period (the publication date for events without a date).
    ``country`` is an ISO 3166-1 alpha-2 code; ``admin1`` matches the province
    name case-insensitively. ``order``: ``-date`` (newest first, the default),
    ``date``, ``-fatalities`` (deadliest first), ``fatalities``, ``country``,
    ``type`` (event type, then sub-event type), ``id`` or ``-id`` (storage order).
    """

    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None
    admin1: str | None = None
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
            raise BadFilter(ERR_ORDER.format(order=self.order, choices=", ".join(EVENT_ORDERS)))
        if self.limit is not None and self.limit < 1:
            raise BadFilter(ERR_LIMIT.format(limit=self.limit))
        if self.offset < 0:
            raise BadFilter(ERR_OFFSET.format(offset=self.offset))
        if self.since is not None and self.until is not None and self.since > self.until:
            raise BadFilter(ERR_RANGE.format(since=self.since, until=self.until))
        if self.event_type and self.event_type not in event_types():
            raise BadFilter(ERR_EVENT_TYPE.format(value=self.event_type, choices=", ".join(event_types())))
        if self.sub_event_type and not is_sub_event_type(self.sub_event_type):
            raise BadFilter(ERR_SUB_EVENT_TYPE.format(value=self.sub_event_type))

    def conditions_only(self) -> EventFilter:
        """The same filter without paging or order (for counts and charts)."""
        return replace(self, limit=None, offset=0, order="-date")

    def place_and_time(self) -> dict[str, object]:
        """The set where/when fields, by name."""
        return {name: getattr(self, name) for name in PLACE_AND_TIME if getattr(self, name)}

    def is_empty(self) -> bool:
        """True when no condition is set (paging and order aside)."""
        return all(
            not getattr(self, f.name) for f in fields(self) if f.name not in ("limit", "offset", "order")
        )


def event_conditions(filter: EventFilter) -> list[ColumnElement[bool]]:
    """SQL conditions on ``events`` for ``filter`` (shared with the aggregate queries)."""
    conditions = place_and_time_conditions(filter)
    if filter.text:
        conditions.append(EventRow.sentence.icontains(filter.text, autoescape=True))
    if filter.document_id:
        conditions.append(EventRow.document_id == filter.document_id)
    if filter.actor and filter.actor.strip():
        conditions.append(event_names_actor(filter.actor))
    return conditions


def place_and_time_conditions(filter: EventFilter) -> list[ColumnElement[bool]]:
    """Conditions on ``events`` for the date range, place and type of ``filter`` only."""
    conditions: list[ColumnElement[bool]] = []
    if filter.since is not None:
        conditions.append(EventRow.date_start >= filter.since)
    if filter.until is not None:
        conditions.append(EventRow.date_start <= filter.until)
    if filter.country:
        conditions.append(EventRow.country == filter.country.strip().upper())
    if filter.admin1 and filter.admin1.strip():
        conditions.append(func.lower(EventRow.admin1) == filter.admin1.strip().lower())
    if filter.event_type:
        conditions.append(EventRow.event_type == filter.event_type)
    if filter.sub_event_type:
        conditions.append(EventRow.sub_event_type == filter.sub_event_type)
    return conditions


def event_names_actor(actor: str, role: str | None = None) -> ColumnElement[bool]:
    """Condition on ``events``: the event names ``actor`` (in ``role`` when given)."""
    mentions = select(EventActorRow.id).where(
        EventActorRow.event_id == EventRow.id,
        actor_matches(actor, EventActorRow.actor_id, EventActorRow.text),
    )
    if role:
        mentions = mentions.where(EventActorRow.role == role)
    return exists(mentions)


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
    """Ids of canonical actors whose id, name or an alias is ``query``, or a spelling variant of one of
    those ("Tahrik-e-Taleban Pakistan"; ``vigil.store.actor_proposals.variant_actor_ids``)."""
    from vigil.store.actor_proposals import variant_actor_ids  # late: it loads the actor index on first use

    by_actor = select(ActorRow.id).where(
        or_(func.lower(ActorRow.id) == query.lower(), func.lower(ActorRow.name) == query.lower())
    )
    by_alias = select(ActorAliasRow.actor_id).where(ActorAliasRow.normalised == normalise_name(query))
    return by_actor.union(by_alias, *variant_actor_ids(query))


def event_order(order: str) -> list:
    """ORDER BY clauses for an ``EventOrder``; ties always break on the id, newest first."""
    newest = [EventRow.date_start.desc().nulls_last(), EventRow.id.desc()]
    if order == "date":
        return [EventRow.date_start.asc().nulls_last(), EventRow.id.asc()]
    if order == "-date":
        return newest
    if order == "fatalities":
        return [EventRow.fatalities_min.asc().nulls_last(), *newest]
    if order == "-fatalities":
        return [EventRow.fatalities_min.desc().nulls_last(), *newest]
    if order == "country":
        return [EventRow.country.asc().nulls_last(), *newest]
    if order == "type":
        return [EventRow.event_type.asc(), EventRow.sub_event_type.asc(), *newest]
    if order == "-id":
        return [EventRow.id.desc()]
    return [EventRow.id.asc()]
