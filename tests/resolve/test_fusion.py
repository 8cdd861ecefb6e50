"""Fusing a cluster's mentions into one event, every source kept beside it."""

from __future__ import annotations

import pytest

from vigil.resolve.decisions import make_decision
from vigil.resolve.fusion import DATE_RULE

from .conftest import BAJAUR, KHAR, PAKISTAN, QUETTA, actor, mention


@pytest.fixture
def fused(fusion):
    mentions = [
        mention("a", "A suicide bomber killed 43 at a rally in Bajaur.", location=BAJAUR, killed=(43, 43),
                perpetrators=[actor("Daesh", "islamic-state")], date="2023-07-30", published="2023-07-30"),
        mention("b", "A blast killed 44 at a rally in Khar.", type="Remote explosive/landmine/IED", location=KHAR,
                killed=(44, 44), perpetrators=[actor("IS-K", "islamic-state-khorasan-province")], date="2023-07-31"),
        mention("c", "ISIL bombing in Bajaur killed 46.", location=BAJAUR, killed=(46, 46),
                perpetrators=[actor("ISIL", "islamic-state")], date="2023-07-30", published="2023-08-01"),
        mention("d", "In July the Islamic State attacked a rally in Pakistan, killing 54.", type="Attack", location=PAKISTAN,
                killed=(54, 54), perpetrators=[actor("the Islamic State", "islamic-state")], date="2023-07",
                precision="month", published="2023-08-28"),
    ]
    fusion.add(mentions)
    fusion.decide(make_decision("pin", [m.id for m in mentions], label="bajaur"))  # fusion rules, whatever the model says
    return fusion.fused("fused-bajaur")


def test_type_by_majority(fused):
    assert fused.type == "Suicide bomb"
    assert fused.event_type == "Explosions/Remote violence"
    assert fused.type_votes == {"Suicide bomb": 2, "Attack": 1, "Remote explosive/landmine/IED": 1}


def test_a_type_tie_goes_to_the_most_severe(fusion):
    mentions = [
        mention("a", "A blast killed 5 in Quetta.", type="Remote explosive/landmine/IED", location=QUETTA, killed=(5, 5)),
        mention("b", "A suicide bomber killed 5 in Quetta.", location=QUETTA, killed=(5, 5)),
    ]
    fusion.add(mentions)
    fusion.decide(make_decision("must_link", [m.id for m in mentions]))
    cluster = fusion.clusterer.cluster_of(mentions[0].id)
    assert len(cluster.members) == 2
    assert fusion.fused(cluster.id).type == "Suicide bomb"


def test_date_is_the_most_precise_most_supported_earliest(fused):
    assert (fused.date, fused.date_precision) == ("2023-07-30", "day")
    assert fused.date_rule == DATE_RULE


def test_place_is_the_most_precise_supported(fused):
    assert fused.location.name == "Khar"


def test_actors_are_united_by_canonical_id_with_source_counts(fused):
    by_id = {a.actor: a for a in fused.perpetrators}
    assert by_id["islamic-state"].sources == 3
    assert set(by_id["islamic-state"].words) == {"Daesh", "ISIL", "the Islamic State"}
    assert by_id["islamic-state-khorasan-province"].sources == 1
    assert fused.perpetrators[0].actor == "islamic-state"


def test_casualties_keep_every_source(fused):
    assert (fused.fatalities.low, fused.fatalities.best, fused.fatalities.high) == (43, 44, 54)
    assert {s.document_id for s in fused.fatalities.sources} == {"a", "b", "c", "d"}


def test_sources_merges_and_decisions_are_listed(fused):
    assert [s.document_id for s in fused.sources] == ["a", "b", "c", "d"]
    assert len(fused.merges) == 3
    assert len(fused.decisions) == 1
