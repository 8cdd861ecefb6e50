"""The fast paths of ``vigil.nlp.values.text`` give exactly what the slow ones gave."""

from __future__ import annotations

import spacy

from vigil.nlp.values.text import _occurrences, doc_lower, doc_text, lower_same_length, phrases_present


def _plain_occurrences(words, text, word_start, word_end):
    size = len(text)
    for word in words:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if not (word_start and at and text[at - 1].isalpha()) and not (word_end and end < size and text[end].isalpha()):
                yield at, end
            at = text.find(word, at + 1)


TEXTS = [
    "",
    " ",
    "x",
    "  Two  spaces,\n\nnew lines\tand tabs ",
    "On 3 March 2023 (Mar. 3) militants killed 12 in Maydan; DECEMBER, decided, Sept 9, September.",
    "ÉTÉ ﬁnal İstanbul straße — 30/07/2023",
]


def test_doc_text_is_doc_text():
    nlp = spacy.blank("en")
    for text in TEXTS:
        doc = nlp.make_doc(text)
        assert doc_text(doc) == doc.text == text
        assert doc_lower(doc) == lower_same_length(text)
        assert doc_text(doc) is doc_text(doc)


def test_grouped_occurrences_match_plain_search():
    months = ("january", "march", "may", "june", "september", "december", "jan", "mar", "jun", "sep", "sept", "dec")
    for text in TEXTS:
        low = lower_same_length(text)
        for word_start in (False, True):
            for word_end in (False, True):
                expected = sorted(_plain_occurrences(months, low, word_start, word_end))
                assert sorted(_occurrences(months, low, word_start, word_end)) == expected


def test_phrases_present_are_those_in_the_text():
    nlp = spacy.blank("en")
    phrases = ("per cent", "so far", "film", "crash", "a total of")
    for text in TEXTS + ["So far, a TOTAL OF 12 died in the crash; the film was shot in 2001."]:
        doc = nlp.make_doc(text)
        low = lower_same_length(text)
        found = phrases_present(doc, phrases)
        assert found == tuple(p for p in phrases if p in low)
        assert phrases_present(doc, phrases) is found  # kept for the document
        # a sentence of the document contains one of the phrases exactly when it contains one of these
        for start in range(0, len(low), 7):
            piece = low[start : start + 30]
            assert any(p in piece for p in phrases) == any(p in piece for p in found)
