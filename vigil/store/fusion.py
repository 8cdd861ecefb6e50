"""Event fusion kept in the store: new reports fused as they arrive, analyst decisions, rebuilds.

    fusion = StoredFusion(store)                 # the lexical similarity unless an encoder is given
    fusion.add_events(event_ids)                 # after an ingest: only their neighbourhood is re-clustered
    fusion.merge([12, 40], reason="same attack") # an analyst's must-link, kept by every later run
    fusion.split("fused-3f2a...", keep=[12], reason="two attacks that day")
    fusion.retract("dec-9b1c...")                # back to automatic behaviour (a new decision)
    fusion.rebuild()                             # everything again, under the decisions in force

Each call is one transaction (see ``fusion_workspace`` for what it loads).
Decisions name reports by their mention id (document and character span), so
a decision outlives its report being deleted and ingested again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from vigil.errors import StoreError, VigilError
from vigil.gazetteers.actors import ActorGazetteer, load_actor_gazetteer
from vigil.resolve.clusters import ClusterUpdate
from vigil.resolve.decisions import make_decision, split_decisions
from vigil.resolve.engine import EventFusion
from vigil.resolve.lexical import LexicalEncoder
from vigil.resolve.records import Decision
from vigil.resolve.similarity import TextEncoder, VectorCache
from vigil.store.database import Store, describe_error
from vigil.store.fusion_mapping import decision_from_row, decision_to_row
from vigil.store.fusion_views import FusionResult, PairVerdict
from vigil.store.fusion_workspace import Workspace, chunks
from vigil.store.repository import delete_document
from vigil.store.tables import EventRow, FusedEventRow, FusedMemberRow, FusionDecisionRow, FusionEdgeRow

ERR_NO_EVENT = "No stored event with id {id}."
ERR_NO_FUSED = "No fused event with id {id!r}."
ERR_MERGE_FEW = "A {kind} decision needs two or more event reports; {ids} name {count}."
ERR_NO_DECISION = "No decision with id {id!r}; see `vigil decisions`."
ERR_SPLIT_KEEP = "--keep must name some but not all of the reports of {fused}: its events are {members}; got {keep}."
ERR_SAME_EVENT = "Explain compares two different events; both are {id}."
ERR_STORE = "Event fusion could not update the store: {reason}"
ERR_BAD_ID = "{value!r} is neither an event id (a number) nor a fused event id (fused-...)."


class FusionError(VigilError):
    """A fusion request that cannot be done as asked; the message says why."""


class FusionNotFound(FusionError):
    """A fusion request naming an event, fused event or decision the store does not hold."""


class StoredFusion:
    """Runs ``vigil.resolve`` event fusion over the store, one transaction per call."""

    def __init__(self, store: Store, encoder: TextEncoder | None = None, *, gazetteer: ActorGazetteer | None = None) -> None:
        self.store = store
        self.encoder = encoder or LexicalEncoder()
        self.gazetteer = gazetteer or load_actor_gazetteer()

    # -- automatic fusion -------------------------------------------------------
    def add_events(self, event_ids: Iterable[int]) -> FusionResult:
        """Fuse newly stored events with what the store holds; events already fused are left alone."""
        wanted = list(dict.fromkeys(event_ids))  # in the caller's order: a chunk of neighbours loads less
        result = FusionResult()
        for chunk in chunks(wanted):
            with _transaction(self.store) as session:
                workspace = self._workspace(session)
                fused = set(session.scalars(select(FusedMemberRow.event_id).where(FusedMemberRow.event_id.in_(chunk))))
                new = workspace.load_ids(e for e in chunk if e not in fused)
                candidates: set[int] = set()
                for mention in new:
                    candidates |= workspace.candidate_ids(mention)
                restored = workspace.load_ids(candidates)
                workspace.clusterer.restore(restored)
                workspace.ensure_vectors(restored + new)
                scored = workspace.clusterer.score(new)
                reached = workspace.close(scored)
                workspace.ensure_vectors(list(workspace.clusterer.mentions.values()))
                update = workspace.clusterer.recluster(reached)
                workspace.write(update, scored)
            result.add(_result(update, events=len(new), loaded=len(workspace.event_of) - len(new)))
        return result

    def add_documents(self, document_ids: Sequence[str]) -> FusionResult:
        """Fuse the events of newly stored documents."""
        ids: list[int] = []
        with self.store.session() as session:
            for chunk in chunks(document_ids):
                ids += session.scalars(select(EventRow.id).where(EventRow.document_id.in_(chunk)))
        return self.add_events(ids)

    def catch_up(self) -> FusionResult:
        """Fuse every stored event not fused yet, and repair fused events that lost reports to a deletion."""
        result = self.repair()
        with self.store.session() as session:
            fused = select(FusedMemberRow.event_id)
            pending = list(session.scalars(select(EventRow.id).where(EventRow.id.not_in(fused)).order_by(EventRow.id)))
        result.add(self.add_events(pending))
        return result

    def repair(self, fused_ids: Iterable[str] | None = None) -> FusionResult:
        """Re-cluster fused events whose reports were deleted (all such events when ``fused_ids`` is None)."""
        with _transaction(self.store) as session:
            members = (select(func.count(FusedMemberRow.id)).where(FusedMemberRow.fused_id == FusedEventRow.id)
                       .scalar_subquery())
            stale = select(FusedEventRow.id).where(FusedEventRow.n_sources != members)
            if fused_ids is not None:
                stale = stale.where(FusedEventRow.id.in_(list(fused_ids)))
            stale_ids = list(session.scalars(stale))
            workspace = self._workspace(session)
            seeds = []
            for chunk in chunks(stale_ids):
                seeds += workspace.load(EventRow.id.in_(select(FusedMemberRow.event_id).where(FusedMemberRow.fused_id.in_(chunk))))
            workspace.clusterer.restore(seeds)
            reached = workspace.close([m.id for m in seeds])
            workspace.ensure_vectors(list(workspace.clusterer.mentions.values()))
            update = workspace.clusterer.recluster(reached)
            live = {cluster.id for cluster in workspace.clusterer.clusters()}
            for key in stale_ids:  # rewritten even when the re-clustering finds the same members again
                if key in live and key not in update.created + update.updated:
                    update.updated.append(key)
                elif key not in live and key not in update.removed:
                    update.removed.append(key)
            workspace.write(update)
        return _result(update)

    def forget_document(self, document_id: str) -> FusionResult | None:
        """Delete a document with its facts, then re-cluster the fused events its reports were in: each is
        rebuilt from its other reports (analyst decisions in force still hold) or removed when none is left.
        None when no such document is stored."""
        with self.store.session() as session:
            fused_ids = list(session.scalars(
                select(FusedMemberRow.fused_id).join(EventRow, EventRow.id == FusedMemberRow.event_id)
                .where(EventRow.document_id == document_id)))
        if not delete_document(self.store, document_id):
            return None
        return self.repair(fused_ids) if fused_ids else FusionResult()

    def rebuild(self) -> FusionResult:
        """Fuse every stored event again from scratch; analyst decisions in force still hold.

        The fused state is dropped in one transaction, then every event is added
        back in date order, a chunk per transaction, exactly as ingest adds them
        (fusion does not depend on the order): memory stays bounded by a chunk and
        its neighbourhood, and an interrupted rebuild is finished by ``catch_up``.
        """
        with _transaction(self.store) as session:
            for table in (FusedMemberRow, FusionEdgeRow, FusedEventRow):
                session.execute(delete(table))
            ordered = list(session.scalars(select(EventRow.id).order_by(EventRow.date_start.asc().nulls_first(), EventRow.id)))
        added = self.add_events(ordered)
        with self.store.session() as session:
            fused = list(session.scalars(select(FusedEventRow.id).order_by(FusedEventRow.id)))
        return FusionResult(created=fused, events=added.events, loaded=added.loaded)

    # -- analyst decisions --------------------------------------------------------
    def merge(self, ids: Sequence[int | str], *, reason: str | None = None, author: str | None = None) -> FusionResult:
        """Decide that these event reports (event ids, or every report of fused events) are one event."""
        return self.decide(self._pair_decision("must_link", ids, reason, author))

    def keep_apart(self, ids: Sequence[int | str], *, reason: str | None = None, author: str | None = None) -> FusionResult:
        """Decide that no two of these event reports are one event."""
        return self.decide(self._pair_decision("cannot_link", ids, reason, author))

    def _pair_decision(self, kind: str, ids: Sequence[int | str], reason: str | None, author: str | None) -> Decision:
        mentions = self._mentions_named(ids)
        if len(mentions) < 2:
            raise FusionError(ERR_MERGE_FEW.format(kind=kind, ids=", ".join(map(str, ids)), count=len(mentions)))
        return make_decision(kind, mentions, author=author, reason=reason, at=_now())

    def split(self, fused_id: str, keep: Sequence[int], *, reason: str | None = None,
              author: str | None = None) -> FusionResult:
        """Split a fused event in two: the reports ``keep`` names, and the rest (each group pinned as its own event)."""
        members = self._members(fused_id)
        kept = [members[e] for e in keep if e in members]
        if not kept or len(kept) != len(set(keep)) or len(kept) == len(members):
            raise FusionError(ERR_SPLIT_KEEP.format(fused=fused_id, members=", ".join(map(str, sorted(members))),
                                                    keep=", ".join(map(str, keep)) or "nothing"))
        rest = [m for m in members.values() if m not in kept]
        at = _now()
        stamp = hashlib.sha256(f"{fused_id}@{at.isoformat()}".encode()).hexdigest()[:6]
        label = f"{fused_id.removeprefix('fused-')}-{stamp}"
        return self.decide(*split_decisions([sorted(kept), sorted(rest)], label, author=author, reason=reason, at=at))

    def retract(self, decision_id: str, *, reason: str | None = None, author: str | None = None) -> FusionResult:
        """Undo an analyst decision: a new decision that retracts it (nothing is deleted)."""
        with self.store.session() as session:
            if session.scalar(select(FusionDecisionRow.seq).where(FusionDecisionRow.id == decision_id)) is None:
                raise FusionNotFound(ERR_NO_DECISION.format(id=decision_id))
        return self.decide(make_decision("retract", retracts=decision_id, author=author, reason=reason, at=_now()))

    def decide(self, *decisions: Decision) -> FusionResult:
        """Record decisions (in one transaction) and re-cluster what they touch.

        ``DecisionConflict`` when one contradicts the decisions in force; nothing is written then.
        """
        with _transaction(self.store) as session:
            workspace = self._workspace(session)
            constraints = workspace.clusterer.constraints
            existing = [_same_decision(d, constraints.active) for d in decisions]  # made again: keep the first
            fresh = [d for d, same in zip(decisions, existing) if same is None]
            touched: set[str] = set()
            for decision in fresh:
                touched |= constraints.apply(decision)
            seeds: list = []
            for chunk in chunks(sorted(touched)):
                seeds += workspace.load(EventRow.id.in_(
                    select(FusedMemberRow.event_id).where(FusedMemberRow.mention_id.in_(chunk))))
            workspace.clusterer.restore(seeds)
            reached = workspace.close([m.id for m in seeds])
            workspace.ensure_vectors(list(workspace.clusterer.mentions.values()))
            update = workspace.clusterer.recluster(reached)
            workspace.write(update)
            if fresh:
                session.execute(insert(FusionDecisionRow), [decision_to_row(d) for d in fresh])
        result = _result(update)
        result.decisions = [same or d for d, same in zip(decisions, existing)]
        return result

    def explain(self, event_a: int, event_b: int) -> PairVerdict:
        """Score two stored event reports as fusion does, and say what keeps them together or apart."""
        if event_a == event_b:
            raise FusionError(ERR_SAME_EVENT.format(id=event_a))
        with self.store.session() as session:
            workspace = self._workspace(session)
            loaded = {workspace.event_of.get(m.id): m for m in workspace.load_ids([event_a, event_b])}
            for event_id in (event_a, event_b):
                if event_id not in loaded:
                    raise FusionNotFound(ERR_NO_EVENT.format(id=event_id))
            a, b = loaded[event_a], loaded[event_b]
            explanation = workspace.fusion.linker.explain(a, b)
            constraints = workspace.clusterer.constraints
            joined = next((source for other, source in constraints.together(a.id) if other == b.id), None)
            fused = dict(session.execute(select(FusedMemberRow.event_id, FusedMemberRow.fused_id)
                                         .where(FusedMemberRow.event_id.in_([event_a, event_b]))).all())
        return PairVerdict(event_a=event_a, event_b=event_b, explanation=explanation, fused_a=fused.get(event_a),
                           fused_b=fused.get(event_b), same_fused_event=fused.get(event_a) is not None
                           and fused.get(event_a) == fused.get(event_b), decision=constraints.apart(a.id, b.id) or joined)

    # -- helpers ----------------------------------------------------------------
    def _workspace(self, session: Session) -> Workspace:
        decisions = [decision_from_row(row) for row in session.scalars(select(FusionDecisionRow).order_by(FusionDecisionRow.seq))]
        fusion = EventFusion(decisions=decisions, gazetteer=self.gazetteer, vectors=VectorCache(self.encoder))
        return Workspace(session, fusion)

    def _members(self, fused_id: str) -> dict[int, str]:
        """Event id -> mention id of each report of a fused event."""
        with self.store.session() as session:
            rows = dict(session.execute(select(FusedMemberRow.event_id, FusedMemberRow.mention_id)
                                        .where(FusedMemberRow.fused_id == fused_id)).all())
        if not rows:
            raise FusionNotFound(ERR_NO_FUSED.format(id=fused_id))
        return rows

    def _mentions_named(self, ids: Sequence[int | str]) -> list[str]:
        """Mention ids of event ids and of every report of fused event ids, in order, without repeats."""
        found: dict[str, None] = {}
        for value in ids:
            text = str(value).strip()
            if text.startswith("fused-"):
                found.update(dict.fromkeys(sorted(self._members(text).values())))
            elif text.isdigit():
                with self.store.session() as session:
                    workspace = self._workspace(session)
                    loaded = workspace.load_ids([int(text)])
                if not loaded:
                    raise FusionNotFound(ERR_NO_EVENT.format(id=text))
                found[loaded[0].id] = None
            else:
                raise FusionError(ERR_BAD_ID.format(value=value))
        return list(found)


def _same_decision(decision: Decision, active: list[Decision]) -> Decision | None:
    """The decision in force that says exactly what ``decision`` says, if any."""
    if decision.kind == "retract":
        return None
    key = (decision.kind, sorted(decision.mentions), decision.label)
    return next((d for d in active if (d.kind, sorted(d.mentions), d.label) == key), None)


@contextmanager
def _transaction(store: Store) -> Iterator[Session]:
    """One transaction; a database error becomes a ``StoreError`` naming what the database said."""
    try:
        with store.sessions.begin() as session:
            yield session
    except SQLAlchemyError as error:
        raise StoreError(ERR_STORE.format(reason=describe_error(error))) from error


def _result(update: ClusterUpdate, events: int = 0, loaded: int = 0) -> FusionResult:
    return FusionResult(created=update.created, updated=update.updated, removed=update.removed, events=events,
                        loaded=loaded)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
