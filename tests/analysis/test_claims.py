"""Claims grouped by proposition, beside what was recorded for their actors."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.analysis.claims import group_claims, proposition_key
from vigil.model.records import Actor, ActorRef, Claim, Concern, Document, EntityMention, Event, Extraction, Relation
from vigil.settings import Settings
from vigil.store.database import open_store
from vigil.store.filters import EventFilter
from vigil.store.repository import save_document, seed_actors

REPORT = (
    "The monitors said that the TTP gives weapons to Islamic State. "
    "A Taliban spokesman denied it. "
    "Islamic State bombed a rally in Bajaur in July. "
    "Officials said Islamic State was weakened."
)


def at(phrase: str) -> tuple[int, int]:
    start = REPORT.index(phrase)
    return start, start + len(phrase)


def ref(phrase: str, actor: str | None = None, kind: str = "organisation") -> ActorRef:
    start, end = at(phrase)
    return ActorRef(start=start, end=end, text=phrase, actor=actor, kind=kind)  # type: ignore[arg-type]


def claim(speaker: ActorRef, stance: str, quote: str, concerns: list[Concern], date: str | None = None) -> Claim:
    start, end = at(quote)
    return Claim(speaker=speaker, stance=stance, start=start, end=end, text=quote, sentence=quote,  # type: ignore[arg-type]
                 date=date, concerns=concerns)


@pytest.fixture
def store(tmp_path):
    store = open_store(Settings(database_url=f"sqlite:///{tmp_path / 'claims.sqlite'}"))
    seed_actors(store, [Actor(id="ttp", name="Tehrik-i-Taliban Pakistan", kind="armed_group"),
                        Actor(id="islamic-state", name="Islamic State", kind="armed_group")])
    document = Document.from_text(REPORT, id="report", published=dt.date(2023, 8, 28))
    supply_start, supply_end = at("the TTP gives weapons to Islamic State")
    bombing_start, bombing_end = at("Islamic State bombed a rally in Bajaur in July.")
    extraction = Extraction(
        id="report",
        entities=[
            EntityMention(start=at("TTP")[0], end=at("TTP")[1], text="TTP", type="Organisation", actor="ttp"),
            EntityMention(start=REPORT.index("Islamic State was"), end=REPORT.index("Islamic State was") + 13,
                          text="Islamic State", type="Organisation", actor="islamic-state"),
        ],
        events=[Event(type="Suicide bomb", event_type="Explosions/Remote violence", start=bombing_start, end=bombing_end,
                      sentence=REPORT[bombing_start:bombing_end], date="2023-07", date_precision="month",
                      perpetrators=[ActorRef(start=bombing_start, end=bombing_start + 13, text="Islamic State", actor="islamic-state")])],
        relations=[Relation(type="supplies_weapons_to", source=ref("TTP", "ttp"),
                            target=ActorRef(start=supply_end - 13, end=supply_end, text="Islamic State", actor="islamic-state"),
                            start=supply_start, end=supply_end, sentence=REPORT[supply_start:supply_end])],
        claims=[
            claim(ref("The monitors"), "asserts", "the TTP gives weapons to Islamic State", [Concern(kind="relation", index=0)]),
            claim(ref("A Taliban spokesman", kind="person"), "denies", "denied it", [Concern(kind="relation", index=0)]),
            claim(ref("Officials"), "asserts", "Islamic State was weakened", [Concern(kind="statement", text="weakened")]),
        ],
    )
    save_document(store, document, extraction)
    yield store
    store.close()


def test_assertion_and_denial_of_one_relation_form_one_group(store):
    groups = group_claims(store)
    assert groups.total == 2
    contested, statement = groups.items
    assert [v.speaker.text for v in contested.asserted_by] == ["The monitors"]
    assert [v.speaker.text for v in contested.denied_by] == ["A Taliban spokesman"]
    assert {s.actor_id for s in contested.subjects} == {"ttp", "islamic-state"}
    assert len(contested.relation_ids) == 1 and contested.key.startswith("facts:")
    assert contested.first_date == dt.date(2023, 8, 28), "a claim without a date takes its document's"


def test_a_statement_is_keyed_by_the_actors_its_quote_names_and_set_beside_the_record(store):
    statement = group_claims(store).items[1]
    assert statement.key == "actors:islamic-state" and statement.denied_by == []
    assert statement.recorded_total == 1 and statement.recorded_events[0].event.type == "Suicide bomb"
    assert statement.window_start <= dt.date(2023, 7, 1) <= statement.window_end
    narrow = group_claims(store, window_days=10).items[1]
    assert narrow.recorded_total == 0, "July is more than ten days before the claim"


def test_groups_are_paged_and_filtered(store):
    page = group_claims(store, EventFilter(limit=1, offset=1))
    assert page.total == 2 and len(page.items) == 1 and page.items[0].key == "actors:islamic-state"
    assert group_claims(store, EventFilter(country="NG")).total == 0


def test_proposition_key():
    assert proposition_key(5, [3], [1, 2], ["ttp"]) == "facts:e3,r1,r2"
    assert proposition_key(5, [], [], ["b", "a"]) == "actors:a,b"
    assert proposition_key(5, [], [], []) == "claim:5"
