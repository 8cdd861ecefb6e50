"""STIX through the CLI (``vigil export --format stix``, ``vigil import``, ``vigil stix list|show``), the API
(``GET /api/export/stix``, ``POST /api/import/stix``, ``/api/stix-objects``) and the ``/stix`` page, over the
bundled sample reports ingested by the real extractor."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from stix2validator import ValidationOptions, validate_string
from typer.testing import CliRunner

from vigil.api import create_app
from vigil.cli.main import app
from vigil.model.access import Tlp
from vigil.settings import Settings
from vigil.store.database import open_store
from vigil.store.repository import count_documents
from vigil.workflow import ingest, open_ready_store, sample_paths

runner = CliRunner()
MALWARE = {
    "type": "malware", "spec_version": "2.1", "id": "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b",
    "created": "2023-05-01T00:00:00.000Z", "modified": "2023-05-01T00:00:00.000Z", "name": "Remote detonator app",
    "is_family": False,
}


def vigil(db: str, *args: str):
    return runner.invoke(app, ["--database", db, *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def source_db(tmp_path_factory, extractor) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('stix-source') / 'vigil.sqlite'}"
    settings = Settings(database_url=url)
    store = open_ready_store(settings)
    by_name = {path.name: path for path in sample_paths()}
    wikinews = tmp_path_factory.mktemp("wikinews") / "first.jsonl"
    wikinews.write_text("\n".join(by_name["wikinews-pakistan-afghanistan.jsonl"].read_text("utf-8").splitlines()[:8]) + "\n")
    assert ingest([str(by_name["vigil-examples.jsonl"]), str(wikinews)], settings, store=store, extractor=extractor).created
    store.close()
    return url


@pytest.mark.parametrize(
    "filters", [[], ["--country", "PK"], ["--event-type", "Explosions/Remote violence"], ["--since", "2023-01-01"], ["--actor", "TTP"]]
)
def test_cli_exports_valid_bundles_for_sample_reports(source_db, tmp_path, filters):
    output = tmp_path / "bundle.json"
    result = vigil(source_db, "export", "--format", "stix", "--output", str(output), *filters)
    assert result.exit_code == 0, result.output
    assert "STIX 2.1 bundle" in result.stderr
    validation = validate_string(output.read_text("utf-8"), ValidationOptions())
    assert validation.is_valid, [str(error) for error in validation.errors]
    bundle = json.loads(output.read_text("utf-8"))
    if not filters:
        assert sum(o["type"] == "report" for o in bundle["objects"]) >= 6
        assert sum(o["type"] == "x-vigil-event" for o in bundle["objects"]) >= 6


def test_cli_import_then_list_and_show(source_db, tmp_path):
    bundle_path = tmp_path / "bundle.json"
    assert vigil(source_db, "export", "--format", "stix", "--output", str(bundle_path)).exit_code == 0
    bundle = json.loads(bundle_path.read_text("utf-8"))
    bundle["objects"].append(MALWARE)
    bundle_path.write_text(json.dumps(bundle), "utf-8")
    target = f"sqlite:///{tmp_path / 'target.sqlite'}"
    first = vigil(target, "import", str(bundle_path), "--no-fuse")
    assert first.exit_code == 0, first.output
    assert "1 objects Vigil does not model kept" in first.stderr
    store = open_store(Settings(database_url=target))
    try:
        imported = count_documents(store)
    finally:
        store.close()
    again = vigil(target, "import", str(bundle_path), "--no-fuse")
    assert f"documents 0 new, 0 replaced, {imported} already stored" in again.stderr
    listed = vigil(target, "stix", "list")
    assert MALWARE["id"] in listed.stdout and "Remote detonator app" in listed.stdout
    shown = vigil(target, "stix", "show", MALWARE["id"])
    assert json.loads(shown.stdout)["name"] == "Remote detonator app"


def test_cli_import_of_a_malformed_file_names_it_and_writes_nothing(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "bundle", "objects": [{"type": "malware"', "utf-8")
    target = f"sqlite:///{tmp_path / 'target.sqlite'}"
    result = vigil(target, "import", str(broken))
    assert result.exit_code == 1
    assert str(broken) in result.stderr and "not JSON" in result.stderr
    missing = vigil(target, "import", str(tmp_path / "nowhere.json"))
    assert missing.exit_code == 1 and "nowhere.json" in missing.stderr


def test_cli_max_tlp_leaves_out_records_above_the_ceiling(tmp_path):
    url = f"sqlite:///{tmp_path / 'marked.sqlite'}"
    from vigil.model.records import Document
    from vigil.store.repository import save_document

    store = open_store(Settings(database_url=url))
    try:
        for marking in Tlp:
            save_document(store, Document.from_text(f"A report marked {marking.value}.", tlp=marking, title=marking.value))
    finally:
        store.close()
    output = tmp_path / "green.json"
    assert vigil(url, "export", "--format", "stix", "--max-tlp", "green", "--output", str(output)).exit_code == 0
    names = {o["name"] for o in json.loads(output.read_text("utf-8"))["objects"] if o["type"] == "report"}
    assert names == {"TLP:CLEAR", "TLP:GREEN"}


def test_api_export_import_and_kept_objects(source_db, tmp_path):
    with TestClient(create_app(Settings(database_url=source_db))) as source:
        response = source.get("/api/export/stix", params={"country": "PK"})
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/stix+json")
        assert validate_string(response.text, ValidationOptions()).is_valid
        assert source.get("/api/export/stix", params={"max_tlp": "purple"}).status_code == 400
        bundle = response.json()
    bundle["objects"].append(MALWARE)
    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'api-target.sqlite'}"))) as target:
        imported = target.post("/api/import/stix", json=bundle)
        assert imported.status_code == 200, imported.text
        assert imported.json()["documents_created"] >= 1 and imported.json()["objects_kept"] == 1
        assert target.post("/api/import/stix", json=bundle).json()["documents_created"] == 0
        bad = target.post("/api/import/stix", json={"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": [{"type": "malware", "id": "malware--1"}]})
        assert bad.status_code == 400 and "object 0" in bad.json()["error"]["message"]
        listed = target.get("/api/stix-objects").json()
        assert [item["id"] for item in listed["items"]] == [MALWARE["id"]]
        assert target.get(f"/api/stix-objects/{MALWARE['id']}").json()["raw"]["name"] == "Remote detonator app"
        assert target.get("/api/stix-objects/malware--00000000-0000-4000-8000-000000000000").status_code == 404
        page = target.get("/stix")
        assert page.status_code == 200 and "Remote detonator app" in page.text
        detail = target.get(f"/stix/{MALWARE['id']}")
        assert detail.status_code == 200 and "is_family" in detail.text


def test_readme_mentions_the_stix_commands():
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    for command in ("vigil import", "vigil stix list", "vigil stix show", "--format stix"):
        assert command in readme, command
