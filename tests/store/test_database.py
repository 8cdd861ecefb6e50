"""Opening the store: migrations, SQLite settings, clean errors."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from vigil.errors import StoreError
from vigil.settings import Settings
from vigil.store.database import alembic_config, open_store
from vigil.store.tables import Base


# SQLite cannot reflect the expression index of migration 0002; tests/store/test_indexes.py checks it there.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_migrations_match_the_table_declarations(store):
    with store.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diffs == []


def test_store_is_at_the_head_revision(store):
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head


def test_opening_again_is_harmless(backend_url):
    for _ in range(2):
        with open_store(Settings(database_url=backend_url)) as store:
            assert "events" in inspect(store.engine).get_table_names()


def test_sqlite_file_and_its_folder_are_created(tmp_path):
    path = tmp_path / "deep" / "er" / "vigil.sqlite"
    with open_store(Settings(database_url=f"sqlite:///{path}")) as store:
        assert path.exists()
        with store.engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_in_memory_sqlite_keeps_its_schema_across_sessions():
    with open_store(Settings(database_url="sqlite://")) as store:
        with store.session() as session:
            assert session.execute(text("SELECT count(*) FROM documents")).scalar() == 0


def test_downgrade_and_upgrade_round_trip(tmp_path):
    url = f"sqlite:///{tmp_path / 'vigil.sqlite'}"
    open_store(Settings(database_url=url)).close()
    config = alembic_config(url)
    command.downgrade(config, "base")
    with open_store(Settings(database_url=url)) as store:
        assert {"documents", "events", "claims"} <= set(inspect(store.engine).get_table_names())


def test_a_bad_url_is_a_store_error():
    with pytest.raises(StoreError, match="Not a database URL"):
        open_store(Settings(database_url="not a url"))


def test_an_unreachable_server_is_a_store_error():
    with pytest.raises(StoreError, match="Could not open the store"):
        open_store(Settings(database_url="postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"))


def test_an_unwritable_sqlite_folder_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreError):
        open_store(Settings(database_url=f"sqlite:///{blocker / 'sub' / 'vigil.sqlite'}"))


def test_a_store_from_a_newer_vigil_is_a_store_error(tmp_path):
    url = f"sqlite:///{tmp_path / 'vigil.sqlite'}"
    with open_store(Settings(database_url=url)) as store, store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="newer Vigil"):
        open_store(Settings(database_url=url))
