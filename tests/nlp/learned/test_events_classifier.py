"""The learned ACLED sub-event classifier: model round-trip, decision, relabelling and dropping events, training."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.nlp.learned.events_component import EXTRACTOR, LearnedEventTyper, load_model
from vigil.nlp.learned.events_data import load_sentences, split
from vigil.nlp.learned.events_features import features, vocabulary
from vigil.nlp.learned.events_model import EventTypeModel, TrainSettings
from vigil.nlp.learned.events_train import all_labels, decide, pipeline_label
from vigil.nlp.pipeline import Extractor

LABELS = all_labels()


def _toy_model(threshold: float = 0.5) -> EventTypeModel:
    texts = [("An earthquake killed ten people in the valley.", "NONE"), ("A landslide killed ten villagers.", "NONE"),
             ("Floods killed ten people.", "NONE"), ("Gunmen attacked the checkpoint and killed two soldiers.", "Armed clash"),
             ("Militants attacked an army post, killing four soldiers.", "Armed clash"),
             ("Troops and rebels fought near the town; three soldiers died.", "Armed clash")]
    rows = [features(t, "Attack") for t, _ in texts]
    return EventTypeModel.fit(rows, [lab for _, lab in texts], vocabulary(rows, 1), LABELS, TrainSettings(epochs=200), threshold)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_model_round_trip_keeps_probabilities(tmp_path):
    model = _toy_model(0.4)
    path = tmp_path / "m.json.gz"
    model.save(path)
    again = EventTypeModel.load(path)
    rows = [features("Gunmen attacked soldiers at the post.", "Attack")]
    assert again.threshold == 0.4 and again.labels == model.labels
    assert np.allclose(again.proba(rows), model.proba(rows), atol=1e-3)


def test_a_damaged_model_file_is_a_clear_error(tmp_path):
    from vigil.errors import DataFileError

    path = tmp_path / "m.json.gz"
    path.write_bytes(b"not gzip")
    with pytest.raises(DataFileError, match="vigil train events"):
        EventTypeModel.load(path)


def test_decide_keeps_the_rule_type_when_unsure():
    probs = np.zeros(len(LABELS))
    probs[LABELS.index("Armed clash")] = 0.3
    assert decide("Attack", probs, LABELS, 0.5) == "Attack"
    assert decide("Attack", probs, LABELS, 0.25) == "Armed clash"
    assert decide(None, probs, LABELS, 0.5) == "NONE"


def test_dropping_an_event_has_its_own_threshold():
    probs = np.zeros(len(LABELS))
    probs[LABELS.index("NONE")] = 0.55
    assert decide("Attack", probs, LABELS, 0.5, drop_threshold=0.6) == "Attack"
    assert decide("Attack", probs, LABELS, 0.5, drop_threshold=0.5) == "NONE"
    model = _toy_model(0.5)
    model.drop_threshold = 1.01  # never drop: the rule event stays
    assert pipeline_label("Attack", probs, model) == "Attack" and pipeline_label(None, probs, model) == "NONE"


def test_a_model_with_sentence_vectors_round_trips_and_needs_them(tmp_path):
    rows = [features(t, None) for t in ("A bomb exploded.", "The team won.", "Troops fought rebels.")]
    dense = np.eye(3, 4, dtype=np.float32)
    model = EventTypeModel.fit(rows, ["Remote explosive/landmine/IED", "NONE", "Armed clash"], vocabulary(rows, 1), LABELS,
                               TrainSettings(epochs=50, dense_scale=2.0), dense=dense)
    model.drop_threshold = 0.7
    path = tmp_path / "m.json.gz"
    model.save(path)
    again = EventTypeModel.load(path)
    assert (again.dense_dim, again.dense_scale, again.drop_threshold) == (4, 2.0, 0.7)
    assert np.allclose(again.proba(rows, dense), model.proba(rows, dense), atol=1e-3)
    with pytest.raises(ValueError, match="4-wide sentence vector"):
        again.proba(rows)


def test_the_component_relabels_and_drops_rule_events(extractor):
    typer = LearnedEventTyper(_toy_model(0.5))
    violent = extractor.annotate("On Monday gunmen attacked a checkpoint in Kandahar and killed two soldiers.", dt.date(2008, 5, 1))
    assert violent._.events, "the rules should find the attack"
    typer(violent)
    assert [e.type for e in violent._.events] == ["Armed clash"]
    assert violent._.events[0].event_type == "Battles" and violent._.events[0].extractor == EXTRACTOR
    quake = extractor.annotate("On Monday an earthquake killed ten people in Kandahar, officials said.", dt.date(2008, 5, 1))
    rule_events = len(quake._.events)
    typer(quake)
    assert rule_events >= 0 and quake._.events == []


def test_the_shipped_model_adds_no_events_to_no_violence_texts(extractor):
    """Held-back no-violence texts: the learned step only removes events, and (with the ml extra) removes some."""
    typer = LearnedEventTyper(load_model())
    texts: dict[str, list[str]] = {}
    for s in split(load_sentences(), "test"):
        if s.no_violence:
            texts.setdefault(s.article, []).append(s.text)
    before = after = 0
    for parts in texts.values():
        doc = extractor.annotate(" ".join(parts), dt.date(2008, 6, 1))
        before += len(doc._.events)
        after += len(typer(doc)._.events)
    assert before > 0 and after <= before
    if typer.typer.embedder is not None:  # the shipped model (the lexical fall-back removes fewer)
        assert after < before


def test_train_command_on_a_small_slice(tmp_path):
    out = tmp_path / "events_model.json.gz"
    result = CliRunner().invoke(app, ["train", "events", "--limit", "120", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "Held-back split" in result.output and "events-pipeline" in result.output and "CV weighted F1" in result.output
    assert (tmp_path / "events_model_card.md").is_file()
    model = EventTypeModel.load(out)
    assert model.meta["train_sentences"] == 120 and 0.3 <= model.threshold <= 1.01 and 0.3 <= model.drop_threshold <= 1.01
    fallback = EventTypeModel.load(tmp_path / "events_model_lexical.json.gz")
    assert fallback.dense_dim == 0 and fallback.labels == model.labels
