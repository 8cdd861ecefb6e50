"""Saving documents and actors, and reading them back, on each backend."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.errors import StoreError
from vigil.model.records import (
    Actor,
    ActorRef,
    Bounds,
    Claim,
    Concern,
    Document,
    EntityMention,
    Event,
    Extraction,
    Location,
    Relation,
    WeaponMention,
)
from vigil.store.queries import count_events
from vigil.store.repository import (
    count_actors,
    count_claims,
    count_documents,
    count_relations,
    count_weapons,
    delete_document,
    get_actor,
    get_document,
    list_documents,
    save_document,
    seed_actors,
)


def test_a_document_and_its_extraction_read_back_equal(store, corpus):
    for document, extraction in corpus:
        result = save_document(store, document, extraction)
        assert result.created and result.document_id == document.id
        stored = get_document(store, document.id)
        assert stored is not None
        assert stored.document == document
        assert stored.extraction == extraction
        assert stored.extraction.to_contract() == extraction.to_contract()
        assert stored.ingested_at.tzinfo is not None


def test_save_reports_what_it_wrote(store, corpus):
    document, extraction = corpus[0]
    result = save_document(store, document, extraction)
    assert result.counts == {
        "entities": 3,
        "events": 1,
        "event_actors": 3,
        "relations": 1,
        "claims": 2,
        "weapons": 4,  # two of the document, one of the event, one of the relation
    }
    assert count_weapons(store) == 4


def test_a_document_without_extraction_is_stored_bare(store, corpus):
    document, _ = corpus[1]
    assert save_document(store, document).created
    stored = get_document(store, document.id)
    assert stored.extraction == Extraction(id=document.id)


def test_an_empty_extraction_id_is_accepted(store, corpus):
    document, extraction = corpus[1]
    save_document(store, document, extraction.model_copy(update={"id": ""}))
    assert get_document(store, document.id).extraction == extraction


def test_saving_the_same_content_again_is_a_no_op(store, corpus):
    document, extraction = corpus[0]
    save_document(store, document, extraction)
    again = save_document(store, document, extraction)
    assert again.created is False and again.document_id == document.id and again.counts == {}
    # the same text under another id is still the same content
    renamed = document.model_copy(update={"id": "doc-elsewhere"})
    assert save_document(store, renamed, extraction.model_copy(update={"id": "doc-elsewhere"})).document_id == document.id
    assert (count_documents(store), count_events(store), count_claims(store), count_relations(store)) == (1, 1, 2, 1)


def test_an_id_already_used_by_other_content_is_refused(store, corpus):
    document, _ = corpus[0]
    save_document(store, document)
    other = Document.from_text("Entirely different words.", id=document.id)
    with pytest.raises(StoreError, match="already stored with different content"):
        save_document(store, other)


def test_an_extraction_of_another_document_is_refused(store, corpus):
    (document, _), (_, other_extraction) = corpus[0], corpus[1]
    with pytest.raises(StoreError, match="does not belong"):
        save_document(store, document, other_extraction)
    assert count_documents(store) == 0


def _broken_claim(valid: Claim) -> Claim:
    """A claim that passed no validation: its stance is missing (a NOT NULL column)."""
    fields = {name: getattr(valid, name) for name in Claim.model_fields}
    fields["stance"] = None
    return Claim.model_construct(**fields)


def test_a_failure_mid_way_leaves_nothing_of_the_document(store, corpus):
    document, extraction = corpus[0]
    broken = extraction.model_copy(update={"claims": [extraction.claims[0], _broken_claim(extraction.claims[1])]})
    with pytest.raises(StoreError, match=document.id):
        save_document(store, document, broken)
    assert get_document(store, document.id) is None
    assert (count_documents(store), count_events(store), count_claims(store), count_weapons(store)) == (0, 0, 0, 0)
    # and the store still works: the good extraction goes in afterwards
    assert save_document(store, document, extraction).created


def test_a_non_database_failure_also_rolls_back(store, corpus):
    document, extraction = corpus[0]
    event = extraction.events[0]
    fields = {name: getattr(event, name) for name in Event.model_fields}
    broken_event = Event.model_construct(**{**fields, "fatalities": "dozens"})  # not a Bounds: mapping fails
    broken = extraction.model_copy(update={"events": [event, broken_event]})
    with pytest.raises(AttributeError):
        save_document(store, document, broken)
    assert count_documents(store) == 0 and count_events(store) == 0


def test_deleting_a_document_removes_its_facts(store, corpus):
    for document, extraction in corpus:
        save_document(store, document, extraction)
    assert delete_document(store, corpus[0][0].id)
    assert delete_document(store, corpus[0][0].id) is False
    assert count_documents(store) == 2
    assert count_claims(store) == 0 and count_relations(store) == 0
    assert count_events(store) == 3
    assert count_weapons(store) == 1  # the car bomb in Mogadishu


def test_list_documents_newest_first_with_event_counts(store, corpus):
    for document, extraction in corpus:
        save_document(store, document, extraction)
    listed = list_documents(store)
    assert [info.id for info in listed] == [document.id for document, _ in reversed(corpus)]
    assert [info.events for info in listed] == [2, 1, 1]
    assert listed[-1].title == corpus[0][0].title
    assert [info.id for info in list_documents(store, limit=1, offset=1)] == [corpus[1][0].id]


def test_seeding_actors_is_idempotent(store, canonical_actors):
    first = seed_actors(store, canonical_actors)
    assert (first.created, first.updated, first.unchanged) == (4, 0, 0)
    again = seed_actors(store, canonical_actors)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert count_actors(store) == 4
    assert get_actor(store, "islamic-state") == canonical_actors[0]


def test_seeding_updates_fields_and_aliases(store, canonical_actors):
    seed_actors(store, canonical_actors)
    changed = canonical_actors[1].model_copy(update={"aliases": ["TTP", "Tehreek-e-Taliban"], "description": "Pakistani Taliban umbrella."})
    new = Actor(id="tnsm", name="Tehreek-e-Nafaz-e-Shariat-e-Mohammadi", kind="armed_group", parent=None, aliases=["TNSM", "TNSM"])
    result = seed_actors(store, [changed, new])
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert get_actor(store, "ttp") == changed
    assert get_actor(store, "tnsm").aliases == ["TNSM"]
    assert get_actor(store, "missing") is None


def _busy_extraction() -> tuple[Document, Extraction]:
    """A news-sized extraction: many entities, events with actors and weapons, relations with weapons, claims."""
    groups = ["Islamic State", "Al-Shabaab", "Boko Haram", "TTP", "ISWAP", "JNIM"]
    sentences = [
        f"{groups[i % 6]} fighters attacked a checkpoint in town {i} with AK-47 rifles and mortars, killing {i + 2} soldiers."
        for i in range(12)
    ]
    text = " ".join(sentences)
    document = Document.from_text(text, title="A week of attacks", published=dt.date(2024, 3, 9))
    offsets = [text.index(sentence) for sentence in sentences]

    def ref_at(i: int, phrase: str, actor: str | None = None, kind: str = "organisation") -> ActorRef:
        start = offsets[i] + sentences[i].index(phrase)
        return ActorRef(start=start, end=start + len(phrase), text=phrase, actor=actor, kind=kind)  # type: ignore[arg-type]

    def weapon_at(i: int, phrase: str, **fields: str) -> WeaponMention:
        start = offsets[i] + sentences[i].index(phrase)
        return WeaponMention(start=start, end=start + len(phrase), text=phrase, **fields)

    entities = []
    for i in range(12):
        group = ref_at(i, groups[i % 6], f"group-{i % 6}")
        town = ref_at(i, f"town {i}")
        entities += [
            EntityMention(start=group.start, end=group.end, text=group.text, type="Organisation", actor=group.actor),
            EntityMention(
                start=town.start,
                end=town.end,
                text=town.text,
                type="Location",
                geo=Location(text=town.text, start=town.start, end=town.end, name=f"Town {i}", country="NG", lat=10.0 + i, lon=12.5, precision="place"),
            ),
            EntityMention(start=town.end + 6, end=town.end + 15, text="AK-47 rif", type="Weapon", extractor="weapons@2"),
        ]
    events = [
        Event(
            type="Attack",
            event_type="Violence against civilians" if i % 3 else "Battles",
            start=offsets[i],
            end=offsets[i] + len(sentences[i]),
            sentence=sentences[i],
            trigger="attacked",
            date=f"2024-03-0{1 + i % 8}" if i % 4 else None,
            date_precision="day" if i % 4 else None,
            location=Location(text=f"town {i}", name=f"Town {i}", country="NG", precision="place"),
            perpetrators=[ref_at(i, groups[i % 6], f"group-{i % 6}"), ref_at(i, "fighters")],
            targets=[ref_at(i, "a checkpoint")],
            victims=[ref_at(i, "soldiers", kind="person")] if i % 2 else [],
            weapons=[weapon_at(i, "AK-47 rifles", weapon_class="assault rifle", model="AK-47"), weapon_at(i, "mortars", weapon_class="mortar")][: 1 + i % 2],
            fatalities=Bounds(min=i + 2, max=i + 2, text=str(i + 2)),
            responsibility="claimed" if i % 5 == 0 else None,
            confidence=0.5 + i / 100,
            extractor="rules@3",
        )
        for i in range(12)
    ]
    relations = [
        Relation(
            type="supplies_weapons_to" if i % 2 else "allied_with",
            source=ref_at(i, groups[i % 6], f"group-{i % 6}"),
            target=ref_at(i, "fighters"),
            weapons=[weapon_at(i, "mortars", weapon_class="mortar", origin="RU")] if i % 4 == 0 else [],
            start=offsets[i],
            end=offsets[i] + len(sentences[i]),
            sentence=sentences[i],
            attributed_to=ref_at(i, "soldiers", kind="person") if i == 4 else None,
            confidence=0.6,
        )
        for i in range(0, 12, 2)
    ]
    claims = [
        Claim(
            speaker=ref_at(i, groups[i % 6], f"group-{i % 6}"),
            speaker_org=ref_at(i, "fighters") if i % 2 else None,
            stance="denies" if i % 3 == 0 else "asserts",
            start=offsets[i],
            end=offsets[i] + len(sentences[i]),
            text=sentences[i],
            sentence=sentences[i],
            concerns=[Concern(kind="event", index=i), Concern(kind="relation", index=i // 2), Concern(kind="statement", text="the attack")],
            confidence=0.7,
        )
        for i in range(0, 12, 3)
    ]
    extraction = Extraction(
        id=document.id,
        entities=entities,
        events=events,
        relations=relations,
        claims=claims,
        weapons=[weapon_at(i, "AK-47 rifles", weapon_class="assault rifle") for i in range(12)],
    )
    return document, extraction


def test_a_busy_extraction_reads_back_equal(store, corpus):
    save_document(store, *corpus[2])  # another document's rows first, so ids do not start at 1
    document, extraction = _busy_extraction()
    result = save_document(store, document, extraction)
    assert result.counts == {
        "entities": 36,
        "events": 12,
        "event_actors": 42,
        "relations": 6,
        "claims": 4,
        "weapons": 12 + 18 + 3,
    }
    stored = get_document(store, document.id)
    assert stored.document == document
    assert stored.extraction == extraction
    assert count_weapons(store) == 12 + 18 + 3 + 1
