"""The shared look-ups of ``vigil.nlp.spans`` give what the plain spaCy ways give."""

from __future__ import annotations

import datetime as dt
import gc
import random
import weakref

import spacy

from vigil.nlp.components.sentences import NewsSentencizer
from vigil.nlp.convert import doc_to_extraction
from vigil.nlp.spans import longest_matches, lowers, mention_index, release, sentence_starts

REPORT = (
    "Gunmen attacked a police checkpoint in Peshawar on Sunday, killing three officers. "
    "Tehrik-e-Taliban Pakistan claimed responsibility. Police said 12 people were wounded.\n\n"
    "THE ARMY DENIED TODAY THAT GUERRILLAS ATTACKED THE FARM. Mr. Khan was not hurt."
)


def _plain_longest_matches(matches):
    """The rule as first written: longest first, then earliest; no shared token; text order."""
    taken: set[int] = set()
    kept = []
    for label, start, end in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if not any(t in taken for t in range(start, end)):
            kept.append((label, start, end))
            taken.update(range(start, end))
    return sorted(kept, key=lambda m: m[1])


def test_longest_matches_keeps_the_rule():
    rng = random.Random(7)
    for _ in range(500):
        matches = []
        for _ in range(rng.randint(0, 12)):
            start = rng.randint(0, 30)
            matches.append((rng.randint(1, 3), start, start + rng.randint(1, 5)))
        assert longest_matches(matches) == _plain_longest_matches(matches)


def test_lowers_and_sentence_starts_are_spacys():
    nlp = spacy.blank("en")
    for text in ("", "one", REPORT, REPORT.upper()):
        doc = nlp.make_doc(text)
        assert lowers(doc) == [t.lower_ for t in doc]
        assert sentence_starts(doc) == [0]  # no sentences set yet: one
        doc = NewsSentencizer(nlp.vocab)(nlp.make_doc(text))
        if len(doc):
            assert sentence_starts(doc) == [s.start for s in doc.sents]


def test_an_extracted_document_is_freed_by_reference_counting(extractor):
    """Without ``release`` the mention index and the span lists kept for ``read_spans`` tie the Doc into cycles."""
    gc.collect()
    gc.disable()
    try:
        doc = extractor.annotate(REPORT, dt.date(2023, 7, 31), "report")
        assert mention_index(doc).sentences
        doc_to_extraction(doc, "report")
        release(doc)
        freed = weakref.ref(doc)
        del doc
        assert freed() is None
    finally:
        gc.enable()
