"""The application itself: every route answers, the OpenAPI document, errors, settings, extractor, serving."""

from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from vigil.api import create_app
from vigil.api import server as api_server
from vigil.api.deps import FilterError, LazyExtractor, parse_event_filter
from vigil.cli.main import app as cli
from vigil.settings import Settings

COMMENTARY = "vigil-example-commentary-2023-08-28"

# One request per GET route of the API; a test checks that no route is missing here.
SAMPLES = {
    "/api/documents": "/api/documents?country=PK",
    "/api/documents/export": "/api/documents/export?format=json",
    "/api/documents/{document_id}": f"/api/documents/{COMMENTARY}",
    "/api/events": "/api/events?country=PK&since=2023-01-01&sub_event_type=Suicide bomb",
    "/api/events/export": "/api/events/export?format=geojson",
    "/api/events/{event_id}": "/api/events/{event}",
    "/api/actors": "/api/actors?q=taliban",
    "/api/actors/export": "/api/actors/export?active=true",
    "/api/actors/{actor_id}": "/api/actors/islamic-state",
    "/api/relations": "/api/relations?type=supplies_weapons_to",
    "/api/relations/export": "/api/relations/export",
    "/api/relations/{relation_id}": "/api/relations/{relation}",
    "/api/claims": "/api/claims?stance=denies",
    "/api/claims/groups": "/api/claims/groups",
    "/api/claims/export": "/api/claims/export",
    "/api/claims/{claim_id}": "/api/claims/{claim}",
    "/api/weapons": "/api/weapons?country=PK",
    "/api/weapons/export": "/api/weapons/export?format=json",
    "/api/weapons/{weapon_id}": "/api/weapons/{weapon}",
    "/api/supply-network": "/api/supply-network",
    "/api/aggregates/totals": "/api/aggregates/totals?country=PK",
    "/api/aggregates/counts": "/api/aggregates/counts?by=admin1",
    "/api/aggregates/weapons": "/api/aggregates/weapons?by=origin",
    "/api/aggregates/weapons/actors": "/api/aggregates/weapons/actors",
    "/api/aggregates/series": "/api/aggregates/series?period=month&by=event_type",
    "/api/aggregates/trend": "/api/aggregates/trend?compare=2006,2007",
    "/api/fused-events": "/api/fused-events?country=PK",
    "/api/fused-events/{fused_id}": "/api/fused-events/{fused}",
    "/api/fusion/decisions": "/api/fusion/decisions",
    "/api/fusion/explain": "/api/fusion/explain?a={event}&b={other_event}",
    "/api/actor-proposals": "/api/actor-proposals?min_documents=1",
    "/api/actor-proposals/decisions": "/api/actor-proposals/decisions",
    "/api/actors/resolve": "/api/actors/resolve?name=TTP",
    "/api/recovered-weapons": "/api/recovered-weapons?country=AF",
    "/api/recovered-weapons/origins": "/api/recovered-weapons/origins",
    "/api/recovered-weapons/{weapon_id}": "/api/recovered-weapons/no-such-weapon",
    "/api/weapons/over-time": "/api/weapons/over-time?by=actor",
    # accounts and the audit log (single-user mode: the owner's view, as at the CLI)
    "/api/auth/me": "/api/auth/me",
    "/api/tokens": "/api/tokens",
    "/api/users": "/api/users",
    "/api/organisations": "/api/organisations",
    "/api/audit": "/api/audit?action=export",
    # STIX 2.1 (the sample store holds no imported object: the detail route answers a JSON 404)
    "/api/export/stix": "/api/export/stix?country=PK",
    "/api/stix-objects": "/api/stix-objects",
    "/api/stix-objects/{stix_id}": "/api/stix-objects/malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b",
}
# The shared sample store holds no recovered weapon (tests/api/test_recovered.py reads stored ones):
# here the route must answer a JSON 404.
NOT_FOUND = {"/api/recovered-weapons/{weapon_id}", "/api/stix-objects/{stix_id}"}


def api_routes(app) -> dict[str, set[str]]:  # noqa: ANN001
    """Path -> HTTP methods of every API route, as the OpenAPI document lists them."""
    return {
        path: {method.upper() for method in operations}
        for path, operations in app.openapi()["paths"].items()
        if path.startswith("/api")
    }


def test_every_get_route_answers(client):
    routes = api_routes(client.app)
    assert {path for path, methods in routes.items() if "GET" in methods} == set(SAMPLES)
    assert routes["/api/documents"] == {"GET", "POST"}
    events = client.get("/api/events").json()["items"]
    ids = {
        "event": events[0]["id"],
        "other_event": events[1]["id"],
        "fused": client.get("/api/fused-events").json()["items"][0]["fused"]["id"],
        "relation": client.get("/api/relations").json()["items"][0]["id"],
        "claim": client.get("/api/claims").json()["items"][0]["id"],
        "weapon": client.get("/api/weapons").json()["items"][0]["id"],
    }
    for path, sample in SAMPLES.items():
        response = client.get(sample.format(**ids))
        assert response.status_code == (404 if path in NOT_FOUND else 200), (path, response.text[:300])


def test_openapi_describes_the_responses(client):
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    for name in ("EventDetail", "StoredEvent", "ActorProfile", "SupplyNetwork", "ClaimGroup", "Totals", "Series",
                 "UploadResult", "ErrorResponse", "DocumentDetail", "StoredWeapon"):
        assert name in schemas, name
    events = document["paths"]["/api/events"]["get"]
    assert {p["name"] for p in events["parameters"]} >= {"since", "until", "country", "admin1", "actor", "event_type",
                                                          "sub_event_type", "text", "document", "limit", "offset", "sort"}
    page = events["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schemas[page]["properties"]) == {"items", "total", "limit", "offset"}
    upload = document["paths"]["/api/documents"]["post"]
    assert {"multipart/form-data", "application/json"} <= set(upload["requestBody"]["content"])
    assert {"201", "413", "415"} <= set(upload["responses"])


def test_unknown_api_path_is_a_json_404(client, error_of):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and error_of(response)["message"]
    assert client.post("/api/events").status_code == 405


def test_create_app_opens_and_closes_its_own_store(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'own.sqlite'}")
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.get("/api/aggregates/totals").json()["events"] == 0
        assert client.get("/api/actors", params={"q": "taliban"}).json()["total"] >= 1, "actors seeded on first open"
        assert app.state.settings is settings


def test_the_extractor_is_built_only_when_needed(tmp_path, extractor):
    built = []

    def factory():
        built.append(True)
        return extractor

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'lazy.sqlite'}"))
    app.state.extractor = LazyExtractor(factory)
    with TestClient(app) as client:
        client.get("/api/events")
        client.get("/api/aggregates/counts", params={"by": "country"})
        assert built == []
        client.post("/api/documents", json={"text": "Gunmen killed two guards in Kabul on Monday."})
        client.post("/api/documents", json={"text": "A mine wounded four in Helmand on Tuesday."})
        assert built == [True]


def test_the_filter_parser_is_shared_and_names_bad_values():
    parsed = parse_event_filter({"country": "pk", "since": "2023-01-01", "limit": "20", "sort": "-fatalities", "admin1": " Punjab "})
    assert (parsed.country, parsed.limit, parsed.order, parsed.admin1) == ("PK", 20, "-fatalities", "Punjab")
    assert parse_event_filter({"since": ""}).since is None, "empty form fields count as absent"
    assert parse_event_filter({}, default_limit=None).limit is None
    for params in ({"until": "31/12/2023"}, {"offset": "x"}, {"sort": "random"}):
        try:
            parse_event_filter(params)
        except FilterError as error:
            assert error.status == 400 and next(iter(params)) in error.message
        else:  # pragma: no cover
            raise AssertionError(params)


def test_serve_prints_the_address(monkeypatch, tmp_path):
    calls = []

    def fake_serve(settings, *, store, host, port, announce, sync_every=None):  # noqa: ANN001
        calls.append((settings.database_url, host, port, sync_every))
        announce(api_server.address(host, port))

    monkeypatch.setattr(api_server, "serve", fake_serve)
    database = f"sqlite:///{tmp_path / 'served.sqlite'}"
    result = CliRunner().invoke(cli, ["serve", "--port", "8123", "--database", database])
    assert result.exit_code == 0, result.output
    assert calls == [(database, "127.0.0.1", 8123, None)]
    assert "http://127.0.0.1:8123/" in result.output


def test_address_for_a_browser():
    assert api_server.address("0.0.0.0", 80) == "http://127.0.0.1:80/"
    assert api_server.address("::1", 8000) == "http://[::1]:8000/"
