"""The dashboard in a real headless Chromium: every page loads and draws, filters live in the URL,
events open from the table and the map, quotes are highlighted in the document, uploads appear."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.browser

UPLOADED_REPORT = """\
Suicide bomber kills 12 at checkpoint in Quetta

QUETTA, 14 March 2024 - A suicide bomber killed 12 people and wounded 20 others at a police
checkpoint in Quetta on Thursday, officials said. Tehrik-e-Taliban Pakistan claimed responsibility
for the attack in a statement. Police said the bomber detonated a suicide vest packed with ball
bearings as officers searched vehicles.
"""


def shoot(page, site, name: str) -> None:  # noqa: ANN001 (a Playwright Page and the live Site)
    page.screenshot(path=str(site.screenshots / f"{name}.png"))


def query_of(page) -> dict[str, list[str]]:  # noqa: ANN001
    return parse_qs(urlparse(page.url).query)


def test_overview_shows_figures_chart_actors_and_reports(page, site) -> None:
    page.goto(site("/"))
    events = int(page.get_by_test_id("figure-events").locator(".value").inner_text().replace(",", ""))
    assert events > 50
    page.wait_for_selector("canvas[data-chart][data-drawn=true]")
    assert page.get_by_test_id("top-actors").locator("tbody tr").count() >= 3
    assert page.get_by_test_id("latest-reports").locator("tbody tr").count() >= 3
    shoot(page, site, "overview")


def test_filter_form_puts_the_filter_in_the_url_and_narrows_the_table(page, site) -> None:
    page.goto(site("/events"))
    total_before = _total(page)
    page.fill("#f-country", "AF")
    page.get_by_test_id("filter-apply").click()
    page.wait_for_url(re.compile(r"country=AF"))
    assert query_of(page)["country"] == ["AF"]
    total_after = _total(page)
    assert 0 < total_after < total_before
    places = page.locator("[data-testid=event-row] td:nth-child(3)").all_inner_texts()
    assert places and all(place.strip().endswith("AF") for place in places), places
    # The bookmarked address gives the same view.
    page.goto(page.url)
    assert _total(page) == total_after
    assert page.input_value("#f-country") == "AF"


def test_events_map_draws_markers_and_a_table_row_opens_the_event(page, site) -> None:
    page.goto(site("/events?country=PK"))
    page.wait_for_selector("[data-testid=events-map][data-drawn=true]")
    page.wait_for_selector(".leaflet-overlay-pane path, .marker-cluster, [data-testid=map-marker]")
    shoot(page, site, "events")
    row = page.get_by_test_id("event-row").first
    event_id = row.get_attribute("data-event-id")
    row.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/events/{event_id}$"))
    assert page.get_by_test_id("event-title").is_visible()


def test_a_map_point_opens_its_event(page, site) -> None:
    page.goto(site("/events?country=AF"))
    page.wait_for_selector("[data-testid=events-map][data-drawn=true]")
    marker = page.locator("[data-testid=map-marker]")
    for _ in range(6):  # clusters open into their points as the map zooms in
        if marker.count():
            break
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(400)
    assert marker.count(), "no single event point became visible on the map"
    event_id = marker.first.get_attribute("data-event-id")
    marker.first.click(force=True)
    page.wait_for_url(re.compile(rf"/events/{event_id}$"))
    assert page.get_by_test_id("event-facts").is_visible()


def test_event_fields_link_to_the_highlighted_sentence_in_the_document(page, site) -> None:
    page.goto(site("/events?country=PK&sort=-fatalities"))
    page.get_by_test_id("event-row").first.locator("a").first.click()
    page.wait_for_selector("[data-testid=event-facts]")
    assert page.get_by_test_id("event-source-row").count() >= 1
    shoot(page, site, "event")
    sentence = page.get_by_test_id("event-sentence")
    quoted = sentence.inner_text().strip()
    sentence.click()
    page.wait_for_url(re.compile(r"/documents/.+#span-\d+-\d+$"))
    anchor = urlparse(page.url).fragment
    target = page.locator(f"[id='{anchor}']")
    assert target.count() == 1
    assert target.is_visible()
    focused = page.locator(".focus, [data-focus=true]").all_inner_texts()
    assert quoted[:40] in " ".join(focused).replace("\n", " ") or quoted[:40] in page.get_by_test_id("document-text").inner_text()
    shoot(page, site, "document")


def test_document_highlights_say_what_each_mention_resolved_to(page, site) -> None:
    page.goto(site("/documents"))
    page.get_by_test_id("document-row").first.locator("a").first.click()
    page.wait_for_selector("[data-testid=document-text]")
    marks = page.get_by_test_id("highlight")
    assert marks.count() > 3
    titles = [title for title in marks.evaluate_all("ms => ms.map(m => m.title)") if title]
    assert titles, "highlights carry no tooltip"
    assert any(re.search(r"actor|place|event|weapon", title, re.I) for title in titles)
    assert page.get_by_test_id("highlight-legend").is_visible()


def test_actor_profile_draws_its_relations_network(page, site) -> None:
    page.goto(site("/actors"))
    shoot(page, site, "actors")
    page.get_by_test_id("actor-row").first.locator("a").first.click()
    page.wait_for_selector("[data-testid=actor-name]")
    assert page.get_by_test_id("actor-aliases").is_visible()
    graph = page.get_by_test_id("actor-graph")
    if graph.count():
        page.wait_for_selector("[data-testid=actor-graph][data-drawn=true]")
    shoot(page, site, "actor")


def test_weapons_page_draws_the_supply_network(page, site) -> None:
    page.goto(site("/weapons"))
    assert page.get_by_test_id("weapon-classes").is_visible()
    page.wait_for_selector("[data-testid=supply-graph][data-drawn=true]")
    assert page.get_by_test_id("supply-report").count() >= 1
    shoot(page, site, "weapons")


def test_claims_page_shows_who_asserts_and_who_denies(page, site) -> None:
    page.goto(site("/claims"))
    assert page.get_by_test_id("claim-group").count() >= 1
    stances = set(page.locator("[data-testid=claim-voice]").evaluate_all("vs => vs.map(v => v.dataset.stance)"))
    assert {"asserts", "denies"} <= stances
    shoot(page, site, "claims")


def test_uploading_a_file_stores_it_and_its_events_appear(page, site, tmp_path: Path) -> None:
    report = tmp_path / "quetta-checkpoint.txt"
    report.write_text(UPLOADED_REPORT, encoding="utf-8")
    page.goto(site("/ingest"))
    page.get_by_test_id("upload-files").set_input_files(str(report))
    page.get_by_test_id("upload-submit").click()
    link = page.get_by_test_id("upload-document-link")
    link.wait_for(timeout=60_000)
    assert "quetta-checkpoint.txt" in page.get_by_test_id("upload-summary").inner_text()
    shoot(page, site, "ingest")
    link.click()
    page.wait_for_selector("[data-testid=document-text]")
    assert "Quetta" in page.get_by_test_id("document-text").inner_text()
    document_id = urlparse(page.url).path.rsplit("/", 1)[-1]
    page.goto(site(f"/events?document={document_id}"))
    rows = page.get_by_test_id("event-row")
    assert rows.count() >= 1
    assert "Suicide bomb" in page.get_by_test_id("events-table").inner_text()


def _total(page) -> int:  # noqa: ANN001
    words = page.get_by_test_id("events-total").inner_text()
    return int(re.match(r"[\d,]+", words).group().replace(",", ""))
