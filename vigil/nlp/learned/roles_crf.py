"""A linear-chain CRF (python-crfsuite) that tags event-role fillers: words, context, rule and event features.

Each sentence of a document is one sequence. Beyond the word, its affixes and a
window of words around it, an item carries what the rule pipeline said about the
word and its neighbours (``roles_features``: gazetteer actor, person, weapon,
casualty figure, the rule event's role for it), whether its sentence holds an event
and of what type, trigger words nearby, the sentence's position in the report and
whether the report has any violent event at all (half of MUC-4's reports have no
filler: there a phrase is never one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from vigil.nlp.learned.ner_crf import word_features, write_crf
from vigil.nlp.learned.roles_features import COLUMNS, GROUPS, Sentence

_WORD_WINDOW = (-3, -2, -1, 1, 2, 3)
_RULE_WINDOW = (-2, -1, 1, 2)
_TRIGGER_REACH = 6
_COL = {name: i for i, name in enumerate(COLUMNS)}
_CONTEXT_COLUMNS = (*GROUPS, "rule_role")
#: event types the MUC-4 roles belong to (ACLED violent types); others count as "no event"
VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"})


@lru_cache(maxsize=16384)
def _row_features(row: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{name}:{row[_COL[name]]}" for name in COLUMNS)


@lru_cache(maxsize=16384)
def _context_row(row: tuple[str, ...], offset: int) -> tuple[str, ...]:
    return tuple(f"{offset}:{name}:{row[_COL[name]]}" for name in _CONTEXT_COLUMNS if row[_COL[name]] != "O" and row[_COL[name]] != "-")


@dataclass
class DocumentContext:
    """What the whole report says about a word: shared flags, how often and how early the word appears."""

    flags: tuple[str, ...]
    counts: Counter
    first_sentence: dict[str, int]
    #: add the word's count and first sentence as features (off: it did not help on held-out train)
    word_stats: bool = False

    def word_features(self, lower: str) -> tuple[str, ...]:
        count = self.counts.get(lower, 0)
        first = self.first_sentence.get(lower, 99)
        return (f"freq:{_bucket(count, (1, 2, 3, 5))}", f"first:{_bucket(first, (0, 1, 2, 4))}")


def _bucket(value: int, edges: Sequence[int]) -> str:
    return next((str(edge) for edge in edges if value <= edge), f">{edges[-1]}")


def document_context(sentences: Sequence[Sentence]) -> DocumentContext:
    """The document-level context: a violent rule event anywhere, word counts and first sentence of each word."""
    violent = any(row[_COL["event"]] in VIOLENT for s in sentences for row in s.rows)
    any_event = any(row[_COL["event"]] != "-" for s in sentences for row in s.rows)
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for index, sentence in enumerate(sentences):
        for word in sentence.words:
            lower = word.lower()
            counts[lower] += 1
            first.setdefault(lower, index)
    return DocumentContext((f"doc_violent:{violent}", f"doc_event:{any_event}"), counts, first)


def sentence_features(sentence: Sentence, context: DocumentContext | None = None) -> list[list[str]]:
    """crfsuite item features for each word of one sentence (``context``: the document's, see ``document_context``)."""
    flags = context.flags if context is not None else ()
    words, rows = sentence.words, sentence.rows
    n = len(words)
    lowers = [w.lower() for w in words]
    triggers = [i for i, row in enumerate(rows) if row[_COL["trigger"]] == "T"]
    event = next((row[_COL["event"]] for row in rows if row[_COL["event"]] != "-"), "-")
    position = rows[0][_COL["sentence"]] if rows else "0"
    shared = [*flags, f"sent_event:{event}", f"pos:{position}", f"pos|event:{position}|{event in VIOLENT}"]
    items = []
    for i, word in enumerate(words):
        item = ["bias", *word_features(word), *_row_features(rows[i]), *shared]
        if context is not None and context.word_stats and len(lowers[i]) > 2 and lowers[i].isalpha():
            item.extend(context.word_features(lowers[i]))
        if i == 0:
            item.append("BOS")
        if i == n - 1:
            item.append("EOS")
        for offset in _WORD_WINDOW:
            j = i + offset
            item.append(f"{offset}:w:{lowers[j]}" if 0 <= j < n else f"{offset}:w:<pad>")
        if i > 0:
            item.append(f"-1|0:{lowers[i - 1]}|{lowers[i]}")
        if i < n - 1:
            item.append(f"0|1:{lowers[i]}|{lowers[i + 1]}")
        for offset in _RULE_WINDOW:
            j = i + offset
            if 0 <= j < n:
                item.extend(_context_row(rows[j], offset))
        before = [t for t in triggers if i - _TRIGGER_REACH <= t < i]
        after = [t for t in triggers if i < t <= i + _TRIGGER_REACH]
        if before:
            item.append(f"trig_before:{lowers[before[-1]]}")
        if after:
            item.append(f"trig_after:{lowers[after[0]]}")
        items.append(item)
    return items


def train_crf(
    documents: Sequence, path: Path, c1: float = 0.05, c2: float = 0.05, iterations: int = 100
) -> Path:
    """Train the role CRF (L-BFGS, L1 + L2) on labelled ``RoleDocument``s and write it to ``path``."""

    def sequences():
        for document in documents:
            context = document_context(document.sentences)
            for sentence, tags in zip(document.sentences, document.tags):
                yield sentence_features(sentence, context), tags

    return write_crf(sequences(), path, c1=c1, c2=c2, iterations=iterations)


class RoleCrf:
    """A trained role CRF: Viterbi tags and per-token marginals of a document's sentences."""

    def __init__(self, path: Path) -> None:
        import pycrfsuite

        self.path = Path(path)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))
        self.labels = set(self._tagger.labels())

    def tag_document(self, sentences: Sequence[Sentence]) -> list[tuple[list[str], list[float]]]:
        """Per sentence: the Viterbi tags and, per token, the marginal probability of its tag."""
        context = document_context(sentences)
        out = []
        for sentence in sentences:
            if not sentence.words:
                out.append(([], []))
                continue
            self._tagger.set(sentence_features(sentence, context))
            tags = self._tagger.tag()
            out.append((tags, [self._tagger.marginal(tag, i) for i, tag in enumerate(tags)]))
        return out

    def marginals(self, sentences: Sequence[Sentence], labels: Sequence[str]) -> list[list[list[float]]]:
        """Per sentence, per token: the marginal probability of each of ``labels`` (0 for unknown labels)."""
        context = document_context(sentences)
        known = [(j, label) for j, label in enumerate(labels) if label in self.labels]
        out = []
        for sentence in sentences:
            if not sentence.words:
                out.append([])
                continue
            self._tagger.set(sentence_features(sentence, context))
            rows = []
            for i in range(len(sentence.words)):
                row = [0.0] * len(labels)
                for j, label in known:
                    row[j] = self._tagger.marginal(label, i)
                rows.append(row)
            out.append(rows)
        return out
