"""The part of the store one fusion call works on: loaded, re-clustered and written back.

A ``Workspace`` lives for one transaction. It loads event reports as
mentions into the in-memory ``Clusterer`` of ``vigil.resolve`` without
scoring them again (``restore``), finds the new reports' candidates with one
indexed query per report (date window and compatible types), and grows the
loaded set to the closure of what a re-clustering can touch: stored links
(``fusion_edges``), fellow members of a stored fused event, and reports an
analyst decision keeps together. Everything outside that closure is left as
it is, so the cost of a call depends on the neighbourhood, not on the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import islice
from types import SimpleNamespace

from sqlalchemy import ColumnElement, and_, delete, exists, func, insert, or_, select, true
from sqlalchemy.orm import Session

from vigil.resolve.clusters import Cluster, ClusterUpdate
from vigil.resolve.engine import EventFusion
from vigil.resolve.features import country_of
from vigil.resolve.records import EventMention, FusedEvent
from vigil.store.fusion_mapping import (
    cluster_from_row,
    explanation_from_json,
    explanation_to_json,
    fused_to_row,
    mention_from_row,
    vector_from_bytes,
    vector_to_bytes,
)
from vigil.store.tables import (
    DocumentRow,
    EventActorRow,
    EventRow,
    FusedEventRow,
    FusedMemberRow,
    FusionEdgeRow,
    FusionVectorRow,
)

CHUNK = 500  # ids per IN (...) list: well under every backend's limit on bound parameters
#: How many days after its ``date_start`` an event dated to a week, month or year may have happened.
WEEK_DAYS = 6
MONTH_DAYS = 30
YEAR_DAYS = 365
#: Per precision of a stored date: how far before the window its date_start may lie.
_REACH = {"week": WEEK_DAYS, "month": MONTH_DAYS, "year": YEAR_DAYS}


def chunks(items: Iterable, size: int = CHUNK) -> Iterable[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Workspace:
    """Mentions loaded from the store for one fusion call, and what the call writes back."""

    def __init__(self, session: Session, fusion: EventFusion) -> None:
        self.session = session
        self.fusion = fusion
        self.clusterer = fusion.clusterer
        self.event_of: dict[str, int] = {}
        self.mention_of: dict[int, str] = {}

    # -- loading ---------------------------------------------------------------
    def load(self, condition: ColumnElement[bool]) -> list[EventMention]:
        """The events matching ``condition`` as mentions (those already loaded are skipped).

        Read with Core queries (the event columns, then their actors; weapons play no part in
        fusion), not ORM objects: a call may load hundreds of neighbours and the ORM was its largest cost.
        """
        query = (
            select(EventRow.__table__, DocumentRow.published, DocumentRow.publisher, DocumentRow.title, DocumentRow.url)
            .join(DocumentRow, DocumentRow.id == EventRow.document_id)
            .where(condition)
            .order_by(EventRow.id)
        )
        rows = [row for row in self.session.execute(query) if row.id not in self.mention_of]
        actors = self._actors([row.id for row in rows])
        repeated = self._repeated_spans({row.document_id for row in rows})
        mentions = []
        for row in rows:
            fields = dict(row._mapping)
            document = [fields.pop(key) for key in ("published", "publisher", "title", "url")]
            event = SimpleNamespace(**fields, actors=actors.get(row.id, []), weapons=[])
            first = repeated.get((row.document_id, row.start, row.end))
            mention = mention_from_row(event, first is not None and row.ordinal != first, *document)  # type: ignore[arg-type]
            self.event_of[mention.id] = row.id
            self.mention_of[row.id] = mention.id
            mentions.append(mention)
        return mentions

    def _actors(self, event_ids: list[int]) -> dict[int, list[SimpleNamespace]]:
        found: dict[int, list[SimpleNamespace]] = {}
        for chunk in chunks(event_ids):
            for row in self.session.execute(select(EventActorRow.__table__).where(EventActorRow.event_id.in_(chunk))):
                found.setdefault(row.event_id, []).append(SimpleNamespace(**row._mapping))
        return found

    def load_ids(self, event_ids: Iterable[int]) -> list[EventMention]:
        wanted = sorted(set(event_ids) - set(self.mention_of))
        return [m for chunk in chunks(wanted) for m in self.load(EventRow.id.in_(chunk))]

    def _repeated_spans(self, document_ids: set[str]) -> dict[tuple[str, int, int], int]:
        """(document, start, end) -> first ordinal, for spans that more than one event of a document shares."""
        found: dict[tuple[str, int, int], int] = {}
        key = (EventRow.document_id, EventRow.start, EventRow.end)
        for chunk in chunks(sorted(document_ids)):
            query = (
                select(*key, func.min(EventRow.ordinal)).where(EventRow.document_id.in_(chunk))
                .group_by(*key).having(func.count() > 1)
            )
            found.update({(doc, start, end): first for doc, start, end, first in self.session.execute(query)})
        return found

    def candidate_ids(self, mention: EventMention) -> set[int]:
        """Stored events a new mention may be linked to: its date window and the types it can be confused with.

        A superset of what ``resolve.candidates`` keeps (it filters exactly
        afterwards). Each country (the mention's, and none) and precision of a
        stored date is one range on the index (country, date_precision,
        date_start), so the query reads the window of one country, not the
        store; the types are filtered here (an index on the type would read every
        event of a family). A mention without a country is compared with every
        country, through the index on the date alone.
        """
        comparer = self.fusion.linker.comparer
        fused = exists(select(FusedMemberRow.id).where(FusedMemberRow.event_id == EventRow.id))
        conditions = [fused]  # events not fused yet are scored in their own turn
        span = comparer.span(mention)
        if span is not None:
            windows = comparer.windows
            first = span.first - dt.timedelta(days=windows.max_day_gap)
            last = span.last + dt.timedelta(days=windows.max_day_gap)
            undated = dt.timedelta(days=windows.undated_days)  # a report's own undated event: days before its date_start
            ranges = [(EventRow.date_precision == precision, first - dt.timedelta(days=days), last)
                      for precision, days in _REACH.items()]
            ranges.append((EventRow.date_precision == "day", first, last + undated))
            ranges.append((EventRow.date_precision.is_(None), first - dt.timedelta(days=YEAR_DAYS), last + undated))
            country = country_of(mention)  # places in two countries never link: its own country, or none
            places = [EventRow.country == country, EventRow.country.is_(None)] if country else [true()]
            conditions.append(or_(*(and_(place, kind, EventRow.date_start.between(low, high))
                                    for place in places for kind, low, high in ranges), EventRow.date_start.is_(None)))
        rows = self.session.execute(select(EventRow.id, EventRow.sub_event_type).where(*conditions))
        return {event_id for event_id, sub_type in rows
                if comparer.types.relation(mention.event.type, sub_type) != "incompatible"}

    def ensure_vectors(self, mentions: Sequence[EventMention]) -> None:
        """Read stored embeddings of these mentions, encode the rest in one batch and store them.

        Only sentence embeddings are stored: the lexical vectors cost less to
        compute than to read back.
        """
        vectors = self.fusion.vectors
        if vectors.encoder.kind != "embedding":
            return
        method = vectors.encoder.method
        wanted = {self.event_of[m.id]: m for m in mentions if m.id not in vectors}
        stored: set[int] = set()
        for chunk in chunks(sorted(wanted)):
            query = select(FusionVectorRow.event_id, FusionVectorRow.vector).where(
                FusionVectorRow.event_id.in_(chunk), FusionVectorRow.method == method)
            for event_id, value in self.session.execute(query):
                vectors.put(wanted[event_id].id, vector_from_bytes(value))
                stored.add(event_id)
        missing = [mention for event_id, mention in wanted.items() if event_id not in stored]
        vectors.ensure(missing)
        fresh = [event_id for event_id in wanted if event_id not in stored]
        for chunk in chunks(fresh):
            self.session.execute(delete(FusionVectorRow).where(FusionVectorRow.event_id.in_(chunk)))
            self.session.execute(insert(FusionVectorRow), [
                {"event_id": event_id, "method": method, "vector": vector_to_bytes(vectors.get(wanted[event_id]))}
                for event_id in chunk
            ])

    # -- the neighbourhood -----------------------------------------------------
    def close(self, seeds: Iterable[str]) -> set[str]:
        """Load everything a re-clustering of ``seeds`` can touch; the mention ids reached (seeds included)."""
        reached = {seed for seed in seeds if seed in self.event_of}
        frontier = set(reached)
        while frontier:
            events = [self.event_of[m] for m in frontier]
            found = self._stored_neighbours(events) | self._kept_together(frontier)
            self.clusterer.restore(self.load_ids(found - set(self.mention_of)))
            neighbours = {self.mention_of[e] for e in found if e in self.mention_of}
            for mention in frontier:
                neighbours |= self.clusterer.edges_of(mention)
            frontier = neighbours - reached
            reached |= frontier
        self._restore_state(reached)
        return reached

    def _stored_neighbours(self, event_ids: list[int]) -> set[int]:
        """Events linked to these by a stored edge, or members of the same stored fused event."""
        found: set[int] = set()
        for chunk in chunks(event_ids):
            edges = select(FusionEdgeRow.event_a, FusionEdgeRow.event_b).where(
                or_(FusionEdgeRow.event_a.in_(chunk), FusionEdgeRow.event_b.in_(chunk)))
            for a, b in self.session.execute(edges):
                found.update((a, b))
            fused = select(FusedMemberRow.fused_id).where(FusedMemberRow.event_id.in_(chunk))
            found.update(self.session.scalars(select(FusedMemberRow.event_id).where(FusedMemberRow.fused_id.in_(fused))))
        return found

    def _kept_together(self, mentions: Iterable[str]) -> set[int]:
        """Stored events that an analyst decision keeps with these mentions."""
        constraints = self.clusterer.constraints
        others = {other for mention in mentions for other, _ in constraints.together(mention)}
        found = {self.event_of[m] for m in others if m in self.event_of}
        for chunk in chunks(sorted(others - set(self.event_of))):
            found.update(self.session.scalars(select(FusedMemberRow.event_id).where(FusedMemberRow.mention_id.in_(chunk))))
        return found

    def _restore_state(self, reached: set[str]) -> None:
        """Put back the stored links among the reached mentions and their stored fused events."""
        events = sorted(self.event_of[m] for m in reached)
        inside = set(events)
        links = []
        for chunk in chunks(events):
            query = select(FusionEdgeRow.event_a, FusionEdgeRow.event_b, FusionEdgeRow.explanation).where(
                FusionEdgeRow.event_a.in_(chunk))
            for a, b, explanation in self.session.execute(query):
                if b in inside:
                    stored = explanation_from_json(explanation)
                    assert stored is not None
                    links.append(stored.model_copy(update={"a": self.mention_of[a], "b": self.mention_of[b]}))
        clusters: dict[str, list[str]] = {}
        rows: dict[str, FusedEventRow] = {}
        for chunk in chunks(events):
            query = (
                select(FusedMemberRow.event_id, FusedEventRow)
                .join(FusedEventRow, FusedEventRow.id == FusedMemberRow.fused_id)
                .where(FusedMemberRow.event_id.in_(chunk))
            )
            for event_id, row in self.session.execute(query):
                rows[row.id] = row
                clusters.setdefault(row.id, []).append(self.mention_of[event_id])
        self.clusterer.restore(links=links, clusters=[cluster_from_row(rows[key], members) for key, members in clusters.items()])

    # -- writing ---------------------------------------------------------------
    def write(self, update: ClusterUpdate, scored: Iterable[str] = ()) -> None:
        """Write the fused events ``update`` changed and the links of the newly ``scored`` mentions."""
        self._write_edges(scored)
        changed = [self.clusterer.cluster(key) for key in update.created + update.updated]
        gone = update.removed + [cluster.id for cluster in changed]
        created_at = {}
        for chunk in chunks(gone):
            created_at.update(self.session.execute(
                select(FusedEventRow.id, FusedEventRow.created_at).where(FusedEventRow.id.in_(chunk))).all())
            self.session.execute(delete(FusedMemberRow).where(FusedMemberRow.fused_id.in_(chunk)))
            self.session.execute(delete(FusedEventRow).where(FusedEventRow.id.in_(chunk)))
        members = [self.event_of[m] for cluster in changed for m in cluster.members]
        for chunk in chunks(members):
            self.session.execute(delete(FusedMemberRow).where(FusedMemberRow.event_id.in_(chunk)))
        now = dt.datetime.now(dt.timezone.utc)
        fused_rows, member_rows = [], []
        for cluster in changed:
            fused = self.fusion.fused(cluster.id)
            fused_rows.append({**fused_to_row(fused, cluster.label, now), "created_at": created_at.get(cluster.id, now)})
            member_rows += self._member_rows(cluster, fused)
        for chunk in chunks(fused_rows):
            self.session.execute(insert(FusedEventRow), chunk)
        for chunk in chunks(member_rows):
            self.session.execute(insert(FusedMemberRow), chunk)

    def _write_edges(self, scored: Iterable[str]) -> None:
        pairs: dict[tuple[int, int], tuple[str, str]] = {}
        for mention in scored:
            for other in self.clusterer.edges_of(mention):
                a, b = sorted((self.event_of[mention], self.event_of[other]))
                pairs[(a, b)] = (mention, other)
        rows = []
        for (a, b), (first, second) in sorted(pairs.items()):
            link = self.clusterer.link(first, second)
            rows.append({"event_a": a, "event_b": b, "probability": link.probability, "method": link.method,
                         "explanation": explanation_to_json(link)})
        for chunk in chunks(rows):
            self.session.execute(insert(FusionEdgeRow), chunk)

    def _member_rows(self, cluster: Cluster, fused: FusedEvent) -> list[dict]:
        """Each member with who put it there, its strongest link inside the cluster, and the representative."""
        constraints = self.clusterer.constraints
        pins = constraints.pins()
        rows = []
        for mention in cluster.members:
            deciding = sorted({source for other, source in constraints.together(mention) if other in cluster.members})
            if mention in pins and pins[mention][1] in cluster.decisions:
                deciding.insert(0, pins[mention][1])  # its own pin names it best
            links = [self.clusterer.link(mention, other) for other in cluster.members if other != mention]
            strongest = max(links, key=lambda link: (link.probability, link.a, link.b), default=None)
            rows.append({
                "fused_id": cluster.id, "event_id": self.event_of[mention], "mention_id": mention,
                "added_by": "analyst" if deciding else "auto", "decision_id": deciding[0] if deciding else None,
                "score": strongest.probability if strongest else None, "explanation": explanation_to_json(strongest),
                "representative": mention == representative(cluster, fused, self.clusterer.mentions),
            })
        return rows


def representative(cluster: Cluster, fused: FusedEvent, mentions: dict[str, EventMention]) -> str:
    """The member that counts a fused event once in per-report statistics: the one whose type, date and
    fatality lower bound are the fused event's (in that order of preference), then the smallest id."""
    low = fused.fatalities.low if fused.fatalities else None

    def distance(mention_id: str) -> tuple:
        event = mentions[mention_id].event
        killed = event.fatalities.min if event.fatalities else None
        return (event.type != fused.type, event.date != fused.date, killed != low, mention_id)

    return min(cluster.members, key=distance)
