#!/usr/bin/env python3
"""Time of grouping claims by proposition (``vigil.analysis.claims.group_claims``), on two stores.

- ``sample``: the bundled sample reports (``vigil demo``'s store), ingested through the pipeline;
- ``synthetic``: ``--claims`` claims (default 5,000), two per report, written through
  ``save_document``: activity claims asserted and denied ("X remains active in P", "X has been
  defeated in P", "X activity in P had been reduced to zero"...) and statements ("X gives weapons
  to Y", "X recruits children in P"...) about 40 armed groups of the curated gazetteer (factions
  and provinces included) in 12 places, 2019-2024, with two events per report by those groups.

For each store and encoder (lexical, then embeddings when the ``ml`` extra is installed) it reports
the first call with that encoder (reading, encoding every claim, linking, the record of the first
page of 10 groups; quotes already read by an earlier call are cached) and the median of three later
calls (vectors cached in the process), the number of propositions and groups, and how many pairs
blocking by actor leaves to score against all pairs.

    python benchmarks/bench_claims.py                 # both stores, 5,000 synthetic claims
    python benchmarks/bench_claims.py --claims 20000 --skip-sample --encoder lexical

Writes benchmarks/results/claims.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine_info, markdown_row, write_result  # noqa: E402

from vigil.analysis import claims as claims_module  # noqa: E402
from vigil.analysis.claim_links import _bucket_pairs, _buckets  # noqa: E402  (counting the pairs scored)
from vigil.analysis.claim_reads import read_claims, read_lineages  # noqa: E402
from vigil.gazetteers.actors import ActorGazetteer, load_actor_gazetteer  # noqa: E402
from vigil.model.records import ActorRef, Claim, Concern, Document, EntityMention, Event, Extraction, Location  # noqa: E402
from vigil.resolve.actors import ActorResolver  # noqa: E402
from vigil.resolve.embeddings import ml_installed  # noqa: E402
from vigil.resolve.similarity import choose_encoder  # noqa: E402
from vigil.settings import Settings  # noqa: E402
from vigil.store.database import Store, open_store  # noqa: E402
from vigil.store.filters import EventFilter  # noqa: E402
from vigil.store.repository import save_document, seed_actors  # noqa: E402

SEED = 5
PLACES = {
    "Afghanistan": "AF", "Pakistan": "PK", "Syria": "SY", "Iraq": "IQ", "Nigeria": "NG", "Somalia": "SO",
    "Mali": "ML", "Yemen": "YE", "Libya": "LY", "Mozambique": "MZ", "Kabul": "AF", "Bajaur": "PK",
}
ACTIVE = ["{a} remains active in {p}", "{a} carried out several attacks in {p}", "{a} has a growing presence in {p}"]
NOT_ACTIVE = ["{a} has been defeated in {p}", "{a} activity in {p} had been reduced to zero", "{a} has no presence in {p}"]
STATEMENTS = [
    "{a} gives weapons to {b}", "{a} is allied with {b}", "{a} recruits children in {p}",
    "{a} collects taxes from traders in {p}", "{a} kidnapped aid workers in {p}", "{a} was behind the bombing of a market in {p}",
    "{a} receives money from smugglers in {p}", "{a} trains fighters for {b}",
]
SPEAKERS = ["A UN report", "Officials", "The army", "A security analyst", "The interior ministry", "Local elders"]


def build_synthetic(store: Store, n_claims: int) -> None:
    rng = random.Random(SEED)
    gazetteer = load_actor_gazetteer()
    groups = [a for a in gazetteer.actors.values() if a.kind == "armed_group" and a.source.startswith("curated")][:40]
    wanted = {a.id: a for a in groups}
    for actor in groups:
        if actor.parent and gazetteer.get(actor.parent):
            wanted[actor.parent] = gazetteer.get(actor.parent)  # type: ignore[assignment]
    seed_actors(store, wanted.values())
    for number in range(n_claims // 2):
        published = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
        builder = _Report()
        for _ in range(2):
            actor, other = rng.sample(groups, 2)
            place = rng.choice(list(PLACES))
            roll = rng.random()
            template = rng.choice(ACTIVE if roll < 0.35 else NOT_ACTIVE if roll < 0.55 else STATEMENTS)
            quote = template.format(a=actor.name, b=other.name, p=place)
            stance = "denies" if template in STATEMENTS and rng.random() < 0.3 else "asserts"
            speaker = rng.choice(SPEAKERS)
            builder.claim(speaker, stance, quote, {actor.name: actor.id, other.name: other.id}, place, published)
        for _ in range(2):
            actor = rng.choice(groups)
            place = rng.choice(list(PLACES))
            when = published - dt.timedelta(days=rng.randrange(400))
            builder.event(f"{actor.name} bombed a checkpoint in {place}.", actor, place, when)
        document = Document.from_text(builder.text, id=f"synthetic-{number}", published=published)
        save_document(store, document, builder.extraction(document.id))


class _Report:
    """A generated report: its text, and its facts located in it."""

    def __init__(self) -> None:
        self.text = ""
        self.claims: list[Claim] = []
        self.events: list[Event] = []
        self.entities: list[EntityMention] = []

    def _add(self, sentence: str) -> int:
        start = len(self.text) + (1 if self.text else 0)
        self.text += (" " if self.text else "") + sentence
        return start

    def _locate(self, offset: int, sentence: str, names: dict[str, str], place: str) -> None:
        for name, actor in names.items():
            at = sentence.find(name)
            if at >= 0:
                self.entities.append(EntityMention(start=offset + at, end=offset + at + len(name), text=name,
                                                   type="Organisation", actor=actor))
        at = sentence.find(place)
        if at >= 0:
            self.entities.append(EntityMention(start=offset + at, end=offset + at + len(place), text=place, type="Location",
                                               geo=Location(name=place, country=PLACES[place], precision="country")))

    def claim(self, speaker: str, stance: str, quote: str, names: dict[str, str], place: str, when: dt.date) -> None:
        verb = "said that" if stance == "asserts" else "denied that"
        sentence = f"{speaker} {verb} {quote}."
        offset = self._add(sentence)
        self._locate(offset, sentence, names, place)
        start = offset + sentence.index(quote)
        self.claims.append(Claim(
            speaker=ActorRef(start=offset, end=offset + len(speaker), text=speaker), stance=stance,  # type: ignore[arg-type]
            start=start, end=start + len(quote), text=quote, sentence=sentence, date=when.isoformat(),
            concerns=[Concern(kind="statement", text=quote)],
        ))

    def event(self, sentence: str, actor, place: str, when: dt.date) -> None:  # noqa: ANN001
        offset = self._add(sentence)
        self._locate(offset, sentence, {actor.name: actor.id}, place)
        self.events.append(Event(
            type="Remote explosive/landmine/IED", event_type="Explosions/Remote violence", start=offset,
            end=offset + len(sentence), sentence=sentence, date=when.isoformat(), date_precision="day",
            location=Location(text=place, name=place, country=PLACES[place], precision="country"),
            perpetrators=[ActorRef(start=offset, end=offset + len(actor.name), text=actor.name, actor=actor.id)],
        ))

    def extraction(self, document_id: str) -> Extraction:
        return Extraction(id=document_id, entities=sorted(self.entities, key=lambda e: e.start), events=self.events,
                          claims=self.claims)


def build_sample(store: Store, settings: Settings) -> None:
    from vigil.nlp.pipeline import Extractor
    from vigil.workflow import ingest, sample_paths

    ingest([str(p) for p in sample_paths()], settings, store=store, extractor=Extractor())


def pairs_scored(store: Store) -> tuple[int, int, int]:
    """(propositions, statement pairs blocking leaves to score, all statement pairs)."""
    with store.session() as session:
        entries = claims_module._entries(read_claims(session, store.dialect, EventFilter()))
        subjects = {a for e in entries for a in e.part.subjects}
        resolver = ActorResolver(ActorGazetteer(read_lineages(session, subjects)))
    parts = [e.part for e in entries]
    buckets = _buckets(parts, resolver)
    blocked = sum(
        len(buckets[a]) * len(buckets[b]) if a != b else len(buckets[a]) * (len(buckets[a]) - 1) // 2
        for a, b in _bucket_pairs(buckets)
    )
    statements = sum(len(b) for b in buckets.values())
    return len(parts), blocked, statements * (statements - 1) // 2


def measure(store: Store, encoder_kind: str) -> dict:
    encoder = choose_encoder(encoder_kind)  # type: ignore[arg-type]
    start = time.perf_counter()
    page = claims_module.group_claims(store, EventFilter(limit=10), encoder=encoder)
    first = time.perf_counter() - start
    later = []
    for _ in range(3):
        start = time.perf_counter()
        claims_module.group_claims(store, EventFilter(limit=10), encoder=encoder)
        later.append(time.perf_counter() - start)
    contested = sum(1 for g in claims_module.group_claims(store, encoder=encoder, max_events=0).items if g.contested)
    return {"encoder": page.similarity, "first_s": round(first, 3), "later_s": round(statistics.median(later), 3),
            "groups": page.total, "contested": contested}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=5000, help="claims in the synthetic store")
    parser.add_argument("--encoder", choices=["lexical", "embedding", "both"], default="both")
    parser.add_argument("--skip-sample", action="store_true", help="only the synthetic store")
    args = parser.parse_args()
    kinds = ["lexical", "embedding"] if args.encoder == "both" else [args.encoder]
    kinds = [k for k in kinds if k == "lexical" or ml_installed()]
    folder = Path(tempfile.mkdtemp(prefix="vigil-bench-claims-"))
    rows = []
    stores = ([] if args.skip_sample else ["sample"]) + ["synthetic"]
    for name in stores:
        settings = Settings(database_url=f"sqlite:///{folder / (name + '.sqlite')}")
        store = open_store(settings)
        started = time.perf_counter()
        build_sample(store, settings) if name == "sample" else build_synthetic(store, args.claims)
        built = time.perf_counter() - started
        results = [measure(store, kind) for kind in kinds]  # before anything else reads the claims in this process
        parts, blocked, all_pairs = pairs_scored(store)
        n_claims = len(read_claims_count(store))
        for result in results:
            rows.append({"store": name, "claims": n_claims, "propositions": parts, "pairs_scored": blocked,
                         "all_pairs": all_pairs, "build_s": round(built, 1), **result})
            print(markdown_row([name, n_claims, parts, result["groups"], result["contested"], f"{blocked:,} of {all_pairs:,}",
                                result["encoder"], result["first_s"], result["later_s"]]), flush=True)
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    path = write_result("claims", {"machine": machine_info(), "peak_rss_mib": peak, "runs": rows})
    print(f"peak RSS {peak} MiB; written to {path}")


def read_claims_count(store: Store) -> list:
    with store.session() as session:
        return read_claims(session, store.dialect, EventFilter())


if __name__ == "__main__":
    main()
