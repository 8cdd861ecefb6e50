"""/api/recovered-weapons (add, import, list, one, origins) and /api/weapons/over-time."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SAMPLE = Path(str(resources.files("vigil").joinpath("samples/recovered_weapons_example.csv")))
M4 = {
    "weapon_class": "carbine", "make": "Colt", "model": "M4A1", "calibre": "5.56", "serial_number": "W-77",
    "markings": ["PROPERTY OF U.S. GOVT"], "import_marks": ["ANA"], "recovered_on": "2023-03-14",
    "recovery_place": "Spin Boldak, Kandahar, AF",
}


def upload(client, content: bytes, name: str = "seized.csv", **form: str):  # noqa: ANN001, ANN201
    return client.post("/api/recovered-weapons/import", files={"file": (name, content, "text/csv")}, data=form)


def test_adding_a_weapon_normalises_it_and_a_second_add_changes_nothing(fresh_client):
    created = fresh_client.post("/api/recovered-weapons", json=M4)
    assert created.status_code == 201
    body = created.json()
    weapon = body["weapon"]
    assert body["status"] == "created" and weapon["id"].startswith("rw-")
    assert (weapon["weapon_class"], weapon["calibre"]) == ("rifle", "5.56x45mm NATO")
    assert weapon["recovery_place"]["country"] == "AF" and weapon["created_at"]
    again = fresh_client.post("/api/recovered-weapons", json=M4)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    updated = fresh_client.post("/api/recovered-weapons", json={**M4, "custody_notes": "moved"})
    assert updated.status_code == 200 and updated.json()["status"] == "updated"


def test_one_weapon_with_its_suspected_origin_and_a_missing_one(fresh_client, error_of):
    weapon_id = fresh_client.post("/api/recovered-weapons", json=M4).json()["weapon"]["id"]
    detail = fresh_client.get(f"/api/recovered-weapons/{weapon_id}").json()
    assert detail["weapon"]["serial_number"] == "W-77"
    origin = detail["origin"]
    assert origin["status"] == "attributed" and origin["suspected_origin"] == "us-supplied-andsf"
    assert {"pattern": "afghan-ownership-mark", "field": "import_marks", "value": "ANA"}.items() <= next(
        hit for hit in origin["hits"] if hit["pattern"] == "afghan-ownership-mark").items()
    missing = fresh_client.get("/api/recovered-weapons/rw-nothing")
    assert missing.status_code == 404 and "rw-nothing" in error_of(missing)["message"]


def test_a_bad_weapon_is_a_400_naming_every_bad_field(fresh_client, error_of):
    response = fresh_client.post(
        "/api/recovered-weapons", json={"weapon_class": "slingshot", "recovered_on": "July", "event_id": 99999}
    )
    message = error_of(response)["message"]
    assert response.status_code == 400 and "weapon_class: 'slingshot'" in message and "recovered_on: 'July'" in message
    unknown_event = fresh_client.post("/api/recovered-weapons", json={**M4, "event_id": 99999})
    assert unknown_event.status_code == 400 and "event_id: no stored event has id 99999" in error_of(unknown_event)["message"]
    extra = fresh_client.post("/api/recovered-weapons", json={**M4, "colour": "red"})
    assert extra.status_code == 400 and error_of(extra)["message"].startswith("colour:")
    assert fresh_client.get("/api/recovered-weapons").json()["total"] == 0


def test_importing_the_sample_then_again(fresh_client):
    first = upload(fresh_client, SAMPLE.read_bytes(), name=SAMPLE.name)
    assert first.status_code == 201
    assert len(first.json()["created"]) == 12 and first.json()["errors"] == []
    again = upload(fresh_client, SAMPLE.read_bytes(), name=SAMPLE.name)
    assert again.status_code == 200 and len(again.json()["unchanged"]) == 12 and again.json()["created"] == []
    listed = fresh_client.get("/api/recovered-weapons", params={"limit": 5}).json()
    assert listed["total"] == 12 and len(listed["items"]) == 5
    assert listed["items"][0]["recovered_on"] == "2023-09-02", "most recently recovered first"


def test_an_import_with_bad_rows_is_a_400_listing_them_and_keeps_the_good_rows(fresh_client, error_of):
    content = b"type,serial,date\nrifle,A1,2023-01-01\nslingshot,A2,2023-01-02\nrifle,A3,2023-31-01\n"
    response = upload(fresh_client, content, recorded_by="analyst B")
    assert response.status_code == 400
    error = error_of(response)
    assert error["message"].startswith("2 of 3 row(s) could not be imported (1 stored)")
    assert [(row["row"], row["fields"]) for row in error["rows"]] == [(3, ["weapon_class"]), (4, ["recovered_on"])]
    assert len(error["outcome"]["created"]) == 1
    (stored,) = fresh_client.get("/api/recovered-weapons").json()["items"]
    assert (stored["serial_number"], stored["source"], stored["recorded_by"]) == ("A1", "seized.csv", "analyst B")


def test_an_unreadable_or_too_large_file(fresh_client, error_of):
    no_fields = upload(fresh_client, b"colour,size\nred,2\n")
    assert no_fields.status_code == 400 and "seized.csv: no column is a recovered-weapon field" in error_of(no_fields)["message"]
    too_large = upload(fresh_client, b"type\n" + b"rifle\n" * 1000)  # the fresh client allows 4 KiB
    assert too_large.status_code == 413 and "limit" in error_of(too_large)["message"]


def test_origins_and_filters(fresh_client, error_of):
    upload(fresh_client, SAMPLE.read_bytes(), name=SAMPLE.name)
    report = fresh_client.get("/api/recovered-weapons/origins").json()
    assert report["total"] == 12 and len(report["matches"]) == 12
    shares = {share["origin"]: share for share in report["shares"]}
    assert shares["us-supplied-andsf"]["count"] == 3 and 0 < shares["us-supplied-andsf"]["ci_low"] < 0.25
    assert sum(share["count"] for share in report["shares"]) == 12
    afghan = fresh_client.get("/api/recovered-weapons/origins", params={"country": "AF", "limit": 1}).json()
    assert afghan["total"] == 5, "paging does not apply to the shares"
    obliterated = fresh_client.get("/api/recovered-weapons", params={"obliterated": "true"}).json()
    assert obliterated["total"] == report["obliterated_serials"] == 4
    chinese = fresh_client.get("/api/recovered-weapons", params={"made_in": "cn", "type": "assault rifle"}).json()
    assert [item["id"] for item in chinese["items"]] == ["ex-004"]
    bad_country = fresh_client.get("/api/recovered-weapons", params={"country": "Afghanistan"})
    assert bad_country.status_code == 400 and "country" in error_of(bad_country)["message"]
    bad_range = fresh_client.get("/api/recovered-weapons", params={"since": "2024-01-01", "until": "2023-01-01"})
    assert bad_range.status_code == 400 and "after until" in error_of(bad_range)["message"]


def test_weapons_over_time(client, error_of):
    series = client.get("/api/weapons/over-time", params={"by": "class"}).json()
    assert series["by"] == "class" and series["period"] == "month"
    assert len(series["periods"]) == len(series["total"]) == len(series["starts"])
    for group in series["groups"]:
        assert len(group["counts"]) == len(series["periods"]) and group["total"] == sum(group["counts"])
    mentions = client.get("/api/weapons", params={"limit": 1}).json()["total"]
    assert sum(series["total"]) + series["undated"] == mentions, "every listed mention is counted once"
    by_actor = client.get("/api/weapons/over-time", params={"by": "actor", "period": "week", "since": "2023-01-01",
                                                             "top": 3}).json()
    assert len(by_actor["groups"]) <= 3 and by_actor["periods"][0].startswith("2022-W52")
    keys = {group["key"] for group in by_actor["groups"]}
    assert keys & {"tehrik-e-taliban-pakistan", "al-qaida", "islamic-state"}, keys
    bad = client.get("/api/weapons/over-time", params={"by": "colour"})
    assert bad.status_code == 400 and "by" in error_of(bad)["message"]
    assert client.get("/api/weapons/over-time", params={"since": "someday"}).status_code == 400
