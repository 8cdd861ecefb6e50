"""Fused events on the dashboard: an event's page shows every report of its event side by side, the
fused list and page, the split form posting to the API, and the overview's two counts."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from vigil.api.app import create_app
from vigil.settings import Settings
from vigil.store.filters import EventFilter
from vigil.store.queries import list_events
from vigil.workflow import ingest, open_ready_store

REPORTS = Path(__file__).parents[1] / "resolve" / "data" / "bajaur_reports.jsonl"
ATTACK = ("wire-bajaur", "daily-bajaur", "weekly-bajaur")


def by_testid(page: str, name: str) -> list[str]:
    """The opening tags of the elements with ``data-testid=name``."""
    return re.findall(rf'<[^>]*data-testid="{name}"[^>]*>', page)


def rows(page: str, name: str) -> list[str]:
    """The text of each table row marked ``data-testid=name``, tags stripped."""
    found = re.findall(rf'<tr[^>]*data-testid="{name}"[^>]*>(.*?)</tr>', page, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in found]


@pytest.fixture
def site(tmp_path, extractor):
    """A dashboard over a store holding the three Bajaur reports and the unrelated Quetta one."""
    lines = [line for line in REPORTS.read_text("utf-8").splitlines() if "late-bajaur" not in line]
    reports = tmp_path / "reports.jsonl"
    reports.write_text("\n".join(lines) + "\n", "utf-8")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'web.sqlite'}")
    store = open_ready_store(settings)
    assert not ingest([reports], settings, store=store, extractor=extractor).errors
    client = TestClient(create_app(settings, store=store))
    client.store = store  # type: ignore[attr-defined]
    yield client
    store.close()


def event_of(client, document_id: str) -> int:  # noqa: ANN001
    (event,) = list_events(client.store, EventFilter(document_id=document_id))
    return event.id


def fused_id(page: str) -> str:
    (panel,) = by_testid(page, "fused-panel")
    return re.search(r'data-fused-id="([^"]+)"', panel).group(1)


def test_an_event_page_shows_every_source_side_by_side(site):
    daily = event_of(site, "daily-bajaur")
    page = site.get(f"/events/{daily}").text
    assert len(by_testid(page, "fused-panel")) == 1
    (figures,) = by_testid(page, "fused-fatalities")
    assert 'data-low="43"' in figures and 'data-best="44"' in figures and 'data-high="54"' in figures
    sources = rows(page, "fused-source-row")
    assert len(sources) == 3
    for title, toll, date in (("Suicide bombing kills 43", "43", "2023-07-31"), ("Bajaur toll rises to 44", "44", "2023-08-01"),
                              ("Islamic State behind Bajaur massacre", "54", "2023-08-04")):
        (row,) = [r for r in sources if title in r]
        assert f" {toll} " in f" {row} " and date in row and "2023-07-30" in row
    assert "Daesh" in " ".join(sources) and "IS-K" in " ".join(sources) and "Islamic State" in " ".join(sources)
    assert re.search(rf'<tr[^>]*data-event-id="{daily}" class="current" aria-current="true"', page)
    assert len(by_testid(page, "fused-merges")) == 1 and "same sub-event type (Suicide bomb)" in page
    (form,) = by_testid(page, "split-form")
    assert f'action="/api/fused-events/{fused_id(page)}/split"' in form
    assert len(re.findall(r'<input type="checkbox" name="keep"', page)) == 3
    assert "/static/js/fusion.js" in page


def test_an_event_reported_once_has_no_fused_panel(site):
    page = site.get(f"/events/{event_of(site, 'quetta-checkpoint')}").text
    assert by_testid(page, "fused-panel") == []


def test_the_fused_list_and_page(site):
    listed = site.get("/fused").text
    assert len(rows(listed, "fused-row")) == 2
    merged = site.get("/fused", params={"min_sources": 2}).text
    (row,) = rows(merged, "fused-row")
    assert "Suicide bomb" in row and "44 (43–54)" in row and row.endswith("3")
    assert rows(site.get("/fused", params={"country": "AF"}).text, "fused-row") == []
    assert site.get("/fused", params={"min_sources": "two"}).status_code == 400
    fused = re.search(r'data-fused-id="([^"]+)"', by_testid(merged, "fused-row")[0]).group(1)
    page = site.get(f"/fused/{fused}").text
    assert len(rows(page, "fused-source-row")) == 3 and fused_id(page) == fused
    assert site.get("/fused/fused-nope").status_code == 404


def test_the_events_page_switches_to_distinct_events_and_the_overview_says_both(site):
    events = site.get("/events", params={"country": "PK"}).text
    assert 'href="/fused?country=PK"' in events
    overview = site.get("/").text
    (figure,) = re.findall(r'<li data-testid="figure-events">(.*?)</li>', overview, re.S)
    words = " ".join(re.sub(r"<[^>]+>", " ", figure).split())
    assert words == "4 event reports, 2 distinct events after fusion"


def test_after_a_split_the_page_shows_the_decision_with_a_retract_button(site):
    wire, daily = event_of(site, "wire-bajaur"), event_of(site, "daily-bajaur")
    fused = fused_id(site.get(f"/events/{daily}").text)
    answer = site.post(f"/api/fused-events/{fused}/split", json={"keep": [wire], "reason": "another blast"})
    assert answer.status_code == 200
    page = site.get(f"/events/{daily}").text
    assert len(rows(page, "fused-source-row")) == 2
    decisions = by_testid(page, "retract-decision")
    assert len(decisions) == 1 and "data-fusion-retract=\"dec-" in decisions[0]
    assert "another blast" in page and "analyst" in " ".join(rows(page, "fused-source-row"))
    alone = site.get(f"/events/{wire}").text  # one report left, but shaped by a decision: the panel stays
    assert len(rows(alone, "fused-source-row")) == 1 and by_testid(alone, "split-form")
