"""Time every dashboard page on the sample store (the target: each under 500 ms).

Ingests the bundled sample reports into a temporary SQLite store (as ``vigil
demo`` does), builds the app with ``create_app``, and requests each page with
FastAPI's TestClient: one warm-up request, then ``--repeat`` timed ones.
Prints median and slowest per page, and exits 1 if a median is over the budget.

    python scripts/time_pages.py [--repeat 10] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

BUDGET_MS = 500.0
COMMENTARY = "vigil-example-commentary-2023-08-28"


def build_store(folder: Path):  # noqa: ANN201 (settings and store)
    from vigil.nlp.pipeline import Extractor
    from vigil.settings import Settings
    from vigil.workflow import ingest, open_ready_store, sample_paths

    settings = Settings(database_url=f"sqlite:///{folder / 'vigil.sqlite'}")
    store = open_ready_store(settings)
    outcome = ingest(sample_paths(), settings, store=store, extractor=Extractor())
    print(f"sample store: {len(outcome.created)} documents, {outcome.facts}", file=sys.stderr)
    return settings, store


def pages(store) -> list[str]:  # noqa: ANN001
    from vigil.store.filters import EventFilter
    from vigil.store.queries import list_events

    (event,) = list_events(store, EventFilter(document_id=COMMENTARY))
    return [
        "/",
        "/?country=PK&since=2005-01-01&until=2009-12-31",
        "/events",
        "/events?country=AF&sort=-fatalities",
        f"/events/{event.id}",
        "/actors",
        "/actors/taliban",
        "/actors/islamic-state",
        "/weapons",
        "/claims",
        "/documents",
        f"/documents/{COMMENTARY}",
        "/ingest",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    from fastapi.testclient import TestClient

    from vigil.api.app import create_app

    with tempfile.TemporaryDirectory(prefix="vigil-time-pages-") as tmp:
        settings, store = build_store(Path(tmp))
        client = TestClient(create_app(settings, store=store))
        results = []
        for path in pages(store):
            response = client.get(path)
            if response.status_code != 200:
                print(f"{path}: HTTP {response.status_code}", file=sys.stderr)
                return 1
            timings = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - start) * 1000)
            results.append(
                {"path": path, "median_ms": round(statistics.median(timings), 1), "max_ms": round(max(timings), 1),
                 "bytes": len(response.content)}
            )
            print(f"{results[-1]['median_ms']:7.1f} ms median {results[-1]['max_ms']:7.1f} ms max "
                  f"{results[-1]['bytes']:8d} B  {path}")
        store.close()
    if args.json:
        args.json.write_text(json.dumps({"repeat": args.repeat, "pages": results}, indent=2) + "\n", "utf-8")
    slow = [r for r in results if r["median_ms"] > BUDGET_MS]
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
