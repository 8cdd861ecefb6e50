"""Turn an annotated spaCy Doc into an ``Extraction`` record (the only place that does)."""

from __future__ import annotations

from pydantic import TypeAdapter
from spacy.tokens import Doc, Span

from vigil.model.records import EntityMention, Extraction, WeaponMention
from vigil.nlp.extensions import read_spans, value_at
from vigil.nlp.values.text import doc_text

# A news report has about a hundred entity mentions. Validating them as one list of
# dicts runs in pydantic's compiled core and costs about half as much as building
# each record with its own constructor call; the records are the same.
_ENTITY_LIST = TypeAdapter(list[EntityMention])
_WEAPON_LIST = TypeAdapter(list[WeaponMention])


def _entity_row(span: Span, text: str, value: dict) -> dict:
    start, end = span.start_char, span.end_char
    return {
        "start": start,
        "end": end,
        "text": text[start:end],
        "type": span.label_,
        "actor": value.get("actor"),
        "geo": value.get("geo"),  # a Location, or a dict validated into one
        "extractor": value.get("extractor", "rules"),
    }


def _weapon_row(span: Span, text: str, value: dict) -> dict:
    start, end = span.start_char, span.end_char
    return {
        "start": start,
        "end": end,
        "text": text[start:end],
        "weapon_class": value.get("weapon_class"),
        "calibre": value.get("calibre"),
        "model": value.get("model"),
        "origin": value.get("origin"),
    }


def doc_to_extraction(doc: Doc, doc_id: str | None) -> Extraction:
    """Collect what the components found into the contract record."""
    text = doc_text(doc)
    entities = [
        _entity_row(span, text, value_at(doc, "entities", span.start_char, span.end_char) or {})
        for span in read_spans(doc, "entities")
    ]
    entities.sort(key=_entity_order)
    weapons = [
        _weapon_row(span, text, value_at(doc, "weapons", span.start_char, span.end_char) or {})
        for span in read_spans(doc, "weapons")
    ]
    return Extraction(
        id=doc_id or "",
        entities=_ENTITY_LIST.validate_python(entities),
        events=list(doc._.events),
        relations=list(doc._.relations),
        claims=list(doc._.claims),
        weapons=_WEAPON_LIST.validate_python(weapons),
    )


def _entity_order(row: dict) -> tuple[int, int]:
    return row["start"], -row["end"]
