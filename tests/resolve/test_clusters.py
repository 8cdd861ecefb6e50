"""Incremental clustering: same result as a batch run, and analyst decisions always respected."""

from __future__ import annotations

import random

import pytest

from vigil.resolve.decisions import DecisionConflict, make_decision, split_decisions
from vigil.resolve.engine import EventFusion
from vigil.resolve.lexical import LexicalEncoder

from .conftest import BAJAUR, KHAR, PAKISTAN, PESHAWAR, QUETTA, actor, mention


def sample():
    """Four reports of the Bajaur bombing, two of the Peshawar mosque bombing, a Quetta blast the same day."""
    return [
        mention("wire-1", "A suicide bomber killed 43 people at a JUI-F convention in Bajaur on Sunday, officials said.",
                location=BAJAUR, perpetrators=[actor("Daesh", "islamic-state")], killed=(43, 43), published="2023-07-30"),
        mention("daily-2", "The toll from Sunday's suicide bombing of a JUI-F rally in Khar rose to 44, police said.",
                location=KHAR, perpetrators=[actor("IS-K", "islamic-state-khorasan-province")], killed=(44, 44)),
        mention("agency-3", "ISIL claimed the suicide attack on the JUI-F workers' convention in Bajaur that killed 46.",
                location=BAJAUR, perpetrators=[actor("ISIL", "islamic-state")], killed=(46, 46), published="2023-08-01"),
        mention("weekly-4", "The Islamic State bombing of a JUI-F convention in Bajaur killed 54 people.",
                location=PAKISTAN, perpetrators=[actor("the Islamic State", "islamic-state")], killed=(54, 54),
                date="2023-07", precision="month", published="2023-08-05"),
        mention("pesh-1", "A suicide bomber killed 84 people in a mosque inside the Police Lines in Peshawar on Monday.",
                location=PESHAWAR, date="2023-01-30", published="2023-01-31", killed=(84, None)),
        mention("pesh-2", "The death toll from the Peshawar police mosque bombing rose to 100.",
                location=PESHAWAR, date="2023-01-30", published="2023-02-01", killed=(100, 100)),
        mention("quetta-1", "A bomb blast killed 3 people at a market in Quetta on Sunday.", type="Remote explosive/landmine/IED",
                location=QUETTA, killed=(3, 3)),
    ]


def partition(fusion: EventFusion) -> set[frozenset[str]]:
    return {frozenset(c.members) for c in fusion.clusters()}


def ids(*docs: str) -> frozenset[str]:
    return frozenset(m.id for m in sample() if m.document_id in docs)


def test_reports_of_one_event_form_one_cluster(fusion):
    fusion.add(sample())
    groups = partition(fusion)
    assert ids("wire-1", "daily-2", "agency-3", "weekly-4") in groups
    assert ids("pesh-1", "pesh-2") in groups
    assert ids("quetta-1") in groups


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_incremental_equals_batch(seed):
    batch = EventFusion(LexicalEncoder())
    batch.add(sample())
    mentions = sample()
    random.Random(seed).shuffle(mentions)
    incremental = EventFusion(LexicalEncoder())
    for item in mentions:
        incremental.add([item])
    assert [c.members for c in incremental.clusters()] == [c.members for c in batch.clusters()]
    assert [c.id for c in incremental.clusters()] == [c.id for c in batch.clusters()]


def test_adding_a_report_only_touches_its_neighbourhood(fusion):
    fusion.add(sample())
    before = {c.id: c for c in fusion.clusters()}
    late = mention("late-5", "A JUI-F convention in Bajaur was hit by a suicide bomber on Sunday; 54 died.",
                   location=BAJAUR, killed=(54, 54), published="2023-08-02")
    update = fusion.add([late])
    bajaur = fusion.clusterer.cluster_of(late.id)
    assert update.updated == [bajaur.id] and not update.created and not update.removed
    assert all(fusion.clusterer.cluster(key) == cluster for key, cluster in before.items() if key != bajaur.id)


def test_merges_are_explained(fusion):
    fusion.add(sample())
    cluster = fusion.clusterer.cluster_of(sample()[0].id)
    assert len(cluster.merges) == len(cluster.members) - 1
    for step in cluster.merges:
        assert step.reason.startswith("automatic: average link probability")
        assert step.strongest is not None and step.strongest.linked
        assert step.strongest.a in step.left + step.right and step.strongest.b in step.left + step.right


def test_cannot_link_survives_later_automatic_runs(fusion):
    first, second = sample()[0], sample()[1]
    fusion.add(sample())
    fusion.decide(make_decision("cannot_link", [first.id, second.id], author="analyst", reason="different rallies"))
    more = mention("late-5", "Another report of the suicide bombing of the JUI-F convention in Bajaur that killed 44.",
                   location=BAJAUR, killed=(44, 44), published="2023-08-03")
    fusion.add([more])
    assert fusion.clusterer.cluster_of(first.id) != fusion.clusterer.cluster_of(second.id)


def test_must_link_joins_what_the_model_keeps_apart(fusion):
    fusion.add(sample())
    quetta, bajaur = sample()[6], sample()[0]
    decision = make_decision("must_link", [quetta.id, bajaur.id], author="analyst", reason="one coordinated attack")
    fusion.decide(decision)
    cluster = fusion.clusterer.cluster_of(quetta.id)
    assert bajaur.id in cluster.members
    assert decision.id in cluster.decisions
    assert any(step.reason == f"analyst decision {decision.id}" for step in cluster.merges)
    fusion.add([mention("late-5", "A bomb blast in Quetta killed 3.", type="Remote explosive/landmine/IED", location=QUETTA,
                        killed=(3, 3), published="2023-08-02")])
    assert bajaur.id in fusion.clusterer.cluster_of(quetta.id).members


def test_a_split_is_kept_and_can_be_reversed(fusion):
    fusion.add(sample())
    bajaur = sorted(ids("wire-1", "daily-2", "agency-3", "weekly-4"))
    decisions = split_decisions([bajaur[:2], bajaur[2:]], "bajaur-split", author="analyst")
    for decision in decisions:
        fusion.decide(decision)
    assert {frozenset(bajaur[:2]), frozenset(bajaur[2:])} <= partition(fusion)
    assert fusion.clusterer.cluster_of(bajaur[0]).id == "fused-bajaur-split-1"
    fusion.add([mention("late-5", "A JUI-F convention in Bajaur was hit by a suicide bomber on Sunday; 44 died.",
                        location=BAJAUR, killed=(44, 44), published="2023-08-02")])
    assert fusion.clusterer.cluster_of(bajaur[0]) != fusion.clusterer.cluster_of(bajaur[3])
    for decision in decisions:
        fusion.decide(make_decision("retract", retracts=decision.id, author="analyst"))
    assert fusion.clusterer.cluster_of(bajaur[0]) == fusion.clusterer.cluster_of(bajaur[3])


def test_contradicting_decisions_are_refused(fusion):
    a, b, c = (m.id for m in sample()[:3])
    fusion.decide(make_decision("cannot_link", [a, c]))
    fusion.decide(make_decision("must_link", [a, b]))
    with pytest.raises(DecisionConflict, match="cannot_link"):
        fusion.decide(make_decision("must_link", [b, c]))
    with pytest.raises(DecisionConflict, match="not in force"):
        fusion.decide(make_decision("retract", retracts="dec-unknown"))


def test_decisions_made_before_the_mentions_arrive_apply_when_they_do():
    a, b = sample()[0], sample()[1]
    fusion = EventFusion(LexicalEncoder(), decisions=[make_decision("cannot_link", [a.id, b.id])])
    fusion.add(sample())
    assert fusion.clusterer.cluster_of(a.id) != fusion.clusterer.cluster_of(b.id)
