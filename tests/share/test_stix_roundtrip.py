"""STIX 2.1 export and import on real stores (SQLite, and PostgreSQL under the ``postgres`` mark).

The corpus is the store tests' hand-built one (three reports with events, a supply
relation, an assertion and a denial). Every bundle is checked with the OASIS
validator (``stix2-validator``): no errors allowed.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stix2validator import ValidationOptions, validate_string

from vigil.model.access import Tlp
from vigil.settings import Settings
from vigil.share.stix import ExportOptions, ImportOptions, StixImportError, export_bundle, import_bundle
from vigil.share.stix.markings import marking_id
from vigil.share.stix.spec import check_spec, load_spec
from vigil.store.database import open_store
from vigil.store.filters import EventFilter
from vigil.store.repository import count_documents, get_document, list_documents, save_document, seed_actors
from vigil.store.stix import get_stix_object, page_stix_objects
from vigil.store.tables import AuditRow, Base, StixObjectRow
from tests.databases import postgres_databases

_CORPUS = Path(__file__).parents[1] / "store" / "conftest.py"
_spec = importlib.util.spec_from_file_location("vigil_store_corpus", _CORPUS)
corpus = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(corpus)  # type: ignore[union-attr]

POSTGRES_URL = os.environ.get("VIGIL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NO_FUSION = ImportOptions(fuse=False)


@pytest.fixture(scope="module")
def postgres_server():
    """Creates and drops PostgreSQL databases for this module; skips when the server is unreachable."""
    with postgres_databases("vigil_stix") as make:
        yield make


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_store(request, tmp_path):
    """Makes fresh, empty stores (each its own Vigil instance) on the backend of the test."""
    opened = []

    def make():
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / f'store-{len(opened)}.sqlite'}"
        else:
            url = request.getfixturevalue("postgres_server")()
        store = open_store(Settings(database_url=url))
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def loaded(make, markings: dict[str, Tlp] | None = None):
    store = make()
    seed_actors(store, corpus.actors())
    for document, extraction in (corpus.bajaur(), corpus.borno(), corpus.mogadishu()):
        tlp = (markings or {}).get(document.id, Tlp.CLEAR)
        save_document(store, document.model_copy(update={"tlp": tlp}), extraction)
    return store


def assert_valid(bundle_text: str) -> list[str]:
    """No validator errors; the warnings are returned (and are only the known kinds)."""
    result = validate_string(bundle_text, ValidationOptions())
    assert result.is_valid, [str(error) for error in result.errors]
    warnings = [str(warning) for warning in result.warnings]
    known = ("{103}", "{202}", "{302}")  # uuid5 ids; custom relationship types; URLs without a hash
    assert all(any(code in warning for code in known) for warning in warnings), warnings
    return warnings


def objects_of(bundle, type_: str) -> list[dict]:
    return [obj for obj in bundle.as_dict().get("objects", []) if obj["type"] == type_]


def facts(store) -> dict[str, tuple]:
    found = {}
    for info in list_documents(store):
        stored = get_document(store, info.id)
        found[stored.document.content_hash] = (stored.extraction.events, stored.extraction.relations, stored.extraction.claims)
    return found


def test_the_mapping_data_is_valid():
    assert check_spec(load_spec()) == []


@pytest.mark.parametrize(
    "filter",
    [None, EventFilter(country="PK"), EventFilter(actor="Boko Haram"), EventFilter(event_type="Battles"), EventFilter(text="nothing like this")],
)
def test_bundles_validate_with_no_errors(new_store, filter):
    store = loaded(new_store)
    bundle = export_bundle(store, filter)
    assert_valid(bundle.text)
    if filter is not None and filter.text:
        assert bundle.documents == [] and objects_of(bundle, "report") == []


def test_the_bundle_maps_every_kind_of_record(new_store):
    store = loaded(new_store)
    bundle = export_bundle(store)
    assert len(objects_of(bundle, "report")) == 3
    assert len(objects_of(bundle, "x-vigil-event")) == 4
    ttp = next(o for o in objects_of(bundle, "threat-actor") if o["name"] == "Tehrik-i-Taliban Pakistan")
    assert {"source_name": load_spec().reference("un_sanctions"), "external_id": "QDe.132"} in ttp["external_references"]
    assert "TTP" in ttp["aliases"]
    khar = next(o for o in objects_of(bundle, "location") if o.get("name") == "Khar")
    assert (khar["country"], khar["administrative_area"], khar["latitude"]) == ("PK", "Khyber Pakhtunkhwa", 34.73)
    event = next(o for o in objects_of(bundle, "x-vigil-event") if o["sub_event_type"] == "Suicide bomb")
    assert event["location_ref"] == khar["id"] and event["fatalities_min"] == 40 and event["injuries_max"] == 200
    assert event["extensions"][load_spec().event_extension_id] == {"extension_type": "new-sdo"}
    links = {(o["relationship_type"], o["target_ref"]) for o in objects_of(bundle, "relationship") if o["source_ref"] == event["id"]}
    assert ("located-at", khar["id"]) in links and any(kind == "attributed-to" for kind, _ in links)
    supply = next(o for o in objects_of(bundle, "relationship") if o["relationship_type"] == "supplies-weapons-to")
    assert supply["extensions"][load_spec().property_extension_id]["weapons"][0]["model"] == "M4"
    opinions = {o["opinion"]: o for o in objects_of(bundle, "opinion")}
    assert opinions["strongly-agree"]["object_refs"] == [event["id"]]
    assert opinions["disagree"]["object_refs"] == [supply["id"]] and opinions["disagree"]["authors"][0] == "Mohammad Khurasani"
    report = next(o for o in objects_of(bundle, "report") if event["id"] in o["object_refs"])
    assert report["description"].startswith("A suicide bomber") and report["external_references"][0]["url"].startswith("http")
    hashes = [r["external_id"] for r in report["external_references"] if r["source_name"] == load_spec().reference("content_hash")]
    assert len(hashes) == 1 and len(hashes[0]) == 64
    assert {o["id"] for o in objects_of(bundle, "extension-definition")} == {
        load_spec().event_extension_id, load_spec().property_extension_id
    }


def test_exporting_twice_gives_the_same_ids(new_store):
    store = loaded(new_store)
    assert export_bundle(store).text == export_bundle(store).text


def test_tlp_markings_are_the_oasis_tlp2_definitions_and_max_tlp_is_a_ceiling(new_store):
    store = loaded(new_store, {corpus.bajaur()[0].id: Tlp.AMBER, corpus.borno()[0].id: Tlp.RED})
    everything = export_bundle(store)
    assert_valid(everything.text)
    definitions = {o["id"]: o for o in objects_of(everything, "marking-definition")}
    assert definitions["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]["name"] == "TLP:AMBER"
    assert definitions["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]["extensions"][
        "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"] == {"extension_type": "property-extension", "tlp_2_0": "red"}
    bajaur = next(o for o in objects_of(everything, "report") if o["name"].startswith("Suicide bombing"))
    assert bajaur["object_marking_refs"] == [marking_id(Tlp.AMBER)]
    events = {o["sub_event_type"]: o["object_marking_refs"] for o in objects_of(everything, "x-vigil-event")}
    assert events["Suicide bomb"] == [marking_id(Tlp.AMBER)] and events["Armed clash"] == [marking_id(Tlp.RED)]

    for ceiling, expected in ((Tlp.AMBER_STRICT, 2), (Tlp.GREEN, 1), (Tlp.RED, 3)):
        bundle = export_bundle(store, options=ExportOptions(max_tlp=ceiling))
        assert_valid(bundle.text)
        assert len(bundle.documents) == expected
        used = {ref for o in bundle.as_dict()["objects"] for ref in o.get("object_marking_refs", [])}
        assert all(Tlp(next(m for m in Tlp if marking_id(m) == ref)).rank <= ceiling.rank for ref in used)


def test_round_trip_into_a_fresh_store_reproduces_the_records(new_store):
    source = loaded(new_store, {corpus.bajaur()[0].id: Tlp.AMBER})
    target = new_store()
    seed_actors(target, corpus.actors())
    bundle = export_bundle(source)
    result = import_bundle(target, bundle.text, options=NO_FUSION)
    assert len(result.created) == 3 and result.errors == []
    assert facts(target) == facts(source)
    for info in list_documents(target):
        document = get_document(target, info.id).document
        original = get_document(source, info.id).document
        assert document.text == original.text and document.url == original.url and document.published == original.published
        assert document.tlp == original.tlp
        assert document.origin_instance is not None and document.origin_instance != ""
        assert document.origin_org == "This instance" or document.origin_org  # the exporting organisation's name


def test_reimporting_changes_nothing(new_store):
    source = loaded(new_store)
    target = new_store()
    bundle = export_bundle(source)
    import_bundle(target, bundle.text, options=NO_FUSION)
    before = _snapshot(target)
    again = import_bundle(target, bundle.text, options=NO_FUSION)
    assert again.created == [] and again.replaced == [] and len(again.unchanged) == 3 and again.stored_objects == 0
    assert _snapshot(target) == before
    # A bundle this instance exported, imported back into it: nothing new either.
    own = import_bundle(source, bundle.text, options=NO_FUSION)
    assert own.created == [] and own.stored_objects == 0 and count_documents(source) == 3


def test_a_newer_version_of_a_report_replaces_the_document(new_store):
    source = loaded(new_store)
    target = new_store()
    data = export_bundle(source).as_dict()
    import_bundle(target, data, options=NO_FUSION)
    newer = copy.deepcopy(data)
    report = next(o for o in newer["objects"] if o["type"] == "report" and "Mogadishu" in o["description"])
    report["description"] = report["description"].replace("killing 5 people", "killing 7 people")
    report["modified"] = "2099-01-01T00:00:00.000Z"
    result = import_bundle(target, newer, options=NO_FUSION)
    assert len(result.replaced) == 1 and result.created == []
    assert count_documents(target) == 3
    texts = [get_document(target, info.id).document.text for info in list_documents(target)]
    assert any("killing 7 people" in t for t in texts) and not any("killing 5 people" in t for t in texts)
    older = copy.deepcopy(data)  # the older version again: ignored
    assert import_bundle(target, older, options=NO_FUSION).replaced == []


def test_objects_vigil_does_not_model_are_kept_and_listed(new_store):
    store = new_store()
    marking = marking_id(Tlp.GREEN)
    bundle = {
        "type": "bundle", "id": f"bundle--{uuid.uuid4()}",
        "objects": [
            {"type": "malware", "spec_version": "2.1", "id": "malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
             "created": "2023-01-01T00:00:00.000Z", "modified": "2023-01-01T00:00:00.000Z", "name": "Drone jammer firmware",
             "is_family": False, "object_marking_refs": [marking]},
            {"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
             "created": "2023-01-01T00:00:00.000Z", "modified": "2023-01-01T00:00:00.000Z", "pattern_type": "stix",
             "pattern": "[domain-name:value = 'example.org']", "valid_from": "2023-01-01T00:00:00Z"},
            {"type": "x-acme-sighting-note", "spec_version": "2.1", "id": "x-acme-sighting-note--6b0b3a59-2a6b-4c36-9d2d-3d2f3a2b1c10",
             "created": "2023-01-01T00:00:00.000Z", "modified": "2023-01-01T00:00:00.000Z", "summary": "custom"},
            {"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--1b9e8f4e-2c8a-4a52-9d0e-3b4c2e6f7a81",
             "created": "2023-01-01T00:00:00.000Z", "modified": "2023-01-01T00:00:00.000Z", "name": "Jamaat Example",
             "aliases": ["JEX"]},
        ],
    }
    result = import_bundle(store, bundle, options=NO_FUSION)
    assert result.kept == 3 and result.actors_created == ["stix-1b9e8f4e-2c8a-4a52-9d0e-3b4c2e6f7a81"]
    listed = page_stix_objects(store)
    assert {item.type for item in listed.items} == {"malware", "indicator", "x-acme-sighting-note"}
    malware = get_stix_object(store, "malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061")
    assert malware.tlp == "TLP:GREEN" and malware.raw["name"] == "Drone jammer firmware" and malware.local_kind is None
    assert page_stix_objects(store, type="indicator").total == 1
    assert page_stix_objects(store, mapped=True).total == 4


@pytest.mark.parametrize(
    "payload, message",
    [
        ("{not json", "not JSON"),
        (json.dumps({"type": "report"}), "not a STIX 2.1 bundle"),
        (json.dumps({"type": "bundle", "id": "bundle--1", "objects": [{"type": "malware", "id": "indicator--x"}]}), "object 0"),
    ],
)
def test_a_malformed_bundle_is_a_clear_error_and_writes_nothing(new_store, payload, message):
    store = new_store()
    with pytest.raises(StixImportError, match=message):
        import_bundle(store, payload, options=ImportOptions(source="broken.json", fuse=False))
    with store.session() as session:
        assert session.scalar(select(func.count(StixObjectRow.id))) == 0


def test_a_bad_object_late_in_a_bundle_leaves_nothing_half_imported(new_store):
    source = loaded(new_store)
    target = new_store()
    data = export_bundle(source).as_dict()
    data["objects"].append({"type": "x-vigil-event", "spec_version": "2.1", "id": f"x-vigil-event--{uuid.uuid4()}",
                            "created": "2023-01-01T00:00:00.000Z", "modified": "2023-01-01T00:00:00.000Z",
                            "event_type": "Battles", "sub_event_type": "Armed clash", "fatalities_min": -3})
    with pytest.raises(StixImportError, match="fatalities_min"):
        import_bundle(target, data, options=ImportOptions(source="late.json", fuse=False))
    assert count_documents(target) == 0
    with target.session() as session:
        assert session.scalar(select(func.count(StixObjectRow.id))) == 0


def test_imports_are_audited_and_fused(new_store):
    source = loaded(new_store)
    target = new_store()
    result = import_bundle(target, export_bundle(source).text)
    assert result.errors == []
    with target.session() as session:
        actions = session.scalars(select(AuditRow.action)).all()
    assert "stix_import" in actions
    from vigil.store.fusion_reads import page_fused_events

    assert page_fused_events(target, EventFilter()).total == 4


def _snapshot(store) -> dict:
    with store.session() as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar()
            for table in Base.metadata.sorted_tables
            if table.name not in ("audit_log",)
        }
