#!/usr/bin/env python3
"""Pairwise linking precision / recall / F1 of event fusion on the labelled set of benchmarks/fusion.

The whole chain is measured: the real extractor (``vigil.nlp.pipeline.Extractor``)
reads the reports, and fusion links the events it finds. Labelled events are
those of the generated reports (``fusion/reports.jsonl``, incident per report in
``fusion/labels.jsonl``) and the hand-labelled events of the bundled sample
reports (``fusion/real_labels.jsonl``); other events of the sample reports are
left out. A pair of labelled events is positive when both report one incident.

Per similarity kind (sentence embeddings when the ``ml`` extra is installed, and
the lexical fallback) it fits the link model on the training split (all training
pairs for the text-only model; the pairs that blocking lets through for the full
model), then scores the test split three ways:

* ``text``: evidence similarity alone, every pair, no blocking (text-only signal);
* ``full``: blocking + every signal, pair by pair (with metadata);
* ``clusters``: the pairs implied by clustering the test events incrementally.

    python benchmarks/fusion/build_set.py        # regenerate the set (deterministic)
    python benchmarks/bench_fusion.py            # fit, score, write results/fusion.json
    python benchmarks/bench_fusion.py --write-weights   # also store the fitted models in vigil/resolve/data/linker.json
    python benchmarks/bench_fusion.py --shipped   # score the models linker.json ships instead of fitting new ones

Published reference (other data): 0.947 F1 on text alone, 0.986 with metadata (COLING 2018).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter
from dataclasses import replace
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine_info, write_result  # noqa: E402

from vigil.ingest import iter_jsonl  # noqa: E402
from vigil.model.records import Document  # noqa: E402
from vigil.nlp.pipeline import Extractor  # noqa: E402
from vigil.resolve.clusters import Clusterer  # noqa: E402
from vigil.resolve.config import LinkModel, load_fusion_config  # noqa: E402
from vigil.resolve.embeddings import ml_installed  # noqa: E402
from vigil.resolve.engine import EventFusion, mentions_of  # noqa: E402
from vigil.resolve.features import FEATURES, SIGNS  # noqa: E402
from vigil.resolve.fitting import best_threshold, fit_logistic, prf  # noqa: E402
from vigil.resolve.linker import Linker  # noqa: E402
from vigil.resolve.records import EventMention  # noqa: E402
from vigil.resolve.similarity import choose_encoder  # noqa: E402

HERE = Path(__file__).resolve().parent
SET = HERE / "fusion"
LINKER = Path(str(resources.files("vigil.resolve").joinpath("data", "linker.json")))
L2 = 1.0
REFERENCE = {"text": 0.947, "full": 0.986}


def load_documents() -> list[Document]:
    paths = [SET / "reports.jsonl"] + [
        Path(str(resources.files("vigil").joinpath("samples", name)))
        for name in ("wikinews-pakistan-afghanistan.jsonl", "vigil-examples.jsonl")
    ]
    documents = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            documents += [d for d in iter_jsonl(handle, where=str(path)) if isinstance(d, Document)]
    return documents


def labelled_mentions(documents: list[Document]) -> tuple[list[EventMention], dict[str, tuple[str, str, str]], dict]:
    """Mentions with (incident, split, origin), and coverage counts."""
    generated = {row["document"]: row for row in _jsonl(SET / "labels.jsonl")}
    real: dict[str, list[dict]] = {}
    for row in _jsonl(SET / "real_labels.jsonl"):
        real.setdefault(row["document"], []).append(row)
    wanted = {d.id: d for d in documents if d.id in generated or d.id in real}
    extractor = Extractor()
    labels: dict[str, tuple[str, str, str]] = {}
    mentions: list[EventMention] = []
    coverage = Counter()
    for document, extraction in zip(wanted.values(), extractor.extract_many(list(wanted.values()))):
        found = mentions_of(document, extraction)
        if document.id in generated:
            row = generated[document.id]
            coverage["generated reports"] += 1
            coverage["generated reports without an event"] += not found
            for mention in found:
                labels[mention.id] = (_incident_at(document.text, mention, row), row["split"], "generated")
                mentions.append(mention)
            continue
        for row in real[document.id]:
            at = document.text.find(row["quote"])
            hits = [m for m in found if m.event.start <= at < m.event.end]
            coverage["real labels"] += 1
            coverage["real labels not found"] += not hits
            for mention in hits:
                labels[mention.id] = (row["incident"], "test", "real")
                mentions.append(mention)
    coverage["labelled events"] = len(mentions)
    return mentions, labels, dict(coverage)


def _incident_at(text: str, mention: EventMention, row: dict) -> str:
    """The incident of a generated report's event: that of a background sentence holding its trigger, else the report's."""
    at = text.find(mention.event.trigger, mention.event.start) if mention.event.trigger else mention.event.start
    at = mention.event.start if at < 0 else at
    for start, end, incident in row.get("spans", ()):
        if start <= at < end:
            return incident
    return row["incident"]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def pairs_of(mentions: list[EventMention]) -> list[tuple[EventMention, EventMention]]:
    return [(a, b) if a.id < b.id else (b, a) for a, b in itertools.combinations(mentions, 2)]


def fit_kind(kind: str, train: list[EventMention], labels: dict) -> dict[str, LinkModel]:
    """Fit the 'text' and 'full' models of one similarity kind on the training mentions."""
    fusion = EventFusion(choose_encoder(kind), mode="full")
    fusion.vectors.ensure(train)
    comparer = fusion.linker.comparer
    text_rows, text_labels, full_rows, full_labels, unscored = [], [], [], [], 0
    for a, b in pairs_of(train):
        same = int(labels[a.id][0] == labels[b.id][0])
        similarity = fusion.vectors.similarity(a, b)
        text_rows.append([similarity])
        text_labels.append(same)
        if comparer.blocked(a, b):
            unscored += same
            continue
        evidence = comparer.compare(a, b)
        full_rows.append([evidence.values[name] for name in FEATURES])
        full_labels.append(same)
    models: dict = {}
    for mode, rows, targets, names, missed in (
        ("text", text_rows, text_labels, ["similarity"], 0),
        ("full", full_rows, full_labels, list(FEATURES), unscored),
    ):
        bias, weights = fit_logistic(rows, targets, l2=L2, signs=[SIGNS[name] for name in names])
        model = LinkModel(kind, mode, round(bias, 4), {n: round(w, 4) for n, w in zip(names, weights)}, 0.5)
        probabilities = [model.score(dict(zip(names, row)))[0] for row in rows]
        threshold, f1 = best_threshold(probabilities, targets, unscored_positives=missed)
        models[mode] = LinkModel(kind, mode, model.bias, model.weights, round(threshold, 4))
        models[mode + "_train"] = {"pairs": len(rows), "positives": sum(targets) + missed, "f1": round(f1, 4)}
    cluster_threshold, cluster_f1 = fit_cluster_threshold(comparer, models["full"], train, labels)
    models["full"] = replace(models["full"], cluster_threshold=cluster_threshold)
    models["full_train"]["cluster_f1"] = cluster_f1
    return models


def shipped_models(kind: str) -> dict:
    """The 'text' and 'full' models of linker.json, as ``fit_kind`` returns fitted ones."""
    config = load_fusion_config()
    return {"text": config.model(kind, "text"), "full": config.model(kind, "full")}


def fit_cluster_threshold(comparer, model: LinkModel, train: list[EventMention], labels: dict) -> tuple[float, float]:
    """The merge threshold that maximises the F1 of clustered pairs on the training events."""
    links: dict = {}
    best = (model.threshold, -1.0)
    for step in range(2, 19):
        threshold = step / 20
        clusterer = Clusterer(Linker(comparer, replace(model, cluster_threshold=threshold)), links=links)
        clusterer.add_many(sorted(train, key=lambda m: (str(m.published), m.id)))
        f1 = _cluster_scores(clusterer.clusters(), train, labels)["f1"]
        if f1 > best[1]:
            best = (threshold, f1)
    return best


def score_pairs(fusion: EventFusion, mentions: list[EventMention], labels: dict, origin: str | None = None) -> dict:
    """P/R/F1 of the pairwise decisions of ``fusion``'s linker over all pairs of ``mentions``."""
    tp = fp = fn = 0
    comparer = fusion.linker.comparer
    for a, b in pairs_of(mentions):
        if origin and not (labels[a.id][2] == origin and labels[b.id][2] == origin):
            continue
        same = labels[a.id][0] == labels[b.id][0]
        if fusion.linker.model.mode == "full" and comparer.blocked(a, b):
            linked = False
        else:
            linked = fusion.linker.explain(a, b).linked
        tp += same and linked
        fp += (not same) and linked
        fn += same and not linked
    return _scores(tp, fp, fn)


def score_clusters(fusion: EventFusion, mentions: list[EventMention], labels: dict, origin: str | None = None) -> dict:
    return _cluster_scores(fusion.clusters(), mentions, labels, origin)


def _cluster_scores(clusters: list, mentions: list[EventMention], labels: dict, origin: str | None = None) -> dict:
    cluster_of = {m: c.id for c in clusters for m in c.members}
    tp = fp = fn = 0
    for a, b in pairs_of(mentions):
        if origin and not (labels[a.id][2] == origin and labels[b.id][2] == origin):
            continue
        same = labels[a.id][0] == labels[b.id][0]
        together = cluster_of[a.id] == cluster_of[b.id]
        tp += same and together
        fp += (not same) and together
        fn += same and not together
    return _scores(tp, fp, fn)


def _scores(tp: int, fp: int, fn: int) -> dict:
    precision, recall, f1 = prf(tp, fp, fn)
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "tp": tp, "fp": fp, "fn": fn}


def evaluate(kind: str, models: dict, test: list[EventMention], labels: dict) -> dict:
    config = load_fusion_config()
    custom = dict(config.models)
    custom[(kind, "text")] = models["text"]
    custom[(kind, "full")] = models["full"]
    config = type(config)(windows=config.windows, outlier_factor=config.outlier_factor, models=custom)
    encoder = choose_encoder(kind)
    results = {"method": encoder.method}
    text = EventFusion(encoder, mode="text", config=config)
    started = time.perf_counter()
    text.vectors.ensure(test)
    results["encode_s"] = round(time.perf_counter() - started, 2)  # encoding the test evidence (model already loaded)
    results["text"] = score_pairs(text, test, labels)
    results["text_real"] = score_pairs(text, test, labels, origin="real")
    results["text_generated"] = score_pairs(text, test, labels, origin="generated")
    full = EventFusion(mode="full", config=config, vectors=text.vectors)
    results["full"] = score_pairs(full, test, labels)
    results["full_real"] = score_pairs(full, test, labels, origin="real")
    results["full_generated"] = score_pairs(full, test, labels, origin="generated")
    started = time.perf_counter()
    for mention in sorted(test, key=lambda m: (str(m.published), m.id)):
        full.add([mention])
    elapsed = time.perf_counter() - started
    results["clusters"] = score_clusters(full, test, labels)
    results["clusters_real"] = score_clusters(full, test, labels, origin="real")
    results["clusters_generated"] = score_clusters(full, test, labels, origin="generated")
    results["incremental_add_ms"] = round(1000 * elapsed / max(1, len(test)), 2)
    results["clusters_found"] = len(full.clusters())
    return results


def write_weights(fitted: dict[str, dict], provenance: dict) -> None:
    raw = json.loads(LINKER.read_text("utf-8"))
    for kind, models in fitted.items():
        for mode in ("full", "text"):
            model = models[mode]
            raw["models"][kind][mode] = {"bias": model.bias, "threshold": model.threshold, "weights": model.weights}
            if model.cluster_threshold is not None:
                raw["models"][kind][mode]["cluster_threshold"] = model.cluster_threshold
    raw["fitted"] = provenance
    LINKER.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default="auto", help="comma-separated: embedding,lexical (auto: both when ml is installed)")
    parser.add_argument("--write-weights", action="store_true", help="store the fitted models in vigil/resolve/data/linker.json")
    parser.add_argument("--shipped", action="store_true", help="score the shipped models of linker.json instead of fitting new ones")
    args = parser.parse_args()
    if args.shipped and args.write_weights:
        parser.error("--shipped scores the shipped weights; it cannot write new ones")
    kinds = (["embedding", "lexical"] if ml_installed() else ["lexical"]) if args.kinds == "auto" else args.kinds.split(",")

    started = time.perf_counter()
    mentions, labels, coverage = labelled_mentions(load_documents())
    extract_s = time.perf_counter() - started
    train = [m for m in mentions if labels[m.id][1] == "train"]
    test = [m for m in mentions if labels[m.id][1] == "test"]
    sizes = {
        "train_events": len(train), "test_events": len(test),
        "train_incidents": len({labels[m.id][0] for m in train}), "test_incidents": len({labels[m.id][0] for m in test}),
        "test_positive_pairs": sum(labels[a.id][0] == labels[b.id][0] for a, b in pairs_of(test)),
        "test_pairs": len(test) * (len(test) - 1) // 2,
        "test_real_events": sum(labels[m.id][2] == "real" for m in test),
    }
    print(json.dumps({"coverage": coverage, "sizes": sizes}))

    fitted, results = {}, {}
    for kind in kinds:
        models = shipped_models(kind) if args.shipped else fit_kind(kind, train, labels)
        fitted[kind] = models
        results[kind] = evaluate(kind, models, test, labels)
        results[kind]["fitted"] = {mode: {"bias": models[mode].bias, "threshold": models[mode].threshold,
                                          "cluster_threshold": models[mode].cluster_threshold,
                                          "weights": models[mode].weights, "train": models.get(mode + "_train", "shipped")}
                                   for mode in ("text", "full")}
        print(kind, json.dumps({k: v for k, v in results[kind].items() if k != "fitted"}))
    data = {"machine": machine_info(), "coverage": coverage, "sizes": sizes, "extract_s": round(extract_s, 1),
            "reference_f1": REFERENCE, "l2": L2, "models": "shipped" if args.shipped else "fitted in this run",
            "results": results}
    path = write_result("fusion", data)
    print(f"wrote {path}")
    if args.write_weights:
        write_weights(fitted, {"on": "benchmarks/fusion training split (generated reports of the training incidents)",
                               "by": "benchmarks/bench_fusion.py --write-weights", "l2": L2,
                               "train_pairs": {k: {m: fitted[k][m + "_train"] for m in ("text", "full")} for k in fitted},
                               "commit": data["machine"]["commit"]})
        print(f"wrote {LINKER}")
    print()
    print("| similarity | signals | test pairs | precision | recall | F1 | reference F1 (COLING 2018) |")
    print("|---|---|---|---:|---:|---:|---:|")
    for result in results.values():
        modes = (("text", "text only, pairwise"), ("full", "with metadata, pairwise"), ("clusters", "with metadata, clusters"))
        for mode, label in modes:
            for suffix, subset in (("", "all"), ("_generated", "generated"), ("_real", "real")):
                score = result[mode + suffix]
                reference = REFERENCE["text" if mode == "text" else "full"]
                print(f"| {result['method']} | {label} | {subset} | {score['precision']:.3f} | {score['recall']:.3f} | "
                      f"**{score['f1']:.3f}** | {reference} |")


if __name__ == "__main__":
    main()
