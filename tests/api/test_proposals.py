"""The actor-proposal routes, name resolution over HTTP, and the "Proposed actors" section of the actors page."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.model.records import ActorRef, Document, EntityMention, Event, Extraction, content_hash
from vigil.store.repository import save_document

PROPOSAL = "tehrik-labaik-pakistan"
SPELLINGS = ["Tehreek-e-Labbaik Pakistan", "Tehrik-i-Labbaik Pakistan", "Tehreek-e-Labbaik Pakistan"]
CITIES = ["Lahore", "Karachi", "Rawalpindi"]


def _report(number: int, name: str) -> tuple[Document, Extraction]:
    sentence = f"{name} protesters attacked a police post in {CITIES[number]}, police said."
    document = Document(id=f"tlp-{number}", text=sentence, published=dt.date(2023, 4, number + 1),
                        content_hash=content_hash(sentence))
    perpetrator = ActorRef(start=0, end=len(name), text=name)
    event = Event(type="Attack", event_type="Violence against civilians", start=0, end=len(sentence),
                  sentence=sentence, perpetrators=[perpetrator])
    entity = EntityMention(start=0, end=len(name), text=name, type="Organisation")
    return document, Extraction(id=document.id, events=[event], entities=[entity])


@pytest.fixture
def proposing(fresh_client):
    """A client over a store where one unknown group is named, in three spellings, by three reports."""
    for number, name in enumerate(SPELLINGS):
        save_document(fresh_client.store, *_report(number, name))
    return fresh_client


def test_proposals_are_listed_with_counts_samples_and_close_actors(proposing):
    response = proposing.get("/api/actor-proposals")
    assert response.status_code == 200
    [proposal] = response.json()
    assert proposal["id"] == PROPOSAL and proposal["name"] == "Tehreek-e-Labbaik Pakistan"
    assert (proposal["mentions"], proposal["documents"]) == (6, 3)
    assert (proposal["first_seen"], proposal["last_seen"]) == ("2023-04-01", "2023-04-03")
    assert proposal["samples"][0]["sentence"].startswith("Tehreek-e-Labbaik Pakistan protesters")
    close = {c["actor"]["id"]: c for c in proposal["candidates"]}
    assert close["tehrik-e-taliban-pakistan"]["verdict"] == "related"
    assert proposing.get("/api/actor-proposals", params={"min_documents": 4}).json() == []


def test_accepting_over_http_creates_the_actor_and_links_its_events(proposing, error_of):
    response = proposing.post(f"/api/actor-proposals/{PROPOSAL}/accept",
                              json={"author": "ana", "kind": "political_party", "reason": "a party"})
    assert response.status_code == 200, response.text
    decision = response.json()
    assert decision["actor"] == {"id": "tehreek-e-labbaik-pakistan", "name": "Tehreek-e-Labbaik Pakistan",
                                 "kind": "political_party", "parent": None}
    assert decision["relinked"] == 6 and decision["author"] == "ana"
    events = proposing.get("/api/events", params={"actor": "Tehrik-e-Labaik Pakistan"}).json()
    assert events["total"] == 3
    assert proposing.get("/api/actor-proposals").json() == []
    assert [d["action"] for d in proposing.get("/api/actor-proposals/decisions").json()] == ["accept"]
    again = proposing.post(f"/api/actor-proposals/{PROPOSAL}/accept", json={"author": "ana"})
    assert again.status_code == 404 and "No proposal" in error_of(again)["message"]


def test_merging_and_rejecting_over_http(proposing):
    merged = proposing.post(f"/api/actor-proposals/{PROPOSAL}/merge", json={"actor": "jamaat-ul-ahrar", "author": "ana"})
    assert merged.status_code == 200 and merged.json()["actor"]["id"] == "jamaat-ul-ahrar"
    assert "Tehrik-i-Labbaik Pakistan" in proposing.get("/api/actors/jamaat-ul-ahrar").json()["actor"]["aliases"]


def test_rejecting_without_a_body_records_the_api_as_author(proposing):
    rejected = proposing.post(f"/api/actor-proposals/{PROPOSAL}/reject")
    assert rejected.status_code == 200 and rejected.json()["author"] == "api" and rejected.json()["actor"] is None
    assert proposing.get("/api/actor-proposals").json() == []


@pytest.mark.parametrize(
    "path, body, status, words",
    [
        ("/api/actor-proposals/nothing-like-it/reject", {}, 404, "'nothing-like-it'"),
        (f"/api/actor-proposals/{PROPOSAL}/accept", {"name": "Taliban"}, 409, "'taliban'"),
        (f"/api/actor-proposals/{PROPOSAL}/accept", {"kind": "militia"}, 400, "kind"),
        (f"/api/actor-proposals/{PROPOSAL}/accept", {"parent": "no-such-group"}, 400, "'no-such-group'"),
        (f"/api/actor-proposals/{PROPOSAL}/merge", {}, 400, "actor"),
        (f"/api/actor-proposals/{PROPOSAL}/merge", {"actor": "no-such-group"}, 400, "'no-such-group'"),
        (f"/api/actor-proposals/{PROPOSAL}/reject", {"author": ""}, 400, "author"),
    ],
)
def test_bad_decisions_are_clean_errors_naming_the_input(proposing, error_of, path, body, status, words):
    response = proposing.post(path, json=body)
    assert response.status_code == status, response.text
    assert words in error_of(response)["message"]


def test_resolving_a_name_says_what_and_why(fresh_client, error_of):
    resolved = fresh_client.get("/api/actors/resolve", params={"name": "Tahrik-e-Taleban Pakistan"}).json()
    assert resolved["actor"]["id"] == "tehrik-e-taliban-pakistan" and resolved["how"] == "name"
    assert resolved["key"] == "tehrik taliban pakistan" and "share the spelling key" in resolved["reasons"][0]
    province = fresh_client.get("/api/actors/resolve", params={"name": "ISIS-K"}).json()
    assert province["actor"]["id"] == "islamic-state-khorasan-province"
    assert [parent["id"] for parent in province["lineage"]] == ["islamic-state"]
    ambiguous = fresh_client.get("/api/actors/resolve", params={"name": "HUA"}).json()
    assert ambiguous["actor"] is None and len(ambiguous["ambiguous"]) == 2
    missing = fresh_client.get("/api/actors/resolve")
    assert missing.status_code == 400 and "name" in error_of(missing)["message"]


def test_resolve_is_not_taken_for_an_actor_id(fresh_client):
    assert fresh_client.get("/api/actors/resolve", params={"name": "TTP"}).json()["actor"]["id"] == "tehrik-e-taliban-pakistan"
    assert fresh_client.get("/api/actors/taliban").status_code == 200


def test_the_actors_page_shows_proposals_with_buttons_posting_to_the_api(proposing):
    page = proposing.get("/actors").text
    assert 'data-testid="actor-proposals"' in page and "Proposed actors" in page
    assert f'data-proposal-id="{PROPOSAL}"' in page
    for decision in ("accept", "merge", "reject"):
        assert f'action="/api/actor-proposals/{PROPOSAL}/{decision}"' in page
    assert "/static/js/proposals.js" in page and proposing.get("/static/js/proposals.js").status_code == 200
    assert 'data-testid="actor-proposals"' not in proposing.get("/actors", params={"q": "taliban"}).text


def test_the_actors_page_has_no_proposal_section_when_there_are_none(fresh_client):
    assert 'data-testid="actor-proposals"' not in fresh_client.get("/actors").text
