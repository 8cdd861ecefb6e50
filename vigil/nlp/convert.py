"""Turn an annotated spaCy Doc into an ``Extraction`` record (the only place that does)."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from vigil.model.records import EntityMention, Extraction, Location
from vigil.nlp.extensions import get_value
from vigil.nlp.spans import Mention, text_of, weapon_record


def entity_from_span(span: Span) -> EntityMention:
    value = get_value(span, "entities") or {}
    geo = value.get("geo")
    return EntityMention(
        start=span.start_char,
        end=span.end_char,
        text=text_of(span),
        type=span.label_,
        actor=value.get("actor"),
        geo=Location.model_validate(geo) if isinstance(geo, dict) else geo,
        extractor=value.get("extractor", "rules"),
    )


def doc_to_extraction(doc: Doc, doc_id: str | None) -> Extraction:
    """Collect what the components found into the contract record."""
    entities = sorted(
        (entity_from_span(span) for span in doc.spans.get("entities", [])),
        key=lambda e: (e.start, -e.end),
    )
    weapons = [weapon_record(Mention("weapons", span, get_value(span, "weapons") or {})) for span in doc.spans.get("weapons", [])]
    return Extraction(
        id=doc_id or "",
        entities=entities,
        events=list(doc._.events),
        relations=list(doc._.relations),
        claims=list(doc._.claims),
        weapons=weapons,
    )
