"""Sentence boundaries for news and wire text.

A sentence ends at ".", "!" or "?" (with any closing quotes or brackets after it),
except after a title abbreviation or an initial ("Lt. Gen. Khan", "George W. Bush"),
and at a paragraph break: wire reports put each paragraph (and the headline) on
its own block and often drop the final full stop. The whitespace between
paragraphs stays with the sentence before it. Boundaries are set in one array
write; the tokens that can end a sentence or a paragraph are found in bulk from a
per-word flag (``TokenColumns``), so only they are looked at in Python.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from vigil.nlp.lexicon import load_patterns
from vigil.nlp.spans import lowers
from vigil.nlp.token_table import TokenColumns

ENDS = {".", "!", "?", "...", "…", "!!", "??", "?!", "!?"}
CLOSERS = {'"', "'", "”", "’", ")", "]", "»", "''"}


def _may_break(lexeme) -> tuple[bool]:
    """Whether a word can end a sentence (end punctuation) or a paragraph (a blank line)."""
    word = lexeme.lower_
    return (word in ENDS or "\n\n" in word,)


class NewsSentencizer:
    """Punctuation and paragraph sentence boundaries."""

    def __init__(self, vocab: Vocab) -> None:
        self.abbreviations = set(load_patterns("abbreviations")["no_break_after"])
        self.breaks = TokenColumns(vocab, _may_break)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        words = lowers(doc)
        starts = np.full(n, -1, dtype="int64")
        starts[0] = 1
        for i in self.breaks.where(doc, 0):
            word = words[i]
            if word in ENDS:
                if word == "." and i > 0 and self._no_break(words, i, doc):
                    continue
                j = i + 1
                while j < n and (words[j] in CLOSERS or words[j] in ENDS):
                    j += 1
                while j < n and words[j].isspace() and "\n\n" not in words[j]:
                    j += 1
                if j < n:
                    starts[j] = 1
            elif "\n\n" in word and i + 1 < n:
                starts[i + 1] = 1
        # whitespace tokens never start a sentence: move the start to the next word
        for i in np.flatnonzero(starts == 1).tolist():
            if i and words[i].isspace():
                starts[i] = -1
                if i + 1 < n:
                    starts[i + 1] = 1
        doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
        return doc

    def _no_break(self, words: list[str], i: int, doc: Doc) -> bool:
        """'Lt. Gen.', 'Mr. Khan', 'George W. Bush': a full stop that does not end a sentence."""
        before = words[i - 1]
        if i + 1 >= len(words) or not doc[i + 1 if not words[i + 1].isspace() else min(i + 2, len(words) - 1)].is_title:
            return False
        return before in self.abbreviations or (len(before) == 1 and before.isalpha() and doc[i - 1].is_upper)

    def pipe(self, docs, batch_size: int = 32):
        for doc in docs:
            yield self(doc)


@Language.factory("vigil_sentences")
def make_sentences(nlp: Language, name: str) -> NewsSentencizer:
    return NewsSentencizer(nlp.vocab)
