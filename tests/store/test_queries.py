"""Listing and filtering stored facts, on each backend."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.store.queries import EventFilter, count_events, list_actors, list_claims, list_events, list_relations


def kinds(store, **filter_fields) -> list[str]:
    return [stored.event.type for stored in list_events(store, EventFilter(order="date", **filter_fields))]


def test_all_events_newest_first_by_default(loaded):
    events = list_events(loaded)
    assert [stored.event.type for stored in events] == [
        "Abduction/forced disappearance",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Armed clash",
    ]
    assert count_events(loaded) == 4


def test_a_listed_event_carries_its_document(loaded, corpus):
    (bombing,) = list_events(loaded, EventFilter(sub_event_type="Suicide bomb"))
    document, extraction = corpus[0]
    assert bombing.event == extraction.events[0]
    assert bombing.document_id == document.id
    assert bombing.document_title == document.title
    assert bombing.document_published == dt.date(2023, 7, 31)
    assert bombing.date_start == dt.date(2023, 7, 30) and bombing.date_from_document is False


def test_month_precision_starts_on_the_first(loaded):
    (clash,) = list_events(loaded, EventFilter(country="NG"))
    assert clash.event.date == "2023-05" and clash.date_start == dt.date(2023, 5, 1)


def test_undated_events_fall_back_to_publication_and_say_so(loaded):
    undated = list_events(loaded, EventFilter(country="SO"))
    assert len(undated) == 2
    for stored in undated:
        assert stored.event.date is None
        assert stored.date_from_document is True
        assert stored.date_start == dt.date(2024, 1, 15)


def test_date_range(loaded):
    assert kinds(loaded, since=dt.date(2023, 7, 1)) == [
        "Suicide bomb",
        "Remote explosive/landmine/IED",
        "Abduction/forced disappearance",
    ]
    assert kinds(loaded, until=dt.date(2023, 7, 30)) == ["Armed clash", "Suicide bomb"]
    assert kinds(loaded, since=dt.date(2023, 5, 1), until=dt.date(2023, 5, 31)) == ["Armed clash"]
    assert kinds(loaded, since=dt.date(2024, 1, 1), until=dt.date(2024, 1, 14)) == []


def test_country_is_iso2_any_case(loaded):
    assert kinds(loaded, country="pk") == ["Suicide bomb"]
    assert kinds(loaded, country="SO") == ["Remote explosive/landmine/IED", "Abduction/forced disappearance"]
    assert kinds(loaded, country="FR") == []


@pytest.mark.parametrize(
    "actor",
    ["islamic-state", "Islamic State", "islamic state", "ISIS", "daesh", "etat islamique", "ÉTAT  ISLAMIQUE"],
)
def test_actor_by_id_name_or_alias(loaded, actor):
    assert kinds(loaded, actor=actor) == ["Suicide bomb"]


def test_actor_by_canonical_name_different_from_mention(loaded):
    assert kinds(loaded, actor="Harakat al-Shabaab al-Mujahideen") == ["Remote explosive/landmine/IED"]
    assert kinds(loaded, actor="al-shabab") == ["Remote explosive/landmine/IED"]


def test_actor_by_mention_text_when_unresolved(loaded):
    assert kinds(loaded, actor="Unidentified Gunmen") == ["Abduction/forced disappearance"]
    assert kinds(loaded, actor="soldiers") == ["Armed clash"]  # a target, unresolved
    assert kinds(loaded, actor="gunmen") == []  # whole mentions only
    assert kinds(loaded, actor="   ") == kinds(loaded)  # blank means no actor filter


def test_actor_in_any_role(loaded):
    assert kinds(loaded, actor="12 civilians") == ["Abduction/forced disappearance"]


def test_event_and_sub_event_type(loaded):
    assert kinds(loaded, event_type="Explosions/Remote violence") == ["Suicide bomb", "Remote explosive/landmine/IED"]
    assert kinds(loaded, sub_event_type="Armed clash") == ["Armed clash"]
    assert kinds(loaded, event_type="Battles", sub_event_type="Suicide bomb") == []


def test_text_search_in_the_sentence(loaded):
    assert kinds(loaded, text="RALLY") == ["Suicide bomb"]
    assert kinds(loaded, text="100%") == ["Armed clash"]  # wildcards are literal
    assert kinds(loaded, text="10_%") == []


def test_document_id(loaded, corpus):
    assert kinds(loaded, document_id=corpus[2][0].id) == [
        "Remote explosive/landmine/IED",
        "Abduction/forced disappearance",
    ]


def test_filters_combine(loaded):
    assert kinds(loaded, country="SO", actor="al-shabaab", since=dt.date(2024, 1, 1)) == ["Remote explosive/landmine/IED"]
    assert count_events(loaded, EventFilter(country="SO", actor="ISIS")) == 0


def test_limit_offset_and_order(loaded):
    oldest_first = kinds(loaded)
    assert oldest_first[0] == "Armed clash"
    assert kinds(loaded, limit=2) == oldest_first[:2]
    assert kinds(loaded, limit=2, offset=2) == oldest_first[2:]
    by_id = [s.event.type for s in list_events(loaded, EventFilter(order="id"))]
    assert by_id == ["Suicide bomb", "Armed clash", "Remote explosive/landmine/IED", "Abduction/forced disappearance"]
    assert [s.id for s in list_events(loaded, EventFilter(order="-id"))] == sorted(
        (s.id for s in list_events(loaded)), reverse=True
    )
    assert count_events(loaded, EventFilter(limit=1)) == 4


def test_an_unknown_order_is_refused():
    with pytest.raises(ValueError, match="Unknown event order"):
        EventFilter(order="newest")  # type: ignore[arg-type]


def test_actors_with_event_counts(loaded, canonical_actors):
    listed = list_actors(loaded)
    # most active first, then by canonical name
    assert [info.actor.id for info in listed] == ["boko-haram", "al-shabaab", "islamic-state", "ttp"]
    counts = {info.actor.id: (info.events, info.as_perpetrator) for info in listed}
    assert counts == {"al-shabaab": (1, 1), "boko-haram": (1, 1), "islamic-state": (1, 1), "ttp": (0, 0)}
    assert listed[2].actor == canonical_actors[0]


def test_actor_search(loaded):
    assert [info.actor.id for info in list_actors(loaded, "taliban")] == ["ttp"]
    assert [info.actor.id for info in list_actors(loaded, "État")] == ["islamic-state"]
    assert [info.actor.id for info in list_actors(loaded, "SHAB")] == ["al-shabaab"]
    assert list_actors(loaded, "nobody") == []


def test_claims_by_stance_and_speaker(loaded, corpus):
    claims = list_claims(loaded)
    assert [stored.claim for stored in claims] == corpus[0][1].claims
    assert {stored.document_id for stored in claims} == {corpus[0][0].id}
    assert [s.claim.stance for s in list_claims(loaded, stance="denies")] == ["denies"]
    assert [s.claim.stance for s in list_claims(loaded, actor="Pakistani Taliban")] == ["denies"]  # via speaker_org
    assert [s.claim.stance for s in list_claims(loaded, actor="mohammad khurasani")] == ["denies"]
    assert [s.claim.stance for s in list_claims(loaded, actor="ISIL")] == ["asserts"]
    assert list_claims(loaded, actor="ISIL", stance="denies") == []
    assert list_claims(loaded, document_id=corpus[1][0].id) == []


def test_relations_by_type_and_actor(loaded, corpus):
    (stored,) = list_relations(loaded)
    assert stored.relation == corpus[0][1].relations[0]
    assert list_relations(loaded, type="supplies_weapons_to") == [stored]
    assert list_relations(loaded, type="allied_with") == []
    assert list_relations(loaded, actor="TTP") == [stored]
    assert list_relations(loaded, actor="Daesh") == [stored]
    assert list_relations(loaded, actor="boko haram") == []
