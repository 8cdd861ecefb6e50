"""Run the evaluation tasks and combine them into one table (``vigil eval``).

Tasks (``TASKS``) and the files they read in the development directory:

* ``re3d``: ``re3d-dev.conll``, entity mentions per re3d type (``vigil.evaluation.re3d``),
  with a micro row and a macro row (unweighted mean over types present in gold);
* ``muc4``: ``muc4-dev.json``, document-level role fillers (``vigil.evaluation.muc4``);
* ``wikievents``: ``wikievents-dev.jsonl``, attack detection (task ``wikievents-event``)
  and attack arguments (task ``wikievents-arg``) (``vigil.evaluation.wikievents``);
* ``events``: the held-back split of Vigil's own labelled ACLED sentences, shipped in the
  package (``vigil/nlp/learned/data/acled_sentences.jsonl``; ``vigil.evaluation.events``).

A task whose file (or module) is missing is listed in ``EvalReport.skipped`` with the
reason instead of failing the whole run.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from vigil.evaluation.scoring import Score, macro_f1, micro

TASKS: tuple[str, ...] = ("re3d", "muc4", "wikievents", "events")

TASK_FILES: dict[str, str] = {
    "re3d": "re3d-dev.conll",
    "muc4": "muc4-dev.json",
    "wikievents": "wikievents-dev.jsonl",
    # an absolute path: ``dev_dir / path`` is the package file itself
    "events": str(Path(__file__).resolve().parents[1] / "nlp" / "learned" / "data" / "acled_sentences.jsonl"),
}


@dataclass
class Row:
    """One line of the report table. ``tp``/``fp``/``fn`` are None on macro rows."""

    task: str
    type: str
    precision: float
    recall: float
    f1: float
    support: int
    tp: int | None = None
    fp: int | None = None
    fn: int | None = None

    @classmethod
    def from_score(cls, s: Score) -> "Row":
        return cls(s.task, s.type, s.precision, s.recall, s.f1, s.support, s.tp, s.fp, s.fn)


@dataclass
class EvalReport:
    """The combined table plus what was run, on what, and how long it took."""

    rows: list[Row] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    # ------------------------------------------------------------ renderings
    def to_dict(self) -> dict:
        return {
            "rows": [asdict(r) for r in self.rows],
            "skipped": self.skipped,
            "files": self.files,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    def to_markdown(self) -> str:
        lines = [
            "| task | type | precision | recall | F1 | support |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for r in self.rows:
            bold = "**" if r.type in ("micro", "macro") else ""
            lines.append(
                f"| {r.task} | {bold}{r.type}{bold} | {r.precision:.3f} | {r.recall:.3f} | {bold}{r.f1:.3f}{bold} | {r.support} |"
            )
        for task, reason in self.skipped.items():
            lines.append(f"| {task} | skipped: {reason} | | | | |")
        return "\n".join(lines) + "\n"

    def to_rich(self):
        """A ``rich.table.Table`` (print it with ``rich.console.Console().print``)."""
        from rich.table import Table

        table = Table(title="Vigil evaluation (development sets)")
        table.add_column("task")
        table.add_column("type")
        for name in ("precision", "recall", "F1", "support"):
            table.add_column(name, justify="right")
        previous = None
        for r in self.rows:
            if previous is not None and r.task != previous:
                table.add_section()
            previous = r.task
            style = "bold" if r.type in ("micro", "macro") else None
            table.add_row(r.task, r.type, f"{r.precision:.3f}", f"{r.recall:.3f}", f"{r.f1:.3f}", str(r.support), style=style)
        for task, reason in self.skipped.items():
            table.add_row(task, f"skipped: {reason}", "", "", "", "", style="dim")
        return table


def macro_row(task: str, scores: Sequence[Score]) -> Row:
    """Unweighted mean over the types present in gold (``scoring.macro_f1`` for F1)."""
    present = [s for s in scores if s.support]
    n = len(present) or 1
    return Row(
        task,
        "macro",
        sum(s.precision for s in present) / n,
        sum(s.recall for s in present) / n,
        macro_f1(scores),
        sum(s.support for s in present),
    )


def _rows_for(scores: list[Score], with_macro: bool = False) -> list[Row]:
    """Type rows (gold support or predictions first), then micro (and macro) per task, in order of appearance."""
    rows: list[Row] = []
    tasks = list(dict.fromkeys(s.task for s in scores))
    for task in tasks:
        typed = [s for s in scores if s.task == task and s.type not in ("micro", "macro")]
        given = [s for s in scores if s.task == task and s.type == "micro"]
        rows.extend(Row.from_score(s) for s in typed if s.support or s.fp)
        if len(typed) > 1 or given:
            rows.append(Row.from_score(given[0] if given else micro(task, typed)))
        if with_macro and len(typed) > 1:
            rows.append(macro_row(task, typed))
    return rows


def _run_re3d(path: Path, extractor, limit: int | None) -> list[Score]:
    """re3d is scored with its own convention (pronouns are entities): see ``re3d_extractor``; the
    extractor's learned entity tagger, if it has one, runs there too."""
    from vigil.evaluation.re3d import evaluate_re3d, learned_settings, re3d_extractor

    return evaluate_re3d(path, re3d_extractor(learned_settings(extractor)))


def _run_muc4(path: Path, extractor, limit: int | None) -> list[Score]:
    from vigil.evaluation.muc4 import evaluate_muc4

    return evaluate_muc4(path, extractor, limit=limit)


def _run_wikievents(path: Path, extractor, limit: int | None) -> list[Score]:
    from vigil.evaluation.wikievents import evaluate_wikievents

    return evaluate_wikievents(path, extractor, limit=limit)


def _run_events(path: Path, extractor, limit: int | None) -> list[Row]:
    """Already rows: per-type rows, a weighted row per mode, the no-violence rates."""
    from vigil.evaluation.events import evaluate_events, report_rows

    return report_rows(evaluate_events(path, extractor=extractor))


RUNNERS: dict[str, Callable[[Path, object, int | None], list]] = {
    "re3d": _run_re3d,
    "muc4": _run_muc4,
    "wikievents": _run_wikievents,
    "events": _run_events,
}


def run_eval(tasks: list[str], dev_dir: Path, extractor, *, limit: int | None = None) -> EvalReport:
    """Run the named tasks (``TASKS``; empty = all) on ``dev_dir`` with one extractor.

    ``limit`` caps the documents of the MUC-4 and WikiEvents tasks (quick runs).
    Raises ValueError for an unknown task name.
    """
    tasks = list(tasks) or list(TASKS)
    unknown = [t for t in tasks if t not in TASKS]
    if unknown:
        raise ValueError(f"unknown evaluation task(s): {', '.join(unknown)} (known: {', '.join(TASKS)})")
    report = EvalReport()
    for task in tasks:
        path = Path(dev_dir) / TASK_FILES[task]
        if not path.is_file():
            report.skipped[task] = f"{path} not found"
            continue
        try:
            began = time.perf_counter()
            scores = RUNNERS[task](path, extractor, limit)
        except ModuleNotFoundError as exc:
            if exc.name != f"vigil.evaluation.{task}":
                raise
            report.skipped[task] = f"module {exc.name} not available"
            continue
        report.seconds[task] = time.perf_counter() - began
        report.files[task] = str(path)
        if scores and isinstance(scores[0], Row):
            report.rows.extend(scores)
        else:
            report.rows.extend(_rows_for(scores, with_macro=(task == "re3d")))
    return report
