"""One Vigil record -> one stix2 object: actors, places, events, relations, claims, documents.

Pure functions over domain records; ``Stamp`` carries what the export decided for
each object (its id, dates, creator and marking), so these functions never choose
ids or read the store. Vigil-only properties go in Vigil's property extension; the
event is the ``x-vigil-event`` new SDO.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from stix2 import v21

from vigil.model.records import Actor, ActorRef, Claim, Document, Event, Location, Relation, WeaponMention
from vigil.share.stix.extension import clean, event_class, vigil_properties
from vigil.share.stix.ids import timestamp
from vigil.share.stix.spec import load_spec


@dataclass(frozen=True)
class Stamp:
    """The common properties of one exported object."""

    id: str
    created: str
    modified: str
    created_by_ref: str | None
    markings: tuple[str, ...] = ()

    def common(self) -> dict[str, Any]:
        values: dict[str, Any] = {"id": self.id, "created": self.created, "modified": self.modified}
        if self.created_by_ref:
            values["created_by_ref"] = self.created_by_ref
        if self.markings:
            values["object_marking_refs"] = list(self.markings)
        return values


def organisation_identity(stamp: Stamp, name: str, instance_id: str, org_id: str) -> v21.Identity:
    """The organisation of a Vigil instance that created records (``created_by_ref`` of its objects)."""
    return v21.Identity(
        **stamp.common(), name=name, identity_class="organization",
        extensions=vigil_properties({"instance_id": instance_id, "org_id": org_id}),
    )


def actor_object(stamp: Stamp, actor: Actor, parent_ref: str | None) -> Any:
    """A canonical actor: threat-actor (armed groups) or identity, as the mapping says for its kind."""
    mapping = load_spec().actor_kind(actor.kind)
    references = []
    if actor.un_ref:
        references.append(
            clean({"source_name": load_spec().reference("un_sanctions"), "external_id": actor.un_ref, "description": actor.un_list})
        )
    properties = {
        "vigil_id": actor.id, "kind": actor.kind, "country": actor.country, "parent_ref": parent_ref,
        "un_list": actor.un_list, "source": actor.source,
    }
    common = {**stamp.common(), "name": actor.name, "description": actor.description}
    if references:
        common["external_references"] = references
    if mapping["type"] == "threat-actor":
        return v21.ThreatActor(**clean(common), aliases=actor.aliases or None, extensions=vigil_properties(properties))
    if mapping["type"] == "intrusion-set":
        return v21.IntrusionSet(**clean(common), aliases=actor.aliases or None, extensions=vigil_properties(properties))
    return v21.Identity(
        **clean(common), identity_class=mapping.get("identity_class", "organization"), sectors=mapping.get("sectors"),
        extensions=vigil_properties({**properties, "aliases": actor.aliases}),
    )


def mention_identity(stamp: Stamp, ref: ActorRef) -> v21.Identity:
    """An actor named by a report but not resolved to a canonical actor: an identity for its words."""
    return v21.Identity(
        **stamp.common(), name=ref.text, identity_class=load_spec().mention_identity_class(ref.kind),
        extensions=vigil_properties({"mention": True, "kind": ref.kind}),
    )


def has_place(location: Location | None) -> bool:
    """Whether a STIX location can say where: it needs a country, or coordinates."""
    return location is not None and (bool(location.country) or (location.lat is not None and location.lon is not None))


def location_object(stamp: Stamp, location: Location) -> v21.Location:
    values = {
        "name": location.name or location.text, "country": location.country,
        "administrative_area": location.admin1, "city": location.name if location.precision == "place" else None,
        "latitude": location.lat if location.lon is not None else None,
        "longitude": location.lon if location.lat is not None else None,
    }
    return v21.Location(
        **stamp.common(), **clean(values),
        extensions=vigil_properties({"geonames_id": location.geonames_id, "admin2": location.admin2, "precision": location.precision}),
    )


def actor_ref_value(ref: ActorRef, stix_ref: str | None) -> dict[str, Any]:
    """An actor as a fact names it; ``actor_id`` keeps the local id even when no actor object stands for it."""
    return clean({"text": ref.text, "start": ref.start, "end": ref.end, "kind": ref.kind, "actor_ref": stix_ref,
                  "actor_id": ref.actor})


def weapon_value(weapon: WeaponMention) -> dict[str, Any]:
    return clean(weapon.model_dump())


def event_object(
    stamp: Stamp, event: Event, ordinal: int, location_ref: str | None, refs: dict[str, list[str | None]]
) -> Any:
    """An event as ``x-vigil-event``; ``refs`` gives, per role, the STIX ref of each actor (None: words only)."""
    place = event.location
    label = ", ".join(
        part for part in (event.type, place.name or place.country if place else None, event.date) if part
    )
    fatalities, injuries = event.fatalities, event.injuries
    values = {
        "name": label,
        "event_type": event.event_type,
        "sub_event_type": event.type,
        "date": event.date, "date_precision": event.date_precision, "date_text": event.date_text,
        "location_ref": location_ref,
        "location": place.model_dump() if place else None,
        "fatalities_min": fatalities.min if fatalities else None,
        "fatalities_max": fatalities.max if fatalities else None,
        "fatalities_text": fatalities.text if fatalities else None,
        "injuries_min": injuries.min if injuries else None,
        "injuries_max": injuries.max if injuries else None,
        "injuries_text": injuries.text if injuries else None,
        "responsibility": event.responsibility,
        "weapons": [weapon_value(w) for w in event.weapons],
        "evidence": event.sentence, "evidence_start": event.start, "evidence_end": event.end,
        "trigger": event.trigger, "ordinal": ordinal,
        "extraction_confidence": event.confidence, "extractor": event.extractor,
    }
    for role in ("perpetrators", "targets", "victims"):
        values[role] = [actor_ref_value(ref, stix) for ref, stix in zip(getattr(event, role), refs[role])]
    return event_class()(**stamp.common(), **clean(values), confidence=_confidence(event.confidence))


def link_relationship(stamp: Stamp, relationship_type: str, source_ref: str, target_ref: str) -> v21.Relationship:
    """An event tied to an actor (attributed-to, targets) or its place (located-at)."""
    return v21.Relationship(
        **stamp.common(), relationship_type=relationship_type, source_ref=source_ref, target_ref=target_ref,
        allow_custom=True,
    )


def relation_object(
    stamp: Stamp, relation: Relation, ordinal: int, source_ref: str, target_ref: str, refs: dict[str, str | None]
) -> v21.Relationship:
    """A relation between two actors; its words, weapons and evidence in Vigil's properties."""
    by = relation.attributed_to
    properties = {
        "ordinal": ordinal, "start": relation.start, "end": relation.end, "evidence": relation.sentence,
        "source": actor_ref_value(relation.source, refs["source"]),
        "target": actor_ref_value(relation.target, refs["target"]),
        "attributed_to": actor_ref_value(by, refs.get("attributed_to")) if by else None,
        "weapons": [weapon_value(w) for w in relation.weapons],
        "extraction_confidence": relation.confidence, "extractor": relation.extractor,
    }
    return v21.Relationship(
        **stamp.common(), relationship_type=load_spec().relation_types[relation.type], source_ref=source_ref,
        target_ref=target_ref, description=relation.sentence, confidence=_confidence(relation.confidence),
        extensions=vigil_properties(properties), allow_custom=True,
    )


def claim_object(
    stamp: Stamp, claim: Claim, ordinal: int, subject_refs: list[str], speaker_ref: str, refs: dict[str, str | None],
    concerns: list[dict[str, Any]],
) -> Any:
    """A claim as an opinion on its subjects (events, relations), or a note on its speaker when it has none."""
    org = claim.speaker_org
    properties = {
        "ordinal": ordinal, "stance": claim.stance, "start": claim.start, "end": claim.end, "evidence": claim.sentence,
        "quote": claim.text, "date": claim.date,
        "speaker": actor_ref_value(claim.speaker, refs.get("speaker")),
        "speaker_org": actor_ref_value(org, refs.get("speaker_org")) if org else None,
        "concerns": concerns, "extraction_confidence": claim.confidence, "extractor": claim.extractor,
    }
    authors = [claim.speaker.text] + ([org.text] if org else [])
    if subject_refs:
        return v21.Opinion(
            **stamp.common(), opinion=load_spec().opinion(claim.stance, claim.confidence), explanation=claim.text,
            authors=authors, object_refs=subject_refs, confidence=_confidence(claim.confidence),
            extensions=vigil_properties(properties), allow_custom=True,
        )
    return v21.Note(
        **stamp.common(), abstract=f"{claim.speaker.text} {claim.stance}", content=claim.text, authors=authors,
        object_refs=[speaker_ref], confidence=_confidence(claim.confidence), extensions=vigil_properties(properties),
    )


def report_object(
    stamp: Stamp, document: Document, ingested_at: dt.datetime, object_refs: list[str]
) -> v21.Report:
    """A source document: its text as the description, its link and content hash as external references."""
    references = [{"source_name": load_spec().reference("content_hash"), "external_id": document.content_hash,
                   "description": "SHA-256 of the report's text with whitespace normalised (Vigil's content hash)"}]
    if document.url:
        references.insert(0, {"source_name": document.publisher or load_spec().reference("document_url"), "url": document.url})
    published = timestamp(document.published) if document.published else timestamp(ingested_at)
    properties = {
        "document_id": document.id, "publisher": document.publisher, "source": document.source,
        "media_type": document.media_type, "licence": document.licence, "attribution": document.attribution,
        "published_date": document.published.isoformat() if document.published else None,
    }
    return v21.Report(
        **stamp.common(), name=document.title or document.id, description=document.text, published=published,
        report_types=load_spec().report_types, object_refs=object_refs, lang=document.language,
        external_references=references, extensions=vigil_properties(properties), allow_custom=True,
    )


def _confidence(value: float) -> int:
    """Vigil's 0-1 extraction confidence on STIX's 0-100 scale."""
    return max(0, min(100, round(value * 100)))
