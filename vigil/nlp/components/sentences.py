"""Sentence boundaries for news and wire text.

spaCy's rule-based sentencizer, plus a break at blank lines (wire reports put
each paragraph on its own block and often drop the final full stop of a dateline).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc


class NewsSentencizer:
    """Punctuation-based sentences, also split at paragraph breaks."""

    def __init__(self) -> None:
        self._base = Sentencizer()

    def __call__(self, doc: Doc) -> Doc:
        doc = self._base(doc)
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if previous.is_space and previous.text.count("\n") >= 2:
                token.is_sent_start = True
            elif token.is_space and "\n\n" in token.text and token.i + 1 < len(doc):
                doc[token.i + 1].is_sent_start = True
        return doc

    def pipe(self, docs, batch_size: int = 32):
        for doc in docs:
            yield self(doc)


@Language.factory("vigil_sentences")
def make_sentences(nlp: Language, name: str) -> NewsSentencizer:
    return NewsSentencizer()
