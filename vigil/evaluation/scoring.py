"""Precision / recall / F1 bookkeeping shared by every evaluation task."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@dataclass
class Score:
    """Counts for one (task, type) cell of the evaluation table."""

    task: str
    type: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn


def micro(task: str, scores: Iterable[Score]) -> Score:
    """Pool the counts of all types (micro average)."""
    total = Score(task, "micro")
    for s in scores:
        total.add(s.tp, s.fp, s.fn)
    return total


def macro_f1(scores: Iterable[Score]) -> float:
    """Unweighted mean F1 over types that occur in the gold data."""
    values = [s.f1 for s in scores if s.support]
    return sum(values) / len(values) if values else 0.0
