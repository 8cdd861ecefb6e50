"""The lexical fallback for evidence similarity: cosine over content words weighted by rarity.

Used when the ``ml`` extra (sentence embeddings) is not installed. It needs no
corpus statistics: a word's weight is how rare it is in English, read from the
common-word table the gazetteers already ship (``-log p(word)``, less a floor
so that function words weigh nothing); words not in the table (names of
places, groups, people) weigh the most. Plural and verb endings are folded so
"bombing", "bombings" and "bombed" meet.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from vigil.gazetteers.text import common_words, strip_accents

METHOD = "lexical (content words weighted by rarity)"
#: Words at least this common (log-probability) carry no weight: "the", "said", "people".
_FLOOR = 8.0
#: The weight of a word the table does not know (a name).
_UNKNOWN = 7.0
_WORD = re.compile(r"[a-z][a-z']+")
_ENDINGS = ("ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "s")

SparseVector = dict[str, float]


def _fold(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _weight(word: str, table: dict[str, float]) -> float:
    prob = table.get(word)
    return _UNKNOWN if prob is None else max(0.0, -prob - _FLOOR)


class LexicalEncoder:
    """Sparse content-word vectors and their cosine similarity."""

    method = METHOD
    kind = "lexical"

    def encode(self, texts: Sequence[str]) -> list[SparseVector]:
        table = common_words()
        return [self._vector(text, table) for text in texts]

    @staticmethod
    def _vector(text: str, table: dict[str, float]) -> SparseVector:
        counts: Counter[str] = Counter()
        weights: dict[str, float] = {}
        for word in _WORD.findall(strip_accents(text).lower().replace("\u2019", "'")):
            weight = _weight(word, table) if len(word) > 2 else 0.0
            if weight > 0:
                term = _fold(word)
                counts[term] += 1
                weights[term] = max(weights.get(term, 0.0), weight)
        vector = {term: (1 + math.log(n)) * weights[term] for term, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values()))
        return {term: v / norm for term, v in vector.items()} if norm else {}

    @staticmethod
    def similarity(u: SparseVector, v: SparseVector) -> float:
        if len(u) > len(v):
            u, v = v, u
        return sum(weight * v.get(term, 0.0) for term, weight in u.items())
