"""Where extraction time goes: milliseconds per document for each pipeline component.

Builds the pipeline once, warms its caches on the first documents, then times the
tokenizer, each component and the record + JSON conversion on the next ones, in
this process (pin it: ``taskset -c 0 python benchmarks/bench_components.py``), the
way ``vigil extract`` runs them: each document released after conversion, and the
garbage collector set as ``streaming_collector`` sets it. The laps are CPU time of
this process (``time.process_time``), so that other jobs on a shared machine do not
count; the result says so (``clock``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import HERE, machine_info, markdown_row, write_result  # noqa: E402

from vigil.nlp.convert import doc_to_extraction  # noqa: E402
from vigil.nlp.pipeline import build_pipeline, streaming_collector  # noqa: E402
from vigil.nlp.spans import release  # noqa: E402
from vigil.nlp.values.text import remember_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus" / "corpus.jsonl")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--docs", type=int, default=600)
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"{args.corpus}: not found; run benchmarks/make_corpus.py first")
    with args.corpus.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(args.warmup + args.docs), handle)]
    nlp = build_pipeline()
    totals: dict[str, float] = {}

    def run(batch: list[dict], record: bool) -> None:
        for row in batch:
            start = time.process_time()
            doc = nlp.make_doc(row["text"])
            remember_text(doc, row["text"])  # as ``Extractor`` does
            laps = [("tokenizer", time.process_time() - start)]
            doc._.published = dt.date.fromisoformat(row["published"]) if row.get("published") else None
            for name, proc in nlp.pipeline:
                start = time.process_time()
                doc = proc(doc)
                laps.append((name, time.process_time() - start))
            start = time.process_time()
            doc_to_extraction(doc, row["id"]).to_contract_json()
            release(doc)
            del doc  # freeing the document counts here, not in the next document's tokenizer lap
            laps.append(("records + JSON", time.process_time() - start))
            if record:
                for name, seconds in laps:
                    totals[name] = totals.get(name, 0.0) + seconds

    measured = rows[args.warmup :]
    with streaming_collector():
        run(rows[: args.warmup], record=False)
        run(measured, record=True)
    per_doc = {name: round(1000 * seconds / len(measured), 3) for name, seconds in totals.items()}
    total = sum(per_doc.values())
    print(markdown_row(list(per_doc)))
    print(markdown_row(list(per_doc.values())))
    print(f"total {total:.2f} ms of CPU per doc = {1000 / total:.0f} docs per CPU-second over {len(measured)} documents")
    write_result("components", {
        "ms_per_doc": per_doc, "total_ms": round(total, 3), "documents": len(measured), "clock": "process CPU time",
        "load_average": os.getloadavg(), "machine": machine_info(),
    })


if __name__ == "__main__":
    main()
