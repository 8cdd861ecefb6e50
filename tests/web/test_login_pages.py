"""The dashboard in multi-user mode: login form, header, logout, and the admin pages (audit log, users)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from vigil.api import create_app
from vigil.api.auth import SESSION_COOKIE
from vigil.model.access import LOCAL_ORG
from vigil.settings import Settings
from vigil.share import accounts
from vigil.workflow import open_ready_store

PASSWORD = "correct horse battery staple"
HTML = {"Accept": "text/html"}


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def app(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'web.sqlite'}", auth_mode="multi")
    store = open_ready_store(settings)
    accounts.create_user(store, "alice", PASSWORD, "admin", LOCAL_ORG)
    accounts.create_user(store, "victor", PASSWORD, "viewer", LOCAL_ORG)
    yield create_app(settings, store=store)
    store.close()


def logged_in(app, username: str) -> TestClient:  # noqa: ANN001
    client = TestClient(app)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/documents"},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/documents"
    return client


def test_pages_send_strangers_to_the_login_form_and_back(app):
    client = TestClient(app)
    redirected = client.get("/documents", headers=HTML, follow_redirects=False)
    assert redirected.headers["location"] == "/login?next=/documents"
    form = client.get(redirected.headers["location"], headers=HTML)
    assert form.status_code == 200 and 'data-testid="login-form"' in form.text and 'value="/documents"' in form.text
    wrong = client.post("/login", data={"username": "alice", "password": "not it at all", "next": "/documents"})
    assert wrong.status_code == 401 and "Unknown user name or wrong password." in wrong.text
    assert SESSION_COOKIE not in client.cookies
    evil = client.post("/login", data={"username": "alice", "password": PASSWORD, "next": "//evil.example/"},
                       follow_redirects=False)
    assert evil.headers["location"] == "/"


def test_the_header_shows_the_user_and_logout_ends_the_session(app):
    client = logged_in(app, "victor")
    page = client.get("/documents", headers=HTML)
    assert page.status_code == 200
    assert 'data-testid="account"' in page.text and "victor" in page.text and 'href="/logout"' in page.text
    assert "/admin/audit" not in page.text  # admin links only for admins
    secret = client.cookies[SESSION_COOKIE]
    out = client.get("/logout", follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    replay = TestClient(app)
    replay.cookies.set(SESSION_COOKIE, secret)
    assert replay.get("/documents", headers=HTML, follow_redirects=False).status_code == 303


def test_admin_pages_are_for_admins(app):
    viewer = logged_in(app, "victor")
    assert viewer.get("/admin/audit", headers=HTML).status_code == 403
    assert viewer.get("/admin/users", headers=HTML).status_code == 403
    assert viewer.post("/admin/users", data={"username": "eve", "password": PASSWORD}).status_code == 403

    admin = logged_in(app, "alice")
    audit_page = admin.get("/admin/audit", headers=HTML)
    assert audit_page.status_code == 200 and "/admin/audit" in admin.get("/documents", headers=HTML).text
    assert audit_page.text.count('data-testid="audit-row"') == 2  # the two logins
    assert 'href="/api/audit?format=csv"' in audit_page.text
    assert admin.get("/api/audit", params={"format": "csv"}).status_code == 200
    filtered = admin.get("/admin/audit", params={"user": "victor"}, headers=HTML)
    assert filtered.text.count('data-testid="audit-row"') == 1  # victor's login; alice's login and export are not shown

    users = admin.get("/admin/users", headers=HTML)
    assert users.text.count('data-testid="user-row"') == 2
    created = admin.post("/admin/users", data={"username": "bob", "password": PASSWORD, "role": "analyst"},
                         follow_redirects=False)
    assert created.status_code == 303
    short = admin.post("/admin/users", data={"username": "carol", "password": "short", "role": "viewer"})
    assert short.status_code == 400 and "password: too short" in short.text
    bob = accounts.find_user(app.state.store, "bob")
    assert admin.post(f"/admin/users/{bob.id}/deactivate", follow_redirects=False).status_code == 303
    assert not accounts.find_user(app.state.store, "bob").active
    actions = [e.action for e in accounts_audit(app)]
    assert actions[:2] == ["user_deactivated", "user_created"]


def accounts_audit(app):  # noqa: ANN001, ANN201
    from vigil.share.audit import list_entries

    return list_entries(app.state.store)[0]
