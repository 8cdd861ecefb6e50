"""One fact with its sources: events, relations, claims, weapons, documents, on each backend."""

from __future__ import annotations

from vigil.store.details import get_claim, get_document_detail, get_event, get_relation, get_weapon, locate, sentence_around
from vigil.store.filters import EventFilter
from vigil.store.lists import page_relations, page_weapons
from vigil.store.queries import list_events


def bombing_id(store) -> int:  # noqa: ANN001
    return list_events(store, EventFilter(sub_event_type="Suicide bomb"))[0].id


def test_event_fields_point_into_the_text(loaded, corpus):
    detail = get_event(loaded, bombing_id(loaded))
    text = corpus[0][0].text
    by_field = {field.field: field for field in detail.fields}
    assert set(by_field) == {"location", "date", "trigger", "perpetrator", "target", "victim", "weapon", "fatalities", "injuries"}
    for field in detail.fields:
        assert text[field.start : field.end] == field.text, field
    assert by_field["perpetrator"].actor == "islamic-state"
    assert by_field["fatalities"].text == "at least 40"


def test_event_sources_document_and_claims(loaded, corpus):
    document = corpus[0][0]
    detail = get_event(loaded, bombing_id(loaded))
    assert (detail.document.id, detail.document.title, detail.document.url) == (document.id, document.title, document.url)
    [source] = detail.sources
    assert source.quote == detail.event.sentence and source.fatalities.min == 40 and source.injuries.max == 200
    assert [claim.claim.stance for claim in detail.claims] == ["asserts"], "only the claim that concerns it"
    assert get_event(loaded, 10_000) is None


def test_relation_with_the_claims_denying_it(loaded):
    relation_id = page_relations(loaded).items[0].id
    detail = get_relation(loaded, relation_id)
    assert detail.relation.type == "supplies_weapons_to" and detail.document.publisher == "Example News"
    assert [c.claim.speaker.text for c in detail.claims] == ["Mohammad Khurasani"]
    assert get_relation(loaded, 10_000) is None


def test_claim_with_what_it_concerns(loaded):
    detail = get_event(loaded, bombing_id(loaded))
    claim = get_claim(loaded, detail.claims[0].id)
    assert [event.id for event in claim.events] == [detail.id] and claim.relations == []
    denial_id = get_relation(loaded, page_relations(loaded).items[0].id).claims[0].id
    denial = get_claim(loaded, denial_id)
    assert [r.relation.type for r in denial.relations] == ["supplies_weapons_to"] and denial.events == []
    assert get_claim(loaded, 10_000) is None


def test_weapon_with_its_sentence(loaded):
    rifles = next(w for w in page_weapons(loaded).items if w.weapon.model == "M4")
    detail = get_weapon(loaded, rifles.id)
    assert "supplied M4 rifles" in detail.sentence and detail.relation_id is not None
    assert get_weapon(loaded, 10_000) is None


def test_document_spans_and_resolutions(loaded, corpus):
    document = corpus[0][0]
    detail = get_document_detail(loaded, document.id)
    kinds = [span.kind for span in detail.spans]
    assert {"entity", "event", "perpetrator", "target", "victim", "relation", "claim", "weapon"} <= set(kinds)
    assert [s.start for s in detail.spans] == sorted(s.start for s in detail.spans)
    islamic_state = next(s for s in detail.spans if s.kind == "entity" and s.actor_id == "islamic-state")
    assert islamic_state.actor_name == "Islamic State"
    khar = next(s for s in detail.spans if s.kind == "entity" and s.text == "Khar")
    assert khar.place.country == "PK"
    weapons = [s for s in detail.spans if s.kind == "weapon"]
    assert sorted(s.text for s in weapons) == ["M4 rifles", "explosive vest"], "one span per mention"
    event = next(s for s in detail.spans if s.kind == "event")
    assert event.fact_id in detail.event_ids and event.place.admin1 == "Khyber Pakhtunkhwa"
    assert get_document_detail(loaded, "nope") is None


def test_locate_and_sentence_around():
    text = "One. Two killed here. Two killed there."
    assert locate(text, "Two killed", 22, 39) == (22, 32), "inside the fact's span first"
    assert locate(text, "Two killed", 0, 3) == (5, 15), "anywhere else next"
    assert locate(text, "absent", 0, 10) == (None, None) and locate(text, None, 0, 10) == (None, None)
    assert sentence_around(text, 14, 18) == "Two killed here."
