"""Train the event-role tagger on MUC-4 train and choose its decoding on held-out train documents.

Procedure (``train_roles``; all choices on TRAIN, dev only scored at the end):
1. Annotate MUC-4 train with the rule pipeline (fast mode) and project the gold
   fillers onto tokens (``roles_data``).
2. Hold out a seeded fifth of the train documents; train a CRF on the rest; choose the
   per-role thresholds and the cap on entities per role that maximise micro F1 of the
   held-out fifth (coordinate ascent over a grid).
3. Train the shipped CRF on all train documents with the same settings; the held-out
   choices go with it in ``settings.json``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from vigil.evaluation.datasets import Muc4Doc
from vigil.evaluation.muc4 import score_entities
from vigil.evaluation.scoring import Score
from vigil.nlp.learned.roles_data import ROLE_KEYS, ROLES, RoleDocument
from vigil.nlp.learned.roles_decode import DecodeSettings, Entity, RoleSpan, decode

THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
CAPS = (0, 1, 2, 3)
HELD_OUT = 0.2


def split_held_out(ids: Sequence[str], seed: int, fraction: float = HELD_OUT) -> set[str]:
    """A seeded random ``fraction`` of the document ids."""
    shuffled = list(ids)
    random.Random(seed).shuffle(shuffled)
    return set(shuffled[: round(len(shuffled) * fraction)])


def as_predicted(entities: dict[str, list[Entity]]) -> dict[str, list[set[str]]]:
    """Tagger entities in the shape ``muc4.score_entities`` reads (role keys, string sets)."""
    return {ROLE_KEYS[role]: [e.strings for e in found] for role, found in entities.items()}


def score_spans(gold: Sequence[Muc4Doc], spans: dict[str, list[RoleSpan]], settings: DecodeSettings) -> list[Score]:
    return score_entities(gold, {doc.id: as_predicted(decode(spans.get(doc.id, []), settings, doc.text)) for doc in gold})


def choose_decoding(gold: Sequence[Muc4Doc], spans: dict[str, list[RoleSpan]], rounds: int = 2) -> DecodeSettings:
    """Per-role thresholds and the entity cap maximising held-out micro F1 (coordinate ascent, ties: lower value)."""
    best = DecodeSettings({role: 0.1 for role in ROLES}, merge_nested=True, max_per_role=0)

    def f1(settings: DecodeSettings) -> float:
        return score_spans(gold, spans, settings)[-1].f1

    best_f1 = f1(best)
    for _ in range(rounds):
        for role in ROLES:
            for value in THRESHOLDS:
                trial = DecodeSettings({**best.thresholds, role: value}, best.merge_nested, best.max_per_role, best.merge_acronyms)
                if (score := f1(trial)) > best_f1 + 1e-9:
                    best, best_f1 = trial, score
        for cap in CAPS:
            trial = DecodeSettings(dict(best.thresholds), best.merge_nested, cap, best.merge_acronyms)
            if (score := f1(trial)) > best_f1 + 1e-9:
                best, best_f1 = trial, score
    return best


def document_spans(model, documents: Sequence[RoleDocument]) -> dict[str, list[RoleSpan]]:
    return {d.id: model.spans(d) for d in documents}


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start
