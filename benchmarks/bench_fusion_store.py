#!/usr/bin/env python3
"""Cost of incremental event fusion in the store: adding 100 event reports to stores of ~1k and ~10k.

Builds stores of synthetic one-event reports (no extraction: the records are
written directly) with the same density of events per day, so a store ten
times larger covers ten times the period, as a store does as it grows; one more
store holds ~10k reports in the ~1k store's period (ten times the density),
to show what the cost does depend on. Each store is fused from scratch
(``StoredFusion.rebuild``); then 100 new reports are added and fused the way
ingest does it, once as one batch and once one report per call. Half the new
reports are further reports of stored incidents (they join a fused event), half
are new incidents. Timings are wall-clock on the machine at hand.

    python benchmarks/bench_fusion_store.py                 # SQLite files in a temp folder; writes results/fusion_store.json
    python benchmarks/bench_fusion_store.py --db postgresql+psycopg://postgres@127.0.0.1:5432/bench   # an empty database
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

from vigil.model.records import ActorRef, Bounds, Document, Event, Extraction, Location  # noqa: E402
from vigil.model.taxonomy import event_type_of  # noqa: E402
from vigil.settings import Settings  # noqa: E402
from vigil.store.database import Store, open_store  # noqa: E402
from vigil.store.fusion import StoredFusion  # noqa: E402
from vigil.store.repository import save_document  # noqa: E402
from vigil.store.tables import Base  # noqa: E402

START = dt.date(2015, 1, 1)
NEW = 100
PLACES = [  # (place, admin1, country)
    ("Peshawar", "Khyber Pakhtunkhwa", "PK"), ("Bannu", "Khyber Pakhtunkhwa", "PK"), ("Quetta", "Balochistan", "PK"),
    ("Lahore", "Punjab", "PK"), ("Karachi", "Sindh", "PK"), ("Kabul", "Kabul", "AF"), ("Jalalabad", "Nangarhar", "AF"),
    ("Kunduz", "Kunduz", "AF"), ("Maiduguri", "Borno", "NG"), ("Mogadishu", "Banaadir", "SO"),
]
KINDS = [  # (sub-event type, words)
    ("Suicide bomb", "a suicide bomber blew himself up"), ("Remote explosive/landmine/IED", "a roadside bomb exploded"),
    ("Armed clash", "militants clashed with security forces"), ("Attack", "gunmen attacked civilians"),
    ("Abduction/forced disappearance", "gunmen abducted villagers"), ("Air/drone strike", "a drone strike hit a compound"),
]
ACTORS = [("Islamic State", "islamic-state"), ("TTP", "tehrik-e-taliban-pakistan"), ("Taliban", "taliban"), ("Boko Haram", "boko-haram"),
          ("al-Shabaab", "al-shabaab"), ("unknown gunmen", None)]


def incident(rng: random.Random, days: int) -> dict:
    return {"day": START + dt.timedelta(days=rng.randrange(days)), "place": rng.choice(PLACES), "kind": rng.choice(KINDS),
            "actor": rng.choice(ACTORS), "killed": rng.randint(1, 60)}


def report(key: str, item: dict, rng: random.Random) -> tuple[Document, Extraction]:
    """One report of an incident: its toll off by a little, published a day or two later."""
    place, admin1, country = item["place"]
    sub_type, words = item["kind"]
    killed = max(0, item["killed"] + rng.randint(-3, 3))
    name, actor_id = item["actor"]
    sentence = f"On {item['day']:%d %B %Y} {words} in {place}, {admin1}, killing {killed} people; {name} was blamed."
    text = f"{sentence} Report {key}."
    document = Document.from_text(text, id=key, published=item["day"] + dt.timedelta(days=rng.randint(1, 2)))
    event = Event(
        type=sub_type, event_type=event_type_of(sub_type), start=0, end=len(sentence), sentence=sentence,
        date=item["day"].isoformat(), date_precision="day", date_text=f"{item['day']:%d %B %Y}",
        location=Location(name=place, admin1=admin1, country=country, precision="place"),
        perpetrators=[ActorRef(start=0, end=0, text=name, actor=actor_id)],
        fatalities=Bounds(min=killed, max=killed, text=str(killed)),
    )
    return document, Extraction(id=document.id, events=[event])


def fill(store: Store, reports: int, days: int, rng: random.Random) -> list[dict]:
    """``reports`` reports of incidents spread over ``days`` days (1 to 3 reports each)."""
    incidents, written = [], 0
    while written < reports:
        item = incident(rng, days)
        incidents.append(item)
        for _ in range(min(rng.choice((1, 1, 2, 3)), reports - written)):
            save_document(store, *report(f"r{written}", item, rng))
            written += 1
    return incidents


def new_reports(store: Store, incidents: list[dict], days: int, rng: random.Random, tag: str) -> list[str]:
    ids = []
    for n in range(NEW):
        item = rng.choice(incidents) if n % 2 == 0 else incident(rng, days)
        document, extraction = report(f"new-{tag}-{n}", item, rng)
        save_document(store, document, extraction)
        ids.append(document.id)
    return ids


def timed(call):  # noqa: ANN001, ANN201
    """(result, wall seconds, CPU seconds of this process): CPU time is what the machine's other jobs do not inflate."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def run(url: str, reports: int, days: int, seed: int) -> dict:
    store = open_store(Settings(database_url=url))
    try:
        if store.dialect == "postgresql":
            with store.engine.begin() as connection:
                for table in reversed(Base.metadata.sorted_tables):
                    connection.execute(table.delete())
        rng = random.Random(seed)
        incidents, write_s, _ = timed(lambda: fill(store, reports, days, rng))
        fusion = StoredFusion(store)
        built, rebuild_s, rebuild_cpu = timed(fusion.rebuild)
        batch_ids = new_reports(store, incidents, days, rng, "batch")
        batch, batch_s, batch_cpu = timed(lambda: fusion.add_documents(batch_ids))
        calls = [timed(lambda d=d: fusion.add_documents([d])) for d in new_reports(store, incidents, days, rng, "single")]
    finally:
        store.close()
    walls = sorted(wall for _, wall, _ in calls)
    cpus = sorted(cpu for _, _, cpu in calls)
    return {
        "reports": reports, "days": days, "per_day": round(reports / days, 2), "write_s": round(write_s, 1),
        "fused_events": len(built.created), "rebuild_s": round(rebuild_s, 2), "rebuild_cpu_s": round(rebuild_cpu, 2),
        "batch_of_100_s": round(batch_s, 3), "batch_cpu_ms_per_report": round(1000 * batch_cpu / NEW, 1),
        "batch_loaded": batch.loaded,
        "one_by_one_s": round(sum(walls), 3), "one_by_one_wall_ms_median": round(1000 * statistics.median(walls), 1),
        "one_by_one_cpu_ms_median": round(1000 * statistics.median(cpus), 1),
        "one_by_one_cpu_ms_p90": round(1000 * cpus[int(0.9 * len(cpus))], 1),
        "one_by_one_loaded_mean": round(sum(result.loaded for result, _, _ in calls) / NEW, 1),
        "peak_rss_mib_so_far": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an empty PostgreSQL database to use instead of SQLite files (emptied first)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cases", default="1,2,3", help="which stores, e.g. 1,2 (1: ~1k; 2: ~10k; 3: ~10k, dense)")
    args = parser.parse_args()
    cases = [("~1k", 1000, 300), ("~10k, same density", 10_000, 3000), ("~10k, ten times the density", 10_000, 300)]
    cases = [case for n, case in enumerate(cases, 1) if str(n) in args.cases.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="vigil-fusion-bench-") as folder:
        for n, (label, reports, days) in enumerate(cases):
            url = args.db or f"sqlite:///{Path(folder) / f'store-{n}.sqlite'}"
            result = {"store": label, **run(url, reports, days, args.seed)}
            results.append(result)
            print(result, flush=True)
    backend = "postgresql" if args.db else "sqlite"
    write_result(f"fusion_store_{backend}", {"machine": machine_info(), "backend": backend, "new_reports": NEW, "runs": results})
    print()
    print(markdown_row(["store", "reports/day", "rebuild (CPU)", "100 new, one batch: CPU per report",
                        "100 new, one per call: CPU median (p90), wall median", "stored reports read per new one"]))
    for r in results:
        print(markdown_row([f"{r['reports']:,} reports ({r['store']})", r["per_day"], f"{r['rebuild_cpu_s']} s",
                            f"{r['batch_cpu_ms_per_report']} ms",
                            f"{r['one_by_one_cpu_ms_median']} ms ({r['one_by_one_cpu_ms_p90']}), {r['one_by_one_wall_ms_median']} ms",
                            r["one_by_one_loaded_mean"]]))


if __name__ == "__main__":
    main()
