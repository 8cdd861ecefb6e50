"""record_finds gives what doc.char_span(..., alignment_mode="expand") gives; anchored_finditer what finditer gives."""

import re

import spacy

from vigil.nlp.extensions import get_value, register
from vigil.nlp.values.finds import anchored_finditer, first_words, record_finds, start_finder, word_starts


def test_record_finds_matches_char_span():
    register()
    doc = spacy.blank("en")("Gunmen killed 12 people  in Kabul on Sunday, officials said.")
    text = doc.text
    finds = [(a, b, {"n": a}) for a in range(len(text)) for b in range(a + 1, min(a + 12, len(text) + 1)) if text[a:b].strip()]
    for start, end, value in finds:
        record_finds(doc, "test", [(start, end, value)], lambda v: "x")
        expected = doc.char_span(start, end, label="x", alignment_mode="expand")
        got = list(doc.spans["test"])
        assert [(s.start, s.end, s.label_) for s in got] == [(expected.start, expected.end, "x")]
        assert get_value(got[0], "test") == value


def test_anchored_finditer_matches_finditer():
    pattern = re.compile(r"(?<![\w-])(?:more\s+than\s+|at\s+least\s+)?(?:\d+|three|dozens)\s+\w+\s+killed")
    first = first_words(["more", "at", "three", "dozens", "0"])
    low = "at least 12 people killed; three men killed, x4 were killed, 1,200 troops killed; dozens were killed"
    finder = start_finder(first)
    got = [m.span() for m in anchored_finditer(pattern, low, len(low), word_starts(finder, low, 0, len(low)), first, 0)]
    assert got == [m.span() for m in pattern.finditer(low)]
