"""The learned ACLED sub-event classifier: model round-trip, relabelling and dropping events, training."""

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
from vigil.nlp.learned.events_train import all_labels, decide
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
    """Held-back no-violence texts: the learned step only removes events, and removes some."""
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
    assert before > 0 and after < before


def test_train_command_on_a_small_slice(tmp_path):
    out = tmp_path / "events_model.json.gz"
    result = CliRunner().invoke(app, ["train", "events", "--limit", "120", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "Held-back split" in result.output and "events-pipeline" in result.output
    assert (tmp_path / "events_model_card.md").is_file()
    model = EventTypeModel.load(out)
    assert model.meta["train_sentences"] == 120 and 0.2 <= model.threshold <= 0.95
