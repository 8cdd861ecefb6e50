"""Multi-user mode over HTTP: authentication, roles, sessions, tokens, admin routes and the audit they leave.

Each test gets its own SQLite store with an admin, an analyst and a viewer of
the instance's organisation and an admin of a partner organisation, and a
``TestClient`` per person (cookies are per client, as in a browser).
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from argon2 import PasswordHasher
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from vigil.api import create_app
from vigil.api.auth import OPEN_TO_EVERY_ROLE, SESSION_COOKIE
from vigil.model.access import LOCAL_ORG
from vigil.settings import Settings, SettingsError
from vigil.share import accounts
from vigil.store.tables import ApiTokenRow, AuditRow, Base
from vigil.web.pages.account import safe_next
from vigil.workflow import open_ready_store

PASSWORD = "correct horse battery staple"
WEAPON = {"weapon_class": "assault rifle", "make": "Norinco", "serial_number": "TEST-1", "recovered_on": "2023-07-30"}


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """Real argon2id at its lowest cost, so a test can log in many times."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def site(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'multi.sqlite'}", auth_mode="multi", session_hours=2)
    store = open_ready_store(settings)
    accounts.create_organisation(store, "partner", "Partner Agency")
    for name, role, org in [("alice", "admin", LOCAL_ORG), ("anna", "analyst", LOCAL_ORG), ("victor", "viewer", LOCAL_ORG),
                            ("pat", "admin", "partner")]:
        accounts.create_user(store, name, PASSWORD, role, org)
    app = create_app(settings, store=store)
    yield app, store
    store.close()


def client_of(site, username: str | None = None) -> TestClient:
    """A client, logged in through the API when a user name is given."""
    client = TestClient(site[0])
    if username:
        response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
    return client


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def audit_actions(store) -> list[tuple[str, str | None]]:  # noqa: ANN001
    with store.session() as session:
        return [(row.action, row.username) for row in session.scalars(select(AuditRow).order_by(AuditRow.id))]


# -- authentication ----------------------------------------------------------------------------------------
def test_without_credentials_the_api_answers_401_and_pages_redirect_to_login(site):
    client = client_of(site)
    for path in ("/api/events", "/api/documents", "/api/auth/me", "/api/audit", "/api/nowhere", "/openapi.json"):
        response = client.get(path, headers={"Accept": "application/json"})
        assert response.status_code == 401, path
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="vigil"')
        assert response.json()["error"]["status"] == 401
    page = client.get("/events?country=PK", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/events%3Fcountry%3DPK"
    assert client.get("/login").status_code == 200  # the login page and static files stay open
    assert client.get("/static/css/vigil.css").status_code == 200
    assert client.post("/api/recovered-weapons", json=WEAPON).status_code == 401


def test_forged_revoked_and_expired_tokens_are_refused(site):
    app, store = site
    issued = accounts.create_token(store, accounts.find_user(store, "anna"), "script")
    client = client_of(site)
    assert client.get("/api/events", headers=bearer(issued.secret)).status_code == 200
    forged = issued.secret[:-1] + ("a" if issued.secret[-1] != "a" else "b")
    for header in (bearer(forged), bearer("vgl_" + "x" * 43), bearer(accounts.token_digest(issued.secret)),
                   {"Authorization": f"Basic {issued.secret}"}, {"Authorization": "Bearer"}):
        response = client.get("/api/events", headers=header)
        assert response.status_code == 401, header
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    accounts.revoke_token(store, issued.token.id)
    assert client.get("/api/events", headers=bearer(issued.secret)).status_code == 401

    expiring = accounts.create_token(store, accounts.find_user(store, "anna"),
                                     expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1))
    assert client.get("/api/events", headers=bearer(expiring.secret)).status_code == 200
    with store.session() as session, session.begin():
        session.get(ApiTokenRow, expiring.token.id).expires_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    assert client.get("/api/events", headers=bearer(expiring.secret)).status_code == 401


def test_a_session_secret_is_no_bearer_token_and_an_api_token_is_no_cookie(site):
    app, store = site
    client = client_of(site, "anna")
    session_secret = client.cookies[SESSION_COOKIE]
    assert client_of(site).get("/api/events", headers=bearer(session_secret)).status_code == 401
    token = accounts.create_token(store, accounts.find_user(store, "anna"))
    other = client_of(site)
    other.cookies.set(SESSION_COOKIE, token.secret)
    assert other.get("/api/events").status_code == 401


def test_login_sets_a_strict_httponly_cookie_and_logout_ends_the_session(site):
    client = client_of(site)
    wrong = client.post("/api/auth/login", json={"username": "anna", "password": "not the password"})
    assert wrong.status_code == 401 and SESSION_COOKIE not in client.cookies
    response = client.post("/api/auth/login", json={"username": "anna", "password": PASSWORD})
    assert response.status_code == 200 and response.json()["user"]["username"] == "anna"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower() and "Max-Age=7200" in cookie
    assert "password" not in response.text and client.cookies[SESSION_COOKIE] not in response.text
    me = client.get("/api/auth/me").json()
    assert (me["mode"], me["user"]["username"], me["organisation"]["id"], me["via"]) == ("multi", "anna", LOCAL_ORG, "session")

    secret = client.cookies[SESSION_COOKIE]
    assert client.post("/api/auth/logout").json() == {"logged_out": True}
    replay = client_of(site)
    replay.cookies.set(SESSION_COOKIE, secret)
    assert replay.get("/api/events").status_code == 401  # the old cookie is dead, not only forgotten
    assert replay.get("/events", headers={"Accept": "text/html"}, follow_redirects=False).status_code == 303


def test_login_input_is_validated(site):
    client = client_of(site)
    assert client.post("/api/auth/login", json={"username": "anna"}).status_code == 400
    assert client.post("/api/auth/login", json={"username": "anna", "password": "x" * 5000}).status_code == 400
    assert client.post("/api/auth/login", json={"username": "anna", "password": PASSWORD, "role": "admin"}).status_code == 400


def test_password_guessing_is_refused_after_five_failures_with_retry_after(site):
    app, store = site
    guesser = client_of(site)
    for _ in range(5):
        assert guesser.post("/api/auth/login", json={"username": "anna", "password": "wrong password!"}).status_code == 401
    refused = guesser.post("/api/auth/login", json={"username": "anna", "password": PASSWORD})  # even the right one
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 800
    assert "Too many failed logins" in refused.json()["error"]["message"]
    form = guesser.post("/login", data={"username": "ANNA", "password": PASSWORD}, follow_redirects=False)
    assert form.status_code == 429 and "Too many failed logins" in form.text and "Retry-After" in form.headers
    assert client_of(site, "alice").get("/api/auth/me").status_code == 200  # other users log in as before
    assert audit_actions(store)[5:8] == [("login_blocked", "anna"), ("login_blocked", "ANNA"), ("login", "alice")]


def test_a_successful_login_resets_the_count_of_failures(site):
    client = client_of(site)
    for _ in range(3):
        for _ in range(4):
            client.post("/api/auth/login", json={"username": "victor", "password": "wrong password!"})
        assert client.post("/api/auth/login", json={"username": "victor", "password": PASSWORD}).status_code == 200


def test_a_request_from_another_site_cannot_change_anything(site):
    client = client_of(site, "anna")
    response = client.post("/api/recovered-weapons", json=WEAPON, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert client.post("/api/recovered-weapons", json=WEAPON, headers={"Origin": "http://testserver"}).status_code == 201
    login = client_of(site).post("/login", data={"username": "anna", "password": PASSWORD}, headers={"Origin": "null"})
    assert login.status_code == 403


# -- roles ----------------------------------------------------------------------------------------------------
def test_viewers_read_but_cannot_write_and_analysts_can(site):
    viewer, analyst = client_of(site, "victor"), client_of(site, "anna")
    assert viewer.get("/api/recovered-weapons").status_code == 200
    refused = viewer.post("/api/recovered-weapons", json=WEAPON)
    assert refused.status_code == 403 and "analyst" in refused.json()["error"]["message"]
    assert viewer.post("/api/fusion/decisions", json={}).status_code == 403
    assert analyst.post("/api/recovered-weapons", json=WEAPON).status_code == 201
    assert viewer.get("/api/recovered-weapons").json()["total"] == 1


def test_admin_routes_are_refused_to_other_roles(site):
    for name in ("anna", "victor"):
        client = client_of(site, name)
        assert client.get("/api/audit").status_code == 403
        assert client.get("/api/users").status_code == 403
        assert client.post("/api/users", json={"username": "eve", "password": PASSWORD}).status_code == 403
        assert client.post("/api/organisations", json={"id": "evil", "name": "Evil"}).status_code == 403
        assert client.post("/api/users/alice/deactivate").status_code == 403
    assert client_of(site, "victor").get("/api/organisations").status_code == 403
    assert client_of(site, "anna").get("/api/organisations").status_code == 200


def test_admins_manage_users_of_their_own_organisation(site):
    alice, pat = client_of(site, "alice"), client_of(site, "pat")
    assert {u["username"] for u in pat.get("/api/users").json()} == {"pat"}
    created = pat.post("/api/users", json={"username": "paul", "password": PASSWORD, "role": "analyst"})
    assert created.status_code == 201 and created.json()["org_id"] == "partner" and "password" not in created.text
    assert pat.post("/api/users", json={"username": "eve", "password": PASSWORD, "org_id": LOCAL_ORG}).status_code == 403
    assert pat.post("/api/users/anna/deactivate").status_code == 403
    assert pat.post("/api/organisations", json={"id": "other", "name": "Other"}).status_code == 403
    assert alice.post("/api/users", json={"username": "paul", "password": PASSWORD}).status_code == 409
    assert alice.post("/api/users", json={"username": "bo", "password": "short"}).status_code == 400
    assert alice.post("/api/organisations", json={"id": "un-mt", "name": "UN Monitoring Team"}).status_code == 201
    assert alice.post("/api/users/alice/deactivate").status_code == 403  # not oneself

    paul = client_of(site, "paul")
    assert alice.post("/api/users/paul/deactivate").json()["active"] is False
    assert paul.get("/api/events").status_code == 401  # at once
    assert client_of(site).post("/api/auth/login", json={"username": "paul", "password": PASSWORD}).status_code == 401


def test_tokens_are_shown_once_and_only_their_owner_or_admin_revokes_them(site):
    anna, victor, alice = client_of(site, "anna"), client_of(site, "victor"), client_of(site, "alice")
    made = victor.post("/api/tokens", json={"name": "reader", "expires_in_days": 30})
    assert made.status_code == 201
    secret, token_id = made.json()["secret"], made.json()["token"]["id"]
    assert re.fullmatch(r"vgl_[A-Za-z0-9_-]{43}", secret)
    listed = victor.get("/api/tokens").json()
    assert token_id in {t["id"] for t in listed} and secret not in victor.get("/api/tokens").text
    reader = client_of(site)
    assert reader.get("/api/events", headers=bearer(secret)).status_code == 200
    assert reader.post("/api/recovered-weapons", json=WEAPON, headers=bearer(secret)).status_code == 403  # the owner's role
    assert anna.delete(f"/api/tokens/{token_id}").status_code == 404  # another user's token is not theirs to see
    assert alice.get("/api/tokens", params={"user": "victor"}).status_code == 200
    assert alice.delete(f"/api/tokens/{token_id}").json()["revoked_at"] is not None
    assert reader.get("/api/events", headers=bearer(secret)).status_code == 401
    assert client_of(site, "pat").get("/api/tokens", params={"user": "victor"}).status_code == 403


# -- the audit log ------------------------------------------------------------------------------------------------
def test_every_audited_action_leaves_an_entry(site, caplog):
    app, store = site
    caplog.set_level(logging.DEBUG)
    anonymous = client_of(site)
    anonymous.post("/api/auth/login", json={"username": "anna", "password": "wrong password!"})
    anonymous.post("/api/auth/login", json={"username": "nobody", "password": "wrong password!"})
    alice = client_of(site, "alice")
    token = alice.post("/api/tokens", json={"name": "t"}).json()
    alice.delete(f"/api/tokens/{token['token']['id']}")
    alice.post("/api/users", json={"username": "bob", "password": PASSWORD})
    alice.post("/api/users/bob/deactivate")
    alice.post("/api/users/bob/activate")
    alice.post("/api/users/bob/password", json={"password": "another long passphrase"})
    alice.post("/api/organisations", json={"id": "un-mt", "name": "UN Monitoring Team"})
    alice.post("/api/organisations/un-mt/deactivate")
    assert alice.get("/api/events/export", params={"format": "csv"}).status_code == 200
    exported = alice.get("/api/audit", params={"format": "csv"})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    alice.post("/api/auth/logout")

    assert audit_actions(store) == [
        ("login_failed", "anna"), ("login_failed", "nobody"), ("login", "alice"), ("token_created", "alice"),
        ("token_revoked", "alice"), ("user_created", "alice"), ("user_deactivated", "alice"), ("user_activated", "alice"),
        ("password_set", "alice"), ("organisation_created", "alice"), ("organisation_deactivated", "alice"),
        ("export", "alice"), ("export", "alice"), ("logout", "alice"),
    ]
    with store.session() as session:
        rows = list(session.scalars(select(AuditRow).order_by(AuditRow.id)))
    assert rows[0].org_id == LOCAL_ORG and rows[1].org_id is None  # a failed login of a real user is their organisation's
    assert rows[11].record_type == "events" and rows[11].detail["format"] == "csv"
    assert all(row.remote_addr == "testclient" for row in rows)
    # No password and no token secret anywhere: not in the tables, not in the logs.
    secrets = [PASSWORD, "wrong password!", "another long passphrase", token["secret"]]
    dump = _dump(store)
    assert not any(secret in dump for secret in secrets)
    assert not any(secret in caplog.text for secret in secrets)


def test_the_audit_log_shows_an_admin_their_organisation_only(site):
    alice, pat = client_of(site, "alice"), client_of(site, "pat")
    alice.get("/api/events/export", params={"format": "json"})
    pat.get("/api/claims/export", params={"format": "csv"})
    seen_by_pat = pat.get("/api/audit").json()
    assert {(e["action"], e["username"]) for e in seen_by_pat["items"]} == {("login", "pat"), ("export", "pat")}
    assert seen_by_pat["total"] == 2
    by_alice = alice.get("/api/audit", params={"action": "export"}).json()["items"]
    assert [(e["username"], e["record_type"]) for e in by_alice] == [("alice", "events")]
    jsonl = alice.get("/api/audit", params={"format": "jsonl", "user": "alice"}).text.splitlines()
    assert len(jsonl) == 2 and all('"org_id":"local"' in line for line in jsonl)
    assert alice.get("/api/audit", params={"since": "yesterday"}).status_code == 400
    assert alice.get("/api/audit", params={"format": "xml"}).status_code == 400


# -- every write is guarded ----------------------------------------------------------------------------------------------
def test_every_state_changing_api_route_needs_analyst_or_admin(site):
    """Walk the app's routes: a POST/PUT/PATCH/DELETE under /api without a role check fails this test."""
    app, _ = site
    viewer = client_of(site, "victor")
    anonymous = client_of(site)
    checked = []
    for full_path, methods, roles in _api_routes(app.routes):
        if not full_path.startswith("/api"):
            continue
        for method in sorted(methods - {"GET", "HEAD", "OPTIONS"}):
            path = re.sub(r"\{[^}]+\}", "x", full_path)
            if (method, full_path) in OPEN_TO_EVERY_ROLE:
                assert roles == {"viewer"} or full_path.endswith("/login"), full_path
                continue
            assert roles & {"analyst", "admin"}, f"{method} {full_path} has no role check"
            assert viewer.request(method, path).status_code == 403, f"{method} {full_path}"
            assert anonymous.request(method, path).status_code == 401, f"{method} {full_path}"
            checked.append(f"{method} {full_path}")
    assert len(checked) >= 15, checked  # documents, fusion, proposals, recovered weapons, users, organisations...


def _api_routes(routes, prefix: str = "", inherited: frozenset = frozenset()):  # noqa: ANN001, ANN202
    """(path, methods, roles checked) of every API route, through included routers (eager or lazy FastAPI)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, set(route.methods), set(inherited) | _roles(route.dependant)
        elif hasattr(route, "original_router") and hasattr(route, "include_context"):  # FastAPI >= 0.16x
            context = route.include_context
            extra = frozenset(getattr(d.dependency, "required_role", None) for d in context.dependencies) - {None}
            yield from _api_routes(route.original_router.routes, prefix + context.prefix, inherited | extra)


def _roles(dependant) -> set[str]:  # noqa: ANN001 (a FastAPI Dependant)
    found = {getattr(dependant.call, "required_role", None)} - {None}
    for sub in dependant.dependencies:
        found |= _roles(sub)
    return found


# -- single-user mode ----------------------------------------------------------------------------------------------
def test_single_user_mode_needs_no_login(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'single.sqlite'}")
    store = open_ready_store(settings)
    try:
        client = TestClient(create_app(settings, store=store))
        assert client.get("/api/events").status_code == 200
        assert client.post("/api/recovered-weapons", json=WEAPON).status_code == 201
        assert client.get("/api/auth/me").json() == {"mode": "single", "user": None, "organisation": None, "via": None}
        assert client.post("/api/auth/login", json={"username": "a", "password": "b"}).status_code == 400
        assert client.get("/api/events/export", params={"format": "csv"}).status_code == 200
        [entry] = client.get("/api/audit").json()["items"]  # exports are audited in every mode
        assert (entry["action"], entry["username"], entry["org_id"]) == ("export", None, LOCAL_ORG)
    finally:
        store.close()


def test_the_auth_mode_setting_is_checked():
    assert Settings.from_env({"VIGIL_AUTH": "Multi", "VIGIL_SESSION_HOURS": "8"}).auth_mode == "multi"
    with pytest.raises(SettingsError, match="VIGIL_AUTH: 'ldap'"):
        Settings.from_env({"VIGIL_AUTH": "ldap"})
    with pytest.raises(SettingsError, match="VIGIL_SESSION_HOURS"):
        Settings.from_env({"VIGIL_SESSION_HOURS": "soon"})
    with pytest.raises(SettingsError, match="VIGIL_SESSION_HOURS"):
        Settings(session_hours=0)
    assert Settings.from_env({"VIGIL_LOGIN_MAX_FAILURES": "10"}).login_max_failures == 10
    for bad in ("many", "0"):
        with pytest.raises(SettingsError, match="VIGIL_LOGIN_MAX_FAILURES"):
            Settings.from_env({"VIGIL_LOGIN_MAX_FAILURES": bad})


def test_after_login_only_paths_on_this_site_are_followed():
    assert safe_next("/events?country=PK") == "/events?country=PK"
    for bad in ("//evil.example/", "https://evil.example/", "/\\evil.example", "", None, "events", "/x\r\nSet-Cookie: a=b"):
        assert safe_next(bad) == "/"


def _dump(store) -> str:  # noqa: ANN001
    """Every value of every table, as text."""
    parts = []
    with store.session() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(table.select()):
                parts.append(" ".join(str(value) for value in row))
    return "\n".join(parts)
