"""Projecting MUC-4 role fillers (strings without offsets) onto the pipeline's tokens."""

from __future__ import annotations

import spacy

from vigil.nlp.learned.ner_bio import spans_from_tags
from vigil.nlp.learned.roles_data import find_mentions, gold_char_spans, project

TEXT = (
    "ARMED MEN ATTACKED A TANK\nTRUCK NEAR THE BRIDGE YESTERDAY.\n\n"
    "THE ARMED MEN BURNED THE TRUCK AND FLED, POLICE SAID. THE BRIDGE WAS NOT HIT."
)
ROLES = {
    "perp_individual_id": [["ARMED MEN"]],
    "perp_organization_id": [],
    "phys_tgt_id": [["TANK TRUCK", "TRUCK"]],
    "hum_tgt_name": [],
    "incident_instrument_id": [["DYNAMITE"]],  # not in the text: nothing to project
}


def tagged(occurrences: str) -> list[tuple[str, str]]:
    doc = spacy.blank("en")(TEXT)
    tags = project(doc, gold_char_spans(TEXT, ROLES, occurrences))
    return [(label, doc[start:end].text) for start, end, label in spans_from_tags(tags)]


def test_mentions_match_whole_words_across_line_breaks_any_case():
    assert find_mentions(TEXT, ["tank truck"]) == [(TEXT.index("TANK"), TEXT.index("TRUCK") + 5)]
    # "MEN" inside "ARMED MEN" is found, never inside another word
    assert all(TEXT[s:e] == "MEN" for s, e in find_mentions(TEXT, ["MEN"]))
    assert find_mentions("WOMEN AND MENTIONS", ["MEN"]) == []


def test_first_occurrence_tags_the_earliest_longest_mention_of_each_entity():
    assert tagged("first") == [("PerpInd", "ARMED MEN"), ("Target", "TANK\nTRUCK")]


def test_all_occurrences_tag_every_mention_once():
    assert tagged("all") == [
        ("PerpInd", "ARMED MEN"), ("Target", "TANK\nTRUCK"), ("PerpInd", "ARMED MEN"), ("Target", "TRUCK"),
    ]


def test_overlaps_keep_the_longer_span():
    doc = spacy.blank("en")("THE BUS STATION WAS BOMBED")
    tags = project(doc, [(4, 7, "Target"), (4, 15, "Target"), (8, 15, "Victim")])
    assert tags == ["O", "B-Target", "I-Target", "O", "O"]
