"""``vigil train``: reproduce the shipped learned models with fixed seeds, print their scores."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

train_app = typer.Typer(help="Train the learned extraction models (fixed seeds) and write their model cards.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


@train_app.command("events")
def train_events_command(
    data: Optional[Path] = typer.Option(None, help="Labelled sentences (default: the set shipped in vigil/nlp/learned/data)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Model file to write (default: the shipped events_model.json.gz); its numpy-only fall-back goes next to it as *_lexical.json.gz."),
    seed: int = typer.Option(13, help="Random seed."),
    limit: Optional[int] = typer.Option(None, help="Train on the first N train sentences only (quick runs)."),
) -> None:
    """Train the ACLED sub-event classifier (settings and thresholds by cross-validation on train), score it on the held-back split, write the models and their card.

    Example: vigil train events --output /tmp/events_model.json.gz
    """
    from vigil.errors import VigilError
    from vigil.nlp.learned.events_model import TrainSettings
    from vigil.nlp.learned.events_report import train_and_report

    try:
        with err.status("Training the event-type classifier..."):
            card = train_and_report(data, output, TrainSettings(seed=seed), limit=limit)
    except VigilError as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from error
    out.out(card, highlight=False)


@train_app.command("ner")
def train_ner_command(
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Folder for the model files and MODEL_CARD.md (default: the shipped vigil/nlp/learned/models/ner)."),
    seed: int = typer.Option(13, help="Random seed."),
    epochs: Optional[int] = typer.Option(None, help="Encoder epochs (default: the setting the shipped model used)."),
    kind: list[str] = typer.Option(["crf", "encoder"], "--kind", "-k", help="crf and/or encoder (repeatable; encoder needs the ml extra)."),
    dev_dir: Optional[Path] = typer.Option(None, help="Folder with re3d-train.conll and re3d-dev.conll (default: VIGIL_DEV_DATA or ../shared/data/dev)."),
    limit: Optional[int] = typer.Option(None, help="Use only the first N train and dev sentences (quick runs)."),
) -> None:
    """Train the entity taggers on re3d train (fixed seeds), score them on re3d dev, write the models and their card.

    Example: vigil train ner --out /tmp/ner --kind crf
    """
    from vigil.errors import VigilError
    from vigil.evaluation.datasets import find_dev_dir
    from vigil.evaluation.scoring import macro_f1, micro
    from vigil.nlp.learned.ner_model import MODEL_DIR
    from vigil.nlp.learned.training import DEFAULT_EPOCHS, train_ner

    folder = dev_dir or find_dev_dir()
    if folder is None:
        err.print("[red]error:[/red] development data not found; pass --dev-dir or set VIGIL_DEV_DATA", highlight=False)
        raise typer.Exit(1)
    try:
        with err.status("Training the entity taggers...") as status:
            result = train_ner(Path(folder), out_dir or MODEL_DIR, seed=seed, epochs=epochs or DEFAULT_EPOCHS, kinds=kind,
                               limit=limit, progress=status.update)
    except VigilError as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from error
    rows = [("rules", result.rules_scores)] + [(r.kind, r.scores) for r in result.reports]
    for name, scores in rows:
        total = micro("re3d", scores)
        out.print(f"re3d dev, {name:<8} micro-F1 {total.f1:.3f} (P {total.precision:.3f}, R {total.recall:.3f}), macro-F1 {macro_f1(scores):.3f}",
                  highlight=False)
    err.print(f"Models and MODEL_CARD.md written to {result.out_dir}", highlight=False)


@train_app.command("roles")
def train_roles_command(
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Folder for the model files and MODEL_CARD.md (default: the shipped vigil/nlp/learned/models/roles)."),
    seed: int = typer.Option(13, help="Random seed (which train documents are held out to choose the decoding)."),
    dev_dir: Optional[Path] = typer.Option(None, help="Folder with muc4-train.json and muc4-dev.json (default: VIGIL_DEV_DATA or ../shared/data/dev)."),
    limit: Optional[int] = typer.Option(None, help="Use only the first N train and dev documents (quick runs)."),
) -> None:
    """Train the MUC-4 event-role tagger on MUC-4 train (decoding chosen on held-out train), score it on MUC-4 dev, write the model and its card.

    Example: vigil train roles --out /tmp/roles
    """
    from vigil.errors import VigilError
    from vigil.evaluation.datasets import find_dev_dir
    from vigil.nlp.learned.roles_model import MODEL_DIR
    from vigil.nlp.learned.roles_report import train_roles

    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        err.print("[red]error:[/red] the role tagger needs python-crfsuite: pip install 'vigil\\[ml]'", highlight=False)
        raise typer.Exit(1) from None
    folder = dev_dir or find_dev_dir()
    if folder is None or not (Path(folder) / "muc4-train.json").is_file():
        err.print("[red]error:[/red] muc4-train.json not found; pass --dev-dir or set VIGIL_DEV_DATA", highlight=False)
        raise typer.Exit(1)
    dev = Path(folder) / "muc4-dev.json"
    try:
        with err.status("Training the event-role tagger..."):
            report = train_roles(Path(folder) / "muc4-train.json", dev if dev.is_file() else None, out_dir, seed=seed, limit=limit)
    except VigilError as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from error
    held = report.held_out[-1]
    out.print(f"MUC-4 held-out train ({report.n_held_out} docs), tagger: micro-F1 {held.f1:.3f} (P {held.precision:.3f}, R {held.recall:.3f})", highlight=False)
    rows = (("tagger", report.dev_direct), ("pipeline+roles", report.dev_pipeline),
            ("  policy=replace", report.dev_pipeline_replace), ("rules", report.dev_rules))
    for name, scores in rows:
        if scores:
            line = ", ".join(f"{s.type} {s.f1:.3f}" for s in scores[:-1])
            total = scores[-1]
            out.print(f"MUC-4 dev, {name:<16} micro-F1 {total.f1:.3f} (P {total.precision:.3f}, R {total.recall:.3f}); {line}", highlight=False)
    err.print(f"Model and MODEL_CARD.md written to {out_dir or MODEL_DIR}", highlight=False)
