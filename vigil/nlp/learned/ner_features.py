"""Per-token inputs of the learned entity tagger that come from the rule components.

The rule components ran before the tagger and left their mentions on the Doc: the
actor and place gazetteers (``actors``, ``places``), persons, dates, weapon lists and
the typed ``entities`` of ``vigil_entities`` (nationalities, money, document
references, ...). Each group becomes one BIO tag per token ("B-armed_group",
"I-country", "O"), and each token gets a casing class: the encoder is uncased, so
"Hamas" and "hamas" would look the same without it. The CRF reads these as features,
the encoder as small embeddings; both see the same values.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from vigil.nlp.extensions import read_spans, value_at

#: the rule groups read, in the order of the feature columns
GROUPS: tuple[str, ...] = ("entities", "actors", "places", "persons", "dates", "weapons")
#: the feature column of the casing class, after the groups
SHAPE = "shape"
COLUMNS: tuple[str, ...] = (*GROUPS, SHAPE)


def _detail(doc: Doc, group: str, span) -> str:
    """What a rule mention says beyond its extent: the type, actor kind or place precision."""
    if group == "entities":
        return span.label_
    if group == "actors":
        value = value_at(doc, group, span.start_char, span.end_char) or {}
        return str(value.get("kind") or "actor")
    if group == "places":
        value = value_at(doc, group, span.start_char, span.end_char) or {}
        location = value.get("location")
        precision = location.get("precision") if isinstance(location, dict) else getattr(location, "precision", None)
        return str(precision or "place")
    return group


def group_tags(doc: Doc, group: str) -> list[str]:
    """One BIO tag per token for the mentions of one rule group (``O`` where none)."""
    tags = ["O"] * len(doc)
    if group not in doc.spans:
        return tags
    for span in read_spans(doc, group):
        detail = _detail(doc, group, span)
        for i in range(span.start, span.end):
            if tags[i] == "O":
                tags[i] = ("B-" if i == span.start else "I-") + detail
    return tags


@lru_cache(maxsize=200_000)
def shape(word: str) -> str:
    """A casing class: lower, title, upper, digit, mixed, punct or other."""
    if word.isdigit():
        return "digit"
    if any(c.isdigit() for c in word):
        return "mixed"
    if word.islower():
        return "lower"
    if word.isupper():
        return "upper" if len(word) > 1 else "title"
    if word[:1].isupper():
        return "title"
    if not any(c.isalnum() for c in word):
        return "punct"
    return "other"


def token_features(doc: Doc, words: list[str] | None = None) -> list[tuple[str, ...]]:
    """Per token, one value per column of ``COLUMNS`` (``words``: the tokens' texts, if already at hand)."""
    columns = [group_tags(doc, group) for group in GROUPS]
    columns.append([shape(word) for word in (words if words is not None else [token.text for token in doc])])
    return list(zip(*columns))
