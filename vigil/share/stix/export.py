"""Export a selection of stored records as one STIX 2.1 bundle.

The selection is an ``EventFilter`` (the events, relations and claims the lists
would show, with the claims' subjects) or a list of documents (all their facts).
Everything is read through the store's read functions, so the viewer's access
policy applies; ``ExportOptions.max_tlp`` also leaves out records above a ceiling
(a partner never gets more than its ceiling, and never RED).

Ids are deterministic (uuid5 of this instance and the record's local id) and a
record that came from a STIX import keeps its original id, dates and creator, so
exporting twice gives the same bundle and a partner can deduplicate.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from stix2 import v21

from vigil.errors import VigilError
from vigil.model.access import Tlp
from vigil.model.records import ActorRef, Document
from vigil.share.stix.extension import extension_definition, project_identity
from vigil.share.stix.ids import fact_key, stix_id, timestamp
from vigil.share.stix.markings import marking_definition, marking_id
from vigil.share.stix.objects import (
    Stamp,
    actor_object,
    claim_object,
    event_object,
    has_place,
    link_relationship,
    location_object,
    mention_identity,
    organisation_identity,
    relation_object,
    report_object,
)
from vigil.share.stix.spec import load_spec
from vigil.store.database import Store
from vigil.store.details import get_document_detail
from vigil.store.filters import EventFilter
from vigil.store.lists import page_claims, page_relations
from vigil.store.queries import list_events
from vigil.store.repository import list_documents
from vigil.store.stix import (
    KnownObject,
    actors_by_id,
    instance_id,
    known_objects,
    objects_for_records,
    organisation_names,
)
from vigil.store.views import DocumentDetail

DEFAULT_ORG = "local"


@dataclass(frozen=True)
class ExportOptions:
    """``max_tlp``: leave out records marked above it (None: no ceiling). ``foreign_max_tlp``: a lower
    ceiling for records imported from another instance (so what a partner shared is not passed on
    beyond its marking)."""

    max_tlp: Tlp | None = None
    foreign_max_tlp: Tlp | None = None

    def allows(self, document: Document) -> bool:
        marking = Tlp(document.tlp)
        if self.max_tlp is not None and marking.rank > self.max_tlp.rank:
            return False
        if document.origin_instance and self.foreign_max_tlp is not None:
            return marking.rank <= self.foreign_max_tlp.rank
        return True


@dataclass(frozen=True)
class StixBundle:
    """A serialised bundle and what is in it."""

    text: str
    counts: dict[str, int]
    documents: list[str]

    @property
    def objects(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return json.loads(self.text)


@dataclass
class _Wanted:
    """Stored ids of the facts selected in one document (None: all of them)."""

    events: set[int] | None = None
    relations: set[int] | None = None
    claims: set[int] | None = None


def export_bundle(
    store: Store,
    filter: EventFilter | None = None,
    *,
    document_ids: Sequence[str] | None = None,
    options: ExportOptions | None = None,
) -> StixBundle:
    """The selected records the store's viewer may see, as a STIX 2.1 bundle (serialised)."""
    builder = _Builder(store, options or ExportOptions())
    for document_id, wanted in _select(store, filter, document_ids).items():
        detail = get_document_detail(store, document_id)
        if detail is not None and builder.options.allows(detail.document):
            builder.add_document(detail, wanted)
    return builder.bundle()


def _select(store: Store, filter: EventFilter | None, document_ids: Sequence[str] | None) -> dict[str, _Wanted]:
    if document_ids is not None:
        return {document_id: _Wanted() for document_id in dict.fromkeys(document_ids)}
    if filter is None or filter.is_empty():
        return {info.id: _Wanted() for info in sorted(list_documents(store), key=lambda info: info.id)}
    filter = replace(filter, limit=None, offset=0)
    selected: dict[str, _Wanted] = {}

    def wanted(document_id: str) -> _Wanted:
        return selected.setdefault(document_id, _Wanted(events=set(), relations=set(), claims=set()))

    for event in list_events(store, filter):
        wanted(event.document_id).events.add(event.id)  # type: ignore[union-attr]
    for relation in page_relations(store, filter).items:
        wanted(relation.document_id).relations.add(relation.id)  # type: ignore[union-attr]
    for claim in page_claims(store, filter).items:
        wanted(claim.document_id).claims.add(claim.id)  # type: ignore[union-attr]
    return dict(sorted(selected.items()))


class _Builder:
    """Collects the objects of one bundle, each once, in a stable order."""

    def __init__(self, store: Store, options: ExportOptions) -> None:
        self.store = store
        self.options = options
        self.spec = load_spec()
        self.instance = instance_id(store)
        self.org_names = organisation_names(store)
        self.objects: dict[str, Any] = {}
        self.documents: list[str] = []
        self.markings: set[Tlp] = set()
        self.actor_cache: dict[str, Any] = {}

    # ------------------------------------------------------------ documents and their facts

    def add_document(self, detail: DocumentDetail, wanted: _Wanted) -> None:
        document, extraction = detail.document, detail.extraction
        events = _ordinals(detail.event_ids, wanted.events)
        relations = _ordinals(detail.relation_ids, wanted.relations)
        claims = _ordinals(detail.claim_ids, wanted.claims)
        for index in claims:  # a claim travels with the events and relations it is about
            for concern in extraction.claims[index].concerns:
                if concern.index is None:
                    continue
                if concern.kind == "event" and concern.index < len(extraction.events):
                    events.add(concern.index)
                elif concern.kind == "relation" and concern.index < len(extraction.relations):
                    relations.add(concern.index)
        originals = self._originals(document.id, events, relations, claims)
        report_original = originals.get(("document", document.id))
        creator = self._creator(document, report_original)
        marking = Tlp(document.tlp)
        self.markings.add(marking)
        created = timestamp(detail.ingested_at)

        def stamp(kind: str, stix_type: str, local: str) -> Stamp:
            known = originals.get((kind, local))
            if known is not None:
                return Stamp(known.id, _text(known.raw.get("created"), created), _text(known.raw.get("modified"), created),
                             known.raw.get("created_by_ref") or creator, (marking_id(marking),))
            return Stamp(stix_id(stix_type, self.instance, kind, local), created, created, creator, (marking_id(marking),))

        refs: list[str] = []
        event_ids: dict[int, str] = {}
        relation_ids: dict[int, str] = {}
        for index in sorted(events):
            event = extraction.events[index]
            event_stamp = stamp("event", self.spec.event_type, fact_key(document.id, "event", index))
            location_ref = self._location(event.location) if has_place(event.location) else None
            role_refs = {
                role: [self._actor_ref(ref, document, stamp) if ref.actor else None for ref in getattr(event, role)]
                for role in ("perpetrators", "targets", "victims")
            }
            self._add(event_object(event_stamp, event, index, location_ref, role_refs))
            event_ids[index] = event_stamp.id
            refs.append(event_stamp.id)
            links = [(self.spec.event_links[role], ref) for role, found in role_refs.items() for ref in found if ref]
            if location_ref:
                links.append((self.spec.event_links["location"], location_ref))
            for link_type, target in dict.fromkeys(links):
                link_stamp = replace(event_stamp, id=stix_id("relationship", event_stamp.id, link_type, target))
                self._add(link_relationship(link_stamp, link_type, event_stamp.id, target))
                refs.append(link_stamp.id)
        for index in sorted(relations):
            relation = extraction.relations[index]
            relation_stamp = stamp("relation", "relationship", fact_key(document.id, "relation", index))
            ends = {
                "source": self._actor_ref(relation.source, document, stamp),
                "target": self._actor_ref(relation.target, document, stamp),
            }
            by = relation.attributed_to
            ends["attributed_to"] = self._actor_ref(by, document, stamp) if by else None
            self._add(relation_object(relation_stamp, relation, index, ends["source"], ends["target"], ends))
            relation_ids[index] = relation_stamp.id
            refs.append(relation_stamp.id)
        for index in sorted(claims):
            claim = extraction.claims[index]
            concerns, subjects = [], []
            for concern in claim.concerns:
                ref = (event_ids if concern.kind == "event" else relation_ids).get(concern.index) if concern.index is not None else None
                if ref:
                    subjects.append(ref)
                concerns.append({"kind": concern.kind, "ref": ref, "text": concern.text})
            key = fact_key(document.id, "claim", index)
            claim_stamp = stamp("claim", "opinion" if subjects else "note", key)
            speaker = {"speaker": self._actor_ref(claim.speaker, document, stamp)}
            if claim.speaker_org:
                speaker["speaker_org"] = self._actor_ref(claim.speaker_org, document, stamp)
            self._add(claim_object(claim_stamp, claim, index, list(dict.fromkeys(subjects)), speaker["speaker"], speaker, concerns))
            refs.append(claim_stamp.id)
        report_stamp = stamp("document", "report", document.id)
        self._add(report_object(report_stamp, document, detail.ingested_at, refs or [creator]))
        self.documents.append(document.id)

    # ------------------------------------------------------------ shared objects

    def _creator(self, document: Document, original: KnownObject | None) -> str:
        """The identity that created a document's objects: the original creator of an imported one
        (its identity object travels too when stored), else this instance's owning organisation."""
        if original is not None and original.raw.get("created_by_ref"):
            creator = original.raw["created_by_ref"]
            known = known_objects(self.store, [creator]).get(creator)
            if known is not None:
                self.objects.setdefault(creator, known.raw)
            return creator
        return self._organisation(document.org_id or DEFAULT_ORG)

    def _organisation(self, org_id: str) -> str:
        """The identity of one organisation of this instance."""
        identity = stix_id("identity", self.instance, "organisation", org_id)
        if identity not in self.objects:
            name = self.org_names.get(org_id) or f"Vigil instance {self.instance[:8]} ({org_id})"
            stamp = Stamp(identity, self.spec.fixed_timestamp, self.spec.fixed_timestamp, None)
            self.objects[identity] = organisation_identity(stamp, name, self.instance, org_id)
        return identity

    def _actor_ref(self, ref: ActorRef, document: Document, stamp) -> str:  # noqa: ANN001 (the document's stamp maker)
        """The object standing for an actor named in a fact: its canonical actor, else an identity for the words."""
        if ref.actor:
            found = self._actor(ref.actor)
            if found:
                return found
        mention = stamp("mention", "identity", f"{document.id}:{' '.join(ref.text.casefold().split())}:{ref.kind}")
        if mention.id not in self.objects:
            self._add(mention_identity(mention, ref))
        return mention.id

    def _actor(self, actor_id: str) -> str | None:
        if actor_id in self.actor_cache:
            return self.actor_cache[actor_id]
        actor = actors_by_id(self.store, [actor_id]).get(actor_id)
        if actor is None:
            self.actor_cache[actor_id] = None
            return None
        known = objects_for_records(self.store, "actor", [actor_id]).get(actor_id)
        stix_type = self.spec.actor_kind(actor.kind)["type"]
        # Gazetteer actors have the same id on every Vigil instance: no instance in their STIX id.
        actor_ref = known.id if known else stix_id(stix_type, "actor", actor.id)
        self.actor_cache[actor_id] = actor_ref
        parent_ref = self._actor(actor.parent) if actor.parent else None
        stamp = Stamp(actor_ref, self.spec.fixed_timestamp, self.spec.fixed_timestamp, self._local_identity(),
                      (marking_id(Tlp.CLEAR),))
        self.markings.add(Tlp.CLEAR)
        self._add(actor_object(stamp, actor, parent_ref))
        return actor_ref

    def _location(self, location) -> str:  # noqa: ANN001 (a Location)
        key = location.geonames_id or "|".join(
            str(part or "") for part in (location.name, location.admin1, location.country, location.lat, location.lon)
        )
        location_ref = stix_id("location", "place", key)
        if location_ref not in self.objects:
            stamp = Stamp(location_ref, self.spec.fixed_timestamp, self.spec.fixed_timestamp, self._local_identity(),
                          (marking_id(Tlp.CLEAR),))
            self.markings.add(Tlp.CLEAR)
            self._add(location_object(stamp, location))
        return location_ref

    def _local_identity(self) -> str:
        return self._organisation(DEFAULT_ORG)

    def _originals(self, document_id: str, events: set[int], relations: set[int], claims: set[int]) -> dict:
        """Objects an import mapped to these records: (kind, local id) -> the stored object."""
        found: dict[tuple[str, str], KnownObject] = {}
        keys = {
            "event": [fact_key(document_id, "event", i) for i in events],
            "relation": [fact_key(document_id, "relation", i) for i in relations],
            "claim": [fact_key(document_id, "claim", i) for i in claims],
            "document": [document_id],
        }
        for kind, local_ids in keys.items():
            for local_id, known in objects_for_records(self.store, kind, local_ids).items():
                found[(kind, local_id)] = known
        return found

    def _add(self, obj: Any) -> None:
        self.objects.setdefault(obj["id"] if isinstance(obj, dict) else obj.id, obj)

    # ------------------------------------------------------------ the bundle

    def bundle(self) -> StixBundle:
        head: list[Any] = [marking_definition(tlp) for tlp in sorted(self.markings, key=lambda t: t.rank)]
        uses_extensions = any(not isinstance(obj, dict) for obj in self.objects.values())
        if uses_extensions:
            head += [project_identity(), extension_definition("event"), extension_definition("properties")]
        objects = head + list(self.objects.values())
        ids = sorted(obj["id"] if isinstance(obj, dict) else obj.id for obj in objects)
        bundle_id = f"bundle--{uuid.uuid5(uuid.UUID(self.spec.namespace), '|'.join(ids))}"
        text = v21.Bundle(objects=objects, id=bundle_id, allow_custom=True).serialize(sort_keys=False)
        counts: dict[str, int] = {}
        for obj in objects:
            kind = obj["type"]
            counts[kind] = counts.get(kind, 0) + 1
        return StixBundle(text=text, counts=counts, documents=list(self.documents))


def _ordinals(stored_ids: list[int], wanted: set[int] | None) -> set[int]:
    """Positions in the document of the selected stored facts (all when ``wanted`` is None)."""
    if wanted is None:
        return set(range(len(stored_ids)))
    return {index for index, stored in enumerate(stored_ids) if stored in wanted}


def _text(value: object, default: str) -> str:
    return str(value) if value else default




def write_bundle(bundle: StixBundle, output: str | Path) -> None:
    """Write a bundle to a file, or to standard output for "-"."""
    if str(output) == "-":
        sys.stdout.write(bundle.text + "\n")
        return
    try:
        Path(output).write_text(bundle.text + "\n", encoding="utf-8")
    except OSError as error:
        raise VigilError(f"{output}: cannot write ({error})") from error
