"""Reading recovered weapons from CSV, and the values' cleaning (vigil.ingest.weapons_csv, recovered_values)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from vigil.errors import IngestFailure
from vigil.ingest.recovered_values import BadFields, calibre, country, place, recovered_weapon, weapon_class, weapon_classes
from vigil.ingest.weapons_csv import header_aliases, read_recovered_csv
from vigil.nlp.lexicon import load_patterns

SAMPLE = Path(str(resources.files("vigil").joinpath("samples/recovered_weapons_example.csv")))


def test_the_sample_file_reads_whole_and_is_marked_fictional():
    found = read_recovered_csv(SAMPLE)
    assert found.errors == [] and found.ignored_columns == []
    assert found.rows == len(found.records) == 12
    assert [row for row, _ in found.records] == list(range(2, 14))  # the header is row 1
    assert all("Fictional" in weapon.source and "CC0" in weapon.source for _, weapon in found.records)
    first = dict(found.records)[2]
    assert first.id == "ex-001" and first.weapon_class == "rifle" and first.calibre == "5.56x45mm NATO"
    assert first.markings == ["PROPERTY OF U.S. GOVT", "COLT'S MFG CO"] and first.import_marks == ["ANA"]
    assert first.recovery_place.country == "AF" and first.recovery_place.admin1 == "Kandahar"
    assert first.recovered_on == "2023-03-14" and first.recovered_precision == "day"


def test_reading_the_same_content_twice_gives_the_same_ids():
    content = b"type,serial,make,model,date\nrifle,A-1,Colt,M4,2023-01-02\npistol,,,,2023\npistol,,,,2023\n"
    first = read_recovered_csv(content)
    again = read_recovered_csv(content)
    ids = [weapon.id for _, weapon in first.records]
    assert ids == [weapon.id for _, weapon in again.records]
    assert len(set(ids)) == 3, "two identical rows without a serial number are two weapons"
    assert all(i.startswith("rw-") for i in ids)


def test_aliases_semicolons_and_a_byte_order_mark():
    content = "\ufeffSerial No.;Caliber;Weapon Type;Date Recovered;Place of Recovery;Obliterated;Made in\n" \
              "X 12;7.62 x 39;Kalashnikov;2023-07;Quetta;yes;Soviet Union\n"
    found = read_recovered_csv(content.encode("utf-8"))
    [(row, weapon)] = found.records
    assert row == 2
    assert (weapon.serial_number, weapon.calibre, weapon.weapon_class) == ("X 12", "7.62x39mm", "assault rifle")
    assert (weapon.recovered_on, weapon.recovered_precision) == ("2023-07", "month")
    assert weapon.serial_obliterated is True and weapon.country_of_manufacture == "SU"
    assert weapon.recovery_place.country == "PK"


def test_a_bad_row_is_one_error_naming_its_row_and_fields_and_the_rest_is_kept():
    content = (
        b"type,serial,calibre,date,obliterated,event_id,colour\n"
        b"rifle,A1,5.56mm,2023-01-01,no,,red\n"
        b"crossbow,A2,,2023-13-01,maybe,,blue\n"
        b"rifle,A3,,2023-02,,-4,\n"
    )
    found = read_recovered_csv(content, name="seized.csv")
    assert [weapon.serial_number for _, weapon in found.records] == ["A1"]
    assert [error.row for error in found.errors] == [3, 4]
    bad = found.errors[0]
    assert bad.fields == ["weapon_class", "serial_obliterated", "recovered_on"]
    assert "'crossbow'" in bad.message and "'maybe'" in bad.message and "'2023-13-01'" in bad.message
    assert str(bad).startswith("row 3: ")
    assert found.errors[1].fields == ["event_id"]
    assert found.ignored_columns == ["colour"]


def test_the_same_serial_twice_in_a_file_is_an_error_on_the_second_row():
    content = b"type,serial,make,model,date\nrifle,S1,Colt,M4,2023-01-01\nrifle,S1,colt,m4,2023-01-01\n"
    found = read_recovered_csv(content)
    assert len(found.records) == 1
    [error] = found.errors
    assert error.row == 3 and error.fields == ["serial_number"] and "row 2" in error.message


def test_defaults_fill_empty_fields_only():
    content = b"type,source\nrifle,\npistol,field report 7\n"
    found = read_recovered_csv(content, defaults={"source": "upload.csv", "recorded_by": "analyst A"})
    sources = [(weapon.source, weapon.recorded_by) for _, weapon in found.records]
    assert sources == [("upload.csv", "analyst A"), ("field report 7", "analyst A")]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "no header row"),
        (b"colour,size\nred,1\n", "no column is a recovered-weapon field"),
        (b"serial,serial number\n1,2\n", "both give serial_number"),
        (b"type\n\xff\xfe rifle\n", "not a UTF-8 text file"),
    ],
)
def test_problems_with_the_whole_file_name_it(content, words):
    with pytest.raises(IngestFailure) as raised:
        read_recovered_csv(content, name="seized.csv")
    assert str(raised.value).startswith("seized.csv: ") and words in str(raised.value)


def test_every_header_alias_names_a_field_once():
    aliases = header_aliases()
    assert aliases["caliber"] == "calibre" and aliases["type"] == "weapon_class" and aliases["s_n"] == "serial_number"
    assert set(aliases.values()) <= set(aliases)  # every field is its own alias


# ---------------------------------------------------------------- values


def test_classes_use_the_vocabulary_of_extracted_weapons():
    lexicon_classes = {entry["class"] for entry in load_patterns("weapons")["classes"]}
    assert set(weapon_classes()) == lexicon_classes
    assert weapon_class("Assault Rifles") == "assault rifle"
    assert weapon_class("AK-47") == "assault rifle"
    assert weapon_class("carbine") == "rifle"
    assert weapon_class("improvised explosive device") == "IED"
    with pytest.raises(ValueError, match="'slingshot' is not a weapon type"):
        weapon_class("slingshot")


def test_a_known_model_gives_the_class_when_none_is_given():
    assert recovered_weapon({"model": "M16A4"}).weapon_class == "assault rifle"
    assert recovered_weapon({"model": "Zastava M70", "weapon_class": "rifle"}).weapon_class == "rifle"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("7.62x39", "7.62x39mm"),
        ("7.62 x 39 mm", "7.62x39mm"),
        ("5.56", "5.56x45mm NATO"),
        ("5.56x45mm", "5.56x45mm NATO"),
        (".223 Rem", "5.56x45mm NATO"),
        ("7.62x54R", "7.62x54mmR"),
        (".50 BMG", "12.7x99mm NATO"),
        ("9mm Parabellum", "9x19mm"),
        ("12 gauge", "12 gauge"),
    ],
)
def test_calibres_are_named_as_extracted_calibres_are(given, expected):
    assert calibre(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [("ru", "RU"), ("Russia", "RU"), ("USSR", "SU"), ("Chinese", "CN"), ("United States", "US"), ("Yugoslavia", "YU")],
)
def test_countries_become_iso_codes(given, expected):
    assert country(given) == expected


def test_an_unknown_country_is_an_error():
    for bad in ("ZZ", "Narnia"):
        with pytest.raises(ValueError, match=repr(bad)):
            country(bad)


def test_places_resolve_with_the_later_parts_choosing_the_country():
    chaman = place("Chaman, Balochistan, Pakistan")
    assert (chaman.name, chaman.admin1, chaman.country, chaman.text) == ("Chaman", "Balochistan", "PK", "Chaman, Balochistan, Pakistan")
    assert place("Kandahar, AF").country == "AF"
    unknown = place("a farm near the river")
    assert unknown.text == "a farm near the river" and unknown.country is None


def test_dates_keep_their_precision_and_a_coarser_one_cuts_them():
    assert recovered_weapon({"weapon_class": "rifle", "recovered_on": "2023"}).recovered_precision == "year"
    cut = recovered_weapon({"weapon_class": "rifle", "recovered_on": "2023-07-30", "recovered_precision": "month"})
    assert (cut.recovered_on, cut.recovered_precision) == ("2023-07", "month")
    week = recovered_weapon({"weapon_class": "rifle", "recovered_on": "2023-07-30", "recovered_precision": "week"})
    assert (week.recovered_on, week.recovered_precision) == ("2023-W30", "week")
    with pytest.raises(BadFields) as raised:
        recovered_weapon({"weapon_class": "rifle", "recovered_on": "2023", "recovered_precision": "day"})
    assert raised.value.fields == ["recovered_precision"]


def test_a_record_needs_something_that_identifies_the_weapon():
    with pytest.raises(BadFields) as raised:
        recovered_weapon({"calibre": "7.62x39mm", "recovered_on": "2023"})
    assert "nothing identifies the weapon" in str(raised.value)


def test_an_unknown_field_is_named():
    with pytest.raises(BadFields) as raised:
        recovered_weapon({"weapon_class": "rifle", "colour": "red"})
    assert raised.value.fields == ["colour"]


def test_the_id_follows_the_natural_key():
    base = {"weapon_class": "rifle", "make": "Colt", "model": "M4", "serial_number": "W1", "recovered_on": "2023-01-01"}
    same = recovered_weapon({**base, "custody_notes": "moved to the armoury", "make": " COLT "})
    assert recovered_weapon(base).id == same.id
    assert recovered_weapon({**base, "serial_number": "W2"}).id != same.id
    assert recovered_weapon({**base, "id": "my-rifle-1"}).id == "my-rifle-1"
    with pytest.raises(BadFields, match="not a usable id"):
        recovered_weapon({**base, "id": "no spaces please"})
