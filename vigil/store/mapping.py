"""Records <-> rows: the one place that knows both shapes.

``document_to_row`` and ``extraction_to_rows`` build the rows of one document
as plain column dicts (the repository writes them with bulk inserts);
``*_from_row`` functions rebuild the domain records from ORM rows when reading
back. Actors are still written through ORM rows (``actor_to_row``).
Storage-only values (the ``date_start`` used for range filters, the order of
facts) are derived here too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from vigil.model.access import Tlp
from vigil.model.records import (
    Actor,
    ActorRef,
    Bounds,
    Claim,
    Concern,
    Document,
    EntityMention,
    Event,
    Extraction,
    Location,
    Relation,
    WeaponMention,
)
from vigil.store.tables import (
    ActorAliasRow,
    ActorRow,
    ClaimRow,
    DocumentRow,
    EntityRow,
    EventRow,
    RelationRow,
    WeaponRow,
)

ROLES = ("perpetrator", "target", "victim")
_ROLE_FIELDS = {"perpetrator": "perpetrators", "target": "targets", "victim": "victims"}
_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})(?:-\d)?$")


def normalise_name(name: str) -> str:
    """Comparable form of an actor name or alias: no accents, case or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def period_start(value: str | None) -> dt.date | None:
    """First day of the period an ISO date names: 2023-07-30, 2023-07, 2023, 2023-W31."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 1, 1)
        if len(text) == 7 and text[4] == "-":
            return dt.date(int(text[:4]), int(text[5:7]), 1)
        week = _WEEK.match(text)
        if week:
            return dt.date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


# ---------------------------------------------------------------- records -> rows


def document_to_row(document: Document, ingested_at: dt.datetime) -> dict[str, Any]:
    return {
        "id": document.id,
        "content_hash": document.content_hash,
        "text": document.text,
        "title": document.title,
        "publisher": document.publisher,
        "url": document.url,
        "published": document.published,
        "language": document.language,
        "source": document.source,
        "media_type": document.media_type,
        "licence": document.licence,
        "attribution": document.attribution,
        "ingested_at": ingested_at,
        **marking_of(document),
        "origin_instance": document.origin_instance,
        "origin_org": document.origin_org,
    }


def marking_of(document: Document) -> dict[str, Any]:
    """The marking columns a document passes on to every fact extracted from it."""
    return {"tlp": Tlp(document.tlp).value, "org_id": document.org_id}


@dataclass
class ExtractionRows:
    """The rows of one extraction, as plain column dicts for bulk inserts.

    Events and relations get their ids only once inserted, so the rows that
    hang off them (event actors, event and relation weapons) are kept per
    parent, in the parent's order; ``link`` fills in the parent ids.
    """

    entities: list[dict[str, Any]] = field(default_factory=list)
    weapons: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    event_actors: list[list[dict[str, Any]]] = field(default_factory=list)
    event_weapons: list[list[dict[str, Any]]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    relation_weapons: list[list[dict[str, Any]]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)

    def link(self, event_ids: list[int], relation_ids: list[int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The event-actor and weapon rows of events and relations, with their parent ids set."""
        actors = [
            {**row, "event_id": event_id}
            for event_id, rows in zip(event_ids, self.event_actors, strict=True)
            for row in rows
        ]
        weapons = [
            {**row, "event_id": event_id}
            for event_id, rows in zip(event_ids, self.event_weapons, strict=True)
            for row in rows
        ] + [
            {**row, "relation_id": relation_id}
            for relation_id, rows in zip(relation_ids, self.relation_weapons, strict=True)
            for row in rows
        ]
        return actors, weapons

    def counts(self) -> dict[str, int]:
        return {
            "entities": len(self.entities),
            "events": len(self.events),
            "event_actors": sum(map(len, self.event_actors)),
            "relations": len(self.relations),
            "claims": len(self.claims),
            "weapons": len(self.weapons) + sum(map(len, self.event_weapons)) + sum(map(len, self.relation_weapons)),
        }


def extraction_to_rows(
    extraction: Extraction,
    document_id: str,
    published: dt.date | None,
    marking: dict[str, Any] | None = None,
) -> ExtractionRows:
    """The rows for every fact of ``extraction``, belonging to document ``document_id``.

    ``marking`` (``marking_of(document)``) is copied to every marked fact row, so the
    query-level policy reads a fact's marking without joining its document.
    """
    rows = _fact_rows(extraction, document_id, published)
    marking = marking or {"tlp": Tlp.CLEAR.value, "org_id": None}
    for row in (*rows.events, *rows.relations, *rows.claims, *rows.weapons):
        row.update(marking)
    for group in (*rows.event_weapons, *rows.relation_weapons):
        for row in group:
            row.update(marking)
    return rows


def _fact_rows(extraction: Extraction, document_id: str, published: dt.date | None) -> ExtractionRows:
    rows = ExtractionRows(
        entities=[entity_to_row(entity, i, document_id) for i, entity in enumerate(extraction.entities)],
        weapons=[weapon_to_row(weapon, i, document_id) for i, weapon in enumerate(extraction.weapons)],
        events=[event_to_row(event, i, document_id, published) for i, event in enumerate(extraction.events)],
        relations=[relation_to_row(relation, i, document_id) for i, relation in enumerate(extraction.relations)],
        claims=[claim_to_row(claim, i, document_id) for i, claim in enumerate(extraction.claims)],
    )
    for event in extraction.events:
        rows.event_actors.append(
            [
                {
                    "event_id": None,
                    "role": role,
                    "ordinal": i,
                    "actor_id": ref.actor,
                    "text": ref.text,
                    "start": ref.start,
                    "end": ref.end,
                    "kind": ref.kind,
                }
                for role in ROLES
                for i, ref in enumerate(getattr(event, _ROLE_FIELDS[role]))
            ]
        )
        rows.event_weapons.append([weapon_to_row(weapon, i, document_id) for i, weapon in enumerate(event.weapons)])
    for relation in extraction.relations:
        rows.relation_weapons.append(
            [weapon_to_row(weapon, i, document_id) for i, weapon in enumerate(relation.weapons)]
        )
    return rows


def entity_to_row(entity: EntityMention, ordinal: int, document_id: str) -> dict[str, Any]:
    geo = entity.geo or Location()
    return {
        "document_id": document_id,
        "ordinal": ordinal,
        "start": entity.start,
        "end": entity.end,
        "text": entity.text,
        "type": entity.type,
        "actor_id": entity.actor,
        "extractor": entity.extractor,
        "geo_text": geo.text,
        "geo_start": geo.start,
        "geo_end": geo.end,
        "geo_name": geo.name,
        "admin1": geo.admin1,
        "admin2": geo.admin2,
        "country": geo.country,
        "lat": geo.lat,
        "lon": geo.lon,
        "geonames_id": geo.geonames_id,
        "geo_precision": geo.precision,
    }


def weapon_to_row(weapon: WeaponMention, ordinal: int, document_id: str) -> dict[str, Any]:
    """A weapon of the document; ``ExtractionRows.link`` sets the event or relation it belongs to."""
    return {
        "document_id": document_id,
        "event_id": None,
        "relation_id": None,
        "ordinal": ordinal,
        "start": weapon.start,
        "end": weapon.end,
        "text": weapon.text,
        "weapon_class": weapon.weapon_class,
        "calibre": weapon.calibre,
        "model": weapon.model,
        "origin": weapon.origin,
    }


def event_to_row(event: Event, ordinal: int, document_id: str, published: dt.date | None) -> dict[str, Any]:
    own_start = period_start(event.date)
    location = event.location or Location()
    fatalities = event.fatalities or Bounds()
    injuries = event.injuries or Bounds()
    return {
        "document_id": document_id,
        "ordinal": ordinal,
        "start": event.start,
        "end": event.end,
        "sentence": event.sentence,
        "trigger": event.trigger,
        "event_type": event.event_type,
        "sub_event_type": event.type,
        "date": event.date,
        "date_start": own_start if own_start is not None else published,
        "date_from_document": own_start is None and published is not None,
        "date_precision": event.date_precision,
        "date_text": event.date_text,
        "location_text": location.text,
        "location_start": location.start,
        "location_end": location.end,
        "location_name": location.name,
        "admin1": location.admin1,
        "admin2": location.admin2,
        "country": location.country,
        "lat": location.lat,
        "lon": location.lon,
        "geonames_id": location.geonames_id,
        "location_precision": location.precision,
        "fatalities_min": fatalities.min,
        "fatalities_max": fatalities.max,
        "fatalities_text": fatalities.text,
        "injuries_min": injuries.min,
        "injuries_max": injuries.max,
        "injuries_text": injuries.text,
        "responsibility": event.responsibility,
        "confidence": event.confidence,
        "extractor": event.extractor,
    }


def relation_to_row(relation: Relation, ordinal: int, document_id: str) -> dict[str, Any]:
    return {
        "document_id": document_id,
        "ordinal": ordinal,
        "type": relation.type,
        "start": relation.start,
        "end": relation.end,
        "sentence": relation.sentence,
        "confidence": relation.confidence,
        "extractor": relation.extractor,
        **_ref_columns("source", relation.source),
        **_ref_columns("target", relation.target),
        **_ref_columns("attributed_to", relation.attributed_to),
    }


def claim_to_row(claim: Claim, ordinal: int, document_id: str) -> dict[str, Any]:
    return {
        "document_id": document_id,
        "ordinal": ordinal,
        "stance": claim.stance,
        "start": claim.start,
        "end": claim.end,
        "text": claim.text,
        "sentence": claim.sentence,
        "date": claim.date,
        "concerns": [concern.model_dump(mode="json") for concern in claim.concerns],
        "confidence": claim.confidence,
        "extractor": claim.extractor,
        **_ref_columns("speaker", claim.speaker),
        **_ref_columns("speaker_org", claim.speaker_org),
    }


def actor_to_row(actor: Actor) -> ActorRow:
    row = ActorRow(id=actor.id)
    update_actor_row(row, actor)
    return row


def update_actor_row(row: ActorRow, actor: Actor) -> bool:
    """Make ``row`` say what ``actor`` says; True when anything changed."""
    changed = False
    for column, value in _actor_columns(actor).items():
        if getattr(row, column, None) != value:
            setattr(row, column, value)
            changed = True
    wanted = list(dict.fromkeys(alias for alias in actor.aliases if alias.strip()))
    if [alias.alias for alias in row.aliases] != wanted:
        kept = {alias.alias: alias for alias in row.aliases}
        row.aliases = [kept.get(alias) or ActorAliasRow(alias=alias, normalised=normalise_name(alias)) for alias in wanted]
        changed = True
    return changed


def _actor_columns(actor: Actor) -> dict[str, Any]:
    return {
        "name": actor.name,
        "kind": actor.kind,
        "country": actor.country,
        "parent_id": actor.parent,
        "un_ref": actor.un_ref,
        "un_list": actor.un_list,
        "description": actor.description,
        "source": actor.source,
    }


def _ref_columns(prefix: str, ref: ActorRef | None) -> dict[str, Any]:
    if ref is None:
        return {f"{prefix}_{name}": None for name in ("actor_id", "text", "start", "end", "kind")}
    return {
        f"{prefix}_actor_id": ref.actor,
        f"{prefix}_text": ref.text,
        f"{prefix}_start": ref.start,
        f"{prefix}_end": ref.end,
        f"{prefix}_kind": ref.kind,
    }


# ---------------------------------------------------------------- rows -> records


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Timestamps are written in UTC; SQLite gives them back without a zone."""
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)


def document_from_row(row: DocumentRow) -> Document:
    return Document(
        id=row.id,
        text=row.text,
        title=row.title,
        publisher=row.publisher,
        url=row.url,
        published=row.published,
        language=row.language,
        content_hash=row.content_hash,
        source=row.source,
        media_type=row.media_type,
        licence=row.licence,
        attribution=row.attribution,
        tlp=row.tlp,
        org_id=row.org_id,
        origin_instance=row.origin_instance,
        origin_org=row.origin_org,
    )


def extraction_from_row(row: DocumentRow) -> Extraction:
    """The extraction stored with a document (its id is the document id)."""
    return Extraction(
        id=row.id,
        entities=[entity_from_row(entity) for entity in row.entities],
        events=[event_from_row(event) for event in row.events],
        relations=[relation_from_row(relation) for relation in row.relations],
        claims=[claim_from_row(claim) for claim in row.claims],
        weapons=[weapon_from_row(w) for w in row.weapons if w.event_id is None and w.relation_id is None],
    )


def entity_from_row(row: EntityRow) -> EntityMention:
    geo = _location(
        text=row.geo_text,
        start=row.geo_start,
        end=row.geo_end,
        name=row.geo_name,
        admin1=row.admin1,
        admin2=row.admin2,
        country=row.country,
        lat=row.lat,
        lon=row.lon,
        geonames_id=row.geonames_id,
        precision=row.geo_precision,
    )
    return EntityMention(
        start=row.start,
        end=row.end,
        text=row.text,
        type=row.type,  # type: ignore[arg-type]
        actor=row.actor_id,
        geo=geo,
        extractor=row.extractor,
    )


def weapon_from_row(row: WeaponRow) -> WeaponMention:
    return WeaponMention(
        start=row.start,
        end=row.end,
        text=row.text,
        weapon_class=row.weapon_class,
        calibre=row.calibre,
        model=row.model,
        origin=row.origin,
    )


def event_from_row(row: EventRow) -> Event:
    refs: dict[str, list[ActorRef]] = {field: [] for field in _ROLE_FIELDS.values()}
    for actor in sorted(row.actors, key=lambda a: (ROLES.index(a.role), a.ordinal)):
        refs[_ROLE_FIELDS[actor.role]].append(
            ActorRef(start=actor.start, end=actor.end, text=actor.text, kind=actor.kind, actor=actor.actor_id)  # type: ignore[arg-type]
        )
    return Event(
        type=row.sub_event_type,
        event_type=row.event_type,
        start=row.start,
        end=row.end,
        sentence=row.sentence,
        trigger=row.trigger,
        date=row.date,
        date_precision=row.date_precision,  # type: ignore[arg-type]
        date_text=row.date_text,
        location=_location(
            text=row.location_text,
            start=row.location_start,
            end=row.location_end,
            name=row.location_name,
            admin1=row.admin1,
            admin2=row.admin2,
            country=row.country,
            lat=row.lat,
            lon=row.lon,
            geonames_id=row.geonames_id,
            precision=row.location_precision,
        ),
        weapons=[weapon_from_row(weapon) for weapon in row.weapons],
        fatalities=_bounds(row.fatalities_min, row.fatalities_max, row.fatalities_text),
        injuries=_bounds(row.injuries_min, row.injuries_max, row.injuries_text),
        responsibility=row.responsibility,  # type: ignore[arg-type]
        confidence=row.confidence,
        extractor=row.extractor,
        **refs,
    )


def relation_from_row(row: RelationRow) -> Relation:
    source = _ref(row, "source")
    target = _ref(row, "target")
    assert source is not None and target is not None  # NOT NULL columns
    return Relation(
        type=row.type,  # type: ignore[arg-type]
        source=source,
        target=target,
        weapons=[weapon_from_row(weapon) for weapon in row.weapons],
        start=row.start,
        end=row.end,
        sentence=row.sentence,
        attributed_to=_ref(row, "attributed_to"),
        confidence=row.confidence,
        extractor=row.extractor,
    )


def claim_from_row(row: ClaimRow) -> Claim:
    speaker = _ref(row, "speaker")
    assert speaker is not None  # NOT NULL columns
    return Claim(
        speaker=speaker,
        speaker_org=_ref(row, "speaker_org"),
        stance=row.stance,  # type: ignore[arg-type]
        start=row.start,
        end=row.end,
        text=row.text,
        sentence=row.sentence,
        date=row.date,
        concerns=[Concern.model_validate(concern) for concern in row.concerns or []],
        confidence=row.confidence,
        extractor=row.extractor,
    )


def actor_from_row(row: ActorRow) -> Actor:
    return Actor(
        id=row.id,
        name=row.name,
        kind=row.kind,  # type: ignore[arg-type]
        aliases=[alias.alias for alias in row.aliases],
        country=row.country,
        parent=row.parent_id,
        un_ref=row.un_ref,
        un_list=row.un_list,
        description=row.description,
        source=row.source,
    )


def _ref(row: Any, prefix: str) -> ActorRef | None:
    text = getattr(row, f"{prefix}_text")
    if text is None:
        return None
    return ActorRef(
        start=getattr(row, f"{prefix}_start"),
        end=getattr(row, f"{prefix}_end"),
        text=text,
        kind=getattr(row, f"{prefix}_kind"),
        actor=getattr(row, f"{prefix}_actor_id"),
    )


def _location(**fields: Any) -> Location | None:
    if all(value is None for value in fields.values()):
        return None
    return Location(**fields)


def _bounds(low: int | None, high: int | None, text: str | None) -> Bounds | None:
    if low is None and high is None and text is None:
        return None
    return Bounds(min=low, max=high, text=text)
