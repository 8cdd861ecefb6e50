#!/usr/bin/env python3
"""Quality/speed trade-off of the extraction modes: ``vigil extract --fast`` vs ``--learned`` (vs ``--roles``).

Runs ``bench_extract.bench_subprocess`` (one pinned core, start-up and warm-up excluded)
for each mode on the news-length benchmark corpus, and records next to it the mode's
re3d dev scores from the shipped model card or a ``vigil eval`` run. Run it with the
interpreter of an environment that has the ``ml`` extra:

    /path/to/venv/bin/python benchmarks/bench_extract_learned.py --limit 120

Writes benchmarks/results/extract-learned.json (modes not run keep their last entry) and prints Markdown rows;
each entry has its own machine-independent CPU rate, wall rate and load average. Target: >= 30
news-length documents per second on one core with the learned components on.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine_info, markdown_row, take, vigil_command, write_result  # noqa: E402
from bench_extract import bench_subprocess, count_lines  # noqa: E402
from make_corpus import DEFAULT_OUT, ensure_corpus  # noqa: E402

TARGET_DOCS_PER_S = 30.0
MODES = {
    "fast": ["extract", "--fast"],
    "learned-crf": ["extract", "--learned", "--tagger", "crf"],
    "learned-encoder": ["extract", "--learned", "--tagger", "encoder"],
    "learned-ensemble": ["extract", "--learned", "--tagger", "ensemble"],
    "roles-crf": ["extract", "--roles", "--tagger", "crf"],  # learned + the MUC-4 role tagger
}
HEADER = "| mode | docs | docs/s (wall) | docs per CPU-second | load s | peak RSS MiB | load average |"


def _common_results(name: str) -> dict:
    from _common import RESULTS

    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text("utf-8")).get("modes", {}) if path.is_file() else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--limit", type=int, default=120, help="documents per mode (the encoder modes are slow)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--core", type=int, default=0)
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated: " + ", ".join(MODES))
    parser.add_argument("--name", default="extract-learned")
    args = parser.parse_args()
    corpus = ensure_corpus(args.corpus) if args.corpus == DEFAULT_OUT else args.corpus
    results = {}
    with tempfile.TemporaryDirectory(prefix="vigil-bench-") as tmp:
        workdir = Path(tmp)
        data, docs, words = take(corpus, args.limit, workdir / "corpus.jsonl")
        for mode in args.modes.split(","):
            command = " ".join(vigil_command() + MODES[mode])
            result = bench_subprocess(data, docs, words, args.warmup, args.core, workdir, command)
            result["words_per_doc"] = round(words / max(1, docs))
            results[mode] = result
            print(markdown_row([mode, docs, f"{result['docs_per_s']:.1f}", f"{result['docs_per_cpu_s']:.1f}",
                                f"{result['load_s']:.1f}", f"{result['peak_rss_bytes'] / 2**20:.0f}",
                                " ".join(f"{x:.1f}" for x in result["load_average"])]), flush=True)
        assert count_lines(data) == docs
    previous = _common_results(args.name)  # modes not run this time keep their last measurement
    results = {**previous, **results}
    payload = {"modes": results, "target_docs_per_s": TARGET_DOCS_PER_S,
               "meets_target": {m: r["docs_per_cpu_s"] >= TARGET_DOCS_PER_S for m, r in results.items() if m != "fast"},
               "machine": machine_info()}
    path = write_result(args.name, payload)
    print(HEADER, f"\nwritten to {path}", sep="", file=sys.stderr)
    print(json.dumps(payload["meets_target"]))


if __name__ == "__main__":
    main()
