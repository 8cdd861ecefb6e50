"""Import a STIX 2.1 bundle: map what Vigil models back into records, keep the rest verbatim.

A ``report`` becomes a document (its text from the description) with the facts it
lists: ``x-vigil-event`` objects as events, relationships of Vigil's relation types
as relations, opinions and notes as claims. Actors resolve to canonical actors by
UN sanctions reference, then by name or alias, else are created. Every object is
recorded in ``stix_objects`` (the unmodelled ones are shown by ``vigil stix list``).

No duplicates: a report already imported at the same or a newer ``modified`` is
left alone, a newer one replaces the document it became, and a document whose
content is already stored is not stored again (so re-importing a bundle, or one
this instance exported, changes nothing). The whole import is one transaction;
a malformed bundle is an error naming it, with nothing written. The new documents
are then fused with the stored events through the normal fusion path.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import stix2
from pydantic import ValidationError

from vigil.errors import VigilError
from vigil.model.access import Tlp, Viewer
from vigil.model.records import Extraction
from vigil.settings import Settings
from vigil.share.stix.extension import event_class, read_vigil_properties
from vigil.share.stix.ids import fact_key, parse_timestamp
from vigil.share.stix.markings import known_markings, tlp_of, tlp_of_definition
from vigil.share.stix.reading import (
    ACTOR_TYPES,
    actor_names,
    claim_record,
    document_record,
    event_record,
    is_mention,
    is_producer,
    new_actor,
    order_key,
    relation_record,
    un_reference,
)
from vigil.share.stix.spec import load_spec
from vigil.store.database import Store
from vigil.store.repository import find_document_id
from vigil.store.stix import (
    DocumentWrite,
    ImportWrite,
    KnownObject,
    ObjectRecord,
    actor_exists,
    find_actor,
    instance_id,
    known_objects,
    write_import,
)

ERR_JSON = "{source}: not a STIX bundle: the file is not JSON ({reason})."
ERR_NOT_BUNDLE = "{source}: not a STIX 2.1 bundle (expected an object with \"type\": \"bundle\" and a list of \"objects\")."
ERR_OBJECT = "{source}: object {index} ({id}) is not valid STIX 2.1: {reason}"
ERR_RECORD = "{source}: {id} cannot be read as a Vigil record: {reason}"
ERR_READ = "{source}: cannot read the file ({reason})."


class StixImportError(VigilError):
    """A bundle that cannot be imported; the message names it and the object at fault."""


@dataclass(frozen=True)
class ImportOptions:
    """``org_id``: the local organisation that owns what is imported (None: "local"). ``default_tlp``:
    the marking of objects that carry none. ``origin_instance``: where the bundle came from when its
    creator identity does not say (a partner id); ``source``: the name errors use."""

    org_id: str | None = None
    default_tlp: Tlp = Tlp.CLEAR
    origin_instance: str | None = None
    source: str = "bundle"
    fuse: bool = True


@dataclass
class ImportResult:
    bundle_id: str | None = None
    objects: int = 0
    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    actors_created: list[str] = field(default_factory=list)
    kept: int = 0
    stored_objects: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "bundle": self.bundle_id, "objects": self.objects, "documents_created": len(self.created),
            "documents_replaced": len(self.replaced), "documents_unchanged": len(self.unchanged),
            "actors_created": len(self.actors_created), "objects_kept": self.kept,
            "objects_stored": self.stored_objects, "errors": self.errors,
        }


def import_file(
    store: Store, path: str | Path, *, settings: Settings | None = None, options: ImportOptions | None = None,
    viewer: Viewer | None = None,
) -> ImportResult:
    """Import the bundle in a JSON file (errors name the file)."""
    options = options or ImportOptions()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise StixImportError(ERR_READ.format(source=path, reason=error)) from error
    options = replace(options, source=str(path))
    return import_bundle(store, text, settings=settings, options=options, viewer=viewer)


def import_bundle(
    store: Store, bundle: str | bytes | Mapping[str, Any], *, settings: Settings | None = None,
    options: ImportOptions | None = None, viewer: Viewer | None = None,
) -> ImportResult:
    """Import ``bundle`` (JSON text or the parsed dict) into ``store``; see the module doc."""
    options = options or ImportOptions()
    data = _parse(bundle, options.source)
    plan = _Planner(store, data["objects"], options).plan()
    outcome = write_import(store, plan.write)
    result = plan.result
    result.bundle_id = data.get("id")
    result.created, result.replaced = outcome.created, outcome.replaced
    result.unchanged += outcome.duplicates
    if options.fuse and (outcome.created or outcome.replaced):
        _fuse(store, settings or Settings(), outcome.created, bool(outcome.replaced), result)
    _audit(store, viewer, result, options)
    return result


# ---------------------------------------------------------------- checking the bundle


def _parse(bundle: str | bytes | Mapping[str, Any], source: str) -> dict[str, Any]:
    if isinstance(bundle, (str, bytes)):
        try:
            data = json.loads(bundle)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise StixImportError(ERR_JSON.format(source=source, reason=error)) from error
    else:
        data = dict(bundle)
    if not isinstance(data, dict) or data.get("type") != "bundle" or not isinstance(data.get("objects", []), list):
        raise StixImportError(ERR_NOT_BUNDLE.format(source=source))
    event_class()  # registered, so stix2 checks x-vigil-event objects too
    objects = data.get("objects", [])
    for index, obj in enumerate(objects):
        ident = obj.get("id") if isinstance(obj, dict) else None
        try:
            if not isinstance(obj, dict) or not isinstance(obj.get("type"), str) or not isinstance(ident, str):
                raise ValueError("an object needs a type and an id")
            if not ident.startswith(obj["type"] + "--"):
                raise ValueError(f"id {ident!r} does not start with its type {obj['type']!r}")
            stix2.parse(obj, allow_custom=True, version="2.1")
        except (stix2.exceptions.STIXError, ValueError, TypeError, KeyError) as error:
            raise StixImportError(ERR_OBJECT.format(source=source, index=index, id=ident, reason=error)) from error
    return data


# ---------------------------------------------------------------- the plan


@dataclass
class _Plan:
    write: ImportWrite
    result: ImportResult


class _Planner:
    """Decides, before anything is written, what each object of the bundle becomes."""

    def __init__(self, store: Store, objects: list[dict[str, Any]], options: ImportOptions) -> None:
        self.store = store
        self.options = options
        self.spec = load_spec()
        self.by_id = {obj["id"]: obj for obj in objects}
        self.known = known_objects(store, self.by_id)
        self.instance = instance_id(store)
        self.markings = dict(known_markings())
        for obj in objects:
            if obj["type"] == "marking-definition":
                found = tlp_of_definition(obj)
                if found is not None:
                    self.markings[obj["id"]] = found
        self.write = ImportWrite()
        self.result = ImportResult(objects=len(objects))
        self.records: dict[str, ObjectRecord] = {}
        self.actor_ids: dict[str, str | None] = {}
        self.new_actor_ids: set[str] = set()

    def plan(self) -> _Plan:
        for obj in self.by_id.values():
            if obj["type"] == "report":
                self._report(obj)
        for obj in self.by_id.values():
            # Threat actors and intrusion sets are actors; an identity is one when Vigil wrote it as an actor
            # (or a fact names it), not when it only signs objects.
            vigil_actor = "vigil_id" in (read_vigil_properties(obj) or {})
            if obj["type"] in ACTOR_TYPES and not is_mention(obj) and not is_producer(obj) and (
                obj["type"] != "identity" or vigil_actor
            ):
                self._actor(obj["id"])
        for obj in self.by_id.values():
            if obj["id"] not in self.records:
                self._record(obj, *self._definition_kind(obj))
        for record in self.records.values():
            if record.local_kind == "definition" or self._ours(record.raw):
                continue  # markings and extensions are known by id; what this instance made is here already
            known = self.known.get(record.raw["id"])
            if known is not None and not _newer(record.raw, known):
                continue  # the same version is stored already
            self.write.objects.append(record)
            if record.local_kind is None:
                self.result.kept += 1
        self.result.stored_objects = len(self.write.objects)
        return _Plan(self.write, self.result)

    # ------------------------------------------------------------ reports and their facts

    def _report(self, report: dict[str, Any]) -> None:
        refs = [self.by_id[ref] for ref in report.get("object_refs") or () if ref in self.by_id]
        events = sorted((o for o in refs if o["type"] == self.spec.event_type), key=order_key)
        relations = sorted(
            (o for o in refs if o["type"] == "relationship" and o["relationship_type"] in self.spec.relation_types_back
             and self._is_actor(o["source_ref"]) and self._is_actor(o["target_ref"])),
            key=order_key,
        )
        claims = sorted((o for o in refs if o["type"] in ("opinion", "note")), key=order_key)
        facts = [*events, *relations, *claims]
        try:
            extraction, mapped = self._extraction(report, events, relations, claims)
        except (ValidationError, KeyError, ValueError, TypeError) as error:
            raise StixImportError(
                ERR_RECORD.format(source=self.options.source, id=report["id"], reason=error)
            ) from error
        tlp = Tlp.most_restricted([self._tlp(o) for o in (report, *[self.by_id[i] for i in mapped])])
        origin_instance, origin_org = self._origin(report)
        document = document_record(report, tlp=tlp, org_id=self.options.org_id, origin_instance=origin_instance, origin_org=origin_org)
        known = self.known.get(report["id"])
        replaces = None
        if known is not None and known.local_kind == "document":
            if not any(_newer(obj, self.known[obj["id"]]) if obj["id"] in self.known else True for obj in (report, *facts)):
                self.result.unchanged.append(known.local_id or document.id)
                self._mapped(report, "document", known.local_id, mapped, known.local_id or document.id)
                return
            replaces = known.local_id
        elif find_document_id(self.store, document.content_hash) is not None:
            # Content this store holds already (made here, or imported under another id): nothing to add.
            self.result.unchanged.append(find_document_id(self.store, document.content_hash) or document.id)
            for obj in (report, *facts):
                self._record(obj, "duplicate", None)
            return
        extraction = extraction.model_copy(update={"id": document.id})
        self.write.documents.append(DocumentWrite(document=document, extraction=extraction, replaces=replaces))
        self._mapped(report, "document", document.id, mapped, document.id)

    def _extraction(self, report, events, relations, claims) -> tuple[Extraction, dict[str, tuple[str, int]]]:  # noqa: ANN001
        locations = {i: o for i, o in self.by_id.items() if o["type"] == "location"}
        names = {i: str(o.get("name") or "") for i, o in self.by_id.items() if o["type"] in ACTOR_TYPES}
        mapped: dict[str, tuple[str, int]] = {}
        records_events = []
        for obj in events:
            mapped[obj["id"]] = ("event", len(records_events))
            records_events.append(event_record(obj, locations, self._actor))
        records_relations = []
        for obj in relations:
            mapped[obj["id"]] = ("relation", len(records_relations))
            records_relations.append(relation_record(obj, names, self._actor))
        records_claims = []
        for obj in claims:
            claim = claim_record(obj, mapped, self._actor)
            if claim is not None:
                mapped[obj["id"]] = ("claim", len(records_claims))
                records_claims.append(claim)
        extraction = Extraction(id=report["id"], events=records_events, relations=records_relations, claims=records_claims)
        return extraction, mapped

    def _mapped(self, report: dict, kind: str, local_id: str | None, mapped: dict, document_id: str) -> None:
        self._record(report, kind, local_id)
        for stix_id, (fact_kind, index) in mapped.items():
            self._record(self.by_id[stix_id], fact_kind, fact_key(document_id, fact_kind, index))

    # ------------------------------------------------------------ actors

    def _is_actor(self, ref: str) -> bool:
        obj = self.by_id.get(ref)
        if obj is not None:
            return obj["type"] in ACTOR_TYPES and not is_producer(obj)
        known = self.known.get(ref)
        return known is not None and known.local_kind in ("actor", "mention")

    def _actor(self, ref: str | None) -> str | None:
        """The canonical actor a STIX ref stands for (created if needed); None for words only."""
        if not ref:
            return None
        if ref in self.actor_ids:
            return self.actor_ids[ref]
        self.actor_ids[ref] = None  # guards against parent cycles
        obj = self.by_id.get(ref)
        known = self.known.get(ref)
        if obj is None:
            found = known.local_id if known is not None and known.local_kind == "actor" else None
            self.actor_ids[ref] = found
            return found
        if obj["type"] not in ACTOR_TYPES or is_producer(obj):
            return None
        if is_mention(obj):
            self._record(obj, "mention", None)
            return None
        found = self._match(obj, known)
        if found is None:
            props = read_vigil_properties(obj) or {}
            parent = self._actor(props.get("parent_ref")) if props.get("parent_ref") else None
            found = self._new_id(obj)
            self.write.actors.append(new_actor(obj, found, parent))
            self.new_actor_ids.add(found)
            self.result.actors_created.append(found)
        self.actor_ids[ref] = found
        self._record(obj, "actor", found)
        return found

    def _match(self, obj: dict[str, Any], known: KnownObject | None) -> str | None:
        if known is not None and known.local_kind == "actor" and known.local_id and (
            known.local_id in self.new_actor_ids or actor_exists(self.store, known.local_id)
        ):
            return known.local_id
        return find_actor(self.store, un_ref=un_reference(obj), names=actor_names(obj))

    def _new_id(self, obj: dict[str, Any]) -> str:
        wanted = (read_vigil_properties(obj) or {}).get("vigil_id")
        if isinstance(wanted, str) and wanted and wanted not in self.new_actor_ids and not actor_exists(self.store, wanted):
            return wanted
        return f"stix-{obj['id'].split('--', 1)[1]}"

    # ------------------------------------------------------------ every object's row

    def _definition_kind(self, obj: dict[str, Any]) -> tuple[str | None, str | None]:
        """What an object not mapped to a record is: shared STIX furniture, or None (kept verbatim)."""
        kind = obj["type"]
        if kind in ("marking-definition", "extension-definition") or obj["id"] == self.spec.project_identity["id"]:
            return "definition", obj["id"]
        if kind == "identity" and (is_producer(obj) or self._is_creator(obj["id"])):
            return "identity", obj["id"]
        if kind == "location":
            return "location", obj["id"]
        if kind == "relationship" and self.by_id.get(obj["source_ref"], {}).get("type") == self.spec.event_type:
            return "link", obj["id"]
        if kind in ACTOR_TYPES and is_mention(obj):
            return "mention", obj["id"]
        return None, None

    def _is_creator(self, identity: str) -> bool:
        return any(o.get("created_by_ref") == identity for o in self.by_id.values())

    def _record(self, obj: dict[str, Any], local_kind: str | None, local_id: str | None) -> None:
        origin_instance, origin_org = self._origin(obj)
        self.records[obj["id"]] = ObjectRecord(
            raw=obj, tlp=self._tlp(obj).value, org_id=self.options.org_id, origin_instance=origin_instance,
            origin_org=origin_org, local_kind=local_kind, local_id=local_id,
        )

    def _ours(self, obj: Mapping[str, Any]) -> bool:
        creator = self.by_id.get(obj.get("created_by_ref") or "") or (obj if is_producer(obj) else None)
        return bool(creator) and (read_vigil_properties(creator) or {}).get("instance_id") == self.instance

    def _tlp(self, obj: Mapping[str, Any]) -> Tlp:
        return tlp_of(obj.get("object_marking_refs"), self.markings) or self.options.default_tlp

    def _origin(self, obj: Mapping[str, Any]) -> tuple[str | None, str | None]:
        """(instance, organisation) an object came from; (None, None) when this instance made it."""
        creator = self.by_id.get(obj.get("created_by_ref") or "")
        if creator is None and obj.get("created_by_ref") in self.known:
            creator = self.known[obj["created_by_ref"]].raw
        props = read_vigil_properties(creator) if creator else None
        instance = (props or {}).get("instance_id") or self.options.origin_instance or obj.get("created_by_ref")
        if instance == self.instance:
            return None, None
        return (str(instance) if instance else self.options.source), (creator or {}).get("name")


def _newer(obj: Mapping[str, Any], known: KnownObject) -> bool:
    incoming = parse_timestamp(obj.get("modified") or obj.get("created"))
    if incoming is None or known.modified is None:
        return False
    return incoming > known.modified


def _fuse(store: Store, settings: Settings, created: list[str], replaced: bool, result: ImportResult) -> None:
    """Fuse the new reports' events with the stored ones; a failure leaves them stored (``vigil fuse`` catches up)."""
    from vigil.workflow import open_fusion  # the operation ingest uses

    try:
        fusion = open_fusion(store, settings)
        if replaced:
            fusion.catch_up()
        elif created:
            fusion.add_documents(created)
    except VigilError as error:
        result.errors.append(f"event fusion: {error} (run `vigil fuse` to retry)")


def _audit(store: Store, viewer: Viewer | None, result: ImportResult, options: ImportOptions) -> None:
    from vigil.share.audit import record

    record(
        store, viewer, "stix_import", record_type="stix-bundle", record_id=result.bundle_id or str(uuid.uuid4()),
        detail={"source": options.source, **result.summary()},
    )
