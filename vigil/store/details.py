"""One fact with its sources: an event, relation, claim, weapon or document, as its page shows it.

Every read returns None for an unknown id. Offsets are character offsets into
the document text (end exclusive). Stored rows keep offsets for actors,
places and weapons; the words of dates, triggers and casualty figures are
located again in the text, inside the fact's own sentence first.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from vigil.store.anchors import concerned
from vigil.store.database import Store
from vigil.store.lists import document_ref, stored_weapon
from vigil.store.mapping import (
    as_utc,
    claim_from_row,
    document_from_row,
    entity_from_row,
    event_from_row,
    extraction_from_row,
    relation_from_row,
)
from vigil.store.tables import ActorRow, ClaimRow, DocumentRow, EventRow, RelationRow, WeaponRow
from vigil.store.views import (
    ClaimDetail,
    DocumentDetail,
    EventDetail,
    EventSource,
    ExtractionSpan,
    FieldSpan,
    RelationDetail,
    StoredClaim,
    StoredEvent,
    StoredRelation,
    StoredWeapon,
)

_ROLE_FIELDS = (("perpetrator", "perpetrators"), ("target", "targets"), ("victim", "victims"))


def get_event(store: Store, event_id: int) -> EventDetail | None:
    """An event with its document, the span of every field, the claims about it and its sources."""
    with store.session() as session:
        row = session.get(
            EventRow, event_id, options=[selectinload(EventRow.actors), selectinload(EventRow.weapons)]
        )
        if row is None:
            return None
        document = session.get(DocumentRow, row.document_id)
        assert document is not None  # a foreign key
        claims = session.scalars(
            select(ClaimRow)
            .where(ClaimRow.document_id == row.document_id, concerned(store.dialect, "event", [EventRow.id == row.id]))
            .order_by(ClaimRow.ordinal)
        ).all()
        event = event_from_row(row)
        ref = document_ref(document)
        return EventDetail(
            id=row.id,
            event=event,
            date_start=row.date_start,
            date_from_document=row.date_from_document,
            document=ref,
            fields=_event_fields(row, document.text),
            claims=[_stored_claim(claim) for claim in claims],
            sources=[
                EventSource(
                    document=ref,
                    quote=row.sentence,
                    start=row.start,
                    end=row.end,
                    fatalities=event.fatalities,
                    injuries=event.injuries,
                    date=event.date,
                )
            ],
        )


def get_relation(store: Store, relation_id: int) -> RelationDetail | None:
    """A relation with its document and the claims of that document about it."""
    with store.session() as session:
        row = session.get(RelationRow, relation_id, options=[selectinload(RelationRow.weapons)])
        if row is None:
            return None
        document = session.get(DocumentRow, row.document_id)
        assert document is not None
        claims = session.scalars(
            select(ClaimRow)
            .where(
                ClaimRow.document_id == row.document_id,
                concerned(store.dialect, "relation", [RelationRow.id == row.id]),
            )
            .order_by(ClaimRow.ordinal)
        ).all()
        return RelationDetail(
            id=row.id,
            relation=relation_from_row(row),
            document=document_ref(document),
            claims=[_stored_claim(claim) for claim in claims],
        )


def get_claim(store: Store, claim_id: int) -> ClaimDetail | None:
    """A claim with its document and the events and relations it concerns."""
    with store.session() as session:
        row = session.get(ClaimRow, claim_id)
        if row is None:
            return None
        document = session.get(DocumentRow, row.document_id)
        assert document is not None
        claim = claim_from_row(row)
        event_ordinals = [c.index for c in claim.concerns if c.kind == "event" and c.index is not None]
        relation_ordinals = [c.index for c in claim.concerns if c.kind == "relation" and c.index is not None]
        events = session.scalars(
            select(EventRow)
            .where(EventRow.document_id == row.document_id, EventRow.ordinal.in_(event_ordinals))
            .options(selectinload(EventRow.actors), selectinload(EventRow.weapons))
            .order_by(EventRow.ordinal)
        ).all()
        relations = session.scalars(
            select(RelationRow)
            .where(RelationRow.document_id == row.document_id, RelationRow.ordinal.in_(relation_ordinals))
            .options(selectinload(RelationRow.weapons))
            .order_by(RelationRow.ordinal)
        ).all()
        return ClaimDetail(
            id=row.id,
            claim=claim,
            document=document_ref(document),
            events=[stored_event(event, document) for event in events],
            relations=[
                StoredRelation(id=r.id, document_id=r.document_id, relation=relation_from_row(r), tlp=r.tlp, org_id=r.org_id) for r in relations
            ],
        )


def get_weapon(store: Store, weapon_id: int) -> StoredWeapon | None:
    """A weapon mention with its document, owner, actors and sentence."""
    with store.session() as session:
        row = session.get(WeaponRow, weapon_id)
        if row is None:
            return None
        document = session.get(DocumentRow, row.document_id)
        assert document is not None
        event = (
            session.get(EventRow, row.event_id, options=[selectinload(EventRow.actors)])
            if row.event_id is not None
            else None
        )
        relation = session.get(RelationRow, row.relation_id) if row.relation_id is not None else None
        weapon = stored_weapon(row, document, event, relation)
        if weapon.sentence is None:
            weapon = weapon.model_copy(update={"sentence": sentence_around(document.text, row.start, row.end)})
        return weapon


def get_document_detail(store: Store, document_id: str) -> DocumentDetail | None:
    """A document, its extraction, and every extracted span with what it resolved to, in text order."""
    with store.session() as session:
        row = session.get(
            DocumentRow,
            document_id,
            options=[
                selectinload(DocumentRow.entities),
                selectinload(DocumentRow.weapons),
                selectinload(DocumentRow.events).selectinload(EventRow.actors),
                selectinload(DocumentRow.events).selectinload(EventRow.weapons),
                selectinload(DocumentRow.relations).selectinload(RelationRow.weapons),
                selectinload(DocumentRow.claims),
            ],
        )
        if row is None:
            return None
        names = _actor_names(session, row)
        spans = _document_spans(row, names)
        return DocumentDetail(
            document=document_from_row(row),
            ingested_at=as_utc(row.ingested_at),
            extraction=extraction_from_row(row),
            spans=sorted(spans, key=lambda s: (s.start, -s.end, s.kind)),
            event_ids=[event.id for event in row.events],
            relation_ids=[relation.id for relation in row.relations],
            claim_ids=[claim.id for claim in row.claims],
        )


def stored_event(row: EventRow, document: DocumentRow) -> StoredEvent:
    return StoredEvent(
        id=row.id,
        document_id=row.document_id,
        document_title=document.title,
        document_published=document.published,
        date_start=row.date_start,
        date_from_document=row.date_from_document,
        event=event_from_row(row),
        tlp=row.tlp,
        org_id=row.org_id,
    )


def locate(text: str, words: str | None, start: int, end: int) -> tuple[int | None, int | None]:
    """Where ``words`` occur: inside ``text[start:end]`` first, then anywhere; (None, None) if absent."""
    if not words:
        return None, None
    found = text.find(words, start, end)
    if found < 0:
        found = text.find(words)
    return (found, found + len(words)) if found >= 0 else (None, None)


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding ``text[start:end]``, cut at full stops and line breaks."""
    left = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    stops = [at for at in (text.find(". ", end), text.find("\n", end)) if at >= 0]
    right = min(stops) + 1 if stops else len(text)
    return text[left:right].strip()


def _event_fields(row: EventRow, text: str) -> list[FieldSpan]:
    fields: list[FieldSpan] = []
    if row.location_text:
        fields.append(FieldSpan(field="location", text=row.location_text, start=row.location_start, end=row.location_end))
    for name, words in (("date", row.date_text), ("trigger", row.trigger)):
        if words:
            start, end = locate(text, words, row.start, row.end)
            fields.append(FieldSpan(field=name, text=words, start=start, end=end))
    for role, _ in _ROLE_FIELDS:
        for actor in sorted((a for a in row.actors if a.role == role), key=lambda a: a.ordinal):
            fields.append(FieldSpan(field=role, text=actor.text, start=actor.start, end=actor.end, actor=actor.actor_id))
    for weapon in row.weapons:
        fields.append(FieldSpan(field="weapon", text=weapon.text, start=weapon.start, end=weapon.end))
    for name, words in (("fatalities", row.fatalities_text), ("injuries", row.injuries_text)):
        if words:
            start, end = locate(text, words, row.start, row.end)
            fields.append(FieldSpan(field=name, text=words, start=start, end=end))
    return fields


def _actor_names(session, row: DocumentRow) -> dict[str, str]:  # noqa: ANN001 (a Session)
    ids = {e.actor_id for e in row.entities if e.actor_id}
    ids |= {a.actor_id for event in row.events for a in event.actors if a.actor_id}
    for relation in row.relations:
        ids |= {relation.source_actor_id, relation.target_actor_id, relation.attributed_to_actor_id}
    for claim in row.claims:
        ids |= {claim.speaker_actor_id, claim.speaker_org_actor_id}
    ids.discard(None)
    if not ids:
        return {}
    return dict(session.execute(select(ActorRow.id, ActorRow.name).where(ActorRow.id.in_(ids))).all())


def _document_spans(row: DocumentRow, names: dict[str, str]) -> list[ExtractionSpan]:
    spans: list[ExtractionSpan] = []
    for entity in row.entities:
        mention = entity_from_row(entity)
        spans.append(
            ExtractionSpan(
                kind="entity", type=mention.type, start=mention.start, end=mention.end, text=mention.text,
                actor_id=mention.actor, actor_name=names.get(mention.actor or ""), place=mention.geo,
            )
        )
    for event in row.events:
        place = event_from_row(event).location
        spans.append(
            ExtractionSpan(
                kind="event", type=event.sub_event_type, start=event.start, end=event.end, text=event.sentence,
                place=place, event_type=event.event_type, fact_id=event.id,
            )
        )
        for actor in event.actors:
            spans.append(
                ExtractionSpan(
                    kind=actor.role, type=actor.kind, start=actor.start, end=actor.end, text=actor.text,
                    actor_id=actor.actor_id, actor_name=names.get(actor.actor_id or ""), fact_id=event.id,
                )
            )
    for relation in row.relations:
        spans.append(
            ExtractionSpan(
                kind="relation", type=relation.type, start=relation.start, end=relation.end, text=relation.sentence,
                actor_id=relation.source_actor_id, actor_name=names.get(relation.source_actor_id or ""),
                fact_id=relation.id,
            )
        )
    for claim in row.claims:
        spans.append(
            ExtractionSpan(
                kind="claim", type=claim.stance, start=claim.start, end=claim.end, text=claim.text,
                actor_id=claim.speaker_org_actor_id or claim.speaker_actor_id,
                actor_name=names.get(claim.speaker_org_actor_id or claim.speaker_actor_id or ""), fact_id=claim.id,
            )
        )
    owned = {(w.start, w.end) for w in row.weapons if w.event_id is not None or w.relation_id is not None}
    seen: set[tuple[int, int]] = set()
    for weapon in sorted(row.weapons, key=lambda w: (w.event_id is None and w.relation_id is None, w.id)):
        key = (weapon.start, weapon.end)
        if key in seen or (weapon.event_id is None and weapon.relation_id is None and key in owned):
            continue
        seen.add(key)
        spans.append(
            ExtractionSpan(
                kind="weapon", type=weapon.weapon_class or "weapon", start=weapon.start, end=weapon.end,
                text=weapon.text, fact_id=weapon.id,
            )
        )
    return spans


def _stored_claim(row: ClaimRow) -> StoredClaim:
    return StoredClaim(id=row.id, document_id=row.document_id, claim=claim_from_row(row), tlp=row.tlp, org_id=row.org_id)


__all__ = [
    "get_claim",
    "get_document_detail",
    "get_event",
    "get_relation",
    "get_weapon",
    "locate",
    "sentence_around",
    "stored_event",
]
