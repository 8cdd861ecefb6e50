"""``vigil_learned_entities`` in the pipeline: valid spans, links kept, one model per process."""

from __future__ import annotations

import importlib.util

import pytest

from vigil.model.records import ENTITY_TYPES, Document
from vigil.nlp.learned import ner_model
from vigil.nlp.learned.ner_bio import is_valid, tags_from_spans
from vigil.nlp.pipeline import LEARNED_COMPONENTS, Extractor, build_pipeline, components_for

TEXT = (
    "The Taliban attacked a checkpoint in Kandahar on Monday, killing four Afghan soldiers, "
    "said ministry spokesman Zabihullah Mujahid.\n\nAl-Shabaab fighters used AK-47 rifles and "
    "two technicals near Mogadishu, according to UN Security Council Resolution 2036."
)

needs_crf = pytest.mark.skipif(
    importlib.util.find_spec("pycrfsuite") is None or not (ner_model.MODEL_DIR / ner_model.FILES["crf"]).is_file(),
    reason="the CRF tagger needs python-crfsuite (ml extra) and the shipped crf.crfsuite",
)


@pytest.fixture(scope="module")
def learned() -> Extractor:
    extractor = Extractor(build_pipeline(LEARNED_COMPONENTS, config={"vigil_learned_entities": {"tagger": "crf"}}))
    extractor.nlp  # noqa: B018
    return extractor


def test_modes_name_their_components():
    assert "vigil_learned_entities" not in components_for("fast")
    learned = components_for("learned")
    assert learned.index("vigil_learned_entities") == learned.index("vigil_entities") + 1
    with pytest.raises(ValueError, match="turbo"):
        components_for("turbo")


@needs_crf
def test_component_writes_valid_entity_spans(learned):
    doc = learned.annotate(TEXT)
    spans = list(doc.spans["entities"])
    assert spans, "no entities found"
    for a, b in zip(spans, spans[1:]):
        assert a.end <= b.start, (a, b)  # in order, never overlapping
    assert is_valid(tags_from_spans([(s.start, s.end, s.label_) for s in spans], len(doc)))
    assert all(s.label_ in ENTITY_TYPES for s in spans)
    assert not any(doc[i].is_space for s in spans for i in (s.start, s.end - 1))
    extraction = learned.extract(Document.from_text(TEXT))
    for entity in extraction.entities:
        assert TEXT[entity.start : entity.end] == entity.text
        assert entity.extractor in ("rules", "learned")
    by_text = {e.text: e for e in extraction.entities}
    # the rule components still link the gazetteer's actors and places
    assert any(e.actor == "taliban" for e in extraction.entities), by_text
    assert any(e.geo is not None and e.type == "Location" for e in extraction.entities), by_text


@needs_crf
def test_pronouns_follow_the_setting():
    text = "He said they would return. The group denied it."
    def found(pronouns: bool) -> set[str]:
        config = {"vigil_entities": {"pronouns": pronouns}, "vigil_learned_entities": {"tagger": "crf", "pronouns": pronouns}}
        extractor = Extractor(build_pipeline(LEARNED_COMPONENTS, config=config))
        return {e.text.lower() for e in extractor.extract(Document.from_text(text)).entities}

    assert "he" in found(True)  # re3d's convention
    assert not found(False) & {"he", "they"}


@needs_crf
def test_model_loads_once_per_process(learned):
    learned.annotate(TEXT)
    loaded = ner_model.loads()
    other = Extractor(build_pipeline(LEARNED_COMPONENTS, config={"vigil_learned_entities": {"tagger": "crf"}}))
    other.annotate(TEXT)
    assert ner_model.loads() == loaded
    first = learned.nlp.get_pipe("vigil_learned_entities").tagger
    assert other.nlp.get_pipe("vigil_learned_entities").tagger is first


def test_missing_model_is_a_clear_error(tmp_path):
    from vigil.errors import VigilError

    with pytest.raises(VigilError, match="vigil train ner"):
        ner_model.load_tagger("crf", tmp_path)
    reason = ner_model.learned_unavailable(tmp_path)  # the default mode's note: no model, or no ml extra
    assert reason and ("vigil train ner" in reason or "ml extra" in reason)


def test_unknown_tagger_is_named():
    from vigil.errors import VigilError

    with pytest.raises(VigilError, match="bert"):
        ner_model.resolve_kind("bert")


@needs_crf
def test_rule_types_reach_the_decision_layer():
    from vigil.nlp.learned.ner_decide import RULE_TYPES

    default = Extractor(build_pipeline(LEARNED_COMPONENTS, config={"vigil_learned_entities": {"tagger": "crf"}}))
    assert default.nlp.get_pipe("vigil_learned_entities").rule_types == frozenset(RULE_TYPES)
    chosen = Extractor(build_pipeline(LEARNED_COMPONENTS, config={"vigil_learned_entities": {"tagger": "crf", "rule_types": ["Weapon"]}}))
    assert chosen.nlp.get_pipe("vigil_learned_entities").rule_types == {"Weapon"}
    weapons = [e for e in chosen.extract(Document.from_text(TEXT)).entities if e.type == "Weapon"]
    assert weapons and all(e.extractor == "rules" for e in weapons)
