"""Paged lists of relations, claims, weapons, documents and actors; place and time through events or documents."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.store.filters import BadFilter, EventFilter
from vigil.store.lists import page_actors, page_claims, page_documents, page_relations, page_weapons


def test_relations_through_their_document(loaded):
    assert page_relations(loaded).total == 1
    assert page_relations(loaded, EventFilter(country="PK", since=dt.date(2023, 7, 31))).total == 1
    assert page_relations(loaded, EventFilter(since=dt.date(2023, 8, 1))).total == 0, "published 2023-07-31"
    assert page_relations(loaded, EventFilter(admin1="Borno")).total == 0
    assert page_relations(loaded, EventFilter(actor="Pakistani Taliban")).total == 1, "an alias of the source"
    assert page_relations(loaded, type="allied_with").total == 0


def test_claims_through_the_event_they_concern_else_the_document(loaded):
    # The Islamic State's claim concerns the bombing of 2023-07-30; the denial concerns no event,
    # so it is dated by its document (published 2023-07-31).
    on_the_day = page_claims(loaded, EventFilter(since=dt.date(2023, 7, 30), until=dt.date(2023, 7, 30)))
    assert [c.claim.stance for c in on_the_day.items] == ["asserts"]
    next_day = page_claims(loaded, EventFilter(since=dt.date(2023, 7, 31), until=dt.date(2023, 7, 31)))
    assert [c.claim.stance for c in next_day.items] == ["denies"]
    assert page_claims(loaded, EventFilter(country="PK")).total == 2
    assert page_claims(loaded, EventFilter(country="SO")).total == 0
    assert page_claims(loaded, EventFilter(sub_event_type="Suicide bomb")).total == 2
    assert [c.claim.stance for c in page_claims(loaded, stance="denies").items] == ["denies"]
    by_org = page_claims(loaded, EventFilter(actor="TTP"))
    assert [c.claim.speaker.text for c in by_org.items] == ["Mohammad Khurasani"]


def test_weapons_with_their_owner_and_no_copies(loaded):
    page = page_weapons(loaded)
    texts = sorted(w.weapon.text for w in page.items)
    assert texts == ["M4 rifles", "car bomb", "explosive vest"], "document-level copies of owned mentions are dropped"
    vest = next(w for w in page.items if w.weapon.text == "explosive vest")
    assert vest.event_id is not None and [a.actor for a in vest.actors] == ["islamic-state"]
    assert (vest.country, vest.admin1, vest.date) == ("PK", "Khyber Pakhtunkhwa", dt.date(2023, 7, 30))
    m4 = next(w for w in page.items if w.weapon.text == "M4 rifles")
    assert [a.actor for a in m4.actors] == ["ttp", "islamic-state"] and m4.date == dt.date(2023, 7, 31)
    assert [w.weapon.text for w in page_weapons(loaded, EventFilter(country="SO")).items] == ["car bomb"]
    by_alias = page_weapons(loaded, EventFilter(actor="ISIS")).items  # uses the vest, receives the rifles
    assert {w.weapon.text for w in by_alias} == {"M4 rifles", "explosive vest"}
    assert page_weapons(loaded, weapon_class="Assault Rifle").total == 1


def test_documents_by_their_events(loaded):
    assert page_documents(loaded).total == 3
    published = [d.published for d in page_documents(loaded).items]
    assert published == sorted(published, reverse=True)
    assert [d.title for d in page_documents(loaded, EventFilter(country="NG")).items] == ["Boko Haram attack on base repelled"]
    assert page_documents(loaded, EventFilter(actor="al-Shabab")).total == 1
    assert page_documents(loaded, EventFilter(text="kismayo")).total == 1


def test_actors_with_activity(loaded):
    everyone = page_actors(loaded)
    assert everyone.total == 4 and everyone.items[0].events == 1
    in_pk = page_actors(loaded, EventFilter(country="PK"))
    assert [a.actor.id for a in in_pk.items] == ["islamic-state"]
    assert page_actors(loaded, query="shabab").items[0].actor.id == "al-shabaab"
    assert [a.actor.name for a in page_actors(loaded, order="name").items] == sorted(a.actor.name for a in everyone.items)
    assert page_actors(loaded, EventFilter(limit=2)).total == 4


def test_orders_that_do_not_apply_are_refused(loaded):
    with pytest.raises(BadFilter, match="relations"):
        page_relations(loaded, EventFilter(order="fatalities"))
    with pytest.raises(BadFilter, match="actors"):
        page_actors(loaded, order="-date")  # type: ignore[arg-type]
