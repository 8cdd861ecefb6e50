"""Incremental clustering of mentions into events, under the analyst's decisions.

Mentions are nodes; an edge joins two mentions whose link probability reaches
the merge threshold, or that an analyst decision keeps together. Clusters never
cross a connected component of that graph, so adding a mention only
re-clusters the component it lands in (everything else is untouched), and
because a component's clustering depends only on its members, adding
mentions one by one gives exactly the clusters of adding them all at once, in
any order.

Inside a component: mentions an analyst keeps together start as one group;
then the two groups with the highest average link probability are merged,
as long as it reaches the merge threshold, no analyst decision keeps them apart
(cannot-link, different pins) and no pair between them is ruled out by a hard
rule (average-link agglomeration, ties broken by mention id). Every merge is
recorded (``MergeStep``) with the strongest pair's explanation, so a cluster
can say why its reports were merged.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from vigil.resolve.candidates import CandidateIndex, candidate_pairs
from vigil.resolve.decisions import Constraints
from vigil.resolve.linker import Linker
from vigil.resolve.records import Decision, EventMention, LinkExplanation, MergeStep


@dataclass(frozen=True)
class Cluster:
    """A group of mentions judged to report one event, and how it was formed."""

    id: str
    members: tuple[str, ...]
    merges: tuple[MergeStep, ...] = ()
    label: str | None = None
    decisions: tuple[str, ...] = ()


@dataclass
class ClusterUpdate:
    """What one call changed: clusters created, changed in place (same id) and gone."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def cluster_id(members: Iterable[str], label: str | None = None) -> str:
    """An analyst's label names its cluster; otherwise the hash of the smallest member id."""
    if label:
        return f"fused-{label}"
    first = min(members)
    return f"fused-{hashlib.sha256(first.encode('utf-8')).hexdigest()[:12]}"


@dataclass
class _Group:
    members: list[str]
    merges: list[MergeStep]
    decisions: set[str]


class Clusterer:
    """Holds mentions, their links and clusters; ``add`` and ``decide`` update them locally.

    ``links`` may hand in a cache of pair explanations computed earlier with the
    same linker (read back from the store, or shared between clusterers).
    """

    def __init__(self, linker: Linker, constraints: Constraints | None = None,
                 links: dict[tuple[str, str], LinkExplanation] | None = None) -> None:
        self.linker = linker
        self.merge_threshold = linker.model.merge_threshold
        self.constraints = constraints or Constraints()
        self.mentions: dict[str, EventMention] = {}
        self._index = CandidateIndex(linker.comparer)
        self._links: dict[tuple[str, str], LinkExplanation] = {} if links is None else links
        self._edges: dict[str, set[str]] = defaultdict(set)
        self._clusters: dict[str, Cluster] = {}
        self._cluster_of: dict[str, str] = {}

    # -- reading ---------------------------------------------------------------
    def clusters(self) -> list[Cluster]:
        """Every cluster, ordered by id."""
        return [self._clusters[key] for key in sorted(self._clusters)]

    def cluster(self, cluster_id: str) -> Cluster:
        return self._clusters[cluster_id]

    def cluster_of(self, mention_id: str) -> Cluster:
        return self._clusters[self._cluster_of[mention_id]]

    def link(self, a: str, b: str) -> LinkExplanation:
        """The explanation of a pair (computed now if it was never needed)."""
        key = (min(a, b), max(a, b))
        found = self._links.get(key)
        if found is None:
            found = self.linker.explain(self.mentions[key[0]], self.mentions[key[1]])
            self._links[key] = found
        return found

    # -- changing --------------------------------------------------------------
    def add(self, mention: EventMention) -> ClusterUpdate:
        """Add one mention: score it against its candidates and re-cluster its component."""
        return self.add_many([mention])

    def add_many(self, mentions: Iterable[EventMention]) -> ClusterUpdate:
        """Add mentions (known ids are ignored), encoding their evidence in one batch."""
        fresh = list({m.id: m for m in mentions if m.id not in self.mentions}.values())
        self.linker.comparer.vectors.ensure(fresh)
        for mention in fresh:
            others = candidate_pairs(self._index, mention, self.mentions)
            self.mentions[mention.id] = mention
            self._index.add(mention)
            for other in others:
                if self.link(mention.id, other).probability >= self.merge_threshold:
                    self._edges[mention.id].add(other)
                    self._edges[other].add(mention.id)
        return self._recluster({m.id for m in fresh})

    def decide(self, decision: Decision) -> ClusterUpdate:
        """Put an analyst decision in force (or retract one) and re-cluster what it touches."""
        touched = {m for m in self.constraints.apply(decision) if m in self.mentions}
        return self._recluster(touched)

    # -- clustering ------------------------------------------------------------
    def _neighbours(self, mention: str) -> set[str]:
        kept = {other for other, _ in self.constraints.together(mention) if other in self.mentions}
        return self._edges.get(mention, set()) | kept

    def _component(self, start: str) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            for other in self._neighbours(todo.pop()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen

    def _recluster(self, seeds: set[str]) -> ClusterUpdate:
        seeds = set(seeds)
        for mention in list(seeds):
            if mention in self._cluster_of:
                seeds.update(self._clusters[self._cluster_of[mention]].members)
        components: list[set[str]] = []
        covered: set[str] = set()
        for mention in sorted(seeds):
            if mention not in covered:
                component = self._component(mention)
                covered |= component
                components.append(component)
        before = {self._cluster_of[m] for m in covered if m in self._cluster_of}
        old = {key: self._clusters.pop(key) for key in before}
        fresh = [cluster for component in components for cluster in self._cluster_component(component)]
        for cluster in fresh:
            self._clusters[cluster.id] = cluster
            for member in cluster.members:
                self._cluster_of[member] = cluster.id
        update = ClusterUpdate()
        for cluster in fresh:
            previous = old.get(cluster.id)
            if previous is None:
                update.created.append(cluster.id)
            elif previous != cluster:
                update.updated.append(cluster.id)
        update.removed = sorted(set(old) - {c.id for c in fresh})
        return update

    def _probability(self, a: str, b: str) -> float | None:
        """Link probability of a pair; None when a hard rule or an analyst keeps them apart."""
        if self.constraints.apart(a, b):
            return None
        key = (min(a, b), max(a, b))
        if key not in self._links:
            if self.linker.comparer.blocked(self.mentions[key[0]], self.mentions[key[1]]):
                return None
            return self.link(*key).probability
        found = self._links[key]
        return None if found.blocked_by else found.probability

    def _cluster_component(self, component: set[str]) -> list[Cluster]:
        members = sorted(component)
        groups = self._analyst_groups(members)
        index = {m: n for n, group in enumerate(groups) for m in group.members}
        sums: dict[tuple[int, int], float] = defaultdict(float)
        barred: set[tuple[int, int]] = set()
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                ga, gb = index[a], index[b]
                if ga == gb:
                    continue
                pair = (min(ga, gb), max(ga, gb))
                probability = self._probability(a, b)
                if probability is None:
                    barred.add(pair)
                else:
                    sums[pair] += probability
        alive = set(range(len(groups)))
        while True:
            best: tuple[float, str, str, int, int] | None = None
            for pair, total in sums.items():
                if pair in barred or pair[0] not in alive or pair[1] not in alive:
                    continue
                g1, g2 = groups[pair[0]], groups[pair[1]]
                score = total / (len(g1.members) * len(g2.members))
                if score < self.merge_threshold:
                    continue
                key = (-score, min(g1.members), min(g2.members), pair[0], pair[1])
                if best is None or key < (-best[0], best[1], best[2], best[3], best[4]):
                    best = (score, key[1], key[2], pair[0], pair[1])
            if best is None:
                break
            score, _, _, keep, gone = best
            self._merge(groups, keep, gone, score, sums, barred)
            alive.discard(gone)
        return [self._finish(groups[n]) for n in sorted(alive)]

    def _analyst_groups(self, members: list[str]) -> list[_Group]:
        """Singletons, joined wherever an analyst decision keeps mentions together."""
        groups = {m: _Group([m], [], set()) for m in members}
        owner = {m: m for m in members}
        for mention in members:
            for other, source in sorted(self.constraints.together(mention)):
                if other not in owner or owner[other] == owner[mention]:
                    continue
                left, right = groups.pop(owner[mention]), groups.pop(owner[other])
                step = MergeStep(left=sorted(left.members), right=sorted(right.members), score=1.0,
                                 reason=f"analyst decision {source}")
                joined = _Group(left.members + right.members, left.merges + right.merges + [step],
                                left.decisions | right.decisions | {source})
                head = min(joined.members)
                for m in joined.members:
                    owner[m] = head
                groups[head] = joined
        for mention, (_, source) in self.constraints.pins().items():
            if mention in owner:
                groups[owner[mention]].decisions.add(source)
        return [groups[key] for key in sorted(groups)]

    def _merge(self, groups: list[_Group], keep: int, gone: int, score: float,
               sums: dict[tuple[int, int], float], barred: set[tuple[int, int]]) -> None:
        left, right = groups[keep], groups[gone]
        pairs = sorted((min(a, b), max(a, b)) for a in left.members for b in right.members)
        strongest = max(pairs, key=lambda pair: self._probability(*pair) or 0.0)
        step = MergeStep(
            left=sorted(left.members), right=sorted(right.members), score=round(score, 4),
            reason=f"automatic: average link probability {score:.2f} >= merge threshold {self.merge_threshold:.2f}",
            strongest=self.link(*strongest),
        )
        groups[keep] = _Group(left.members + right.members, left.merges + right.merges + [step], left.decisions | right.decisions)
        for other in range(len(groups)):
            if other in (keep, gone):
                continue
            pair_from, pair_to = (min(gone, other), max(gone, other)), (min(keep, other), max(keep, other))
            if pair_from in sums:
                sums[pair_to] += sums.pop(pair_from)
            if pair_from in barred:
                barred.add(pair_to)
        sums.pop((min(keep, gone), max(keep, gone)), None)

    def _finish(self, group: _Group) -> Cluster:
        pins = self.constraints.pins()
        labels = sorted({pins[m][0] for m in group.members if m in pins})
        label = labels[0] if labels else None
        return Cluster(
            id=cluster_id(group.members, label), members=tuple(sorted(group.members)),
            merges=tuple(group.merges), label=label, decisions=tuple(sorted(group.decisions)),
        )
