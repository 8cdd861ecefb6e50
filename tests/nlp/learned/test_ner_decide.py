"""The decision layer: learned mentions, rule mentions with links, and which wins."""

from __future__ import annotations

import pytest

from vigil.nlp.learned.ner_bio import NER_TYPES
from vigil.nlp.learned.ner_decide import Mention, decide

TALIBAN = {"actor": "taliban", "geo": None}
KABUL = {"actor": None, "geo": {"name": "Kabul", "precision": "city"}}


def test_learned_mention_takes_the_link_of_the_rule_mention_inside_it():
    learned = [Mention(0, 2, "Organisation", "learned")]  # "the Taliban"
    rules = [Mention(1, 2, "Organisation", "rules", TALIBAN)]
    [chosen] = decide(learned, rules, NER_TYPES, "learned")
    assert (chosen.start, chosen.end, chosen.extractor) == (0, 2, "learned")
    assert chosen.value["actor"] == "taliban"


def test_same_mention_keeps_the_rule_value_and_a_person_takes_no_place():
    learned = [Mention(3, 4, "Location", "learned"), Mention(5, 7, "Person", "learned")]
    rules = [Mention(3, 4, "Location", "rules", KABUL), Mention(5, 6, "Location", "rules", KABUL)]
    kabul, person = decide(learned, rules, NER_TYPES, "learned")
    assert kabul.extractor == "rules" and kabul.value["geo"]["name"] == "Kabul"
    assert person.value == {"actor": None, "geo": None}


def test_policies_on_a_linked_rule_mention_the_tagger_missed_or_cut():
    rules = [Mention(0, 1, "Organisation", "rules", TALIBAN), Mention(4, 6, "Location", "rules", KABUL)]
    learned = [Mention(4, 5, "Location", "learned")]
    only = decide(learned, rules, NER_TYPES, "learned")
    assert [(m.start, m.end) for m in only] == [(4, 5)]
    linked = decide(learned, rules, NER_TYPES, "linked")
    assert [(m.start, m.end, m.extractor) for m in linked] == [(0, 1, "rules"), (4, 5, "learned")]
    wins = decide(learned, rules, NER_TYPES, "linked-wins")
    assert [(m.start, m.end, m.extractor) for m in wins] == [(0, 1, "rules"), (4, 6, "rules")]


def test_rule_types_the_tagger_does_not_learn_fill_gaps_only():
    rules = [Mention(0, 2, "Vehicle", "rules"), Mention(5, 6, "Vehicle", "rules")]
    learned = [Mention(1, 2, "MilitaryPlatform", "learned")]
    chosen = decide(learned, rules, NER_TYPES, "learned")
    assert [(m.start, m.type) for m in chosen] == [(1, "MilitaryPlatform"), (5, "Vehicle")]
    for a, b in zip(chosen, chosen[1:]):
        assert a.end <= b.start


def test_unknown_policy_is_named():
    with pytest.raises(ValueError, match="nope"):
        decide([], [], NER_TYPES, "nope")


def test_rule_types_let_the_rules_decide_those_types_only():
    learned = [Mention(0, 2, "Organisation", "learned"), Mention(3, 4, "Nationality", "learned"), Mention(6, 8, "Weapon", "learned")]
    rules = [Mention(0, 1, "Nationality", "rules"), Mention(6, 7, "Weapon", "rules"), Mention(9, 10, "Money", "rules")]
    chosen = decide(learned, rules, NER_TYPES, "linked", rule_types={"Nationality", "Weapon", "Money"})
    # the organisation holding a rule nationality stays whole; the unconfirmed learned nationality goes;
    # the rule weapon replaces the learned one it overlaps; the rule money the tagger missed is added
    assert [(m.start, m.end, m.type) for m in chosen] == [(0, 2, "Organisation"), (6, 7, "Weapon"), (9, 10, "Money")]
    assert all(m.extractor == "rules" for m in chosen[1:])


def test_a_learned_mention_the_rules_confirm_is_kept_under_rule_types():
    learned = [Mention(2, 4, "DocumentReference", "learned")]
    rules = [Mention(2, 4, "DocumentReference", "rules")]
    [chosen] = decide(learned, rules, NER_TYPES, "learned", rule_types={"DocumentReference"})
    assert (chosen.start, chosen.end, chosen.extractor) == (2, 4, "rules")
