"""The event component: ACLED typing, arguments, merging, modality and no-violence texts."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.model.records import Document
from vigil.model.taxonomy import event_type_of


def events(extractor, text: str, published: dt.date | None = dt.date(2023, 7, 31)):
    return extractor.extract(Document.from_text(text, published=published)).events


def test_suicide_bombing_with_claim_of_responsibility(extractor):
    text = ("A suicide bomber blew himself up at a police checkpoint in Peshawar on Sunday, killing 12 policemen "
            "and wounding 20 others. The Pakistani Taliban claimed responsibility for the attack.")
    [event] = events(extractor, text)
    assert event.type == "Suicide bomb" and event.event_type == "Explosions/Remote violence"
    assert event.date == "2023-07-30" and event.date_precision == "day"
    assert event.location.country == "PK" and event.location.name == "Peshawar"
    assert event.fatalities.min == event.fatalities.max == 12
    assert event.injuries.min == 20
    assert event.responsibility == "claimed"
    assert "tehrik-e-taliban-pakistan" in {p.actor for p in event.perpetrators}


def test_all_caps_wire_text(extractor):
    text = "GUERRILLAS ATTACKED A MILITARY PATROL NEAR KANDAHAR TODAY, KILLING THREE SOLDIERS, THE ARMY SAID."
    [event] = events(extractor, text, dt.date(2006, 5, 2))
    assert event.type == "Armed clash"  # an attack on armed forces is a battle in ACLED's terms
    assert event.location.country == "AF"
    assert event.fatalities.min == 3
    assert any(p.text == "GUERRILLAS" for p in event.perpetrators)
    assert event.date == "2006-05-02"


def test_passive_voice_makes_the_subject_a_victim(extractor):
    text = "Two British soldiers were killed by a roadside bomb in Helmand province on Tuesday."
    [event] = events(extractor, text, dt.date(2006, 8, 10))
    assert event.type == "Remote explosive/landmine/IED"
    assert not any("soldiers" in p.text for p in event.perpetrators)
    assert any("soldiers" in v.text for v in event.victims)
    assert event.location.admin1 == "Helmand" or "Helmand" in (event.location.name or "")


def test_adjacent_sentences_about_one_attack_are_one_event(extractor):
    text = ("Gunmen attacked a wedding party in the village of Mandi in Kunar province, killing seven people. "
            "A bomb then exploded as rescuers arrived.")
    found = events(extractor, text)
    assert len(found) == 1
    assert found[0].type == "Remote explosive/landmine/IED"
    assert found[0].fatalities.min == 7


def test_country_as_modifier_is_not_the_location(extractor):
    text = "U.S. troops came under attack in Kunduz, where two soldiers were killed."
    [event] = events(extractor, text)
    assert event.location.country == "AF"


@pytest.mark.parametrize("text", [
    "The militants threatened to attack schools in the district if girls kept attending.",
    "Trade ministers from Pakistan and Uzbekistan agreed on Monday to extend opening hours at border terminals.",
    "Floods destroyed hundreds of homes in Sindh province, officials said.",
])
def test_no_event_without_political_violence(extractor, text):
    assert [e for e in events(extractor, text) if e.event_type != "Strategic developments"] == []


def test_every_event_type_is_acled(extractor):
    text = ("Police arrested four suspects in Karachi on Monday. Protesters marched through Lahore on Friday. "
            "An air strike killed nine militants in North Waziristan on Saturday.")
    found = events(extractor, text)
    assert {e.type for e in found} >= {"Arrests", "Air/drone strike"}
    for event in found:
        assert event_type_of(event.type) == event.event_type


def test_all_caps_report_about_one_attack_is_one_event(extractor):
    text = ("THE GUATEMALAN ARMY DENIED TODAY THAT GUERRILLAS ATTACKED THE SANTO TOMAS FARM.\n\n"
            "ARMED FORCES SPOKESMAN COLONEL LUIS ARTURO ISAACS SAID THAT THE ATTACK WAS NOT AGAINST THE FARM.")
    extraction = extractor.extract(Document.from_text(text, published=dt.date(1990, 2, 5)))
    assert len(extraction.events) == 1, "a place-like word inside a name must not split the incident"
    typed = {(e.type, e.text) for e in extraction.entities}
    assert ("Organisation", "THE GUATEMALAN ARMY") in typed, "in ALL CAPS an organisation name ends at its head"
    assert any(t == "Person" and "LUIS ARTURO ISAACS" in x for t, x in typed)


def test_event_without_a_named_place_falls_back_to_the_reports_country(extractor):
    text = "Pakistani officials said militants ambushed a convoy on Tuesday, killing six soldiers."
    [event] = events(extractor, text, dt.date(2009, 5, 6))
    assert event.location.country == "PK" and event.location.precision == "country"


def test_ambiguous_place_outside_the_reports_countries_is_not_guessed(extractor):
    text = "Guatemalan troops said guerrillas attacked the Santo Tomas farm today, killing a civilian."
    [event] = events(extractor, text, dt.date(1990, 2, 5))
    assert event.location is None or event.location.country == "GT"


def test_one_matcher_finds_what_a_trigger_and_a_noun_matcher_found(extractor):
    """Triggers and actor nouns share one PhraseMatcher; split by label, each keeps its own order."""
    from pathlib import Path

    from spacy.matcher import PhraseMatcher

    from vigil.nlp.lexicon import load_patterns

    nlp = extractor.nlp
    component = nlp.get_pipe("vigil_events")
    triggers, nouns = PhraseMatcher(nlp.vocab, attr="LOWER"), PhraseMatcher(nlp.vocab, attr="LOWER")
    for entry in load_patterns("events")["sub_event_types"]:
        triggers.add(entry["type"], [nlp.make_doc(t) for t in entry["triggers"]])
    lexicon = load_patterns("actor_nouns")
    for role in ("perpetrators", "state_forces", "victims", "targets"):
        nouns.add(role, [nlp.make_doc(t) for t in lexicon[role]])
    commentary = (Path(__file__).parents[1] / "acceptance" / "commentary_2023_08_28.txt").read_text("utf-8")
    texts = [commentary, "Militants and soldiers clashed; gunmen killed two policemen and a suicide bomber hit a rally."]
    for text in texts:
        doc = nlp.make_doc(text)
        assert component._split(component.matcher(doc)) == (triggers(doc), nouns(doc))
