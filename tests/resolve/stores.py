"""Fixtures for the stored-fusion tests: a store on each backend and the Bajaur test reports.

Imported by the ``test_store_*`` modules (``from .stores import ...``). ``fusion_store``
is a fresh SQLite file per test and, when the server answers, a PostgreSQL
database made for the session (emptied after each test), marked ``postgres``.
The reports (``data/bajaur_reports.jsonl``) go through the real extractor.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from vigil.settings import Settings
from vigil.store.database import Store, open_store
from vigil.store.tables import Base
from vigil.workflow import IngestOutcome, ingest
from tests.databases import created_postgres_database

REPORTS = Path(__file__).with_name("data") / "bajaur_reports.jsonl"
POSTGRES_URL = os.environ.get("VIGIL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ATTACK = ("wire-bajaur", "daily-bajaur", "weekly-bajaur")  # 43 "Daesh", 44 "IS-K", 54 "the Islamic State"
UNRELATED = "quetta-checkpoint"
LATE = "late-bajaur"  # a later report of the same attack: 44, no perpetrator named


def report_lines() -> dict[str, str]:
    """Report id -> its JSON line."""
    lines = [line for line in REPORTS.read_text("utf-8").splitlines() if line.strip()]
    return {json.loads(line)["id"]: line for line in lines}


@pytest.fixture
def report_files(tmp_path) -> dict[str, Path]:
    """Each test report in a file of its own, so a test can ingest them in any order."""
    folder = tmp_path / "reports"
    folder.mkdir()
    files = {}
    for report_id, line in report_lines().items():
        files[report_id] = folder / f"{report_id}.jsonl"
        files[report_id].write_text(line + "\n", "utf-8")
    return files


@pytest.fixture(scope="session")
def fusion_postgres_url():
    """A PostgreSQL database for this session, dropped at the end; skips when the server is unreachable."""
    with created_postgres_database("vigil_fusion_test") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fusion_settings(request, tmp_path) -> Settings:
    if request.param == "sqlite":
        return Settings(database_url=f"sqlite:///{tmp_path / 'fusion.sqlite'}")
    return Settings(database_url=request.getfixturevalue("fusion_postgres_url"))


@pytest.fixture
def fusion_store(fusion_settings):
    store = open_store(fusion_settings)
    try:
        yield store
    finally:
        if store.dialect == "postgresql":
            with store.engine.begin() as connection:
                for table in reversed(Base.metadata.sorted_tables):
                    connection.execute(table.delete())
        store.close()


def ingest_reports(store: Store, settings: Settings, extractor, files: list[Path]) -> IngestOutcome:  # noqa: ANN001
    outcome = ingest(files, settings, store=store, extractor=extractor)
    assert not outcome.errors, outcome.errors
    return outcome
