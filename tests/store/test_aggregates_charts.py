"""The dashboard's aggregates: totals, counts by dimension, weapons, the supply network, actor profiles."""

from __future__ import annotations

import pytest

from vigil.store import aggregates
from vigil.store.filters import BadFilter, EventFilter
from vigil.store.network import supply_network
from vigil.store.profiles import get_actor_profile


def test_totals(loaded):
    assert aggregates.totals(loaded).model_dump() == {"events": 4, "fatalities_min": 45, "documents": 3, "actors": 3}
    pk = aggregates.totals(loaded, EventFilter(country="PK"))
    assert (pk.events, pk.fatalities_min, pk.documents, pk.actors) == (1, 40, 1, 1)


def test_counts_by_each_dimension(loaded):
    by_country = {c.key: (c.events, c.fatalities_min) for c in aggregates.counts_by(loaded, "country")}
    assert by_country == {"SO": (2, 5), "NG": (1, 0), "PK": (1, 40)}
    by_admin1 = {c.key: c.label for c in aggregates.counts_by(loaded, "admin1")}
    assert by_admin1 == {"PK/Khyber Pakhtunkhwa": "Khyber Pakhtunkhwa, PK", "NG/Borno": "Borno, NG", None: "(unknown)"}
    actors = [(c.key, c.label, c.events) for c in aggregates.counts_by(loaded, "actor")]
    assert actors == [
        ("boko-haram", "Boko Haram", 1),
        ("al-shabaab", "Harakat al-Shabaab al-Mujahideen", 1),
        ("islamic-state", "Islamic State", 1),
        ("unidentified gunmen", "unidentified gunmen", 1),
    ]
    assert [c.fatalities_min for c in aggregates.counts_by(loaded, "actor", EventFilter(country="PK"))] == [40]
    assert len(aggregates.counts_by(loaded, "sub_event_type", limit=2)) == 2
    with pytest.raises(BadFilter, match="colour"):
        aggregates.counts_by(loaded, "colour")  # type: ignore[arg-type]


def test_weapons_by_field_and_actor(loaded):
    assert {c.value: c.count for c in aggregates.weapons_by(loaded, "weapon_class")} == {
        "explosive": 1, "assault rifle": 1, "vehicle-borne IED": 1
    }
    assert {c.value for c in aggregates.weapons_by(loaded, "origin")} == {"US", None}
    rows = {(r.actor_id, r.role, r.weapon_class): r.count for r in aggregates.weapons_by_actor(loaded)}
    assert rows == {
        ("islamic-state", "uses", "explosive"): 1,
        ("al-shabaab", "uses", "vehicle-borne IED"): 1,
        ("ttp", "supplies", "assault rifle"): 1,
        ("islamic-state", "receives", "assault rifle"): 1,
    }
    with pytest.raises(BadFilter):
        aggregates.weapons_by(loaded, "colour")  # type: ignore[arg-type]


def test_supply_network_with_its_denial(loaded):
    network = supply_network(loaded)
    assert [(n.id, n.label, n.supplies, n.receives) for n in network.nodes] == [
        ("islamic-state", "Islamic State", 0, 1),
        ("ttp", "Tehrik-i-Taliban Pakistan", 1, 0),
    ]
    [edge] = network.edges
    assert (edge.source, edge.target, edge.denied) == ("ttp", "islamic-state", True)
    [report] = edge.reports
    assert report.attributed_to.text == "The UN Monitoring Team" and [w.model for w in report.weapons] == ["M4"]
    assert [d.claim.speaker.text for d in report.denials] == ["Mohammad Khurasani"]
    assert supply_network(loaded, EventFilter(country="NG")).edges == []


def test_actor_profile(loaded):
    profile = get_actor_profile(loaded, "islamic-state")
    assert profile.actor.un_ref == "QDe.115" and "Daesh" in profile.actor.aliases
    assert (profile.events, profile.as_perpetrator) == (1, 1)
    assert [(m.period, m.events) for m in profile.events_by_month] == [("2023-07", 1)]
    assert [link.relation.source.actor for link in profile.relations_in] == ["ttp"] and profile.relations_out == []
    assert {c.value for c in profile.weapon_classes} == {"explosive", "assault rifle"}
    assert [w.value for w in profile.weapon_models] == ["M4"] and [w.value for w in profile.weapon_origins] == ["US"]
    assert [c.claim.stance for c in profile.claims_by] == ["asserts"]
    assert {c.claim.stance for c in profile.claims_about} == {"asserts", "denies"}
    ttp = get_actor_profile(loaded, "ttp")
    assert [c.claim.speaker.text for c in ttp.claims_by] == ["Mohammad Khurasani"]
    assert get_actor_profile(loaded, "islamic-state", EventFilter(country="SO")).events == 0
    assert get_actor_profile(loaded, "nobody") is None
