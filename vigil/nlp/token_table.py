"""Per-word tables for rule components: token columns read without building ``Token`` objects.

A token's strings and flags depend only on its text. ``token_rows(doc)`` maps each
token to its word's row in one table shared by every component; a ``TokenColumns``
keeps a component's features per row, so a document's columns are picked in bulk.
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import is_, itemgetter

import numpy as np
from spacy.attrs import ORTH
from spacy.tokens import Doc


class TokenColumns:
    """Per-document columns of token strings and flags, read without touching ``Token``s.

    Creating a ``Token`` and reading its attributes from Python costs about a
    microsecond, too much for rules that look at every token. A token's strings and
    flags depend only on its text, so ``features(lexeme)`` is computed once per
    distinct word and kept in one list per feature, indexed by the word's row (see
    ``token_rows``); each document's columns are picked from those lists in bulk:
    ``columns(doc)[k][i]`` is feature k of token i. ``array(k)`` is feature k of every
    known word as a numpy array, for finding candidate tokens with numpy.
    """

    def __init__(self, vocab, features) -> None:
        self.vocab = vocab
        self.features = features
        sample = features(vocab["x"])
        self.width = len(sample)
        self.cols: list[list] = [[] for _ in range(self.width)]
        # flag and number columns are also kept as numpy arrays (taking rows from them is faster)
        self.numeric = [type(v) in (bool, int) for v in sample]
        self._arrays: list[np.ndarray] = [np.zeros(1024, dtype=np.int64 if type(v) is int else bool) for v in sample]
        self._filled = 0

    def _fill(self) -> None:
        """Compute the features of the words given rows since the last call."""
        cols = self.cols
        known = len(cols[0])
        vocab = self.vocab
        for word in _ROW_WORDS[known:]:
            for col, value in zip(cols, self.features(vocab[word])):
                col.append(value)
        size = len(cols[0])
        for k, numeric in enumerate(self.numeric):
            if numeric:
                array = self._arrays[k]
                if len(array) < size:
                    array = self._arrays[k] = np.resize(array, max(size, 2 * len(array)))
                array[known:size] = cols[k][known:size]
        self._filled = size

    def columns(self, doc: Doc, skip: frozenset[int] = frozenset()) -> tuple[tuple | None, ...]:
        """The document's columns; those in ``skip`` are None (a component that only needs
        where a flag is set asks ``where`` and saves building the column)."""
        rows, at = token_rows(doc)
        n = len(rows)
        if len(self.cols[0]) < len(_ROW_WORDS):
            self._fill()
        if n > 1:
            pick = itemgetter(*rows)
            arrays = self._arrays
            return tuple(
                None if k in skip else arrays[k][at].tolist() if numeric else pick(self.cols[k])
                for k, numeric in enumerate(self.numeric)
            )
        if n == 1:
            return tuple(None if k in skip else (col[rows[0]],) for k, col in enumerate(self.cols))
        return tuple(None if k in skip else () for k in range(self.width))

    def array(self, k: int) -> np.ndarray:
        """Feature k of every known word (by row), as a numpy array; call after ``columns``."""
        return self._arrays[k]

    def where(self, doc: Doc, k: int) -> list[int]:
        """The tokens whose (flag or number) feature k is true / non-zero, found with numpy."""
        rows = token_rows(doc)[1]
        if len(self.cols[0]) < len(_ROW_WORDS):
            self._fill()
        return np.flatnonzero(self._arrays[k][rows]).tolist()


def token_rows(doc: Doc) -> tuple[list[int], np.ndarray]:
    """Each token's word row (shared by all ``TokenColumns``), as a list and a numpy array; cached per doc."""
    cached = doc.user_data.get(_ROWS_KEY)
    size = len(doc)
    if cached is not None and len(cached[0]) == size:
        return cached
    orths = doc.to_array(ORTH).tolist() if size else []
    rows = list(map(_ROW_OF.get, orths))
    if None in rows:  # words not seen before: give them rows
        strings = doc.vocab.strings
        for at in compress(range(size), map(is_, rows, repeat(None))):
            orth = orths[at]
            row = _ROW_OF.get(orth)
            if row is None:
                row = _ROW_OF[orth] = len(_ROW_WORDS)
                _ROW_WORDS.append(strings[orth])
            rows[at] = row
    cached = doc.user_data[_ROWS_KEY] = (rows, np.array(rows, dtype=np.intp))
    return cached


# word rows: orth id -> row, row -> word (one table for every component and vocab: orth ids are string hashes)
_ROW_OF: dict[int, int] = {}
_ROW_WORDS: list[str] = []
_ROWS_KEY = ("vigil", "token-rows")
