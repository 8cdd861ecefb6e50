"""Look-ups over a Doc's mentions by sentence, shared by the fact-building components.

The event, relation and claim components all ask the same questions: which actors,
places, dates, casualty figures and weapons lie in this sentence, before or after
this token? ``MentionIndex`` answers them without rescanning the span groups.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

from vigil.model.records import ActorRef, WeaponMention
from vigil.nlp.extensions import WRITTEN_SPANS_KEY, get_value, read_spans
from vigil.nlp.token_table import token_lowers
from vigil.nlp.values.text import doc_text

FACT_KEYS = ("actors", "places", "dates", "casualties", "weapons", "persons")


@dataclass(frozen=True)
class Mention:
    """A span and the value its component attached."""

    key: str
    span: Span
    value: dict

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end


class MentionIndex:
    """Mentions of each kind grouped by sentence index."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.sentences: list[Span] = list(doc.sents)
        self._sent_starts = [s.start for s in self.sentences]
        self._by_sentence: dict[tuple[str, int], list[Mention]] = {}
        #: what the components derive from the index and ask for again (per sentence...), kept for this document
        self.derived: dict = {}
        for key in FACT_KEYS:
            for span in read_spans(doc, key):
                mention = Mention(key, span, get_value(span, key) or {})
                self._by_sentence.setdefault((key, self.sentence_of(span.start)), []).append(mention)
        for mentions in self._by_sentence.values():
            mentions.sort(key=lambda m: m.start)

    def covered(self, *keys: str) -> set[int]:
        """Token indices inside any mention of the given kinds."""
        return {t for (key, _), mentions in self._by_sentence.items() if key in keys for m in mentions for t in range(m.start, m.end)}

    def sentence_of(self, token_i: int) -> int:
        """Index of the sentence holding token ``token_i``."""
        return max(bisect_left(self._sent_starts, token_i + 1) - 1, 0)

    def in_sentence(self, key: str, sent_i: int) -> list[Mention]:
        return self._by_sentence.get((key, sent_i), [])

    def between(self, key: str, start: int, end: int) -> list[Mention]:
        """Mentions of ``key`` lying wholly inside tokens [start, end)."""
        found: list[Mention] = []
        for sent_i in range(self.sentence_of(start), self.sentence_of(max(end - 1, start)) + 1):
            found.extend(m for m in self.in_sentence(key, sent_i) if m.start >= start and m.end <= end)
        return found


def longest_matches(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Non-overlapping (label, start, end) matcher results, longest first, in text order.

    The same rule as spaCy's ``filter_spans`` without building a Span per match.
    """
    if not matches:
        return []
    taken = bytearray(max(m[2] for m in matches))  # 1 where a kept match lies
    kept = []
    for match in sorted(matches, key=_longest_first):
        start, end = match[1], match[2]
        if 1 not in taken[start:end]:
            kept.append(match)
            taken[start:end] = b"\x01" * (end - start)
    kept.sort(key=itemgetter(1))
    return kept


def _longest_first(match: tuple[int, int, int]) -> tuple[int, int]:
    return match[1] - match[2], match[1]


def mention_index(doc: Doc) -> MentionIndex:
    """The document's index, built once and shared by the fact components (they add no spans)."""
    index = doc.user_data.get(_INDEX_KEY)
    if index is None:
        index = doc.user_data[_INDEX_KEY] = MentionIndex(doc)
    return index


def release(doc: Doc) -> None:
    """Drop the per-document caches that hold Spans once the document's facts are built.

    The mention index and the span lists of ``write_spans`` hold Spans, which hold the
    Doc that holds them: reference cycles that only Python's cyclic garbage collector
    would free, so every document (and the hundreds of objects hanging from it) would
    outlive its extraction and make each collection slower. Dropping them lets the Doc
    go as soon as it is done. The Doc stays usable: they are rebuilt when asked for.
    """
    doc.user_data.pop(_INDEX_KEY, None)
    doc.user_data.pop(WRITTEN_SPANS_KEY, None)


_INDEX_KEY = ("vigil", "mention-index")


def lowers(doc: Doc) -> list[str]:
    """Lower-cased token texts, computed once per document (token attribute access is slow).

    A list copy of ``token_lowers`` (picked in bulk from a per-word table).
    """
    found = doc.user_data.get(_LOWERS_KEY)
    if found is None or len(found) != len(doc):
        found = doc.user_data[_LOWERS_KEY] = list(token_lowers(doc))
    return found


_LOWERS_KEY = ("vigil", "lowers")


def sentence_starts(doc: Doc) -> list[int]:
    """The first token of each sentence (0 first; just [0] when no sentences are set),
    cached per document: ``doc[i].sent`` without a Span per question."""
    found = doc.user_data.get(_STARTS_KEY)
    if found is None or found[0] != len(doc):
        starts = np.flatnonzero(doc.to_array(SENT_START) == 1).tolist() if len(doc) else []
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        found = doc.user_data[_STARTS_KEY] = (len(doc), starts)
    return found[1]


_STARTS_KEY = ("vigil", "sentence-starts")


def text_of(span: Span) -> str:
    """A span's text from the cached document text (``Span.text`` re-joins its tokens)."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def actor_ref(mention: Mention) -> ActorRef:
    """An ActorRef for an actor or person mention."""
    span = mention.span
    if mention.key == "persons":
        return ActorRef(start=span.start_char, end=span.end_char, text=text_of(span), kind="person", actor=mention.value.get("actor"))
    kind = "person" if mention.value.get("kind") == "person" else "organisation"
    return ActorRef(start=span.start_char, end=span.end_char, text=text_of(span), kind=kind, actor=mention.value.get("actor"))


def span_ref(span: Span, kind: str = "organisation", actor: str | None = None) -> ActorRef:
    """An ActorRef for words no gazetteer resolved (e.g. 'gunmen')."""
    return ActorRef(start=span.start_char, end=span.end_char, text=text_of(span), kind=kind, actor=actor)  # type: ignore[arg-type]


def weapon_record(mention: Mention) -> WeaponMention:
    span, value = mention.span, mention.value
    return WeaponMention(
        start=span.start_char,
        end=span.end_char,
        text=text_of(span),
        weapon_class=value.get("weapon_class"),
        calibre=value.get("calibre"),
        model=value.get("model"),
        origin=value.get("origin"),
    )
