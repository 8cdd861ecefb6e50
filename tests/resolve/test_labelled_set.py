"""The fusion benchmark's labelled set: reproducible from its templates, and its real labels still point at text."""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path

import pytest

SET = Path(__file__).resolve().parents[2] / "benchmarks" / "fusion"


def _builder():
    spec = importlib.util.spec_from_file_location("fusion_build_set", SET / "build_set.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.skipif(not SET.exists(), reason="benchmarks/ is not shipped with the package")
def test_the_committed_set_is_what_the_builder_writes():
    documents, labels = _builder().build()
    assert documents == _jsonl(SET / "reports.jsonl")
    assert labels == _jsonl(SET / "labels.jsonl")
    assert {label["split"] for label in labels} == {"train", "test"}


@pytest.mark.skipif(not SET.exists(), reason="benchmarks/ is not shipped with the package")
def test_real_labels_quote_the_sample_reports():
    texts = {}
    for name in ("wikinews-pakistan-afghanistan.jsonl", "vigil-examples.jsonl"):
        for row in _jsonl(Path(str(resources.files("vigil").joinpath("samples", name)))):
            texts[row["id"]] = row["text"]
    for row in _jsonl(SET / "real_labels.jsonl"):
        assert row["quote"] in texts[row["document"]], row
    incidents = [row["incident"] for row in _jsonl(SET / "real_labels.jsonl")]
    assert sum(incidents.count(i) > 1 for i in set(incidents)) >= 15  # incidents reported more than once
