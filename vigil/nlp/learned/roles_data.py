"""Training examples for the event-role tagger: MUC-4 documents with their role fillers projected onto tokens.

MUC-4 (GRIT format) gives, per document and role, entities as lists of coreferent
mention strings, without offsets. Each mention string is looked for in the text
(case-insensitive, whole words, any run of whitespace between its words) and the
matching tokens get BIO tags of the role. ``occurrences`` decides which matches:
``"first"`` tags only the earliest match of each entity (the phrase a reader meets
first, where MUC-4 annotators mostly took the filler from), ``"all"`` every match of
every mention. The choice is measured on held-out train documents (``roles_train``).

Where two matches overlap, the longer one wins, then the earlier; a token has one tag.
Tokens come from the pipeline itself (spaCy's blank English tokenizer), so training
and the component see the same tokens and features.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from spacy.tokens import Doc

from vigil.nlp.learned.roles_features import Sentence, doc_sentences
from vigil.nlp.token_table import token_offsets, token_texts
from vigil.nlp.values.text import doc_text

if TYPE_CHECKING:  # training data only: the pipeline component does not read the MUC-4 files
    from vigil.evaluation.datasets import Muc4Doc

#: tagger labels and the MUC-4 role keys they stand for
ROLE_KEYS: dict[str, str] = {
    "PerpInd": "perp_individual_id",
    "PerpOrg": "perp_organization_id",
    "Target": "phys_tgt_id",
    "Victim": "hum_tgt_name",
    "Weapon": "incident_instrument_id",
}
ROLES: tuple[str, ...] = tuple(ROLE_KEYS)

Occurrences = Literal["first", "all"]


@dataclass
class RoleDocument:
    """One document as the tagger sees it: sentences with rows, gold tags per sentence (None if unlabelled)."""

    id: str
    text: str
    sentences: list[Sentence]
    offsets: list[tuple[int, int]]
    tags: list[list[str]] | None = None
    gold: dict[str, list[list[str]]] = field(default_factory=dict)


def mention_pattern(mention: str) -> re.Pattern | None:
    """A case-insensitive whole-word pattern for a mention string (any whitespace between its words)."""
    words = mention.split()
    if not words:
        return None
    body = r"\s+".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def find_mentions(text: str, mentions: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of every whole-word match of any of the mention strings, in text order."""
    found = set()
    for mention in mentions:
        pattern = mention_pattern(mention)
        if pattern is not None:
            found.update(m.span() for m in pattern.finditer(text))
    return sorted(found)


def gold_char_spans(
    text: str, roles: dict[str, list[list[str]]], occurrences: Occurrences = "first"
) -> list[tuple[int, int, str]]:
    """(start, end, role label) of the projected fillers, before overlaps are resolved."""
    spans = []
    for label, key in ROLE_KEYS.items():
        for entity in roles.get(key, []):
            matches = find_mentions(text, entity)
            if not matches:
                continue
            if occurrences == "first":
                first = min(start for start, _ in matches)
                # the longest mention starting at the earliest match ("TANK TRUCK" over "TANK")
                matches = [max((m for m in matches if m[0] == first), key=lambda m: m[1])]
            spans.extend((start, end, label) for start, end in matches)
    return spans


def project(doc: Doc, char_spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO tags on the Doc's tokens; longer spans first, a token keeps its first tag, edges snap to tokens."""
    tags = ["O"] * len(doc)
    ordered = sorted(char_spans, key=lambda s: (-(s[1] - s[0]), s[0]))
    for start, end, label in ordered:
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is None or len(span) == 0:
            continue
        if any(tags[i] != "O" for i in range(span.start, span.end)):
            continue
        for i in range(span.start, span.end):
            tags[i] = ("B-" if i == span.start else "I-") + label
    return tags


def role_document(doc: Doc, muc: Muc4Doc | None = None, occurrences: Occurrences = "first") -> RoleDocument:
    """A document's sentences and rows; with ``muc``, its gold tags too."""
    sentences = doc_sentences(doc)
    offsets = [(start, start + len(word)) for start, word in zip(token_offsets(doc), token_texts(doc))]
    if muc is None:
        return RoleDocument(doc._.doc_id or "", doc_text(doc), sentences, offsets)
    tags = project(doc, gold_char_spans(doc_text(doc), muc.roles, occurrences))
    gold_tags = [[tags[i] for i in s.tokens] for s in sentences]
    return RoleDocument(muc.id, doc_text(doc), sentences, offsets, gold_tags, muc.roles)


def rule_pipeline():
    """The rule pipeline (fast mode) whose annotations the tagger reads."""
    from vigil.nlp.pipeline import build_pipeline, components_for

    return build_pipeline(components_for("fast"))


def annotate(docs: Sequence[Muc4Doc], nlp=None) -> Iterator[tuple[Muc4Doc, Doc]]:
    """Run the rule pipeline over MUC-4 documents, one at a time (as the extractor does)."""
    from vigil.nlp.pipeline import Extractor

    extractor = Extractor(nlp or rule_pipeline())
    for muc in docs:
        yield muc, extractor.annotate(muc.text, doc_id=muc.id)


def role_documents(docs: Sequence[Muc4Doc], occurrences: Occurrences = "first", nlp=None) -> list[RoleDocument]:
    """Labelled tagger documents for MUC-4 documents."""
    return [role_document(doc, muc, occurrences) for muc, doc in annotate(docs, nlp)]

