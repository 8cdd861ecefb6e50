"""GET /api/relations, /api/claims, /api/weapons (lists, one item, exports) and /api/supply-network."""

from __future__ import annotations

import csv
import io

COMMENTARY = "vigil-example-commentary-2023-08-28"


def test_relations_by_type_and_actor(client):
    supply = client.get("/api/relations", params={"type": "supplies_weapons_to"}).json()
    pairs = {(r["relation"]["source"].get("actor"), r["relation"]["target"].get("actor")) for r in supply["items"]}
    assert {("tehrik-e-taliban-pakistan", "islamic-state"), ("al-qaida", "islamic-state")} <= pairs
    assert supply["total"] == len(supply["items"])
    by_actor = client.get("/api/relations", params={"actor": "TTP"}).json()["items"]
    assert by_actor and all(
        "tehrik-e-taliban-pakistan" in (r["relation"]["source"].get("actor"), r["relation"]["target"].get("actor"))
        for r in by_actor
    )


def test_relations_follow_their_document_in_place_and_time(client):
    in_2023 = client.get("/api/relations", params={"since": "2023-08-01", "until": "2023-08-31"}).json()["items"]
    assert in_2023 and all(r["document_id"] in (COMMENTARY, "vigil-example-wire-caps-2023-08-01") for r in in_2023)
    assert client.get("/api/relations", params={"country": "IQ"}).json()["total"] == 0


def test_one_relation_with_the_claims_about_it(client, error_of):
    relation_id = client.get("/api/relations", params={"type": "supplies_weapons_to", "actor": "al-qaida"}).json()["items"][0]["id"]
    detail = client.get(f"/api/relations/{relation_id}").json()
    assert detail["document"]["id"] == COMMENTARY
    assert {c["claim"]["stance"] for c in detail["claims"]} == {"asserts", "denies"}
    assert detail["relation"]["attributed_to"]["actor"] == "un-monitoring-team"
    assert client.get("/api/relations/999999").status_code == 404
    assert client.get("/api/relations", params={"type": "befriends"}).status_code == 400
    assert "relations" in error_of(client.get("/api/relations", params={"sort": "-fatalities"}))["message"]


def test_claims_by_stance_actor_and_place(client):
    denials = client.get("/api/claims", params={"stance": "denies", "limit": 100}).json()
    assert denials["total"] >= 3 and {c["claim"]["stance"] for c in denials["items"]} == {"denies"}
    assert any("reduced to zero" in c["claim"]["text"] for c in denials["items"])
    by_taliban = client.get("/api/claims", params={"actor": "Taliban"}).json()["items"]
    assert by_taliban and all(
        "taliban" in (c["claim"]["speaker"].get("actor"), (c["claim"].get("speaker_org") or {}).get("actor"))
        for c in by_taliban
    )
    in_pk = client.get("/api/claims", params={"country": "PK", "limit": 200}).json()
    everywhere = client.get("/api/claims", params={"limit": 200}).json()
    assert 0 < in_pk["total"] < everywhere["total"]
    assert client.get("/api/claims", params={"stance": "maybe"}).status_code == 400


def test_claim_about_an_event_follows_the_event(client):
    """A claim concerning an event is placed where and when the event is, not by its document."""
    police = [c for c in client.get("/api/claims", params={"document": COMMENTARY}).json()["items"] if c["claim"]["speaker"]["text"] == "police"]
    assert police
    july = client.get("/api/claims", params={"document": COMMENTARY, "since": "2023-07-01", "until": "2023-07-31"}).json()["items"]
    assert [c["id"] for c in july] == [police[0]["id"]], "the bombing was in July; the commentary is dated August"


def test_one_claim_with_what_it_concerns(client):
    claim = next(
        c for c in client.get("/api/claims", params={"document": COMMENTARY, "stance": "denies"}).json()["items"]
        if "reduced to zero" in c["claim"]["text"]
    )
    detail = client.get(f"/api/claims/{claim['id']}").json()
    assert detail["document"]["id"] == COMMENTARY
    assert {r["relation"]["type"] for r in detail["relations"]} == {"supplies_weapons_to"}
    assert client.get("/api/claims/424242").status_code == 404


def test_claim_groups_set_assertion_against_denial_and_the_record(client):
    groups = client.get("/api/claims/groups", params={"limit": 10}).json()
    assert groups["total"] >= groups["limit"] == 10
    contested = groups["items"][0]
    assert contested["asserted_by"] and contested["denied_by"], "contested groups come first"
    supply = next(g for g in groups["items"] if any("reduced to zero" in v["quote"] for v in g["denied_by"]))
    assert any(v["speaker"]["actor"] == "un-monitoring-team" for v in supply["asserted_by"])
    assert "islamic-state" in {s["actor_id"] for s in supply["subjects"]}
    assert supply["recorded_total"] >= 1, "Islamic State attacks were recorded around the claim"
    assert all(
        supply["window_start"] <= e["date_start"] <= supply["window_end"] for e in supply["recorded_events"]
    )
    narrow = client.get("/api/claims/groups", params={"limit": 50, "window_days": 0}).json()
    assert narrow["total"] == groups["total"]
    assert client.get("/api/claims/groups", params={"window_days": -3}).status_code == 400


def test_weapons_with_their_actors(client):
    page = client.get("/api/weapons", params={"limit": 100}).json()
    assert page["total"] == len(page["items"])
    supplied = [w for w in page["items"] if w["relation_id"] is not None]
    assert supplied and all(len(w["actors"]) == 2 and w["sentence"] for w in supplied)
    spans = [(w["document"]["id"], w["weapon"]["start"], w["weapon"]["end"], w["event_id"], w["relation_id"]) for w in page["items"]]
    assert len(spans) == len(set(spans)), "document-level copies of owned mentions are not repeated"
    rifles = client.get("/api/weapons", params={"weapon_class": "Assault Rifle"}).json()["items"]
    assert rifles and {w["weapon"]["weapon_class"] for w in rifles} == {"assault rifle"}
    by_actor = client.get("/api/weapons", params={"actor": "al-qaida"}).json()["items"]
    assert by_actor and all(any(a.get("actor") == "al-qaida" for a in w["actors"]) for w in by_actor)


def test_one_weapon_has_its_sentence(client):
    weapon = client.get("/api/weapons", params={"document": COMMENTARY, "text": "night-vision"}).json()["items"][0]
    detail = client.get(f"/api/weapons/{weapon['id']}").json()
    assert detail["weapon"]["text"] in detail["sentence"]
    assert detail["document"]["id"] == COMMENTARY
    assert client.get("/api/weapons/31337").status_code == 404


def test_fact_exports(client, error_of):
    for what in ("relations", "claims", "weapons", "documents"):
        response = client.get(f"/api/{what}/export", params={"format": "csv"})
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert len(rows) == client.get(f"/api/{what}", params={"limit": 1000}).json()["total"], what
        assert client.get(f"/api/{what}/export", params={"format": "json"}).json(), what
        geojson = client.get(f"/api/{what}/export", params={"format": "geojson"})
        assert geojson.status_code == 400 and "events" in error_of(geojson)["message"]


def test_supply_network(client):
    network = client.get("/api/supply-network").json()
    nodes = {node["id"]: node for node in network["nodes"]}
    assert nodes["islamic-state"]["receives"] >= 2
    edge = next(e for e in network["edges"] if (e["source"], e["target"]) == ("tehrik-e-taliban-pakistan", "islamic-state"))
    assert edge["denied"] is True
    [report] = edge["reports"]
    assert report["document"]["id"] == COMMENTARY and report["attributed_to"]["actor"] == "un-monitoring-team"
    assert {d["claim"]["speaker"]["text"] for d in report["denials"]} >= {"Zabihullah Mujahid"}
    assert report["weapons"] and edge["weapons"][0]["count"] >= 1
    assert client.get("/api/supply-network", params={"until": "2000-01-01"}).json() == {"nodes": [], "edges": []}
    assert client.get("/api/supply-network", params={"since": "someday"}).status_code == 400
