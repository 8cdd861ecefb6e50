"""``vigil proposals`` (list, accept, merge, reject, decisions) and ``vigil resolve-actor``, in-process on SQLite."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.model.records import ActorRef, Document, EntityMention, Event, Extraction, content_hash
from vigil.settings import Settings
from vigil.store.repository import save_document
from vigil.workflow import open_ready_store

runner = CliRunner()
PROPOSAL = "tehrik-labaik-pakistan"
REPORTS = [
    ("Tehreek-e-Labbaik Pakistan", "Lahore"),
    ("Tehrik-i-Labbaik Pakistan", "Karachi"),
    ("Tehreek-e-Labbaik Pakistan", "Rawalpindi"),
    ("Tahrik-e-Taleban Pakistan", "Bannu"),  # a spelling of a known group: linked, never proposed
]


def vigil(db: str, *args: str):
    return runner.invoke(app, ["--database", db, *args], catch_exceptions=False)


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'vigil.sqlite'}"
    store = open_ready_store(Settings(database_url=url))
    for number, (name, city) in enumerate(REPORTS):
        sentence = f"{name} gunmen attacked a police post in {city}."
        document = Document(id=f"report-{number}", text=sentence, published=dt.date(2023, 5, number + 1),
                            content_hash=content_hash(sentence))
        event = Event(type="Attack", event_type="Violence against civilians", start=0, end=len(sentence), sentence=sentence,
                      perpetrators=[ActorRef(start=0, end=len(name), text=name)])
        entity = EntityMention(start=0, end=len(name), text=name, type="Organisation")
        save_document(store, document, Extraction(id=document.id, events=[event], entities=[entity]))
    store.close()
    return url


def test_proposals_lists_the_unknown_group_with_examples_and_close_actors(db):
    result = vigil(db, "proposals")
    assert result.exit_code == 0, result.output
    assert f"{PROPOSAL}: 'Tehreek-e-Labbaik Pakistan': 6 mention(s) in 3 document(s), 2023-05-01 to 2023-05-03" in result.output
    assert "report-0 (perpetrator): Tehreek-e-Labbaik Pakistan gunmen attacked a police post in Lahore." in result.output
    assert "close to Tehrik-e-Taliban Pakistan (tehrik-e-taliban-pakistan" in result.output
    assert "a shared word alone never makes two names one actor" in result.output
    assert "Linked 0 stored mention(s) by earlier decisions and 2 by actors' names" in result.output  # the TTP spelling
    assert "Tahrik" not in result.stdout


def test_proposals_as_json_and_with_a_higher_threshold(db):
    [proposal] = json.loads(vigil(db, "proposals", "--format", "json").stdout)
    assert proposal["id"] == PROPOSAL and proposal["documents"] == 3
    assert "No proposals" in vigil(db, "proposals", "--min-mentions", "4").output


def test_accept_then_the_events_are_found_by_any_spelling(db):
    result = vigil(db, "proposals", "accept", PROPOSAL, "--kind", "political_party", "--author", "ana", "--reason", "a party")
    assert result.exit_code == 0, result.output
    assert "Accepted 'tehrik-labaik-pakistan' -> Tehreek-e-Labbaik Pakistan (tehreek-e-labbaik-pakistan) by ana" in result.output
    assert "6 stored mention(s) linked" in result.output
    events = json.loads(vigil(db, "events", "--actor", "Tehrik-e-Labaik Pakistan", "--format", "json").stdout)
    assert sorted(e["document_id"] for e in events) == ["report-0", "report-1", "report-2"]
    decisions = json.loads(vigil(db, "proposals", "decisions", "--format", "json").stdout)
    assert [(d["action"], d["author"], d["reason"]) for d in decisions] == [("accept", "ana", "a party")]
    resolved = vigil(db, "resolve-actor", "Tehrik-i-Labbaik Pakistan").output
    assert "-> Tehreek-e-Labbaik Pakistan (tehreek-e-labbaik-pakistan, political_party) by analyst decision" in resolved


def test_merge_and_reject(db):
    merged = vigil(db, "proposals", "merge", PROPOSAL, "jamaat-ul-ahrar", "--author", "ana")
    assert merged.exit_code == 0 and "Merged 'tehrik-labaik-pakistan' -> Jamaat-ul-Ahrar (jamaat-ul-ahrar)" in merged.output
    refused = vigil(db, "proposals", "reject", PROPOSAL, "--author", "ana")
    assert refused.exit_code == 1 and "No proposal 'tehrik-labaik-pakistan'" in refused.output


def test_rejected_proposals_stay_rejected(db):
    assert vigil(db, "proposals", "reject", PROPOSAL, "--author", "ana", "--reason", "not tracked").exit_code == 0
    assert "No proposals" in vigil(db, "proposals").output


@pytest.mark.parametrize(
    "args, words",
    [
        (["proposals", "accept", "no-such-proposal"], "No proposal 'no-such-proposal'"),
        (["proposals", "accept", PROPOSAL, "--name", "Taliban"], "An actor with id 'taliban' exists already"),
        (["proposals", "accept", PROPOSAL, "--kind", "militia"], "Unknown actor kind 'militia'"),
        (["proposals", "merge", PROPOSAL, "no-such-actor"], "No actor with id 'no-such-actor'"),
    ],
)
def test_refused_decisions_are_one_clean_line(db, args, words):
    result = vigil(db, *args)
    assert result.exit_code == 1 and words in result.output and "Traceback" not in result.output


def test_resolve_actor_explains_resolutions_and_near_misses(db):
    result = vigil(db, "resolve-actor", "Tahrik-e-Taleban Pakistan")
    assert "-> Tehrik-e-Taliban Pakistan (tehrik-e-taliban-pakistan, armed_group) by name" in result.output
    assert "spelling key: 'tehrik taliban pakistan'" in result.output
    faction = vigil(db, "resolve-actor", "JuA").output
    assert "part of Tehrik-e-Taliban Pakistan (tehrik-e-taliban-pakistan)" in faction
    unknown = vigil(db, "resolve-actor", "Jaish ul-Hind").output
    assert "-> no actor" in unknown and "not Jaish-e-Mohammed (jaish-e-mohammed" in unknown
    payload = json.loads(vigil(db, "resolve-actor", "HUA", "--format", "json").stdout)
    assert payload["actor"] is None and {a["id"] for a in payload["ambiguous"]} == {"harakat-ul-mujahideen", "un-qde-130"}


@pytest.mark.parametrize(
    "command", [["proposals"], ["proposals", "accept"], ["proposals", "merge"], ["proposals", "reject"],
                ["proposals", "decisions"], ["resolve-actor"]],
)
def test_every_command_documents_an_example(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output
