"""A multinomial logistic regression over sparse binary features, in numpy.

Small on purpose: the weights of a few thousand features by 26 labels fit in a few
hundred kilobytes (gzip'd JSON, shipped in the package), load in milliseconds and
need nothing beyond numpy at run time. Training is full-batch gradient descent with
Adam and an L2 penalty, deterministic for a given seed.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vigil.errors import DataFileError

FORMAT = "vigil-events-logreg-v1"


@dataclass
class TrainSettings:
    epochs: int = 150
    learning_rate: float = 0.05
    l2: float = 1e-4
    seed: int = 13


class EventTypeModel:
    """Feature names -> probabilities over labels; ``threshold`` decides when to trust it."""

    def __init__(self, vocab: Sequence[str], labels: Sequence[str], weights: np.ndarray, bias: np.ndarray,
                 threshold: float = 0.5, meta: dict | None = None) -> None:
        self.vocab = list(vocab)
        self.index = {f: i for i, f in enumerate(self.vocab)}
        self.labels = list(labels)
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.threshold = threshold
        self.meta = meta or {}

    # -- features ------------------------------------------------------------------
    def matrix(self, rows: Sequence[set[str]]) -> np.ndarray:
        """Rows of binary features as a dense matrix (rows are short texts)."""
        x = np.zeros((len(rows), len(self.vocab)), dtype=np.float32)
        for r, feats in enumerate(rows):
            cols = [self.index[f] for f in feats if f in self.index]
            if cols:
                x[r, cols] = 1.0
        return x

    def proba(self, rows: Sequence[set[str]]) -> np.ndarray:
        if not rows:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return softmax(self.matrix(rows) @ self.weights + self.bias)

    # -- training -------------------------------------------------------------------------
    @classmethod
    def fit(cls, rows: Sequence[set[str]], labels: Sequence[str], vocab: Sequence[str], label_set: Sequence[str],
            settings: TrainSettings = TrainSettings(), threshold: float = 0.5) -> "EventTypeModel":
        model = cls(vocab, label_set, np.zeros((len(vocab), len(label_set))), np.zeros(len(label_set)), threshold)
        x = model.matrix(rows)
        y = np.zeros((len(rows), len(label_set)), dtype=np.float32)
        where = {lab: i for i, lab in enumerate(label_set)}
        y[np.arange(len(rows)), [where[lab] for lab in labels]] = 1.0
        rng = np.random.default_rng(settings.seed)
        w = rng.normal(0, 0.01, size=(x.shape[1], y.shape[1])).astype(np.float32)
        b = np.zeros(y.shape[1], dtype=np.float32)
        state = [np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)]
        beta1, beta2, eps = 0.9, 0.999, 1e-8
        n = len(rows)
        for step in range(1, settings.epochs + 1):
            p = softmax(x @ w + b)
            grad = (p - y) / n
            gw = x.T @ grad + settings.l2 * w
            gb = grad.sum(axis=0)
            for k, (g, param) in enumerate(((gw, w), (gb, b))):
                m, v = state[2 * k], state[2 * k + 1]
                m *= beta1
                m += (1 - beta1) * g
                v *= beta2
                v += (1 - beta2) * g * g
                param -= settings.learning_rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + eps)
        model.weights, model.bias = w, b
        return model

    # -- persistence ----------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write gzip'd JSON; only non-zero weights of features that matter are kept compact by rounding."""
        data = {
            "format": FORMAT,
            "labels": self.labels,
            "vocab": self.vocab,
            "threshold": self.threshold,
            "meta": self.meta,
            "bias": [round(float(v), 5) for v in self.bias],
            "weights": [[round(float(v), 4) for v in row] for row in self.weights],
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
        with gzip.open(tmp, "wt", encoding="utf-8") as f:
            json.dump(data, f, separators=(",", ":"))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> "EventTypeModel":
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, EOFError, json.JSONDecodeError) as exc:
            raise DataFileError(f"{path}: cannot read the event-type model ({exc}); run `vigil train events`") from exc
        if data.get("format") != FORMAT:
            raise DataFileError(f"{path}: not a {FORMAT} model")
        return cls(data["vocab"], data["labels"], np.array(data["weights"]), np.array(data["bias"]),
                   data["threshold"], data.get("meta"))


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
