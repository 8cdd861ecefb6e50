"""A dashboard over a small real store: the six Vigil examples and the first Wikinews reports, ingested once.

The app is the API's ``create_app`` (which installs the web pages), around a
SQLite store in a temporary folder; the session's ``extractor`` does the
extraction, as ``vigil ingest`` would.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from vigil.api.app import create_app
from vigil.settings import Settings
from vigil.workflow import ingest, open_ready_store, sample_paths

WIKINEWS_REPORTS = 12


def sample_file(name: str) -> Path:
    (path,) = [p for p in sample_paths() if p.name == name]
    return path


@pytest.fixture(scope="session")
def web_store(tmp_path_factory, extractor):
    folder = tmp_path_factory.mktemp("web-store")
    wikinews = folder / "wikinews.jsonl"
    with sample_file("wikinews-pakistan-afghanistan.jsonl").open(encoding="utf-8") as lines:
        wikinews.write_text("".join(islice(lines, WIKINEWS_REPORTS)), encoding="utf-8")
    settings = Settings(database_url=f"sqlite:///{folder / 'vigil.sqlite'}")
    store = open_ready_store(settings)
    outcome = ingest([sample_file("vigil-examples.jsonl"), wikinews], settings, store=store, extractor=extractor)
    assert not outcome.errors and len(outcome.created) == 6 + WIKINEWS_REPORTS
    yield settings, store
    store.close()


@pytest.fixture(scope="session")
def client(web_store) -> TestClient:
    settings, store = web_store
    return TestClient(create_app(settings, store=store))


@pytest.fixture(scope="session")
def store(web_store):
    return web_store[1]
