"""``vigil orgs|users|tokens|audit`` on a real SQLite store, through the Typer app."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.settings import Settings
from vigil.share import accounts
from vigil.workflow import open_ready_store

runner = CliRunner()
PASSWORD = "a long enough passphrase"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def database(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite'}"


def vigil(database: str, *args: str, input: str | None = None):  # noqa: ANN201
    return runner.invoke(app, ["--database", database, *args], input=input)


def test_accounts_from_the_command_line(database, tmp_path):
    assert vigil(database, "orgs", "add", "un-mt", "UN Monitoring Team").exit_code == 0
    orgs = json.loads(vigil(database, "orgs", "list", "--format", "json").stdout)
    assert [o["id"] for o in orgs] == ["local", "un-mt"]
    added = vigil(database, "users", "add", "amina", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    prompted = vigil(database, "users", "add", "omar", "--org", "un-mt", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0, prompted.output
    short = vigil(database, "users", "add", "bob", "--password-stdin", input="short\n")
    assert short.exit_code == 1 and "password: too short" in short.output
    users = json.loads(vigil(database, "users", "list", "--format", "json").stdout)
    assert [(u["username"], u["role"], u["org_id"]) for u in users] == [("amina", "admin", "local"), ("omar", "viewer", "un-mt")]
    assert all("password" not in key for u in users for key in u)

    created = vigil(database, "tokens", "create", "amina", "--name", "nightly", "--expires-days", "30")
    assert created.exit_code == 0
    secret = created.stdout.strip()
    assert secret.startswith("vgl_") and len(secret) == 47
    store = open_ready_store(Settings(database_url=database))
    try:
        assert accounts.resolve_token(store, secret).viewer.username == "amina"
        [token] = json.loads(vigil(database, "tokens", "list", "amina", "--format", "json").stdout)
        assert secret not in json.dumps(token)
        assert vigil(database, "tokens", "revoke", token["id"]).exit_code == 0
        assert accounts.resolve_token(store, secret) is None
        assert vigil(database, "tokens", "revoke", token["id"]).exit_code == 1  # already revoked: a clean error

        assert vigil(database, "users", "passwd", "amina", "--password-stdin", input="another passphrase!\n").exit_code == 0
        assert accounts.authenticate(store, "amina", "another passphrase!").username == "amina"
        assert vigil(database, "users", "deactivate", "omar").exit_code == 0
        assert not accounts.find_user(store, "omar").active
        assert vigil(database, "users", "deactivate", "nobody").exit_code == 1
    finally:
        store.close()

    listed = json.loads(vigil(database, "audit", "--format", "json").stdout)
    assert [e["action"] for e in listed][::-1] == [
        "organisation_created", "user_created", "user_created", "token_created", "token_revoked", "password_set",
        "user_deactivated",
    ]
    assert all(e["username"].startswith("cli:") and e["detail"]["via"] == "cli" for e in listed)
    out = tmp_path / "audit.jsonl"
    assert vigil(database, "audit", "--export", str(out)).exit_code == 0
    assert len(out.read_text("utf-8").splitlines()) == 7
    assert json.loads(vigil(database, "audit", "--action", "export", "--format", "json").stdout)[0]["record_type"] == "audit_log"
    assert PASSWORD not in out.read_text("utf-8") and secret not in out.read_text("utf-8")


def test_vigil_export_is_audited(database, tmp_path):
    out = tmp_path / "events.csv"
    assert vigil(database, "export", "--output", str(out)).exit_code == 0
    [entry] = json.loads(vigil(database, "audit", "--format", "json").stdout)
    assert (entry["action"], entry["record_type"], entry["detail"]["via"], entry["detail"]["rows"]) == ("export", "events", "cli", 0)
