"""The acceptance case of the core issue, on a commentary written for Vigil (2023-08-28)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vigil.gazetteers.actors import load_actor_gazetteer
from vigil.model.records import Document, Extraction

TEXT = (Path(__file__).parent / "commentary_2023_08_28.txt").read_text("utf-8")


def actor_id(name: str) -> str:
    actor = load_actor_gazetteer().lookup(name)
    assert actor is not None, f"{name} is not in the gazetteer"
    return actor.id


@pytest.fixture(scope="module")
def extraction(extractor) -> Extraction:
    doc = Document.from_text(TEXT, id="commentary", published=dt.date(2023, 8, 28))
    return extractor.extract(doc)


def test_actors_are_linked_to_canonical_entries(extraction):
    linked = {e.actor for e in extraction.entities if e.actor}
    for name in ("TTP", "Al Qaeda", "Islamic State", "JUI-F", "Afghan National Defence and Security Forces", "Taliban", "IS-K"):
        assert actor_id(name) in linked, name
    ttp = [e for e in extraction.entities if e.text.removeprefix("the ") == "TTP"]
    assert ttp and ttp[0].actor == actor_id("Tehrik-e-Taliban Pakistan")


def test_the_bajaur_attack(extraction):
    attacks = [e for e in extraction.events if e.location and e.location.country == "PK" and e.event_type == "Explosions/Remote violence"]
    assert len(attacks) == 1, extraction.events
    attack = attacks[0]
    assert attack.type == "Suicide bomb"
    assert attack.date == "2023-07" and attack.date_precision == "month"
    assert actor_id("Islamic State") in {p.actor for p in attack.perpetrators}
    assert any(t.actor == actor_id("JUI-F") and "convention" in t.text for t in attack.targets)
    assert attack.fatalities.min == 40 and attack.fatalities.max is None
    assert attack.injuries.min == 100
    assert "Bajaur" in (attack.location.name or "") or attack.location.admin2 == "Bajaur"
    assert TEXT[attack.start : attack.end] == attack.sentence


def test_weapons_supply_relations_attributed_to_the_un(extraction):
    supply = [r for r in extraction.relations if r.type == "supplies_weapons_to"]
    pairs = {(r.source.actor, r.target.actor) for r in supply}
    islamic_state = actor_id("Islamic State")
    assert (actor_id("TTP"), islamic_state) in pairs
    assert (actor_id("Al Qaeda"), islamic_state) in pairs
    for relation in supply:
        assert relation.attributed_to is not None and "Monitoring Team" in relation.attributed_to.text
        assert any("NATO" in w.text for w in relation.weapons)
        assert TEXT[relation.start : relation.end] == relation.sentence


def test_un_claim_and_taliban_denial(extraction):
    un = [c for c in extraction.claims if c.stance == "asserts" and "Monitoring Team" in c.speaker.text]
    assert un, extraction.claims
    assert "NATO-calibre weapons" in un[0].text
    assert any(c.kind == "relation" for c in un[0].concerns)

    denials = [c for c in extraction.claims if c.stance == "denies" and "Zabihullah Mujahid" in c.speaker.text]
    assert len(denials) == 1
    denial = denials[0]
    assert denial.speaker.kind == "person"
    assert denial.speaker_org is not None and denial.speaker_org.actor == actor_id("Taliban")
    assert "reduced to zero" in denial.text
    assert TEXT[denial.start : denial.end] == denial.text
    assert any(c.kind == "relation" for c in denial.concerns), "the denial points back at the UN's claims"


def test_offsets_point_into_the_text(extraction):
    for entity in extraction.entities:
        assert TEXT[entity.start : entity.end] == entity.text
    for event in extraction.events:
        for ref in event.perpetrators + event.targets + event.victims + event.weapons:
            assert TEXT[ref.start : ref.end] == ref.text
