"""Constrained decoding never yields invalid BIO; spans and tags convert both ways."""

from __future__ import annotations

import numpy as np

from vigil.nlp.learned.ner_bio import (
    NER_TYPES,
    allowed_transitions,
    is_valid,
    repair,
    spans_from_tags,
    tag_set,
    tags_from_spans,
    viterbi,
)


def test_viterbi_is_valid_bio_for_any_scores():
    tags = tag_set()
    allowed = allowed_transitions(tags)
    rng = np.random.default_rng(13)
    for length in (1, 2, 5, 17, 40):
        for _ in range(40):
            # scores that favour I- tags everywhere: the unconstrained argmax would be invalid
            scores = rng.normal(size=(length, len(tags)))
            scores[:, [i for i, t in enumerate(tags) if t.startswith("I-")]] += 3.0
            path = [tags[i] for i in viterbi(scores, allowed)]
            assert len(path) == length
            assert is_valid(path), path


def test_viterbi_picks_the_best_valid_sequence():
    tags = ["O", "B-Person", "I-Person"]
    allowed = allowed_transitions(tags)
    # token 0 prefers I-Person (invalid at the start), token 1 prefers I-Person
    scores = np.log(np.array([[0.3, 0.3, 0.4], [0.1, 0.1, 0.8]]))
    assert [tags[i] for i in viterbi(scores, allowed)] == ["B-Person", "I-Person"]
    assert viterbi(np.zeros((0, 3)), allowed) == []


def test_spans_and_tags_round_trip():
    spans = [(0, 2, "Organisation"), (2, 3, "Location"), (5, 8, "Temporal")]
    tags = tags_from_spans(spans, 9)
    assert tags[:4] == ["B-Organisation", "I-Organisation", "B-Location", "O"]
    assert spans_from_tags(tags) == spans


def test_repair_opens_a_mention_at_a_stray_inside_tag():
    tags = ["I-Person", "I-Person", "O", "I-Location", "B-Person", "I-Location"]
    fixed = repair(tags)
    assert fixed == ["B-Person", "I-Person", "O", "B-Location", "B-Person", "B-Location"]
    assert is_valid(fixed) and not is_valid(tags)


def test_tag_set_covers_every_type():
    tags = tag_set()
    assert tags[0] == "O" and len(tags) == 1 + 2 * len(NER_TYPES)
