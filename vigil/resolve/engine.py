"""Event fusion in one object: add mentions, record analyst decisions, read fused events.

``EventFusion`` wires the parts (type rules, actor gazetteer, evidence
encoder, link model, clusterer) with the shipped configuration;
``vigil.store.fusion`` builds one per transaction over the part of the store it
works on. Nothing here reads the environment: the caller chooses the encoder
(``similarity.choose_encoder``; ``Settings.fusion_similarity`` and
``Settings.embedding_model`` at the edge).
"""

from __future__ import annotations

from collections.abc import Iterable

from vigil.gazetteers.actors import ActorGazetteer, load_actor_gazetteer
from vigil.model.records import Document, Extraction
from vigil.resolve.actors import ActorResolver
from vigil.resolve.clusters import Cluster, Clusterer, ClusterUpdate
from vigil.resolve.config import FusionConfig, Mode, load_fusion_config
from vigil.resolve.decisions import Constraints
from vigil.resolve.event_types import TypeRules, load_type_rules
from vigil.resolve.features import Comparer
from vigil.resolve.fusion import fuse
from vigil.resolve.linker import Linker
from vigil.resolve.records import Decision, EventMention, FusedEvent, LinkExplanation
from vigil.resolve.similarity import TextEncoder, VectorCache, choose_encoder


def mentions_of(document: Document, extraction: Extraction) -> list[EventMention]:
    """The event mentions of one extracted document."""
    return [EventMention.of(document, event) for event in extraction.events]


class EventFusion:
    """Links reports of the same event into fused events, incrementally and explainably."""

    def __init__(
        self,
        encoder: TextEncoder | None = None,
        *,
        mode: Mode = "full",
        decisions: Iterable[Decision] = (),
        gazetteer: ActorGazetteer | None = None,
        config: FusionConfig | None = None,
        types: TypeRules | None = None,
        vectors: VectorCache | None = None,
    ) -> None:
        self.config = config or load_fusion_config()
        self.types = types or load_type_rules()
        self.actors = ActorResolver(gazetteer or load_actor_gazetteer())
        self.vectors = vectors or VectorCache(encoder or choose_encoder())
        comparer = Comparer(self.types, self.actors, self.vectors, self.config.windows)
        self.linker = Linker(comparer, self.config.model(self.vectors.encoder.kind, mode))
        self.clusterer = Clusterer(self.linker, Constraints(decisions))

    def add(self, mentions: Iterable[EventMention]) -> ClusterUpdate:
        """Add mentions (e.g. a newly ingested report's); only their neighbourhood is re-clustered."""
        return self.clusterer.add_many(mentions)

    def decide(self, decision: Decision) -> ClusterUpdate:
        """Record an analyst decision (must_link, cannot_link, pin, retract) and apply it."""
        return self.clusterer.decide(decision)

    def explain(self, a: str, b: str) -> LinkExplanation:
        """Why two mentions are, or are not, one event."""
        return self.clusterer.link(a, b)

    def clusters(self) -> list[Cluster]:
        return self.clusterer.clusters()

    def fused(self, cluster_id: str) -> FusedEvent:
        """The fused event of one cluster."""
        cluster = self.clusterer.cluster(cluster_id)
        members = [self.clusterer.mentions[m] for m in cluster.members]
        windows = self.config.windows
        return fuse(cluster, members, self.types, self.actors, self.config.outlier_factor, windows.undated_days)

    def events(self) -> list[FusedEvent]:
        """Every fused event, ordered by cluster id."""
        return [self.fused(cluster.id) for cluster in self.clusters()]
