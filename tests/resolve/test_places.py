"""Place compatibility: same, nested, or in conflict."""

from __future__ import annotations

from vigil.model.records import Location
from vigil.resolve.places import compare_places

from .conftest import BAJAUR, KHAR, PAKISTAN, PESHAWAR, QUETTA


def test_a_town_nests_in_its_district():
    match = compare_places(KHAR, BAJAUR)
    assert match.agreement == 0.75 and match.conflict == 0
    assert "Khar" in match.text and "within" in match.text


def test_district_names_meet_without_their_suffix():
    written = Location(name="Bajaur", admin2="Bajaur District", admin1="Khyber Pakhtunkhwa", country="PK", precision="admin2")
    assert compare_places(written, BAJAUR).agreement == 0.75


def test_same_province_different_district_conflicts_a_little():
    match = compare_places(BAJAUR, PESHAWAR)
    assert match.agreement == 0.5 and 0 < match.conflict < 1
    assert "different district" in match.text


def test_different_provinces_conflict_more():
    assert compare_places(BAJAUR, QUETTA).conflict > compare_places(BAJAUR, PESHAWAR).conflict


def test_a_country_contains_its_places():
    match = compare_places(PAKISTAN, QUETTA)
    assert match.agreement == 0.25 and match.conflict == 0


def test_unknown_place_is_neutral():
    match = compare_places(None, QUETTA)
    assert match.agreement == 0 and match.conflict == 0
