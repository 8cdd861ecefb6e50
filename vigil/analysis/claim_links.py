"""Which propositions are the same, across documents, without comparing every claim with every other.

Two propositions (parts of claims, see ``vigil.analysis.propositions``) are
the same when

- they concern the same stored event (or reports fused into one event) or
  the same relation, or
- their subject actors are compatible and their content agrees: for activity
  claims, the places (countries) agree or one names none; for other claims,
  the normalised words are similar (embedding cosine, or the lexical fallback)
  and, when both concern recorded events, those events may be one (dated
  close enough).

Subjects are compatible when every actor on the side naming fewer is the same
as, or of the same family as (faction, province, parent), an actor on the
other side (``vigil.resolve.actors.ActorResolver``). So "the TTP gives weapons
to IS" and "Al Qaeda gives weapons to IS" share a word and an actor but not a
proposition, and the Taliban are never the TTP.

Blocking: propositions are bucketed by the root organisations of their
subjects (IS-K's root is the Islamic State); only buckets whose roots are
contained one in the other are compared, and within them similarities are
computed as a matrix product (embeddings) or through an inverted index of
words (lexical), so the work grows with each actor's claims, not with all
claims squared. Links are transitive (union-find).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from vigil.resolve.actors import ActorResolver
from vigil.resolve.embeddings import EmbeddingUnavailable
from vigil.resolve.lexical import LexicalEncoder
from vigil.resolve.similarity import TextEncoder

FAMILY = frozenset({"same", "family"})
ACTIVITY = "activity claims about the same actors and places"
_ROWS_PER_BLOCK = 512
_CACHE_LIMIT = 200_000
_vectors: dict[tuple[str, str], object] = {}


@dataclass(frozen=True)
class Part:
    """What linking needs to know about one proposition."""

    subjects: frozenset[str]
    facts: frozenset[str]  #: the events (their fused event when fused) and relations it concerns
    kind: str  #: "activity" or "statement"
    content: str | None  #: the normalised words (None: compared through its facts only)
    countries: frozenset[str]
    date: dt.date | None = None


@dataclass(frozen=True)
class Linking:
    """Clusters of part indexes and why each cluster holds together."""

    clusters: list[list[int]]
    reasons: list[list[str]]
    method: str  #: the encoder that compared the words


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return False
        self.parent[max(root_a, root_b)] = min(root_a, root_b)
        return True


def link_parts(
    parts: Sequence[Part],
    encoder: TextEncoder,
    resolver: ActorResolver,
    thresholds: Mapping[str, float],
    event_days: int,
) -> Linking:
    """Cluster the parts.

    ``thresholds`` gives the least word similarity per encoder kind ("lexical"
    is required); statements about different recorded events link only when
    their dates are at most ``event_days`` apart.
    """
    links = _UnionFind(len(parts))
    reasons: dict[int, set[str]] = defaultdict(set)

    def join(a: int, b: int, reason: str) -> None:
        if links.union(a, b):
            reasons[a].add(reason)

    by_fact: dict[str, int] = {}
    for index, part in enumerate(parts):
        for fact in part.facts:
            if fact in by_fact:
                join(by_fact[fact], index, "the same event or relation")
            else:
                by_fact[fact] = index
    compatible = _Compatibility(resolver)
    activity = [i for i, part in enumerate(parts) if part.kind == "activity" and part.subjects]
    _link_activity(parts, activity, resolver, compatible, join)
    statements = _buckets(parts, resolver)
    encoder, vectors = _encode(encoder, [p.content or "" for p in parts], [i for b in statements.values() for i in b])
    threshold = thresholds.get(encoder.kind, thresholds["lexical"])
    similar = f"similar words ({encoder.method}, cosine >= {threshold:g})"
    blocks = {roots: _Block(members, vectors) for roots, members in statements.items()}
    for left, right in _bucket_pairs(statements):
        for a, b in blocks[left].similar(blocks[right], threshold):
            if a != b and compatible(parts[a].subjects, parts[b].subjects) and _may_be_one(parts[a], parts[b], event_days):
                join(a, b, similar)
    clusters: dict[int, list[int]] = defaultdict(list)
    for index in range(len(parts)):
        clusters[links.find(index)].append(index)
    why: dict[int, set[str]] = defaultdict(set)
    for index, found in reasons.items():
        why[links.find(index)] |= found
    return Linking(
        clusters=list(clusters.values()), reasons=[sorted(why[root]) for root in clusters], method=encoder.method
    )


def _may_be_one(a: Part, b: Part, event_days: int) -> bool:
    """False for claims about different recorded events reported too far apart to be one event."""
    if not a.facts or not b.facts or a.facts & b.facts:
        return True
    return a.date is not None and b.date is not None and abs((a.date - b.date).days) <= event_days


class _Compatibility:
    """Whether two subject sets can be about the same actors; cached per pair of sets."""

    def __init__(self, resolver: ActorResolver) -> None:
        self.resolver = resolver
        self.known: dict[tuple[frozenset[str], frozenset[str]], bool] = {}
        self.related: dict[tuple[str, str], bool] = {}

    def __call__(self, a: frozenset[str], b: frozenset[str]) -> bool:
        key = (a, b) if hash(a) <= hash(b) else (b, a)
        if key not in self.known:
            self.known[key] = self._covered(a, b) or self._covered(b, a)
        return self.known[key]

    def _covered(self, few: frozenset[str], many: frozenset[str]) -> bool:
        return bool(few) and all(any(self._related(x, y) for y in many) for x in few)

    def _related(self, a: str, b: str) -> bool:
        if (a, b) not in self.related:
            self.related[(a, b)] = self.related[(b, a)] = self.resolver.relation(a, b)[0] in FAMILY
        return self.related[(a, b)]


def _buckets(parts: Sequence[Part], resolver: ActorResolver) -> dict[frozenset[str], list[int]]:
    """Root organisations of the subjects -> the statements (with words to compare) about them."""
    buckets: dict[frozenset[str], list[int]] = defaultdict(list)
    for index, part in enumerate(parts):
        if part.kind == "statement" and part.subjects and part.content:
            buckets[frozenset(resolver.lineage(actor)[-1] for actor in part.subjects)].append(index)
    return buckets


def _bucket_pairs(buckets: Mapping[frozenset[str], list]) -> Iterator[tuple[frozenset[str], frozenset[str]]]:
    """Each bucket with itself, and each pair whose roots are contained one in the other."""
    keys = list(buckets)
    for key in keys:
        yield key, key
    for a, b in combinations(keys, 2):
        if a <= b or b <= a:
            yield a, b


def _link_activity(parts: Sequence[Part], indexes: list[int], resolver: ActorResolver, compatible: _Compatibility, join) -> None:  # noqa: ANN001
    """Activity claims: compatible subjects and a shared country; one naming no place joins the largest such group.

    Claims with the same subjects and countries form a cell; cells are
    bucketed by root organisations like statements, and compared only within
    buckets whose roots are contained one in the other.
    """
    cells: dict[tuple[frozenset[str], frozenset[str]], list[int]] = defaultdict(list)
    for index in indexes:
        cells[(parts[index].subjects, parts[index].countries)].append(index)
    for members in cells.values():
        for other in members[1:]:
            join(members[0], other, ACTIVITY)
    buckets: dict[frozenset[str], list[tuple[frozenset[str], frozenset[str]]]] = defaultdict(list)
    for key in sorted(cells, key=lambda key: (-len(cells[key]), sorted(key[0]), sorted(key[1]))):  # largest first
        buckets[frozenset(resolver.lineage(actor)[-1] for actor in key[0])].append(key)
    for left, right in _bucket_pairs(buckets):
        pairs = combinations(buckets[left], 2) if left == right else ((a, b) for a in buckets[left] for b in buckets[right])
        for a, b in pairs:
            same_places = bool(a[1] & b[1]) if a[1] and b[1] else not a[1] and not b[1]
            if same_places and compatible(a[0], b[0]):
                join(cells[a][0], cells[b][0], ACTIVITY)
    for roots, keys in buckets.items():
        for key in (k for k in keys if not k[1]):
            candidates = [
                cell for other, found in buckets.items() if roots <= other or other <= roots
                for cell in found if cell[1] and compatible(key[0], cell[0])
            ]
            best = max(candidates, key=lambda cell: len(cells[cell]), default=None)
            if best is not None:
                join(cells[best][0], cells[key][0], ACTIVITY)


def _encode(encoder: TextEncoder, texts: list[str], wanted: list[int]) -> tuple[TextEncoder, dict[int, object]]:
    """Vectors of the wanted texts, cached per encoder and text in the process; the lexical fallback if embeddings fail."""
    found = {texts[i]: _vectors.get((encoder.method, texts[i])) for i in wanted}
    missing = [text for text, vector in found.items() if vector is None]
    if missing:
        try:
            computed = encoder.encode(missing)
        except EmbeddingUnavailable:
            return _encode(LexicalEncoder(), texts, wanted)
        found.update(zip(missing, computed))
        if len(_vectors) + len(missing) > _CACHE_LIMIT:
            _vectors.clear()
        _vectors.update({(encoder.method, text): vector for text, vector in zip(missing, computed)})
    return encoder, {i: found[texts[i]] for i in wanted}


class _Block:
    """The vectors of one bucket, stacked once: a matrix (embeddings) or an inverted index (lexical words)."""

    def __init__(self, members: list[int], vectors: dict[int, object]) -> None:
        self.members = members
        sample = vectors[members[0]]
        self.matrix: np.ndarray | None = None
        self.postings: dict[str, list[tuple[int, float]]] | None = None
        if isinstance(sample, np.ndarray):
            self.matrix = np.vstack([vectors[i] for i in members])
        elif isinstance(sample, dict):
            self.rows = [vectors[i] for i in members]
            self.postings = defaultdict(list)
            for index, vector in zip(members, self.rows):
                for term, weight in vector.items():  # type: ignore[attr-defined]
                    self.postings[term].append((index, weight))
        else:
            raise TypeError(f"cannot compare vectors of type {type(sample).__name__}")

    def similar(self, other: _Block, threshold: float) -> Iterator[tuple[int, int]]:
        """Pairs (one of ours, one of the other's) whose cosine reaches the threshold."""
        if self.matrix is not None and other.matrix is not None:
            for first in range(0, len(self.members), _ROWS_PER_BLOCK):
                scores = self.matrix[first : first + _ROWS_PER_BLOCK] @ other.matrix.T
                for row, column in zip(*np.nonzero(scores >= threshold)):
                    yield self.members[first + row], other.members[column]
        elif other.postings is not None:
            for index, vector in zip(self.members, self.rows):
                scores: dict[int, float] = defaultdict(float)
                for term, weight in vector.items():  # type: ignore[attr-defined]
                    for match, match_weight in other.postings.get(term, ()):
                        scores[match] += weight * match_weight
                yield from ((index, match) for match, score in scores.items() if score >= threshold)
