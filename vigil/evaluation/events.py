"""Score ACLED event typing on the held-back split of the labelled sentence set (task ``events``).

Each held-back sentence is run through the rule pipeline as its own document (dated by
its article); three predictions are scored against its label (a sub-event type or NONE):

* ``events-rules``: the type of the event the rules build, NONE when they build none;
* ``events-typing``: the learned classifier over the sentence, with the rules' type as a
  feature, keeping the rules' answer when it is unsure (what the classifier adds);
* ``events-pipeline``: what ``vigil_events_learned`` does in the pipeline: it can only
  relabel or drop the rules' events, so a sentence without a rule event stays NONE.

Per-type rows count tp/fp/fn per label; the ``weighted`` row averages per-label precision,
recall and F1 weighted by gold support (NONE included, as a class). The
``events-noviolence`` rows run whole held-back no-violence texts (disasters, accidents,
crime, diplomacy, sport, economy) through the pipeline: the F1 column there holds the
share of texts that still produce an event (the false-positive rate, lower is better),
for the rules alone and with the learned component.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from vigil.evaluation.scoring import Score
from vigil.nlp.learned.events_data import NONE_LABEL, load_sentences, split
from vigil.nlp.learned.events_train import decide, pipeline_label, rule_types
from vigil.nlp.learned.events_typer import EventTyper, read_typer


def type_scores(task: str, gold: list[str], pred: list[str]) -> list[Score]:
    scores: dict[str, Score] = {}
    for g, p in zip(gold, pred):
        if g == p:
            scores.setdefault(g, Score(task, g)).add(tp=1)
        else:
            scores.setdefault(g, Score(task, g)).add(fn=1)
            scores.setdefault(p, Score(task, p)).add(fp=1)
    return sorted(scores.values(), key=lambda s: (-s.support, s.type))


def weighted(scores: list[Score]) -> tuple[float, float, float, int]:
    """(precision, recall, F1) averaged with gold support as weights, and the support."""
    total = sum(s.support for s in scores)
    if not total:
        return 0.0, 0.0, 0.0, 0
    return (sum(s.precision * s.support for s in scores) / total, sum(s.recall * s.support for s in scores) / total,
            sum(s.f1 * s.support for s in scores) / total, total)


def evaluate_events(data_path: Path | None = None, model_path: Path | None = None, extractor=None) -> dict:
    """Predictions and scores for the three modes plus the no-violence false-positive rates."""
    from vigil.nlp.pipeline import Extractor

    extractor = extractor or Extractor()
    learned = [name for name in extractor.nlp.pipe_names if name == "vigil_events_learned"]
    if learned:  # the learned mode's extractor: score its rules here, the typer is applied below
        with extractor.nlp.select_pipes(disable=learned):
            return evaluate_events(data_path, model_path, extractor)
    typer = read_typer(Path(model_path) if model_path else None)
    model = typer.model
    items = split(load_sentences(data_path), "test")
    rules = rule_types(((s.text, s.published) for s in items), extractor)
    probs = typer.proba([s.text for s in items], rules)
    gold = [s.label for s in items]
    preds = {
        "events-rules": [r or NONE_LABEL for r in rules],
        "events-typing": [decide(r, p, model.labels, model.threshold, model.drop_threshold) for r, p in zip(rules, probs)],
        "events-pipeline": [pipeline_label(r, p, model) for r, p in zip(rules, probs)],
    }
    result: dict = {"modes": {}, "noviolence": {}, "sentences": len(items), "threshold": model.threshold}
    for mode, pred in preds.items():
        scores = type_scores(mode, gold, pred)
        result["modes"][mode] = {"scores": scores, "weighted": weighted(scores)}
    texts: dict[str, list[str]] = defaultdict(list)
    for s in items:
        if s.no_violence:
            texts[s.article].append(s.text)
    result["noviolence"] = _noviolence_rates([" ".join(t) for t in texts.values()], extractor, typer)
    return result


def _noviolence_rates(texts: list[str], extractor, model: EventTyper) -> dict[str, tuple[float, int]]:
    from vigil.nlp.learned.events_component import LearnedEventTyper

    typer = LearnedEventTyper(model)
    with_rules = with_learned = 0
    for text in texts:
        doc = extractor.annotate(text, dt.date(2008, 6, 1))
        with_rules += bool(doc._.events)
        with_learned += bool(typer(doc)._.events)
    n = len(texts) or 1
    return {"rules": (with_rules / n, len(texts)), "learned": (with_learned / n, len(texts))}


def report_rows(result: dict) -> list:
    """Rows for ``vigil eval``'s table: per-type rows of the pipeline mode, then each mode's weighted row."""
    from vigil.evaluation.report import Row

    rows = [Row.from_score(s) for s in result["modes"]["events-pipeline"]["scores"]]
    for mode, data in result["modes"].items():
        p, r, f, n = data["weighted"]
        rows.append(Row(mode, "weighted", p, r, f, n))
    for mode, (rate, n) in result["noviolence"].items():
        rows.append(Row("events-noviolence", f"texts with an event ({mode}): {round(rate * n)} of {n}", 0.0, 0.0, rate, n))
    return rows
