"""The extractor's run-time settings: the tokenizer cache, the collector, one document or a stream."""

from __future__ import annotations

import datetime as dt
import gc

import pytest

from vigil.model.records import Document
from vigil.nlp.pipeline import TOKENIZER_CACHE_SIZE, streaming_collector

REPORTS = [
    "Gunmen attacked a police checkpoint in Peshawar on Sunday, killing three officers. "
    "Tehrik-e-Taliban Pakistan claimed responsibility, a spokesman said.",
    "THE ARMY DENIED TODAY THAT GUERRILLAS ATTACKED THE FARM.\n\nMr. Khan was not hurt.",
    "Nothing happened.",
]


def test_the_tokenizer_remembers_more_than_the_gazetteer_phrases(extractor):
    # building the pipeline tokenises thousands of gazetteer phrases with the same tokenizer
    assert extractor.nlp.tokenizer.max_cache_size == TOKENIZER_CACHE_SIZE > 10_000


def test_streaming_collector_sets_and_restores_the_threshold():
    before = gc.get_threshold()
    with streaming_collector(12_345):
        assert gc.get_threshold() == (12_345, *before[1:])
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), streaming_collector():
        raise RuntimeError("the old setting comes back on errors too")
    assert gc.get_threshold() == before


def test_a_stream_gives_what_one_document_at_a_time_gives(extractor):
    documents = [Document.from_text(text, published=dt.date(2023, 7, 31)) for text in REPORTS]
    one_by_one = [extractor.extract(document).to_contract_json() for document in documents]
    with streaming_collector():
        streamed = [extraction.to_contract_json() for extraction in extractor.extract_many(documents)]
    assert streamed == one_by_one
    assert '"events":[{' in one_by_one[0]
