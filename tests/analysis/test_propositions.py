"""A claim's quote read as propositions: parts, polarity taken out, activity claims recognised."""

from __future__ import annotations

import re

import pytest

from vigil.analysis.propositions import ClaimRules, Mention, claim_rules, read_propositions


def mentions(quote: str, **named: str) -> list[Mention]:
    """Mentions of the given words in the quote: actor ids, or 'place:CC' for a place in country CC."""
    found = []
    for words, what in named.items():
        words = words.replace("_", " ")
        for match in re.finditer(re.escape(words), quote):
            if what.startswith("place:"):
                found.append(Mention(match.start(), match.end(), words, country=what.split(":")[1]))
            else:
                found.append(Mention(match.start(), match.end(), words, actor_id=what))
    return found


def test_the_shipped_rules_are_valid_and_every_pattern_compiles():
    rules = claim_rules()
    assert isinstance(rules.rules, ClaimRules)
    assert rules.rules.threshold("embedding") > 0 and rules.rules.threshold("unknown-kind") == rules.rules.threshold("lexical")
    assert rules.rules.window_months == 6
    for pattern in [*rules.rules.vague_heads, *rules.rules.activity.active, *rules.rules.activity.not_active]:
        assert re.compile(pattern)


@pytest.mark.parametrize(
    ("quote", "stance", "expected_stance", "negated"),
    [
        ("Islamic State is active in Afghanistan", "asserts", "asserts", False),
        ("Islamic State is not active in Afghanistan", "asserts", "denies", True),
        ("Islamic State activity in Afghanistan had been reduced to zero", "asserts", "denies", True),
        ("Islamic State has been defeated", "asserts", "denies", True),
        ("Islamic State has no presence in Afghanistan", "asserts", "denies", True),
        ("Islamic State is no longer active", "asserts", "denies", True),
        ("Islamic State is active in Afghanistan", "denies", "denies", False),
        ("Islamic State is not active in Afghanistan", "denies", "asserts", True),
        ("Islamic State carried out several attacks in Afghanistan", "asserts", "asserts", False),
    ],
)
def test_activity_claims_are_one_proposition_whatever_their_polarity(quote, stance, expected_stance, negated):
    (part,) = read_propositions(quote, stance, mentions(quote, Islamic_State="islamic-state", Afghanistan="place:AF"))
    assert part.kind == "activity" and part.stance == expected_stance and part.negated is negated
    assert part.actors == ("islamic-state",)
    assert part.content == ("active in Afghanistan" if "Afghanistan" in quote else "active")


def test_what_the_speaker_adds_after_saying_that_is_a_proposition_the_speaker_asserts():
    quote = "the claims, saying that Islamic State activity in Afghanistan had been reduced to zero"
    (part,) = read_propositions(quote, "denies", mentions(quote, Islamic_State="islamic-state", Afghanistan="place:AF"))
    assert part.part == 1 and part.text == "Islamic State activity in Afghanistan had been reduced to zero"
    assert quote[part.start : part.end] == part.text
    assert part.stance == "denies", "asserting that activity is zero denies that the group is active"
    assert part.countries == ("AF",) and part.places == ("Afghanistan",)


def test_a_vague_head_is_kept_through_the_facts_it_concerns():
    quote = "the claims, saying that no group uses Afghan soil against other countries"
    head, added = read_propositions(quote, "denies", [], concerns_facts=True)
    assert (head.text, head.content, head.stance) == ("the claims", None, "denies")
    assert added.kind == "statement" and added.stance == "denies" and added.negated
    assert added.content == "group uses Afghan soil against other countries", "the negation word is taken out"
    (alone,) = read_propositions("the report as baseless", "denies", [], concerns_facts=False)
    assert alone.content is None, "a vague quote with nothing behind it is compared with nothing"


def test_statement_words_are_compared_without_actor_names_or_negation():
    quote = "the TTP did not give weapons to Islamic State fighters"
    (part,) = read_propositions(quote, "asserts", mentions(quote, TTP="ttp", Islamic_State="islamic-state"))
    assert part.kind == "statement" and part.stance == "denies"
    assert part.content == "the did give weapons to fighters"
    assert part.actors == ("ttp", "islamic-state")
    (double,) = read_propositions("nobody said it was never attacked", "asserts", [])
    assert double.stance == "asserts" and double.negated is False, "two negations cancel"


def test_the_subject_of_an_activity_claim_is_the_actor_it_names_first():
    quote = "the Eastern Turkistan Islamic Movement remains allied with the Taliban and maintains a presence in Badakhshan"
    named = mentions(quote, Eastern_Turkistan_Islamic_Movement="etim", Taliban="taliban", Badakhshan="place:AF")
    (part,) = read_propositions(quote, "asserts", named)
    assert part.kind == "activity" and part.actors == ("etim",)
    both = "the TTP and Al Qaeda are active in Afghanistan"
    (coordinated,) = read_propositions(both, "asserts", mentions(both, TTP="ttp", Al_Qaeda="al-qaida"))
    assert coordinated.actors == ("ttp", "al-qaida")


def test_an_actor_named_is_is_never_read_as_the_verb():
    quote = "IS destroyed a police station"
    (part,) = read_propositions(quote, "asserts", mentions(quote, IS="islamic-state"))
    assert part.kind == "statement" and part.stance == "asserts"
    (verb,) = read_propositions("the group is active", "asserts", [])
    assert verb.kind == "activity"
