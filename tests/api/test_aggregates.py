"""GET /api/aggregates/...: totals, counts by dimension, weapons, series."""

from __future__ import annotations

import pytest


def test_totals_agree_with_the_lists(client):
    totals = client.get("/api/aggregates/totals", params={"country": "PK"}).json()
    events = client.get("/api/events/export", params={"format": "json", "country": "PK"}).json()
    assert totals["events"] == len(events)
    assert totals["fatalities_min"] == sum((e["event"].get("fatalities") or {}).get("min") or 0 for e in events)
    assert totals["documents"] == len({e["document_id"] for e in events})
    assert totals["actors"] >= 2
    everything = client.get("/api/aggregates/totals").json()
    assert everything["documents"] == client.get("/api/documents").json()["total"]


@pytest.mark.parametrize("by", ["actor", "event_type", "sub_event_type", "country", "admin1"])
def test_counts_add_up(client, by):
    counts = client.get("/api/aggregates/counts", params={"by": by}).json()
    assert counts and [c["events"] for c in counts] == sorted((c["events"] for c in counts), reverse=True)
    if by != "actor":  # an event has one value of each field, but may have several perpetrators
        assert sum(c["events"] for c in counts) == client.get("/api/aggregates/totals").json()["events"]
    assert len({c["key"] for c in counts}) == len(counts)


def test_counts_by_actor_and_province(client):
    actors = client.get("/api/aggregates/counts", params={"by": "actor", "country": "PK", "limit": 3}).json()
    assert len(actors) <= 3 and "islamic-state" in {a["key"] for a in client.get("/api/aggregates/counts", params={"by": "actor", "country": "PK"}).json()}
    provinces = {c["key"]: c for c in client.get("/api/aggregates/counts", params={"by": "admin1"}).json()}
    assert provinces["PK/Khyber Pakhtunkhwa"]["label"] == "Khyber Pakhtunkhwa, PK"
    assert provinces["PK/Khyber Pakhtunkhwa"]["fatalities_min"] >= 40


def test_weapons_aggregates(client):
    classes = client.get("/api/aggregates/weapons").json()
    assert sum(c["count"] for c in classes) == client.get("/api/weapons").json()["total"]
    origins = client.get("/api/aggregates/weapons", params={"by": "origin"}).json()
    assert "NATO-calibre" in {o["value"] for o in origins}
    by_actor = client.get("/api/aggregates/weapons/actors").json()
    assert {"actor_id": "islamic-state", "role": "receives"}.items() <= next(
        row for row in by_actor if row["actor_id"] == "islamic-state" and row["role"] == "receives"
    ).items()
    assert client.get("/api/aggregates/weapons", params={"by": "colour"}).status_code == 400


def test_monthly_series_by_event_type(client):
    series = client.get(
        "/api/aggregates/series", params={"period": "month", "by": "event_type", "since": "2023-01-01", "until": "2023-12-31"}
    ).json()
    assert [p["key"] for p in series["periods"]] == [f"2023-{m:02d}" for m in range(1, 13)]
    assert series["by"] == "event_type" and series["groups"]
    weekly = client.get("/api/aggregates/series", params={"period": "week", "country": "PK", "since": "2023-07-01", "until": "2023-08-31"}).json()
    assert weekly["periods"][0]["key"].startswith("2023-W")


def test_bad_aggregate_parameters_are_400(client, error_of):
    assert "by" in error_of(client.get("/api/aggregates/counts", params={"by": "colour"}))["message"]
    assert client.get("/api/aggregates/counts").status_code == 400, "by is required"
    assert client.get("/api/aggregates/series", params={"period": "day"}).status_code == 400
    assert client.get("/api/aggregates/series", params={"by": "weapon"}).status_code == 400
    assert client.get("/api/aggregates/totals", params={"event_type": "Skirmish"}).status_code == 400


def test_trend_compares_two_windows_in_plain_words(client):
    report = client.get("/api/aggregates/trend", params={"compare": "2006,2007", "country": "PK"}).json()
    series = report["series"]
    assert series["since"] == "2006-01-01" and series["until"] == "2007-12-31"
    assert [p["key"] for p in series["periods"]][:2] == ["2006-01", "2006-02"] and len(series["periods"]) == 24
    comparison = report["comparison"]
    in_2006 = client.get("/api/aggregates/totals", params={"country": "PK", "since": "2006-01-01", "until": "2006-12-31"})
    in_2007 = client.get("/api/aggregates/totals", params={"country": "PK", "since": "2007-01-01", "until": "2007-12-31"})
    assert (comparison["before"]["events"], comparison["after"]["events"]) == (
        in_2006.json()["events"],
        in_2007.json()["events"],
    )
    assert 0 <= comparison["p_value"] <= 1 and comparison["test"] and comparison["sentence"]
    assert report["change_points"]["method"].startswith("binary segmentation") and isinstance(report["change_points"]["points"], list)


@pytest.mark.parametrize("compare", ["bad", "2023,2022"])
def test_trend_refuses_bad_windows(client, error_of, compare):
    response = client.get("/api/aggregates/trend", params={"compare": compare})
    assert response.status_code == 400
    assert "window" in error_of(response)["message"]


def test_series_and_trend_count_fused_events_when_asked(client):
    reports = client.get("/api/aggregates/series").json()
    fused = client.get("/api/aggregates/series", params={"fused": "true"}).json()
    distinct = client.get("/api/fused-events", params={"limit": 1}).json()["total"]
    assert fused["fused"] is True and reports["fused"] is False
    assert sum(fused["total"]["events"]) + fused["undated"] == distinct
    assert sum(fused["total"]["events"]) < sum(reports["total"]["events"]), "some reports tell of one event"
    trend = client.get("/api/aggregates/trend", params={"fused": "true", "compare": "2006,2007"}).json()
    assert trend["series"]["fused"] is True
