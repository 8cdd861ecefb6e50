"""The weapons page's "Reported over time" and "Recovered weapons" sections, and the supply table's assertions."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from vigil.api.app import create_app
from vigil.recovered import import_recovered_csv
from vigil.settings import Settings
from vigil.workflow import ingest, open_ready_store

SAMPLES = Path(str(resources.files("vigil").joinpath("samples")))


def embedded(page: str, element_id: str) -> dict:
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', page, re.S)
    assert match, f"no embedded data {element_id!r}"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def site(tmp_path_factory, extractor):
    """The six illustrative reports and the sample recovered weapons, in a store of this module's own."""
    settings = Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('recovered-web') / 'vigil.sqlite'}")
    store = open_ready_store(settings)
    outcome = ingest([SAMPLES / "vigil-examples.jsonl"], settings, store=store, extractor=extractor)
    assert not outcome.errors
    assert not import_recovered_csv(store, SAMPLES / "recovered_weapons_example.csv").errors
    with TestClient(create_app(settings, store=store)) as client:
        yield client
    store.close()


def test_recovered_weapons_table_and_origin_shares(site):
    page = site.get("/weapons").text
    rows = re.findall(r'data-testid="recovered-row" data-id="([^"]+)"', page)
    assert len(rows) == 12 and rows[0] == "ex-011", "most recently recovered first"
    shares = re.findall(r'data-testid="recovered-origin" data-origin="([^"]+)"', page)
    assert shares[0] == "us-supplied-andsf" and shares[-1] == "unattributed"
    chart = embedded(page, "chart-recovered-origins")
    assert chart["labels"][0] == "US-supplied (ANDSF)" and chart["datasets"][0]["data"][0] == pytest.approx(25.0)
    assert "obliterated" in page and "95% interval" in page


def test_the_filter_applies_to_where_and_when_weapons_were_recovered(site):
    afghan = site.get("/weapons", params={"country": "AF"}).text
    assert len(re.findall(r'data-testid="recovered-row"', afghan)) == 5
    none = site.get("/weapons", params={"since": "2010-01-01", "until": "2010-12-31"}).text
    assert 'data-testid="no-recovered"' in none and "for this filter" in none


def test_the_upload_form_posts_the_csv_to_the_api(site):
    page = site.get("/weapons").text
    form = re.search(r'<form id="recovered-upload-form"[^>]*>', page).group(0)
    assert 'action="/api/recovered-weapons/import"' in form and 'enctype="multipart/form-data"' in form
    assert 'name="file"' in page and "/static/js/recovered.js" in page
    assert site.get("/static/js/recovered.js").status_code == 200


def test_over_time_charts_by_class_and_actor(site):
    page = site.get("/weapons").text
    by_class = embedded(page, "chart-weapons-over-time-class")
    by_actor = embedded(page, "chart-weapons-over-time-actor")
    for chart in (by_class, by_actor):
        assert chart["stacked"] and chart["labels"] and len(chart["datasets"]) <= 6
        assert all(len(dataset["data"]) == len(chart["labels"]) for dataset in chart["datasets"])
    assert {"Al-Qaida", "Tehrik-e-Taliban Pakistan"} <= {d["label"] for d in by_actor["datasets"]}
    ranged = embedded(site.get("/weapons", params={"since": "2023-07-01", "until": "2023-09-30"}).text,
                      "chart-weapons-over-time-class")
    assert ranged["labels"] == ["2023-07", "2023-08", "2023-09"]


def test_supply_reports_show_who_asserts_them(site):
    page = site.get("/weapons").text
    assert re.findall(r'data-testid="supply-assertion"', page)
    assert "UN Analytical Support and Sanctions Monitoring Team" in page
