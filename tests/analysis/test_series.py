"""``event_series`` on a hand-built store, on SQLite and (marked ``postgres``) PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.databases import created_postgres_database
from vigil.analysis.periods import next_period, period_key, period_start, period_starts
from vigil.analysis.series import Series, event_series, fatality_figures, period_of
from vigil.model.records import Actor, ActorRef, Bounds, Document, Event, Extraction, Location
from vigil.settings import Settings
from vigil.store import EventFilter, open_store, save_document, seed_actors
from vigil.store.tables import Base

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


def report(store, published: dt.date | None, *events: dict) -> None:
    """Save one document holding ``events`` (each a dict of Event fields plus perpetrator words/ids)."""
    sentences = []
    built = []
    for n, fields in enumerate(events):
        fields = dict(fields)
        sentence = f"Event {n} of a report published {published}: {fields.pop('words', 'gunmen attacked')}."
        offset = sum(len(s) + 1 for s in sentences)
        perpetrators = [
            ActorRef(start=offset, end=offset + 5, text=words, actor=actor_id)
            for words, actor_id in fields.pop("perpetrators", [])
        ]
        country, admin1 = fields.pop("country", None), fields.pop("admin1", None)
        built.append(Event(
            type=fields.pop("type", "Armed clash"), event_type=fields.pop("event_type", "Battles"),
            start=offset, end=offset + len(sentence), sentence=sentence, perpetrators=perpetrators,
            location=Location(country=country, admin1=admin1) if country or admin1 else None, **fields,
        ))
        sentences.append(sentence)
    body = " ".join(sentences) + f" ({uuid.uuid4().hex})"
    document = Document.from_text(body, published=published)
    save_document(store, document, Extraction(id=document.id, events=built))


def day(value: str) -> dict:
    return {"date": value, "date_precision": "day"}


@pytest.fixture
def loaded(store):
    """January 2023: 3 events (one dated only by its report), none in February, 1 in March; plus extras."""
    seed_actors(store, [Actor(id="islamic-state", name="Islamic State", kind="armed_group", aliases=["ISIS"])])
    report(store, dt.date(2023, 1, 31),
           {**day("2023-01-01"), "fatalities": Bounds(min=40, text="at least 40"), "country": "PK",
            "admin1": "Khyber Pakhtunkhwa", "perpetrators": [("Islamic State", "islamic-state"), ("ISIS", "islamic-state")],
            "type": "Suicide bomb", "event_type": "Explosions/Remote violence"},
           {**day("2023-01-02"), "fatalities": Bounds(min=3, max=5), "country": "PK", "admin1": "Punjab",
            "perpetrators": [("Unidentified gunmen", None), ("Islamic State", "islamic-state")]},
           {"country": "IN", "admin1": "Punjab", "perpetrators": [("unidentified gunmen", None)]})  # dated by the report
    report(store, dt.date(2023, 3, 20), {**day("2023-03-19"), "fatalities": Bounds(min=0), "country": "NG"},
           {"date": "2023-03", "date_precision": "month", "country": "NG", "fatalities": Bounds(min=2)})
    report(store, None, {"country": "SO"})  # no date at all
    return store


def test_monthly_series_fills_gaps_with_zeros(loaded):
    series = event_series(loaded, period="month")
    assert [p.key for p in series.periods] == ["2023-01", "2023-02", "2023-03"]
    assert series.by is None and series.groups == [series.total]
    total = series.total
    assert total.events == [3, 0, 2]
    assert total.fatalities_min == [43, 0, 2]
    assert total.no_fatality_figure == [1, 0, 0]
    assert total.dated_by_document == [1, 0, 0]
    assert total.date_coarser_than_period == [0, 0, 0]  # a month is not coarser than a month
    assert (total.total_events, total.total_fatalities_min, series.undated) == (5, 45, 1)
    assert series.periods[1].start == dt.date(2023, 2, 1) and series.periods[1].end == dt.date(2023, 2, 28)
    assert [p.days for p in series.periods] == [31, 28, 31]


def test_weeks_are_iso_weeks_starting_monday(loaded):
    series = event_series(loaded, EventFilter(until=dt.date(2023, 1, 31)), period="week")
    # Sunday 1 January 2023 is in ISO week 2022-W52; Monday 2 January starts 2023-W01.
    assert series.periods[0].key == "2022-W52" and series.periods[0].start == dt.date(2022, 12, 26)
    assert series.periods[1].key == "2023-W01" and series.periods[1].start == dt.date(2023, 1, 2)
    assert series.total.events[:2] == [1, 1]
    assert series.total.events[period_of(series, dt.date(2023, 1, 31))] == 1  # the event dated by its report
    assert series.periods[-1].key == "2023-W05" and series.periods[-1].days == 2  # 30 and 31 January are in the window
    assert sum(series.total.events) == 3


def test_month_precision_is_flagged_in_a_weekly_series(loaded):
    series = event_series(loaded, EventFilter(since=dt.date(2023, 3, 1)), period="week")
    march_first = period_of(series, dt.date(2023, 3, 1))
    assert series.periods[march_first].key == "2023-W09"
    assert series.total.events[march_first] == 1 and series.total.date_coarser_than_period[march_first] == 1
    assert series.periods[0].days == 5  # Wednesday 1 March to Sunday 5 March


def test_window_of_the_filter_gives_leading_and_trailing_zeros(loaded):
    series = event_series(loaded, EventFilter(since=dt.date(2022, 11, 15), until=dt.date(2023, 4, 30)))
    assert [p.key for p in series.periods] == ["2022-11", "2022-12", "2023-01", "2023-02", "2023-03", "2023-04"]
    assert series.total.events == [0, 0, 3, 0, 2, 0]
    assert series.periods[0].days == 16 and series.since == dt.date(2022, 11, 15)
    assert series.undated == 0  # a date window leaves out the events without a date


def test_by_actor_groups_perpetrators_resolved_or_by_their_words(loaded):
    series = event_series(loaded, by="actor")
    groups = {g.label: g for g in series.groups}
    assert set(groups) == {"Islamic State", "Unidentified gunmen", "(no perpetrator named)"}
    islamic_state = groups["Islamic State"]
    assert islamic_state.key == "islamic-state" and islamic_state.filter_fields == {"actor": "islamic-state"}
    assert islamic_state.events == [2, 0, 0]  # named twice in one event: counted once
    assert islamic_state.fatalities_min == [43, 0, 0]
    assert groups["Unidentified gunmen"].events == [2, 0, 0]  # case-insensitive words
    assert groups["Unidentified gunmen"].dated_by_document == [1, 0, 0]
    assert groups["(no perpetrator named)"].key is None and groups["(no perpetrator named)"].events == [0, 0, 2]
    assert series.groups[-1].key is None  # the missing-value group comes last
    assert series.total.events == [3, 0, 2]  # shared events counted once in the total


def test_fatality_figures_per_event(loaded):
    figures, missing = fatality_figures(loaded, None, dt.date(2023, 1, 1), dt.date(2023, 1, 31))
    assert (sorted(figures), missing) == ([3, 40], 1)
    assert fatality_figures(loaded, EventFilter(country="NG"), dt.date(2023, 3, 1), dt.date(2023, 3, 31)) == ([0, 2], 0)


def test_by_type_country_and_admin1(loaded):
    by_type = event_series(loaded, by="sub_event_type")
    assert {g.key: g.events for g in by_type.groups} == {"Armed clash": [2, 0, 2], "Suicide bomb": [1, 0, 0]}
    assert event_series(loaded, by="event_type").groups[0].filter_fields == {"event_type": "Battles"}
    by_country = event_series(loaded, by="country")
    assert {g.key: g.total_events for g in by_country.groups} == {"PK": 2, "NG": 2, "IN": 1}
    assert [g.key for g in by_country.top(2).groups] == ["NG", "PK"] and by_country.top(2).total == by_country.total
    by_admin1 = event_series(loaded, by="admin1")
    assert {g.label: g.total_events for g in by_admin1.groups} == {
        "Khyber Pakhtunkhwa, PK": 1, "Punjab, IN": 1, "Punjab, PK": 1, "(no admin1), NG": 2,
    }
    assert by_admin1.group("PK/Punjab").filter_fields == {"admin1": "Punjab", "country": "PK"}


def test_filters_apply(loaded):
    pakistan = event_series(loaded, EventFilter(country="PK"))
    assert [p.key for p in pakistan.periods] == ["2023-01"] and pakistan.total.events == [2]
    by_alias = event_series(loaded, EventFilter(actor="ISIS"), by="actor")
    assert by_alias.total.events == [2]
    assert {g.label for g in by_alias.groups} == {"Islamic State", "Unidentified gunmen"}
    typed = event_series(loaded, EventFilter(sub_event_type="Suicide bomb"), period="week")
    assert typed.total.total_events == 1 and len(typed.periods) == 1


def test_empty_store_and_bad_arguments(store):
    empty = event_series(store)
    assert empty.periods == [] and empty.total.events == [] and empty.undated == 0
    window = event_series(store, EventFilter(since=dt.date(2024, 1, 1), until=dt.date(2024, 2, 10)))
    assert window.total.events == [0, 0] and window.periods[1].days == 10
    with pytest.raises(ValueError, match="'day'"):
        event_series(store, period="day")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'weapon'"):
        event_series(store, by="weapon")  # type: ignore[arg-type]


def test_series_is_json_ready(loaded):
    data = event_series(loaded, by="country").model_dump(mode="json")
    assert data["periods"][0] == {"key": "2023-01", "start": "2023-01-01", "end": "2023-01-31", "days": 31}
    assert data["total"]["total_events"] == 5
    assert Series.model_validate(data).total.events == [3, 0, 2]


def test_period_arithmetic():
    assert period_start(dt.date(2024, 2, 29), "month") == dt.date(2024, 2, 1)
    assert next_period(dt.date(2023, 12, 1), "month") == dt.date(2024, 1, 1)
    assert period_key(dt.date(2020, 12, 28), "week") == "2020-W53"
    assert period_key(dt.date(2021, 1, 4), "week") == "2021-W01"
    assert len(period_starts(dt.date(2020, 12, 31), dt.date(2021, 1, 4), "week")) == 2
