"""Recovered weapons carry a TLP marking and an owner, like documents (multi-user mode).

An analyst's record belongs to their organisation; AMBER and RED records stay inside it; two
organisations recording the same weapon keep two records, and neither can overwrite the other's.
"""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from vigil.api import create_app
from vigil.model.access import LOCAL_ORG
from vigil.settings import Settings
from vigil.share import accounts
from vigil.workflow import open_ready_store

PASSWORD = "correct horse battery staple"
AK = {"weapon_class": "assault rifle", "make": "Norinco", "model": "Type 56", "serial_number": "N-1001",
      "recovered_on": "2023-07-30", "recovery_place": "Bajaur, PK"}
CSV = b"type,make,serial,date\nassault rifle,Norinco,N-2002,2023-08-01\n"


@pytest.fixture
def clients(tmp_path, monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'multi.sqlite'}", auth_mode="multi")
    store = open_ready_store(settings)
    accounts.create_organisation(store, "ngo", "Field NGO")
    for name, org in (("anna", LOCAL_ORG), ("nadia", "ngo")):
        accounts.create_user(store, name, PASSWORD, "analyst", org)
    app = create_app(settings, store=store)
    made = {}
    for name in ("anna", "nadia"):
        client = made[name] = TestClient(app)
        assert client.post("/api/auth/login", json={"username": name, "password": PASSWORD}).status_code == 200
    yield made
    store.close()


def ids(client: TestClient) -> set[str]:
    return {w["id"] for w in client.get("/api/recovered-weapons", params={"limit": 100}).json()["items"]}


def test_a_record_belongs_to_its_author_organisation_and_amber_stays_inside_it(clients):
    nadia, anna = clients["nadia"], clients["anna"]
    added = nadia.post("/api/recovered-weapons", json={**AK, "tlp": "amber"})
    assert added.status_code == 201, added.text
    weapon = added.json()["weapon"]
    assert (weapon["tlp"], weapon["org_id"]) == ("TLP:AMBER", "ngo")
    assert ids(nadia) == {weapon["id"]} and ids(anna) == set()
    assert anna.get(f"/api/recovered-weapons/{weapon['id']}").status_code == 404
    assert anna.get("/api/recovered-weapons/origins").json()["total"] == 0
    imported = nadia.post("/api/recovered-weapons/import", files={"file": ("seized.csv", CSV, "text/csv")}, data={"tlp": "red"})
    assert imported.status_code == 201, imported.text
    assert len(ids(nadia)) == 2 and ids(anna) == set()
    green = nadia.post("/api/recovered-weapons", json={**AK, "serial_number": "N-3003", "tlp": "green"}).json()["weapon"]
    assert ids(anna) == {green["id"]}


def test_the_same_weapon_recorded_by_two_organisations_is_two_records(clients):
    nadia, anna = clients["nadia"], clients["anna"]
    theirs = nadia.post("/api/recovered-weapons", json={**AK, "tlp": "red"}).json()["weapon"]
    ours = anna.post("/api/recovered-weapons", json=AK)
    assert ours.status_code == 201 and ours.json()["status"] == "created"
    assert ours.json()["weapon"]["id"] != theirs["id"] and ours.json()["weapon"]["tlp"] == "TLP:CLEAR"
    assert ids(nadia) == {theirs["id"], ours.json()["weapon"]["id"]}  # CLEAR: every user sees it


def test_a_given_id_of_another_organisation_cannot_be_overwritten(clients):
    nadia, anna = clients["nadia"], clients["anna"]
    assert nadia.post("/api/recovered-weapons", json={**AK, "id": "seizure-7", "tlp": "red"}).status_code == 201
    taken = anna.post("/api/recovered-weapons", json={**AK, "id": "seizure-7", "custody_notes": "ours now"})
    assert taken.status_code == 409 and "another organisation" in taken.json()["error"]["message"]
    assert nadia.get("/api/recovered-weapons/seizure-7").json()["weapon"]["custody_notes"] is None
    bad = nadia.post("/api/recovered-weapons", json={**AK, "tlp": "pink"})
    assert bad.status_code == 400 and "pink" in bad.json()["error"]["message"]
