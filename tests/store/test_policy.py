"""The query-level policy: every read returns exactly what the TLP rules allow each viewer.

The fixture stores one report per (organisation, marking) for three organisations
(``local``, ``ngo-a``, ``ngo-b``) and shares some AMBER reports; the expected
visibility is computed here from the fixture, independently of ``vigil.store.policy``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.store.conftest import BAJAUR, actors, bajaur
from vigil.model.access import ROLES, Tlp, Viewer
from vigil.model.records import Document
from vigil.store import aggregates
from vigil.store.details import get_claim, get_document_detail, get_event, get_relation, get_weapon
from vigil.store.filters import EventFilter
from vigil.store.fusion_reads import count_distinct_events, get_fused_event, page_fused_events
from vigil.store.lists import page_claims, page_documents, page_relations, page_weapons
from vigil.store.markings import MarkingNotFound, MarkingRefused, get_marking, mark_document, share_document
from vigil.store.network import supply_network
from vigil.store.policy import restrict, visible
from vigil.store.queries import count_events, list_actors, list_claims, list_events, list_relations
from vigil.store.repository import get_document, list_documents, save_document, seed_actors

ORGS = ("local", "ngo-a", "ngo-b")
SHARES = {("ngo-a", Tlp.AMBER): ["ngo-b"], ("local", Tlp.AMBER): ["ngo-a"]}
EVERYTHING = EventFilter()


def expected_visible(owner: str, tlp: Tlp, shared: list[str], org: str) -> bool:
    if tlp in (Tlp.CLEAR, Tlp.GREEN):
        return True
    if owner == org:
        return True
    return tlp is Tlp.AMBER and org in shared


@pytest.fixture
def marked(store):
    """One report per organisation and marking (15), each with an event, a relation, two claims and weapons."""
    seed_actors(store, actors())
    documents = {}
    for owner in ORGS:
        for tlp in Tlp:
            base, extraction = bajaur()
            text = f"{BAJAUR} Reference {owner} {tlp.value}."
            document = Document.from_text(
                text, title=f"{owner} {tlp.value}", published=base.published, tlp=tlp,
                org_id=None if owner == "local" else owner,
            )
            save_document(store, document, extraction.model_copy(update={"id": document.id}))
            for org in SHARES.get((owner, tlp), []):
                share_document(store, document.id, org)
            documents[document.id] = (owner, tlp, SHARES.get((owner, tlp), []))
    return store, documents


def visible_ids(documents: dict, org: str) -> set[str]:
    return {doc for doc, (owner, tlp, shared) in documents.items() if expected_visible(owner, tlp, shared, org)}


def test_the_fixture_covers_every_case(marked):
    _, documents = marked
    counts = {org: len(visible_ids(documents, org)) for org in ORGS}
    # 6 CLEAR/GREEN + own AMBER, AMBER+STRICT, RED + AMBER shared with them
    assert counts == {"local": 9, "ngo-a": 10, "ngo-b": 10}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("org", ORGS)
def test_every_read_returns_what_the_rules_allow(marked, org, role):
    store, documents = marked
    viewer = Viewer(user_id=f"{org}-{role}", org_id=org, role=role, username=f"{org}-{role}")
    view = store.for_viewer(viewer)
    allowed = visible_ids(documents, org)
    hidden = set(documents) - allowed

    assert {d.id for d in list_documents(view)} == allowed
    assert {d.id for d in page_documents(view, EVERYTHING).items} == allowed
    assert page_documents(view, EVERYTHING).total == len(allowed)
    assert {e.document_id for e in list_events(view)} == allowed
    assert count_events(view) == len(allowed)
    assert {c.document_id for c in list_claims(view)} == allowed
    assert {r.document_id for r in list_relations(view)} == allowed
    assert {r.document_id for r in page_relations(view, EVERYTHING).items} == allowed
    assert {c.document_id for c in page_claims(view, EVERYTHING).items} == allowed
    assert page_claims(view, EVERYTHING).total == 2 * len(allowed)
    assert {w.document.id for w in page_weapons(view, EVERYTHING).items} == allowed
    # every record shows its marking
    assert all(e.tlp is documents[e.document_id][1] for e in list_events(view))
    assert all(d.tlp is documents[d.id][1] for d in list_documents(view))

    # aggregates, series, top-N actors
    assert aggregates.totals(view, EVERYTHING).events == len(allowed)
    assert sum(aggregates.events_by_month(view, EVERYTHING).values()) == len(allowed)
    assert aggregates.fatalities_min_total(view, EVERYTHING) == 40 * len(allowed)
    assert aggregates.count_documents_matching(view, EVERYTHING) == len(allowed)
    assert aggregates.claims_by_stance(view, EVERYTHING) == {"asserts": len(allowed), "denies": len(allowed)}
    assert aggregates.relations_by_type(view, EVERYTHING) == {"supplies_weapons_to": len(allowed)}
    assert dict((a.actor.id, a.events) for a in list_actors(view))["islamic-state"] == len(allowed)
    top = aggregates.perpetrator_counts(view, EVERYTHING)
    assert [(actor, n) for actor, _, n in top] == [("islamic-state", len(allowed))]
    network = supply_network(view, EVERYTHING)
    assert {r.document.id for edge in network.edges for r in edge.reports} == allowed

    # details: hidden records do not exist for this viewer
    full = store  # unrestricted, to find the ids of hidden facts
    for document_id in documents:
        stored = get_document(full, document_id)
        assert stored is not None
        shown = get_document_detail(view, document_id)
        assert (shown is not None) == (document_id in allowed)
        assert (get_document(view, document_id) is not None) == (document_id in allowed)
        detail = get_document_detail(full, document_id)
        event_id, relation_id, claim_id = detail.event_ids[0], detail.relation_ids[0], detail.claim_ids[0]
        assert (get_event(view, event_id) is not None) == (document_id in allowed)
        assert (get_relation(view, relation_id) is not None) == (document_id in allowed)
        assert (get_claim(view, claim_id) is not None) == (document_id in allowed)
    for weapon in page_weapons(full, EVERYTHING).items:
        assert (get_weapon(view, weapon.id) is not None) == (weapon.document.id in allowed)
    assert hidden.isdisjoint({d.id for d in list_documents(view)})


def test_no_viewer_reads_everything_and_the_policy_adds_nothing(marked):
    store, documents = marked
    assert {d.id for d in list_documents(store)} == set(documents)
    assert count_events(store) == len(documents)
    from sqlalchemy import select

    from vigil.store.tables import EventRow

    statement = select(EventRow.id)
    assert restrict(statement, store, EventRow) is statement
    assert str(visible(EventRow, None)) == "true"


def test_fused_event_is_rebuilt_from_the_visible_reports(marked):
    """The 15 reports of one attack fuse into one event; each viewer sees it fused from what they may read."""
    from vigil.store.fusion import StoredFusion

    store, documents = marked
    StoredFusion(store).catch_up()
    everything = page_fused_events(store, EVERYTHING).items
    assert len(everything) == 1 and everything[0].n_sources == len(documents)
    assert everything[0].tlp is Tlp.RED
    for org in ORGS:
        view = store.for_viewer(Viewer(user_id=None, org_id=org, role="viewer"))
        allowed = visible_ids(documents, org)
        page = page_fused_events(view, EVERYTHING)
        assert page.total == 1
        (item,) = page.items
        assert item.n_sources == len(allowed)
        assert {s.document_id for s in item.fused.sources} == allowed
        assert item.tlp is Tlp.most_restricted([documents[d][1] for d in allowed])
        detail = get_fused_event(view, item.fused.id)
        assert {s.document.id for s in detail.sources} == allowed
        assert all(m for step in detail.fused.merges for m in step.left + step.right if m.split("#")[0] in allowed)
        assert count_distinct_events(view, EVERYTHING) == 1


def test_a_fused_event_with_no_visible_report_does_not_exist(store):
    from vigil.store.fusion import StoredFusion

    base, extraction = bajaur()
    secret = base.model_copy(update={"tlp": Tlp.RED, "org_id": "ngo-a"})
    save_document(store, secret, extraction)
    StoredFusion(store).catch_up()
    fused_id = page_fused_events(store, EVERYTHING).items[0].fused.id
    view = store.for_viewer(Viewer(user_id=None, org_id="ngo-b"))
    assert page_fused_events(view, EVERYTHING).total == 0
    assert get_fused_event(view, fused_id) is None
    assert count_distinct_events(view, EVERYTHING) == 0


def test_remarking_changes_the_document_and_its_facts_in_one_go(marked):
    store, documents = marked
    document_id = next(d for d, (owner, tlp, _) in documents.items() if owner == "ngo-a" and tlp is Tlp.CLEAR)
    outsider = store.for_viewer(Viewer(user_id=None, org_id="ngo-b", role="analyst"))
    assert get_event(outsider, get_document_detail(store, document_id).event_ids[0]) is not None
    with pytest.raises(MarkingRefused):
        mark_document(outsider, document_id, "red")
    owner = store.for_viewer(Viewer(user_id=None, org_id="ngo-a", role="analyst"))
    changed = mark_document(owner, document_id, "red")
    assert changed.previous_tlp is Tlp.CLEAR and changed.tlp is Tlp.RED
    assert changed.facts == 1 + 1 + 2 + 4  # event, relation, claims, weapons
    assert get_document_detail(outsider, document_id) is None
    assert get_event(outsider, get_document_detail(store, document_id).event_ids[0]) is None
    with pytest.raises(MarkingNotFound):
        get_marking(outsider, document_id)
    with pytest.raises(MarkingRefused):
        share_document(owner, document_id, "ngo-b")  # RED is never shared


def test_sharing_an_amber_document_makes_it_visible_to_that_organisation_only(store):
    base, extraction = bajaur()
    amber = base.model_copy(update={"tlp": Tlp.AMBER, "org_id": "ngo-a"})
    save_document(store, amber, extraction)
    b = store.for_viewer(Viewer(user_id=None, org_id="ngo-b"))
    c = store.for_viewer(Viewer(user_id=None, org_id="ngo-c"))
    assert count_events(b) == count_events(c) == 0
    marking = share_document(store.for_viewer(Viewer(user_id=None, org_id="ngo-a", role="analyst")), amber.id, "ngo-b")
    assert marking.shared_with == ["ngo-b"]
    assert count_events(b) == 1 and count_events(c) == 0
    with pytest.raises(MarkingRefused):  # a recipient does not pass it on
        share_document(b, amber.id, "ngo-c")


def test_markings_are_stored_with_the_document(store):
    base, extraction = bajaur()
    document = base.model_copy(update={"tlp": Tlp.AMBER_STRICT, "org_id": "ngo-a", "origin_instance": "https://peer.example",
                                       "origin_org": "Peer NGO"})
    save_document(store, document, extraction)
    stored = get_document(store, document.id).document
    assert (stored.tlp, stored.org_id, stored.origin_instance, stored.origin_org) == (
        Tlp.AMBER_STRICT, "ngo-a", "https://peer.example", "Peer NGO")
    assert {e.tlp for e in list_events(store)} == {Tlp.AMBER_STRICT}
    assert dt.date(2023, 7, 31) == stored.published
