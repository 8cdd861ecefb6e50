"""``vigil_events_learned`` in the learned pipeline: placed after the rules' events, the acceptance case kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vigil.model.records import Document
from vigil.nlp.pipeline import COMPONENTS, LEARNED_COMPONENTS, Extractor, build_pipeline

COMMENTARY = Path(__file__).parents[2] / "acceptance" / "commentary_2023_08_28.txt"


def test_the_learned_mode_types_events_right_after_the_rules():
    i = LEARNED_COMPONENTS.index("vigil_events")
    assert LEARNED_COMPONENTS[i + 1] == "vigil_events_learned"
    assert "vigil_events_learned" not in COMPONENTS
    assert [c for c in LEARNED_COMPONENTS if c not in ("vigil_events_learned", "vigil_learned_entities")] == list(COMPONENTS)


@pytest.fixture(scope="module")
def learned() -> Extractor:
    pytest.importorskip("pycrfsuite")
    from vigil.nlp.learned.ner_model import learned_unavailable

    if learned_unavailable():
        pytest.skip(learned_unavailable())
    return Extractor(build_pipeline(LEARNED_COMPONENTS, {"vigil_learned_entities": {"tagger": "crf"}}))


def test_the_acceptance_case_keeps_its_suicide_bombing(learned):
    text = COMMENTARY.read_text("utf-8")
    extraction = learned.extract(Document.from_text(text, id="commentary", published=dt.date(2023, 8, 28)))
    bombs = [e for e in extraction.events if e.location and e.location.country == "PK" and e.event_type == "Explosions/Remote violence"]
    assert [e.type for e in bombs] == ["Suicide bomb"]
    assert all(e.extractor == "rules+events-lr-v2" for e in extraction.events)


def test_the_learned_mode_drops_the_rules_event_of_an_accident(learned, extractor):
    text = "A gas cylinder exploded at a wedding hall in Multan on Sunday, killing seven guests and injuring 20, police said."
    assert extractor.annotate(text, dt.date(2008, 10, 29))._.events, "the rules take the blast for an attack"
    assert learned.annotate(text, dt.date(2008, 10, 29))._.events == []
