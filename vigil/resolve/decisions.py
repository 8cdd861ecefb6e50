"""Analyst decisions as constraints that automatic clustering never overrides.

Three kinds (``records.Decision``): ``must_link`` (these mentions report one
event), ``cannot_link`` (no two of them do), ``pin`` (these mentions belong to
the analyst's cluster ``label``; mentions pinned to different labels never
share a cluster, and a later pin of a mention replaces its earlier pin). A
``retract`` decision undoes an earlier one by id, so every merge and split an
analyst makes can be reversed. A decision that contradicts the ones in force
(must-link two mentions that a cannot-link separates, directly or through a
chain) is refused with ``DecisionConflict`` naming both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

from vigil.errors import VigilError
from vigil.resolve.records import Decision


class DecisionConflict(VigilError):
    """A decision contradicts the analyst decisions already in force."""


def decision_id(kind: str, mentions: Sequence[str], label: str | None = None, retracts: str | None = None,
                at: dt.datetime | None = None) -> str:
    """A stable id from the decision's content and, when given, its time.

    Without a time the same decision made twice has one id; with one (as the
    store records them), a decision made again after a retraction is a new
    decision, not the retracted one.
    """
    key = json.dumps([kind, sorted(mentions), label, retracts] + ([at.isoformat()] if at else []))
    return f"dec-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:12]}"


def make_decision(kind: str, mentions: Sequence[str] = (), **fields: object) -> Decision:
    """A decision with its content-derived id."""
    label = fields.get("label")
    retracts = fields.get("retracts")
    at = fields.get("at")
    key = decision_id(kind, mentions, label, retracts, at if isinstance(at, dt.datetime) else None)  # type: ignore[arg-type]
    return Decision(id=key, kind=kind, mentions=list(mentions), **fields)  # type: ignore[arg-type]


def split_decisions(groups: Sequence[Sequence[str]], label_prefix: str, **fields: object) -> list[Decision]:
    """Split a cluster: pin each group of mentions to its own label (``<prefix>-1``, ``<prefix>-2``...)."""
    return [make_decision("pin", group, label=f"{label_prefix}-{n}", **fields) for n, group in enumerate(groups, 1)]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


class Constraints:
    """The decisions in force, with the questions clustering asks of them."""

    def __init__(self, decisions: Iterable[Decision] = ()) -> None:
        self._log: list[Decision] = []
        self._refresh()
        for decision in decisions:
            self.apply(decision)

    @property
    def active(self) -> list[Decision]:
        """Decisions in force, in the order they were made (retractions applied)."""
        return list(self._active)

    def apply(self, decision: Decision) -> set[str]:
        """Put a decision in force; return the mentions whose clusters it may change."""
        if decision.kind == "retract":
            target = next((d for d in self._active if d.id == decision.retracts), None)
            if target is None:
                raise DecisionConflict(f"decision {decision.id} retracts {decision.retracts!r}, which is not in force")
            self._log.append(decision)
            self._refresh()
            return set(target.mentions)
        if decision.kind in ("must_link", "cannot_link") and len(set(decision.mentions)) < 2:
            raise DecisionConflict(f"decision {decision.id}: {decision.kind} needs two or more mentions")
        if decision.kind == "pin" and not decision.label:
            raise DecisionConflict(f"decision {decision.id}: a pin needs a label")
        if any(d.id == decision.id for d in self._active):
            return set()
        trial = Constraints()
        trial._log = self._log + [decision]
        trial._refresh()
        trial._check(decision)
        self._log.append(decision)
        self._refresh()
        return set(decision.mentions)

    def pins(self) -> dict[str, tuple[str, str]]:
        """Mention id -> (label, decision id) of its pin in force (the latest pin wins)."""
        return dict(self._pins)

    def together(self, mention: str) -> set[tuple[str, str]]:
        """(other mention, decision id) pairs that ``mention`` must share a cluster with."""
        return self._together.get(mention, set())

    def apart(self, a: str, b: str) -> str | None:
        """The id of the decision that keeps two mentions apart, if any."""
        found = self._cannot.get(frozenset((a, b)))
        if found:
            return found
        if a in self._pins and b in self._pins and self._pins[a][0] != self._pins[b][0]:
            return self._pins[b][1]
        return None

    def _refresh(self) -> None:
        retracted = {d.retracts for d in self._log if d.kind == "retract"}
        self._active = [d for d in self._log if d.kind != "retract" and d.id not in retracted]
        self._pins: dict[str, tuple[str, str]] = {}
        self._cannot: dict[frozenset[str], str] = {}
        self._together: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for decision in self._active:
            if decision.kind == "pin":
                for mention in decision.mentions:
                    self._pins[mention] = (decision.label or "", decision.id)
            elif decision.kind == "cannot_link":
                for n, a in enumerate(decision.mentions):
                    for b in decision.mentions[n + 1:]:
                        self._cannot[frozenset((a, b))] = decision.id
            elif decision.kind == "must_link":
                self._link(decision.mentions, decision.id)
        by_label: dict[str, list[str]] = defaultdict(list)
        for mention, (label, _) in sorted(self._pins.items()):
            by_label[label].append(mention)
        for members in by_label.values():
            for other in members[1:]:
                self._link([members[0], other], self._pins[other][1])

    def _link(self, mentions: Sequence[str], source: str) -> None:
        first = mentions[0]
        for other in mentions[1:]:
            self._together[first].add((other, source))
            self._together[other].add((first, source))

    def _check(self, new: Decision) -> None:
        groups = _UnionFind()
        for mention, edges in self._together.items():
            for other, _ in edges:
                groups.union(mention, other)
        for pair, source in self._cannot.items():
            a, b = sorted(pair)
            if groups.find(a) == groups.find(b):
                if source == new.id:  # name the decisions in force that keep the two together
                    root = groups.find(a)
                    binding = sorted({s for m, edges in self._together.items() if groups.find(m) == root for _, s in edges})
                    raise DecisionConflict(
                        f"decision {new.id} (cannot_link {a}, {b}) contradicts {', '.join(binding)}, "
                        "which keep them in one cluster"
                    )
                raise DecisionConflict(
                    f"decision {new.id} ({new.kind}) contradicts decision {source} (cannot_link {a}, {b}): "
                    "they would have to share a cluster"
                )
        label_of_group: dict[str, tuple[str, str]] = {}
        for mention, (label, source) in sorted(self._pins.items()):
            root = groups.find(mention)
            if root in label_of_group and label_of_group[root][0] != label:
                raise DecisionConflict(
                    f"decision {new.id} ({new.kind}) joins mentions pinned to {label_of_group[root][0]!r} "
                    f"(decision {label_of_group[root][1]}) and {label!r} (decision {source})"
                )
            label_of_group[root] = (label, source)
