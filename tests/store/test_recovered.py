"""Recovered weapons in the store (SQLite and, marked, PostgreSQL): write, update, read, filter, import."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest

from vigil.ingest.recovered_values import recovered_weapon
from vigil.recovered import add_recovered, import_recovered_csv, recovered_detail, recovered_origins
from vigil.store.queries import list_events
from vigil.store.recovered import (
    RecoveredFilter,
    UnknownEvent,
    get_recovered,
    list_recovered,
    page_recovered,
    save_recovered,
)
from vigil.store.repository import delete_document

SAMPLE = Path(str(resources.files("vigil").joinpath("samples/recovered_weapons_example.csv")))


def rifle(**fields: object):
    return recovered_weapon({"weapon_class": "assault rifle", "make": "Colt", "model": "M4A1", "serial_number": "W1",
                             "markings": "PROPERTY OF U.S. GOVT", "import_marks": "ANA", "recovered_on": "2023-03",
                             "recovery_place": "Spin Boldak, Kandahar, AF", **fields})


def test_a_record_round_trips_and_created_at_is_set(store):
    weapon = rifle(custody_notes="held at the district office")
    assert save_recovered(store, [weapon]) == ["created"]
    stored = get_recovered(store, weapon.id)
    assert stored.created_at is not None and stored.created_at.tzinfo is not None
    assert stored.model_dump(exclude={"created_at"}) == weapon.model_dump(exclude={"created_at"})


def test_saving_again_is_unchanged_and_a_change_is_an_update_keeping_created_at(store):
    weapon = rifle()
    save_recovered(store, [weapon])
    first = get_recovered(store, weapon.id).created_at
    assert save_recovered(store, [weapon]) == ["unchanged"]
    changed = rifle(custody_notes="transferred to the national armoury")
    assert changed.id == weapon.id
    assert save_recovered(store, [changed]) == ["updated"]
    stored = get_recovered(store, weapon.id)
    assert stored.custody_notes == "transferred to the national armoury" and stored.created_at == first


def test_filters_and_paging(store):
    save_recovered(store, [
        rifle(),
        recovered_weapon({"weapon_class": "pistol", "serial_obliterated": True, "country_of_manufacture": "CN",
                          "recovered_on": "2022-11-05", "recovery_place": "Quetta", "markings": "NORINCO"}),
        recovered_weapon({"weapon_class": "machine gun", "model": "PKM", "recovered_on": "2023-08-01"}),
        recovered_weapon({"weapon_class": "rifle"}),
    ])
    everything = page_recovered(store)
    assert everything.total == 4
    assert [w.recovered_on for w in everything.items] == ["2023-08-01", "2023-03", "2022-11-05", None]

    def ids(**conditions) -> list:  # noqa: ANN003
        return [w.weapon_class for w in list_recovered(store, RecoveredFilter(**conditions))]

    assert ids(country="af") == ["assault rifle"]
    assert ids(made_in="CN") == ids(obliterated=True) == ids(text="norinco") == ["pistol"]
    assert ids(weapon_class="Machine Gun") == ["machine gun"]
    assert ids(since=dt.date(2023, 1, 1)) == ["machine gun", "assault rifle"]
    assert ids(since=dt.date(2023, 3, 15), until=dt.date(2023, 12, 31)) == ["machine gun"], "2023-03 counts on 1 March"
    assert ids(obliterated=False) == ["machine gun", "assault rifle", "rifle"]
    page = page_recovered(store, RecoveredFilter(limit=2, offset=1))
    assert (page.total, len(page.items), page.offset) == (4, 2, 1)
    with pytest.raises(ValueError, match="after until"):
        RecoveredFilter(since=dt.date(2024, 1, 1), until=dt.date(2023, 1, 1))


def test_a_link_to_a_missing_event_writes_nothing(store):
    with pytest.raises(UnknownEvent, match="event_id: no stored event has id 424242"):
        save_recovered(store, [rifle(), rifle(serial_number="W2", event_id=424242)])
    assert page_recovered(store).total == 0


def test_a_linked_event_is_kept_and_emptied_when_its_document_goes(loaded):
    (stored_event,) = [e for e in list_events(loaded) if e.event.type == "Suicide bomb"]
    added = add_recovered(loaded, {"weapon_class": "suicide vest", "event_id": stored_event.id, "recovered_on": "2023-07-30"})
    assert added.status == "created" and added.weapon.event_id == stored_event.id
    assert [w.id for w in list_recovered(loaded, RecoveredFilter(event_id=stored_event.id))] == [added.weapon.id]
    delete_document(loaded, stored_event.document_id)
    assert get_recovered(loaded, added.weapon.id).event_id is None, "the record stays; its link empties"


def test_importing_the_sample_twice_adds_it_once_and_reads_origins(store):
    first = import_recovered_csv(store, SAMPLE)
    assert (len(first.created), first.errors, first.source) == (12, [], "recovered_weapons_example.csv")
    again = import_recovered_csv(store, SAMPLE)
    assert (again.created, again.updated, len(again.unchanged)) == ([], [], 12)
    report = recovered_origins(store)
    assert report.total == 12 and {s.origin for s in report.shares} >= {"us-supplied-andsf", "chinese", "unattributed"}
    afghan = recovered_origins(store, RecoveredFilter(country="AF"))
    assert afghan.total == len(list_recovered(store, RecoveredFilter(country="AF"))) == 5
    detail = recovered_detail(store, "ex-004")
    assert detail.origin.suspected_origin == "chinese" and detail.weapon.serial_obliterated
    assert recovered_detail(store, "no-such-weapon") is None


def test_an_import_reports_rows_linking_to_missing_events_and_keeps_the_rest(loaded):
    (stored_event,) = [e for e in list_events(loaded) if e.event.type == "Suicide bomb"]
    content = f"type,serial,event_id\nrifle,R1,{stored_event.id}\nrifle,R2,999999\nslingshot,R3,\n".encode()
    outcome = import_recovered_csv(loaded, content, name="seized.csv", defaults={"recorded_by": "analyst"})
    assert len(outcome.created) == 1 and outcome.rows == 3
    assert [(e.row, e.fields) for e in outcome.errors] == [(3, ["event_id"]), (4, ["weapon_class"])]
    assert "999999" in outcome.errors[0].message
    (weapon,) = list_recovered(loaded)
    assert (weapon.serial_number, weapon.event_id, weapon.source, weapon.recorded_by) == ("R1", stored_event.id, "seized.csv", "analyst")
