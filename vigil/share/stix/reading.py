"""One STIX object -> Vigil record parts: events, relations, claims, documents, actors.

Pure functions over the JSON objects of a bundle (already checked by stix2).
Objects written by Vigil carry everything in the ``x-vigil-event`` properties and
Vigil's property extension; objects from other tools are read from their
standard properties where that is enough (a relationship of one of Vigil's
relation types between two actors, an opinion on an event). ``resolve`` turns a
STIX ref into a canonical actor id (None: an actor known only by its words).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from vigil.model.access import Tlp
from vigil.model.records import (
    Actor,
    ActorRef,
    Bounds,
    Claim,
    Concern,
    Document,
    Event,
    Location,
    Relation,
    WeaponMention,
)
from vigil.share.stix.extension import read_vigil_properties
from vigil.share.stix.ids import parse_timestamp
from vigil.share.stix.spec import load_spec

Resolve = Callable[[str | None], str | None]
UN_REFERENCE = re.compile(r"^Q[DI][ei]\.\d+$")
ACTOR_TYPES = ("threat-actor", "intrusion-set", "identity")


def is_mention(obj: Mapping[str, Any]) -> bool:
    """An identity Vigil wrote for an actor known only by the words of a report."""
    return bool((read_vigil_properties(obj) or {}).get("mention"))


def is_producer(obj: Mapping[str, Any]) -> bool:
    """An identity Vigil wrote for an organisation of an instance (a creator, not an actor)."""
    return obj.get("type") == "identity" and "instance_id" in (read_vigil_properties(obj) or {})


def un_reference(obj: Mapping[str, Any]) -> str | None:
    source = load_spec().reference("un_sanctions")
    for reference in obj.get("external_references") or ():
        external = str(reference.get("external_id") or "").strip()
        if external and (reference.get("source_name") == source or UN_REFERENCE.match(external)):
            return external
    return None


def actor_names(obj: Mapping[str, Any]) -> list[str]:
    props = read_vigil_properties(obj) or {}
    return [str(obj.get("name") or ""), *(obj.get("aliases") or ()), *(props.get("aliases") or ())]


def actor_kind(obj: Mapping[str, Any]) -> str:
    """The Vigil kind of an actor object: Vigil's own property, else from its type, class and sectors."""
    props = read_vigil_properties(obj) or {}
    table = load_spec().import_actor_types
    if props.get("kind") in set(table.values()) | set(load_spec().raw["actor_kinds"]):
        return str(props["kind"])
    if obj["type"] != "identity":
        return table[obj["type"]]
    for sector in obj.get("sectors") or ():
        if f"sector:{sector}" in table:
            return table[f"sector:{sector}"]
    return table.get(f"identity:{obj.get('identity_class', 'unknown')}", "organisation")


def new_actor(obj: Mapping[str, Any], actor_id: str, parent: str | None) -> Actor:
    """A canonical actor created from an actor object no local actor matched."""
    props = read_vigil_properties(obj) or {}
    names = [name for name in actor_names(obj)[1:] if name and name != obj.get("name")]
    country = props.get("country") if isinstance(props.get("country"), str) and len(props["country"]) == 2 else None
    return Actor(
        id=actor_id, name=str(obj.get("name") or actor_id), kind=actor_kind(obj),  # type: ignore[arg-type]
        aliases=list(dict.fromkeys(names)), country=country, parent=parent, un_ref=un_reference(obj),
        un_list=props.get("un_list"), description=obj.get("description"), source="stix",
    )


def actor_ref(value: Mapping[str, Any] | None, resolve: Resolve, default_text: str = "") -> ActorRef | None:
    """An actor named in a fact: resolved through its STIX ref, else the Vigil actor id it carries (actor ids
    in facts are not foreign keys: an id this store's gazetteer lacks is kept, as extraction keeps it)."""
    if not value:
        return None
    kind = value.get("kind") if value.get("kind") in ("organisation", "person") else "organisation"
    actor = resolve(value.get("actor_ref"))
    if actor is None and value.get("actor_id"):
        actor = str(value["actor_id"])
    return ActorRef(
        text=str(value.get("text") or default_text), start=int(value.get("start") or 0), end=int(value.get("end") or 0),
        kind=kind, actor=actor,
    )


def location(event: Mapping[str, Any], locations: Mapping[str, Mapping[str, Any]]) -> Location | None:
    """The event's place: its own ``location`` property, else what its location object says."""
    if isinstance(event.get("location"), Mapping):
        return Location.model_validate(dict(event["location"]))
    place = locations.get(event.get("location_ref") or "")
    if place is None:
        return None
    props = read_vigil_properties(place) or {}
    return Location(
        name=place.get("name") or place.get("city"), admin1=place.get("administrative_area"), admin2=props.get("admin2"),
        country=place.get("country"), lat=place.get("latitude"), lon=place.get("longitude"),
        geonames_id=props.get("geonames_id"), precision=props.get("precision"),
    )


def event_record(obj: Mapping[str, Any], locations: Mapping[str, Mapping[str, Any]], resolve: Resolve) -> Event:
    def bounds(prefix: str) -> Bounds | None:
        low, high, words = obj.get(f"{prefix}_min"), obj.get(f"{prefix}_max"), obj.get(f"{prefix}_text")
        return Bounds(min=low, max=high, text=words) if any(v is not None for v in (low, high, words)) else None

    refs = {role: [actor_ref(value, resolve) for value in obj.get(role) or ()] for role in ("perpetrators", "targets", "victims")}
    return Event(
        type=obj["sub_event_type"], event_type=obj["event_type"],
        start=int(obj.get("evidence_start") or 0), end=int(obj.get("evidence_end") or 0),
        sentence=str(obj.get("evidence") or obj.get("name") or ""), trigger=obj.get("trigger"),
        date=obj.get("date"), date_precision=obj.get("date_precision"), date_text=obj.get("date_text"),
        location=location(obj, locations), weapons=[WeaponMention.model_validate(dict(w)) for w in obj.get("weapons") or ()],
        fatalities=bounds("fatalities"), injuries=bounds("injuries"), responsibility=obj.get("responsibility"),
        confidence=_confidence(obj), extractor=str(obj.get("extractor") or "stix"),
        **{role: [ref for ref in found if ref] for role, found in refs.items()},
    )


def relation_record(obj: Mapping[str, Any], names: Mapping[str, str], resolve: Resolve) -> Relation:
    """A relationship of one of Vigil's relation types; its words from Vigil's properties, else the actors' names."""
    props = read_vigil_properties(obj) or {}
    source = actor_ref(props.get("source"), resolve) or actor_ref(
        {"text": names.get(obj["source_ref"], ""), "actor_ref": obj["source_ref"]}, resolve
    )
    target = actor_ref(props.get("target"), resolve) or actor_ref(
        {"text": names.get(obj["target_ref"], ""), "actor_ref": obj["target_ref"]}, resolve
    )
    return Relation(
        type=load_spec().relation_types_back[obj["relationship_type"]],  # type: ignore[arg-type]
        source=source, target=target,  # type: ignore[arg-type]
        weapons=[WeaponMention.model_validate(dict(w)) for w in props.get("weapons") or ()],
        start=int(props.get("start") or 0), end=int(props.get("end") or 0),
        sentence=str(props.get("evidence") or obj.get("description") or ""),
        attributed_to=actor_ref(props.get("attributed_to"), resolve),
        confidence=_confidence(props, obj), extractor=str(props.get("extractor") or "stix"),
    )


def claim_record(obj: Mapping[str, Any], subjects: Mapping[str, tuple[str, int]], resolve: Resolve) -> Claim | None:
    """An opinion or note as a claim (None: a neutral opinion, which is no assertion or denial)."""
    props = read_vigil_properties(obj) or {}
    stance = props.get("stance") or load_spec().stance_of(str(obj.get("opinion") or ""))
    if stance not in ("asserts", "denies"):
        return None
    authors = list(obj.get("authors") or ())
    speaker = actor_ref(props.get("speaker"), resolve) or ActorRef(text=authors[0] if authors else "unknown", start=0, end=0)
    concerns: list[Concern] = []
    listed = props.get("concerns")
    if listed is None:  # not written by Vigil: its subjects are what it is about
        listed = [{"ref": ref} for ref in obj.get("object_refs") or ()]
    for concern in listed:
        found = subjects.get(concern.get("ref") or "")
        if found:
            concerns.append(Concern(kind=found[0], index=found[1]))  # type: ignore[arg-type]
        elif concern.get("kind") == "statement" or concern.get("text"):
            concerns.append(Concern(kind="statement", text=concern.get("text")))
    quote = props.get("quote") or obj.get("explanation") or obj.get("content") or ""
    return Claim(
        speaker=speaker, speaker_org=actor_ref(props.get("speaker_org"), resolve), stance=stance,
        start=int(props.get("start") or 0), end=int(props.get("end") or 0), text=str(quote),
        sentence=str(props.get("evidence") or quote), date=props.get("date"), concerns=concerns,
        confidence=_confidence(props, obj), extractor=str(props.get("extractor") or "stix"),
    )


def document_record(
    obj: Mapping[str, Any], *, tlp: Tlp, org_id: str | None, origin_instance: str | None, origin_org: str | None
) -> Document:
    """A report as a document: its text from the description (else its name)."""
    props = read_vigil_properties(obj) or {}
    url = publisher = None
    for reference in obj.get("external_references") or ():
        if reference.get("url") and url is None:
            url, publisher = reference["url"], reference.get("source_name")
    if publisher == load_spec().reference("document_url"):
        publisher = None
    text = str(obj.get("description") or obj.get("name") or obj["id"])
    published = _date(props.get("published_date")) or _published(obj.get("published"))
    return Document.from_text(
        text, title=obj.get("name"), publisher=props.get("publisher") or publisher, url=url, published=published,
        language=str(obj.get("lang") or "en"), source=props.get("source") or f"stix:{obj['id']}",
        media_type=props.get("media_type"), licence=props.get("licence"), attribution=props.get("attribution"),
        tlp=tlp, org_id=org_id, origin_instance=origin_instance, origin_org=origin_org,
    )


def order_key(obj: Mapping[str, Any]) -> tuple[int, int, str]:
    """Facts keep the order they had in their report (``ordinal``), else their position in the text."""
    props = obj if obj.get("type") == load_spec().event_type else (read_vigil_properties(obj) or {})
    ordinal = props.get("ordinal")
    start = props.get("evidence_start", props.get("start"))
    return (int(ordinal) if ordinal is not None else 1 << 30, int(start or 0), obj["id"])


def _confidence(props: Mapping[str, Any], obj: Mapping[str, Any] | None = None) -> float:
    if props.get("extraction_confidence") is not None:
        return float(props["extraction_confidence"])
    common = (obj or props).get("confidence")
    return float(common) / 100 if common is not None else 0.5


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _published(value: object) -> dt.date | None:
    moment = parse_timestamp(value)
    return moment.date() if moment else None
