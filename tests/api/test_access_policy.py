"""Every GET route, for every role of every organisation, returns exactly what the TLP rules allow.

The site (``tests/api/access_site.py``) holds one report per (organisation, marking) for three
organisations, with shares, fusion and proposal decisions, recovered weapons and a real API token
per user; requests go through the multi-user authentication (``Authorization: Bearer``). Each
route has a check in ``CHECKS`` comparing the response with what the fixture says the user may see;
every response, of every route, is also searched for the ids and code words of the reports the
user may not see. ``test_every_get_route_is_checked`` walks the application's routes and fails
when a GET route is in neither ``CHECKS``, the pages' table (``tests/web/test_access_pages.py``)
nor ``NO_RECORDS`` (routes that carry no record, each with the reason).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Route

from tests.api.access_site import ORGS, PROVINCES, UNRESOLVED, Site, build_site
from tests.databases import created_postgres_database
from vigil.api import create_app
from vigil.api.deps import LazyExtractor
from vigil.model.access import ROLES, Tlp
from vigil.settings import Settings
from vigil.share import accounts
from vigil.store.database import open_store
from vigil.store.repository import get_document

WEAPONS_PER_REPORT = 4  # two mentions of the report, one of the event, one of the relation (stored rows)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site(request, tmp_path_factory):
    """The site and a client of its multi-user app, on SQLite and on PostgreSQL."""
    saved = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # real argon2id, lowest cost
    try:
        with ExitStack() as cleanup:
            if request.param == "sqlite":
                url = f"sqlite:///{tmp_path_factory.mktemp('access') / 'vigil.sqlite'}"
            else:  # a database of its own: the site is built once per parametrisation, and dropped after
                url = cleanup.enter_context(created_postgres_database("vigil_access_test"))
            yield from _serve_site(request, url)
    finally:
        accounts._hasher = saved


def _serve_site(request, url: str):  # noqa: ANN001, ANN202 (a pytest request; a fixture generator)
    settings = Settings(database_url=url, auth_mode="multi")
    store = open_store(settings)
    try:
        built = build_site(store)
        client = TestClient(create_app(settings, store=store))
        client.app.state.extractor = LazyExtractor(lambda: request.getfixturevalue("extractor"))  # built if asked
        with client:
            yield built, client
    finally:
        store.close()


@dataclass
class Reader:
    """One user of one organisation reading the API, with what the fixture says they may see."""

    site: Site
    client: TestClient
    org: str
    role: str

    @property
    def allowed(self) -> set[str]:
        return self.site.allowed(self.org)

    def get(self, path: str, status: int = 200, **params: object):  # noqa: ANN201 (a Response)
        """GET ``path`` with the user's token; check the status and that no hidden record shows."""
        token = self.site.tokens[(self.org, self.role)]
        response = self.client.get(path, params=params, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == status, (path, params, response.status_code, response.text[:300])
        asked = path + repr(params)  # a 404 names the id it was asked for: that tells the user nothing
        leaks = [secret for secret in self.site.secrets_of(self.org) if secret in response.text and secret not in asked]
        assert not leaks, f"{path} {params} shows {leaks} to {self.org}/{self.role}"
        return response

    def json(self, path: str, **params: object):  # noqa: ANN201
        return self.get(path, **params).json()

    def facts(self, facts: dict) -> set:  # noqa: ANN001 (id -> report id)
        return {fact for fact, report in facts.items() if report in self.allowed}

    def failures(self, checks: dict[str, Callable[["Reader"], None]]) -> list[str]:
        """Run every check as this reader; what each failed check says (all of them, not only the first)."""
        failures = []
        for path, check in checks.items():
            try:
                check(self)
            except (AssertionError, AttributeError, KeyError, StopIteration, ValueError) as error:
                failures.append(f"{path}: {type(error).__name__} {str(error)[:400]}")
        return failures

    def count_by(self, attribute: str) -> Counter:
        return Counter(getattr(r, attribute) for r in self.site.reports.values() if r.id in self.allowed)


# -- the checks, one per route ------------------------------------------------------------------------
def documents(r: Reader) -> None:
    page = r.json("/api/documents", limit=1000)
    assert {d["id"] for d in page["items"]} == r.allowed and page["total"] == len(r.allowed)
    assert {d["id"]: d["tlp"] for d in page["items"]} == {i: r.site.reports[i].tlp.value for i in r.allowed}


def documents_export(r: Reader) -> None:
    assert {d["id"] for d in r.json("/api/documents/export", format="json")} == r.allowed
    assert {row["document_id"] for row in _csv(r.get("/api/documents/export", format="csv"))} == r.allowed


def document_detail(r: Reader) -> None:
    for report in r.site.reports.values():
        response = r.get(f"/api/documents/{report.id}", status=200 if report.id in r.allowed else 404)
        if report.id in r.allowed:
            assert response.json()["document"]["tlp"] == report.tlp.value


def events(r: Reader) -> None:
    page = r.json("/api/events", limit=1000)
    assert {e["id"] for e in page["items"]} == r.facts(r.site.events) and page["total"] == len(r.allowed)
    assert r.json("/api/events", limit=1000, admin1="Punjab")["total"] == r.count_by("province")["Punjab"]


def events_export(r: Reader) -> None:
    features = r.json("/api/events/export", format="geojson")["features"]
    assert {f["properties"]["document_id"] for f in features} == r.allowed
    assert {row["document_id"] for row in _csv(r.get("/api/events/export", format="csv"))} == r.allowed
    assert {e["id"] for e in r.json("/api/events/export", format="json")} == r.facts(r.site.events)


def event_detail(r: Reader) -> None:
    _details(r, "/api/events/{}", r.site.events)


def relations(r: Reader) -> None:
    page = r.json("/api/relations", limit=1000)
    assert {x["id"] for x in page["items"]} == r.facts(r.site.relations) and page["total"] == len(r.allowed)


def relations_export(r: Reader) -> None:
    assert {row["document_id"] for row in _csv(r.get("/api/relations/export"))} == r.allowed


def relation_detail(r: Reader) -> None:
    _details(r, "/api/relations/{}", r.site.relations)


def claims(r: Reader) -> None:
    page = r.json("/api/claims", limit=1000)
    assert {x["id"] for x in page["items"]} == r.facts(r.site.claims) and page["total"] == 2 * len(r.allowed)


def claim_groups(r: Reader) -> None:
    groups = r.json("/api/claims/groups")["items"]
    voices = [v for g in groups for v in g["asserted_by"] + g["denied_by"]]
    assert {v["claim_id"] for v in voices} == r.facts(r.site.claims)
    assert {e for g in groups for e in g["event_ids"]} <= r.facts(r.site.events)


def claims_export(r: Reader) -> None:
    assert {row["document_id"] for row in _csv(r.get("/api/claims/export"))} == r.allowed


def claim_detail(r: Reader) -> None:
    _details(r, "/api/claims/{}", r.site.claims)


def weapons(r: Reader) -> None:
    page = r.json("/api/weapons", limit=1000)
    assert {x["id"] for x in page["items"]} == r.facts(r.site.weapons)


def weapons_export(r: Reader) -> None:
    assert {w["id"] for w in r.json("/api/weapons/export", format="json")} == r.facts(r.site.weapons)


def weapon_detail(r: Reader) -> None:
    _details(r, "/api/weapons/{}", r.site.weapons)


def weapons_over_time(r: Reader) -> None:
    series = r.json("/api/weapons/over-time", by="class")
    by_month = r.count_by("month")
    assert dict(zip(series["periods"], series["total"])) == {m: 2 * n for m, n in by_month.items()}


def actors(r: Reader) -> None:
    listed = {a["actor"]["id"]: a["events"] for a in r.json("/api/actors", active="true", limit=1000)["items"]}
    assert listed == {"islamic-state": len(r.allowed), "khar-brigade": len(r.allowed)}


def actors_export(r: Reader) -> None:
    listed = {a["actor"]["id"]: a["events"] for a in r.json("/api/actors/export", format="json", active="true")}
    assert listed == {"islamic-state": len(r.allowed), "khar-brigade": len(r.allowed)}


def actor_profile(r: Reader) -> None:
    profile = r.json("/api/actors/islamic-state")
    assert profile["events"] == profile["as_perpetrator"] == len(r.allowed)
    assert {p["period"]: p["events"] for p in profile["events_by_month"]} == dict(r.count_by("month"))
    assert {x["id"] for x in profile["relations_in"]} == r.facts(r.site.relations)
    accepted = r.json("/api/actors/khar-brigade")
    assert accepted["events"] == len(r.allowed) and "mention" not in (accepted["actor"]["description"] or "")


def proposals(r: Reader) -> None:
    (open_one,) = r.json("/api/actor-proposals", min_documents=1)
    assert open_one["name"] == UNRESOLVED[0]
    assert open_one["documents"] == open_one["mentions"] == len(r.allowed)
    assert {s["document_id"] for s in open_one["samples"]} <= r.allowed


def proposal_decisions(r: Reader) -> None:
    (decision,) = r.json("/api/actor-proposals/decisions")
    assert decision["name"] == UNRESOLVED[1] and decision["relinked"] == len(r.allowed)


def actor_resolve(r: Reader) -> None:
    # Names resolve against the actor catalogue, which is not marked: the same answer for everyone.
    assert r.json("/api/actors/resolve", name="Islamic State")["actor"]["id"] == "islamic-state"


def fused_events(r: Reader) -> None:
    expected = {f: docs & r.allowed for f, docs in r.site.fused.items() if docs & r.allowed}
    page = r.json("/api/fused-events", limit=1000)
    assert page["total"] == len(expected)
    shown = {item["fused"]["id"]: {s["document_id"] for s in item["fused"]["sources"]} for item in page["items"]}
    assert shown == expected
    for item in page["items"]:
        marks = [r.site.reports[d].tlp for d in expected[item["fused"]["id"]]]
        assert item["tlp"] == Tlp.most_restricted(marks).value and item["n_sources"] == len(marks)


def fused_filtered(r: Reader) -> None:
    """A fused event the user reads in part is found by what its visible reports say, never by the others'."""
    for province in PROVINCES.values():
        expected = set()
        for fused_id, docs in r.site.fused.items():
            visible = docs & r.allowed
            if visible == docs and r.site.fused_province[fused_id] == province:
                expected.add(fused_id)
            elif visible and visible != docs and any(r.site.reports[d].province == province for d in visible):
                expected.add(fused_id)
        page = r.json("/api/fused-events", limit=1000, admin1=province)
        assert {item["fused"]["id"] for item in page["items"]} == expected, province
    merged = r.json("/api/fused-events", limit=1000, min_sources=2)["items"]
    assert {i["fused"]["id"] for i in merged} == {f for f, docs in r.site.fused.items() if len(docs & r.allowed) >= 2}


def fused_detail(r: Reader) -> None:
    for fused_id, docs in r.site.fused.items():
        visible = docs & r.allowed
        response = r.get(f"/api/fused-events/{fused_id}", status=200 if visible else 404)
        if visible:
            assert {s["document"]["id"] for s in response.json()["sources"]} == visible


def fusion_decisions(r: Reader) -> None:
    expected = {d for d, docs in r.site.decisions.items() if docs <= r.allowed}
    assert {d["decision"]["id"] for d in r.json("/api/fusion/decisions")} == expected


def fusion_explain(r: Reader) -> None:
    events = sorted(r.site.events)
    for a, b in zip(events, events[1:]):
        both = {r.site.events[a], r.site.events[b]} <= r.allowed
        r.get("/api/fusion/explain", status=200 if both else 404, a=a, b=b)


def recovered(r: Reader) -> None:
    page = r.json("/api/recovered-weapons", limit=1000)
    assert {w["id"] for w in page["items"]} == r.site.allowed_recovered(r.org) and page["total"] == len(page["items"])


def recovered_origins(r: Reader) -> None:
    report = r.json("/api/recovered-weapons/origins")
    assert report["total"] == len(r.site.allowed_recovered(r.org))
    assert {m["weapon_id"] for m in report["matches"]} == r.site.allowed_recovered(r.org)


def recovered_detail(r: Reader) -> None:
    for weapon_id in r.site.recovered:
        r.get(f"/api/recovered-weapons/{weapon_id}", status=200 if weapon_id in r.site.allowed_recovered(r.org) else 404)


def supply_network(r: Reader) -> None:
    network = r.json("/api/supply-network")
    assert {rep["document"]["id"] for edge in network["edges"] for rep in edge["reports"]} == r.allowed
    assert {n["id"]: n["receives"] for n in network["nodes"]}["islamic-state"] == len(r.allowed)


def totals(r: Reader) -> None:
    figures = r.json("/api/aggregates/totals")
    assert figures == {"events": len(r.allowed), "fatalities_min": 40 * len(r.allowed), "documents": len(r.allowed),
                       "actors": figures["actors"]}
    assert figures["actors"] == 2  # Islamic State and the accepted Khar Brigade, both in every report


def counts(r: Reader) -> None:
    rows = r.json("/api/aggregates/counts", by="admin1")
    expected = {f"PK/{p}": n for p, n in r.count_by("province").items()}
    assert {row["key"]: row["events"] for row in rows} == expected
    assert set(PROVINCES.values()) >= {row["key"][3:] for row in rows}


def weapon_counts(r: Reader) -> None:
    assert {w["value"]: w["count"] for w in r.json("/api/aggregates/weapons")} == {
        "assault rifle": len(r.allowed), "explosive": len(r.allowed)}


def weapons_by_actor(r: Reader) -> None:
    rows = r.json("/api/aggregates/weapons/actors")
    assert rows and all(row["count"] == len(r.allowed) for row in rows)


def series(r: Reader) -> None:
    body = r.json("/api/aggregates/series", period="month", by="admin1")
    months = [p["key"] for p in body["periods"]]
    assert dict(zip(months, body["total"]["events"])) == {m: r.count_by("month").get(m, 0) for m in months}
    assert {g["label"].split(",")[0] for g in body["groups"]} == set(r.count_by("province"))


def trend(r: Reader) -> None:
    body = r.json("/api/aggregates/trend", compare="2023-01,2023-03")
    months = r.count_by("month")
    assert body["series"]["total"]["total_events"] == sum(months[m] for m in ("2023-01", "2023-02", "2023-03"))
    assert body["series"]["total"]["events"] == [months[m] for m in ("2023-01", "2023-02", "2023-03")]


def stix_export(r: Reader) -> None:
    bundle = r.get("/api/export/stix").text
    for report in r.site.reports.values():
        if report.id in r.allowed and report.tlp in (Tlp.CLEAR, Tlp.GREEN):
            assert report.codeword in bundle, report


def stix_objects(r: Reader) -> None:
    # Objects kept from imported bundles that map to no record; this site imported none, so every
    # viewer sees none (their own marking rules are tested with the STIX import, tests/share).
    assert r.json("/api/stix-objects", all="true")["total"] == 0


def stix_object(r: Reader) -> None:
    r.get("/api/stix-objects/report--00000000-0000-4000-8000-000000000000", status=404)


def me(r: Reader) -> None:
    assert r.json("/api/auth/me")["user"]["org_id"] == r.org


def tokens(r: Reader) -> None:
    assert len(r.json("/api/tokens")) == 1  # their own token only


def users(r: Reader) -> None:
    # Accounts are no marked records: an admin lists their organisation's users; others are refused.
    response = r.get("/api/users", status=200 if r.role == "admin" else 403)
    if r.role == "admin":
        assert {u["org_id"] for u in response.json()} == {r.org}


def organisations(r: Reader) -> None:
    # The instance's organisations (ids and names, to share with): no marked record; analysts and admins list them.
    response = r.get("/api/organisations", status=403 if r.role == "viewer" else 200)
    if r.role != "viewer":
        assert {o["id"] for o in response.json()} == set(ORGS)


def audit(r: Reader) -> None:
    response = r.get("/api/audit", status=200 if r.role == "admin" else 403)
    if r.role == "admin":
        entries = response.json()
        entries = entries.get("items", entries) if isinstance(entries, dict) else entries
        assert {e["org_id"] for e in entries} <= {r.org, None}


def taxii_discovery(r: Reader) -> None:
    r.get("/taxii2/")


def taxii_root(r: Reader) -> None:
    r.get("/taxii2/vigil/")


def taxii_collections(r: Reader) -> None:
    assert r.json("/taxii2/vigil/collections/")["collections"]


def _collection(r: Reader) -> str:
    return next(c["id"] for c in r.json("/taxii2/vigil/collections/")["collections"] if c["alias"] == "all")


def taxii_collection(r: Reader) -> None:
    assert r.json(f"/taxii2/vigil/collections/{_collection(r)}/")["alias"] == "all"


def taxii_objects(r: Reader) -> None:
    # every page of the collection: what the user may read (RED never leaves: not over TAXII either)
    found, page = set(), {"more": True, "next": None}
    while page.get("more"):
        params = {"next": page["next"]} if page.get("next") else {}
        page = r.json(f"/taxii2/vigil/collections/{_collection(r)}/objects/", **params)
        found |= {text for obj in page.get("objects", []) for text in _codewords(r, obj)}
    expected = {x.codeword for x in r.site.reports.values() if x.id in r.allowed and x.tlp is not Tlp.RED}
    assert found == expected


def _codewords(r: Reader, obj: dict) -> set[str]:
    text = repr(obj)
    return {report.codeword for report in r.site.reports.values() if report.codeword in text}


def taxii_object(r: Reader) -> None:
    objects = r.json(f"/taxii2/vigil/collections/{_collection(r)}/objects/")["objects"]
    report = next(o for o in objects if o["type"] == "report")
    r.get(f"/taxii2/vigil/collections/{_collection(r)}/objects/{report['id']}/")
    r.get(f"/taxii2/vigil/collections/{_collection(r)}/objects/{report['id']}/versions/")


def taxii_manifest(r: Reader) -> None:
    r.get(f"/taxii2/vigil/collections/{_collection(r)}/manifest/")


def taxii_status(r: Reader) -> None:
    r.get("/taxii2/vigil/status/no-such-status/", status=404)


CHECKS: dict[str, Callable[[Reader], None]] = {
    "/api/documents": documents,
    "/api/documents/export": documents_export,
    "/api/documents/{document_id}": document_detail,
    "/api/events": events,
    "/api/events/export": events_export,
    "/api/events/{event_id}": event_detail,
    "/api/fused-events": lambda r: (fused_events(r), fused_filtered(r)),
    "/api/fused-events/{fused_id}": fused_detail,
    "/api/fusion/decisions": fusion_decisions,
    "/api/fusion/explain": fusion_explain,
    "/api/actor-proposals": proposals,
    "/api/actor-proposals/decisions": proposal_decisions,
    "/api/actors/resolve": actor_resolve,
    "/api/actors": actors,
    "/api/actors/export": actors_export,
    "/api/actors/{actor_id}": actor_profile,
    "/api/relations": relations,
    "/api/relations/export": relations_export,
    "/api/relations/{relation_id}": relation_detail,
    "/api/claims": claims,
    "/api/claims/groups": claim_groups,
    "/api/claims/export": claims_export,
    "/api/claims/{claim_id}": claim_detail,
    "/api/recovered-weapons": recovered,
    "/api/recovered-weapons/origins": recovered_origins,
    "/api/recovered-weapons/{weapon_id}": recovered_detail,
    "/api/weapons/over-time": weapons_over_time,
    "/api/weapons": weapons,
    "/api/weapons/export": weapons_export,
    "/api/weapons/{weapon_id}": weapon_detail,
    "/api/supply-network": supply_network,
    "/api/aggregates/totals": totals,
    "/api/aggregates/counts": counts,
    "/api/aggregates/weapons": weapon_counts,
    "/api/aggregates/weapons/actors": weapons_by_actor,
    "/api/aggregates/series": series,
    "/api/aggregates/trend": trend,
    "/api/export/stix": stix_export,
    "/api/stix-objects": stix_objects,
    "/api/stix-objects/{stix_id}": stix_object,
    "/api/auth/me": me,
    "/api/tokens": tokens,
    "/api/users": users,
    "/api/organisations": organisations,
    "/api/audit": audit,
    "/taxii2/": taxii_discovery,
    "/taxii2/vigil/": taxii_root,
    "/taxii2/vigil/collections/": taxii_collections,
    "/taxii2/vigil/collections/{collection_id}/": taxii_collection,
    "/taxii2/vigil/collections/{collection_id}/objects/": taxii_objects,
    "/taxii2/vigil/collections/{collection_id}/objects/{object_id}/": taxii_object,
    "/taxii2/vigil/collections/{collection_id}/objects/{object_id}/versions/": taxii_object,
    "/taxii2/vigil/collections/{collection_id}/manifest/": taxii_manifest,
    "/taxii2/vigil/status/{status_id}/": taxii_status,
}

#: GET routes that carry no stored record, and why.
NO_RECORDS = {
    "/openapi.json": "the API's description: routes and schemas, no data",
    "/docs": "Swagger UI page: loads /openapi.json only",
    "/docs/oauth2-redirect": "Swagger UI's OAuth2 helper page: static HTML",
    "/redoc": "ReDoc page: loads /openapi.json only",
    "/login": "the login form: shown before anyone is known",
    "/logout": "ends the session and redirects to /login",
    "/ingest": "the upload form: no stored record on it",
    "/static": "the dashboard's CSS, scripts and vendored libraries",
}


def _details(r: Reader, path: str, facts: dict) -> None:  # noqa: ANN001
    for fact, report in facts.items():
        r.get(path.format(fact), status=200 if report in r.allowed else 404)


def _csv(response) -> list[dict]:  # noqa: ANN001
    return list(csv.DictReader(io.StringIO(response.text)))


def get_routes(app) -> set[str]:  # noqa: ANN001
    """Every GET path of the app (API, TAXII, pages, docs) and its mounts, through included routers."""
    return set(_walk(app.routes))


def _walk(routes, prefix: str = ""):  # noqa: ANN001, ANN202
    for route in routes:
        if isinstance(route, (APIRoute, Route)):
            if "GET" in (route.methods or ()):
                yield prefix + route.path
        elif hasattr(route, "original_router") and hasattr(route, "include_context"):  # FastAPI >= 0.16x
            yield from _walk(route.original_router.routes, prefix + route.include_context.prefix)
        elif hasattr(route, "path"):  # a mount (static files)
            yield prefix + route.path


# -- the tests ---------------------------------------------------------------------------------------
def test_the_fixture_covers_every_case(site):
    built, _ = site
    # 6 CLEAR/GREEN + own AMBER, AMBER+STRICT, RED + the AMBER shared with them
    assert {org: len(built.allowed(org)) for org in ORGS} == {"local": 9, "ngo-a": 10, "ngo-b": 10}
    assert any(len(docs) > 1 for docs in built.fused.values())  # fused events with reports of several markings
    assert len(built.decisions) == 3


def test_every_get_route_is_checked(site):
    from tests.web.test_access_pages import PAGES

    _, client = site
    routes = get_routes(client.app)
    listed = set(CHECKS) | set(PAGES) | set(NO_RECORDS)
    assert routes - listed == set(), "GET routes with no access check: add them to CHECKS, PAGES or NO_RECORDS"
    assert listed - routes == set(), "checks of routes that no longer exist"
    assert not set(CHECKS) & set(NO_RECORDS) and not set(PAGES) & set(NO_RECORDS)


# Every role x organisation pair on SQLite. On PostgreSQL the policy is the same SQL, so one pair per
# organisation with each role once (about 25 s a pair: all nine would add four minutes to CI).
POSTGRES_PAIRS = (("local", "admin"), ("ngo-a", "analyst"), ("ngo-b", "viewer"))
CASES = [pytest.param("sqlite", org, role, id=f"sqlite-{org}-{role}") for org in ORGS for role in ROLES] + [
    pytest.param("postgres", org, role, id=f"postgres-{org}-{role}", marks=pytest.mark.postgres)
    for org, role in POSTGRES_PAIRS
]


@pytest.mark.parametrize(("site", "org", "role"), CASES, indirect=["site"])
def test_every_route_returns_what_the_rules_allow(site, org, role):
    built, client = site
    failures = Reader(built, client, org, role).failures(CHECKS)
    assert not failures, "\n".join(failures)


def test_no_route_answers_without_a_token(site):
    _, client = site
    for path in CHECKS:
        if "{" not in path and path.startswith("/api"):
            assert client.get(path, headers={"Accept": "application/json"}).status_code == 401, path


def test_uploading_a_hidden_reports_text_does_not_name_it(site):
    """Content is stored once (its hash is unique): a copy of a report the uploader may not read is
    counted as ``withheld``, never named; a copy of one they may read is a named duplicate."""
    built, client = site
    token = {"Authorization": f"Bearer {built.tokens[('ngo-b', 'analyst')]}"}
    for report in built.reports.values():
        text = get_document(built.store, report.id).document.text
        response = client.post("/api/documents", json={"text": text, "title": "A copy"}, headers=token)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["created"] == [] and body["errors"] == []
        if report.id in built.allowed("ngo-b"):
            assert body["duplicates"] == [report.id] and body["withheld"] == 0
        else:
            assert body["duplicates"] == [] and body["withheld"] == 1
            assert report.id not in response.text and report.codeword not in response.text
