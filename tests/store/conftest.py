"""Fixtures for the store tests: a store on each backend and a small hand-built corpus.

``store`` runs each test on a fresh SQLite file and, when the server answers,
on a PostgreSQL database created for this test session (``vigil_test_<random>``,
dropped at the end; emptied between tests). The PostgreSQL runs carry the
``postgres`` mark; when the server is unreachable they are skipped.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

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
from vigil.settings import Settings
from vigil.store.database import open_store
from vigil.store.tables import Base
from tests.databases import created_postgres_database

POSTGRES_URL = os.environ.get("VIGIL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_url():
    """URL of a fresh PostgreSQL database for this session; skips when the server is unreachable."""
    with created_postgres_database("vigil_test") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'vigil.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(backend_url):
    store = open_store(Settings(database_url=backend_url))
    try:
        yield store
    finally:
        if store.dialect == "postgresql":
            with store.engine.begin() as connection:
                for table in reversed(Base.metadata.sorted_tables):
                    connection.execute(table.delete())
        store.close()


def span(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    """Start and end of the ``nth`` occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def ref(text: str, phrase: str, actor: str | None = None, kind: str = "organisation") -> ActorRef:
    start, end = span(text, phrase)
    return ActorRef(start=start, end=end, text=phrase, actor=actor, kind=kind)  # type: ignore[arg-type]


def weapon(text: str, phrase: str, **fields: str) -> WeaponMention:
    start, end = span(text, phrase)
    return WeaponMention(start=start, end=end, text=phrase, **fields)


def sentence_of(text: str, phrase: str) -> tuple[int, int, str]:
    """The sentence (ending in '. ') that contains ``phrase``."""
    at = text.index(phrase)
    start = text.rfind(". ", 0, at)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", at)
    end = len(text) if end < 0 else end + 1
    return start, end, text[start:end]


BAJAUR = (
    "A suicide bomber blew himself up at a political rally in Khar, Bajaur, on 30 July 2023, "
    "killing at least 40 people and injuring nearly 200. "
    "Islamic State said in a statement that one of its fighters carried out the attack with an explosive vest. "
    "The UN Monitoring Team reported that Tehrik-i-Taliban Pakistan supplied M4 rifles to Islamic State fighters. "
    "TTP spokesman Mohammad Khurasani denied any link to the group."
)

BORNO = (
    "Boko Haram fighters attacked a military base in Borno State, Nigeria, in May 2023, "
    "and soldiers repelled the assault with 100% of their armoured vehicles."
)

MOGADISHU = (
    "Al-Shabaab militants detonated a car bomb outside a hotel in Mogadishu, killing 5 people. "
    "Separately, unidentified gunmen attacked a village near Kismayo and abducted 12 civilians."
)


def bajaur() -> tuple[Document, Extraction]:
    text_ = BAJAUR
    document = Document.from_text(
        text_,
        title="Suicide bombing kills at least 40 at rally in Bajaur",
        publisher="Example News",
        url="https://news.example/bajaur",
        published=dt.date(2023, 7, 31),
        source="https://news.example/bajaur",
        media_type="text/html",
        licence="CC BY 4.0",
        attribution="Example News",
    )
    s_start, s_end, sentence = sentence_of(text_, "suicide bomber")
    loc_start, loc_end = span(text_, "Khar, Bajaur")
    event = Event(
        type="Suicide bomb",
        event_type="Explosions/Remote violence",
        start=s_start,
        end=s_end,
        sentence=sentence,
        trigger="blew himself up",
        date="2023-07-30",
        date_precision="day",
        date_text="30 July 2023",
        location=Location(
            text="Khar, Bajaur",
            start=loc_start,
            end=loc_end,
            name="Khar",
            admin2="Bajaur",
            admin1="Khyber Pakhtunkhwa",
            country="PK",
            lat=34.73,
            lon=71.52,
            geonames_id=1174211,
            precision="place",
        ),
        perpetrators=[ref(text_, "Islamic State", "islamic-state")],
        victims=[ref(text_, "people", kind="person")],
        targets=[ref(text_, "political rally")],
        weapons=[weapon(text_, "explosive vest", weapon_class="explosive")],
        fatalities=Bounds(min=40, text="at least 40"),
        injuries=Bounds(min=190, max=200, text="nearly 200"),
        responsibility="claimed",
        confidence=0.9,
        extractor="rules@1",
    )
    r_start, r_end, r_sentence = sentence_of(text_, "supplied M4")
    relation = Relation(
        type="supplies_weapons_to",
        source=ref(text_, "Tehrik-i-Taliban Pakistan", "ttp"),
        target=ref(text_, "Islamic State fighters", "islamic-state"),
        weapons=[weapon(text_, "M4 rifles", weapon_class="assault rifle", model="M4", origin="US")],
        start=r_start,
        end=r_end,
        sentence=r_sentence,
        attributed_to=ref(text_, "The UN Monitoring Team", "un-monitoring-team"),
        confidence=0.7,
        extractor="rules@1",
    )
    a_start, a_end, a_sentence = sentence_of(text_, "said in a statement")
    quote_start, quote_end = span(text_, "one of its fighters carried out the attack with an explosive vest")
    asserts = Claim(
        speaker=ref(text_, "Islamic State", "islamic-state"),
        stance="asserts",
        start=quote_start,
        end=quote_end,
        text=text_[quote_start:quote_end],
        sentence=a_sentence,
        date="2023-07-30",
        concerns=[Concern(kind="event", index=0)],
        confidence=0.8,
    )
    d_start, d_end, d_sentence = sentence_of(text_, "denied any link")
    denial_start, denial_end = span(text_, "any link to the group")
    denies = Claim(
        speaker=ref(text_, "Mohammad Khurasani", kind="person"),
        speaker_org=ref(text_, "TTP", "ttp"),
        stance="denies",
        start=denial_start,
        end=denial_end,
        text="any link to the group",
        sentence=d_sentence,
        concerns=[Concern(kind="relation", index=0), Concern(kind="statement", text="link to Islamic State")],
        confidence=0.75,
    )
    khar = span(text_, "Khar")
    entities = [
        EntityMention(
            start=khar[0],
            end=khar[1],
            text="Khar",
            type="Location",
            geo=Location(name="Khar", admin2="Bajaur", country="PK", lat=34.73, lon=71.52, precision="place"),
        ),
        EntityMention(
            start=span(text_, "Islamic State")[0],
            end=span(text_, "Islamic State")[1],
            text="Islamic State",
            type="Organisation",
            actor="islamic-state",
        ),
        EntityMention(
            start=span(text_, "30 July 2023")[0], end=span(text_, "30 July 2023")[1], text="30 July 2023", type="Temporal"
        ),
    ]
    extraction = Extraction(
        id=document.id,
        entities=entities,
        events=[event],
        relations=[relation],
        claims=[asserts, denies],
        weapons=[weapon(text_, "explosive vest", weapon_class="explosive"), weapon(text_, "M4 rifles", model="M4")],
    )
    return document, extraction


def borno() -> tuple[Document, Extraction]:
    text_ = BORNO
    document = Document.from_text(text_, title="Boko Haram attack on base repelled", published=dt.date(2023, 6, 2))
    s_start, s_end, sentence = sentence_of(text_, "Boko Haram")
    event = Event(
        type="Armed clash",
        event_type="Battles",
        start=s_start,
        end=s_end,
        sentence=sentence,
        trigger="attacked",
        date="2023-05",
        date_precision="month",
        date_text="May 2023",
        location=Location(text="Borno State, Nigeria", name="Borno", admin1="Borno", country="NG", precision="admin1"),
        perpetrators=[ref(text_, "Boko Haram", "boko-haram")],
        targets=[ref(text_, "soldiers")],
        confidence=0.6,
    )
    return document, Extraction(id=document.id, events=[event])


def mogadishu() -> tuple[Document, Extraction]:
    text_ = MOGADISHU
    document = Document.from_text(text_, title="Car bomb in Mogadishu", published=dt.date(2024, 1, 15))
    b_start, b_end, b_sentence = sentence_of(text_, "car bomb")
    bombing = Event(
        type="Remote explosive/landmine/IED",
        event_type="Explosions/Remote violence",
        start=b_start,
        end=b_end,
        sentence=b_sentence,
        trigger="detonated",
        location=Location(text="Mogadishu", name="Mogadishu", country="SO", precision="place"),
        perpetrators=[ref(text_, "Al-Shabaab", "al-shabaab")],
        fatalities=Bounds(min=5, max=5, text="5"),
        weapons=[weapon(text_, "car bomb", weapon_class="vehicle-borne IED")],
    )
    g_start, g_end, g_sentence = sentence_of(text_, "unidentified gunmen")
    abduction = Event(
        type="Abduction/forced disappearance",
        event_type="Violence against civilians",
        start=g_start,
        end=g_end,
        sentence=g_sentence,
        trigger="abducted",
        location=Location(text="Kismayo", name="Kismayo", country="SO", precision="place"),
        perpetrators=[ref(text_, "unidentified gunmen")],
        victims=[ref(text_, "12 civilians", kind="person")],
    )
    return document, Extraction(id=document.id, events=[bombing, abduction])


def actors() -> list[Actor]:
    return [
        Actor(
            id="islamic-state",
            name="Islamic State",
            kind="armed_group",
            aliases=["ISIS", "ISIL", "Daesh", "État islamique"],
            country="IQ",
            un_ref="QDe.115",
            un_list="ISIL (Da'esh) and Al-Qaida",
        ),
        Actor(
            id="ttp",
            name="Tehrik-i-Taliban Pakistan",
            kind="armed_group",
            aliases=["TTP", "Pakistani Taliban", "Tehrik-e-Taliban Pakistan"],
            country="PK",
            un_ref="QDe.132",
        ),
        Actor(id="boko-haram", name="Boko Haram", kind="armed_group", aliases=["JAS"], country="NG"),
        Actor(
            id="al-shabaab",
            name="Harakat al-Shabaab al-Mujahideen",
            kind="armed_group",
            aliases=["Al-Shabaab", "al-Shabab"],
            country="SO",
            description="Somali jihadist group.",
        ),
    ]


@pytest.fixture
def corpus() -> list[tuple[Document, Extraction]]:
    return [bajaur(), borno(), mogadishu()]


@pytest.fixture
def loaded(store, corpus):
    """A store holding the corpus and the canonical actors."""
    from vigil.store.repository import save_document, seed_actors

    seed_actors(store, actors())
    for document, extraction in corpus:
        save_document(store, document, extraction)
    return store


@pytest.fixture
def canonical_actors() -> list[Actor]:
    return actors()
