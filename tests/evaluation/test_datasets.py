"""Dataset location and the loaders on the real development files (skipped when absent)."""

from __future__ import annotations

import pytest

from vigil.evaluation.datasets import MUC4_ROLES, find_dev_dir, load_muc4, load_wikievents

DEV = find_dev_dir()
needs_dev = pytest.mark.skipif(DEV is None, reason="development data (shared/data/dev or $VIGIL_DEV_DATA) not available")


def test_env_variable_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("VIGIL_DEV_DATA", str(tmp_path))
    assert find_dev_dir() == tmp_path.resolve()


def test_cwd_fallback(monkeypatch, tmp_path):
    monkeypatch.delenv("VIGIL_DEV_DATA", raising=False)
    dev = tmp_path / "shared" / "data" / "dev"
    dev.mkdir(parents=True)
    monkeypatch.setattr("vigil.evaluation.datasets.REPO_ROOT", tmp_path / "nowhere" / "repo")
    assert find_dev_dir(cwd=tmp_path / "work") == dev.resolve()
    assert find_dev_dir(cwd=tmp_path / "elsewhere" / "deeper") is None


@needs_dev
def test_muc4_dev():
    docs = load_muc4(DEV / "muc4-dev.json")
    assert len(docs) == 200
    assert all(set(d.roles) == set(MUC4_ROLES) for d in docs)
    assert sum(len(d.roles["perp_individual_id"]) for d in docs) == 108
    assert all(d.text.isupper() or not any(c.isalpha() for c in d.text) for d in docs[:20])


@needs_dev
def test_wikievents_dev_offsets_are_exact():
    import json

    docs = load_wikievents(DEV / "wikievents-dev.jsonl")
    raw = [json.loads(line) for line in (DEV / "wikievents-dev.jsonl").open(encoding="utf-8")]
    assert len(docs) == 20
    for doc, record in zip(docs, raw):
        assert [e.trigger_text for e in doc.events] == [e["trigger"]["text"] for e in record["event_mentions"]]
        for m in record["entity_mentions"]:
            mine = doc.mentions[m["id"]]
            assert doc.text[mine.start : mine.end].replace(" ", "") == m["text"].replace(" ", "")
            assert mine.start <= mine.head[0] < mine.head[1] <= mine.end
        assert all("\n" not in doc.text[s:e] for s, e in doc.sentences)
    attacks = sum(e.event_type.startswith("Conflict.Attack") for d in docs for e in d.events)
    assert attacks == 102
