"""Several modes side by side: rows joined on (task, type), one F1 column per mode."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.evaluation.compare import compare, parse_modes
from vigil.evaluation.report import EvalReport, Row, run_eval
from vigil.model.records import Extraction

from tests.evaluation.test_report import MUC, CannedExtractor


class SilentExtractor:
    def extract_many(self, documents):
        for d in documents:
            yield Extraction(id=d.id)


def test_modes_are_joined_on_task_and_type(tmp_path):
    (tmp_path / "muc4-dev.json").write_text(json.dumps(MUC))
    joined = compare([("fast", run_eval(["muc4"], tmp_path, SilentExtractor())),
                      ("learned", run_eval(["muc4"], tmp_path, CannedExtractor()))])
    lines = {(task, type_): (support, [None if r is None else round(r.f1, 3) for r in rows])
             for task, type_, support, rows in joined.lines()}
    assert lines[("muc4", "PerpInd")] == (1, [0.0, 1.0])
    assert lines[("muc4", "micro")] == (2, [0.0, pytest.approx(0.667)])
    markdown = joined.to_markdown()
    assert markdown.splitlines()[0] == "| task | type | support | F1 fast | F1 learned |"
    assert "| muc4 | **micro** | 2 | **0.000** | **0.667** |" in markdown
    assert set(json.loads(joined.to_json())["modes"]) == {"fast", "learned"}


def test_a_row_one_mode_lacks_shows_a_dash():
    only_learned = EvalReport(rows=[Row("re3d", "Money", 1.0, 1.0, 1.0, 2)])
    joined = compare([("fast", EvalReport()), ("learned", only_learned)])
    assert "| re3d | Money | 2 | - | 1.000 |" in joined.to_markdown()


def test_mode_specs_are_checked():
    assert parse_modes("fast, learned,learned:ensemble,roles") == [("fast", "auto"), ("learned", "auto"), ("learned", "ensemble"), ("roles", "auto")]
    for bad in ("slow", "fast:crf", ","):
        with pytest.raises(ValueError):
            parse_modes(bad)


def test_the_cli_prints_one_table_for_the_modes(tmp_path):
    (tmp_path / "muc4-dev.json").write_text(json.dumps(MUC))
    result = CliRunner().invoke(app, ["eval", "--task", "muc4", "--dev-dir", str(tmp_path), "--compare", "fast,fast",
                                      "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "| task | type | support | F1 fast |" in result.output and "| muc4 | **micro** |" in result.output
    bad = CliRunner().invoke(app, ["eval", "--task", "muc4", "--dev-dir", str(tmp_path), "--compare", "quick"])
    assert bad.exit_code != 0 and "a mode is fast, learned" in bad.output
