"""``vigil weapons import|add|list|origins|trend`` in-process on a temporary SQLite store."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli.main import app

runner = CliRunner()
SAMPLE = Path(str(resources.files("vigil").joinpath("samples/recovered_weapons_example.csv")))
EXAMPLES = Path(str(resources.files("vigil").joinpath("samples/vigil-examples.jsonl")))


def vigil(db: str, *args: str):  # noqa: ANN201
    return runner.invoke(app, ["--database", db, *args], catch_exceptions=False)


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'weapons.sqlite'}"


@pytest.fixture
def imported(db) -> str:
    result = vigil(db, "weapons", "import", str(SAMPLE))
    assert result.exit_code == 0, result.output
    return db


def test_import_summarises_and_a_second_import_adds_nothing(db):
    first = vigil(db, "weapons", "import", str(SAMPLE))
    assert first.exit_code == 0
    assert "12 row(s): 12 new, 0 updated, 0 already stored, 0 with errors" in first.stderr
    again = vigil(db, "weapons", "import", str(SAMPLE), "--format", "json")
    outcome = json.loads(again.stdout)
    assert again.exit_code == 0 and outcome["created"] == [] and len(outcome["unchanged"]) == 12


def test_import_reports_bad_rows_by_number_and_keeps_the_rest(db, tmp_path):
    sheet = tmp_path / "seized.csv"
    sheet.write_text("type,serial,date,colour\nrifle,A1,2023-01-01,red\nslingshot,A2,2023,blue\n", "utf-8")
    result = vigil(db, "weapons", "import", str(sheet), "--recorded-by", "analyst C")
    assert result.exit_code == 0, "a good row was imported"
    assert "row 3: weapon_class: 'slingshot'" in result.stderr and "Ignored columns: colour." in result.stderr
    listed = json.loads(vigil(db, "weapons", "list", "--format", "json").stdout)
    assert [(w["serial_number"], w["recorded_by"], w["source"]) for w in listed] == [("A1", "analyst C", "seized.csv")]
    only_bad = tmp_path / "bad.csv"
    only_bad.write_text("type\nslingshot\n", "utf-8")
    assert vigil(db, "weapons", "import", str(only_bad)).exit_code == 1


def test_import_of_a_missing_file_is_one_clean_error(db, tmp_path):
    result = vigil(db, "weapons", "import", str(tmp_path / "nothing.csv"))
    assert result.exit_code == 1 and "error:" in result.stderr and "nothing.csv" in result.stderr


def test_add_prints_the_id_and_suspected_origin(db):
    result = vigil(db, "weapons", "add", "--type", "carbine", "--make", "Colt", "--model", "M4A1", "--serial", "W1",
                   "--marking", "PROPERTY OF U.S. GOVT", "--import-mark", "ANA", "--recovered-on", "2023-03-14",
                   "--place", "Spin Boldak, Kandahar, AF")
    assert result.exit_code == 0, result.output
    assert "created." in result.stdout and "Suspected origin: us-supplied-andsf" in result.stdout
    again = vigil(db, "weapons", "add", "--type", "carbine", "--make", "Colt", "--model", "M4A1", "--serial", "W1",
                  "--recovered-on", "2023-03-14", "--format", "json")
    assert json.loads(again.stdout)["status"] == "updated", "same weapon (serial, make, model, date), new values"
    bad = vigil(db, "weapons", "add", "--type", "slingshot", "--event", "7")
    assert bad.exit_code == 1 and "weapon_class: 'slingshot'" in bad.stderr


def test_add_and_import_mark_the_records(db, tmp_path):
    added = vigil(db, "weapons", "add", "--type", "rifle", "--serial", "R9", "--tlp", "amber", "--org", "un-mt", "--format", "json")
    assert added.exit_code == 0, added.output
    weapon = json.loads(added.stdout)["weapon"]
    assert (weapon["tlp"], weapon["org_id"]) == ("TLP:AMBER", "un-mt")
    sheet = tmp_path / "seized.csv"
    sheet.write_text("type,serial\nrifle,A1\n", "utf-8")
    assert vigil(db, "weapons", "import", str(sheet), "--tlp", "red").exit_code == 0
    listed = json.loads(vigil(db, "weapons", "list", "--format", "json").stdout)
    assert {(w["serial_number"], w["tlp"], w["org_id"]) for w in listed} == {("R9", "TLP:AMBER", "un-mt"), ("A1", "TLP:RED", None)}
    bad = vigil(db, "weapons", "add", "--type", "rifle", "--tlp", "pink")
    assert bad.exit_code == 1 and "pink" in bad.stderr


def test_list_filters_and_csv(imported):
    rows = list(csv.DictReader(io.StringIO(vigil(imported, "weapons", "list", "--format", "csv").stdout)))
    assert len(rows) == 12 and {"id", "recovered", "serial", "obliterated", "made in"} <= set(rows[0])
    afghan = json.loads(vigil(imported, "weapons", "list", "--country", "AF", "--format", "json").stdout)
    assert {w["recovery_place"]["country"] for w in afghan} == {"AF"} and len(afghan) == 5
    obliterated = json.loads(vigil(imported, "weapons", "list", "--obliterated", "--format", "json").stdout)
    assert obliterated and all(w["serial_obliterated"] for w in obliterated)
    bad = vigil(imported, "weapons", "list", "--since", "yesterday")
    assert bad.exit_code != 0 and "yesterday" in bad.output


def test_origins_in_three_formats(imported):
    table = vigil(imported, "weapons", "origins", "--matches")
    assert table.exit_code == 0 and "us-supplied-andsf" in table.stdout and "unattributed" in table.stdout
    assert "ex-004" in table.stdout and "Matches" in table.stdout
    shares = list(csv.DictReader(io.StringIO(vigil(imported, "weapons", "origins", "--format", "csv").stdout)))
    assert sum(int(row["weapons"]) for row in shares) == 12
    andsf = next(row for row in shares if row["origin"] == "us-supplied-andsf")
    assert float(andsf["ci_low"]) < float(andsf["share"]) < float(andsf["ci_high"])
    report = json.loads(vigil(imported, "weapons", "origins", "--made-in", "CN", "--format", "json").stdout)
    assert report["total"] == 1 and report["matches"][0]["suspected_origin"] == "chinese"


def test_trend_by_actor_and_class(db):
    ingested = vigil(db, "ingest", str(EXAMPLES))
    assert ingested.exit_code == 0, ingested.output
    table = vigil(db, "weapons", "trend", "--by", "actor", "--since", "2023-01-01")
    assert table.exit_code == 0 and "2023-08" in table.stdout
    rows = list(csv.DictReader(io.StringIO(vigil(db, "weapons", "trend", "--by", "class", "--format", "csv").stdout)))
    assert {"period", "class", "mentions"} == set(rows[0])
    series = json.loads(vigil(db, "weapons", "trend", "--by", "origin", "--period", "week", "--format", "json").stdout)
    assert series["period"] == "week" and sum(series["total"]) >= 1
    bad = vigil(db, "weapons", "trend", "--by", "colour")
    assert bad.exit_code == 1 and "'colour'" in bad.stderr


def test_every_weapons_command_documents_an_example():
    for command in ("import", "add", "list", "origins", "trend"):
        result = runner.invoke(app, ["weapons", command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output, command
