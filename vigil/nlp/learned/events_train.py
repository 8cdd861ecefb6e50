"""Train the ACLED sub-event classifier from the labelled sentence set (``vigil train events``).

Steps, all deterministic for a seed:
1. run the rule pipeline on every labelled sentence (a one-sentence document dated by
   its article) and keep the type of the event it finds, or none: the ``rule=`` feature;
2. 5-fold cross-validation on the *train* split, folds grouped by article, to pick the
   confidence threshold under which the rule's type is kept (the held-back split is
   never looked at);
3. fit on the whole train split and save the model (gzip'd JSON, a few hundred kB).

Weak labels: with ``weak_sentences`` the rule types of extra unlabelled corpus sentences
(from train articles only) are added as training examples with their rule type as label.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from vigil.nlp.learned.events_data import NONE_LABEL, LabelledSentence, load_sentences, split
from vigil.nlp.learned.events_features import features, vocabulary
from vigil.nlp.learned.events_model import EventTypeModel, TrainSettings
from vigil.model.taxonomy import event_types

THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.20, 0.96, 0.05))
FOLDS = 5
MODEL_FILE = "events_model.json.gz"
CARD_FILE = "events_model_card.md"


def default_model_path() -> Path:
    return Path(str(resources.files("vigil.nlp").joinpath("learned", "data", MODEL_FILE)))


def all_labels() -> list[str]:
    return [NONE_LABEL] + [sub for subs in event_types().values() for sub in subs]


def decide(rule_type: str | None, probs: np.ndarray, labels: Sequence[str], threshold: float) -> str:
    """The label of an event: the model's when it is sure (NONE drops the event), else the rule's.

    ``rule_type`` None means the rules found no event there: the fall-back is then NONE.
    """
    best = int(np.argmax(probs))
    return labels[best] if probs[best] >= threshold else (rule_type or NONE_LABEL)


def rule_types(texts: Iterable[tuple[str, str | None]], extractor=None) -> list[str | None]:
    """The rule pipeline's event type for each (text, published date) as its own document, or None."""
    from vigil.nlp.pipeline import Extractor

    extractor = extractor or Extractor()
    out = []
    for text, published in texts:
        doc = extractor.annotate(text, dt.date.fromisoformat(published) if published else None)
        events = list(doc._.events)
        out.append(events[0].type if events else None)
    return out


def weighted_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """F1 per gold label, averaged with the labels' gold counts as weights."""
    total = len(gold)
    if not total:
        return 0.0
    score = 0.0
    for label in set(gold):
        tp = sum(1 for g, p in zip(gold, pred) if g == p == label)
        fp = sum(1 for g, p in zip(gold, pred) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, pred) if g == label and p != label)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        score += f1 * sum(1 for g in gold if g == label) / total
    return score


@dataclass
class TrainResult:
    model: EventTypeModel
    cv_scores: dict[float, float]
    cv_rules: float
    n_train: int
    n_weak: int
    seconds: float
    settings: TrainSettings
    label_counts: dict[str, int] = field(default_factory=dict)


def _folds(items: Sequence[LabelledSentence], k: int, seed: int) -> list[int]:
    articles = sorted({item.article for item in items})
    order = np.random.default_rng(seed).permutation(len(articles))
    fold_of = {articles[j]: n % k for n, j in enumerate(order)}
    return [fold_of[item.article] for item in items]


def train_events(data_path: Path | None = None, *, settings: TrainSettings = TrainSettings(), limit: int | None = None,
                 weak: Sequence[tuple[str, str | None]] = (), extractor=None) -> TrainResult:
    """Fit the classifier on the train split (``limit``: its first N sentences, for quick runs)."""
    began = time.perf_counter()
    items = split(load_sentences(data_path), "train")
    if limit:
        items = items[:limit]
    rules = rule_types(((s.text, s.published) for s in items), extractor)
    rows = [features(s.text, r) for s, r in zip(items, rules)]
    gold = [s.label for s in items]
    labels = all_labels()
    weak_rules = rule_types(weak, extractor) if weak else []
    weak_rows = [features(t, r) for (t, _), r in zip(weak, weak_rules) if r]
    weak_gold = [r for r in weak_rules if r]

    # 2. threshold on out-of-fold predictions
    folds = _folds(items, FOLDS, settings.seed)
    oof = np.zeros((len(items), len(labels)))
    for k in range(FOLDS):
        fit_idx = [i for i, f in enumerate(folds) if f != k]
        out_idx = [i for i, f in enumerate(folds) if f == k]
        if not fit_idx or not out_idx:
            continue
        fit_rows = [rows[i] for i in fit_idx] + weak_rows
        model = EventTypeModel.fit(fit_rows, [gold[i] for i in fit_idx] + weak_gold, vocabulary(fit_rows), labels, settings)
        oof[out_idx] = model.proba([rows[i] for i in out_idx])
    cv_scores = {t: weighted_f1(gold, [decide(r, p, labels, t) for r, p in zip(rules, oof)]) for t in THRESHOLDS}
    # what the pipeline can do: relabel or drop the rules' events (no rule event, no event)
    best = max(THRESHOLDS, key=lambda t: (round(cv_scores[t], 4), -t))
    cv_rules = weighted_f1(gold, [r or NONE_LABEL for r in rules])

    # 3. the final model
    all_rows = rows + weak_rows
    model = EventTypeModel.fit(all_rows, gold + weak_gold, vocabulary(all_rows), labels, settings, threshold=best)
    counts = {lab: gold.count(lab) for lab in labels if gold.count(lab)}
    model.meta = {"seed": settings.seed, "epochs": settings.epochs, "l2": settings.l2, "train_sentences": len(items),
                  "weak_sentences": len(weak_rows), "threshold_cv_weighted_f1": round(cv_scores[best], 4)}
    return TrainResult(model, cv_scores, cv_rules, len(items), len(weak_rows), time.perf_counter() - began, settings, counts)
