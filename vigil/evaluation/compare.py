"""Several extraction modes side by side in one table (``vigil eval --compare fast,learned``).

Each mode is scored with ``run_eval`` on the same tasks; the rows are joined on (task, type),
so a line reads "this type, this support, F1 in each mode". A mode missing a row (a type it
never predicted and gold does not hold) shows a dash; precision and recall stay in each
mode's own report (``--format json`` keeps them all).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from vigil.evaluation.report import EvalReport, Row


@dataclass
class Comparison:
    """The reports of several modes, in the order asked for."""

    reports: dict[str, EvalReport] = field(default_factory=dict)

    @property
    def modes(self) -> list[str]:
        return list(self.reports)

    def lines(self) -> list[tuple[str, str, int, list[Row | None]]]:
        """(task, type, support, the row of each mode or None), in the order rows first appear."""
        keys: dict[tuple[str, str], int] = {}
        by_mode: dict[str, dict[tuple[str, str], Row]] = {}
        for mode, report in self.reports.items():
            by_mode[mode] = {}
            for row in report.rows:
                key = (row.task, row.type)
                keys.setdefault(key, row.support)
                keys[key] = max(keys[key], row.support)
                by_mode[mode][key] = row
        return [(task, type_, support, [by_mode[m].get((task, type_)) for m in self.modes])
                for (task, type_), support in keys.items()]

    def skipped(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for mode, report in self.reports.items():
            for task, reason in report.skipped.items():
                out.setdefault(task, f"{reason} ({mode})")
        return out

    def to_dict(self) -> dict:
        return {"modes": {mode: report.to_dict() for mode, report in self.reports.items()}}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    def to_markdown(self) -> str:
        head = "| task | type | support | " + " | ".join(f"F1 {m}" for m in self.modes) + " |"
        rule = "|---|---|---:|" + "---:|" * len(self.modes)
        out = [head, rule]
        for task, type_, support, rows in self.lines():
            bold = "**" if type_ in ("micro", "macro", "weighted") else ""
            cells = " | ".join(_f1(r, bold) for r in rows)
            out.append(f"| {task} | {bold}{type_}{bold} | {support} | {cells} |")
        for task, reason in self.skipped().items():
            out.append(f"| {task} | skipped: {reason} | |" + " |" * len(self.modes))
        return "\n".join(out) + "\n"

    def to_rich(self):
        """A ``rich.table.Table``."""
        from rich.table import Table

        table = Table(title="Vigil evaluation (development sets), F1 per mode")
        table.add_column("task")
        table.add_column("type")
        table.add_column("support", justify="right")
        for mode in self.modes:
            table.add_column(f"F1 {mode}", justify="right")
        previous = None
        for task, type_, support, rows in self.lines():
            if previous is not None and task != previous:
                table.add_section()
            previous = task
            style = "bold" if type_ in ("micro", "macro", "weighted") else None
            table.add_row(task, type_, str(support), *(_f1(r) for r in rows), style=style)
        for task, reason in self.skipped().items():
            table.add_row(task, f"skipped: {reason}", "", *([""] * len(self.modes)), style="dim")
        return table


def _f1(row: Row | None, bold: str = "") -> str:
    return "-" if row is None else f"{bold}{row.f1:.3f}{bold}"


def parse_modes(spec: str) -> list[tuple[str, str]]:
    """"fast,learned,learned:ensemble" -> [("fast", "auto"), ("learned", "auto"), ("learned", "ensemble")];
    "roles" (and "roles:TAGGER") is the learned mode with the role tagger."""
    modes: list[tuple[str, str]] = []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        mode, _, tagger = item.partition(":")
        if mode not in ("fast", "learned", "roles") or (tagger and mode == "fast"):
            raise ValueError(f"{item!r}: a mode is fast, learned, roles, or learned:TAGGER (crf, encoder, ensemble)")
        modes.append((mode, tagger or "auto"))
    if not modes:
        raise ValueError("--compare needs at least one mode, e.g. fast,learned")
    return modes


def label(mode: str, tagger: str) -> str:
    return mode if tagger == "auto" else f"{mode}:{tagger}"


def compare(reports: Sequence[tuple[str, EvalReport]]) -> Comparison:
    return Comparison(dict(reports))
