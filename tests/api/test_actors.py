"""GET /api/actors, /api/actors/{id}, /api/actors/export."""

from __future__ import annotations

import csv
import io


def test_actors_most_active_first_with_total(client):
    page = client.get("/api/actors", params={"limit": 5}).json()
    assert page["total"] > 100, "the whole gazetteer is listed without a filter"
    counts = [item["events"] for item in page["items"]]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0


def test_search_kind_and_activity(client):
    found = client.get("/api/actors", params={"q": "taliban", "limit": 100}).json()["items"]
    assert "tehrik-e-taliban-pakistan" in {a["actor"]["id"] for a in found}
    people = client.get("/api/actors", params={"kind": "person", "limit": 20}).json()["items"]
    assert people and {a["actor"]["kind"] for a in people} == {"person"}
    active = client.get("/api/actors", params={"active": "true", "limit": 1000}).json()
    assert active["total"] >= 1 and all(a["events"] > 0 for a in active["items"])


def test_place_filter_counts_matching_events_only(client):
    in_pk = client.get("/api/actors", params={"country": "PK", "since": "2023-01-01", "limit": 100}).json()
    ids = {a["actor"]["id"] for a in in_pk["items"]}
    assert {"islamic-state", "tehrik-e-taliban-pakistan"} <= ids
    assert all(a["events"] >= 1 for a in in_pk["items"])


def test_actor_sort_by_name(client):
    names = [a["actor"]["name"] for a in client.get("/api/actors", params={"sort": "name", "limit": 30}).json()["items"]]
    assert names == sorted(names)


def test_bad_actor_sort_and_kind_are_400(client, error_of):
    assert "sort" in error_of(client.get("/api/actors", params={"sort": "-date"}))["message"]
    assert client.get("/api/actors", params={"kind": "alien"}).status_code == 400


def test_profile(client):
    profile = client.get("/api/actors/tehrik-e-taliban-pakistan").json()
    assert profile["actor"]["un_ref"] == "QDe.132" and "TTP" in profile["actor"]["aliases"]
    assert "jamaat-ul-ahrar" in {faction["id"] for faction in profile["factions"]}
    assert profile["events"] >= 1 and profile["events_by_month"]
    assert [link["relation"]["target"]["actor"] for link in profile["relations_out"] if link["relation"]["type"] == "supplies_weapons_to"] == ["islamic-state"]
    assert any(link["relation"]["type"] == "faction_of" for link in profile["relations_in"])
    assert profile["claims_by"], "the TTP denies involvement"
    assert {c["claim"]["stance"] for c in profile["claims_by"]} == {"denies"}
    assert profile["claims_about"], "the UN report is about its supplies"
    assert profile["weapon_classes"]
    faction = client.get("/api/actors/jamaat-ul-ahrar").json()
    assert faction["parent"]["id"] == "tehrik-e-taliban-pakistan"


def test_profile_narrowed_by_time(client):
    before = client.get("/api/actors/islamic-state", params={"until": "2000-01-01"}).json()
    assert before["events"] == 0 and before["events_by_month"] == [] and before["relations_in"] == []


def test_unknown_actor_is_404(client, error_of):
    response = client.get("/api/actors/no-such-group")
    assert response.status_code == 404 and "no-such-group" in error_of(response)["message"]


def test_actor_export(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/api/actors/export", params={"active": "true"}).text)))
    assert rows and {"actor_id", "name", "un_ref", "events"} <= set(rows[0])
    assert len(rows) == client.get("/api/actors", params={"active": "true"}).json()["total"]
    assert client.get("/api/actors/export", params={"format": "json", "q": "taliban"}).json()
