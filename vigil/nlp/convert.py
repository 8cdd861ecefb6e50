"""Turn an annotated spaCy Doc into an ``Extraction`` record (the only place that does)."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from vigil.model.records import EntityMention, Extraction, Location, WeaponMention
from vigil.nlp.extensions import get_value


def entity_from_span(span: Span) -> EntityMention:
    value = get_value(span, "entities") or {}
    geo = value.get("geo")
    return EntityMention(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        type=span.label_,
        actor=value.get("actor"),
        geo=Location.model_validate(geo) if isinstance(geo, dict) else geo,
        extractor=value.get("extractor", "rules"),
    )


def weapon_from_span(span: Span) -> WeaponMention:
    value = get_value(span, "weapons") or {}
    return WeaponMention(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        weapon_class=value.get("weapon_class"),
        calibre=value.get("calibre"),
        model=value.get("model"),
        origin=value.get("origin"),
    )


def doc_to_extraction(doc: Doc, doc_id: str | None) -> Extraction:
    """Collect what the components found into the contract record."""
    entities = sorted(
        (entity_from_span(span) for span in doc.spans.get("entities", [])),
        key=lambda e: (e.start, -e.end),
    )
    weapons = [weapon_from_span(span) for span in doc.spans.get("weapons", [])]
    return Extraction(
        id=doc_id or "",
        entities=entities,
        events=list(doc._.events),
        relations=list(doc._.relations),
        claims=list(doc._.claims),
        weapons=weapons,
    )
