"""Fixtures for the API tests: an app over a small store built from the bundled sample reports.

``client`` serves a store holding the six illustrative reports and the first
Wikinews reports, ingested once per session with the session ``extractor``,
on SQLite and (marked ``postgres``, skipped when the server is unreachable) on
a PostgreSQL database created for the session. Tests that write get
``fresh_client``, over an empty SQLite store of their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.databases import created_postgres_database
from vigil.api import create_app
from vigil.api.deps import LazyExtractor
from vigil.settings import Settings
from vigil.workflow import ingest, open_ready_store, sample_paths

WIKINEWS_REPORTS = 12
COMMENTARY = "vigil-example-commentary-2023-08-28"


@pytest.fixture(scope="session")
def sample_inputs(tmp_path_factory) -> list[Path]:
    """The six illustrative reports and the first Wikinews reports, as JSON Lines files."""
    by_name = {path.name: path for path in sample_paths()}
    lines = by_name["wikinews-pakistan-afghanistan.jsonl"].read_text("utf-8").splitlines()[:WIKINEWS_REPORTS]
    wikinews = tmp_path_factory.mktemp("samples") / "wikinews-first.jsonl"
    wikinews.write_text("\n".join(lines) + "\n", "utf-8")
    return [by_name["vigil-examples.jsonl"], wikinews]


@pytest.fixture(scope="session")
def postgres_database_url():
    """A PostgreSQL database for this session, dropped at the end; skips when the server is unreachable."""
    with created_postgres_database() as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def loaded_settings(request, tmp_path_factory, sample_inputs, extractor) -> Settings:
    """Settings of a store holding the sample inputs (one per backend, built once)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('api-store') / 'vigil.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_database_url")
    settings = Settings(database_url=url)
    store = open_ready_store(settings)
    try:
        outcome = ingest(sample_inputs, settings, store=store, extractor=extractor)
        assert not outcome.errors, outcome.errors
    finally:
        store.close()
    return settings


def app_client(settings: Settings, extractor) -> TestClient:  # noqa: ANN001
    store = open_ready_store(settings)
    app = create_app(settings, store=store)
    app.state.extractor = LazyExtractor(lambda: extractor)
    client = TestClient(app)
    client.store = store  # type: ignore[attr-defined]  (for tests that look behind the API)
    return client


@pytest.fixture(scope="session")
def client(loaded_settings, extractor):
    """A client of the API over the loaded store (read-only tests share it)."""
    client = app_client(loaded_settings, extractor)
    with client:
        yield client
    client.store.close()


@pytest.fixture
def fresh_client(tmp_path, extractor):
    """A client over an empty SQLite store of its own, with a small upload limit (4 KiB)."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'fresh.sqlite'}", max_document_bytes=4096, url_timeout_s=5)
    client = app_client(settings, extractor)
    with client:
        yield client
    client.store.close()


@pytest.fixture
def error_of():
    """Checks a JSON error response's shape and returns its error object."""
    return _error_of


def _error_of(response) -> dict:  # noqa: ANN001
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == response.status_code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]
