#!/usr/bin/env python3
"""Throughput of ``vigil extract`` on one core: documents/s, words/s, load time, peak RSS.

Default (subprocess) mode runs ``taskset -c CORE vigil extract < warmup.jsonl`` (the
first --warmup documents) and then ``taskset -c CORE vigil extract < corpus.jsonl``
(all documents). The first run measures start-up (interpreter, model and gazetteer
load) plus the warm-up documents; the steady rate is

    (N - W) / (T_all - T_warmup)

so start-up and warm-up are excluded; the end-to-end rate N / T_all is reported too.
Peak RSS is the child's own ru_maxrss (os.wait4). The CPU time (user + system) of each
child is taken the same way (``RUSAGE_CHILDREN`` before and after it), and
``docs_per_cpu_s`` = (N - W) / (CPU_all - CPU_warmup): on a machine shared with other
jobs the wall-clock rate falls when the core is taken by others; the CPU rate says what
one core of one's own would do.

``--in-process`` calls the library directly (``Extractor().extract_many``) in this
process, pinned with sched_setaffinity: load time = building the pipeline; the
first W documents are the warm-up; the rest are timed (wall and process CPU time).
Peak RSS = this process.

    python benchmarks/make_corpus.py            # once (or let this script do it)
    python benchmarks/bench_extract.py          # vigil extract, 3000 docs, core 0
    python benchmarks/bench_extract.py --in-process --limit 500

Writes benchmarks/results/extract.json (extract-inprocess.json) and prints a Markdown row.
Target: >= 100 news-length documents per second on one core.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine_info, markdown_row, pin_prefix, run_child, take, vigil_command, write_result  # noqa: E402
from make_corpus import DEFAULT_OUT, ensure_corpus  # noqa: E402

TARGET_DOCS_PER_S = 100.0
HEADER = "| date | commit | mode | docs | words/doc | docs/s | docs per CPU-s | words/s | end-to-end docs/s | load s | peak RSS MiB | load avg | CPU |"


def children_cpu_s() -> float:
    """User + system CPU seconds of the children this process has waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_child(argv: list[str], stdin_path: Path, stdout_path: Path) -> tuple[int, float, int, float]:
    """``run_child`` plus the child's CPU seconds (user + system)."""
    before = children_cpu_s()
    rc, wall, rss = run_child(argv, stdin_path, stdout_path)
    return rc, wall, rss, children_cpu_s() - before


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def bench_subprocess(corpus: Path, docs: int, words: int, warmup: int, core: int | None, workdir: Path, command: str | None = None) -> dict:
    base = pin_prefix(core) + (shlex.split(command) if command else vigil_command() + ["extract"])
    warm_in, w_docs, w_words = take(corpus, warmup, workdir / "warmup.jsonl")
    rc, t_warm, rss_warm, cpu_warm = timed_child(base, warm_in, workdir / "warmup.out")
    if rc != 0:
        raise SystemExit(f"{' '.join(base)} failed on the warm-up input (exit {rc})")
    rc, t_all, rss_all, cpu_all = timed_child(base, corpus, workdir / "all.out")
    if rc != 0:
        raise SystemExit(f"{' '.join(base)} failed (exit {rc})")
    produced = count_lines(workdir / "all.out")
    if produced != docs:
        print(f"warning: {produced} output lines for {docs} documents", file=sys.stderr)
    # Subtracting the fixed cost is only meaningful when the full run clearly dominates it.
    steady = t_all - t_warm if t_all - t_warm > 0.05 * t_all else t_all
    steady_cpu = cpu_all - cpu_warm if cpu_all - cpu_warm > 0.05 * cpu_all else cpu_all
    return {
        "mode": "subprocess",
        "command": " ".join(base),
        "docs": docs,
        "words": words,
        "warmup_docs": w_docs,
        "startup_plus_warmup_s": t_warm,
        "load_s": t_warm,  # upper bound: start-up + model load + warm-up docs
        "total_s": t_all,
        "steady_s": steady,
        "docs_per_s": (docs - w_docs) / steady,
        "words_per_s": (words - w_words) / steady,
        "end_to_end_docs_per_s": docs / t_all,
        "startup_plus_warmup_cpu_s": cpu_warm,
        "total_cpu_s": cpu_all,
        "steady_cpu_s": steady_cpu,
        "docs_per_cpu_s": (docs - w_docs) / steady_cpu,
        "load_average": os.getloadavg(),
        "peak_rss_bytes": max(rss_all, rss_warm),
        "output_lines": produced,
    }


def bench_in_process(corpus: Path, docs: int, words: int, warmup: int, core: int | None, components: list[str] | None = None) -> dict:
    if core is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})
    from vigil.model.records import Document
    from vigil.nlp.pipeline import Extractor, build_pipeline

    records = [json.loads(line) for line in corpus.open(encoding="utf-8") if line.strip()]
    documents = [
        Document.from_text(r["text"], id=r["id"], title=r.get("title"), published=r.get("published"))
        for r in records
    ]
    began = time.perf_counter()
    extractor = Extractor(build_pipeline(components)) if components else Extractor()
    extractor.nlp  # build the pipeline (components, gazetteers)
    load_s = time.perf_counter() - began
    head, rest = documents[:warmup], documents[warmup:]
    began = time.perf_counter()
    for _ in extractor.extract_many(head):
        pass
    warm_s = time.perf_counter() - began
    began, began_cpu = time.perf_counter(), time.process_time()
    n = sum(1 for _ in extractor.extract_many(rest))
    steady = max(time.perf_counter() - began, 1e-9)
    steady_cpu = max(time.process_time() - began_cpu, 1e-9)
    rest_words = sum(len(d.text.split()) for d in rest)
    return {
        "mode": "in-process",
        "command": "Extractor().extract_many",
        "components": components or "all",
        "docs": docs,
        "words": words,
        "warmup_docs": len(head),
        "load_s": load_s,
        "warmup_s": warm_s,
        "steady_s": steady,
        "total_s": load_s + warm_s + steady,
        "docs_per_s": n / steady,
        "words_per_s": rest_words / steady,
        "end_to_end_docs_per_s": docs / (load_s + warm_s + steady),
        "steady_cpu_s": steady_cpu,
        "docs_per_cpu_s": n / steady_cpu,
        "load_average": os.getloadavg(),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark vigil extract on one core.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_OUT, help="JSONL corpus (generated if it is the default and missing)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N documents")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up documents (excluded from the steady rate)")
    parser.add_argument("--core", type=int, default=0, help="CPU core to pin to (default 0)")
    parser.add_argument("--no-pin", action="store_true", help="do not pin to a core")
    parser.add_argument("--in-process", action="store_true", help="call the library instead of the vigil CLI")
    parser.add_argument("--components", default=None, help="in-process only: comma-separated pipeline components (profiling a prefix of the pipeline)")
    parser.add_argument("--command", default=None, help="subprocess mode: the command to time instead of 'vigil extract' (reads JSONL on stdin)")
    parser.add_argument("--name", default=None, help="results file name (default extract / extract-inprocess)")
    args = parser.parse_args(argv)

    corpus = ensure_corpus() if args.corpus == DEFAULT_OUT else args.corpus
    core = None if args.no_pin else args.core
    with tempfile.TemporaryDirectory(prefix="vigil-bench-") as tmp:
        workdir = Path(tmp)
        data, docs, words = take(corpus, args.limit, workdir / "corpus.jsonl")
        warmup = min(args.warmup, max(docs - 1, 0))
        if args.in_process:
            components = args.components.split(",") if args.components else None
            result = bench_in_process(data, docs, words, warmup, core, components)
        else:
            result = bench_subprocess(data, docs, words, warmup, core, workdir, args.command)
    result.update(
        corpus=str(corpus),
        pinned_core=core,
        target_docs_per_s=TARGET_DOCS_PER_S,
        meets_target=result["docs_per_s"] >= TARGET_DOCS_PER_S,
        meets_target_per_cpu_s=result["docs_per_cpu_s"] >= TARGET_DOCS_PER_S,
        machine=machine_info(),
    )
    name = args.name or ("extract-inprocess" if args.in_process else "extract")
    path = write_result(name, result)
    m = result["machine"]
    print(HEADER)
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    print(
        markdown_row(
            [
                m["date"][:10], m["commit"], result["mode"], docs, round(words / max(docs, 1)),
                f"{result['docs_per_s']:.1f}", f"{result['docs_per_cpu_s']:.1f}", f"{result['words_per_s']:.0f}",
                f"{result['end_to_end_docs_per_s']:.1f}", f"{result['load_s']:.2f}", f"{result['peak_rss_bytes'] / 2**20:.0f}",
                " ".join(f"{x:.1f}" for x in result["load_average"]), f"{m['cpu']} ({m['cores']} cores)",
            ]
        )
    )
    print(f"results: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
