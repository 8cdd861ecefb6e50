"""Where and when a relation, claim or weapon is: through its event, else through its document.

Only events have a date and a place. A weapon of an event takes the event's;
a claim takes those of the events it concerns; anything else (relations,
document weapons, claims about statements) takes its document's: the
publication date, and the countries, provinces and event types of the
document's events. So "claims in PK in 2023" are the claims about events in
PK in 2023, plus the claims about no event in documents published in 2023 that
report an event in PK.

A claim names what it concerns by index into its extraction (stored as JSON);
``concerned`` reads that list in SQL on SQLite (``json_each``) and PostgreSQL
(``json_array_elements``).
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import ColumnElement, Integer, and_, cast, exists, func, not_, or_, select
from sqlalchemy.orm import aliased

from vigil.store.filters import EventFilter, actor_matches, place_and_time_conditions
from vigil.store.tables import ClaimRow, DocumentRow, EventActorRow, EventRow, RelationRow, WeaponRow


def document_place_and_time(filter: EventFilter, document_id) -> list[ColumnElement[bool]]:  # noqa: ANN001 (a column)
    """Conditions on a document id column: published in the range, and an event of the place and type."""
    conditions: list[ColumnElement[bool]] = []
    published = []
    if filter.since is not None:
        published.append(DocumentRow.published >= filter.since)
    if filter.until is not None:
        published.append(DocumentRow.published <= filter.until)
    if published:
        conditions.append(document_id.in_(select(DocumentRow.id).where(*published)))
    undated = EventFilter(
        country=filter.country, admin1=filter.admin1, event_type=filter.event_type, sub_event_type=filter.sub_event_type
    )
    place = place_and_time_conditions(undated)
    if place:
        conditions.append(document_id.in_(select(EventRow.document_id).where(*place)))
    return conditions


def relation_conditions(filter: EventFilter) -> list[ColumnElement[bool]]:
    """Conditions on ``relations``: place and time through the document; actor as source or target."""
    conditions = document_place_and_time(filter, RelationRow.document_id)
    if filter.actor and filter.actor.strip():
        conditions.append(
            or_(
                actor_matches(filter.actor, RelationRow.source_actor_id, RelationRow.source_text),
                actor_matches(filter.actor, RelationRow.target_actor_id, RelationRow.target_text),
            )
        )
    if filter.text:
        conditions.append(RelationRow.sentence.icontains(filter.text, autoescape=True))
    if filter.document_id:
        conditions.append(RelationRow.document_id == filter.document_id)
    return conditions


def claim_conditions(filter: EventFilter, dialect: str) -> list[ColumnElement[bool]]:
    """Conditions on ``claims``: place and time through the concerned events, else the document."""
    conditions: list[ColumnElement[bool]] = []
    place = place_and_time_conditions(filter)
    if place:
        conditions.append(
            or_(
                concerned(dialect, "event", place),
                and_(not_(concerned(dialect, "event", [])), *document_place_and_time(filter, ClaimRow.document_id)),
            )
        )
    if filter.actor and filter.actor.strip():
        conditions.append(
            or_(
                actor_matches(filter.actor, ClaimRow.speaker_actor_id, ClaimRow.speaker_text),
                actor_matches(filter.actor, ClaimRow.speaker_org_actor_id, ClaimRow.speaker_org_text),
            )
        )
    if filter.text:
        needle = filter.text
        conditions.append(
            or_(ClaimRow.text.icontains(needle, autoescape=True), ClaimRow.sentence.icontains(needle, autoescape=True))
        )
    if filter.document_id:
        conditions.append(ClaimRow.document_id == filter.document_id)
    return conditions


def weapon_conditions(filter: EventFilter) -> list[ColumnElement[bool]]:
    """Conditions on ``weapons``: place, time and actor through the event, else the relation or document.

    Document-level copies of owned mentions are left out (see ``owned_mentions``).
    """
    conditions: list[ColumnElement[bool]] = [owned_mentions()]
    place = place_and_time_conditions(filter)
    if place:
        of_event = WeaponRow.event_id.in_(select(EventRow.id).where(*place))
        conditions.append(
            or_(of_event, and_(WeaponRow.event_id.is_(None), *document_place_and_time(filter, WeaponRow.document_id)))
        )
    if filter.actor and filter.actor.strip():
        by_event = select(EventActorRow.event_id).where(
            actor_matches(filter.actor, EventActorRow.actor_id, EventActorRow.text)
        )
        by_relation = select(RelationRow.id).where(*relation_conditions(EventFilter(actor=filter.actor)))
        conditions.append(or_(WeaponRow.event_id.in_(by_event), WeaponRow.relation_id.in_(by_relation)))
    if filter.text:
        needle = filter.text
        conditions.append(
            or_(
                WeaponRow.text.icontains(needle, autoescape=True),
                WeaponRow.weapon_class.icontains(needle, autoescape=True),
                WeaponRow.model.icontains(needle, autoescape=True),
                WeaponRow.origin.icontains(needle, autoescape=True),
            )
        )
    if filter.document_id:
        conditions.append(WeaponRow.document_id == filter.document_id)
    return conditions


def owned_mentions() -> ColumnElement[bool]:
    """Condition on ``weapons``: drop a document-level mention that an event or relation of the document repeats.

    The pipeline lists every weapon of a document once at document level and
    again under the event or relation it belongs to; lists and counts keep the
    owned copy, with its actors.
    """
    other = aliased(WeaponRow)
    owned_copy = select(other.id).where(
        other.document_id == WeaponRow.document_id,
        other.start == WeaponRow.start,
        other.end == WeaponRow.end,
        or_(other.event_id.is_not(None), other.relation_id.is_not(None)),
    )
    return not_(and_(WeaponRow.event_id.is_(None), WeaponRow.relation_id.is_(None), exists(owned_copy)))


def concerned(dialect: str, kind: Literal["event", "relation"], conditions: list) -> ColumnElement[bool]:
    """Condition on ``claims``: the claim concerns an event (or relation) of its document meeting ``conditions``."""
    items, item_kind, item_index = _concerns(dialect)
    row = EventRow if kind == "event" else RelationRow
    linked = (
        select(row.id)
        .select_from(items)
        .join(row, and_(row.document_id == ClaimRow.document_id, row.ordinal == item_index))
        .where(item_kind == kind, *conditions)
    )
    return exists(linked)


def _concerns(dialect: str):  # noqa: ANN202 (a table-valued function and two column expressions)
    """The enclosing claim's concerns as rows, with their kind and index."""
    if dialect == "postgresql":
        items = func.json_array_elements(ClaimRow.concerns).table_valued("value").alias("concern")
        return items, items.c.value.op("->>")("kind"), cast(items.c.value.op("->>")("index"), Integer)
    items = func.json_each(ClaimRow.concerns).table_valued("value").alias("concern")
    return items, func.json_extract(items.c.value, "$.kind"), func.json_extract(items.c.value, "$.index")
