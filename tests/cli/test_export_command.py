"""``vigil export``: each kind of fact in each format, the filters, and clean errors for bad choices."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from vigil.analysis.exports import (
    ACTOR_COLUMNS,
    CLAIM_COLUMNS,
    EVENT_COLUMNS,
    FUSED_COLUMNS,
    RELATION_COLUMNS,
    WEAPON_COLUMNS,
)
from vigil.cli.main import app
from vigil.settings import Settings
from vigil.workflow import ingest, open_ready_store, sample_paths

runner = CliRunner()
HEADERS = {"events": EVENT_COLUMNS, "fused": FUSED_COLUMNS, "actors": ACTOR_COLUMNS, "claims": CLAIM_COLUMNS,
           "relations": RELATION_COLUMNS, "weapons": WEAPON_COLUMNS}


def vigil(db: str, *args: str):
    return runner.invoke(app, ["--database", db, *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory, extractor) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('export') / 'vigil.sqlite'}"
    settings = Settings(database_url=url)
    store = open_ready_store(settings)
    examples = [str(p) for p in sample_paths() if p.name == "vigil-examples.jsonl"]
    assert ingest(examples, settings, store=store, extractor=extractor).created
    store.close()
    return url


@pytest.mark.parametrize("what", list(HEADERS))
def test_every_kind_exports_as_csv_with_its_columns(db, tmp_path, what):
    path = tmp_path / f"{what}.csv"
    result = vigil(db, "export", "--what", what, "--output", str(path))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0] == HEADERS[what] and len(rows) > 1, "the format comes from the suffix"
    assert f"Wrote {len(rows) - 1} {what} to {path} (csv)." in result.stderr


def test_events_as_json_geojson_and_parquet(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    as_json = tmp_path / "events.json"
    assert vigil(db, "export", "--format", "json", "--output", str(as_json)).exit_code == 0
    events = json.loads(as_json.read_text(encoding="utf-8"))
    assert events and all("event" in e and "document_id" in e for e in events)
    as_geojson = tmp_path / "events.geojson"
    assert vigil(db, "export", "--format", "geojson", "--output", str(as_geojson)).exit_code == 0
    collection = json.loads(as_geojson.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection" and collection["features"]
    assert all(f["geometry"]["type"] == "Point" for f in collection["features"])
    as_parquet = tmp_path / "events.parquet"
    assert vigil(db, "export", "--format", "parquet", "--output", str(as_parquet)).exit_code == 0
    assert pq.read_table(as_parquet).num_rows == len(events)


def test_fused_events_and_facts_in_other_formats(db, tmp_path):
    pytest.importorskip("pyarrow")
    fused = tmp_path / "fused.geojson"
    assert vigil(db, "export", "--what", "fused", "--output", str(fused)).exit_code == 0
    features = json.loads(fused.read_text(encoding="utf-8"))["features"]
    assert any(f["properties"]["n_sources"] > 1 for f in features), "the Bajaur bombing is reported three times"
    for what in ("actors", "claims", "relations", "weapons"):
        path = tmp_path / f"{what}.parquet"
        result = vigil(db, "export", "--what", what, "--format", "parquet", "--output", str(path))
        assert result.exit_code == 0 and path.stat().st_size > 0, result.output
    claims = tmp_path / "claims.json"
    assert vigil(db, "export", "--what", "claims", "--output", str(claims)).exit_code == 0
    assert any("reduced to zero" in c["claim"]["text"] for c in json.loads(claims.read_text(encoding="utf-8")))


def test_filters_narrow_the_export_and_csv_goes_to_standard_output(db):
    everything = list(csv.DictReader(io.StringIO(vigil(db, "export", "--output", "-").stdout)))
    result = vigil(db, "export", "--output", "-", "--country", "pk", "--type", "Suicide bomb", "--since", "2023-07-01",
                   "--until", "2023-08-31", "--actor", "Islamic State", "--admin1", "Khyber Pakhtunkhwa")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and len(rows) < len(everything)
    assert all(r["country"] == "PK" and r["sub_event_type"] == "Suicide bomb" and "2023-07" <= r["event_date"] < "2023-09"
               for r in rows)
    words = list(csv.DictReader(io.StringIO(vigil(db, "export", "--output", "-", "--text", "convention").stdout)))
    assert words and all("convention" in r["evidence"].lower() for r in words)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--type", "Bombing"], 1, "Unknown ACLED sub-event type 'Bombing'"),
        (["--event-type", "Riot"], 1, "Unknown ACLED event type 'Riot'"),
        (["--since", "2023-09-01", "--until", "2023-01-01"], 1, "since (2023-09-01) is after until (2023-01-01)"),
        (["--since", "last year"], 2, "'last year' is not a date"),
        (["--what", "people"], 1, "Unknown export 'people'"),
        (["--format", "xlsx"], 1, "Unknown format 'xlsx'"),
        (["--what", "claims", "--format", "geojson"], 1, "use csv, json or parquet for claims"),
        (["--format", "parquet"], 1, "Parquet is a binary file"),
    ],
)
def test_bad_choices_fail_cleanly_naming_the_input(db, args, code, message):
    result = vigil(db, "export", "--output", "-", *args)
    assert result.exit_code == code
    assert message in " ".join(result.output.split()), result.output


def test_the_command_shows_an_example_and_the_readme_describes_the_dump():
    from pathlib import Path

    result = runner.invoke(app, ["export", "--help"])
    assert result.exit_code == 0 and "Example: vigil export" in result.output
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    assert "vigil export --what events --format parquet" in readme
    assert all(column in readme for column in ("perpetrators", "victims_detail", "`source`", "sources"))
