"""The whole chain on the bundled example reports: extract, then fuse the July 2023 Bajaur bombing."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from vigil.ingest import iter_jsonl
from vigil.model.records import Document
from vigil.resolve.engine import EventFusion, mentions_of
from vigil.resolve.lexical import LexicalEncoder


def test_reports_of_the_bajaur_bombing_become_one_event(extractor):
    path = Path(str(resources.files("vigil").joinpath("samples", "vigil-examples.jsonl")))
    with path.open(encoding="utf-8") as handle:
        documents = [d for d in iter_jsonl(handle, where=str(path)) if isinstance(d, Document)]
    mentions = [m for d, x in zip(documents, extractor.extract_many(documents)) for m in mentions_of(d, x)]
    fusion = EventFusion(LexicalEncoder())
    fusion.add(mentions)
    by_document = {m.document_id: fusion.clusterer.cluster_of(m.id).id for m in mentions}
    bajaur = by_document["vigil-example-bajaur-2023-07-31"]
    assert by_document["vigil-example-commentary-2023-08-28"] == bajaur
    assert by_document["vigil-example-peshawar-2023-01-31"] != bajaur
    event = fusion.fused(bajaur)
    assert event.type == "Suicide bomb"
    assert event.location.admin1 == "Khyber Pakhtunkhwa"
    assert {a.actor for a in event.perpetrators} >= {"islamic-state", "islamic-state-khorasan-province"}
    assert event.fatalities.low <= 54 <= event.fatalities.high
    assert len(event.sources) >= 2
