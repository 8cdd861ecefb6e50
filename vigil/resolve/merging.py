"""Average-link agglomeration of one component: which two groups of mentions to merge next.

Used by ``clusters.Clusterer``. Two groups can only merge when their average
link probability reaches the threshold, so at least one pair between them is an
edge (a pair scored at or above the threshold): only groups an edge joins are
ever compared, and the probabilities of their cross pairs are summed when first
needed. The best merge comes from a heap; entries made stale by a merge are
skipped. A component of thousands of mentions costs about its edges and the
pairs inside the groups they join, not the square (or cube) of its size.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from vigil.resolve.records import MergeStep


@dataclass
class Group:
    """Mentions clustered so far, the merges that joined them and the analyst decisions behind them."""

    members: list[str]
    merges: list[MergeStep]
    decisions: set[str]


class Merging:
    """One component's agglomeration: the groups, which ones an edge joins, their cross sums, the heap.

    ``probability(a, b)`` is a pair's link probability, None when a hard rule or
    an analyst keeps the two apart (their groups may then never merge).
    """

    def __init__(self, groups: list[Group], probability: Callable[[str, str], float | None], threshold: float) -> None:
        self.groups, self.probability, self.threshold = groups, probability, threshold
        self.alive = set(range(len(groups)))
        self.version = [0] * len(groups)
        self.neighbours: dict[int, set[int]] = defaultdict(set)
        self.totals: dict[tuple[int, int], float | None] = {}
        self.heap: list[tuple[float, str, str, int, int, int, int]] = []

    def connect(self, i: int, j: int) -> None:
        """Groups ``i`` and ``j`` share an edge."""
        if i != j:
            self.neighbours[i].add(j)
            self.neighbours[j].add(i)

    def total(self, i: int, j: int) -> float | None:
        """Sum of the probabilities between the members of two groups; None when a pair is ruled out."""
        pair = (min(i, j), max(i, j))
        if pair not in self.totals:
            found: float | None = 0.0
            for a in self.groups[i].members:
                for b in self.groups[j].members:
                    probability = self.probability(a, b)
                    if probability is None:
                        found = None
                        break
                    found += probability  # type: ignore[operator]
                if found is None:
                    break
            self.totals[pair] = found
        return self.totals[pair]

    def offer(self, i: int, j: int) -> None:
        total = self.total(i, j)
        if total is None:
            return
        score = total / (len(self.groups[i].members) * len(self.groups[j].members))
        if score >= self.threshold:
            i, j = min(i, j), max(i, j)
            key = (-score, min(self.groups[i].members), min(self.groups[j].members), i, j, self.version[i], self.version[j])
            heapq.heappush(self.heap, key)

    def best(self) -> tuple[float, int, int] | None:
        """The merge with the highest average (ties: by the groups' smallest members), skipping stale entries."""
        while self.heap:
            neg, _, _, i, j, version_i, version_j = heapq.heappop(self.heap)
            if i in self.alive and j in self.alive and (version_i, version_j) == (self.version[i], self.version[j]):
                return -neg, i, j
        return None

    def join(self, keep: int, gone: int, merged: Group) -> None:
        """Group ``gone`` becomes part of ``keep`` (now ``merged``): combine their sums, offer ``keep``'s merges anew."""
        partners = (self.neighbours.pop(keep, set()) | self.neighbours.pop(gone, set())) - {keep, gone}
        combined = {}
        for other in partners:
            first, second = self.total(keep, other), self.total(gone, other)
            combined[other] = None if first is None or second is None else first + second
        for old in (keep, gone):  # totals are only ever taken between neighbours
            for other in partners | {keep, gone}:
                self.totals.pop((min(old, other), max(old, other)), None)
        self.groups[keep] = merged
        self.alive.discard(gone)
        self.version[keep] += 1
        for other in sorted(partners):
            self.neighbours[other].discard(gone)
            self.connect(keep, other)
            self.totals[(min(keep, other), max(keep, other))] = combined[other]
            self.offer(keep, other)


