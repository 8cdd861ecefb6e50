"""The shipped actor gazetteer: every line valid, aliases resolve, case rules hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vigil.gazetteers.actors import alias_is_ambiguous_in_caps, alias_is_case_sensitive, load_actor_gazetteer
from vigil.gazetteers.build_actors import merge_actors, parse_un_list, read_curated
from vigil.gazetteers.text import DATA_DIR
from vigil.model.records import Actor

UN_XML = Path("/work/shared/data/reference/un-sc-consolidated-2020-03-20.xml")


@pytest.mark.parametrize("name", ["actors.jsonl", "curated_actors.jsonl"])
def test_every_line_is_an_actor(name):
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    assert len(lines) > 50
    ids = [Actor.model_validate(json.loads(line)).id for line in lines]
    assert len(ids) == len(set(ids))


def test_parents_exist():
    gazetteer = load_actor_gazetteer()
    for actor in gazetteer.actors.values():
        if actor.parent:
            assert gazetteer.get(actor.parent), actor.id


@pytest.mark.parametrize(
    ("name", "actor_id"),
    [
        ("TTP", "tehrik-e-taliban-pakistan"),
        ("Tehreek-e-Taliban", "tehrik-e-taliban-pakistan"),
        ("TEHRIK-I-TALIBAN PAKISTAN", "tehrik-e-taliban-pakistan"),
        ("Pakistani Taliban", "tehrik-e-taliban-pakistan"),
        ("Taliban", "taliban"),
        ("Islamic Emirate of Afghanistan", "taliban"),
        ("Daesh", "islamic-state"),
        ("the Islamic State of Iraq and the Levant", "islamic-state"),
        ("ISIS-K", "islamic-state-khorasan-province"),
        ("Islamic State Khorasan Province", "islamic-state-khorasan-province"),
        ("al Qaeda", "al-qaida"),
        ("Al-Qa'ida", "al-qaida"),
        ("JUI(F)", "jamiat-ulema-e-islam-f"),
        ("jamiat ulema-e-islam-fazl", "jamiat-ulema-e-islam-f"),
        ("Afghan National Defense and Security Forces", "andsf"),
        ("Turkistan Islamic Party", "eastern-turkistan-islamic-movement"),
        ("UN Monitoring Team", "un-monitoring-team"),
        ("Zabiullah Mujahid", "zabihullah-mujahid"),
    ],
)
def test_lookup(name, actor_id):
    actor = load_actor_gazetteer().lookup(name)
    assert actor is not None and actor.id == actor_id


def test_curated_merge_keeps_un_reference():
    gazetteer = load_actor_gazetteer()
    ttp = gazetteer.get("tehrik-e-taliban-pakistan")
    assert ttp.un_ref == "QDe.132" and ttp.un_list == "Al-Qaida" and ttp.source.startswith("curated+un-sc")
    assert gazetteer.get("un-qde-132") is ttp  # the UN id redirects
    assert gazetteer.get("islamic-state-khorasan-province").parent == "islamic-state"
    assert gazetteer.get("andsf").kind == "state_force" and gazetteer.get("andsf").country == "AF"
    assert gazetteer.get("jamiat-ulema-e-islam-f").kind == "political_party"


def test_un_entries_have_kinds():
    gazetteer = load_actor_gazetteer()
    assert gazetteer.get("un-qde-005").kind == "organisation"  # Al Rashid Trust, a charity
    assert gazetteer.get("un-qde-001").kind == "armed_group"  # Abu Sayyaf Group
    assert sum(a.kind == "person" for a in gazetteer.actors.values()) > 500


def test_case_rules():
    assert alias_is_case_sensitive("IS") and alias_is_case_sensitive("TTP") and alias_is_case_sensitive("JUI-F")
    assert not alias_is_case_sensitive("Tehrik-e-Taliban Pakistan") and not alias_is_case_sensitive("Daesh")
    assert alias_is_ambiguous_in_caps("IS") and alias_is_ambiguous_in_caps("TIP")
    assert not alias_is_ambiguous_in_caps("TTP") and not alias_is_ambiguous_in_caps("UN")
    entries = {(text, cs) for text, _, cs in load_actor_gazetteer().alias_entries()}
    assert ("IS", True) in entries and ("Tehrik-e-Taliban Pakistan", False) in entries


@pytest.mark.skipif(not UN_XML.exists(), reason="shared reference data not available")
def test_build_from_reference_matches_shipped_file():
    actors = merge_actors(parse_un_list(UN_XML, "un-sc-consolidated-2020-03-20"), read_curated(DATA_DIR / "curated_actors.jsonl"))
    assert {a.id for a in actors} == set(load_actor_gazetteer().actors)
