"""The CLI end to end, in-process, on a temporary SQLite store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from vigil.cli.main import app

runner = CliRunner()


def vigil(db: str, *args: str, input: str | None = None):
    return runner.invoke(app, ["--database", db, *args], input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'demo.sqlite'}"
    result = vigil(db, "demo", "--no-serve")
    assert result.exit_code == 0, result.output
    assert "Vigil demo" in result.output and "Suicide bomb" in result.output
    return db


def test_demo_is_idempotent(demo_db):
    result = vigil(demo_db, "demo", "--no-serve")
    assert result.exit_code == 0
    assert "Ingested 0 new document(s)" in result.output
    assert "135 already stored" in result.output


def test_events_filters_as_in_the_readme(demo_db):
    result = vigil(demo_db, "events", "--country", "PK", "--since", "2023-01-01", "--actor", "Islamic State", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found, "the Bajaur bombing is in the sample reports"
    for stored in found:
        event = stored["event"]
        assert event["location"]["country"] == "PK"
        assert stored["date_start"] >= "2023-01-01"
    assert any(e["event"]["type"] == "Suicide bomb" and e["event"]["fatalities"]["min"] >= 40 for e in found)


def test_events_csv_has_acled_like_columns(demo_db):
    result = vigil(demo_db, "events", "--country", "AF", "--limit", "5", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 5
    assert {"event_date", "event_type", "sub_event_type", "actor1", "country", "admin1", "fatalities_min", "evidence"} <= set(rows[0])
    assert all(r["country"] == "AF" for r in rows)


def test_claims_relations_actors_show(demo_db):
    denials = json.loads(vigil(demo_db, "claims", "--stance", "denies", "--format", "json").stdout)
    assert any("reduced to zero" in c["claim"]["text"] for c in denials)
    supply = json.loads(vigil(demo_db, "relations", "--type", "supplies_weapons_to", "--format", "json").stdout)
    assert {("tehrik-e-taliban-pakistan", "islamic-state"), ("al-qaida", "islamic-state")} <= {
        (r["relation"]["source"].get("actor"), r["relation"]["target"].get("actor")) for r in supply}
    actors = json.loads(vigil(demo_db, "actors", "taliban", "--format", "json").stdout)
    ttp = next(a["actor"] for a in actors if a["actor"]["id"] == "tehrik-e-taliban-pakistan")
    assert ttp["un_ref"] == "QDe.132" and "TTP" in ttp["aliases"]
    shown = vigil(demo_db, "show", "vigil-example-commentary-2023-08-28")
    assert shown.exit_code == 0
    assert "Suicide bomb" in shown.stdout and "supplies_weapons_to" in shown.stdout and "denies" in shown.stdout


def test_unknown_document_and_bad_date_are_clean_errors(demo_db):
    missing = vigil(demo_db, "show", "no-such-doc")
    assert missing.exit_code == 1 and "no document with id 'no-such-doc'" in missing.output
    bad = vigil(demo_db, "events", "--since", "yesterday")
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_ingest_a_mixed_folder_keeps_going(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text("A roadside bomb killed three policemen in Quetta on Monday, officials said.", "utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (folder / "batch.jsonl").write_text(
        json.dumps({"id": "one", "text": "Gunmen shot dead two soldiers in Kunar.", "published": "2008-05-01"}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "two", "text": "Police arrested four suspects in Karachi.", "published": "2008-05-02"}) + "\n",
        "utf-8",
    )
    db = f"sqlite:///{tmp_path / 'store.sqlite'}"
    result = vigil(db, "ingest", str(folder))
    assert result.exit_code == 0, result.output
    assert "broken.pdf" in result.output and "batch.jsonl:2" in result.output
    assert "Ingested 3 new document(s)" in result.output
    listed = json.loads(vigil(db, "documents", "--format", "json").stdout)
    assert {d["id"] for d in listed} >= {"one", "two"}


def test_extract_contract_keeps_offsets_into_the_raw_text():
    text = "KABUL  (AP) -\tA suicide car bomb killed 18 people, including two U.S. soldiers, in Kabul on Friday."
    lines = [
        json.dumps({"id": "x1", "text": text, "published": "2006-09-08"}),
        "this line is not json",
        json.dumps({"id": "x2", "text": "Trade talks resumed in Tashkent."}),
    ]
    result = runner.invoke(app, ["extract"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["x1", "x2"]
    assert "<stdin>:2" in result.stderr
    first = out[0]
    assert set(first) >= {"id", "entities", "events", "relations", "claims"}
    [event] = first["events"]
    assert event["type"] == "Suicide bomb" and event["fatalities"]["min"] == 18
    for entity in first["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    assert out[1]["events"] == []


def test_extract_with_the_role_tagger_or_a_clear_error_where_it_cannot_run():
    from vigil.nlp.learned.roles_model import model_unavailable

    line = json.dumps({"id": "r1", "text": "GUERRILLAS OF THE FMLN ATTACKED THE POWER STATION IN USULUTAN WITH RIFLES."})
    result = runner.invoke(app, ["extract", "--roles"], input=line + "\n")
    if model_unavailable():
        assert result.exit_code == 1 and "role tagger cannot run here" in result.stderr and "vigil[ml]" in result.stderr
    else:
        [out] = [json.loads(row) for row in result.stdout.splitlines()]
        assert out["id"] == "r1" and any("roles-crf" in event["extractor"] for event in out["events"])
    refused = runner.invoke(app, ["extract", "--roles", "--fast"], input=line + "\n")
    assert refused.exit_code == 1 and "drop --fast" in refused.stderr


def test_extract_plain_text_file(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Militants attacked a checkpoint in Bannu, killing four soldiers.", "utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    [line] = result.stdout.splitlines()
    assert json.loads(line)["id"] == "report.txt"


def test_every_command_documents_an_example():
    for command in ("demo", "ingest", "events", "actors", "claims", "relations", "documents", "show", "extract", "eval",
                    "serve"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output, command


def test_readme_lists_every_command():
    """Every command the CLI has, sub-commands included, appears in the README."""
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    for command in _command_paths(typer.main.get_command(app)):
        assert command in readme, command


def _command_paths(group, prefix: str = "vigil") -> list[str]:  # noqa: ANN001 (a click Group)
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        paths.append(path)
        if hasattr(command, "commands"):
            paths += _command_paths(command, path)
    return paths
