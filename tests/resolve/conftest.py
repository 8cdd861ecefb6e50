"""Helpers for the fusion tests: hand-made mentions (no extraction needed) and a lexical fusion engine."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.model.records import ActorRef, Bounds, Event, Location
from vigil.model.taxonomy import event_type_of
from vigil.resolve.engine import EventFusion
from vigil.resolve.lexical import LexicalEncoder
from vigil.resolve.records import EventMention

BAJAUR = Location(name="Bajaur Agency", admin2="Bajaur Agency", admin1="Khyber Pakhtunkhwa", country="PK", precision="admin2")
KHAR = Location(name="Khar", admin1="Khyber Pakhtunkhwa", admin2="Bajaur Agency", country="PK", precision="place")
PESHAWAR = Location(name="Peshawar", admin2="Peshawar District", admin1="Khyber Pakhtunkhwa", country="PK", precision="place")
QUETTA = Location(name="Quetta", admin2="Quetta District", admin1="Balochistan", country="PK", precision="place")
PAKISTAN = Location(name="Pakistan", country="PK", precision="country")


def actor(text: str, actor_id: str | None = None) -> ActorRef:
    return ActorRef(start=0, end=len(text), text=text, actor=actor_id)


def mention(
    doc: str,
    sentence: str,
    *,
    type: str = "Suicide bomb",
    date: str | None = "2023-07-30",
    precision: str = "day",
    published: str = "2023-07-31",
    location: Location | None = BAJAUR,
    perpetrators: list[ActorRef] | None = None,
    killed: tuple[int | None, int | None] | None = None,
    killed_text: str | None = None,
    start: int = 0,
    publisher: str | None = None,
) -> EventMention:
    """A mention as the extractor would produce it; ``date`` None means the text gives no date."""
    fatalities = Bounds(min=killed[0], max=killed[1], text=killed_text) if killed else None
    event = Event(
        type=type, event_type=event_type_of(type), start=start, end=start + len(sentence), sentence=sentence,
        date=date or published, date_precision=precision if date else "day", date_text=date and "stated",
        location=location, perpetrators=perpetrators or [], fatalities=fatalities,
    )
    return EventMention(id=f"{doc}#{start}-{start + len(sentence)}", document_id=doc,
                        published=dt.date.fromisoformat(published), publisher=publisher, event=event)


@pytest.fixture
def fusion() -> EventFusion:
    """Fusion with the lexical encoder: fast, and the same on every machine."""
    return EventFusion(LexicalEncoder())
