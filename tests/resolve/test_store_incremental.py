"""Incremental fusion reads only the new reports' neighbourhood; stored embeddings are not encoded again.

Built from hand-made records (no extraction), so the stores can be larger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

import numpy as np
import pytest

from vigil.model.records import ActorRef, Bounds, Document, Event, Extraction, Location
from vigil.resolve.candidates import CandidateIndex
from vigil.resolve.features import country_of
from vigil.settings import Settings
from vigil.store.database import open_store
from vigil.store.fusion import StoredFusion
from vigil.store.fusion_reads import page_fused_events
from vigil.store.repository import save_document
from vigil.store.tables import EventRow, FusionVectorRow

START = dt.date(2022, 1, 3)
PLACES = [("Peshawar", "Khyber Pakhtunkhwa"), ("Quetta", "Balochistan"), ("Lahore", "Punjab"), ("Karachi", "Sindh")]


def report(n: int, day: dt.date, place: int, killed: int, doc: str | None = None) -> tuple[Document, Extraction]:
    """A one-event report of an IED blast; reports with the same ``place`` and ``day`` describe one blast."""
    name, province = PLACES[place]
    text = f"A roadside bomb exploded in {name} on {day:%d %B %Y}, killing {killed} people, police said. Report {n}."
    document = Document.from_text(text, id=doc or f"report-{n}", published=day + dt.timedelta(days=1))
    event = Event(
        type="Remote explosive/landmine/IED", event_type="Explosions/Remote violence", start=0, end=text.index(" Report"),
        sentence=text[: text.index(" Report")], date=day.isoformat(), date_precision="day", date_text=f"{day:%d %B %Y}",
        location=Location(name=name, admin1=province, country="PK", precision="place"),
        perpetrators=[ActorRef(start=0, end=0, text="militants")], fatalities=Bounds(min=killed, max=killed, text=str(killed)),
    )
    return document, Extraction(id=document.id, events=[event])


def fill(store, days: int, *, every: int = 3) -> list[str]:  # noqa: ANN001
    """One report every ``every`` days over ``days`` days, two reports of each blast."""
    ids = []
    for n, offset in enumerate(range(0, days, every)):
        day = START + dt.timedelta(days=offset)
        for copy in range(2):
            document, extraction = report(2 * n + copy, day, n % len(PLACES), 10 + n % 7 + copy)
            save_document(store, document, extraction)
            ids.append(document.id)
    return ids


@pytest.fixture
def sqlite_store(tmp_path):
    store = open_store(Settings(database_url=f"sqlite:///{tmp_path / 'incremental.sqlite'}"))
    yield store
    store.close()


def test_adding_a_report_reads_only_its_neighbourhood(sqlite_store):
    fusion = StoredFusion(sqlite_store)
    first = fusion.add_documents(fill(sqlite_store, 600))
    assert first.events == 400 and len(first.created) == 200, "two reports of each blast make one event"
    document, extraction = report(9999, START + dt.timedelta(days=300), 0, 11, doc="late-report")
    save_document(sqlite_store, document, extraction)
    added = fusion.add_documents([document.id])
    assert added.events == 1
    # its candidates' date window (10 days each side, a month before for coarser dates, a week after for
    # undated reports: 58 days) holds 38 of the 400 reports
    assert 0 < added.loaded <= 45
    assert page_fused_events(sqlite_store).total == 200, "it joins the two reports of its blast"


def test_fusing_in_batches_equals_fusing_at_once(sqlite_store, tmp_path):
    ids = fill(sqlite_store, 120)
    fusion = StoredFusion(sqlite_store)
    for n in range(0, len(ids), 7):
        fusion.add_documents(ids[n:n + 7])
    batched = sorted((i.fused.id, tuple(i.event_ids)) for i in page_fused_events(sqlite_store, None).items)
    fusion.rebuild()
    assert sorted((i.fused.id, tuple(i.event_ids)) for i in page_fused_events(sqlite_store, None).items) == batched


class CountingEncoder:
    """A stand-in for sentence embeddings: hashed word counts, normalised; counts what it encodes."""

    kind = "embedding"
    method = "test-hashing-encoder"

    def __init__(self) -> None:
        self.encoded = 0

    def encode(self, texts: list[str]) -> list:
        self.encoded += len(texts)
        vectors = []
        for text in texts:
            vector = np.zeros(64, dtype=np.float32)
            for word in text.lower().split():
                vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1
            vectors.append(vector / np.linalg.norm(vector))
        return vectors

    @staticmethod
    def similarity(u, v) -> float:  # noqa: ANN001
        return float(np.dot(u, v))


def test_embeddings_are_stored_and_read_back_instead_of_encoded_again(sqlite_store):
    ids = fill(sqlite_store, 60)
    encoder = CountingEncoder()
    StoredFusion(sqlite_store, encoder).add_documents(ids)
    assert encoder.encoded == len(ids)
    with sqlite_store.session() as session:
        stored = session.query(FusionVectorRow).all()
        assert len(stored) == len(ids) and {row.method for row in stored} == {CountingEncoder.method}
    again = CountingEncoder()
    StoredFusion(sqlite_store, again).rebuild()
    assert again.encoded == 0


def test_two_events_on_one_span_of_a_document_get_distinct_keys(sqlite_store):
    document, extraction = report(1, START, 0, 12)
    twin = extraction.events[0].model_copy(update={"type": "Grenade", "fatalities": Bounds(min=2, max=2, text="2")})
    save_document(sqlite_store, document, extraction.model_copy(update={"events": [extraction.events[0], twin]}))
    StoredFusion(sqlite_store).add_documents([document.id])
    keys = sorted(s.mention_id for i in page_fused_events(sqlite_store).items for s in i.fused.sources)
    assert len(keys) == 2 and len(set(keys)) == 2 and keys[1] == f"{keys[0]}.1"


def test_the_candidate_query_finds_every_report_the_date_window_allows(sqlite_store):
    """Whatever the precision of a stored date (day, week, month, year, or none: the report's date) and
    its country (or none), the indexed query returns every stored report that the date window and the
    country rule let blocking compare a new one with."""
    rng = random.Random(5)
    precisions = ["day", "week", "month", "year", None]
    for n in range(160):
        day = START + dt.timedelta(days=rng.randrange(700))
        document, extraction = report(n, day, rng.randrange(len(PLACES)), 5)
        precision = precisions[n % len(precisions)]
        date = {"day": day.isoformat(), "week": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year),
                None: document.published.isoformat()}[precision]
        place = extraction.events[0].location.model_copy(update={"country": ("PK", "AF", None)[n % 3]})
        event = extraction.events[0].model_copy(update={"date": date, "date_precision": precision or "day", "location": place,
                                                        "date_text": None if precision is None else "stated"})
        save_document(sqlite_store, document, extraction.model_copy(update={"events": [event]}))
    fusion = StoredFusion(sqlite_store)
    fusion.rebuild()
    with sqlite_store.session() as session:
        workspace = fusion._workspace(session)
        stored = workspace.load(EventRow.id.is_not(None))
        index = CandidateIndex(workspace.fusion.linker.comparer)
        for mention in stored:
            index.add(mention)
        mentions = {m.id: m for m in stored}
        for probe in stored[::5]:
            allowed = {workspace.event_of[m] for m in index.within_window(probe)
                       if None in (country_of(probe), country_of(mentions[m])) or country_of(probe) == country_of(mentions[m])}
            found = workspace.candidate_ids(probe)
            assert allowed <= found, probe.event.date
            if country_of(probe):
                assert all(country_of(mentions[workspace.mention_of[e]]) in (None, country_of(probe)) for e in found)
