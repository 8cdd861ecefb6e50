"""Fused events and analyst decisions over HTTP: list, detail, merge, split, decisions, retract, explain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPORTS = Path(__file__).parents[1] / "resolve" / "data" / "bajaur_reports.jsonl"
ATTACK = ("wire-bajaur", "daily-bajaur", "weekly-bajaur")
UNRELATED = "quetta-checkpoint"


@pytest.fixture
def fused_client(fresh_client):
    """A client whose store got the three Bajaur reports and the Quetta one through POST /api/documents."""
    reports = {r["id"]: r for r in map(json.loads, REPORTS.read_text("utf-8").splitlines())}
    ids = {}
    for report_id in (*ATTACK, UNRELATED):
        report = reports[report_id]
        response = fresh_client.post("/api/documents", json={k: report[k] for k in ("text", "title", "published")})
        assert response.status_code == 201, response.text
        (ids[report_id],) = response.json()["created"]
    fresh_client.documents = ids  # type: ignore[attr-defined]  (report id -> stored document id)
    return fresh_client


def event_of(client, report_id: str) -> int:  # noqa: ANN001
    document = client.documents[report_id]
    (event,) = client.get("/api/events", params={"document": document}).json()["items"]
    return event["id"]


def bajaur(client) -> dict:  # noqa: ANN001
    (item,) = client.get("/api/fused-events", params={"min_sources": 2}).json()["items"]
    return item


def test_uploads_are_fused_and_listed_with_low_best_high(fused_client):
    listed = fused_client.get("/api/fused-events").json()
    assert set(listed) == {"items", "total", "limit", "offset"} and listed["total"] == 2
    item = bajaur(fused_client)
    assert item["n_sources"] == 3 and len(item["event_ids"]) == 3
    figure = item["fused"]["fatalities"]
    assert (figure["low"], figure["best"], figure["high"]) == (43, 44, 54)
    assert sorted(s["estimate"] for s in figure["sources"]) == [43, 44, 54]
    assert fused_client.get("/api/fused-events", params={"actor": "IS-K"}).json()["total"] == 1
    assert fused_client.get("/api/fused-events", params={"country": "AF"}).json()["total"] == 0
    assert fused_client.get("/api/events").json()["total"] == 4, "the events list stays per report"


def test_bad_parameters_are_400(fused_client, error_of):
    assert "min_sources" in error_of(fused_client.get("/api/fused-events", params={"min_sources": 0}))["message"]
    assert "sort" in error_of(fused_client.get("/api/fused-events", params={"sort": "loudest"}))["message"]


def test_detail_puts_every_source_side_by_side(fused_client, error_of):
    fused_id = bajaur(fused_client)["fused"]["id"]
    detail = fused_client.get(f"/api/fused-events/{fused_id}").json()
    tolls = sorted((s["event"]["fatalities"]["min"], s["event"]["fatalities"]["text"]) for s in detail["sources"])
    assert tolls == [(43, "43"), (44, "44"), (54, "54")]
    assert {s["added_by"] for s in detail["sources"]} == {"auto"}
    assert all(s["explanation"]["linked"] for s in detail["sources"])
    assert len(detail["fused"]["merges"]) == 2 and detail["decisions"] == []
    missing = fused_client.get("/api/fused-events/fused-nope")
    assert missing.status_code == 404 and "fused-nope" in error_of(missing)["message"]


def test_merge_then_retract(fused_client, error_of):
    quetta, wire = event_of(fused_client, UNRELATED), event_of(fused_client, "wire-bajaur")
    merged = fused_client.post("/api/fused-events/merge", json={"events": [quetta, wire], "reason": "one attack", "author": "ana"})
    assert merged.status_code == 200, merged.text
    (decision,) = merged.json()["decisions"]
    assert decision["kind"] == "must_link" and decision["author"] == "ana"
    in_force = fused_client.get("/api/fusion/decisions", params={"in_force": True}).json()
    assert [d["decision"]["id"] for d in in_force] == [decision["id"]]
    assert set(in_force[0]["events"].values()) == {quetta, wire}
    retracted = fused_client.delete(f"/api/fusion/decisions/{decision['id']}", params={"reason": "wrong"})
    assert retracted.status_code == 200 and retracted.json()["decisions"][0]["retracts"] == decision["id"]
    assert fused_client.get("/api/fusion/decisions", params={"in_force": True}).json() == []
    assert len(fused_client.get("/api/fusion/decisions").json()) == 2, "a retraction deletes nothing"
    assert bajaur(fused_client)["n_sources"] == 3
    again = fused_client.delete(f"/api/fusion/decisions/{decision['id']}")
    assert again.status_code == 409 and "not in force" in error_of(again)["message"]
    assert fused_client.delete("/api/fusion/decisions/dec-unknown").status_code == 404


def test_split_and_its_errors(fused_client, error_of):
    item = bajaur(fused_client)
    fused_id, wire = item["fused"]["id"], event_of(fused_client, "wire-bajaur")
    split = fused_client.post(f"/api/fused-events/{fused_id}/split", json={"keep": [wire], "reason": "two blasts"})
    assert split.status_code == 200, split.text
    assert fused_id in split.json()["removed"] and len(split.json()["created"]) == 2
    assert fused_client.get("/api/fused-events").json()["total"] == 3
    assert fused_client.get(f"/api/fused-events/{fused_id}").status_code == 404
    assert fused_client.post("/api/fused-events/fused-nope/split", json={"keep": [wire]}).status_code == 404
    (rest,) = [i for i in fused_client.get("/api/fused-events", params={"min_sources": 2}).json()["items"]]
    wrong = fused_client.post(f"/api/fused-events/{rest['fused']['id']}/split", json={"keep": rest["event_ids"]})
    assert wrong.status_code == 400 and "some but not all" in error_of(wrong)["message"]
    empty = fused_client.post(f"/api/fused-events/{rest['fused']['id']}/split", json={"keep": []})
    assert empty.status_code == 400


def test_cannot_link_and_conflicts(fused_client, error_of):
    wire, daily = event_of(fused_client, "wire-bajaur"), event_of(fused_client, "daily-bajaur")
    apart = fused_client.post("/api/fusion/decisions", json={"kind": "cannot_link", "events": [wire, daily]})
    assert apart.status_code == 201, apart.text
    conflict = fused_client.post("/api/fused-events/merge", json={"events": [wire, daily]})
    assert conflict.status_code == 409 and "cannot_link" in error_of(conflict)["message"]
    assert fused_client.post("/api/fused-events/merge", json={"events": [wire, 999999]}).status_code == 404
    assert fused_client.post("/api/fused-events/merge", json={"events": [wire]}).status_code == 400
    assert fused_client.post("/api/fusion/decisions", json={"kind": "pin", "events": [wire, daily]}).status_code == 400


def test_explain(fused_client, error_of):
    wire, daily, quetta = (event_of(fused_client, r) for r in ("wire-bajaur", "daily-bajaur", UNRELATED))
    same = fused_client.get("/api/fusion/explain", params={"a": wire, "b": daily}).json()
    assert same["same_fused_event"] and same["explanation"]["linked"]
    other = fused_client.get("/api/fusion/explain", params={"a": wire, "b": quetta}).json()
    assert not other["same_fused_event"] and not other["explanation"]["linked"]
    assert fused_client.get("/api/fusion/explain", params={"a": wire, "b": 999999}).status_code == 404


def test_the_sample_store_has_fused_events(client):
    """On the shared store (SQLite and PostgreSQL): every report is in exactly one fused event."""
    events = client.get("/api/events", params={"limit": 1}).json()["total"]
    listed = client.get("/api/fused-events", params={"limit": 1000}).json()
    assert 0 < listed["total"] <= events
    assert sum(item["n_sources"] for item in listed["items"]) == events
    members = [e for item in listed["items"] for e in item["event_ids"]]
    assert len(members) == len(set(members)) == events
    first = listed["items"][0]["fused"]["id"]
    assert client.get(f"/api/fused-events/{first}").json()["fused"]["id"] == first


def test_the_routes_are_documented(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/fused-events", "/api/fused-events/{fused_id}", "/api/fused-events/merge",
            "/api/fused-events/{fused_id}/split", "/api/fusion/decisions", "/api/fusion/decisions/{decision_id}",
            "/api/fusion/explain"} <= set(paths)
