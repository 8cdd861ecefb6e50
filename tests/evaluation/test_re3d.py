"""The re3d reader and exact-match scorer."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.evaluation.re3d import Sentence, read_conll, score_spans, spans_from_tags, predicted_spans
from vigil.evaluation.scoring import Score, micro
from vigil.model.records import EntityMention

DEV = Path("/work/shared/data/dev")


def test_spans_from_iob2_tags():
    tags = ["B-Person", "I-Person", "O", "B-Location", "B-Location", "I-Location", "I-Money"]
    assert spans_from_tags(tags) == {("Person", 0, 2), ("Location", 3, 4), ("Location", 4, 6), ("Money", 6, 7)}


def test_exact_match_scoring_on_a_hand_made_example():
    sentence = Sentence(["President", "Obama", "visited", "northern", "Iraq", "today"], ["B-Person", "I-Person", "O", "B-Location", "I-Location", "B-Temporal"])
    assert sentence.text == "President Obama visited northern Iraq today"
    predictions = [
        EntityMention(start=0, end=15, text="President Obama", type="Person"),  # exact: tp
        EntityMention(start=33, end=37, text="Iraq", type="Location"),  # boundary differs: fp + fn
        EntityMention(start=38, end=43, text="today", type="Quantity"),  # wrong type: fp (Quantity) + fn (Temporal)
        EntityMention(start=10, end=13, text="bam", type="Person"),  # cuts a token: fp
    ]
    scores: dict[str, Score] = {}
    score_spans(sentence.gold(), predicted_spans(sentence, predictions), scores)
    assert (scores["Person"].tp, scores["Person"].fp, scores["Person"].fn) == (1, 1, 0)
    assert (scores["Location"].tp, scores["Location"].fp, scores["Location"].fn) == (0, 1, 1)
    assert (scores["Temporal"].tp, scores["Temporal"].fn) == (0, 1)
    assert scores["Quantity"].fp == 1
    total = micro("re3d", scores.values())
    assert (total.tp, total.fp, total.fn) == (1, 3, 2)


@pytest.mark.skipif(not (DEV / "re3d-train.conll").exists(), reason="re3d development data (/work/shared/data/dev) is not available")
def test_reader_parses_the_real_file():
    sentences = read_conll(DEV / "re3d-train.conll")
    assert len(sentences) == 574
    assert sentences[0].tokens[:3] == ["Operation", "Steel", "Curtain"]
    assert ("Organisation", 30, 32) in sentences[0].gold()  # "coalition forces"
    kinds = {kind for s in sentences for kind, _, _ in s.gold()}
    assert {"Organisation", "Person", "Location", "DocumentReference", "MilitaryPlatform"} <= kinds
