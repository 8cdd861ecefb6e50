"""TAXII 2.1 wire rules: timestamps, ``next`` tokens, limits, match filters, collections, envelopes."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.model.access import Tlp
from vigil.share.taxii.collections import all_collections, find_collection
from vigil.share.taxii.protocol import (
    MAX_LIMIT,
    Match,
    Position,
    TaxiiError,
    envelope,
    format_timestamp,
    object_version,
    parse_limit,
    parse_match,
    parse_timestamp,
)


def test_timestamps_round_trip_in_utc_with_microseconds():
    moment = dt.datetime(2024, 3, 4, 5, 6, 7, 890123, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    text = format_timestamp(moment)
    assert text == "2024-03-04T03:06:07.890123Z"
    assert parse_timestamp(text) == moment
    assert parse_timestamp("2024-03-04T03:06:07Z") == dt.datetime(2024, 3, 4, 3, 6, 7, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("value", ["yesterday", "2024-03-04", "2024-03-04T03:06:07", ""])
def test_a_bad_or_zoneless_timestamp_is_a_400_naming_the_parameter(value):
    with pytest.raises(TaxiiError) as caught:
        parse_timestamp(value, "added_after")
    assert caught.value.status == 400
    assert "added_after" in caught.value.description


def test_next_tokens_carry_the_exact_position_and_reject_forgeries():
    moment = dt.datetime(2024, 1, 1, 12, 0, 0, 1, tzinfo=dt.timezone.utc)
    for position in (Position(moment, "doc-1"), Position(moment, "doc-2", 7)):
        assert Position.decode(position.encode()) == position
    for forged in ("not-a-token", "W10", Position(moment, "d", 1).encode()[:-3] + "xyz"):
        with pytest.raises(TaxiiError) as caught:
            Position.decode(forged)
        assert caught.value.status == 400 and "next" in caught.value.description


def test_limits_default_cap_and_refuse_nonsense():
    assert parse_limit(None) == 100
    assert parse_limit("5") == 5
    assert parse_limit(str(MAX_LIMIT * 10)) == MAX_LIMIT
    for bad in ("0", "-3", "ten"):
        with pytest.raises(TaxiiError) as caught:
            parse_limit(bad)
        assert caught.value.status == 400 and "limit" in caught.value.description


def test_match_filters_select_by_id_type_and_version():
    match = parse_match({"match[type]": "report,location", "match[id]": "report--1", "limit": "3"})
    assert match.types == ("report", "location") and match.ids == ("report--1",) and match.versions == ("last",)
    assert match.keeps({"type": "report", "id": "report--1"})
    assert not match.keeps({"type": "report", "id": "report--2"})
    assert not match.keeps({"type": "indicator", "id": "report--1"})
    versioned = parse_match({"match[version]": "2024-01-01T00:00:00Z"})
    assert versioned.keeps_version("2024-01-01T00:00:00.000000Z", "x", "y")
    assert not versioned.keeps_version("2024-01-02T00:00:00.000000Z", "x", "y")
    assert Match(versions=("all",)).keeps_version("anything", "a", "b")


def test_an_unknown_match_filter_or_version_is_a_400():
    with pytest.raises(TaxiiError, match=r"match\[colour\]"):
        parse_match({"match[colour]": "red"})
    with pytest.raises(TaxiiError, match=r"match\[version\]"):
        parse_match({"match[version]": "newest"})


def test_object_version_is_modified_then_created():
    assert object_version({"modified": "2024-01-02T00:00:00Z", "created": "2024-01-01T00:00:00Z"}).startswith("2024-01-02")
    assert object_version({"created": "2024-01-01T00:00:00.5Z"}) == "2024-01-01T00:00:00.500000Z"


def test_envelopes_carry_next_only_when_there_is_more():
    assert envelope([], more=False, next_token="x") == {"more": False}
    assert envelope([{"id": "a"}], more=True, next_token="n") == {"more": True, "next": "n", "objects": [{"id": "a"}]}


def test_collections_never_serve_red_and_are_found_by_id_or_alias():
    collections = all_collections()
    assert {c.alias for c in collections} >= {"all", "tlp-clear", "tlp-green", "tlp-amber"}
    assert all(c.max_tlp.rank < Tlp.RED.rank for c in collections)
    everything = find_collection("all")
    assert find_collection(everything.id) == everything
    assert everything.max_tlp is Tlp.AMBER_STRICT
    with pytest.raises(TaxiiError) as caught:
        find_collection("secret")
    assert caught.value.status == 404
