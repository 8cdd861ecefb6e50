"""The Parquet dump: typed ACLED-like columns, nested actors and weapons, and every row traced to its sentence."""

from __future__ import annotations

import builtins
import sys
from itertools import islice

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from vigil.analysis.export_files import export  # noqa: E402
from vigil.analysis.exports import CLAIM_COLUMNS  # noqa: E402
from vigil.analysis.parquet import ParquetUnavailable, event_schema, fused_schema  # noqa: E402
from vigil.settings import Settings  # noqa: E402
from vigil.store.filters import EventFilter  # noqa: E402
from vigil.store.queries import list_events  # noqa: E402
from vigil.store.repository import get_document  # noqa: E402
from vigil.workflow import ingest, open_ready_store, sample_paths  # noqa: E402

WIKINEWS_REPORTS = 30  # with the six examples: events with weapons, fused events with several sources


@pytest.fixture(scope="module")
def store(tmp_path_factory, extractor):
    settings = Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('parquet') / 'vigil.sqlite'}")
    store = open_ready_store(settings)
    examples = {p.name: p for p in sample_paths()}
    wikinews = tmp_path_factory.mktemp("reports") / "wikinews.jsonl"
    with examples["wikinews-pakistan-afghanistan.jsonl"].open(encoding="utf-8") as lines:
        wikinews.write_text("".join(islice(lines, WIKINEWS_REPORTS)), encoding="utf-8")
    outcome = ingest([str(examples["vigil-examples.jsonl"]), str(wikinews)], settings, store=store, extractor=extractor)
    assert outcome.created and not outcome.errors
    yield store
    store.close()


def texts(store, rows, key: str = "source") -> dict[str, str]:  # noqa: ANN001
    ids = {row[key]["document_id"] for row in rows} if key == "source" else {s["document_id"] for r in rows for s in r[key]}
    return {document_id: get_document(store, document_id).document.text for document_id in ids}


def test_events_round_trip_with_their_schema_nested_columns_and_sources(store, tmp_path):
    path = tmp_path / "events.parquet"
    result = export(store, "events", "parquet", EventFilter(), path)
    table = pq.read_table(path)
    assert table.schema.equals(event_schema(), check_metadata=False)
    assert table.schema.metadata[b"vigil.what"] == b"events"
    assert table.num_rows == result.rows == len(list_events(store)) > 0
    assert table.schema.field("perpetrators").type == pa.list_(pa.struct([
        ("text", pa.string()), ("actor_id", pa.string()), ("kind", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
    ]))
    assert pa.types.is_struct(table.schema.field("source").type)
    assert table.schema.field("fatalities_min").type == pa.int64() and table.schema.field("date_start").type == pa.date32()
    rows = table.to_pylist()
    documents = texts(store, rows)
    for row in rows:
        source = row["source"]
        text = documents[source["document_id"]]
        assert text[source["start"] : source["end"]] == source["sentence"], row["event_id"]
        for actor in row["perpetrators"] + row["targets"] + row["victims_detail"]:
            assert text[actor["start"] : actor["end"]] == actor["text"]
        for weapon in row["weapons"]:
            assert text[weapon["start"] : weapon["end"]] == weapon["text"]
    bajaur = [r for r in rows if r["sub_event_type"] == "Suicide bomb" and r["fatalities_min"] and r["fatalities_min"] >= 40]
    assert bajaur and any(p["actor_id"] == "islamic-state" for r in bajaur for p in r["perpetrators"])
    assert any(r["weapons"] for r in rows), "weapons are nested with their words"
    stored = {d.id: d for d in (get_document(store, i).document for i in documents)}
    for row in rows:
        document = stored[row["source"]["document_id"]]
        assert (row["source"]["title"], row["source"]["publisher"], row["source"]["url"], row["source"]["published"]) == (
            document.title, document.publisher, document.url, document.published)
    assert any(row["source"]["url"] for row in rows), "the Wikinews reports have their links"


def test_the_filter_applies_to_the_dump(store, tmp_path):
    path = tmp_path / "pk.parquet"
    export(store, "events", "parquet", EventFilter(country="PK", sub_event_type="Suicide bomb"), path)
    rows = pq.read_table(path).to_pylist()
    assert rows and {(r["country"], r["sub_event_type"]) for r in rows} == {("PK", "Suicide bomb")}


def test_fused_events_list_every_source_with_its_sentence(store, tmp_path):
    path = tmp_path / "fused.parquet"
    export(store, "fused", "parquet", EventFilter(), path)
    table = pq.read_table(path)
    assert table.schema.equals(fused_schema(), check_metadata=False)
    rows = table.to_pylist()
    documents = texts(store, rows, "sources")
    several = [r for r in rows if r["n_sources"] > 1]
    assert several, "the Bajaur bombing is reported by several sample reports"
    for row in rows:
        assert len(row["sources"]) == row["n_sources"] == len(row["event_ids"])
        assert sorted(s["event_id"] for s in row["sources"]) == row["event_ids"]
        for source in row["sources"]:
            assert documents[source["document_id"]][source["start"] : source["end"]] == source["sentence"]


def test_other_facts_keep_their_csv_columns_typed(store, tmp_path):
    path = tmp_path / "claims.parquet"
    result = export(store, "claims", "parquet", EventFilter(), path)
    table = pq.read_table(path)
    assert table.column_names == CLAIM_COLUMNS and table.num_rows == result.rows > 0
    assert table.schema.field("claim_id").type == pa.int64() and table.schema.field("quote").type == pa.string()
    assert any("reduced to zero" in quote for quote in table.column("quote").to_pylist())


def test_pandas_reads_the_dump(store, tmp_path):
    pandas = pytest.importorskip("pandas")
    path = tmp_path / "events.parquet"
    export(store, "events", "parquet", EventFilter(), path)
    frame = pandas.read_parquet(path)
    assert len(frame) == len(list_events(store)) and "source" in frame.columns


def test_without_pyarrow_the_error_says_how_to_get_it(store, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "pyarrow", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(ParquetUnavailable, match=r"pip install 'vigil\[parquet\]'"):
        export(store, "events", "parquet", EventFilter(), tmp_path / "x.parquet")
