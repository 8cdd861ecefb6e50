"""GET /api/events, /api/events/{id}, /api/events/export: filters, paging, errors, exports."""

from __future__ import annotations

import csv
import io
import json

import pytest

from vigil.analysis.exports import EVENT_COLUMNS

COMMENTARY = "vigil-example-commentary-2023-08-28"


def test_list_is_paged_with_a_total(client):
    first = client.get("/api/events", params={"limit": 3}).json()
    assert set(first) == {"items", "total", "limit", "offset"}
    assert first["limit"] == 3 and first["offset"] == 0 and len(first["items"]) == 3
    assert first["total"] > 3
    second = client.get("/api/events", params={"limit": 3, "offset": 3}).json()
    assert second["total"] == first["total"]
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    dates = [e["date_start"] for e in first["items"] + second["items"]]
    assert dates == sorted(dates, reverse=True), "newest first by default"


def test_default_page_is_fifty(client):
    assert client.get("/api/events").json()["limit"] == 50


def test_country_date_type_and_admin1_filters(client):
    found = client.get(
        "/api/events",
        params={"country": "pk", "since": "2023-01-01", "until": "2023-12-31", "sub_event_type": "Suicide bomb"},
    ).json()
    assert found["total"] >= 3
    for stored in found["items"]:
        assert stored["event"]["location"]["country"] == "PK"
        assert "2023-01-01" <= stored["date_start"] <= "2023-12-31"
        assert stored["event"]["type"] == "Suicide bomb"
    kp = client.get("/api/events", params={"admin1": "khyber pakhtunkhwa"}).json()
    assert kp["total"] >= 1
    assert {e["event"]["location"]["admin1"] for e in kp["items"]} == {"Khyber Pakhtunkhwa"}


def test_actor_and_text_filters(client):
    by_alias = client.get("/api/events", params={"actor": "ISIS"}).json()
    assert by_alias["total"] >= 1
    assert all(
        any(p.get("actor") == "islamic-state" for p in e["event"]["perpetrators"]) for e in by_alias["items"]
    )
    worded = client.get("/api/events", params={"text": "convention"}).json()
    assert worded["total"] >= 1 and all("convention" in e["event"]["sentence"].lower() for e in worded["items"])


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [("date", "date_start", False), ("-date", "date_start", True), ("id", "id", False), ("-id", "id", True)],
)
def test_sort_orders(client, sort, key, reverse):
    items = client.get("/api/events", params={"sort": sort, "limit": 100}).json()["items"]
    values = [item[key] for item in items if item[key] is not None]
    assert values == sorted(values, reverse=reverse)


def test_sort_by_fatalities_country_and_type(client):
    deadliest = client.get("/api/events", params={"sort": "-fatalities", "limit": 100}).json()["items"]
    figures = [(e["event"].get("fatalities") or {}).get("min") for e in deadliest]
    known = [f for f in figures if f is not None]
    assert known == sorted(known, reverse=True) and figures[: len(known)] == known, "no figure sorts last"
    by_country = [e["event"]["location"]["country"] for e in client.get("/api/events", params={"sort": "country", "limit": 100}).json()["items"]
                  if e["event"].get("location") and e["event"]["location"].get("country")]
    assert by_country == sorted(by_country)
    by_type = [(e["event"]["event_type"], e["event"]["type"]) for e in client.get("/api/events", params={"sort": "type", "limit": 100}).json()["items"]]
    assert by_type == sorted(by_type)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"sort": "newest"}, "sort"),
        ({"since": "last week"}, "since"),
        ({"until": "2023-13-01"}, "until"),
        ({"since": "2024-01-01", "until": "2023-01-01"}, "after"),
        ({"event_type": "Bombings"}, "Bombings"),
        ({"sub_event_type": "Car bomb"}, "Car bomb"),
        ({"limit": "-5"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "5000"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"country": "Pakistan"}, "country"),
    ],
)
def test_bad_filters_are_400_naming_the_value(client, error_of, params, named):
    response = client.get("/api/events", params=params)
    assert response.status_code == 400
    assert named in error_of(response)["message"]


def test_one_event_with_its_fields_claims_and_sources(client):
    listed = client.get("/api/events", params={"document": COMMENTARY}).json()["items"]
    assert listed
    detail = client.get(f"/api/events/{listed[0]['id']}").json()
    document = client.get(f"/api/documents/{COMMENTARY}").json()["document"]
    text = document["text"]
    assert detail["document"]["id"] == COMMENTARY and detail["document"]["published"] == "2023-08-28"
    fields = {field["field"]: field for field in detail["fields"]}
    assert {"location", "perpetrator", "fatalities"} <= set(fields)
    for field in detail["fields"]:
        if field["start"] is not None:
            assert text[field["start"] : field["end"]] == field["text"], field
    assert fields["perpetrator"]["actor"] == "islamic-state"
    [source] = detail["sources"]
    assert source["quote"] == detail["event"]["sentence"] and source["fatalities"]["min"] == 40
    assert text[source["start"] : source["end"]] == source["quote"]
    assert detail["claims"], "the police's statement concerns this event"
    assert all(claim["document_id"] == COMMENTARY for claim in detail["claims"])


def test_unknown_event_is_404(client, error_of):
    response = client.get("/api/events/987654")
    assert response.status_code == 404 and "987654" in error_of(response)["message"]
    assert client.get("/api/events/not-a-number").status_code == 400


def test_csv_export_has_the_cli_columns(client):
    response = client.get("/api/events/export", params={"format": "csv", "country": "PK"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "vigil-events.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == EVENT_COLUMNS
    assert len(rows) == client.get("/api/events", params={"country": "PK"}).json()["total"]
    assert {row["country"] for row in rows} == {"PK"}


def test_json_export_is_every_match(client):
    response = client.get("/api/events/export", params={"format": "json", "actor": "islamic-state"})
    found = response.json()
    assert response.headers["content-type"].startswith("application/json")
    assert len(found) == client.get("/api/events", params={"actor": "islamic-state"}).json()["total"]
    assert all("event" in item and "document_id" in item for item in found)


def test_geojson_export_is_a_valid_feature_collection(client):
    response = client.get("/api/events/export", params={"format": "geojson"})
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = json.loads(response.text)
    assert collection["type"] == "FeatureCollection" and collection["features"]
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
        assert {"event_date", "event_type", "sub_event_type", "country", "fatalities_min"} <= set(feature["properties"])
        assert "latitude" not in feature["properties"]
    with_coordinates = [
        e for e in client.get("/api/events/export", params={"format": "json"}).json()
        if (e["event"].get("location") or {}).get("lat") is not None
    ]
    assert len(collection["features"]) == len(with_coordinates)


def test_export_of_a_bad_format_is_400(client, error_of):
    response = client.get("/api/events/export", params={"format": "xlsx"})
    assert response.status_code == 400 and "format" in error_of(response)["message"]
