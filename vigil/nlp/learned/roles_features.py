"""Per-token inputs of the event-role tagger, read off a Doc the rule pipeline has annotated.

The role of a phrase (perpetrator, target, victim, weapon) depends on what the rules
already know about it and around it: a gazetteer actor, a person, a weapon, a
casualty figure, whether its sentence holds an event and which role the event rules
gave it. Each token gets one row of string values (``COLUMNS``); the CRF turns rows
into features (``roles_crf``). The same function serves training and the pipeline
component, so the tagger meets the features it learned from.

``entities`` (the re3d-typed mentions) is left out on purpose: on ALL-CAPS wire text
it is noise, and the learned entity tagger rewrites it, so it would differ between
the fast and the learned pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from vigil.nlp.learned.ner_features import group_tags, shape
from vigil.nlp.spans import sentence_starts
from vigil.nlp.token_table import token_lowers, token_offsets, token_texts

#: rule mention groups read as BIO columns
GROUPS: tuple[str, ...] = ("actors", "places", "persons", "dates", "weapons", "casualties")
#: columns from the rule events: the event type covering the token, the rule's role for it, trigger word
EVENT_COLUMNS: tuple[str, ...] = ("event", "rule_role", "trigger")
#: position and casing
OTHER_COLUMNS: tuple[str, ...] = ("sentence", "shape")
COLUMNS: tuple[str, ...] = (*GROUPS, *EVENT_COLUMNS, *OTHER_COLUMNS)

#: sentence-index buckets: fillers cluster in the first sentences of a report
_SENTENCE_BUCKETS = (0, 1, 2, 3, 5, 8, 12)


@dataclass
class Sentence:
    """The non-space tokens of one sentence: doc token indices, words and feature rows."""

    tokens: list[int]
    words: list[str]
    rows: list[tuple[str, ...]]


def sentence_bucket(index: int) -> str:
    bucket = max(b for b in _SENTENCE_BUCKETS if b <= index)
    return str(bucket) if bucket == index else f"{bucket}+"


def _event_columns(doc: Doc) -> list[list[str]]:
    """Per token: event type covering it, the rule role given to it, and whether it is a trigger word."""
    n = len(doc)
    event = ["-"] * n
    role = ["-"] * n
    trigger = ["-"] * n
    if not n:
        return [event, role, trigger]
    words, lowers, offsets = token_texts(doc), token_lowers(doc), token_offsets(doc)
    char_to_token = {start: i for i, start in enumerate(offsets)}
    ends = {start + len(word): i for i, (start, word) in enumerate(zip(offsets, words))}

    def tokens_of(start: int, end: int) -> range:
        first, last = char_to_token.get(start), ends.get(end)
        if first is None or last is None:
            span = doc.char_span(start, end, alignment_mode="expand")
            return range(span.start, span.end) if span is not None else range(0)
        return range(first, last + 1)

    for ev in doc._.events:
        covered = tokens_of(ev.start, ev.end)
        for i in covered:
            if event[i] == "-":
                event[i] = ev.event_type
        trigger_words = set((ev.trigger or "").lower().split())
        for i in covered:
            if lowers[i] in trigger_words:
                trigger[i] = "T"
        for name, refs in (("perp", ev.perpetrators), ("target", ev.targets), ("victim", ev.victims), ("weapon", ev.weapons)):
            for ref in refs:
                kind = f"{name}-{getattr(ref, 'kind', '')}" if name == "perp" else name
                for k, i in enumerate(tokens_of(ref.start, ref.end)):
                    if role[i] == "-":
                        role[i] = ("B-" if k == 0 else "I-") + kind
    return [event, role, trigger]


def doc_sentences(doc: Doc) -> list[Sentence]:
    """The document's sentences (space tokens dropped) with one ``COLUMNS`` row per token."""
    words = token_texts(doc)
    columns = [group_tags(doc, group) for group in GROUPS]
    columns.extend(_event_columns(doc))
    starts = sentence_starts(doc) + [len(doc)]
    sentence_column = ["0"] * len(doc)
    sentences: list[tuple[int, list[int]]] = []
    for start, end in zip(starts, starts[1:]):
        tokens = [i for i in range(start, end) if not words[i].isspace()]
        if tokens:
            bucket = sentence_bucket(len(sentences))
            for i in tokens:
                sentence_column[i] = bucket
            sentences.append((len(sentences), tokens))
    columns.append(sentence_column)
    columns.append([shape(word) for word in words])
    rows = list(zip(*columns))
    return [Sentence(tokens, [words[i] for i in tokens], [rows[i] for i in tokens]) for _, tokens in sentences]
