"""A linear-chain CRF entity tagger (python-crfsuite): word shape, affixes, context and rule features.

It needs no torch and tags thousands of sentences a second, so it is the learned
tagger's light form; the encoder tagger (``ner_encoder``) is the stronger one. The
rule features (``ner_features``) carry the gazetteers: a word the actor gazetteer
knows, a place with its precision, a nationality found by the entity rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from pathlib import Path

from vigil.nlp.learned.ner_bio import repair
from vigil.nlp.learned.ner_data import NerExample
from vigil.nlp.learned.ner_features import COLUMNS

#: where the context features look, relative to the word
_WINDOW = (-2, -1, 1, 2)
_RULE_WINDOW = (-1, 1)
_RULE_COLUMNS = COLUMNS[:-1]
#: L1 and L2 penalties and L-BFGS iterations: chosen by 6-fold cross-validation on re3d train (``ner_cv``;
#: c1 0.02, 0.05, 0.1, 0.2 and c2 0.01, 0.05, 0.1 tried). c1 0.1 against 0.05: whole pipeline micro/macro-F1
#: 0.639/0.562 against 0.638/0.547, tagger alone 0.649/0.579 against 0.645/0.572 (a small, consistent gain)
C1, C2, ITERATIONS = 0.1, 0.05, 150


@lru_cache(maxsize=200_000)
def word_features(word: str) -> tuple[str, ...]:
    """A word's own features that do not depend on its context (cached per distinct word)."""
    lower = word.lower()
    return (f"w:{lower}", f"p2:{lower[:2]}", f"p3:{lower[:3]}", f"s2:{lower[-2:]}", f"s3:{lower[-3:]}",
            f"s4:{lower[-4:]}", f"len:{min(len(word), 8)}")


@lru_cache(maxsize=200_000)
def _as_context(word: str, shape_: str, offset: int) -> tuple[str, str]:
    """A word's features as seen from ``offset`` words away (0: the word and its casing together)."""
    if offset == 0:
        return (f"w|shape:{word.lower()}|{shape_}",)
    return (f"{offset}:w:{word.lower()}", f"{offset}:shape:{shape_}")


@lru_cache(maxsize=8192)
def _row_features(row: tuple[str, ...], offset: int) -> tuple[str, ...]:
    """The rule (and, for the word itself, casing) features of a feature row seen at ``offset``."""
    if offset == 0:
        return tuple(f"{column}:{value}" for column, value in zip(COLUMNS, row))
    return tuple(f"{offset}:{column}:{value}" for column, value in zip(_RULE_COLUMNS, row))


def sentence_features(words: Sequence[str], rows: Sequence[Sequence[str]]) -> list[list[str]]:
    """crfsuite item features (binary, "name:value") for each word of one sentence."""
    n = len(words)
    rows = [row if isinstance(row, tuple) else tuple(row) for row in rows]
    shapes = [row[-1] for row in rows]
    items = []
    for i, word in enumerate(words):
        item = ["bias", *word_features(word), *_row_features(rows[i], 0)]
        if i == 0:
            item.append("BOS")
        if i == n - 1:
            item.append("EOS")
        for offset in _WINDOW:
            j = i + offset
            if 0 <= j < n:
                item.extend(_as_context(words[j], shapes[j], offset))
        for offset in _RULE_WINDOW:
            j = i + offset
            if 0 <= j < n:
                item.extend(_row_features(rows[j], offset))
        item.extend(_as_context(word, shapes[i], 0))
        items.append(item)
    return items


def train_crf(examples: Sequence[NerExample], path: Path, c1: float = C1, c2: float = C2, iterations: int = ITERATIONS) -> Path:
    """Train a CRF (L-BFGS, L1 + L2) on labelled examples and write it to ``path``."""
    sequences = ((sentence_features(e.words, e.features), e.tags) for e in examples if e.words)
    return write_crf(sequences, path, c1=c1, c2=c2, iterations=iterations)


def write_crf(sequences: Iterable[tuple[list, Sequence[str]]], path: Path, *, c1: float, c2: float, iterations: int) -> Path:
    """Train python-crfsuite (L-BFGS, L1 + L2, all transitions) on (features, tags) sequences; write it to ``path``."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, tags in sequences:
        trainer.append(features, tags)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))
    return path


class CrfTagger:
    """A trained CRF; ``tag`` returns valid BIO tags."""

    def __init__(self, path: Path) -> None:
        import pycrfsuite

        self.path = Path(path)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))
        self._labels: set[str] | None = None

    def tag_one(self, words: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
        if not words:
            return []
        return repair(self._tagger.tag(sentence_features(words, rows)))

    def log_marginals(self, words: Sequence[str], rows: Sequence[Sequence[str]], tags: Sequence[str]) -> np.ndarray:
        """log P(tag at word | sentence) for each word and each of ``tags`` (words x tags)."""
        if self._labels is None:
            self._labels = set(self._tagger.labels())
        self._tagger.set(sentence_features(words, rows))
        marginal = self._tagger.marginal
        known = [(j, tag) for j, tag in enumerate(tags) if tag in self._labels]
        out = np.full((len(words), len(tags)), 1e-6, dtype=np.float32)
        for i in range(len(words)):
            for j, tag in known:
                out[i, j] += marginal(tag, i)
        return np.log(out)

    def tag(self, sentences: Sequence[tuple[Sequence[str], Sequence[Sequence[str]]]]) -> list[list[str]]:
        """Valid BIO tags per (words, feature rows) sentence (the encoder tagger's interface)."""
        return [self.tag_one(words, rows) for words, rows in sentences]
