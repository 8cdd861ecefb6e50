"""Counts computed in the database, on each backend."""

from __future__ import annotations

import datetime as dt

from vigil.store import aggregates
from vigil.store.queries import EventFilter


def test_events_by_field(loaded):
    assert aggregates.events_by(loaded, "event_type") == {
        "Explosions/Remote violence": 2,
        "Battles": 1,
        "Violence against civilians": 1,
    }
    assert aggregates.events_by(loaded, "country") == {"PK": 1, "NG": 1, "SO": 2}
    assert aggregates.events_by(loaded, "sub_event_type", EventFilter(country="SO")) == {
        "Remote explosive/landmine/IED": 1,
        "Abduction/forced disappearance": 1,
    }


def test_events_by_month(loaded):
    assert aggregates.events_by_month(loaded) == {"2023-05": 1, "2023-07": 1, "2024-01": 2}
    assert list(aggregates.events_by_month(loaded, EventFilter(until=dt.date(2023, 12, 31)))) == ["2023-05", "2023-07"]


def test_perpetrators_resolved_and_not(loaded):
    rows = aggregates.perpetrator_counts(loaded)
    assert rows == [  # most events first, then by name
        ("boko-haram", "Boko Haram", 1),
        ("al-shabaab", "Harakat al-Shabaab al-Mujahideen", 1),
        ("islamic-state", "Islamic State", 1),
        (None, "unidentified gunmen", 1),
    ]
    assert aggregates.perpetrator_counts(loaded, EventFilter(country="PK")) == [("islamic-state", "Islamic State", 1)]
    assert len(aggregates.perpetrator_counts(loaded, limit=2)) == 2


def test_fatalities_and_documents(loaded):
    assert aggregates.fatalities_min_total(loaded) == 45
    assert aggregates.fatalities_min_total(loaded, EventFilter(country="NG")) == 0
    assert aggregates.count_documents_matching(loaded) == 3
    assert aggregates.count_documents_matching(loaded, EventFilter(country="SO")) == 1
    assert aggregates.count_documents_matching(loaded, EventFilter(limit=1)) == 3


def test_claims_and_relations_follow_the_documents_of_matching_events(loaded):
    assert aggregates.claims_by_stance(loaded) == {"asserts": 1, "denies": 1}
    assert aggregates.relations_by_type(loaded) == {"supplies_weapons_to": 1}
    assert aggregates.claims_by_stance(loaded, EventFilter(country="PK")) == {"asserts": 1, "denies": 1}
    assert aggregates.claims_by_stance(loaded, EventFilter(country="SO")) == {}
    assert aggregates.relations_by_type(loaded, EventFilter(country="NG")) == {}
