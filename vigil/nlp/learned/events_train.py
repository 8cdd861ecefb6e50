"""Train the ACLED sub-event classifier from the labelled sentence set (``vigil train events``).

Steps, all deterministic for a seed; the held-back (``test``) split is never read:
1. run the rule pipeline on every train sentence (a one-sentence document dated by its
   article) and keep the type of the event it finds, or none: the ``rule=`` feature;
2. 5-fold cross-validation on the train split, folds grouped by article, for each
   candidate setting (``GRID``: with or without the word-piece sentence vector, two L2
   vector weights); the setting with the best out-of-fold weighted F1 of the classifier wins;
3. on that setting's out-of-fold probabilities, the two thresholds of the pipeline's
   decision (relabel a rule event / drop it as NONE) that maximise weighted F1 when
   only the rules' events can be relabelled or dropped;
4. fit the winner on the whole train split, and the best setting without sentence
   vectors as the numpy-only fall-back; both saved as gzip'd JSON.

Whole no-violence texts: in a document the rules merge neighbouring sentences into one
event, so the classifier also reads multi-sentence evidence; each train no-violence text
(its sentences joined) is added once more as a NONE example (fitting only; never scored).

Weak labels: with ``weak`` the rule types of extra unlabelled sentences (from train
articles only) are added as training examples with their rule type as label.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from vigil.nlp.learned.events_data import NONE_LABEL, LabelledSentence, load_sentences, split
from vigil.nlp.learned.events_embed import WordPieceEmbedder, embedder_unavailable
from vigil.nlp.learned.events_features import features, vocabulary
from vigil.nlp.learned.events_model import EventTypeModel, TrainSettings
from vigil.model.taxonomy import event_types

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: never (keep the rule's type)
FOLDS = 5
CARD_FILE = "events_model_card.md"
#: candidate settings: (dense_scale, l2); dense_scale 0 = binary features only
GRID = ((0.0, 1e-4), (3.0, 1e-4), (6.0, 1e-4))


def all_labels() -> list[str]:
    return [NONE_LABEL] + [sub for subs in event_types().values() for sub in subs]


def decide(rule_type: str | None, probs: np.ndarray, labels: Sequence[str], threshold: float,
           drop_threshold: float | None = None) -> str:
    """The label of an event: the model's when it is sure (NONE drops the event), else the rule's.

    ``threshold`` applies to a sub-event type, ``drop_threshold`` (default: the same) to NONE.
    ``rule_type`` None means the rules found no event there: the fall-back is then NONE.
    """
    best = int(np.argmax(probs))
    needed = threshold if labels[best] != NONE_LABEL or drop_threshold is None else drop_threshold
    return labels[best] if probs[best] >= needed else (rule_type or NONE_LABEL)


def pipeline_label(rule_type: str | None, probs: np.ndarray, model: EventTypeModel) -> str:
    """What ``vigil_events_learned`` makes of a sentence: no rule event stays NONE."""
    if not rule_type:
        return NONE_LABEL
    return decide(rule_type, probs, model.labels, model.threshold, model.drop_threshold)


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
    fallback: EventTypeModel
    grid_scores: dict[tuple[float, float], float]  # setting -> CV weighted F1 of the classifier on every sentence
    cv_scores: dict[tuple[float, float], float]  # (threshold, drop threshold) -> CV weighted F1 of the pipeline decision
    cv_rules: float
    n_train: int
    n_weak: int
    seconds: float
    settings: TrainSettings
    label_counts: dict[str, int] = field(default_factory=dict)
    note: str | None = None  # why sentence vectors were not tried, if they were not


def _folds(items: Sequence[LabelledSentence], k: int, seed: int) -> list[int]:
    articles = sorted({item.article for item in items})
    order = np.random.default_rng(seed).permutation(len(articles))
    fold_of = {articles[j]: n % k for n, j in enumerate(order)}
    return [fold_of[item.article] for item in items]


def _fit(texts: Sequence[str], rows: Sequence[set[str]], gold: Sequence[str], labels: Sequence[str],
         settings: TrainSettings) -> tuple[EventTypeModel, WordPieceEmbedder | None]:
    embedder = WordPieceEmbedder.fit(texts) if settings.dense_scale else None
    dense = embedder.vectors(texts) if embedder else None
    model = EventTypeModel.fit(rows, gold, vocabulary(rows), labels, settings, dense=dense)
    if embedder:
        model.meta["embedding"] = embedder.to_meta()
    return model, embedder


def _predict(model: EventTypeModel, embedder: WordPieceEmbedder | None, texts: Sequence[str], rows) -> np.ndarray:
    return model.proba(rows, embedder.vectors(texts) if embedder else None)


def _best_typing(gold: Sequence[str], rules: Sequence[str | None], oof: np.ndarray, labels: Sequence[str]) -> float:
    return max(weighted_f1(gold, [decide(r, p, labels, t) for r, p in zip(rules, oof)]) for t in (0.0,) + THRESHOLDS)


def train_events(data_path: Path | None = None, *, settings: TrainSettings = TrainSettings(), limit: int | None = None,
                 weak: Sequence[tuple[str, str | None]] = (), extractor=None, grid: Sequence[tuple[float, float]] = GRID) -> TrainResult:
    """Fit the classifier on the train split (``limit``: its first N sentences, for quick runs)."""
    began = time.perf_counter()
    items = split(load_sentences(data_path), "train")
    if limit:
        items = items[:limit]
    rules = rule_types(((s.text, s.published) for s in items), extractor)
    texts = [s.text for s in items]
    rows = [features(t, r) for t, r in zip(texts, rules)]
    gold = [s.label for s in items]
    labels = all_labels()
    weak_rules = rule_types(weak, extractor) if weak else []
    weak_texts = [t for (t, _), r in zip(weak, weak_rules) if r]
    weak_rows = [features(t, r) for (t, _), r in zip(weak, weak_rules) if r]
    weak_gold = [r for r in weak_rules if r]
    # whole no-violence texts, as NONE examples of their article (so of its fold)
    joined: dict[str, list[LabelledSentence]] = {}
    for s in items:
        if s.no_violence:
            joined.setdefault(s.article, []).append(s)
    groups = [g for g in joined.values() if len(g) > 1]
    whole_texts = [" ".join(x.text for x in g) for g in groups]
    whole_rules = rule_types(((t, g[0].published) for t, g in zip(whole_texts, groups)), extractor)
    whole_rows = [features(t, r) for t, r in zip(whole_texts, whole_rules)]
    whole_articles = [g[0].article for g in groups]
    note = embedder_unavailable()
    if note:
        grid = [g for g in grid if not g[0]] or [(0.0, settings.l2)]

    # 2. settings by out-of-fold weighted F1
    folds = _folds(items, FOLDS, settings.seed)
    fold_of = {s.article: f for s, f in zip(items, folds)}
    oofs: dict[tuple[float, float], np.ndarray] = {}
    grid_scores: dict[tuple[float, float], float] = {}
    for scale, l2 in grid:
        trial = replace(settings, dense_scale=scale, l2=l2)
        oof = np.zeros((len(items), len(labels)))
        for k in range(FOLDS):
            fit_idx = [i for i, f in enumerate(folds) if f != k]
            out_idx = [i for i, f in enumerate(folds) if f == k]
            if not fit_idx or not out_idx:
                continue
            extra = [j for j, a in enumerate(whole_articles) if fold_of[a] != k]
            model, embedder = _fit([texts[i] for i in fit_idx] + [whole_texts[j] for j in extra] + weak_texts,
                                   [rows[i] for i in fit_idx] + [whole_rows[j] for j in extra] + weak_rows,
                                   [gold[i] for i in fit_idx] + [NONE_LABEL] * len(extra) + weak_gold, labels, trial)
            oof[out_idx] = _predict(model, embedder, [texts[i] for i in out_idx], [rows[i] for i in out_idx])
        oofs[(scale, l2)] = oof
        grid_scores[(scale, l2)] = _best_typing(gold, rules, oof, labels)
    best = max(grid, key=lambda g: (round(grid_scores[g], 4), -g[1]))
    lexical = max((g for g in grid if not g[0]), key=lambda g: (round(grid_scores[g], 4), -g[1]))

    # 3. the pipeline's two thresholds, on each final setting's out-of-fold probabilities
    def thresholds(oof: np.ndarray) -> dict[tuple[float, float], float]:
        return {(t, d): weighted_f1(gold, [decide(r, p, labels, t, d) if r else NONE_LABEL for r, p in zip(rules, oof)])
                for t in THRESHOLDS for d in THRESHOLDS}

    cv_rules = weighted_f1(gold, [r or NONE_LABEL for r in rules])

    # 4. the final models
    counts = {lab: gold.count(lab) for lab in labels if gold.count(lab)}
    models, cv_scores = [], {}
    for scale, l2 in (best, lexical):
        scores = thresholds(oofs[(scale, l2)])
        cv_scores = cv_scores or scores  # the card shows the shipped model's table
        threshold, drop = max(scores, key=lambda td: (round(scores[td], 4), td))
        chosen = replace(settings, dense_scale=scale, l2=l2)
        model, _ = _fit(texts + whole_texts + weak_texts, rows + whole_rows + weak_rows,
                        gold + [NONE_LABEL] * len(whole_texts) + weak_gold, labels, chosen)
        model.threshold, model.drop_threshold = threshold, drop
        model.meta.update({"seed": chosen.seed, "epochs": chosen.epochs, "l2": chosen.l2, "dense_scale": scale,
                           "train_sentences": len(items), "whole_no_violence_texts": len(whole_texts),
                           "weak_sentences": len(weak_rows),
                           "cv_weighted_f1": round(grid_scores[(scale, l2)], 4),
                           "threshold_cv_weighted_f1": round(scores[(threshold, drop)], 4)})
        models.append(model)
    return TrainResult(models[0], models[1], grid_scores, cv_scores, cv_rules, len(items), len(weak_rows),
                       time.perf_counter() - began, replace(settings, dense_scale=best[0], l2=best[1]), counts, note)
