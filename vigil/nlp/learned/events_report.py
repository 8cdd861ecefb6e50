"""Train, save and score the event-type classifier, and write its model card (``vigil train events``)."""

from __future__ import annotations

from pathlib import Path

from vigil.nlp.learned.events_model import TrainSettings
from vigil.nlp.learned.events_train import CARD_FILE, TrainResult, default_model_path, train_events


def train_and_report(data: Path | None = None, output: Path | None = None, settings: TrainSettings = TrainSettings(),
                     limit: int | None = None) -> str:
    """Returns the model card (Markdown), also written next to the model as ``events_model_card.md``."""
    from vigil.evaluation.events import evaluate_events
    from vigil.nlp.pipeline import Extractor

    extractor = Extractor()
    result = train_events(data, settings=settings, limit=limit, extractor=extractor)
    path = Path(output) if output else default_model_path()
    result.model.save(path)
    scores = evaluate_events(data, path, extractor)
    card = model_card(result, scores, path)
    card_path = path.with_name(CARD_FILE) if output is None else path.with_name(path.name.split(".")[0] + "_card.md")
    card_path.write_text(card, "utf-8")
    return card


def model_card(result: TrainResult, scores: dict, path: Path) -> str:
    s = result.settings
    lines = [
        "# Model card: ACLED sub-event classifier (`vigil_events_learned`)",
        "",
        f"File: `{path.name}` ({path.stat().st_size // 1024} kB). Reproduce: `vigil train events` (seed {s.seed}).",
        "",
        "**Model**: multinomial logistic regression (numpy) over binary features of the event's evidence",
        "text: words, word pairs, the rule lexicon's trigger phrases per sub-event type, its blockers and",
        "actor nouns, and the rule component's own sub-event type. "
        f"{len(result.model.vocab)} features x {len(result.model.labels)} labels (25 ACLED sub-event types + NONE).",
        f"Training: Adam, {s.epochs} full-batch epochs, learning rate {s.learning_rate}, L2 {s.l2}, seed {s.seed}; "
        f"{result.seconds:.0f} s on CPU.",
        "",
        "**Data**: `acled_sentences.jsonl` (see `ANNOTATION.md`): sentences from English Wikinews (CC BY 2.5,",
        "\"Wikinews contributors\", article URL kept per sentence) and sentences written for Vigil, labelled by",
        f"hand. Train split: {result.n_train} sentences; weak (rule-labelled) sentences added: {result.n_weak}.",
        "",
        f"**Threshold**: the classifier's label is used when its probability is >= {result.model.threshold};"
        " below it the rule's type is kept. Chosen by 5-fold cross-validation on the train split (folds by",
        "article), maximising weighted F1 of that decision:",
        "",
        "| threshold | CV weighted F1 |",
        "|---:|---:|",
    ]
    lines += [f"| {t} | {f:.3f} |" for t, f in sorted(result.cv_scores.items())]
    lines += [f"| rules alone | {result.cv_rules:.3f} |", "",
              f"## Held-back split ({scores['sentences']} sentences, never used for training or the threshold)", "",
              "| mode | weighted precision | weighted recall | weighted F1 |", "|---|---:|---:|---:|"]
    for mode, data in scores["modes"].items():
        p, r, f, _ = data["weighted"]
        lines.append(f"| {mode} | {p:.3f} | {r:.3f} | {f:.3f} |")
    lines += ["", "`events-rules`: rules alone; `events-typing`: classifier with the rules as feature and fall-back,",
              "on every sentence; `events-pipeline`: the classifier as the pipeline uses it (relabels or drops the",
              "rules' events, adds none).", "", "No-violence texts (held back) that still yield an event:", ""]
    for mode, (rate, n) in scores["noviolence"].items():
        lines.append(f"- {mode}: {rate:.0%} of {n} texts")
    lines += ["", "Per type (`events-pipeline`):", "", "| type | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    for sc in scores["modes"]["events-pipeline"]["scores"]:
        lines.append(f"| {sc.type} | {sc.precision:.3f} | {sc.recall:.3f} | {sc.f1:.3f} | {sc.support} |")
    lines += ["", "**Limits**: a small set (one annotator, ~1,000 sentences); many labels depend on the article",
              "around the sentence, which the classifier does not see. Rare types have a handful of examples.", ""]
    return "\n".join(lines)
