"""Actor compatibility by canonical id and the gazetteer's parent links."""

from __future__ import annotations

import pytest

from vigil.gazetteers.actors import load_actor_gazetteer
from vigil.resolve.actors import ActorResolver

from .conftest import actor


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver(load_actor_gazetteer())


def resolved(name: str) -> str:
    found = load_actor_gazetteer().lookup(name)
    assert found is not None, name
    return found.id


@pytest.mark.parametrize("name", ["Daesh", "ISIL", "the Islamic State", "Islamic State group"])
def test_press_names_of_the_islamic_state_are_one_actor(resolver, name):
    assert resolver.relation(resolved(name), "islamic-state")[0] == "same"


@pytest.mark.parametrize("name", ["IS-K", "ISKP", "Islamic State Khorasan Province"])
def test_is_k_is_a_province_of_the_islamic_state(resolver, name):
    relation, text = resolver.relation(resolved(name), resolved("Daesh"))
    assert relation == "family"
    assert "Islamic State Khorasan Province" in text and "part of" in text


def test_taliban_and_ttp_are_distinct(resolver):
    relation, text = resolver.relation(resolved("Taliban"), resolved("Tehrik-e-Taliban Pakistan"))
    assert relation == "distinct"
    assert "Taliban" in text and "Tehrik-e-Taliban Pakistan" in text


def test_two_provinces_of_one_group_are_distinct(resolver):
    assert resolver.relation("islamic-state-khorasan-province", "islamic-state-west-africa-province")[0] == "distinct"


def test_a_faction_belongs_to_its_group(resolver):
    assert resolver.relation("jamaat-ul-ahrar", "tehrik-e-taliban-pakistan")[0] == "family"


def test_forces_of_one_state_are_one_side(resolver):
    assert resolver.relation("frontier-corps", "pakistan-army")[0] in ("family", "same state")


def test_lists_compare_by_their_best_pair(resolver):
    match = resolver.compare([actor("TTP", "tehrik-e-taliban-pakistan")],
                             [actor("Taliban", "taliban"), actor("Jamaat-ul-Ahrar", "jamaat-ul-ahrar")])
    assert match.relation == "family"


def test_unnamed_or_missing_actors_say_nothing(resolver):
    assert resolver.compare([actor("militants")], [actor("Taliban", "taliban")]).relation == "unknown"
    assert resolver.compare([], [actor("Taliban", "taliban")]).relation == "unknown"


def test_a_person_alone_never_rules_a_pair_out(resolver):
    match = resolver.compare([actor("Zabihullah Mujahid", "zabihullah-mujahid")], [actor("TTP", "tehrik-e-taliban-pakistan")])
    assert match.relation != "distinct"


def test_the_same_unresolved_proper_name_is_weak_evidence(resolver):
    match = resolver.compare([actor("Lashkar-e-Nowhere")], [actor("lashkar e nowhere".title())])
    assert match.relation == "same words"
    assert 0 < match.strength < 1
