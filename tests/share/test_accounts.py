"""Accounts and the audit log over a real store: SQLite, and PostgreSQL (marked ``postgres``).

Passwords and tokens are checked where they are kept: the rows themselves are
read back and must hold neither in clear.
"""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from vigil.model.access import LOCAL_ORG, Viewer
from vigil.settings import Settings
from vigil.share import accounts, audit
from vigil.store.audit import AuditFilter
from vigil.store.database import open_store
from vigil.store.tables import ApiTokenRow, AuditRow, OrganisationRow, UserRow

from tests.databases import created_postgres_database

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """Real argon2id at its lowest cost (the default costs about 0.5 s a hash); the format test below checks it."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="module")
def postgres_url():
    with created_postgres_database("vigil_accounts") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'vigil.sqlite'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    store = open_store(Settings(database_url=url))
    try:
        yield store
    finally:
        if store.dialect == "postgresql":  # back to the state the migrations leave: only "local"
            with store.engine.begin() as connection:
                for table in (AuditRow, ApiTokenRow, UserRow):
                    connection.execute(table.__table__.delete())
                connection.execute(OrganisationRow.__table__.delete().where(OrganisationRow.id != LOCAL_ORG))
        store.close()


@pytest.fixture
def people(store):
    """An admin, an analyst and a viewer of "local"; an admin and a viewer of "partner"."""
    accounts.create_organisation(store, "partner", "Partner Agency")
    made = {
        name: accounts.create_user(store, name, PASSWORD, role, org)
        for name, role, org in [("alice", "admin", LOCAL_ORG), ("anna", "analyst", LOCAL_ORG), ("victor", "viewer", LOCAL_ORG),
                                ("pat", "admin", "partner"), ("paul", "viewer", "partner")]
    }
    return made


def test_the_migration_creates_the_local_organisation(store):
    [local] = [o for o in accounts.list_organisations(store) if o.id == LOCAL_ORG]
    assert local.active


def test_passwords_are_stored_as_argon2_hashes_only(store, people):
    with store.session() as session:
        hashes = list(session.scalars(select(UserRow.password_hash)))
    assert len(hashes) == 5 and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(PASSWORD in h for h in hashes)
    assert len(set(hashes)) == 5  # salted: the same password hashes differently


def test_authenticate_accepts_the_right_password_only(store, people):
    assert accounts.authenticate(store, "Alice", PASSWORD).id == people["alice"].id  # names are case-insensitive
    for name, password in [("alice", PASSWORD + "x"), ("nobody", PASSWORD), ("alice", ""), ("", PASSWORD)]:
        with pytest.raises(accounts.AuthenticationFailed) as failed:
            accounts.authenticate(store, name, password)
        assert str(failed.value) == accounts.ERR_LOGIN  # one message: unknown name and wrong password look alike


def test_a_deactivated_user_or_organisation_cannot_log_in(store, people):
    accounts.set_user_active(store, "victor", False)
    with pytest.raises(accounts.AuthenticationFailed):
        accounts.authenticate(store, "victor", PASSWORD)
    accounts.set_organisation_active(store, "partner", False)
    with pytest.raises(accounts.AuthenticationFailed):
        accounts.authenticate(store, "paul", PASSWORD)


def test_bad_input_is_refused_with_the_field_named(store, people):
    cases = [
        (lambda: accounts.create_user(store, "x", PASSWORD), "username"),
        (lambda: accounts.create_user(store, "a" * 32, PASSWORD), "username"),  # would read as a user id
        (lambda: accounts.create_user(store, "bob", "short"), "password"),
        (lambda: accounts.create_user(store, "bob", PASSWORD, "root"), "role"),
        (lambda: accounts.create_user(store, "bob", PASSWORD, "viewer", "nowhere"), "organisation"),
        (lambda: accounts.create_organisation(store, "Bad Id", "x"), "organisation id"),
    ]
    for call, field in cases:
        with pytest.raises(accounts.AccountError, match=field):
            call()
    with pytest.raises(accounts.AccountConflict):
        accounts.create_user(store, "ALICE", PASSWORD)
    with pytest.raises(accounts.AccountConflict):
        accounts.create_organisation(store, "partner-2", "Partner Agency")
    with pytest.raises(accounts.AccountError, match="cannot be deactivated"):
        accounts.set_organisation_active(store, LOCAL_ORG, False)
    assert [u.username for u in accounts.list_users(store)] == ["alice", "anna", "pat", "paul", "victor"]


def test_tokens_are_stored_as_digests_and_resolve_to_their_user(store, people):
    issued = accounts.create_token(store, people["anna"], "script")
    assert issued.secret.startswith("vgl_") and len(issued.secret) == 47
    with store.session() as session:
        stored = session.scalar(select(ApiTokenRow.token_hash))
    assert stored == accounts.token_digest(issued.secret) and issued.secret not in stored
    found = accounts.resolve_token(store, issued.secret)
    assert found.viewer == Viewer(user_id=people["anna"].id, org_id=LOCAL_ORG, role="analyst", username="anna")
    [listed] = accounts.list_tokens(store, user=people["anna"])
    assert listed.last_used_at is not None and listed.id == issued.token.id


def test_forged_revoked_expired_and_wrong_kind_tokens_resolve_to_nobody(store, people):
    issued = accounts.create_token(store, people["anna"])
    forged = issued.secret[:-4] + ("AAAA" if not issued.secret.endswith("AAAA") else "BBBB")
    assert accounts.resolve_token(store, forged) is None
    assert accounts.resolve_token(store, "vgl_" + "A" * 43) is None
    assert accounts.resolve_token(store, accounts.token_digest(issued.secret)) is None  # the stored digest is no key
    assert accounts.resolve_token(store, issued.secret, kinds=("session",)) is None
    accounts.revoke_token(store, issued.token.id)
    assert accounts.resolve_token(store, issued.secret) is None
    with pytest.raises(accounts.UnknownAccount):  # revoking twice: nothing left to revoke
        accounts.revoke_token(store, issued.token.id)

    short = accounts.create_token(store, people["anna"], expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30))
    assert accounts.resolve_token(store, short.secret) is not None
    with store.session() as session, session.begin():  # let it run out
        row = session.get(ApiTokenRow, short.token.id)
        row.expires_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    assert accounts.resolve_token(store, short.secret) is None
    with pytest.raises(accounts.AccountError, match="not in the future"):
        accounts.create_token(store, people["anna"], expires_at=dt.datetime(2000, 1, 1))


def test_deactivation_stops_tokens_at_once(store, people):
    token = accounts.create_token(store, people["paul"])
    session = accounts.start_session(store, people["victor"], 1)
    accounts.set_organisation_active(store, "partner", False)
    assert accounts.resolve_token(store, token.secret) is None
    accounts.set_organisation_active(store, "partner", True)
    assert accounts.resolve_token(store, token.secret) is not None
    accounts.set_user_active(store, "victor", False)
    assert accounts.resolve_token(store, session.secret, kinds=("session",)) is None
    accounts.set_user_active(store, "victor", True)
    assert accounts.resolve_token(store, session.secret, kinds=("session",)) is None  # revoked, not just suspended


def test_a_new_password_ends_sessions_but_keeps_tokens(store, people):
    token = accounts.create_token(store, people["anna"])
    session = accounts.start_session(store, people["anna"], 1)
    accounts.set_password(store, "anna", "another long passphrase")
    assert accounts.resolve_token(store, session.secret, kinds=("session",)) is None
    assert accounts.resolve_token(store, token.secret) is not None
    assert accounts.authenticate(store, "anna", "another long passphrase").username == "anna"


def test_partner_tokens_read_as_a_viewer_of_their_organisation(store, people):
    issued = accounts.create_partner_token(store, "partner", "instance B")
    found = accounts.resolve_token(store, issued.secret)
    assert found.viewer == Viewer(user_id=None, org_id="partner", role="viewer", username="partner:partner")


def test_admins_manage_only_their_own_organisation(store, people):
    pat = people["pat"].viewer()
    alice = people["alice"].viewer()
    anna = people["anna"].viewer()
    assert {u.username for u in accounts.list_users(store, by=pat)} == {"pat", "paul"}
    with pytest.raises(accounts.NotPermitted):
        accounts.create_user(store, "mallory", PASSWORD, "admin", LOCAL_ORG, by=pat)
    with pytest.raises(accounts.NotPermitted):
        accounts.set_user_active(store, "anna", False, by=pat)
    with pytest.raises(accounts.NotPermitted):
        accounts.create_organisation(store, "other", "Other", by=pat)  # only admins of "local"
    with pytest.raises(accounts.NotPermitted):
        accounts.create_user(store, "mallory", PASSWORD, "viewer", LOCAL_ORG, by=anna)  # analysts are no admins
    with pytest.raises(accounts.NotPermitted, match="your own account"):
        accounts.set_user_active(store, "alice", False, by=alice)
    assert accounts.create_user(store, "paula", PASSWORD, "analyst", "partner", by=alice).org_id == "partner"
    # Tokens: one's own, or (admins) one's organisation's; others' look like unknown ids.
    token = accounts.create_token(store, people["anna"])
    with pytest.raises(accounts.UnknownAccount):
        accounts.revoke_token(store, token.token.id, by=people["victor"].viewer())
    with pytest.raises(accounts.UnknownAccount):
        accounts.revoke_token(store, token.token.id, by=pat)
    assert accounts.revoke_token(store, token.token.id, by=alice).revoked_at is not None


def test_audit_entries_are_recorded_filtered_and_exported(store, people):
    alice = people["alice"].viewer()
    audit.record(store, alice, "login", "user", alice.user_id, {"via": "api"}, "10.0.0.1")
    audit.record(store, people["pat"].viewer(), "export", "events", None, {"rows": 3, "format": "csv"})
    audit.record(store, None, "login_failed", "user", username="ghost")
    audit.record(store, None, "export", "events", None, {"via": "cli"})
    entries, total = audit.list_entries(store)
    assert total == 4 and [e.action for e in entries] == ["export", "login_failed", "export", "login"]
    assert entries[0].org_id == LOCAL_ORG and entries[1].org_id is None and entries[1].username == "ghost"
    ours, _ = audit.list_entries(store, AuditFilter(org_id=LOCAL_ORG))
    assert {e.action for e in ours} == {"login", "export"} and all(e.org_id == LOCAL_ORG for e in ours)
    assert audit.list_entries(store, AuditFilter(action="export", org_id="partner"))[0][0].detail == {"rows": 3, "format": "csv"}
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=1)
    assert audit.list_entries(store, AuditFilter(since=later))[1] == 0
    naive_earlier = dt.datetime.utcnow() - dt.timedelta(minutes=1)  # taken as UTC
    assert audit.list_entries(store, AuditFilter(since=naive_earlier))[1] == 4

    csv_text, rows = audit.export_entries(store, AuditFilter(), "csv")
    assert rows == 4 and csv_text.splitlines()[0].startswith("id,at,username")
    assert "10.0.0.1" in csv_text and '""via"": ""api""' in csv_text
    jsonl, rows = audit.export_entries(store, AuditFilter(limit=2), "jsonl")
    assert rows == 2 and len(jsonl.splitlines()) == 2
    with pytest.raises(ValueError, match="format"):
        audit.export_entries(store, AuditFilter(), "xml")
