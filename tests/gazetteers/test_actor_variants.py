"""Names in running text resolved through the variant index: whole names only, never by a shared word."""

from __future__ import annotations

import pytest

from vigil.gazetteers.actor_index import build_variant_index, load_variant_index
from vigil.gazetteers.actor_variants import VariantFinder, load_variant_finder
from vigil.gazetteers.actors import load_actor_gazetteer
from vigil.model.records import Actor

TTP = "tehrik-e-taliban-pakistan"


@pytest.fixture(scope="module")
def bare():
    """A finder that knows no aliases as written, so every name that resolves is reported."""
    return VariantFinder(load_variant_index())


def names(finder, text):
    return [(text[n.start : n.end], n.actor_id) for n in finder.find(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("On Sunday, Tahrik-i-Taleban Pakistan claimed it.", [("Tahrik-i-Taleban Pakistan", TTP)]),
        ("Lashkar e Toiba and Lashkar i Jhangvi are two groups.",
         [("Lashkar e Toiba", "lashkar-e-taiba"), ("Lashkar i Jhangvi", "lashkar-e-jhangvi")]),
        ("Commander Serajuddin Haqani spoke.", [("Serajuddin Haqani", "sirajuddin-haqqani")]),
        ("Jaysh al-Adl claimed the attack on the border post.", [("Jaysh al-Adl", "jaish-al-adl")]),
        ("Yesterday Hezbi Islami fighters left.", [("Hezbi Islami", "hizb-e-islami")]),
        ("the leader of al Qa'eda", [("al Qa'eda", "al-qaida")]),
        ("Sources said ISK was behind it, and IS K again.", [("ISK", "islamic-state-khorasan-province"),
                                                             ("IS K", "islamic-state-khorasan-province")]),
    ],
)
def test_a_variant_spelling_resolves_as_a_whole(bare, text, expected):
    assert names(bare, text) == expected


def test_a_leading_the_is_not_part_of_the_name(bare):
    assert names(bare, "The Talebaan took the district.") == [("Talebaan", "taliban")]


@pytest.mark.parametrize(
    "text",
    [
        "Tehreek-e-Taleban Swat fighters",  # a faction name that does not resolve: its "Taleban" is not the Taliban
        "Fighters of the Taleban Pakistan Movement",
        "The US-Taliban deal",
        "Pro-Taleban militias",
        "Let them go.",  # "LeT" only when written as initials
    ],
)
def test_a_shared_word_never_resolves_a_name(bare, text):
    assert names(bare, text) == []


def test_the_taliban_never_resolve_to_the_ttp(bare):
    found = names(bare, "The Talebaan in Kabul and the Tehreek-i-Taleban Pakistan differ.")
    assert found == [("Talebaan", "taliban"), ("Tehreek-i-Taleban Pakistan", TTP)]


def test_initials_an_actor_merely_derives_are_not_read_from_text():
    actor = Actor(id="tjk", name="Tehrik Jihad Kashmir", kind="armed_group")
    finder = VariantFinder(build_variant_index([actor]))
    assert finder.index.lookup("TJK") == "tjk", "the index derives the initials"
    assert names(finder, "The TJK said so; Tehreek Jihad Kashmir said so too.") == [("Tehreek Jihad Kashmir", "tjk")]


def test_aliases_the_matcher_finds_are_left_to_it():
    finder = load_variant_finder()
    text = "The Taliban, al-Qaeda and the TTP; Tahrik-i-Taleban Pakistan."
    assert names(finder, text) == [("Tahrik-i-Taleban Pakistan", TTP)]


def test_compounds_are_given_only_where_an_alias_cuts_them():
    finder = load_variant_finder()
    text = "Tehreek-e-Taleban Swat and Lashkar-e-Taiba and Abu Omar al-Baghdadi"
    _, compounds = finder.read(text)
    assert [text[a:b] for a, b in compounds] == ["Tehreek-e-Taleban"]


def test_the_finder_uses_the_shipped_gazetteer():
    finder = load_variant_finder()
    assert finder is load_variant_finder()
    gazetteer = load_actor_gazetteer()
    assert all(gazetteer.get(n.actor_id) for n in finder.find("Tahrik-i-Taleban Pakistan and Serajuddin Haqani"))
