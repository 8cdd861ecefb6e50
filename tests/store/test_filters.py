"""EventFilter: province, the new sort orders and the values it refuses, on each backend."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.store.filters import BadFilter, EventFilter
from vigil.store.queries import count_events, list_events, page_events


def test_admin1_matches_case_insensitively(loaded):
    (bombing,) = list_events(loaded, EventFilter(admin1="khyber pakhtunkhwa"))
    assert bombing.event.type == "Suicide bomb"
    assert count_events(loaded, EventFilter(admin1=" BORNO ")) == 1
    assert count_events(loaded, EventFilter(admin1="Punjab")) == 0


def test_sort_by_fatalities_then_newest(loaded):
    deadliest = [s.event.fatalities.min if s.event.fatalities else None for s in list_events(loaded, EventFilter(order="-fatalities"))]
    assert deadliest == [40, 5, None, None]
    fewest = [s.event.fatalities.min if s.event.fatalities else None for s in list_events(loaded, EventFilter(order="fatalities"))]
    assert fewest == [5, 40, None, None]


def test_sort_by_country_and_type(loaded):
    assert [s.event.location.country for s in list_events(loaded, EventFilter(order="country"))] == ["NG", "PK", "SO", "SO"]
    assert [s.event.event_type for s in list_events(loaded, EventFilter(order="type"))] == [
        "Battles", "Explosions/Remote violence", "Explosions/Remote violence", "Violence against civilians"
    ]


def test_page_has_the_total(loaded):
    page = page_events(loaded, EventFilter(limit=1, offset=1))
    assert page.total == 4 and len(page.items) == 1 and (page.limit, page.offset) == (1, 1)


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"order": "newest"}, "newest"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"since": dt.date(2024, 1, 1), "until": dt.date(2023, 1, 1)}, "2024-01-01"),
        ({"event_type": "Bombings"}, "Bombings"),
        ({"sub_event_type": "Car bomb"}, "Car bomb"),
    ],
)
def test_bad_values_are_refused_by_name(fields, named):
    with pytest.raises(BadFilter, match=named):
        EventFilter(**fields)


def test_emptiness_and_conditions_only():
    assert EventFilter(limit=5, order="id").is_empty()
    assert not EventFilter(admin1="Punjab").is_empty()
    trimmed = EventFilter(country="PK", limit=5, offset=10, order="id").conditions_only()
    assert (trimmed.country, trimmed.limit, trimmed.offset, trimmed.order) == ("PK", None, 0, "-date")
