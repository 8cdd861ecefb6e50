"""Proposed actors: grouping unresolved mentions, and the analyst's decisions over the store (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.databases import created_postgres_database
from vigil.model.records import (
    ActorRef,
    Claim,
    Document,
    EntityMention,
    Event,
    Extraction,
    Relation,
    content_hash,
)
from vigil.resolve.actor_proposals import (
    UnresolvedMention,
    core_name,
    group_mentions,
    is_generic,
    names_a_place,
    proposal_id,
    propose_actors,
)
from vigil.resolve.actor_resolver import load_actor_catalogue
from vigil.settings import Settings
from vigil.store.actor_proposals import (
    ActorExists,
    DecisionRefused,
    ProposalNotFound,
    accept_proposal,
    get_actor_proposal,
    list_actor_proposals,
    list_proposal_decisions,
    merge_proposal,
    reject_proposal,
    relink_unresolved,
    resolve_actor_name,
)
from vigil.store.database import open_store
from vigil.store.queries import EventFilter, list_events
from vigil.store.repository import get_actor, save_document, seed_actors
from vigil.store.tables import Base, ClaimRow, EntityRow, EventActorRow, RelationRow

TLP_KEY = "tehrik labaik pakistan"
TLP = proposal_id(TLP_KEY)

# --- grouping and proposing, in memory ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    ["militants", "Militants", "Unknown gunmen", "Pakistani security forces", "Security Forces", "the group",
     "two suicide bombers", "Insurgents", "Baloch insurgents", "Reuters", "the Associated Press", "UTC", "Police"],
)
def test_generic_words_are_never_a_new_actor(words):
    assert is_generic(words) or is_generic(core_name(words))


@pytest.mark.parametrize("name", ["Tehreek-e-Labbaik Pakistan", "Jaish ul-Hind", "TLP", "Lashkar-e-Islam"])
def test_names_are_not_generic(name):
    assert not is_generic(name)


def test_core_names_drop_trailing_generic_words():
    assert core_name("Taliban fighters") == "Taliban"
    assert core_name("TTP militants") == "TTP"
    assert core_name("Tehreek-e-Labbaik Pakistan activists") == "Tehreek e Labbaik Pakistan"
    assert core_name("militants") == "militants"


def test_countries_and_provinces_are_places_not_new_actors():
    assert names_a_place("Pakistan") and names_a_place("the United States") and names_a_place("Punjab")
    assert not names_a_place("Tehreek-e-Labbaik Pakistan")


def _mention(text: str, document: str, day: int = 1, role: str = "perpetrator") -> UnresolvedMention:
    return UnresolvedMention(text=text, document_id=document, role=role, published=dt.date(2023, 5, day),
                             sentence=f"{text} did something.")


def test_spellings_of_one_name_are_grouped_and_proposed_once_mentioned_in_enough_documents():
    mentions = [
        _mention("Tehreek-e-Labbaik Pakistan", "d1", 3),
        _mention("Tehrik-i-Labbaik Pakistan", "d2", 9),
        _mention("Tehreek-e-Labbaik Pakistan activists", "d3", 5, role="target"),
        _mention("Tehreek-e-Labbaik Pakistan", "d3", 5, role="entity"),
        _mention("Jaish ul-Hind", "d1"), _mention("Jaish-ul-Hind", "d2"),  # two documents only
        _mention("militants", "d1"), _mention("militants", "d2"), _mention("militants", "d3"),
        _mention("Tahrik-e-Taleban Pakistan", "d1"), _mention("Tahrik-e-Taleban Pakistan", "d2"),
        _mention("Tahrik-e-Taleban Pakistan", "d3"),  # a known actor: linked, not proposed
    ]
    catalogue = load_actor_catalogue()
    assert set(group_mentions(mentions, catalogue.known_keys())) == {TLP_KEY, "jaish hind", "tehrik taliban pakistan"}
    [proposal] = propose_actors(mentions, catalogue)
    assert (proposal.id, proposal.key) == (TLP, TLP_KEY)
    assert (proposal.mentions, proposal.documents) == (4, 3)
    assert (proposal.first_seen, proposal.last_seen) == (dt.date(2023, 5, 3), dt.date(2023, 5, 9))
    assert proposal.name == "Tehreek-e-Labbaik Pakistan"
    assert {f.text for f in proposal.forms} == {"Tehreek-e-Labbaik Pakistan", "Tehrik-i-Labbaik Pakistan", "Tehreek e Labbaik Pakistan"}
    assert proposal.roles == {"perpetrator": 2, "target": 1, "entity": 1}
    assert [s.document_id for s in proposal.samples] == ["d1", "d3", "d2"]
    assert [p.id for p in propose_actors(mentions, catalogue, min_documents=2)] == [TLP, "jaish-hind"]
    assert propose_actors(mentions, catalogue, decided={TLP_KEY: "rejected"}) == []


def test_a_proposal_lists_the_close_actors_and_why_they_were_not_merged():
    mentions = [_mention("Tehreek-e-Labbaik Pakistan", f"d{n}") for n in range(3)]
    [proposal] = propose_actors(mentions, load_actor_catalogue())
    close = {c.actor.id: c for c in proposal.candidates}
    ttp = close["tehrik-e-taliban-pakistan"]
    assert ttp.verdict == "related" and not ttp.part_of
    assert "a shared word alone never makes two names one actor" in ttp.reasons[0]
    assert any("'Taliban' is only in" in reason for reason in ttp.reasons)


def test_a_branch_of_a_known_group_is_proposed_with_its_parent_as_candidate():
    mentions = [_mention("Islamic State Somalia Province", f"d{n}") for n in range(3)]
    [proposal] = propose_actors(mentions, load_actor_catalogue())
    parent = proposal.candidates[0]
    assert parent.actor.id == "islamic-state" and parent.part_of


def test_proposal_ids_are_stable_and_plain():
    assert proposal_id("tehrik labaik pakistan") == "tehrik-labaik-pakistan"
    assert proposal_id("\u062f\u0627\u0639\u0634") == proposal_id("\u062f\u0627\u0639\u0634").lower()
    assert proposal_id("\u062f\u0627\u0639\u0634").startswith("p-")


# --- over the store -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres_url():
    """A PostgreSQL database for this module, dropped at the end; skips when the server is unreachable."""
    with created_postgres_database("vigil_test") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'vigil.sqlite'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    opened = open_store(Settings(database_url=url))
    seeded = ("tehrik-e-taliban-pakistan", "taliban", "islamic-state", "jamaat-ul-ahrar")
    seed_actors(opened, [load_actor_catalogue().actors[actor_id] for actor_id in seeded])
    try:
        yield opened
    finally:
        if opened.dialect == "postgresql":
            with opened.engine.begin() as connection:
                for table in reversed(Base.metadata.sorted_tables):
                    connection.execute(table.delete())
        opened.close()


def ref(sentence: str, name: str, kind: str = "organisation", actor: str | None = None) -> ActorRef:
    start = sentence.index(name)
    return ActorRef(start=start, end=start + len(name), text=name, kind=kind, actor=actor)  # type: ignore[arg-type]


def report(number: int, day: str, sentence: str, name: str, where: str) -> tuple[Document, Extraction]:
    """A one-sentence report naming ``name`` (unresolved) in one place: perpetrator, target, relation, claim or entity."""
    document = Document(id=f"report-{number}", text=sentence, published=dt.date.fromisoformat(day),
                        content_hash=content_hash(sentence))
    mention = ref(sentence, name)
    extraction = Extraction(id=document.id)
    span = {"start": 0, "end": len(sentence), "sentence": sentence}
    if where in ("perpetrator", "target"):
        extraction.events.append(Event(type="Attack", event_type="Violence against civilians", **span,
                                       **{"perpetrators" if where == "perpetrator" else "targets": [mention]}))
    elif where == "relation":
        other = ref(sentence, "Taliban", actor="taliban")
        extraction.relations.append(Relation(type="allied_with", source=mention, target=other, **span))
    elif where == "claim":
        extraction.claims.append(Claim(speaker=ref(sentence, "spokesman", kind="person"), speaker_org=mention,
                                       stance="denies", text=sentence, **span))
    extraction.entities.append(EntityMention(start=mention.start, end=mention.end, text=name, type="Organisation"))
    return document, extraction


CORPUS = [
    ("2023-03-02", "Tehreek-e-Labbaik Pakistan supporters blocked the road; police said Tehreek-e-Labbaik Pakistan attacked a post.",
     "Tehreek-e-Labbaik Pakistan", "perpetrator"),
    ("2023-04-11", "Police raided offices of Tehrik-i-Labbaik Pakistan in Lahore.", "Tehrik-i-Labbaik Pakistan", "target"),
    ("2023-05-20", "A spokesman for Tehreek-e-Labbaik Pakistan denied any link with the Taliban.", "Tehreek-e-Labbaik Pakistan", "claim"),
    ("2023-06-01", "Tehreek-e-Labbaik Pakistan is allied with the Taliban, the report says.", "Tehreek-e-Labbaik Pakistan", "relation"),
    ("2023-06-02", "Tahrik-e-Taleban Pakistan claimed the attack on the Taliban checkpoint.", "Tahrik-e-Taleban Pakistan", "perpetrator"),
]


@pytest.fixture
def corpus(store):
    for number, (day, sentence, name, where) in enumerate(CORPUS):
        save_document(store, *report(number, day, sentence, name, where))
    return store


def _actor_ids(store, column):  # noqa: ANN001
    with store.session() as session:
        return list(session.scalars(select(column)))


def test_unresolved_names_become_proposals_with_counts_dates_and_sentences(corpus):
    [proposal] = list_actor_proposals(corpus)
    assert proposal.id == TLP and proposal.name == "Tehreek-e-Labbaik Pakistan"
    assert (proposal.mentions, proposal.documents) == (8, 4)  # four facts and four entity mentions
    assert (proposal.first_seen, proposal.last_seen) == (dt.date(2023, 3, 2), dt.date(2023, 6, 1))
    assert proposal.roles["entity"] == 4 and proposal.roles["claim speaker's organisation"] == 1
    assert proposal.samples[0].sentence == CORPUS[0][1]
    assert "tehrik-e-taliban-pakistan" in {c.actor.id for c in proposal.candidates}
    assert list_actor_proposals(corpus, min_documents=5) == []


def test_accepting_creates_the_actor_and_links_every_stored_mention(corpus):
    decision = accept_proposal(corpus, TLP, name="Tehreek-e-Labbaik Pakistan", kind="political_party", author="ana",
                               reason="a Barelvi party, not a faction of the TTP")
    assert decision.action == "accept" and decision.actor.id == "tehreek-e-labbaik-pakistan"
    assert decision.relinked == 8 and decision.author == "ana"
    actor = get_actor(corpus, "tehreek-e-labbaik-pakistan")
    assert actor.kind == "political_party" and actor.source == "analyst" and "Tehrik-i-Labbaik Pakistan" in actor.aliases
    linked = "tehreek-e-labbaik-pakistan"
    assert _actor_ids(corpus, EventActorRow.actor_id).count(linked) == 2
    assert linked in _actor_ids(corpus, RelationRow.source_actor_id)
    assert linked in _actor_ids(corpus, ClaimRow.speaker_org_actor_id)
    assert _actor_ids(corpus, EntityRow.actor_id).count(linked) == 4
    assert list_actor_proposals(corpus, min_documents=1) == []
    [recorded] = list_proposal_decisions(corpus)
    assert recorded.reason == "a Barelvi party, not a faction of the TTP" and recorded.decided_at.tzinfo is not None
    # the actor filter now finds the events by any spelling
    found = list_events(corpus, EventFilter(actor="Tehrik-e-Labaik Pakistan"))
    assert {e.document_id for e in found} == {"report-0", "report-1"}


def test_later_reports_follow_an_accepted_decision(corpus):
    accept_proposal(corpus, TLP, author="ana")
    save_document(corpus, *report(9, "2023-07-01", "Tehreek-i-Labbaik Pakistan workers clashed with police.",
                                  "Tehreek-i-Labbaik Pakistan", "perpetrator"))
    assert list_actor_proposals(corpus, min_documents=1) == []  # decided: not proposed again
    assert relink_unresolved(corpus).by_decision == 2  # the event's perpetrator and the entity mention
    assert resolve_actor_name(corpus, "Tehreek-i-Labbaik Pakistan").how == "analyst decision"


def test_merging_adds_the_spellings_as_aliases_and_links_the_mentions(corpus):
    decision = merge_proposal(corpus, TLP, "jamaat-ul-ahrar", author="ana", reason="test")
    assert decision.action == "merge" and decision.actor.id == "jamaat-ul-ahrar" and decision.relinked == 8
    aliases = get_actor(corpus, "jamaat-ul-ahrar").aliases
    assert "Tehreek-e-Labbaik Pakistan" in aliases and "Tehrik-i-Labbaik Pakistan" in aliases
    assert resolve_actor_name(corpus, "Tehrik-e-Labaik Pakistan").actor.id == "jamaat-ul-ahrar"


def test_merging_into_an_actor_the_store_lacks_writes_it_from_the_gazetteer(corpus):
    decision = merge_proposal(corpus, TLP, "jaish-al-adl", author="ana")  # an addition, never seeded here
    assert decision.actor.name == "Jaish al-Adl" and get_actor(corpus, "jaish-al-adl") is not None


def test_rejecting_records_the_decision_and_hides_the_proposal(corpus):
    decision = reject_proposal(corpus, TLP, author="ana", reason="protest movement, not a group we track")
    assert decision.action == "reject" and decision.actor is None and decision.relinked == 0
    assert list_actor_proposals(corpus) == []
    assert get_actor_proposal(corpus, TLP).status == "rejected"
    assert "rejected" in resolve_actor_name(corpus, "Tehreek-e-Labbaik Pakistan").reasons[-1]
    accept_proposal(corpus, TLP, author="bo", reason="changed my mind")  # a later decision wins
    assert [d.action for d in list_proposal_decisions(corpus)] == ["reject", "accept"]


def test_decisions_that_cannot_apply_are_refused_with_the_bad_value(corpus):
    with pytest.raises(ProposalNotFound, match="'no-such-proposal'"):
        reject_proposal(corpus, "no-such-proposal", author="ana")
    with pytest.raises(ActorExists, match="'taliban'"):
        accept_proposal(corpus, TLP, name="Taliban", author="ana")
    with pytest.raises(DecisionRefused, match="'no-such-actor'"):
        merge_proposal(corpus, TLP, "no-such-actor", author="ana")
    with pytest.raises(DecisionRefused, match="'no-such-parent'"):
        accept_proposal(corpus, TLP, parent="no-such-parent", author="ana")
    with pytest.raises(DecisionRefused, match="'militia group'"):
        accept_proposal(corpus, TLP, kind="militia group", author="ana")
    with pytest.raises(DecisionRefused, match="author"):
        accept_proposal(corpus, TLP, author=" ")
    assert list_proposal_decisions(corpus) == [] and get_actor(corpus, "tehreek-e-labbaik-pakistan") is None


def test_a_new_actor_may_be_a_faction_of_an_existing_one(corpus):
    accept_proposal(corpus, TLP, name="TLP Faction", parent="tehrik-e-taliban-pakistan", author="ana")
    assert get_actor(corpus, "tlp-faction").parent == "tehrik-e-taliban-pakistan"


def test_relinking_links_spellings_of_known_actors_but_never_bare_initials(corpus):
    save_document(corpus, *report(20, "2023-08-01", "ADF soldiers patrolled the area.", "ADF", "perpetrator"))
    result = relink_unresolved(corpus)
    assert result.by_name == 2 and result.by_decision == 0  # "Tahrik-e-Taleban Pakistan": event and entity
    assert _actor_ids(corpus, EventActorRow.actor_id).count("tehrik-e-taliban-pakistan") == 1
    assert "ADF" in {m for m in _texts_without_actor(corpus)}


def _texts_without_actor(store) -> set[str]:  # noqa: ANN001
    with store.session() as session:
        return set(session.scalars(select(EventActorRow.text).where(EventActorRow.actor_id.is_(None))))


def test_the_actor_filter_finds_actors_by_a_spelling_variant(corpus):
    relink_unresolved(corpus)
    for spelling in ("Tehrik-e-Taliban Pakistan", "Tehreek-i-Taliban Pakistan", "TTP"):
        assert [e.document_id for e in list_events(corpus, EventFilter(actor=spelling))] == ["report-4"], spelling
    assert list_events(corpus, EventFilter(actor="Taliban")) == []  # the TTP is not the Taliban
