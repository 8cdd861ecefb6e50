"""``vigil trend`` end to end, in-process, on a small SQLite store with known dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.model.records import ActorRef, Bounds, Document, Event, Extraction, Location
from vigil.settings import Settings
from vigil.store import open_store, save_document

runner = CliRunner()

# Events per month: two a month in 2022 (Pakistan, by the TTP), eight a month in 2023 (half in Nigeria).
MONTHS_2022 = 2
MONTHS_2023 = 8


def vigil(db: str, *args: str):
    return runner.invoke(app, ["--database", db, *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('trend') / 'trend.sqlite'}"
    with open_store(Settings(database_url=url)) as store:
        for year, per_month in ((2022, MONTHS_2022), (2023, MONTHS_2023)):
            for month in range(1, 13):
                for n in range(per_month):
                    day = dt.date(year, month, 1 + 3 * n)
                    country, group = ("PK", "TTP") if n % 2 == 0 or year == 2022 else ("NG", "Boko Haram")
                    text = f"{group} fighters attacked a police post on {day} (report {n})."
                    event = Event(type="Attack", event_type="Violence against civilians", start=0, end=len(text),
                                  sentence=text, date=day.isoformat(), date_precision="day",
                                  location=Location(country=country, admin1="Punjab" if country == "PK" else "Borno"),
                                  perpetrators=[ActorRef(start=0, end=len(group), text=group)],
                                  fatalities=Bounds(min=n + 1) if n % 3 else None)
                    document = Document.from_text(text, published=day)
                    save_document(store, document, Extraction(id=document.id, events=[event]))
    return url


def test_table_with_comparison_and_change_point(db):
    result = vigil(db, "trend", "--compare", "2022,2023")
    assert result.exit_code == 0, result.output
    assert "2022-01" in result.stdout and "2023-12" in result.stdout
    assert "Change points: The monthly event rate changed once: from 2023-01 it rose from 2.0 to 8.0 per month" in result.stdout
    assert "Before (2022-01 to 2022-12) and after (2023-01 to 2023-12): Events rose from 2.0 to 8.0 per month (rate ratio 4.00" in result.stdout
    assert "exact Poisson rate test" in result.stdout and "evidence of a real increase" in result.stdout
    assert "Deaths:" in result.stdout


def test_filters_and_grouping(db):
    result = vigil(db, "trend", "--country", "NG", "--by", "actor", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    series = report["series"]
    assert series["periods"][0]["key"] == "2023-01" and len(series["periods"]) == 12
    assert [g["label"] for g in series["groups"]] == ["Boko Haram"]
    assert series["groups"][0]["events"] == [4] * 12
    assert report["comparison"] is None and report["change_points"]["points"] == []
    admin1 = json.loads(vigil(db, "trend", "--admin1", "Punjab", "--since", "2023-01-01", "--format", "json").stdout)
    assert admin1["series"]["total"]["total_events"] == 12 * 4


def test_weekly_csv_is_tidy_and_words_go_to_stderr(db):
    result = vigil(db, "trend", "--period", "week", "--by", "country", "--since", "2023-01-01", "--until", "2023-01-31",
                   "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["group"] for row in rows} == {"PK", "NG"}
    assert [row["period"] for row in rows if row["group"] == "PK"] == ["2022-W52", "2023-W01", "2023-W02", "2023-W03", "2023-W04", "2023-W05"]
    assert rows[0]["days"] == "1"  # only Sunday 1 January is inside the window
    assert sum(int(row["events"]) for row in rows) == MONTHS_2023
    assert "Change points" in result.stderr and "Change points" not in result.stdout


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_file(db, tmp_path, suffix):
    pytest.importorskip("matplotlib")
    target = tmp_path / f"chart{suffix}"
    result = vigil(db, "trend", "--by", "country", "--plot", str(target))
    assert result.exit_code == 0, result.output
    assert f"Chart written to {target}" in result.stderr
    if suffix == ".png":
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert ET.parse(target).getroot().tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--compare", "2022"], "'2022' is not two windows"),
        (["--compare", "2023,2022"], "overlap or are out of order"),
        (["--period", "day"], "Unknown period 'day'"),
        (["--by", "weapon"], "Unknown grouping 'weapon'"),
        (["--plot", "chart.pdf"], ".png or .svg"),
    ],
)
def test_bad_input_is_a_clean_error(db, args, message):
    result = vigil(db, "trend", *args)
    assert result.exit_code == 1
    assert message in result.stderr.replace("\n", " ")


def test_documented():
    assert "Example: vigil trend" in runner.invoke(app, ["trend", "--help"]).output
    assert "vigil trend" in (Path(__file__).parents[2] / "README.md").read_text("utf-8")


def test_fused_counts_real_world_events(db):
    reports = json.loads(vigil(db, "trend", "--format", "json").stdout)
    result = vigil(db, "trend", "--fused", "--format", "json")
    assert result.exit_code == 0, result.output
    fused = json.loads(result.stdout)["series"]
    # nothing in this store is fused yet: each report stands for its own event
    assert fused["fused"] is True and reports["series"]["fused"] is False
    assert fused["total"]["events"] == reports["series"]["total"]["events"]
    assert "Real-world events (fused) per month" in vigil(db, "trend", "--fused").stdout
