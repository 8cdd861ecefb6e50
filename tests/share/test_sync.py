"""Partners, their sealed tokens, what may leave for them (``vigil.store.sharing``), the schedule and the CLI.

The sharing rules run on a real SQLite store and, under the ``postgres`` mark, on the local
PostgreSQL server; the CLI sync runs against a real Vigil server on loopback.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.model.access import Tlp, Viewer
from vigil.settings import Settings
from vigil.share.partners import PartnerError, add_partner, get_partner, list_partners, partner_token, remove_partner
from vigil.share.secrets import SecretBox, SecretError
from vigil.api.server import SyncScheduler
from vigil.store.database import open_store
from vigil.store.markings import share_document
from vigil.store.sharing import Filters, list_units, pushable, served
from vigil.store.tables import AuditRow, DocumentRow, PartnerRow
from tests.share import taxii_support as support
from tests.databases import created_postgres_database


POSTGRES_URL = os.environ.get("VIGIL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TOKEN = "vgl_" + "p" * 43


@pytest.fixture(scope="module")
def postgres_url():
    with created_postgres_database("vigil_partners") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'vigil.sqlite'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    opened = open_store(Settings(database_url=url))
    support.seed(opened)
    yield opened
    if opened.dialect == "postgresql":
        with opened.engine.begin() as connection:
            for table in ("partners", "sync_state", "document_shares", "documents", "audit_log", "stix_objects"):
                connection.execute(text(f"DELETE FROM {table}"))
    opened.close()


@pytest.fixture
def settings(tmp_path):
    return Settings(database_url=f"sqlite:///{tmp_path / 'unused.sqlite'}", secret_key_file=str(tmp_path / "keys" / "secret.key"))


# -- partners and their tokens -------------------------------------------------------------------------
def test_a_partner_token_is_stored_encrypted_under_a_private_key_file(store, settings):
    partner = add_partner(store, settings, id="unmt", taxii_url="https://unmt.example.org/taxii2/vigil",
                          token=TOKEN, max_tlp="amber", countries=["af", "PK"], actors=["ttp"], direction="push")
    assert partner.taxii_url.endswith("/vigil/") and partner.countries == ("AF", "PK") and partner.max_tlp is Tlp.AMBER
    with store.engine.connect() as connection:
        row = connection.execute(select(PartnerRow.__table__)).one()
    assert TOKEN not in json.dumps(dict(row._mapping), default=str)
    assert partner_token(settings, get_partner(store, "unmt")) == TOKEN
    assert TOKEN not in repr(partner)
    key = Path(settings.secret_key_file)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    other = Settings(database_url=settings.database_url, secret_key_file=str(key.parent / "other.key"))
    with pytest.raises(SecretError, match="add the partner's token again"):
        partner_token(other, get_partner(store, "unmt"))
    remove_partner(store, "unmt")
    assert list_partners(store) == []
    with pytest.raises(PartnerError, match="no partner"):
        remove_partner(store, "unmt")


def test_a_token_sealed_under_another_key_stops_that_partner_only(store, settings, tmp_path):
    from vigil.share.sync import sync
    from vigil.store.partners import get_state

    add_partner(store, settings, id="unmt", taxii_url="https://unmt.example.org/taxii2/vigil/", token=TOKEN, direction="pull")
    moved = Settings(database_url=settings.database_url, secret_key_file=str(tmp_path / "replaced.key"))
    [report] = sync(store, moved)
    assert not report.ok and "add the partner's token again" in report.error
    assert get_state(store, "unmt", "pull").last_error == report.error


@pytest.mark.parametrize(("field", "value", "message"), [
    ("id", "X", "partner id"),
    ("taxii_url", "ftp://x.example", "taxii url"),
    ("max_tlp", "red", "may not leave the instance"),
    ("max_tlp", "purple", "max tlp"),
    ("direction", "sideways", "direction"),
    ("countries", ["Pakistan"], "country"),
    ("org_id", "nobody", "organisation"),
    ("token", " ", "token"),
])
def test_bad_partner_settings_are_refused_naming_the_field(store, settings, field, value, message):
    given = {"id": "unmt", "taxii_url": "https://unmt.example.org/taxii2/vigil/", "token": TOKEN, field: value}
    with pytest.raises(PartnerError, match=message):
        add_partner(store, settings, **given)
    assert list_partners(store) == []


def test_a_secret_key_file_that_is_not_a_key_is_an_error(tmp_path):
    bad = tmp_path / "secret.key"
    bad.write_text("not a key")
    with pytest.raises(SecretError, match="not usable"):
        SecretBox(bad)


# -- what may leave --------------------------------------------------------------------------------------
def _titles(store, where) -> set[str]:  # noqa: ANN001
    ids = [unit.id for unit in list_units(store, where, 1000)]
    with store.engine.connect() as connection:
        return {row[0] for row in connection.execute(select(DocumentRow.title).where(DocumentRow.id.in_(ids)))}


def _marked_corpus(store) -> None:  # noqa: ANN001
    ids = support.store_reports(
        store,
        support.report("clear"), support.report("green", Tlp.GREEN), support.report("amber", Tlp.AMBER),
        support.report("strict", Tlp.AMBER_STRICT), support.report("red", Tlp.RED),
        support.report("afghan", country="AF", actor="ttp"),
        support.report("other-org-amber", Tlp.AMBER, org_id="ngo"),
        support.report("other-org-shared", Tlp.AMBER, org_id="ngo"),
    )
    share_document(store, ids[-1], "local")
    foreign = support.store_reports(store, support.report("foreign-green", Tlp.GREEN), support.report("foreign-amber", Tlp.AMBER))
    with store.engine.begin() as connection:  # two records another instance sent us
        connection.execute(DocumentRow.__table__.update().where(DocumentRow.id.in_(foreign))
                           .values(origin_instance="instance-of-partner-a", origin_org="Partner A"))


def test_a_push_sends_what_the_organisation_sees_within_the_ceiling_never_red_nor_a_partners_amber(store):
    _marked_corpus(store)
    local = Viewer(user_id=None, org_id="local")
    everything = {"Attack clear", "Attack green", "Attack amber", "Attack afghan", "Attack other-org-shared",
                  "Attack foreign-green"}
    assert _titles(store, pushable(local, Tlp.AMBER, Filters())) == everything
    assert _titles(store, pushable(local, Tlp.AMBER_STRICT, Filters())) == everything | {"Attack strict"}
    assert _titles(store, pushable(local, Tlp.RED, Filters())) == everything | {"Attack strict"}  # RED: never
    assert _titles(store, pushable(local, Tlp.GREEN, Filters())) == {"Attack clear", "Attack green", "Attack afghan",
                                                                     "Attack foreign-green"}
    other = Viewer(user_id=None, org_id="ngo")
    assert "Attack amber" not in _titles(store, pushable(other, Tlp.AMBER, Filters()))
    assert _titles(store, pushable(local, Tlp.AMBER, Filters(countries=("AF",)))) == {"Attack afghan"}
    assert _titles(store, pushable(local, Tlp.AMBER, Filters(actors=("ttp",)))) == {"Attack afghan"}
    assert _titles(store, pushable(local, Tlp.AMBER, Filters(regions=("Nangarhar",)))) == {"Attack afghan"}
    assert _titles(store, pushable(local, Tlp.AMBER, Filters(countries=("NG",)))) == set()


def test_the_taxii_server_serves_a_partners_amber_only_to_the_organisation_that_received_it(store):
    _marked_corpus(store)
    own = _titles(store, served(Viewer(user_id="u1", org_id="local"), Tlp.AMBER_STRICT))
    assert "Attack foreign-amber" in own and "Attack red" not in own and "Attack strict" in own
    store_wide = _titles(store, served(None, Tlp.AMBER_STRICT))
    assert "Attack red" not in store_wide
    with store.engine.begin() as connection:
        connection.execute(text("INSERT INTO document_shares (document_id, org_id, granted_at) "
                                "SELECT id, 'ngo', CURRENT_TIMESTAMP FROM documents WHERE title = 'Attack foreign-amber'"))
    assert "Attack foreign-amber" not in _titles(store, served(Viewer(user_id="u2", org_id="ngo"), Tlp.AMBER))


# -- the schedule ------------------------------------------------------------------------------------------
def test_the_scheduler_runs_its_job_until_stopped_and_survives_a_failing_run():
    ran = threading.Event()
    calls = []

    def job() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("partner down")
        ran.set()

    scheduler = SyncScheduler(job, interval_s=0.01).start()
    assert ran.wait(timeout=30)
    scheduler.stop(timeout_s=30)
    assert len(calls) >= 2
    with pytest.raises(ValueError, match="sync interval"):
        SyncScheduler(job, interval_s=0)


# -- the command line ----------------------------------------------------------------------------------------
def test_partners_and_sync_from_the_command_line(tmp_path):
    folder = tmp_path / "server"
    folder.mkdir()
    partner_side = support.start_server(f"sqlite:///{folder / 'a.sqlite'}", folder)
    try:
        support.store_reports(partner_side.store, support.report("over the wire"))
        _, secret = support.account(partner_side.store, "inst-b", "b-sync")
        database = f"sqlite:///{tmp_path / 'b.sqlite'}"
        env = {"VIGIL_SECRET_KEY_FILE": str(tmp_path / "b.key")}
        runner = CliRunner()

        def vigil(*args: str, input: str | None = None):
            return runner.invoke(app, ["--database", database, *args], input=input, env=env)

        added = vigil("partners", "add", "inst-a", partner_side.api_root, "--max-tlp", "amber", "--country", "PK",
                      "--direction", "pull", "--token-stdin", input=secret + "\n")
        assert added.exit_code == 0, added.output
        listed = vigil("partners", "list", "--format", "json")
        assert listed.exit_code == 0 and secret not in listed.output
        [row] = json.loads(listed.stdout)
        assert row["id"] == "inst-a" and row["max_tlp"] == "TLP:AMBER" and row["countries"] == ["PK"]
        synced = vigil("sync", "--partner", "inst-a")
        assert synced.exit_code == 0, synced.output
        assert "inst-a pull: " in synced.output
        listed = json.loads(vigil("partners", "list", "--format", "json").stdout)
        assert listed[0]["pull"]["up_to"] and listed[0]["pull"]["last_error"] is None
        assert vigil("partners", "pause", "inst-a").exit_code == 0
        paused = vigil("sync")
        assert paused.exit_code == 0 and "No active partner" in paused.output
        assert json.loads(vigil("partners", "list", "--format", "json").stdout)[0]["active"] is False
        assert vigil("partners", "resume", "inst-a").exit_code == 0
        assert json.loads(vigil("partners", "list", "--format", "json").stdout)[0]["active"] is True
        bad = vigil("partners", "add", "inst-x", "not a url", "--token-stdin", input=secret + "\n")
        assert bad.exit_code == 1 and "taxii url" in bad.output
        removed = vigil("partners", "remove", "inst-a")
        assert removed.exit_code == 0
        nothing = vigil("sync")
        assert nothing.exit_code == 0 and "No active partner" in nothing.output
        opened = open_store(Settings(database_url=database))
        try:
            assert "Attack over the wire" in support.document_titles(opened)
            with opened.engine.connect() as connection:
                actions = {row[0] for row in connection.execute(select(AuditRow.action))}
            assert {"partner_added", "sync", "partner_removed"} <= actions
        finally:
            opened.close()
    finally:
        partner_side.stop()
        partner_side.store.close()


def test_sync_with_an_unreachable_partner_fails_cleanly_and_says_so(tmp_path):
    database = f"sqlite:///{tmp_path / 'b.sqlite'}"
    env = {"VIGIL_SECRET_KEY_FILE": str(tmp_path / "b.key")}
    runner = CliRunner()
    port = support.free_port()  # nothing listens there
    added = runner.invoke(app, ["--database", database, "partners", "add", "gone", f"http://127.0.0.1:{port}/taxii2/vigil/",
                                "--token-stdin"], input=TOKEN + "\n", env=env)
    assert added.exit_code == 0, added.output
    synced = runner.invoke(app, ["--database", database, "sync"], env=env)
    assert synced.exit_code == 1 and "cannot be reached" in synced.output
