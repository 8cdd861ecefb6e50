"""``summarise`` over a small store built in place (SQLite)."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.analysis.summary import ActorCount, Summary, summarise
from vigil.model.records import Actor, ActorRef, Bounds, Claim, Document, Event, Extraction, Location, Relation
from vigil.settings import Settings
from vigil.store import EventFilter, open_store, save_document, seed_actors


def _ref(text: str, phrase: str, actor: str | None = None) -> ActorRef:
    start = text.index(phrase)
    return ActorRef(start=start, end=start + len(phrase), text=phrase, actor=actor)


def _event(text: str, sub: str, parent: str, country: str, perpetrator: ActorRef, **fields) -> Event:
    return Event(
        type=sub,
        event_type=parent,
        start=0,
        end=len(text),
        sentence=text,
        location=Location(country=country),
        perpetrators=[perpetrator],
        **fields,
    )


@pytest.fixture
def store(tmp_path):
    with open_store(Settings(database_url=f"sqlite:///{tmp_path / 'vigil.sqlite'}")) as store:
        seed_actors(store, [Actor(id="islamic-state", name="Islamic State", kind="armed_group", aliases=["ISIS"])])
        bajaur = "Islamic State claimed a suicide bombing in Bajaur on 30 July 2023 that killed at least 40 people."
        doc = Document.from_text(bajaur, published=dt.date(2023, 7, 31))
        event = _event(
            bajaur,
            "Suicide bomb",
            "Explosions/Remote violence",
            "PK",
            _ref(bajaur, "Islamic State", "islamic-state"),
            date="2023-07-30",
            date_precision="day",
            fatalities=Bounds(min=40, text="at least 40"),
        )
        claim = Claim(
            speaker=_ref(bajaur, "Islamic State", "islamic-state"),
            stance="asserts",
            start=0,
            end=len(bajaur),
            text=bajaur,
            sentence=bajaur,
        )
        save_document(store, doc, Extraction(id=doc.id, events=[event], claims=[claim]))

        mali = "JNIM fighters clashed with the army near Gao in March 2024, and the army denied losses. JNIM is allied with Ansarul Islam."
        doc = Document.from_text(mali, published=dt.date(2024, 3, 20))
        clash = _event(mali, "Armed clash", "Battles", "ML", _ref(mali, "JNIM"), date="2024-03", date_precision="month")
        raid = _event(mali, "Attack", "Violence against civilians", "ML", _ref(mali, "JNIM"), fatalities=Bounds(min=3))
        relation = Relation(
            type="allied_with",
            source=_ref(mali, "JNIM"),
            target=_ref(mali, "Ansarul Islam"),
            start=0,
            end=len(mali),
            sentence=mali,
        )
        denial = Claim(speaker=_ref(mali, "the army"), stance="denies", start=0, end=5, text="losses", sentence=mali)
        save_document(store, doc, Extraction(id=doc.id, events=[clash, raid], relations=[relation], claims=[denial]))
        yield store


def test_summary_of_everything(store):
    summary = summarise(store)
    assert isinstance(summary, Summary)
    assert (summary.documents, summary.events, summary.fatalities_min) == (2, 3, 43)
    assert summary.by_event_type == {"Battles": 1, "Explosions/Remote violence": 1, "Violence against civilians": 1}
    assert summary.by_sub_event_type == {"Armed clash": 1, "Attack": 1, "Suicide bomb": 1}
    assert summary.by_country == {"ML": 2, "PK": 1}
    assert summary.by_month == {"2023-07": 1, "2024-03": 2}  # the undated raid counts in its publication month
    assert summary.top_perpetrators == [
        ActorCount(actor_id=None, name="JNIM", events=2),
        ActorCount(actor_id="islamic-state", name="Islamic State", events=1),
    ]
    assert summary.claims_by_stance == {"asserts": 1, "denies": 1}
    assert summary.relations_by_type == {"allied_with": 1}


def test_summary_of_a_filter(store):
    summary = summarise(store, EventFilter(actor="isis"))
    assert (summary.documents, summary.events, summary.fatalities_min) == (1, 1, 40)
    assert summary.by_country == {"PK": 1}
    assert summary.claims_by_stance == {"asserts": 1}
    assert summary.relations_by_type == {}


def test_summary_of_an_empty_store(tmp_path):
    with open_store(Settings(database_url=f"sqlite:///{tmp_path / 'empty.sqlite'}")) as store:
        summary = summarise(store)
    assert summary.documents == summary.events == summary.fatalities_min == 0
    assert summary.by_month == {} and summary.top_perpetrators == []


def test_summary_is_json_ready(store):
    assert summarise(store).model_dump(mode="json")["by_country"] == {"ML": 2, "PK": 1}
