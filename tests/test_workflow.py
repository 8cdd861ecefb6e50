"""The library operations behind the CLI: ingest continues past failures and leaves nothing half-written."""

from __future__ import annotations

import json

from vigil.settings import Settings
from vigil.store.repository import count_documents, get_document
from vigil.workflow import ingest, open_ready_store, sample_paths


def test_a_failed_save_is_reported_and_the_batch_goes_on(tmp_path, extractor):
    batch = tmp_path / "batch.jsonl"
    lines = [
        {"id": "kabul-1", "text": "A car bomb killed six people in Kabul on Monday.", "published": "2007-06-18"},
        # same id, different content: the store refuses it, in its own transaction
        {"id": "kabul-1", "text": "Gunmen attacked a police post in Khost, killing two.", "published": "2007-06-19"},
        {"id": "quetta-1", "text": "A grenade attack wounded five in Quetta on Friday.", "published": "2007-06-22"},
    ]
    batch.write_text("\n".join(json.dumps(line) for line in lines) + "\n", "utf-8")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'store.sqlite'}")
    store = open_ready_store(settings)
    seen = []
    outcome = ingest([batch], settings, store=store, extractor=extractor, progress=lambda item, status: seen.append(status))

    assert outcome.created == ["kabul-1", "quetta-1"]
    assert len(outcome.errors) == 1 and "kabul-1" in outcome.errors[0].message
    assert seen == ["created", "error", "created"] or sorted(seen) == ["created", "created", "error"]
    assert count_documents(store) == 2
    stored = get_document(store, "kabul-1")
    assert "Kabul" in stored.document.text and stored.extraction.events, "the first version and its facts are intact"

    again = ingest([batch], settings, store=store, extractor=extractor)
    assert again.created == [] and len(again.duplicates) == 2


def test_samples_are_bundled():
    names = {p.name for p in sample_paths()}
    assert names == {"vigil-examples.jsonl", "wikinews-pakistan-afghanistan.jsonl"}
