"""The event-type classifier as the pipeline and the scorer use it: model + sentence vectors, or the fall-back.

Two model files ship side by side: ``events_model.json.gz`` reads the binary features and
a word-piece sentence vector (``events_embed``, needs the ``ml`` extra but not torch);
``events_model_lexical.json.gz`` reads the binary features only and runs on numpy alone.
``load_typer`` picks the first where its inputs can be computed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from vigil.nlp.learned.events_embed import WordPieceEmbedder, embedder_unavailable
from vigil.nlp.learned.events_features import features
from vigil.nlp.learned.events_model import EventTypeModel

MODEL_FILE = "events_model.json.gz"
FALLBACK_FILE = "events_model_lexical.json.gz"


def default_model_path() -> Path:
    return Path(str(resources.files("vigil.nlp").joinpath("learned", "data", MODEL_FILE)))


def fallback_path(path: Path) -> Path:
    """The lexical model written next to a model file (``x.json.gz`` -> ``x_lexical.json.gz``)."""
    stem = path.name.split(".")[0]
    return path.with_name(stem + "_lexical" + path.name[len(stem):])


@dataclass
class EventTyper:
    """Evidence texts and the rules' types -> probabilities over the model's labels."""

    model: EventTypeModel
    embedder: WordPieceEmbedder | None = None

    @property
    def labels(self) -> list[str]:
        return self.model.labels

    @property
    def threshold(self) -> float:
        return self.model.threshold

    def proba(self, texts: Sequence[str], rule_types: Sequence[str | None]) -> np.ndarray:
        rows = [features(t, r) for t, r in zip(texts, rule_types)]
        dense = self.embedder.vectors(texts) if self.embedder is not None and rows else None
        return self.model.proba(rows, dense)


def typer_from(model: EventTypeModel) -> EventTyper:
    """Pair a model with the sentence vectors it was trained on (none for a lexical model)."""
    meta = model.meta.get("embedding")
    return EventTyper(model, WordPieceEmbedder.from_meta(meta) if model.dense_dim and meta else None)


def read_typer(path: Path | None = None) -> EventTyper:
    """The shipped (or named) model, or its lexical fall-back where the ml extra is missing (read now)."""
    main = Path(path) if path else default_model_path()
    model = EventTypeModel.load(main)
    if model.dense_dim and embedder_unavailable():
        model = EventTypeModel.load(fallback_path(main))
    return typer_from(model)


@lru_cache(maxsize=4)
def load_typer(path: str | None = None) -> EventTyper:
    """``read_typer``, once per process and path (what the pipeline component uses)."""
    return read_typer(Path(path) if path else None)
