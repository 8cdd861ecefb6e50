"""Every dashboard page over a small real store: content, filters in the URL, 404 and 400 pages."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
from fastapi.testclient import TestClient

from vigil.api.app import create_app
from vigil.store.details import get_document_detail
from vigil.store.filters import EventFilter
from vigil.store.queries import count_events, list_events

COMMENTARY = "vigil-example-commentary-2023-08-28"


def by_testid(page: str, name: str) -> list[str]:
    """The opening tags of the elements with ``data-testid=name``."""
    return re.findall(rf'<[^>]*data-testid="{name}"[^>]*>', page)


def embedded(page: str, element_id: str) -> object:
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', page, re.S)
    assert match, f"no embedded data {element_id!r}"
    return json.loads(match.group(1))


def event_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="event-row" data-event-id="(\d+)"', page)]


def bajaur_event(store):
    (stored,) = list_events(store, EventFilter(document_id=COMMENTARY))
    return stored


# --- overview ---------------------------------------------------------------------------------


def test_overview_shows_the_headline_figures_of_the_store(client, store):
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    total = count_events(store)
    assert re.search(rf'data-testid="figure-events"><span class="value">{total}<', page)
    assert by_testid(page, "filter-form") and by_testid(page, "top-actors") and by_testid(page, "latest-reports")
    chart = embedded(page, "chart-monthly")
    assert sum(sum(dataset["data"]) for dataset in chart["datasets"]) == total  # every event is dated here
    assert {d["label"] for d in chart["datasets"]} <= {
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
        "Strategic developments",
    }
    assert "Islamic State finds new arms and old enemies in Pakistan" in page


def test_overview_follows_the_filter_in_the_url(client, store):
    page = client.get("/", params={"country": "AF"}).text
    expected = count_events(store, EventFilter(country="AF"))
    assert 0 < expected < count_events(store)
    assert re.search(rf'data-testid="figure-events"><span class="value">{expected}<', page)
    assert 'name="country" value="AF"' in page  # the filter bar shows what is applied
    assert sum(sum(d["data"]) for d in embedded(page, "chart-monthly")["datasets"]) == expected


# --- events -----------------------------------------------------------------------------------


def test_events_page_lists_pages_and_maps_the_events(client, store):
    page = client.get("/events").text
    total = count_events(store)
    assert f"{total} events match" in page
    rows = event_ids(page)
    assert rows == [e.id for e in list_events(store, EventFilter(limit=50))]
    assert by_testid(page, "events-map") and by_testid(page, "map-legend")
    points = embedded(page, "map-points")
    located = [e for e in list_events(store) if e.event.location and e.event.location.lat is not None]
    assert {f["id"] for f in points["features"]} == {e.id for e in located}
    assert all(set(f["properties"]) >= {"event_type", "fatalities_min"} for f in points["features"])
    for format in ("csv", "json", "geojson"):
        (link,) = by_testid(page, f"export-{format}")
        assert f'href="/api/events/export?format={format}' in link


def test_events_filters_sorting_and_paging_come_from_the_url(client, store):
    pk = event_ids(client.get("/events", params={"country": "PK"}).text)
    assert pk and set(pk) == {e.id for e in list_events(store, EventFilter(country="PK"))}
    deadliest = event_ids(client.get("/events", params={"sort": "-fatalities"}).text)
    assert deadliest == [e.id for e in list_events(store, EventFilter(order="-fatalities", limit=50))]
    first = event_ids(client.get("/events", params={"limit": 3}).text)
    second_page = client.get("/events", params={"limit": 3, "offset": 3}).text
    assert len(first) == 3 and not set(first) & set(event_ids(second_page))
    assert 'rel="prev"' in second_page and "offset=0" in second_page
    in_2023 = event_ids(client.get("/events", params={"since": "2023-01-01", "until": "2023-12-31"}).text)
    expected = list_events(store, EventFilter(since=dt.date(2023, 1, 1), until=dt.date(2023, 12, 31)))
    assert in_2023 and set(in_2023) == {e.id for e in expected}
    words = event_ids(client.get("/events", params={"text": "suicide bomber"}).text)
    assert bajaur_event(store).id in words
    assert event_ids(client.get("/events", params={"document": COMMENTARY}).text) == [bajaur_event(store).id]


def test_export_links_keep_the_filter_and_the_api_answers_them(client):
    page = client.get("/events", params={"country": "PK", "event_type": "Explosions/Remote violence"}).text
    (link,) = by_testid(page, "export-geojson")
    href = html.unescape(re.search(r'href="([^"]+)"', link).group(1))
    assert "country=PK" in href and "event_type=Explosions%2FRemote+violence" in href
    exported = client.get(href)
    assert exported.status_code == 200
    assert {f["properties"]["country"] for f in exported.json()["features"]} <= {"PK"}


def test_bad_filters_give_the_page_with_a_clear_message(client):
    for path, params, words in [
        ("/events", {"since": "yesterday"}, "since"),
        ("/events", {"country": "Pakistan"}, "country"),
        ("/events", {"sort": "sideways"}, "sort"),
        ("/", {"event_type": "Skirmish"}, "Skirmish"),
        ("/events", {"since": "2024-01-01", "until": "2023-01-01"}, "after"),
        ("/actors", {"limit": "-4"}, "limit"),
        ("/claims", {"until": "31/12/2023"}, "until"),
    ]:
        response = client.get(path, params=params)
        assert response.status_code == 400, (path, params)
        assert response.headers["content-type"].startswith("text/html")
        (message,) = re.findall(r'data-testid="error-message">([^<]+)<', response.text)
        assert words in html.unescape(message), message
        assert by_testid(response.text, "filter-form"), "the filter bar stays, to correct the value"


def test_event_page_shows_every_field_with_its_source(client, store):
    stored = bajaur_event(store)
    response = client.get(f"/events/{stored.id}")
    assert response.status_code == 200
    page = response.text
    assert "Suicide bomb" in page and "Explosions/Remote violence" in page
    assert "2023-07" in page and "Khyber Pakhtunkhwa" in page
    assert 'href="/actors/islamic-state"' in page
    (sources,) = by_testid(page, "event-sources")
    rows = re.findall(r'data-testid="event-source-row"', page)
    assert len(rows) == 1 and "more than 40" in page
    text = get_document_detail(store, COMMENTARY).document.text
    links = re.findall(r'<a href="([^"]+)" data-testid="field-source" data-field="(\w+)"', page)
    assert {field for _, field in links} >= {"date", "location", "perpetrator", "target", "fatalities", "injuries"}
    for href, field in links:
        match = re.search(r"focus=(\d+)-(\d+)#span-(\d+)-(\d+)$", html.unescape(href))
        assert match and match.group(1, 2) == match.group(3, 4), href
        start, end = int(match.group(1)), int(match.group(2))
        assert text[start:end].strip(), field
    assert "more than 40" in [text[int(a):int(b)] for a, b in re.findall(r"focus=(\d+)-(\d+)", page)]
    assert by_testid(page, "event-map")  # placed by its province: the map outlines it


def test_unknown_ids_get_a_404_page(client):
    for path in ("/events/999999", "/events/not-a-number", "/actors/no-such-actor", "/documents/no-such-document"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert by_testid(response.text, "error-message")
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "There is no page at /no/such/page" in missing.text
    api = client.get("/api/events/999999")
    assert api.status_code == 404 and api.json()["error"]["status"] == 404  # the API keeps its JSON errors


# --- actors -----------------------------------------------------------------------------------


def test_actor_list_searches_names_and_aliases(client):
    page = client.get("/actors", params={"q": "Pakistani Taliban"}).text
    ids = re.findall(r'data-testid="actor-row" data-actor-id="([^"]+)"', page)
    assert "tehrik-e-taliban-pakistan" in ids
    everyone = re.findall(r'data-testid="actor-row"', client.get("/actors").text)
    assert len(everyone) > len(ids)


def test_actor_list_with_a_filter_keeps_actors_of_matching_events(client, store):
    page = client.get("/actors", params={"country": "PK", "since": "2023-01-01"}).text
    ids = set(re.findall(r'data-testid="actor-row" data-actor-id="([^"]+)"', page))
    named = {
        ref.actor
        for stored in list_events(store, EventFilter(country="PK", since=dt.date(2023, 1, 1)))
        for ref in stored.event.perpetrators + stored.event.targets + stored.event.victims
        if ref.actor
    }
    assert "islamic-state" in ids and ids == named


def test_actor_page_profile_relations_and_chart(client):
    page = client.get("/actors/islamic-state").text
    assert re.search(r'data-testid="actor-name">Islamic State', page)
    assert "ISIL" in re.search(r'data-testid="actor-aliases">([^<]*)<', page).group(1)
    assert "Islamic State Khorasan Province" in page  # a faction
    graph = embedded(page, "actor-graph-data")
    supplies = [e["data"] for e in graph["edges"] if e["data"]["type"] == "supplies_weapons_to"]
    assert {e["source"] for e in supplies} >= {"tehrik-e-taliban-pakistan", "al-qaida"}
    assert all(e["target"] == "islamic-state" for e in supplies)
    assert re.findall(r'data-testid="relation-row"', page)
    assert "UN Analytical Support and Sanctions Monitoring Team" in page  # who reports the relation
    chart = embedded(page, "chart-actor-events")
    assert sum(chart["datasets"][0]["data"]) >= 1 and chart["drill"]["params"] == {"actor": "islamic-state"}


def test_actor_un_reference_is_shown(client):
    page = client.get("/actors/tehrik-e-taliban-pakistan").text
    assert "QDe.132" in re.search(r'data-testid="actor-un-ref">(.*?)</dd>', page, re.S).group(1)


# --- weapons and claims ------------------------------------------------------------------------


def test_weapons_page_tables_charts_and_supply_network(client):
    page = client.get("/weapons").text
    assert by_testid(page, "weapon-classes") and by_testid(page, "weapons-by-actor")
    assert embedded(page, "chart-weapon-classes")["datasets"][0]["data"]
    graph = embedded(page, "supply-graph-data")
    edges = {(e["data"]["source"], e["data"]["target"]): e["data"] for e in graph["edges"]}
    assert ("tehrik-e-taliban-pakistan", "islamic-state") in edges
    assert edges[("tehrik-e-taliban-pakistan", "islamic-state")]["type"] == "supplies_weapons_to"
    assert "NATO-calibre weapons" in page
    assert re.findall(r'data-testid="supply-report"', page) and re.findall(r'data-testid="weapon-row"', page)


def test_weapons_page_follows_the_filter(client):
    none_in_2010 = client.get("/weapons", params={"since": "2010-01-01", "until": "2010-12-31"}).text
    assert "No supply relation is reported for this filter" in none_in_2010
    assert not re.findall(r'data-testid="weapon-row"', none_in_2010)


def test_claims_page_groups_assertions_and_denials(client):
    page = client.get("/claims").text
    groups = re.findall(r'data-testid="claim-group"', page)
    assert groups
    first = page.split('data-testid="claim-group"')[1]
    assert 'data-stance="asserts"' in first and 'data-stance="denies"' in first  # contested ones first
    assert "Zabihullah Mujahid" in page and "reduced to zero" in page
    assert by_testid(page, "claim-recorded-events")
    quotes = [html.unescape(q) for q in re.findall(r'<blockquote>“<a href="([^"]+)"', page)]
    assert quotes and all(re.search(r"\?fact=(claim-\d+)#\1$", q) for q in quotes), quotes[:3]


def test_a_claim_link_lands_on_its_quote(client, store):
    claims = [html.unescape(q) for q in re.findall(r'<blockquote>“<a href="([^"]+)"', client.get("/claims").text)]
    link = next(q for q in claims if q.startswith(f"/documents/{COMMENTARY}?"))
    anchor = link.rsplit("#", 1)[1]
    page = client.get(link).text
    detail = get_document_detail(store, COMMENTARY)
    (claim,) = [s for s in detail.spans if s.kind == "claim" and f"claim-{s.fact_id}" == anchor]
    anchors = r'(<span id="[^"]+" class="anchor"></span>)+'
    mark = re.search(rf'<mark id="span-{claim.start}-{claim.end}"[^>]*>{anchors}', page)
    assert mark and "focus" in mark.group(0) and f'<span id="{anchor}" class="anchor">' in mark.group(0)


def test_claims_page_follows_the_filter(client):
    page = client.get("/claims", params={"since": "2023-01-01"}).text
    everything = client.get("/claims").text
    count = lambda p: int(re.search(r'data-testid="claims-total">(\d+)', p).group(1))  # noqa: E731
    assert 0 < count(page) < count(everything)


# --- documents --------------------------------------------------------------------------------


def test_documents_list_and_filter(client):
    page = client.get("/documents").text
    assert len(re.findall(r'data-testid="document-row"', page)) == 18
    in_2023 = re.findall(r'data-testid="document-row" data-document-id="([^"]+)"',
                         client.get("/documents", params={"since": "2023-01-01"}).text)
    assert in_2023 and all(i.startswith("vigil-example") for i in in_2023)
    for path in ("/documents", "/weapons", "/claims", "/actors"):  # an event order where it means nothing is harmless
        assert client.get(path, params={"sort": "-fatalities"}).status_code == 200, path


def test_document_page_highlights_with_what_each_span_resolved_to(client, store):
    detail = get_document_detail(store, COMMENTARY)
    text = detail.document.text
    page = client.get(f"/documents/{COMMENTARY}").text
    body = re.search(r'data-testid="document-text"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", body)) == text  # the whole text, nothing lost or added

    def title_of(phrase: str) -> str:
        start = text.index(phrase)
        tag = re.search(rf'<mark id="span-{start}-{start + len(phrase)}"[^>]*>', body)
        assert tag, phrase
        return html.unescape(re.search(r'title="([^"]*)"', tag.group(0)).group(1))

    assert "Tehrik-e-Taliban Pakistan (tehrik-e-taliban-pakistan)" in title_of("the TTP")
    assert "Location → Kabul, AF" in title_of("Kabul")
    sentence = detail.extraction.events[0]
    assert "Suicide bomb (Explosions/Remote violence)" in title_of(text[sentence.start:sentence.end])
    assert "denies" in title_of("the findings")
    trigger = detail.extraction.events[0].trigger
    assert trigger and title_of(trigger).startswith(f"Trigger of event #{detail.event_ids[0]}: Suicide bomb")
    assert by_testid(page, "highlight-legend") and len(by_testid(page, "highlight")) >= len(detail.spans) // 2


def test_document_page_outlines_the_passage_a_link_points_to(client, store):
    text = get_document_detail(store, COMMENTARY).document.text
    start = text.index("more than 40")
    end = start + len("more than 40")
    page = client.get(f"/documents/{COMMENTARY}", params={"focus": f"{start}-{end}"}).text
    tag = re.search(rf'<mark id="span-{start}-{end}"[^>]*>', page).group(0)
    assert "focus" in tag
    unfocused = client.get(f"/documents/{COMMENTARY}", params={"focus": "5-2"})
    assert unfocused.status_code == 200 and "hl-focus" not in unfocused.text


# --- ingest and static files ------------------------------------------------------------------


def test_ingest_page_has_the_upload_form_and_progress(client):
    page = client.get("/ingest").text
    (form,) = by_testid(page, "upload-form")
    assert 'action="/api/documents"' in form and 'enctype="multipart/form-data"' in form
    (files,) = by_testid(page, "upload-files")
    assert "multiple" in files
    assert by_testid(page, "progress-bar") and by_testid(page, "upload-summary") and by_testid(page, "upload-url")
    assert '<script src="/static/js/ingest.js"' in page


@pytest.mark.parametrize(
    "path", ["/", "/events", "/actors", "/actors/islamic-state", "/weapons", "/claims", "/documents", "/ingest"]
)
def test_pages_link_only_to_static_files_that_exist(client, path):
    page = client.get(path).text
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assets += re.findall(r'data-(?:countries|admin1)="(/static/[^"]+)"', page)
    assert assets
    for asset in set(assets):
        assert client.get(asset).status_code == 200, asset


def test_an_online_tile_layer_is_only_used_when_configured(client, web_store, monkeypatch):
    assert "data-tiles" not in client.get("/events").text  # offline by default: bundled outlines only
    monkeypatch.setenv("VIGIL_TILE_URL", "https://tiles.example/{z}/{x}/{y}.png")
    settings, store = web_store
    with_tiles = TestClient(create_app(settings, store=store))
    (container,) = by_testid(with_tiles.get("/events").text, "events-map")
    assert 'data-tiles="https://tiles.example/{z}/{x}/{y}.png"' in container


def test_pages_stay_out_of_the_api_description(client):
    # the REST API and the TAXII 2.1 service are described; the dashboard's pages are not
    paths = client.get("/openapi.json").json()["paths"]
    assert paths and all(path.startswith(("/api/", "/taxii2/")) for path in paths)
    assert any(path.startswith("/api/") for path in paths)
