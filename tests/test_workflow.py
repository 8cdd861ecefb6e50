"""The library operations behind the CLI: ingest continues past failures and leaves nothing half-written."""

from __future__ import annotations

import json

from vigil.settings import Settings
from vigil.store.actor_proposals import accept_proposal, list_actor_proposals
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


NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
BLF = "Balochistan Liberation Front"


def _reports(path, days):
    lines = [
        {"id": f"turbat-{day}", "published": f"2023-05-{day:02d}",
         "text": f"The {BLF} claimed the attack in Turbat that killed {NUMBERS[day]} soldiers on Monday."}
        for day in days
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return path


def test_ingest_links_new_mentions_of_a_name_an_analyst_accepted(tmp_path, extractor):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'store.sqlite'}")
    store = open_ready_store(settings)
    first = ingest([_reports(tmp_path / "first.jsonl", [1, 2, 3])], settings, store=store, extractor=extractor)
    assert first.relinked == 0 and first.errors == []
    [proposal] = [p for p in list_actor_proposals(store) if p.key == "balochistan liberation front"]
    decision = accept_proposal(store, proposal.id, name=BLF, author="ana")
    assert decision.relinked == 3, "accepting links what is stored"

    later = ingest([_reports(tmp_path / "later.jsonl", [4, 5])], settings, store=store, extractor=extractor)
    assert later.created == ["turbat-4", "turbat-5"] and later.errors == []
    assert later.relinked == 2, "the new reports' mentions are linked as they are stored"
    for document_id in later.created:
        named = [m.actor for m in get_document(store, document_id).extraction.entities if BLF in m.text]
        assert named == [decision.actor.id]
    assert all(p.key != proposal.key for p in list_actor_proposals(store, min_documents=1))
