"""A multinomial logistic regression over sparse binary features (plus an optional dense block), in numpy.

Small on purpose: the weights of a few thousand features by 26 labels fit in a few
hundred kilobytes (gzip'd JSON, shipped in the package), load in milliseconds and
need nothing beyond numpy at run time. Training is full-batch gradient descent with
Adam and an L2 penalty, deterministic for a given seed.

The dense block (``dense_dim`` columns, multiplied by ``dense_scale``) takes sentence
vectors (``events_embed``); a model without it reads the binary features only.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vigil.errors import DataFileError

FORMAT = "vigil-events-logreg-v2"
FORMATS = ("vigil-events-logreg-v1", FORMAT)


@dataclass
class TrainSettings:
    epochs: int = 300
    learning_rate: float = 0.05
    l2: float = 1e-4
    seed: int = 13
    dense_scale: float = 3.0  # weight of the sentence vector against the binary features (0: none)


class EventTypeModel:
    """Feature names -> probabilities over labels; ``threshold`` decides when to trust it."""

    def __init__(self, vocab: Sequence[str], labels: Sequence[str], weights: np.ndarray, bias: np.ndarray,
                 threshold: float = 0.5, meta: dict | None = None, dense_dim: int = 0, dense_scale: float = 1.0,
                 drop_threshold: float | None = None) -> None:
        self.vocab = list(vocab)
        self.index = {f: i for i, f in enumerate(self.vocab)}
        self.labels = list(labels)
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.threshold = threshold  # relabel a rule event when the top label's probability reaches it
        self.drop_threshold = threshold if drop_threshold is None else drop_threshold  # ... and drop it (NONE)
        self.meta = meta or {}
        self.dense_dim = dense_dim
        self.dense_scale = dense_scale

    # -- features ------------------------------------------------------------------
    def matrix(self, rows: Sequence[set[str]], dense: np.ndarray | None = None) -> np.ndarray:
        """Rows of binary features (and the scaled dense block) as one matrix (rows are short texts)."""
        x = np.zeros((len(rows), len(self.vocab) + self.dense_dim), dtype=np.float32)
        for r, feats in enumerate(rows):
            cols = [self.index[f] for f in feats if f in self.index]
            if cols:
                x[r, cols] = 1.0
        if self.dense_dim:
            if dense is None or dense.shape != (len(rows), self.dense_dim):
                raise ValueError(f"this model needs a {self.dense_dim}-wide sentence vector per row")
            x[:, len(self.vocab):] = dense * self.dense_scale
        return x

    def proba(self, rows: Sequence[set[str]], dense: np.ndarray | None = None) -> np.ndarray:
        if not rows:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return softmax(self.matrix(rows, dense) @ self.weights + self.bias)

    # -- training -------------------------------------------------------------------------
    @classmethod
    def fit(cls, rows: Sequence[set[str]], labels: Sequence[str], vocab: Sequence[str], label_set: Sequence[str],
            settings: TrainSettings = TrainSettings(), threshold: float = 0.5,
            dense: np.ndarray | None = None) -> "EventTypeModel":
        """``dense``: one sentence vector per row, or None for a binary-features-only model."""
        width = 0 if dense is None else dense.shape[1]
        model = cls(vocab, label_set, np.zeros((len(vocab) + width, len(label_set))), np.zeros(len(label_set)), threshold,
                    dense_dim=width, dense_scale=settings.dense_scale if width else 1.0)
        x = model.matrix(rows, dense)
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
            "drop_threshold": self.drop_threshold,
            "dense_dim": self.dense_dim,
            "dense_scale": self.dense_scale,
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
        if data.get("format") not in FORMATS:
            raise DataFileError(f"{path}: not a {FORMAT} model")
        return cls(data["vocab"], data["labels"], np.array(data["weights"]), np.array(data["bias"]),
                   data["threshold"], data.get("meta"), data.get("dense_dim", 0), data.get("dense_scale", 1.0),
                   data.get("drop_threshold"))


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
