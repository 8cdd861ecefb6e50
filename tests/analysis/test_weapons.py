"""Origin matching of recovered weapons, and weapon mentions over time (SQLite and, marked, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest

from tests.databases import created_postgres_database
from vigil.analysis.weapon_origins import (
    MATCHED_FIELDS,
    OriginCatalogue,
    load_origin_catalogue,
    match_origin,
    origin_report,
    wilson_interval,
)
from vigil.analysis.weapons import weapons_over_time
from vigil.ingest.recovered_values import recovered_weapon
from vigil.ingest.weapons_csv import read_recovered_csv
from vigil.model.records import ActorRef, Document, Event, Extraction, Relation, WeaponMention
from vigil.settings import Settings
from vigil.store import EventFilter, open_store, save_document
from vigil.store.tables import Base

SAMPLE = Path(str(resources.files("vigil").joinpath("samples/recovered_weapons_example.csv")))


@pytest.fixture(scope="module")
def sample():
    return {weapon.id: weapon for _, weapon in read_recovered_csv(SAMPLE).records}


# ---------------------------------------------------------------- the patterns


def test_the_catalogue_is_valid_and_every_pattern_says_where_it_comes_from():
    catalogue = load_origin_catalogue()
    assert {"us-supplied-andsf", "soviet-russian", "chinese", "iranian", "pakistani-pof"} <= {o.id for o in catalogue.origins}
    for origin in catalogue.origins:
        assert origin.label and origin.description and origin.patterns
        for pattern in origin.patterns:
            assert set(pattern.fields) <= set(MATCHED_FIELDS)
            assert pattern.source.strip() and pattern.note.strip() and 0 < pattern.confidence <= 1


def test_a_catalogue_with_a_bad_field_or_a_repeated_id_is_refused():
    good = load_origin_catalogue().model_dump()
    bad_field = {**good, "origins": [{**good["origins"][0], "patterns": [{**good["origins"][0]["patterns"][0], "fields": ["colour"]}]}]}
    with pytest.raises(ValueError, match="colour"):
        OriginCatalogue.model_validate(bad_field)
    repeated = {**good, "origins": [good["origins"][0], good["origins"][0]]}
    with pytest.raises(ValueError, match="used twice"):
        OriginCatalogue.model_validate(repeated)


# ---------------------------------------------------------------- matching one weapon


def test_us_supplied_afghan_forces_rifle_lists_every_field_and_word_that_matched(sample):
    match = match_origin(sample["ex-001"])
    assert match.status == "attributed" and match.suspected_origin == "us-supplied-andsf"
    hits = {hit.pattern: hit for hit in match.hits}
    assert (hits["afghan-ownership-mark"].field, hits["afghan-ownership-mark"].value) == ("import_marks", "ANA")
    mark = hits["us-government-property-mark"]
    assert (mark.field, mark.value, mark.matched) == ("markings", "PROPERTY OF U.S. GOVT", "PROPERTY OF US GOVT")
    assert hits["us-pattern-model"].value == "M4A1" and hits["us-supply-make"].value == "Colt"
    assert hits["nato-calibre"].value == "5.56x45mm NATO"
    expected = 1 - (1 - 0.8) * (1 - 0.6) * (1 - 0.3) * (1 - 0.25) * (1 - 0.2) * (1 - 0.1)
    assert match.score == pytest.approx(expected, abs=1e-6)


def test_factory_codes_and_type_designations_point_to_chinese_production(sample):
    match = match_origin(sample["ex-004"])
    assert match.suspected_origin == "chinese"
    patterns = {hit.pattern for hit in match.hits if hit.origin == "chinese"}
    assert {"chinese-factory-code", "chinese-type-designation", "chinese-manufacture"} <= patterns
    assert match.scores["chinese"] > match.scores["soviet-russian"]


def test_generic_kalashnikov_features_alone_leave_a_weapon_unattributed_with_the_leaders_named(sample):
    match = match_origin(sample["ex-006"])  # an AK-47 in 7.62x39mm with no readable marks
    assert match.status == "unattributed" and match.suspected_origin is None
    assert set(match.tied) == {"soviet-russian", "chinese", "eastern-european"}
    assert match.hits, "the matches are still listed"


def test_nothing_matching_is_unattributed_with_score_zero():
    match = match_origin(recovered_weapon({"weapon_class": "pistol", "make": "Glock", "country_of_manufacture": "AT"}))
    assert (match.status, match.score, match.hits, match.scores) == ("unattributed", 0.0, [], {})


def test_equal_best_scores_above_the_threshold_are_a_tie():
    catalogue = OriginCatalogue.model_validate({
        "version": 1,
        "attribution_threshold": 0.3,
        "origins": [
            {"id": origin, "short": origin, "label": origin.upper(), "description": "test origin", "patterns": [
                {"id": f"{origin}-mark", "fields": ["markings"], "words": ["STAR"], "confidence": 0.5,
                 "note": "test", "source": "test"}]}
            for origin in ("north", "south")
        ],
    })
    weapon = recovered_weapon({"weapon_class": "rifle", "markings": "a star on the receiver"})
    match = match_origin(weapon, catalogue)
    assert (match.status, match.suspected_origin, match.tied) == ("tie", None, ["north", "south"])
    report = origin_report([weapon], catalogue)
    assert [(s.origin, s.label) for s in report.shares] == [("tie:north+south", "tie: NORTH / SOUTH")]


def test_words_match_whole_words_only():
    match = match_origin(recovered_weapon({"weapon_class": "rifle", "markings": "BANANA; MODEL 7"}))
    assert not [hit for hit in match.hits if hit.pattern in ("afghan-ownership-mark", "afghan-ministry-mark")]


# ---------------------------------------------------------------- shares


def test_the_report_gives_shares_counts_wilson_intervals_and_obliterated_serials(sample):
    weapons = list(sample.values())
    report = origin_report(weapons)
    assert report.total == len(weapons) == 12
    assert report.obliterated_serials == sum(w.serial_obliterated for w in weapons)
    assert sum(share.count for share in report.shares) == report.total
    assert sum(share.share for share in report.shares) == pytest.approx(1.0)
    by_origin = {share.origin: share for share in report.shares}
    andsf = by_origin["us-supplied-andsf"]
    assert andsf.count == 3 and (andsf.ci_low, andsf.ci_high) == wilson_interval(3, 12)
    assert set(andsf.patterns) <= {p.id for p in load_origin_catalogue().origin("us-supplied-andsf").patterns}
    assert by_origin["chinese"].obliterated_serials == 1
    unattributed = by_origin["unattributed"]
    assert unattributed.count == 3 and report.shares[-1] is unattributed
    assert [m.weapon_id for m in report.matches] == [w.id for w in weapons]


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    # Reference values: scipy.stats.binomtest(k, n).proportion_ci(method="wilson"), SciPy 1.17.
    [(4, 12, 0.13812, 0.609378), (0, 10, 0.0, 0.277533), (10, 10, 0.722467, 1.0), (1, 13, 0.01371, 0.33314),
     (37, 120, 0.232727, 0.39583)],
)
def test_wilson_interval_agrees_with_scipy(successes, trials, low, high):
    assert wilson_interval(successes, trials) == pytest.approx((low, high), abs=1e-6)


def test_an_empty_report():
    report = origin_report([])
    assert (report.total, report.shares, report.matches) == (0, [], [])
    assert wilson_interval(0, 0) == (0.0, 0.0)


# ---------------------------------------------------------------- weapons over time (a hand-built store)


@pytest.fixture(scope="module")
def postgres_url():
    """A fresh PostgreSQL database for this module; skips when the server is unreachable."""
    with created_postgres_database("vigil_test") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'vigil.sqlite'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    store = open_store(Settings(database_url=url))
    try:
        yield store
    finally:
        if store.dialect == "postgresql":
            with store.engine.begin() as connection:
                for table in reversed(Base.metadata.sorted_tables):
                    connection.execute(table.delete())
        store.close()


def mention(text_: str, words: str, **fields: str) -> WeaponMention:
    start = text_.index(words)
    return WeaponMention(start=start, end=start + len(words), text=words, **fields)


def actor(text_: str, words: str, actor_id: str | None = None) -> ActorRef:
    start = text_.index(words)
    return ActorRef(start=start, end=start + len(words), text=words, actor=actor_id)


JULY = (
    "Islamic State attacked a rally with an explosive vest on 30 July 2023. "
    "TTP supplied US-made M4 rifles to Islamic State. Police also found U.S. AK-47s."
)
SEPTEMBER = "Gunmen and the Taliban attacked a checkpoint with US rifles."
UNDATED = "A cache of grenades was found."


@pytest.fixture
def reported(store):
    """Three reports: July 2023 (an attack, a supply relation, a loose mention), September 2023 (an attack
    without its own date, two perpetrators), and one with no date at all."""
    vest = mention(JULY, "explosive vest", weapon_class="suicide vest")
    m4 = mention(JULY, "US-made M4 rifles", weapon_class="assault rifle", model="M4", calibre="5.56x45mm NATO", origin="US-made")
    loose = mention(JULY, "U.S. AK-47s", weapon_class="assault rifle", model="AK-47", calibre="7.62x39mm", origin="U.S.")
    attack = Event(type="Suicide bomb", event_type="Explosions/Remote violence", start=0, end=70, sentence=JULY[:70],
                   date="2023-07-30", date_precision="day", perpetrators=[actor(JULY, "Islamic State", "islamic-state")],
                   weapons=[vest])
    supply = Relation(type="supplies_weapons_to", source=actor(JULY, "TTP", "ttp"),
                      target=actor(JULY, "Islamic State", "islamic-state"), weapons=[m4], start=71, end=120,
                      sentence=JULY[71:120])
    july = Document.from_text(JULY, published=dt.date(2023, 7, 31))
    save_document(store, july, Extraction(id=july.id, events=[attack], relations=[supply], weapons=[vest, m4, loose]))
    rifles = mention(SEPTEMBER, "US rifles", weapon_class="rifle", origin="US")
    raid = Event(type="Attack", event_type="Violence against civilians", start=0, end=len(SEPTEMBER), sentence=SEPTEMBER,
                 perpetrators=[actor(SEPTEMBER, "Gunmen"), actor(SEPTEMBER, "Taliban", "taliban")], weapons=[rifles])
    september = Document.from_text(SEPTEMBER, published=dt.date(2023, 9, 10))
    save_document(store, september, Extraction(id=september.id, events=[raid], weapons=[rifles]))
    undated = Document.from_text(UNDATED)
    save_document(store, undated, Extraction(id=undated.id, weapons=[mention(UNDATED, "grenades", weapon_class="grenade")]))
    return store


def counts(series) -> dict:  # noqa: ANN001
    return {group.key: group.counts for group in series.groups}


def test_by_class_is_gap_free_and_counts_each_mention_once(reported):
    series = weapons_over_time(reported, by="class")
    assert series.periods == ["2023-07", "2023-08", "2023-09"]
    assert series.starts[0] == dt.date(2023, 7, 1)
    assert series.total == [3, 0, 1], "the document-level copies of the vest and the M4s count once"
    assert counts(series) == {"assault rifle": [2, 0, 0], "suicide vest": [1, 0, 0], "rifle": [0, 0, 1]}
    assert series.undated == 1
    assert series.groups[0].key == "assault rifle" and series.groups[0].total == 2


def test_by_actor_takes_perpetrators_and_suppliers(reported):
    series = weapons_over_time(reported, by="actor")
    assert counts(series) == {
        "islamic-state": [1, 0, 0],
        "ttp": [1, 0, 0],
        "taliban": [0, 0, 1],
        "gunmen": [0, 0, 1],
        None: [1, 0, 0],
    }
    assert series.groups[-1].key is None and series.groups[-1].label == "(no actor named)"
    taliban = next(group for group in series.groups if group.key == "taliban")
    assert taliban.actor_id == "taliban"
    gunmen = next(group for group in series.groups if group.key == "gunmen")
    assert gunmen.label == "Gunmen" and gunmen.actor_id is None


def test_by_origin_compares_the_words_without_case_or_dots(reported):
    series = weapons_over_time(reported, by="origin")
    assert counts(series) == {"us-made": [1, 0, 0], "us": [1, 0, 1], None: [1, 0, 0]}


def test_by_calibre_weekly_and_filtered(reported):
    weekly = weapons_over_time(reported, by="calibre", period="week")
    assert weekly.periods[0] == "2023-W30" and weekly.periods[-1] == "2023-W36"
    assert sum(weekly.total) == 4
    since_august = weapons_over_time(reported, EventFilter(since=dt.date(2023, 8, 1)), by="class")
    assert since_august.periods == ["2023-08", "2023-09"] and since_august.total == [0, 1]
    taliban = weapons_over_time(reported, EventFilter(actor="Taliban"), by="class")
    assert sum(taliban.total) == 1 and counts(taliban) == {"rifle": [1]}


def test_top_keeps_the_largest_named_groups(reported):
    series = weapons_over_time(reported, by="actor")
    assert [group.key for group in series.top(2).groups] == ["gunmen", "islamic-state"]  # ties: by label
    assert None not in [group.key for group in series.top(10).groups]


def test_an_unknown_grouping_is_refused(reported):
    with pytest.raises(ValueError, match="'weapon'"):
        weapons_over_time(reported, by="weapon")  # type: ignore[arg-type]
