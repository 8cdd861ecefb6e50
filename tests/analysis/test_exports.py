"""CSV, JSON and GeoJSON writers shared by the CLI and the API."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from vigil.analysis.exports import (
    ACTOR_COLUMNS,
    CLAIM_COLUMNS,
    EVENT_COLUMNS,
    RELATION_COLUMNS,
    bounds_text,
    claims_table,
    events_geojson,
    events_table,
    relations_table,
    to_csv,
    to_json,
)
from vigil.model.records import ActorRef, Bounds, Claim, Concern, Event, Location, Relation, WeaponMention
from vigil.store.views import StoredClaim, StoredEvent, StoredRelation

SENTENCE = "Islamic State attacked a rally in Khar, killing at least 40, with an explosive vest."


def stored_event(id: int, location: Location | None) -> StoredEvent:
    return StoredEvent(
        id=id,
        document_id="doc-1",
        document_title="Bajaur, \"rally\", bombing",
        document_published=dt.date(2023, 7, 31),
        date_start=dt.date(2023, 7, 30),
        date_from_document=False,
        event=Event(
            type="Suicide bomb",
            event_type="Explosions/Remote violence",
            start=0,
            end=len(SENTENCE),
            sentence=SENTENCE,
            date="2023-07-30",
            date_precision="day",
            location=location,
            perpetrators=[ActorRef(start=0, end=13, text="Islamic State", actor="islamic-state")],
            weapons=[WeaponMention(start=67, end=81, text="explosive vest", weapon_class="explosive")],
            fatalities=Bounds(min=40, text="at least 40"),
        ),
    )


KHAR = Location(name="Khar", admin1="Khyber Pakhtunkhwa", country="PK", lat=34.73, lon=71.52, precision="place")


def test_event_csv_has_acled_like_columns_and_quotes_safely():
    rows = list(csv.DictReader(io.StringIO(to_csv(events_table([stored_event(1, KHAR), stored_event(2, None)])))))
    assert list(rows[0]) == EVENT_COLUMNS
    first, second = rows
    assert (first["event_date"], first["sub_event_type"], first["actor1"], first["actor1_ids"]) == (
        "2023-07-30", "Suicide bomb", "Islamic State", "islamic-state"
    )
    assert (first["country"], first["admin1"], first["latitude"], first["fatalities_min"]) == ("PK", "Khyber Pakhtunkhwa", "34.73", "40")
    assert first["source_title"] == 'Bajaur, "rally", bombing' and first["source_published"] == "2023-07-31"
    assert first["weapons"] == "explosive vest" and first["evidence"] == SENTENCE
    assert second["country"] == "" and second["latitude"] == "", "no place: empty cells, not 'None'"


def test_geojson_is_a_feature_collection_of_located_events():
    collection = events_geojson([stored_event(1, KHAR), stored_event(2, None)])
    json.dumps(collection)  # serialisable as is
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["id"] == 1 and feature["geometry"] == {"type": "Point", "coordinates": [71.52, 34.73]}
    assert set(feature["properties"]) == set(EVENT_COLUMNS) - {"latitude", "longitude"}
    assert feature["properties"]["source_published"] == "2023-07-31"


def test_relation_and_claim_tables():
    relation = Relation(
        type="supplies_weapons_to",
        source=ActorRef(start=0, end=3, text="TTP", actor="ttp"),
        target=ActorRef(start=10, end=23, text="Islamic State", actor="islamic-state"),
        weapons=[WeaponMention(start=30, end=39, text="M4 rifles", model="M4")],
        start=0, end=40, sentence="TTP gave Islamic State M4 rifles.",
        attributed_to=ActorRef(start=50, end=52, text="UN", actor="un"),
    )
    [row] = relations_table([StoredRelation(id=7, document_id="doc-1", relation=relation)]).records()
    assert list(row) == RELATION_COLUMNS
    assert (row["source_id"], row["target_id"], row["weapons"], row["attributed_to"]) == ("ttp", "islamic-state", "M4 rifles", "UN")
    claim = Claim(
        speaker=ActorRef(start=0, end=7, text="Mujahid", kind="person"),
        speaker_org=ActorRef(start=0, end=7, text="Taliban", actor="taliban"),
        stance="denies", start=10, end=20, text="the claims", sentence="Mujahid denied the claims.",
        concerns=[Concern(kind="relation", index=0), Concern(kind="statement", text="the claims")],
    )
    [row] = claims_table([StoredClaim(id=3, document_id="doc-1", claim=claim)]).records()
    assert list(row) == CLAIM_COLUMNS
    assert (row["organisation_id"], row["stance"], row["concerns"]) == ("taliban", "denies", "relation 0; statement: the claims")
    assert "actor_id" in ACTOR_COLUMNS


def test_json_and_bounds_text():
    parsed = json.loads(to_json([stored_event(1, KHAR), {"plain": dt.date(2024, 1, 2)}]))
    assert parsed[0]["event"]["fatalities"]["min"] == 40 and parsed[1] == {"plain": "2024-01-02"}
    assert [bounds_text(b) for b in (None, Bounds(min=40), Bounds(min=43, max=43), Bounds(min=20, max=30), Bounds(max=5))] == [
        "", "40+", "43", "20-30", "<=5"
    ]
