"""Span groups and mention values: the shortcuts agree with spaCy's own accessors."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

from vigil.nlp.extensions import get_value, read_spans, set_value, set_value_at, value_at, write_spans


def _offsets(spans) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label_) for s in spans]


def test_read_spans_hands_back_the_written_list_while_the_group_is_unchanged():
    doc = spacy.blank("en")("one two three four five")
    spans = [Span(doc, 0, 1, label="A"), Span(doc, 2, 4, label="B")]
    write_spans(doc, "things", spans)
    assert read_spans(doc, "things") is spans
    assert _offsets(read_spans(doc, "things")) == _offsets(doc.spans["things"])


def test_read_spans_reads_a_changed_or_foreign_group_from_spacy():
    doc = spacy.blank("en")("one two three four five")
    spans = [Span(doc, 0, 1, label="A")]
    write_spans(doc, "things", spans)
    doc.spans["things"].append(Span(doc, 3, 5, label="C"))  # grown in place
    assert _offsets(read_spans(doc, "things")) == [(0, 1, "A"), (3, 5, "C")]
    doc.spans["things"] = [Span(doc, 1, 2, label="D")]  # replaced by another component
    assert _offsets(read_spans(doc, "things")) == [(1, 2, "D")]
    assert read_spans(doc, "nothing here") == []


def test_values_by_span_or_by_offsets_are_the_same_values():
    doc = spacy.blank("en")("Gunmen attacked a checkpoint in Kabul")
    span = doc[5:6]
    set_value(span, "places", {"name": "Kabul"})
    assert value_at(doc, "places", span.start_char, span.end_char) == {"name": "Kabul"}
    set_value_at(doc, "actors", doc[0:1].start_char, doc[0:1].end_char, {"actor": None})
    assert get_value(doc[0:1], "actors") == {"actor": None}
    assert get_value(doc[0:1], "places") is None
