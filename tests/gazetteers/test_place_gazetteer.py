"""The shipped place gazetteer: valid data, candidates, context resolution, filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.gazetteers.places import MATCH_ANY, MATCH_MIXED_CASE, load_place_gazetteer, read_nationalities, read_places
from vigil.gazetteers.text import DATA_DIR

REFERENCE = Path("/work/shared/data/reference")


def test_every_line_is_a_place():
    places = list(read_places(DATA_DIR / "places.tsv.gz"))
    assert len(places) > 40000
    assert {p.kind for p, _ in places} == {"country", "admin1", "admin2", "city"}
    assert (DATA_DIR / "places.tsv.gz").stat().st_size < 4 * 1024 * 1024


def test_nationalities_file():
    table = read_nationalities(DATA_DIR / "nationalities.tsv")
    assert table["Pakistani"] == "PK" and table["Afghan"] == "AF" and table["Iraqi"] == "IQ"


def test_peshawar():
    location = load_place_gazetteer().resolve("Peshawar", {})
    assert location.country == "PK" and location.admin1 == "Khyber Pakhtunkhwa" and location.precision == "place"
    assert location.lat == pytest.approx(34.0, abs=0.1)


@pytest.mark.parametrize(("context", "country", "admin1"), [({"PK": 1.0}, "PK", "Sindh"), ({"IN": 2.0, "PK": 0.5}, "IN", "Telangana")])
def test_ambiguous_name_resolved_by_context(context, country, admin1):
    location = load_place_gazetteer().resolve("Hyderabad", context)
    assert (location.country, location.admin1) == (country, admin1)


@pytest.mark.parametrize(
    ("name", "precision", "admin1"),
    [
        ("NWFP", "admin1", "Khyber Pakhtunkhwa"),
        ("North-West Frontier Province", "admin1", "Khyber Pakhtunkhwa"),
        ("FATA", "admin1", "Khyber Pakhtunkhwa"),
        ("North Waziristan", "admin2", "Khyber Pakhtunkhwa"),
        ("Bajaur", "admin2", "Khyber Pakhtunkhwa"),
        ("Swat", "admin2", "Khyber Pakhtunkhwa"),
        ("Kabul", "place", "Kabul"),
        ("Mosul", "place", "Nineveh"),
    ],
)
def test_regional_names(name, precision, admin1):
    location = load_place_gazetteer().resolve(name)
    assert location.precision == precision and location.admin1 == admin1


def test_countries_and_demonyms():
    gazetteer = load_place_gazetteer()
    assert gazetteer.country("pk").name == "Pakistan"
    assert gazetteer.resolve("Burma").country == "MM"
    assert gazetteer.nationality("Afghan") == "AF" and gazetteer.nationality("pakistani") == "PK"
    assert gazetteer.nationality("Martian") is None


def test_common_words_are_not_names():
    names = load_place_gazetteer().names()
    for word in ("of", "man", "bar", "police", "hit", "march", "pakistani"):
        assert word not in names, word
    assert names["mosul"] == MATCH_ANY and names["peshawar"] == MATCH_ANY and names["swat"] == MATCH_ANY
    assert names["turkey"] == MATCH_MIXED_CASE
    assert load_place_gazetteer().candidates("Police")  # still a place, just never matched


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference data not available")
def test_build_all(tmp_path):
    from vigil.gazetteers.build import build_all

    counts = build_all(REFERENCE, tmp_path)
    assert counts["actors"] > 1000 and counts["places"] > 40000
    assert (tmp_path / "places.tsv.gz").exists() and (tmp_path / "actors.jsonl").exists()


def test_fast_key_is_normalise():
    from vigil.gazetteers.places import name_key
    from vigil.gazetteers.text import normalise

    samples = ["Khyber-Pakhtunkhwa", "U.S.", "Qa'ida", "  North   Waziristan ", "Wazīristān", "a_b/c&d", "Dera\tIsmail", "x\x1cy", "#$%", ""]
    samples += [chr(i) * 2 + "a" + chr(i) for i in range(128)]
    for text in samples:
        assert name_key(text) == normalise(text), repr(text)


def test_rows_match_places():
    from vigil.gazetteers.places import read_rows

    rows, alternates = read_rows(DATA_DIR / "places.tsv.gz")
    places = list(read_places(DATA_DIR / "places.tsv.gz"))
    assert len(rows) == len(places)
    for row, alts, (place, place_alts) in zip(rows[::97], alternates[::97], places[::97]):
        assert row.place() == place and alts == place_alts


def test_bad_row_is_a_data_file_error(tmp_path):
    import gzip

    from vigil.errors import DataFileError
    from vigil.gazetteers.places import read_rows

    path = tmp_path / "places.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("1\tcity\tX\tPK\t\t\t1.0\t2.0\tmany\t\n")
    with pytest.raises(DataFileError):
        read_rows(path)


def test_names_are_worked_out_on_demand():
    gazetteer = load_place_gazetteer()
    names = gazetteer.names()
    assert names.get("peshawar") == MATCH_ANY and "peshawar" in names
    assert names.get("no such place at all") is None and "no such place at all" not in names
    assert "north waziristan" in gazetteer.prefixes() and "north" in gazetteer.leading()
    traits = gazetteer.traits("hyderabad")
    assert {"PK", "IN"} <= traits.countries and not traits.has_country
