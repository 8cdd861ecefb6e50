#!/usr/bin/env python3
"""Latency of the REST API over a SQLite store of 100,000 synthetic events.

Builds the store with bulk Core inserts (schema from the migrations, actors
through ``seed_actors``): events spread over 2015-2025 in the provinces of
PK, AF, IN and IR, about 40 actors, ACLED event types with realistic weights,
fatality figures (about a third missing), one document per five events,
weapons on about a third of the events. Then, in-process through FastAPI's
TestClient, times each scenario over ``--requests`` requests (after a short
warm-up) and reports p50, p95 and max in milliseconds:

- ``filtered_page``: a page of 50 events for one country, a one-year range and
  one event type (a different combination on every request);
- ``first_page``: the first page of 50 events, no filter;
- ``monthly_series``: events per month by event type over all events;
- ``counts_by_actor``: events and fatalities per perpetrator, no filter;
- ``geojson_export``: the GeoJSON export of one country, one year, one type.

Documents (and their facts) carry TLP markings spread over three organisations
(``MARKINGS``); ``--viewer ORG`` reads as a user of that organisation, so every
read goes through the query-level access policy (``vigil.store.policy``);
without it the reads are those of single-user mode (no policy).

    python benchmarks/bench_api.py                      # 100,000 events, 100 requests each
    python benchmarks/bench_api.py --events 20000 --requests 50 --db /tmp/bench.sqlite --keep
    python benchmarks/bench_api.py --events 20000 --db /tmp/bench.sqlite --keep --viewer ngo-a --name api-viewer

Writes benchmarks/results/api.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine_info, markdown_row, write_result  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from vigil.api import create_app  # noqa: E402
from vigil.model.access import Viewer  # noqa: E402
from vigil.model.records import Actor, content_hash  # noqa: E402
from vigil.settings import Settings  # noqa: E402
from vigil.store.database import Store, open_store  # noqa: E402
from vigil.store.repository import seed_actors  # noqa: E402
from vigil.store.tables import DocumentRow, DocumentShareRow, EventActorRow, EventRow, WeaponRow  # noqa: E402

SEED = 20240601
EVENTS_PER_DOCUMENT = 5
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
CHUNK = 5000

# Province -> (lat, lon) of a point inside it; share of events per country.
PLACES: dict[str, dict[str, tuple[float, float]]] = {
    "PK": {"Khyber Pakhtunkhwa": (34.0, 71.5), "Balochistan": (28.5, 65.5), "Punjab": (31.2, 72.7),
           "Sindh": (25.9, 68.5), "Islamabad": (33.7, 73.0)},
    "AF": {"Kabul": (34.5, 69.2), "Nangarhar": (34.2, 70.6), "Helmand": (31.4, 64.0), "Kandahar": (31.6, 65.7),
           "Kunar": (34.9, 71.1), "Kunduz": (36.7, 68.9)},
    "IN": {"Jammu and Kashmir": (34.1, 74.8), "Chhattisgarh": (21.3, 81.9), "Manipur": (24.8, 93.9),
           "Punjab": (31.1, 75.3)},
    "IR": {"Sistan and Baluchestan": (27.5, 60.6), "Khuzestan": (31.3, 48.7), "Kurdistan": (35.3, 47.0)},
}
COUNTRY_WEIGHTS = {"PK": 40, "AF": 35, "IN": 15, "IR": 10}
TYPE_WEIGHTS = {  # (event type, sub-event type): weight
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"): 20,
    ("Explosions/Remote violence", "Suicide bomb"): 8,
    ("Explosions/Remote violence", "Air/drone strike"): 10,
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"): 5,
    ("Explosions/Remote violence", "Grenade"): 3,
    ("Battles", "Armed clash"): 22,
    ("Battles", "Government regains territory"): 2,
    ("Battles", "Non-state actor overtakes territory"): 2,
    ("Violence against civilians", "Attack"): 12,
    ("Violence against civilians", "Abduction/forced disappearance"): 5,
    ("Protests", "Peaceful protest"): 4,
    ("Riots", "Violent demonstration"): 2,
    ("Strategic developments", "Arrests"): 3,
}
WEAPON_CLASSES = ["assault rifle", "IED", "suicide vest", "rocket", "mortar", "grenade", "drone", "pistol"]
ORIGINS = [None, None, None, "US-made", "NATO-calibre", "Chinese-made", "left behind by the former Afghan security forces"]
ORGANISATIONS = [None, "ngo-a", "ngo-b"]  # None: the instance's own ("local")
#: Share of documents per marking; a third of the AMBER ones are shared with another organisation.
MARKINGS = {"TLP:CLEAR": 60, "TLP:GREEN": 15, "TLP:AMBER": 15, "TLP:AMBER+STRICT": 5, "TLP:RED": 5}


def make_actors() -> list[Actor]:
    """About forty armed groups and state forces, named like the real ones."""
    groups = [
        "Tehrik-i-Taliban Pakistan", "Islamic State Khorasan", "Taliban", "Al-Qaida", "Lashkar-e-Taiba",
        "Jaish-e-Mohammed", "Balochistan Liberation Army", "Haqqani Network", "Hizb-ul-Mujahideen", "Jaish al-Adl",
        "Jamaat-ul-Ahrar", "Lashkar-e-Jhangvi", "Communist Party of India (Maoist)", "Baloch Republican Army",
        "Hafiz Gul Bahadur Group", "Turkistan Islamic Party", "Al-Qaida in the Indian Subcontinent",
        "Islamic Movement of Uzbekistan", "Ansar al-Furqan", "PJAK", "National Resistance Front",
        "Sindhudesh Revolutionary Army", "United Liberation Front of Asom", "People's Liberation Army of Manipur",
        "Harkat-ul-Mujahideen", "The Resistance Front", "Lashkar-e-Islam", "Tehreek-e-Labbaik Pakistan",
    ]
    forces = [
        "Pakistan Army", "Frontier Corps", "Afghan National Army", "Afghan security forces", "Indian Army",
        "Central Reserve Police Force", "Islamic Revolutionary Guard Corps", "Iranian police", "Pakistan Police",
        "Taliban security forces", "Jammu and Kashmir Police", "Levies",
    ]
    actors = [Actor(id=f"bench-group-{i}", name=name, kind="armed_group", aliases=[name.upper()]) for i, name in enumerate(groups)]
    actors += [Actor(id=f"bench-force-{i}", name=name, kind="state_force") for i, name in enumerate(forces)]
    return actors


def build_store(store: Store, events: int, rng: random.Random) -> dict:
    """Fill ``store`` with ``events`` synthetic events; returns what was written."""
    actors = make_actors()
    seed_actors(store, actors)
    groups = [a for a in actors if a.kind == "armed_group"]
    forces = [a for a in actors if a.kind == "state_force"]
    group_weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(groups))]  # a few groups do most
    types = list(TYPE_WEIGHTS)
    type_weights = list(TYPE_WEIGHTS.values())
    countries = list(COUNTRY_WEIGHTS)
    country_weights = list(COUNTRY_WEIGHTS.values())
    span_days = (LAST_DAY - FIRST_DAY).days
    now = dt.datetime.now(dt.timezone.utc)
    documents = -(-events // EVENTS_PER_DOCUMENT)
    written = {"documents": 0, "events": 0, "event_actors": 0, "weapons": 0, "shares": 0}
    marking_rng = random.Random(SEED + 2)  # its own draws: the events are the same as before markings existed
    share_rows: list[dict] = []
    with store.engine.begin() as connection:
        document_rows: list[dict] = []
        event_rows: list[dict] = []
        actor_rows: list[dict] = []
        weapon_rows: list[dict] = []
        event_id = 0
        for number in range(documents):
            published = FIRST_DAY + dt.timedelta(days=rng.randrange(span_days + 1))
            country = rng.choices(countries, country_weights)[0]
            text = f"Synthetic report {number} on violence in {country}, published {published}."
            document_id = f"bench-{number:06d}"
            tlp = marking_rng.choices(list(MARKINGS), list(MARKINGS.values()))[0]
            owner = marking_rng.choice(ORGANISATIONS)
            if tlp == "TLP:AMBER" and marking_rng.random() < 1 / 3:
                share_rows.append({"document_id": document_id, "org_id": marking_rng.choice([o or "local" for o in ORGANISATIONS if o != owner]),
                                   "granted_by": "bench", "granted_at": now})
            marking = {"tlp": tlp, "org_id": owner}
            document_rows.append({**marking,
                "id": document_id, "content_hash": content_hash(text + document_id), "text": text,
                "title": f"Report {number}", "publisher": "Bench Wire", "url": None, "published": published,
                "language": "en", "source": "synthetic", "media_type": "text/plain", "licence": None,
                "attribution": None, "ingested_at": now,
            })
            for ordinal in range(min(EVENTS_PER_DOCUMENT, events - event_id)):
                event_id += 1
                event_type, sub_type = rng.choices(types, type_weights)[0]
                admin1 = rng.choice(list(PLACES[country]))
                lat, lon = PLACES[country][admin1]
                day = min(published, published - dt.timedelta(days=rng.randrange(0, 4)))
                precision = rng.choices(["day", "month", "year"], [85, 12, 3])[0]
                start = {"day": day, "month": day.replace(day=1), "year": day.replace(month=1, day=1)}[precision]
                iso = {"day": day.isoformat(), "month": day.strftime("%Y-%m"), "year": str(day.year)}[precision]
                killed = None if rng.random() < 0.35 else int(rng.expovariate(1 / 6))
                sentence = f"{sub_type} in {admin1}, {country}; {killed if killed is not None else 'no'} killed."
                event_rows.append({
                    **marking,
                    "id": event_id, "document_id": document_id, "ordinal": ordinal, "start": 0, "end": len(text),
                    "sentence": sentence, "trigger": "attacked", "event_type": event_type, "sub_event_type": sub_type,
                    "date": iso, "date_start": start, "date_from_document": False, "date_precision": precision,
                    "date_text": iso, "location_text": admin1, "location_start": 0, "location_end": len(admin1),
                    "location_name": admin1, "admin1": admin1, "admin2": None, "country": country,
                    "lat": lat + rng.uniform(-0.5, 0.5), "lon": lon + rng.uniform(-0.5, 0.5), "geonames_id": None,
                    "location_precision": "admin1", "fatalities_min": killed,
                    "fatalities_max": killed if killed is not None and rng.random() < 0.6 else None,
                    "fatalities_text": str(killed) if killed is not None else None, "injuries_min": None,
                    "injuries_max": None, "injuries_text": None, "responsibility": None, "confidence": 0.7,
                    "extractor": "bench",
                })
                perpetrators = [rng.choices(groups, group_weights)[0]]
                if rng.random() < 0.1:
                    perpetrators.append(rng.choices(groups, group_weights)[0])
                for index, actor in enumerate(perpetrators):
                    actor_rows.append({"event_id": event_id, "role": "perpetrator", "ordinal": index, "actor_id": actor.id,
                                       "text": actor.name, "start": 0, "end": 1, "kind": "organisation"})
                if rng.random() < 0.5:
                    target = rng.choice(forces)
                    actor_rows.append({"event_id": event_id, "role": "target", "ordinal": 0, "actor_id": target.id,
                                       "text": target.name, "start": 0, "end": 1, "kind": "organisation"})
                if rng.random() < 0.3:
                    weapon_rows.append({
                        **marking,
                        "document_id": document_id, "event_id": event_id, "relation_id": None, "ordinal": 0,
                        "start": 0, "end": 1, "text": "weapon", "weapon_class": rng.choice(WEAPON_CLASSES),
                        "calibre": None, "model": None, "origin": rng.choice(ORIGINS),
                    })
            if len(event_rows) >= CHUNK or number == documents - 1:
                for table, rows in ((DocumentRow, document_rows), (EventRow, event_rows),
                                    (EventActorRow, actor_rows), (WeaponRow, weapon_rows)):
                    if rows:
                        connection.execute(insert(table.__table__), rows)
                written["documents"] += len(document_rows)
                written["events"] += len(event_rows)
                written["event_actors"] += len(actor_rows)
                written["weapons"] += len(weapon_rows)
                document_rows, event_rows, actor_rows, weapon_rows = [], [], [], []
        if share_rows:
            connection.execute(insert(DocumentShareRow.__table__), share_rows)
        written["shares"] = len(share_rows)
    with store.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    return written


def filtered_params(rng: random.Random) -> dict:
    year = rng.randrange(2015, 2026)
    event_type = rng.choices(sorted({t for t, _ in TYPE_WEIGHTS}), k=1)[0]
    return {"country": rng.choice(list(COUNTRY_WEIGHTS)), "since": f"{year}-01-01", "until": f"{year}-12-31",
            "event_type": event_type}


def scenarios(rng: random.Random) -> dict[str, callable]:
    return {
        "filtered_page": lambda: ("/api/events", {**filtered_params(rng), "limit": 50}),
        "first_page": lambda: ("/api/events", {"limit": 50}),
        "monthly_series": lambda: ("/api/aggregates/series", {"period": "month", "by": "event_type"}),
        "counts_by_actor": lambda: ("/api/aggregates/counts", {"by": "actor"}),
        "geojson_export": lambda: ("/api/events/export", {**filtered_params(rng), "format": "geojson"}),
    }


def measure(client: TestClient, make_request, requests: int, warmup: int) -> dict:  # noqa: ANN001
    timings: list[float] = []
    sizes: list[int] = []
    for round_ in range(warmup + requests):
        path, params = make_request()
        began = time.perf_counter()
        response = client.get(path, params=params)
        elapsed = time.perf_counter() - began
        if response.status_code != 200:
            raise SystemExit(f"{path} {params}: HTTP {response.status_code} {response.text[:200]}")
        if round_ >= warmup:
            timings.append(elapsed * 1000)
            sizes.append(len(response.content))
    ordered = sorted(timings)
    return {
        "requests": requests,
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(round(0.95 * len(ordered))) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "mean_response_bytes": int(statistics.fmean(sizes)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Latency of the Vigil API over a large synthetic SQLite store.")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per scenario")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per scenario first")
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="reuse --db when it already holds the events")
    parser.add_argument("--only", action="append", help="run only this scenario (repeatable)")
    parser.add_argument("--name", default="api", help="results file name (benchmarks/results/NAME.json)")
    parser.add_argument("--viewer", default=None, metavar="ORG",
                        help="read as an analyst of this organisation (local, ngo-a, ngo-b): the access policy applies")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="vigil-bench-api-"))
    db = args.db or workdir / "bench.sqlite"
    reuse = args.keep and db.is_file()
    store = open_store(Settings(database_url=f"sqlite:///{db}"))
    rng = random.Random(SEED)
    build_s = None
    if reuse:
        with store.session() as session:
            written = {"events": session.scalar(select(func.count(EventRow.id)))}
        print(f"reusing {db} ({written['events']} events)", file=sys.stderr)
    else:
        began = time.perf_counter()
        written = build_store(store, args.events, rng)
        build_s = round(time.perf_counter() - began, 1)
        print(f"built {db}: {written} in {build_s} s", file=sys.stderr)

    app = create_app(Settings(database_url=f"sqlite:///{db}"), store=store)
    if args.viewer:
        viewer = Viewer(user_id="bench", org_id=args.viewer, role="analyst", username="bench")

        @app.middleware("http")
        async def as_viewer(request, call_next):  # noqa: ANN001, ANN202 (what the login middleware does)
            request.state.viewer = viewer
            return await call_next(request)

    client = TestClient(app)
    results: dict[str, dict] = {}
    for name, make_request in scenarios(random.Random(SEED + 1)).items():
        if args.only and name not in args.only:
            continue
        results[name] = measure(client, make_request, args.requests, args.warmup)
        print(f"{name}: {results[name]}", file=sys.stderr)
    store.close()

    data = {
        "store": {"backend": "sqlite", "path": str(db), "build_s": build_s, **written},
        "viewer": args.viewer and {"org_id": args.viewer, "role": "analyst", "markings": MARKINGS},
        "method": "in-process FastAPI TestClient; wall time per request, after warm-up",
        "scenarios": results,
        "target": "p95 < 200 ms for filtered_page and monthly_series",
        "machine": machine_info(),
    }
    path = write_result(args.name, data)
    print("| scenario | p50 ms | p95 ms | max ms | mean response |")
    print("|---|---:|---:|---:|---:|")
    for name, row in results.items():
        print(markdown_row([name, row["p50_ms"], row["p95_ms"], row["max_ms"], f"{row['mean_response_bytes'] / 1024:.1f} KiB"]))
    print(f"written to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
