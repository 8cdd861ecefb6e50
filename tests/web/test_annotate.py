"""Highlight marks from extracted spans: one mark per stretch and kind, tooltips saying what it resolved to."""

from __future__ import annotations

from vigil.model.records import Location
from vigil.store.views import ExtractionSpan
from vigil.web.annotate import marks_for, place_words


def span(**fields) -> ExtractionSpan:
    return ExtractionSpan(**{"kind": "entity", "type": "Organisation", "start": 0, "end": 3, "text": "TTP", **fields})


def test_twin_spans_become_one_mark_listing_both_readings():
    entity = span(actor_id="ttp", actor_name="Tehrik-i-Taliban Pakistan")
    perpetrator = span(
        kind="perpetrator", type="organisation", actor_id="ttp", actor_name="Tehrik-i-Taliban Pakistan", fact_id=7
    )
    (mark,) = marks_for([entity, perpetrator, entity])
    assert mark.kind == "organisation"
    assert mark.title.splitlines() == [
        "Organisation → Tehrik-i-Taliban Pakistan (ttp)",
        "Perpetrator of event #7 → Tehrik-i-Taliban Pakistan (ttp)",
    ]


def test_kinds_and_readings_of_each_extraction():
    place = Location(name="Khar", admin2="Bajaur", admin1="Khyber Pakhtunkhwa", country="PK", lat=34.73, lon=71.52)
    marks = marks_for(
        [
            span(type="Location", text="Khar", place=place),
            span(kind="event", type="Suicide bomb", event_type="Explosions/Remote violence", end=40, place=place,
                 fact_id=3),
            span(kind="claim", type="denies", end=20, actor_id="taliban", actor_name="Taliban", fact_id=9),
            span(kind="relation", type="supplies_weapons_to", end=40, fact_id=2),
            span(kind="weapon", type="assault rifle", start=5, end=9),
            span(kind="victim", type="person", start=10, end=16),
            span(type="Nationality", start=20, end=26),
        ]
    )
    by_kind = {mark.kind: mark.title for mark in marks}
    assert by_kind["location"] == "Location → Khar, Bajaur, Khyber Pakhtunkhwa, PK (34.730, 71.520)"
    assert by_kind["event"] == (
        "Event #3: Suicide bomb (Explosions/Remote violence) · Khar, Bajaur, Khyber Pakhtunkhwa, PK (34.730, 71.520)"
    )
    assert by_kind["claim-denies"] == "Claim #9: denies · by Taliban (taliban)"
    assert by_kind["relation"] == "Relation #2: supplies weapons to"
    assert by_kind["weapon"] == "Weapon: assault rifle"
    assert by_kind["person"] == "Victim → not resolved to a known actor"
    assert by_kind["other"] == "Nationality"
    # Sentences are the outer elements when they share offsets with a mention.
    ranks = {mark.kind: mark.rank for mark in marks}
    assert ranks["event"] < ranks["relation"] < ranks["claim-denies"] < ranks["weapon"]


def test_place_words_skip_repeats_and_missing_parts():
    assert place_words(Location(name="Kabul", admin1="Kabul", country="AF")) == "Kabul, AF"
    assert place_words(Location(text="somewhere")) == "somewhere"
