"""The fast paths of ``vigil.nlp.values.text`` give exactly what the slow ones gave."""

from __future__ import annotations

import spacy

from vigil.nlp.values.text import _occurrences, doc_lower, doc_text, lower_same_length


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
