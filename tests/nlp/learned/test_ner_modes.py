"""``--fast`` stays the rules of v1 and never touches the learned tagger, torch or transformers."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = r"""
import json, sys
if sys.argv[1] == "block":
    sys.modules["torch"] = None  # as on a machine without the ml extra: importing torch fails
from typer.testing import CliRunner
from vigil.cli.main import app
result = CliRunner().invoke(app, ["extract", "--fast", sys.argv[2]])
print(json.dumps({
    "exit": result.exit_code,
    "out": result.stdout,
    "learned": sorted(m for m in sys.modules if m.startswith("vigil.nlp.learned")),
    "transformers": "transformers" in sys.modules,
}))
"""


def _run(tmp_path, mode: str) -> dict:
    source = tmp_path / "report.txt"
    source.write_text("The Taliban attacked a checkpoint in Kandahar on Monday.", "utf-8")
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode, str(source)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_fast_mode_imports_nothing_learned(tmp_path):
    seen = _run(tmp_path, "plain")
    assert seen["exit"] == 0
    assert seen["learned"] == [] and not seen["transformers"]
    entities = json.loads(seen["out"])["entities"]
    assert {e["text"] for e in entities} >= {"The Taliban", "Kandahar"}
    assert all(e.get("extractor", "rules") == "rules" for e in entities)


def test_fast_mode_runs_where_torch_cannot_be_imported(tmp_path):
    seen = _run(tmp_path, "block")
    assert seen["exit"] == 0 and seen["learned"] == []
    assert json.loads(seen["out"])["id"] == "report.txt"
