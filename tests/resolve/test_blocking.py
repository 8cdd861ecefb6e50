"""Blocking: the hard rules that keep two mentions apart whatever their other signals."""

from __future__ import annotations

from vigil.model.records import Location
from vigil.resolve.event_types import load_type_rules

from .conftest import PESHAWAR, actor, mention

SENTENCE = "A suicide bomber killed 30 people at a police mosque in Peshawar on Monday, officials said."


def test_taliban_and_ttp_are_never_linked(fusion):
    a = mention("a", SENTENCE, location=PESHAWAR, perpetrators=[actor("the Taliban", "taliban")], killed=(30, 30))
    b = mention("b", SENTENCE, location=PESHAWAR, perpetrators=[actor("TTP", "tehrik-e-taliban-pakistan")],
                killed=(30, 30))
    fusion.add([a, b])
    explanation = fusion.explain(a.id, b.id)
    assert not explanation.linked
    assert explanation.probability == 0
    assert "perpetrators differ" in explanation.blocked_by
    assert fusion.clusterer.cluster_of(a.id).id != fusion.clusterer.cluster_of(b.id).id


def test_is_k_and_the_islamic_state_are_compatible(fusion):
    is_k = actor("IS-K", "islamic-state-khorasan-province")
    a = mention("a", SENTENCE, location=PESHAWAR, perpetrators=[is_k], killed=(30, 30))
    b = mention("b", SENTENCE, location=PESHAWAR, perpetrators=[actor("Daesh", "islamic-state")], killed=(31, 31))
    fusion.add([a, b])
    explanation = fusion.explain(a.id, b.id)
    assert explanation.blocked_by is None
    assert explanation.linked
    assert fusion.clusterer.cluster_of(a.id) == fusion.clusterer.cluster_of(b.id)


def test_a_protest_is_never_a_battle(fusion):
    a = mention("a", "Hundreds of protesters marched in Peshawar.", type="Peaceful protest", location=PESHAWAR)
    b = mention("b", "Troops clashed with militants in Peshawar.", type="Armed clash", location=PESHAWAR)
    assert "never the same event" in fusion.linker.comparer.blocked(a, b)


def test_plausible_confusions_are_allowed():
    rules = load_type_rules()
    assert rules.relation("Suicide bomb", "Remote explosive/landmine/IED") == "close"
    assert rules.relation("Suicide bomb", "Attack") == "close"
    assert rules.relation("Remote explosive/landmine/IED", "Attack") == "close"
    assert rules.relation("Armed clash", "Peaceful protest") == "incompatible"
    assert rules.relation("Arrests", "Suicide bomb") == "incompatible"


def test_dates_beyond_the_window_are_blocked(fusion):
    a = mention("a", SENTENCE, date="2023-07-01")
    b = mention("b", SENTENCE, date="2023-07-30")
    assert "days apart" in fusion.linker.comparer.blocked(a, b)


def test_a_month_overlaps_every_day_in_it(fusion):
    a = mention("a", SENTENCE, date="2023-07", precision="month", published="2023-08-28")
    b = mention("b", SENTENCE, date="2023-07-30")
    assert fusion.linker.comparer.blocked(a, b) is None


def test_candidates_are_only_mentions_in_the_window(fusion):
    near = mention("near", SENTENCE, date="2023-07-29")
    far = mention("far", SENTENCE, date="2022-01-01", published="2022-01-02")
    undated = mention("undated", SENTENCE, date=None, published="2023-08-02")
    fusion.add([near, far, undated])
    found = list(fusion.clusterer._index.within_window(mention("new", SENTENCE)))
    assert set(found) == {near.id, undated.id}


def test_places_in_two_countries_are_never_one_event(fusion):
    kabul = Location(name="Kabul", admin1="Kabul", country="AF", precision="place")
    a = mention("a", SENTENCE, location=PESHAWAR, killed=(30, 30))
    b = mention("b", SENTENCE, location=kabul, killed=(30, 30))
    assert fusion.linker.comparer.blocked(a, b) == "places in different countries (PK vs AF)"
    unknown = mention("c", SENTENCE, location=None, killed=(30, 30))
    assert fusion.linker.comparer.blocked(a, unknown) is None, "a report without a place is not ruled out"
