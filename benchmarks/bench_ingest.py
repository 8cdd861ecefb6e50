#!/usr/bin/env python3
"""Throughput of ``vigil ingest <corpus.jsonl>`` into a fresh SQLite store: documents/s, peak RSS.

Each run uses a new database file in a temporary directory
(``VIGIL_DATABASE_URL=sqlite:///<tmp>/bench.sqlite``), pinned to one core like
bench_extract. The wall time includes interpreter start-up and schema creation; a
second, tiny run (--warmup documents into another fresh file) measures that fixed
cost, and the steady rate is (N - W) / (T_all - T_warmup).

    python benchmarks/bench_ingest.py               # 3000 docs, core 0
    python benchmarks/bench_ingest.py --limit 500

Writes benchmarks/results/ingest.json and prints a Markdown row.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine_info, markdown_row, pin_prefix, run_child, take, vigil_command, write_result  # noqa: E402
from make_corpus import DEFAULT_OUT, ensure_corpus  # noqa: E402

HEADER = "| date | commit | docs | docs/s | end-to-end docs/s | fixed cost s | peak RSS MiB | rows stored | CPU |"


def stored_documents(db: Path) -> int | None:
    """Rows in the documents table, when the store has one (name guessed: documents/document)."""
    if not db.is_file():
        return None
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        for name in ("documents", "document"):
            if name in tables:
                return conn.execute(f"select count(*) from {name}").fetchone()[0]
    return None


def ingest_once(base: list[str], data: Path, workdir: Path, tag: str) -> tuple[float, int, int | None]:
    db = workdir / f"{tag}.sqlite"
    env = dict(os.environ, VIGIL_DATABASE_URL=f"sqlite:///{db}")
    rc, elapsed, rss = run_child(base + [str(data)], None, workdir / f"{tag}.out", env=env)
    if rc != 0:
        raise SystemExit(f"{' '.join(base)} {data} failed (exit {rc})")
    return elapsed, rss, stored_documents(db)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark vigil ingest into a fresh SQLite file.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--warmup", type=int, default=5, help="documents of the fixed-cost run")
    parser.add_argument("--core", type=int, default=0)
    parser.add_argument("--no-pin", action="store_true")
    parser.add_argument("--command", default=None, help="the command to time instead of 'vigil ingest' (gets the JSONL path)")
    args = parser.parse_args(argv)

    corpus = ensure_corpus() if args.corpus == DEFAULT_OUT else args.corpus
    core = None if args.no_pin else args.core
    base = pin_prefix(core) + (shlex.split(args.command) if args.command else vigil_command() + ["ingest"])
    with tempfile.TemporaryDirectory(prefix="vigil-bench-ingest-") as tmp:
        workdir = Path(tmp)
        data, docs, words = take(corpus, args.limit, workdir / "corpus.jsonl")
        warm, w_docs, _ = take(corpus, min(args.warmup, max(docs - 1, 0)), workdir / "warmup.jsonl")
        t_warm, rss_warm, _ = ingest_once(base, warm, workdir, "warmup")
        t_all, rss_all, stored = ingest_once(base, data, workdir, "all")
    # Subtracting the fixed cost is only meaningful when the full run clearly dominates it.
    steady = t_all - t_warm if t_all - t_warm > 0.05 * t_all else t_all
    result = {
        "command": " ".join(base) + " <corpus.jsonl>",
        "docs": docs,
        "words": words,
        "warmup_docs": w_docs,
        "fixed_cost_s": t_warm,
        "total_s": t_all,
        "docs_per_s": (docs - w_docs) / steady,
        "end_to_end_docs_per_s": docs / t_all,
        "peak_rss_bytes": max(rss_all, rss_warm),
        "rows_stored": stored,
        "corpus": str(corpus),
        "pinned_core": core,
        "machine": machine_info(),
    }
    path = write_result("ingest", result)
    m = result["machine"]
    print(HEADER)
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    print(
        markdown_row(
            [
                m["date"][:10], m["commit"], docs, f"{result['docs_per_s']:.1f}", f"{result['end_to_end_docs_per_s']:.1f}",
                f"{t_warm:.2f}", f"{result['peak_rss_bytes'] / 2**20:.0f}", stored if stored is not None else "?",
                f"{m['cpu']} ({m['cores']} cores)",
            ]
        )
    )
    print(f"results: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
