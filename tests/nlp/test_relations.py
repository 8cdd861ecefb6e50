"""The relation component: supply, alliance, membership and fighting, with attribution."""

from __future__ import annotations

from vigil.model.records import Document


def relations(extractor, text: str):
    return extractor.extract(Document.from_text(text)).relations


def test_supply_in_a_reported_frame(extractor):
    text = "Officials said the Taliban had supplied rifles and ammunition to the TTP."
    found = [r for r in relations(extractor, text) if r.type == "supplies_weapons_to"]
    assert [(r.source.actor, r.target.actor) for r in found] == [("taliban", "tehrik-e-taliban-pakistan")]
    assert {w.text for w in found[0].weapons} >= {"rifles"}


def test_supply_needs_a_weapon(extractor):
    assert not [r for r in relations(extractor, "The Taliban gave a statement to the TTP.") if r.type == "supplies_weapons_to"]


def test_passive_supply_with_sources_after_by(extractor):
    text = "Night-vision goggles were passed to the Islamic State by the TTP and Al Qaeda, the report says."
    pairs = {(r.source.actor, r.target.actor) for r in relations(extractor, text) if r.type == "supplies_weapons_to"}
    assert pairs == {("tehrik-e-taliban-pakistan", "islamic-state"), ("al-qaida", "islamic-state")}


def test_faction_and_alliance(extractor):
    text = ("Jamaat-ul-Ahrar, a faction of the Tehrik-e-Taliban Pakistan, claimed the bombing. "
            "The Eastern Turkistan Islamic Movement remains allied with the Taliban.")
    found = {(r.type, r.source.actor, r.target.actor) for r in relations(extractor, text)}
    assert ("faction_of", "jamaat-ul-ahrar", "tehrik-e-taliban-pakistan") in found
    assert any(t == "allied_with" and s.startswith("eastern-turkistan") or s == "etim" for t, s, _ in found)


def test_relation_offsets_cover_the_sentence(extractor):
    text = "Fighting broke out. Clashes between the Taliban and the Afghan National Army left ten dead."
    [relation] = [r for r in relations(extractor, text) if r.type == "fights_against"]
    assert text[relation.start : relation.end] == relation.sentence
    assert {relation.source.actor, relation.target.actor} == {"taliban", "afghan-national-army"}
