"""run_eval on a tiny development directory with a canned extractor."""

from __future__ import annotations

import json

import pytest

from vigil.evaluation.report import EvalReport, run_eval
from vigil.model.records import ActorRef, Event, Extraction

MUC = {
    "D1": {"doc": "GUERRILLAS ATTACKED THE FARM.", "roles": {
        "perp_individual_id": [["GUERRILLAS"]], "perp_organization_id": [], "phys_tgt_id": [["FARM"]],
        "hum_tgt_name": [], "incident_instrument_id": []}},
}
WIKI = {
    "doc_id": "W1",
    "tokens": ["Rebels", "attacked", "."],
    "text": "Rebels attacked.",
    "sentences": [[[["Rebels", 0, 6], ["attacked", 7, 15], [".", 15, 16]], "Rebels attacked."]],
    "entity_mentions": [{"id": "T1", "sent_idx": 0, "start": 0, "end": 1, "entity_type": "PER", "mention_type": "UNK", "text": "Rebels"}],
    "relation_mentions": [],
    "event_mentions": [{"id": "E1", "event_type": "Conflict.Attack.Unspecified",
                        "trigger": {"start": 1, "end": 2, "text": "attacked", "sent_idx": 0},
                        "arguments": [{"entity_id": "T1", "role": "Attacker", "text": "Rebels"}]}],
}


class CannedExtractor:
    """Finds the first word as perpetrator of an armed clash spanning the text."""

    def extract_many(self, documents):
        for d in documents:
            word = d.text.split()[0]
            yield Extraction(id=d.id, events=[Event(
                type="Armed clash", event_type="Battles", start=0, end=len(d.text), sentence=d.text,
                perpetrators=[ActorRef(start=0, end=len(word), text=word)])])


@pytest.fixture
def dev_dir(tmp_path):
    (tmp_path / "muc4-dev.json").write_text(json.dumps(MUC))
    (tmp_path / "wikievents-dev.jsonl").write_text(json.dumps(WIKI) + "\n")
    return tmp_path


def test_run_eval_combines_tasks(dev_dir):
    report = run_eval(["muc4", "wikievents", "re3d"], dev_dir, CannedExtractor())
    assert isinstance(report, EvalReport)
    assert "re3d" in report.skipped and "not found" in report.skipped["re3d"]
    rows = {(r.task, r.type): (r.tp, r.fp, r.fn) for r in report.rows}
    assert rows[("muc4", "PerpInd")] == (1, 0, 0)
    assert rows[("muc4", "Target")] == (0, 0, 1)
    assert rows[("muc4", "micro")] == (1, 0, 1)
    assert ("muc4", "Weapon") not in rows  # no gold and no prediction: not shown
    assert rows[("wikievents-event", "Conflict.Attack")] == (1, 0, 0)
    assert rows[("wikievents-arg", "Attacker")] == (1, 0, 0)
    assert rows[("wikievents-arg", "micro")] == (1, 0, 0)

    md = report.to_markdown()
    assert md.splitlines()[0] == "| task | type | precision | recall | F1 | support |"
    assert "| muc4 | **micro** | 1.000 | 0.500 | **0.667** | 2 |" in md
    assert "re3d | skipped" in md
    data = json.loads(report.to_json())
    assert {"rows", "skipped", "files", "seconds"} <= set(data)
    assert data["rows"][0]["task"] == "muc4"

    from rich.console import Console

    console = Console(record=True, width=120)
    console.print(report.to_rich())
    assert "PerpInd" in console.export_text()


def test_unknown_task_is_rejected(dev_dir):
    with pytest.raises(ValueError, match="unknown evaluation task"):
        run_eval(["ace05"], dev_dir, CannedExtractor())


def test_re3d_rows_get_micro_and_macro(monkeypatch, tmp_path):
    from vigil.evaluation import report as report_module
    from vigil.evaluation.scoring import Score

    (tmp_path / "re3d-dev.conll").write_text("")
    fake = [Score("re3d", "Person", tp=1, fp=1, fn=0), Score("re3d", "Weapon", tp=0, fp=0, fn=2), Score("re3d", "Money")]
    monkeypatch.setitem(report_module.RUNNERS, "re3d", lambda path, extractor, limit: fake)
    rows = {r.type: r for r in run_eval(["re3d"], tmp_path, None).rows}
    assert set(rows) == {"Person", "Weapon", "micro", "macro"}  # Money: no support, no prediction
    assert (rows["micro"].tp, rows["micro"].fp, rows["micro"].fn) == (1, 1, 2)
    assert rows["macro"].f1 == pytest.approx((2 / 3 + 0.0) / 2)
    assert rows["macro"].tp is None
