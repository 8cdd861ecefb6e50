"""Per-word tables for rule components: token columns read without building ``Token`` objects.

A token's strings and flags depend only on its text. ``token_rows(doc)`` maps each
token to its word's row in one table shared by every component; a ``TokenColumns``
keeps a component's features per row, so a document's columns are picked in bulk.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

import numpy as np
from spacy.attrs import IDX, ORTH
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
        self.flags = [type(v) is bool for v in sample]
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

    def columns(self, doc: Doc, skip: frozenset[int] = frozenset()) -> tuple[Sequence | None, ...]:
        """The document's columns; those in ``skip`` are None (a component that only needs
        where a flag is set asks ``where`` and saves building the column).

        A flag column comes as ``bytes``, 1 where the flag is set and 0 elsewhere: it
        reads like a list of booleans (truth, sums, slices) and costs a copy of the
        numpy rows instead of a Python object per token.
        """
        rows, at = token_rows(doc)
        n = len(rows)
        if len(self.cols[0]) < len(_ROW_WORDS):
            self._fill()
        if n > 1:
            pick = itemgetter(*rows)
            arrays = self._arrays
            columns: list[Sequence | None] = []
            for k, numeric in enumerate(self.numeric):
                if k in skip:
                    columns.append(None)
                elif not numeric:
                    columns.append(pick(self.cols[k]))
                elif self.flags[k]:
                    columns.append(arrays[k][at].tobytes())
                else:
                    columns.append(arrays[k][at].tolist())
            return tuple(columns)
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
    if not size:
        cached = doc.user_data[_ROWS_KEY] = ([], np.zeros(0, dtype=np.intp))
        return cached
    orths = doc.to_array(ORTH)
    rows = _ROWS.find(orths)
    unknown = np.flatnonzero(rows < 0)
    if unknown.size:  # words not seen before: give them rows
        strings = doc.vocab.strings
        for at, orth in zip(unknown.tolist(), orths[unknown].tolist()):
            rows[at] = _ROWS.add(orth, strings)
    cached = doc.user_data[_ROWS_KEY] = (rows.tolist(), rows)
    return cached


def token_texts(doc: Doc) -> tuple[str, ...]:
    """Each token's text, cached per document and shared by the components that read it."""
    return _words(doc)[0]


def token_lowers(doc: Doc) -> tuple[str, ...]:
    """Each token's lower case (``token.lower_``), cached per document and shared."""
    return _words(doc)[1]


def _words(doc: Doc) -> tuple[tuple[str, ...], tuple[str, ...]]:
    cached = doc.user_data.get(_WORDS_KEY)
    if cached is not None and len(cached[0]) == len(doc):
        return cached
    # one table per language: a word's lower case follows the language's rules, not the pipeline
    table = _WORD_TABLES.get(doc.vocab.lang)
    if table is None:
        table = _WORD_TABLES[doc.vocab.lang] = TokenColumns(doc.vocab, _text_and_lower)
    cached = doc.user_data[_WORDS_KEY] = table.columns(doc)
    return cached


def _text_and_lower(lexeme) -> tuple[str, str]:
    return lexeme.orth_, lexeme.lower_


def token_offsets(doc: Doc) -> list[int]:
    """Each token's character offset (``token.idx``), cached per document; shared, do not modify.

    Several components cut token texts out of the document text; one ``to_array``
    serves them all.
    """
    cached = doc.user_data.get(_OFFSETS_KEY)
    if cached is not None and len(cached) == len(doc):
        return cached
    cached = doc.user_data[_OFFSETS_KEY] = doc.to_array(IDX).tolist() if len(doc) else []
    return cached


class _RowTable:
    """Word rows by orth id: an open-addressing hash table in numpy arrays (linear probing).

    A news report has about 800 tokens; looking their rows up in a dict cost a dict
    probe and a Python int per token, more than some components. Orth ids are
    already string hashes, so their low bits index the table directly, and every
    token of a document is looked up at once. At most half the slots are used.
    """

    def __init__(self, bits: int = 16) -> None:
        self.keys = np.zeros(1 << bits, dtype=np.uint64)
        self.rows = np.full(1 << bits, -1, dtype=np.intp)  # -1: an empty slot
        self.mask = np.uint64((1 << bits) - 1)

    def find(self, orths: np.ndarray) -> np.ndarray:
        """The rows of ``orths`` (uint64), -1 for words without one."""
        keys, rows = self.keys, self.rows
        slot = (orths & self.mask).astype(np.intp)
        found = rows[slot]
        # a slot holding another word: probe the next ones until the word or an empty slot
        probe = np.flatnonzero((keys[slot] != orths) & (found >= 0))
        last = len(keys) - 1
        while probe.size:
            at = slot[probe] = (slot[probe] + 1) & last
            found[probe] = rows[at]
            probe = probe[(keys[at] != orths[probe]) & (found[probe] >= 0)]
        return found

    def add(self, orth: int, strings) -> int:
        """The row of ``orth``, given one (and its word) if it has none yet."""
        keys, rows = self.keys, self.rows
        last = len(keys) - 1
        slot = orth & last
        while rows[slot] >= 0:
            if keys[slot] == orth:
                return int(rows[slot])
            slot = (slot + 1) & last
        row = len(_ROW_WORDS)
        _ROW_WORDS.append(strings[orth])
        keys[slot] = orth
        rows[slot] = row
        if 2 * len(_ROW_WORDS) > len(keys):
            self._grow()
        return row

    def _grow(self) -> None:
        used = self.rows >= 0
        orths, rows = self.keys[used].tolist(), self.rows[used].tolist()
        self.__init__(self.keys.size.bit_length())  # twice the slots
        keys, table, last = self.keys, self.rows, len(self.keys) - 1
        for orth, row in zip(orths, rows):
            slot = orth & last
            while table[slot] >= 0:
                slot = (slot + 1) & last
            keys[slot] = orth
            table[slot] = row


# word rows: orth id -> row, row -> word (one table for every component and vocab: orth ids are string hashes)
_ROW_WORDS: list[str] = []
_ROWS = _RowTable()
_ROWS_KEY = ("vigil", "token-rows")
_OFFSETS_KEY = ("vigil", "token-offsets")
_WORDS_KEY = ("vigil", "token-words")
_WORD_TABLES: dict[str, TokenColumns] = {}
