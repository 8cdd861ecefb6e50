"""The fusion commands end to end, in-process: fused, explain, merge, split, decisions, fuse, delete."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli.main import app

runner = CliRunner()
REPORTS = Path(__file__).parents[1] / "resolve" / "data" / "bajaur_reports.jsonl"
COMMANDS = ("fused", "explain", "merge", "split", "decisions", "fuse", "delete")


def vigil(db: str, *args: str):
    return runner.invoke(app, ["--database", db, *args], catch_exceptions=False)


@pytest.fixture
def db(tmp_path) -> str:
    """A store that ingested the three Bajaur reports and the Quetta one (one file each)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for line in REPORTS.read_text("utf-8").splitlines():
        report = json.loads(line)
        if report["id"] != "late-bajaur":
            (folder / f"{report['id']}.jsonl").write_text(line + "\n", "utf-8")
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    result = vigil(url, "ingest", str(folder))
    assert result.exit_code == 0, result.output
    assert "Fused 4 event report(s): 2 fused event(s) created" in result.output
    return url


def events_by_document(db: str) -> dict[str, int]:
    found = json.loads(vigil(db, "events", "--format", "json").stdout)
    return {e["document_id"]: e["id"] for e in found}


def fused(db: str, *args: str) -> list[dict]:
    result = vigil(db, "fused", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_fused_lists_distinct_events_with_low_best_high(db):
    assert len(fused(db)) == 2
    (bajaur,) = fused(db, "--min-sources", "2")
    assert bajaur["n_sources"] == 3
    table = vigil(db, "fused", "--min-sources", "2", "--format", "csv").stdout
    (row,) = list(csv.DictReader(io.StringIO(table)))
    assert (row["fatalities_low"], row["fatalities_best"], row["fatalities_high"]) == ("43", "44", "54")
    assert row["sub_event_type"] == "Suicide bomb" and row["n_sources"] == "3"
    assert set(row["documents"].split()) == {"wire-bajaur", "daily-bajaur", "weekly-bajaur"}
    assert fused(db, "--actor", "IS-K")[0]["fused"]["id"] == bajaur["fused"]["id"]
    assert fused(db, "--country", "AF") == []
    assert "fused events" in vigil(db, "fused").stdout


def test_explain_prints_the_verdict_and_every_signal(db):
    ids = events_by_document(db)
    result = vigil(db, "explain", str(ids["wire-bajaur"]), str(ids["daily-bajaur"]))
    assert result.exit_code == 0, result.output
    assert "same event (p=" in result.stdout and "Now both in fused-" in result.stdout
    assert "fatalities_distance" in result.stdout and "similarity" in result.stdout
    verdict = json.loads(vigil(db, "explain", str(ids["wire-bajaur"]), str(ids["quetta-checkpoint"]), "-f", "json").stdout)
    assert verdict["explanation"]["linked"] is False and verdict["same_fused_event"] is False
    missing = vigil(db, "explain", str(ids["wire-bajaur"]), "999999")
    assert missing.exit_code == 1 and "No stored event with id 999999" in missing.output


def test_merge_then_retract(db):
    ids = events_by_document(db)
    result = vigil(db, "merge", str(ids["quetta-checkpoint"]), str(ids["wire-bajaur"]), "--reason", "one attack", "--author", "ana")
    assert result.exit_code == 0, result.output
    decision = re.search(r"Decision (dec-[0-9a-f]+) \(must_link\) recorded", result.stdout).group(1)
    assert any({s["document_id"] for s in item["fused"]["sources"]} >= {"quetta-checkpoint", "wire-bajaur"} for item in fused(db))
    (listed,) = json.loads(vigil(db, "decisions", "--format", "json").stdout)
    assert listed["decision"]["id"] == decision and listed["in_force"] and listed["decision"]["author"] == "ana"
    retracted = vigil(db, "decisions", "--retract", decision, "--reason", "misread")
    assert retracted.exit_code == 0 and f"Decision {decision} retracted by dec-" in retracted.stdout
    assert json.loads(vigil(db, "decisions", "--in-force", "--format", "json").stdout) == []
    assert len(fused(db, "--min-sources", "2")) == 1 and fused(db, "--min-sources", "2")[0]["n_sources"] == 3
    unknown = vigil(db, "decisions", "--retract", "dec-nope")
    assert unknown.exit_code == 1 and "No decision with id 'dec-nope'" in unknown.output


def test_split_holds_through_a_rebuild(db):
    ids = events_by_document(db)
    (bajaur,) = fused(db, "--min-sources", "2")
    result = vigil(db, "split", bajaur["fused"]["id"], "--keep", str(ids["wire-bajaur"]), "--reason", "two blasts")
    assert result.exit_code == 0, result.output
    assert "(pin) recorded: 2 fused event(s) created, 0 updated, 1 removed" in result.stdout
    def parts() -> set[frozenset[str]]:
        return {frozenset(s["document_id"] for s in item["fused"]["sources"]) for item in fused(db)}
    expected = {frozenset({"wire-bajaur"}), frozenset({"daily-bajaur", "weekly-bajaur"}), frozenset({"quetta-checkpoint"})}
    assert parts() == expected
    rebuilt = vigil(db, "fuse", "--rebuild")
    assert rebuilt.exit_code == 0 and "4 event report(s) fused: 3 fused event(s) created" in rebuilt.output
    assert parts() == expected
    assert "0 event report(s) fused" in vigil(db, "fuse").output


def test_errors_name_the_bad_input(db):
    ids = events_by_document(db)
    missing = vigil(db, "split", "fused-nope", "--keep", str(ids["wire-bajaur"]))
    assert missing.exit_code == 1 and "No fused event with id 'fused-nope'" in missing.output
    bad_keep = vigil(db, "split", "fused-nope", "--keep", "one,two")
    assert bad_keep.exit_code == 2 and "'one,two' is not a list of event ids" in bad_keep.output
    alone = vigil(db, "merge", str(ids["wire-bajaur"]))
    assert alone.exit_code == 1 and "two or more" in alone.output
    words = vigil(db, "merge", str(ids["wire-bajaur"]), "bajaur")
    assert words.exit_code == 1 and "'bajaur' is neither an event id" in words.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_fusion_command_has_help_with_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Example: vigil " + command in result.output


def test_delete_rebuilds_the_fused_events_of_the_document(db):
    result = vigil(db, "delete", "weekly-bajaur")
    assert result.exit_code == 0, result.output
    assert "Deleted weekly-bajaur and its facts: 0 fused event(s) created, 1 updated, 0 removed" in result.output
    (bajaur,) = fused(db, "--min-sources", "2")
    assert bajaur["n_sources"] == 2 and {s["document_id"] for s in bajaur["fused"]["sources"]} == {"wire-bajaur", "daily-bajaur"}
    assert (bajaur["fused"]["fatalities"]["low"], bajaur["fused"]["fatalities"]["high"]) == (43, 44)
    only = vigil(db, "delete", "quetta-checkpoint")
    assert "0 updated, 1 removed" in only.output, "its only report gone, the fused event goes too"
    assert len(fused(db)) == 1
    missing = vigil(db, "delete", "no-such-report")
    assert missing.exit_code == 1 and "No stored document 'no-such-report'" in missing.output
