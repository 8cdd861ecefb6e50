"""The dashboard pages, for every role of every organisation, show only what the TLP rules allow.

The same site as the API's access tests (``tests/api/access_site.py``): one report per
(organisation, marking), each with a code word, read with each user's real API token through
the multi-user authentication. Every page is searched for the ids and code words of the
reports the user may not see; the overview's figures, the events map's points, the actor
page, the claims, the documents and the detail pages are compared with what the fixture allows.
``PAGES`` maps each page route to its check (``tests/api/test_access_policy.py`` checks that
no GET route is missing from it, the API's ``CHECKS`` or ``NO_RECORDS``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from tests.api.access_site import ORGS, build_site
from tests.api.test_access_policy import Reader
from vigil.api import create_app
from vigil.model.access import ROLES, Tlp
from vigil.settings import Settings
from vigil.share import accounts
from vigil.store.database import open_store

BADGE = re.compile(r'class="tlp tlp-([a-z-]+)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    saved = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # real argon2id, lowest cost
    settings = Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('pages') / 'vigil.sqlite'}", auth_mode="multi")
    store = open_store(settings)
    try:
        built = build_site(store)
        client = TestClient(create_app(settings, store=store))
        with client:
            yield built, client
    finally:
        accounts._hasher = saved
        store.close()


def page(r: Reader, path: str, status: int = 200, **params: object) -> str:
    """The page's HTML (no hidden id or code word in it: ``Reader.get`` checks)."""
    return r.get(path, status=status, **params).text


def figure(html: str, testid: str) -> int:
    found = re.search(rf'data-testid="{testid}"[^>]*>(?:<span class="value">)?([\d,]+)', html)
    assert found, testid
    return int(found.group(1).replace(",", ""))


def codewords(r: Reader, html: str) -> set[str]:
    return {report.codeword for report in r.site.reports.values() if report.codeword in html}


def visible_codewords(r: Reader) -> set[str]:
    return {r.site.reports[i].codeword for i in r.allowed}


# -- the checks, one per page ------------------------------------------------------------------------
def overview(r: Reader) -> None:
    html = page(r, "/")
    assert figure(html, "figure-events") == figure(html, "figure-reports") == len(r.allowed)
    assert figure(html, "figure-fatalities") == 40 * len(r.allowed)
    assert figure(html, "figure-distinct") == sum(1 for docs in r.site.fused.values() if docs & r.allowed)


def events(r: Reader) -> None:
    html = page(r, "/events", limit=100)
    assert figure(html, "events-total") == len(r.allowed)
    points = json.loads(re.search(r'<script type="application/json" id="map-points">(.*?)</script>', html, re.S).group(1))
    assert len(points["features"]) == len(r.allowed)
    assert {f["properties"].get("document_id") or f["properties"].get("event_id") for f in points["features"]} <= (
        r.allowed | r.facts(r.site.events))
    assert set(BADGE.findall(html)) == {_slug(r.site.reports[i].tlp) for i in r.allowed}


def event(r: Reader) -> None:
    for event_id, report in r.site.events.items():
        html = page(r, f"/events/{event_id}", status=200 if report in r.allowed else 404)
        if report in r.allowed:
            assert _slug(r.site.reports[report].tlp) in BADGE.findall(html)


def fused_list(r: Reader) -> None:
    html = page(r, "/fused", limit=100)
    assert figure(html, "fused-total") == sum(1 for docs in r.site.fused.values() if docs & r.allowed)


def fused(r: Reader) -> None:
    for fused_id, docs in r.site.fused.items():
        html = page(r, f"/fused/{fused_id}", status=200 if docs & r.allowed else 404)
        if docs & r.allowed:
            marking = Tlp.most_restricted([r.site.reports[d].tlp for d in docs & r.allowed])
            assert _slug(marking) in BADGE.findall(html)


def actors(r: Reader) -> None:
    html = page(r, "/actors")
    assert "Bajaur Front" in html  # the open proposal, counted over what the user may read
    assert re.search(rf">\s*{len(r.allowed)}\s*<", html)


def actor(r: Reader) -> None:
    html = page(r, "/actors/islamic-state")
    assert codewords(r, html) <= visible_codewords(r)
    assert re.search(rf'data-testid="actor-events"[^>]*>[^<]*\b{len(r.allowed)}\b', html) or f">{len(r.allowed)}<" in html


def weapons(r: Reader) -> None:
    html = page(r, "/weapons")
    shown = set(re.findall(r"RW-[A-Z-]+-T\d", html))
    assert shown == {w.upper() for w in r.site.allowed_recovered(r.org)}


def claims(r: Reader) -> None:
    html = page(r, "/claims")
    assert codewords(r, html) <= visible_codewords(r)
    assert html.count('data-testid="claim-voice"') == 2 * len(r.allowed)


def documents(r: Reader) -> None:
    html = page(r, "/documents", limit=100)
    assert figure(html, "documents-total") == len(r.allowed)
    assert codewords(r, html) == visible_codewords(r)
    assert set(BADGE.findall(html)) == {_slug(r.site.reports[i].tlp) for i in r.allowed}


def document(r: Reader) -> None:
    for report in r.site.reports.values():
        html = page(r, f"/documents/{report.id}", status=200 if report.id in r.allowed else 404)
        if report.id in r.allowed:
            assert report.codeword in html and _slug(report.tlp) in BADGE.findall(html)


def admin_audit(r: Reader) -> None:
    # The audit log is no marked record: admins read their organisation's entries, the others are refused.
    page(r, "/admin/audit", status=200 if r.role == "admin" else 403)


def admin_users(r: Reader) -> None:
    html = page(r, "/admin/users", status=200 if r.role == "admin" else 403)
    if r.role == "admin":
        others = [f"{org}-{role}" for org in ORGS if org != r.org for role in ROLES]
        assert not [name for name in others if name in html]


def stix(r: Reader) -> None:
    page(r, "/stix")  # kept STIX objects: none in this site (the import's tests cover their markings)


def stix_object(r: Reader) -> None:
    page(r, "/stix/report--00000000-0000-4000-8000-000000000000", status=404)


PAGES: dict[str, Callable[[Reader], None]] = {
    "/": overview,
    "/events": events,
    "/events/{event_id}": event,
    "/fused": fused_list,
    "/fused/{fused_id}": fused,
    "/actors": actors,
    "/actors/{actor_id}": actor,
    "/weapons": weapons,
    "/claims": claims,
    "/documents": documents,
    "/documents/{document_id}": document,
    "/admin/audit": admin_audit,
    "/admin/users": admin_users,
    "/stix": stix,
    "/stix/{stix_id}": stix_object,
}


def _slug(tlp: Tlp) -> str:
    return tlp.name.lower().replace("_", "-")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("org", ORGS)
def test_every_page_shows_what_the_rules_allow(site, org, role):
    built, client = site
    failures = Reader(built, client, org, role).failures(PAGES)
    assert not failures, "\n".join(failures)
