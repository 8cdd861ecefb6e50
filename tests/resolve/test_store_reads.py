"""Reading fused events: filters, orders, distinct counts and the fused series, beside the per-report ones."""

from __future__ import annotations

import pytest

from vigil.analysis.series import event_series
from vigil.store.filters import BadFilter, EventFilter
from vigil.store.fusion_reads import count_distinct_events, fused_event_of, get_fused_event, page_fused_events
from vigil.store.queries import count_events, list_events

from .stores import (  # noqa: F401  (fixtures)
    ATTACK,
    UNRELATED,
    fusion_postgres_url,
    fusion_settings,
    fusion_store,
    ingest_reports,
    report_files,
)


@pytest.fixture
def attack(fusion_store, fusion_settings, extractor, report_files):
    ingest_reports(fusion_store, fusion_settings, extractor, [report_files[r] for r in (*ATTACK, UNRELATED)])
    return fusion_store


def documents(page) -> list[set[str]]:  # noqa: ANN001
    return [{s.document_id for s in item.fused.sources} for item in page.items]


def test_filters_apply_to_the_fused_fields_and_to_the_reports(attack):
    assert page_fused_events(attack).total == 2
    assert page_fused_events(attack, EventFilter(country="pk")).total == 2
    assert page_fused_events(attack, EventFilter(country="AF")).total == 0
    assert documents(page_fused_events(attack, EventFilter(sub_event_type="Armed clash"))) == [{UNRELATED}]
    assert documents(page_fused_events(attack, EventFilter(event_type="Explosions/Remote violence"))) == [set(ATTACK)]
    assert documents(page_fused_events(attack, EventFilter(admin1="khyber pakhtunkhwa"))) == [set(ATTACK)]
    # actor, words and document: a fused event matches when one of its reports does
    assert documents(page_fused_events(attack, EventFilter(actor="IS-K"))) == [set(ATTACK)]
    assert documents(page_fused_events(attack, EventFilter(text="policemen"))) == [{UNRELATED}]
    assert documents(page_fused_events(attack, EventFilter(document_id="weekly-bajaur"))) == [set(ATTACK)]
    assert page_fused_events(attack, EventFilter(since=__import__("datetime").date(2023, 7, 31))).total == 0


def test_min_sources_orders_and_paging(attack):
    assert documents(page_fused_events(attack, min_sources=2)) == [set(ATTACK)]
    assert documents(page_fused_events(attack, EventFilter(order="-fatalities")))[0] == set(ATTACK)
    assert documents(page_fused_events(attack, EventFilter(order="fatalities")))[0] == {UNRELATED}
    first = page_fused_events(attack, EventFilter(limit=1, order="type"))
    second = page_fused_events(attack, EventFilter(limit=1, offset=1, order="type"))
    assert first.total == second.total == 2 and documents(first) != documents(second)
    with pytest.raises(BadFilter, match="min_sources"):
        page_fused_events(attack, min_sources=0)


def test_distinct_counts_beside_report_counts(attack):
    assert count_events(attack) == 4
    assert count_distinct_events(attack) == 2
    assert count_distinct_events(attack, EventFilter(actor="Daesh")) == 1
    assert count_distinct_events(attack, EventFilter(country="AF")) == 0


def test_the_series_counts_each_fused_event_once_when_asked(attack):
    reports = event_series(attack, EventFilter(country="PK"), "month")
    fused = event_series(attack, EventFilter(country="PK"), "month", fused=True)
    assert sum(reports.total.events) == 4 and sum(fused.total.events) == 2
    by_type = {g.key: g.total_events for g in event_series(attack, None, "month", "sub_event_type", fused=True).groups}
    assert by_type == {"Suicide bomb": 1, "Armed clash": 1}


def test_an_event_page_finds_its_fused_event(attack):
    (daily,) = list_events(attack, EventFilter(document_id="daily-bajaur"))
    found = fused_event_of(attack, daily.id)
    assert found is not None and found.n_sources == 3
    assert get_fused_event(attack, "fused-nope") is None
    assert fused_event_of(attack, 999_999) is None


def test_the_fused_series_groups_an_event_under_every_perpetrator_its_reports_name(attack):
    by_actor = {g.key: g.total_events for g in event_series(attack, EventFilter(country="PK"), "month", "actor").groups}
    fused = event_series(attack, EventFilter(country="PK"), "month", "actor", fused=True)
    assert fused.fused and sum(fused.total.events) == 2
    groups = {g.key: g.total_events for g in fused.groups}
    assert by_actor["islamic-state"] == 2, "two reports blame the Islamic State"
    assert groups["islamic-state"] == 1 and groups["islamic-state-khorasan-province"] == 1, "one attack, named both ways"
    assert groups == {"islamic-state": 1, "islamic-state-khorasan-province": 1, "suicide bomber": 1, "Gunmen": 1}


def test_the_fused_series_filters_like_fused_events_and_counts_the_fused_toll(attack):
    # actor, words and document match any report of the event; each event counts once
    for filter in (EventFilter(actor="IS-K"), EventFilter(actor="Daesh"), EventFilter(document_id="weekly-bajaur")):
        assert sum(event_series(attack, filter, "month", fused=True).total.events) == 1, filter
    assert sum(event_series(attack, EventFilter(actor="IS-K"), "month").total.events) == 1, "one report says IS-K"
    reports = event_series(attack, None, "month")
    fused = event_series(attack, None, "month", fused=True)
    (daily,) = list_events(attack, EventFilter(document_id="daily-bajaur"))
    low = fused_event_of(attack, daily.id).fused.fatalities.low
    assert sum(reports.total.fatalities_min) == 43 + 44 + 54 + 3
    assert sum(fused.total.fatalities_min) == low + 3 and low == 43


def test_the_fused_trend_report_compares_real_events(attack):
    import datetime as dt

    from vigil.analysis.trend_report import trend_report

    windows = ((dt.date(2023, 6, 1), dt.date(2023, 6, 30)), (dt.date(2023, 7, 1), dt.date(2023, 7, 31)))
    reports = trend_report(attack, None, "month", None, windows)
    fused = trend_report(attack, None, "month", None, windows, fused=True)
    assert reports.comparison.after.events == 4 and fused.comparison.after.events == 2
    assert fused.fatalities.after.events_with_figure == 2 and reports.fatalities.after.events_with_figure == 4
