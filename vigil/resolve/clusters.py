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
can say why its reports were merged. Since a merge needs an average at the
threshold, two groups with no edge between them never merge: only groups an
edge joins are compared (``Merging``), which keeps a large component cheap.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from vigil.resolve.candidates import CandidateIndex, candidate_pairs
from vigil.resolve.decisions import Constraints
from vigil.resolve.linker import Linker
from vigil.resolve.merging import Group, Merging
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
        self._scores: dict[tuple[str, str], tuple[float, str | None]] = {}  # pairs scored but not explained
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

    def _scored(self, a: str, b: str, remember: bool = True) -> tuple[float, str | None]:
        """(probability, blocking rule) of a pair, from its explanation if one was built, else scored.

        ``remember`` False keeps the score only when the pair is an edge: scoring every
        candidate of a large store must not keep millions of pairs; clustering asks for
        the others again only inside a component, where there are few.
        """
        key = (min(a, b), max(a, b))
        explained = self._links.get(key)
        if explained is not None:
            return explained.probability, explained.blocked_by
        found = self._scores.get(key)
        if found is None:
            found = self.linker.score(self.mentions[key[0]], self.mentions[key[1]])
            if remember or found[0] >= self.merge_threshold:
                self._scores[key] = found
        return found

    def edges_of(self, mention: str) -> set[str]:
        """The mentions linked to ``mention`` by a probability at or above the merge threshold."""
        return set(self._edges.get(mention, ()))

    # -- changing --------------------------------------------------------------
    def add(self, mention: EventMention) -> ClusterUpdate:
        """Add one mention: score it against its candidates and re-cluster its component."""
        return self.add_many([mention])

    def add_many(self, mentions: Iterable[EventMention]) -> ClusterUpdate:
        """Add mentions (known ids are ignored), encoding their evidence in one batch."""
        return self.recluster(self.score(mentions))

    def score(self, mentions: Iterable[EventMention]) -> list[str]:
        """Add mentions and link each to its candidates, without re-clustering; the ids added.

        ``add_many`` is ``score`` then ``recluster``; a caller that keeps the
        state elsewhere (the store) scores first, loads the neighbourhood the new
        links reach, then re-clusters.
        """
        fresh = list({m.id: m for m in mentions if m.id not in self.mentions}.values())
        self.linker.comparer.vectors.ensure(fresh)
        for mention in fresh:
            others = candidate_pairs(self._index, mention, self.mentions)
            self.mentions[mention.id] = mention
            self._index.add(mention)
            for other in others:
                if self._scored(mention.id, other, remember=False)[0] >= self.merge_threshold:
                    self._edges[mention.id].add(other)
                    self._edges[other].add(mention.id)
        return [m.id for m in fresh]

    def restore(self, mentions: Iterable[EventMention] = (), links: Iterable[LinkExplanation] = (),
                clusters: Iterable[Cluster] = ()) -> None:
        """Put back state computed earlier (read from the store) without scoring anything again.

        ``links`` are the explanations of pairs whose probability reached the
        merge threshold when they were scored (the edges); ``clusters`` must come
        with all their members among the mentions.
        """
        for mention in mentions:
            if mention.id not in self.mentions:
                self.mentions[mention.id] = mention
                self._index.add(mention)
        for link in links:
            self._links[(min(link.a, link.b), max(link.a, link.b))] = link
            self._edges[link.a].add(link.b)
            self._edges[link.b].add(link.a)
        for cluster in clusters:
            self._clusters[cluster.id] = cluster
            for member in cluster.members:
                self._cluster_of[member] = cluster.id

    def recluster(self, seeds: Iterable[str]) -> ClusterUpdate:
        """Re-cluster the components of ``seeds`` (and of the clusters they are in now)."""
        return self._recluster({seed for seed in seeds if seed in self.mentions})

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
        before: set[str] = set()
        pending = sorted(seeds)
        while pending:  # a cluster read back stale (a member's link gone) may reach past the seeds' components
            for mention in pending:
                if mention not in covered:
                    component = self._component(mention)
                    covered |= component
                    components.append(component)
            before = {self._cluster_of[m] for m in covered if m in self._cluster_of}
            pending = sorted({m for key in before for m in self._clusters[key].members} - covered)
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
        if key not in self._links and key not in self._scores:
            if self.linker.comparer.blocked(self.mentions[key[0]], self.mentions[key[1]]):
                return None
        probability, blocked_by = self._scored(*key)
        return None if blocked_by else probability

    def _cluster_component(self, component: set[str]) -> list[Cluster]:
        """Average-link agglomeration of one component (see the module docstring and ``Merging``)."""
        members = sorted(component)
        groups = self._analyst_groups(members)
        index = {m: n for n, group in enumerate(groups) for m in group.members}
        merging = Merging(groups, self._probability, self.merge_threshold)
        for a in members:
            for b in self._edges.get(a, ()):
                if b in index:
                    merging.connect(index[a], index[b])
        for i in sorted(merging.neighbours):
            for j in sorted(merging.neighbours[i]):
                if i < j:
                    merging.offer(i, j)
        while (best := merging.best()) is not None:
            score, keep, gone = best
            self._merge(merging, keep, gone, score)
        return [self._finish(groups[n]) for n in sorted(merging.alive)]

    def _analyst_groups(self, members: list[str]) -> list[Group]:
        """Singletons, joined wherever an analyst decision keeps mentions together."""
        groups = {m: Group([m], [], set()) for m in members}
        owner = {m: m for m in members}
        for mention in members:
            for other, source in sorted(self.constraints.together(mention)):
                if other not in owner or owner[other] == owner[mention]:
                    continue
                left, right = groups.pop(owner[mention]), groups.pop(owner[other])
                step = MergeStep(left=sorted(left.members), right=sorted(right.members), score=1.0,
                                 reason=f"analyst decision {source}")
                joined = Group(left.members + right.members, left.merges + right.merges + [step],
                                left.decisions | right.decisions | {source})
                head = min(joined.members)
                for m in joined.members:
                    owner[m] = head
                groups[head] = joined
        for mention, (_, source) in self.constraints.pins().items():
            if mention in owner:
                groups[owner[mention]].decisions.add(source)
        return [groups[key] for key in sorted(groups)]

    def _merge(self, merging: Merging, keep: int, gone: int, score: float) -> None:
        left, right = merging.groups[keep], merging.groups[gone]
        pairs = sorted((min(a, b), max(a, b)) for a in left.members for b in right.members)
        strongest = max(pairs, key=lambda pair: self._probability(*pair) or 0.0)
        step = MergeStep(
            left=sorted(left.members), right=sorted(right.members), score=round(score, 4),
            reason=f"automatic: average link probability {score:.2f} >= merge threshold {self.merge_threshold:.2f}",
            strongest=self.link(*strongest),
        )
        merging.join(keep, gone, Group(left.members + right.members, left.merges + right.merges + [step],
                                        left.decisions | right.decisions))

    def _finish(self, group: Group) -> Cluster:
        pins = self.constraints.pins()
        labels = sorted({pins[m][0] for m in group.members if m in pins})
        label = labels[0] if labels else None
        return Cluster(
            id=cluster_id(group.members, label), members=tuple(sorted(group.members)),
            merges=tuple(group.merges), label=label, decisions=tuple(sorted(group.decisions)),
        )
