"""Claims grouped by proposition across documents, with the events recorded for their actors beside them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.databases import created_postgres_database
from vigil.analysis.claims import ClaimGroup, group_claims
from vigil.model.records import (
    Actor,
    ActorRef,
    Claim,
    Concern,
    Document,
    EntityMention,
    Event,
    Extraction,
    Location,
    Relation,
)
from vigil.resolve.embeddings import ml_installed
from vigil.resolve.lexical import LexicalEncoder
from vigil.resolve.similarity import choose_encoder
from vigil.settings import Settings
from vigil.store.database import open_store
from vigil.store.filters import EventFilter
from vigil.store.repository import save_document, seed_actors

ACTORS = [
    Actor(id="islamic-state", name="Islamic State", kind="armed_group", aliases=["IS"]),
    Actor(id="iskp", name="Islamic State Khorasan Province", kind="armed_group", aliases=["IS-K"], parent="islamic-state"),
    Actor(id="ttp", name="Tehrik-e-Taliban Pakistan", kind="armed_group", aliases=["TTP"]),
    Actor(id="taliban", name="Taliban", kind="armed_group"),
    Actor(id="al-qaida", name="Al-Qaida", kind="armed_group", aliases=["Al Qaeda"]),
    Actor(id="zabihullah-mujahid", name="Zabihullah Mujahid", kind="person", parent="taliban"),
]
#: Words the tests resolve to actors and places, longest first (as a gazetteer would).
NAMES = {
    "Islamic State Khorasan Province": "iskp", "Islamic State": "islamic-state", "IS-K": "iskp", "TTP": "ttp",
    "Taliban": "taliban", "Al Qaeda": "al-qaida", "Zabihullah Mujahid": "zabihullah-mujahid",
}
PLACES = {"Afghanistan": "AF", "Pakistan": "PK", "Bajaur": "PK", "Syria": "SY"}


class Report:
    """A small report written for a test, with its facts located by their words."""

    def __init__(self, doc_id: str, published: str, text: str) -> None:
        self.text = text
        self.document = Document.from_text(text, id=doc_id, published=dt.date.fromisoformat(published))
        self.extraction = Extraction(id=doc_id, entities=self._entities())

    def at(self, phrase: str) -> tuple[int, int]:
        start = self.text.index(phrase)
        return start, start + len(phrase)

    def ref(self, phrase: str, actor: str | None = None, kind: str = "organisation") -> ActorRef:
        start, end = self.at(phrase)
        return ActorRef(start=start, end=end, text=phrase, actor=actor, kind=kind)  # type: ignore[arg-type]

    def _entities(self) -> list[EntityMention]:
        found, taken = [], set()
        for words, actor in NAMES.items():
            for match in re.finditer(re.escape(words), self.text):
                if not taken & set(range(*match.span())):
                    taken |= set(range(*match.span()))
                    found.append(EntityMention(start=match.start(), end=match.end(), text=words, type="Organisation", actor=actor))
        for words, country in PLACES.items():
            for match in re.finditer(re.escape(words), self.text):
                found.append(EntityMention(start=match.start(), end=match.end(), text=words, type="Location",
                                           geo=Location(name=words, country=country, precision="country")))
        return sorted(found, key=lambda e: e.start)

    def claim(self, speaker: ActorRef, stance: str, quote: str, *, org: ActorRef | None = None,
              concerns: list[Concern] | None = None) -> Report:
        start, end = self.at(quote)
        self.extraction.claims.append(Claim(
            speaker=speaker, speaker_org=org, stance=stance, start=start, end=end, text=quote,  # type: ignore[arg-type]
            sentence=self.text, date=self.document.published.isoformat(),  # type: ignore[union-attr]
            concerns=concerns or [Concern(kind="statement", text=quote)],
        ))
        return self

    def event(self, sentence: str, perpetrator: str, actor: str, date: str, sub_type: str = "Suicide bomb") -> Report:
        start, end = self.at(sentence)
        self.extraction.events.append(Event(
            type=sub_type, event_type="Explosions/Remote violence", start=start, end=end, sentence=sentence, date=date,
            date_precision="day", perpetrators=[self.ref(perpetrator, actor)],
        ))
        return self

    def supply(self, sentence: str, source: tuple[str, str], target: tuple[str, str]) -> Report:
        start, end = self.at(sentence)
        self.extraction.relations.append(Relation(
            type="supplies_weapons_to", source=self.ref(*source), target=self.ref(*target), start=start, end=end,
            sentence=sentence,
        ))
        return self


def reports() -> list[Report]:
    un = Report("un", "2024-02-20", "A UN monitoring report said that the Islamic State remains active in Afghanistan.")
    un.claim(un.ref("A UN monitoring report"), "asserts", "the Islamic State remains active in Afghanistan")
    taliban = Report("taliban", "2024-03-03", "Taliban spokesman Zabihullah Mujahid denied the reports, saying that "
                     "Islamic State activity in Afghanistan had been reduced to zero.")
    taliban.claim(taliban.ref("Zabihullah Mujahid", "zabihullah-mujahid", "person"), "denies",
                  "the reports, saying that Islamic State activity in Afghanistan had been reduced to zero",
                  org=taliban.ref("Taliban", "taliban"))
    pakistan = Report("pakistan", "2024-03-10", "A Pakistani official said that IS-K carried out several attacks in "
                      "Afghanistan and Pakistan this year.")
    pakistan.claim(pakistan.ref("A Pakistani official"), "asserts",
                   "IS-K carried out several attacks in Afghanistan and Pakistan this year")
    ttp_denied = Report("ttp-denied", "2024-04-05", "The Taliban said that the TTP has no presence in Afghanistan.")
    ttp_denied.claim(ttp_denied.ref("The Taliban", "taliban"), "asserts", "the TTP has no presence in Afghanistan")
    ttp_asserted = Report("ttp-asserted", "2024-04-06", "The foreign ministry of Pakistan said that the TTP is active in "
                          "Afghanistan.")
    ttp_asserted.claim(ttp_asserted.ref("The foreign ministry"), "asserts", "the TTP is active in Afghanistan")
    syria = Report("syria", "2024-03-15", "Observers said that the Islamic State is active in Syria.")
    syria.claim(syria.ref("Observers"), "asserts", "the Islamic State is active in Syria")
    monitors = Report("monitors", "2024-01-10", "The monitors said that the TTP gives weapons to Islamic State fighters.")
    monitors.supply("the TTP gives weapons to Islamic State", ("TTP", "ttp"), ("Islamic State", "islamic-state"))
    monitors.claim(monitors.ref("The monitors"), "asserts", "the TTP gives weapons to Islamic State fighters",
                   concerns=[Concern(kind="relation", index=0)])
    denial = Report("denial", "2024-01-12", "A TTP commander denied that the TTP gives weapons to Islamic State fighters.")
    denial.claim(denial.ref("A TTP commander"), "denies", "the TTP gives weapons to Islamic State fighters")
    qaeda = Report("qaeda", "2024-01-15", "Officials said that Al Qaeda gives weapons to Islamic State fighters.")
    qaeda.claim(qaeda.ref("Officials"), "asserts", "Al Qaeda gives weapons to Islamic State fighters")
    record = Report("record", "2024-03-30", "Islamic State bombed a police station in Bajaur. IS-K attacked a shrine in "
                    "Afghanistan. Islamic State bombed a market in Syria. The TTP bombed a checkpoint.")
    record.event("Islamic State bombed a police station in Bajaur.", "Islamic State", "islamic-state", "2024-02-02")
    record.event("IS-K attacked a shrine in Afghanistan.", "IS-K", "iskp", "2023-12-20", "Attack")
    record.event("Islamic State bombed a market in Syria.", "Islamic State", "islamic-state", "2022-05-01")
    record.event("The TTP bombed a checkpoint.", "TTP", "ttp", "2024-02-10")
    return [un, taliban, pakistan, ttp_denied, ttp_asserted, syria, monitors, denial, qaeda, record]


@pytest.fixture(scope="module")
def postgres_url():
    """A fresh PostgreSQL database for this module; skips when the server is unreachable."""
    with created_postgres_database("vigil_test") as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('claims') / 'claims.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_url")
    store = open_store(Settings(database_url=url))
    seed_actors(store, ACTORS)
    for report in reports():
        save_document(store, report.document, report.extraction)
    yield store
    store.close()


ENCODERS = [
    "lexical",
    pytest.param("embedding", marks=pytest.mark.skipif(not ml_installed(), reason="the ml extra is not installed")),
]


@pytest.fixture(scope="module", params=ENCODERS)
def encoder(request):
    return choose_encoder(request.param)


def speakers(voices) -> set[str]:  # noqa: ANN001
    return {voice.speaker.text for voice in voices}


def group_of(groups: list[ClaimGroup], speaker: str) -> ClaimGroup:
    (found,) = [g for g in groups if speaker in speakers(g.asserted_by) | speakers(g.denied_by)]
    return found


def test_an_activity_claim_asserted_in_one_report_and_denied_in_another_is_one_contested_group(store, encoder):
    groups = group_claims(store, encoder=encoder)
    assert groups.similarity == encoder.method
    activity = group_of(groups.items, "Zabihullah Mujahid")
    assert activity.kind == "activity" and activity.contested
    assert speakers(activity.asserted_by) == {"A UN monitoring report", "A Pakistani official"}
    assert speakers(activity.denied_by) == {"Zabihullah Mujahid"}
    (denial,) = activity.denied_by
    assert denial.claim_stance == "denies" and denial.speaker_org.actor == "taliban"
    assert denial.proposition == "Islamic State activity in Afghanistan had been reduced to zero"
    assert denial.date == dt.date(2024, 3, 3) and denial.document.id == "taliban"
    assert activity.first_date == dt.date(2024, 2, 20) and activity.last_date == dt.date(2024, 3, 10)
    assert activity.label == "Islamic State: active in Afghanistan, Pakistan"
    subjects = {s.actor_id: s for s in activity.subjects}
    assert set(subjects) == {"islamic-state", "iskp"}
    assert subjects["iskp"].part_of == "islamic-state", "a province is shown as part of its group"
    assert groups.items[0].contested, "contested groups come first"


def test_the_events_recorded_for_the_actor_in_the_period_stand_beside_the_claim(store, encoder):
    activity = group_of(group_claims(store, encoder=encoder).items, "Zabihullah Mujahid")
    assert activity.window_start == dt.date(2023, 8, 20) and activity.window_end == dt.date(2024, 9, 10)
    recorded = {stored.event.sentence for stored in activity.recorded_events}
    assert recorded == {"Islamic State bombed a police station in Bajaur.", "IS-K attacked a shrine in Afghanistan."}
    assert activity.recorded_total == 2, "the 2022 attack is outside the window; the TTP's is another actor's"
    months = {count.period: count.events for count in activity.recorded_by_month}
    assert list(months)[0] == "2023-08" and list(months)[-1] == "2024-09" and len(months) == 14
    assert months["2023-12"] == 1 and months["2024-02"] == 1 and sum(months.values()) == 2
    narrow = group_of(group_claims(store, encoder=encoder, window_days=20).items, "Zabihullah Mujahid")
    assert narrow.recorded_total == 1 and narrow.recorded_events[0].event.date == "2024-02-02"


def test_distinct_actors_are_kept_apart_even_with_the_same_words(store, encoder):
    groups = group_claims(store, encoder=encoder).items
    ttp = group_of(groups, "The foreign ministry")
    assert speakers(ttp.asserted_by) == {"The foreign ministry"} and speakers(ttp.denied_by) == {"The Taliban"}
    assert [s.actor_id for s in ttp.subjects] == ["ttp"] and ttp.contested
    syria = group_of(groups, "Observers")
    assert speakers(syria.asserted_by) == {"Observers"} and not syria.denied_by, "another country is another proposition"
    supply = group_of(groups, "The monitors")
    assert speakers(supply.asserted_by) == {"The monitors"} and speakers(supply.denied_by) == {"A TTP commander"}
    assert supply.linked_by == [f"similar words ({encoder.method}, cosine >= {supply_threshold(encoder):g})"]
    qaeda = group_of(groups, "Officials")
    assert speakers(qaeda.asserted_by) == {"Officials"}, "Al Qaeda supplying IS is not the TTP supplying IS"
    assert len({g.key for g in (ttp, syria, supply, qaeda, group_of(groups, "Zabihullah Mujahid"))}) == 5


def supply_threshold(encoder) -> float:  # noqa: ANN001
    from vigil.analysis.propositions import claim_rules

    return claim_rules().rules.threshold(encoder.kind)


def test_claims_about_one_relation_in_one_report_are_grouped_through_it(tmp_path):
    store = open_store(Settings(database_url=f"sqlite:///{tmp_path / 'one.sqlite'}"))
    seed_actors(store, ACTORS)
    text = "The monitors said that the TTP gives weapons to Islamic State. A Taliban spokesman denied the claims."
    report = Report("one", "2023-08-28", text)
    report.supply("the TTP gives weapons to Islamic State", ("TTP", "ttp"), ("Islamic State", "islamic-state"))
    report.claim(report.ref("The monitors"), "asserts", "the TTP gives weapons to Islamic State",
                 concerns=[Concern(kind="relation", index=0)])
    report.claim(report.ref("A Taliban spokesman", kind="person"), "denies", "the claims",
                 concerns=[Concern(kind="relation", index=0)])
    save_document(store, report.document, report.extraction)
    (group,) = group_claims(store, encoder=LexicalEncoder()).items
    assert group.contested and len(group.relation_ids) == 1 and group.linked_by == ["the same event or relation"]
    assert {s.actor_id for s in group.subjects} == {"ttp", "islamic-state"}
    assert group.denied_by[0].proposition == "the claims"
    store.close()


def test_groups_are_paged_and_filtered(store):
    everything = group_claims(store, encoder=LexicalEncoder())
    page = group_claims(store, EventFilter(limit=2, offset=1), encoder=LexicalEncoder())
    assert page.total == everything.total and [g.key for g in page.items] == [g.key for g in everything.items[1:3]]
    assert group_claims(store, EventFilter(document_id="syria"), encoder=LexicalEncoder()).total == 1
    assert group_claims(store, EventFilter(actor="Taliban"), encoder=LexicalEncoder()).total == 2


def test_linking_rules_for_dates_places_and_actors():
    from vigil.analysis.claim_links import Part, link_parts
    from vigil.gazetteers.actors import ActorGazetteer
    from vigil.resolve.actors import ActorResolver

    def statement(actor: str, fact: str, day: int) -> Part:
        return Part(subjects=frozenset({actor}), facts=frozenset({fact}), kind="statement",
                    content="claimed the attack on the checkpoint", countries=frozenset(), date=dt.date(2024, 1, day))

    def activity(actor: str, *countries: str) -> Part:
        return Part(subjects=frozenset({actor}), facts=frozenset(), kind="activity", content="active",
                    countries=frozenset(countries))

    parts = [
        statement("ttp", "e1", 1), statement("ttp", "e2", 31), statement("ttp", "e3", 5), statement("taliban", "e4", 2),
        activity("islamic-state", "AF"), activity("iskp", "AF", "PK"), activity("islamic-state", "SY"),
        activity("islamic-state"), activity("ttp"),
    ]
    resolver = ActorResolver(ActorGazetteer(ACTORS))
    linking = link_parts(parts, LexicalEncoder(), resolver, {"lexical": 0.6}, event_days=10)
    clusters = sorted(sorted(c) for c in linking.clusters)
    assert clusters == [[0, 2], [1], [3], [4, 5, 7], [6], [8]], (
        "reports of events ten days apart may be one; a month apart are not; the Taliban are not the TTP; "
        "a claim naming no place joins the largest group of its actor; another country is another proposition"
    )
    assert linking.method == LexicalEncoder.method


def test_an_embedding_model_that_cannot_load_falls_back_to_the_lexical_encoder_and_says_so(store):
    from vigil.resolve.embeddings import EmbeddingUnavailable

    class Unloadable:
        method, kind = "missing-model", "embedding"

        def encode(self, texts):  # noqa: ANN001, ANN201
            raise EmbeddingUnavailable("could not load the embedding model 'missing-model'")

        def similarity(self, u, v):  # noqa: ANN001, ANN201
            raise AssertionError("never reached")

    groups = group_claims(store, encoder=Unloadable())
    assert groups.similarity == LexicalEncoder.method
    assert group_of(groups.items, "The monitors").denied_by, "the words were still compared"


def test_an_event_reported_twice_is_counted_once_beside_the_claim(tmp_path):
    from vigil.store.fusion import StoredFusion
    from vigil.store.fusion_reads import count_distinct_events
    from vigil.store.queries import count_events

    store = open_store(Settings(database_url=f"sqlite:///{tmp_path / 'twice.sqlite'}"))
    seed_actors(store, ACTORS)
    sentence = "Islamic State bombed a police station in Bajaur, killing 12 policemen."
    for doc_id, published, dateline in (("wire", "2024-02-03", "KHAR - "), ("paper", "2024-02-04", "PESHAWAR - ")):
        report = Report(doc_id, published, dateline + sentence)
        report.event(sentence, "Islamic State", "islamic-state", "2024-02-02")
        report.extraction.events[0].location = Location(text="Bajaur", name="Bajaur", admin1="Khyber Pakhtunkhwa",
                                                        country="PK", precision="admin2")
        save_document(store, report.document, report.extraction)
    claim = Report("claim", "2024-03-03", "A Taliban spokesman said that Islamic State has been defeated.")
    claim.claim(claim.ref("A Taliban spokesman"), "asserts", "Islamic State has been defeated")
    save_document(store, claim.document, claim.extraction)
    StoredFusion(store, LexicalEncoder()).catch_up()
    assert count_events(store) == 2 and count_distinct_events(store) == 1
    (group,) = group_claims(store, encoder=LexicalEncoder()).items
    assert group.kind == "activity" and [v.stance for v in group.denied_by] == ["denies"]
    assert group.recorded_total == 1 and len(group.recorded_events) == 1, "the two reports are one fused event"
    store.close()
