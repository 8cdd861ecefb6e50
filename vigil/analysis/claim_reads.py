"""What claim grouping reads from the store: the claims, what their quotes name, the facts they concern.

Every read is one query over the claims matching the filter (as a subquery),
never one per claim, so grouping 5,000 claims costs a handful of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Row, Select, or_, select
from sqlalchemy.orm import Session

from vigil.analysis.propositions import Mention
from vigil.model.records import Actor, Claim
from vigil.store.anchors import claim_conditions
from vigil.store.filters import EventFilter
from vigil.store.mapping import claim_from_row, period_start
from vigil.store.tables import (
    ActorRow,
    ClaimRow,
    DocumentRow,
    EntityRow,
    EventActorRow,
    EventRow,
    FusedMemberRow,
    RelationRow,
)
from vigil.store.views import DocumentRef


@dataclass(frozen=True)
class ClaimSource:
    """A stored claim with what grouping needs to know about it; the full records are built when asked for."""

    id: int
    row: Row  #: the claim's columns and its document's title, publisher, url and published date
    date: dt.date | None  #: the claim's date, else its document's publication date
    mentions: tuple[Mention, ...]  #: actors and places named inside the quote (offsets into the quote)
    event_ids: tuple[int, ...]
    relation_ids: tuple[int, ...]
    facts: frozenset[str]  #: what makes two claims about one fact: "fused:<id>" (or "e<id>" not fused yet), "r<id>"
    fact_actors: frozenset[str]  #: perpetrators of the events, ends of the relations
    fact_sentences: tuple[str, ...]

    @cached_property
    def claim(self) -> Claim:
        return claim_from_row(self.row)  # type: ignore[arg-type]

    @cached_property
    def document(self) -> DocumentRef:
        row = self.row
        return DocumentRef(id=row.document_id, title=row.title, publisher=row.publisher, url=row.url, published=row.published)

    @property
    def speaker_actor(self) -> str | None:
        """The speaker's organisation when resolved, else the speaker."""
        return self.row.speaker_org_actor_id or self.row.speaker_actor_id


def read_claims(session: Session, dialect: str, filter: EventFilter) -> list[ClaimSource]:
    """The claims matching ``filter`` (conditions only), in document order."""
    conditions = claim_conditions(filter.conditions_only(), dialect)
    documents = select(ClaimRow.document_id).where(*conditions)
    rows = session.execute(  # plain rows, not ORM objects: claim_from_row reads attributes either way
        select(
            *ClaimRow.__table__.columns, DocumentRow.title, DocumentRow.publisher, DocumentRow.url, DocumentRow.published,
        )
        .join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
        .where(*conditions)
        .order_by(ClaimRow.document_id, ClaimRow.ordinal)
    ).all()
    mentions = _mentions(session, documents)
    events = _events(session, documents)
    relations = _relations(session, documents)
    found = []
    for row in rows:
        inside = tuple(
            Mention(start - row.start, end - row.start, text, actor, country)
            for start, end, text, actor, country in mentions.get(row.document_id, ())
            if row.start <= start and end <= row.end
        )
        event_ids, relation_ids, keys, actors, sentences = [], [], set(), set(), []
        for concern in row.concerns or ():
            kind = concern.get("kind")
            fact = (events if kind == "event" else relations if kind == "relation" else {}).get(
                (row.document_id, concern.get("index"))
            )
            if fact is None:
                continue
            fact_id, key, fact_actors, sentence = fact
            (event_ids if kind == "event" else relation_ids).append(fact_id)
            keys.add(key)
            actors |= fact_actors
            sentences.append(sentence)
        found.append(ClaimSource(
            id=row.id, row=row, date=period_start(row.date) or row.published, mentions=inside,
            event_ids=tuple(event_ids), relation_ids=tuple(relation_ids), facts=frozenset(keys), fact_actors=frozenset(actors),
            fact_sentences=tuple(dict.fromkeys(sentences)),
        ))
    return found


def _mentions(session: Session, documents: Select) -> dict[str, list[tuple[int, int, str, str | None, str | None]]]:
    """Per document: resolved actors and located places, as (start, end, text, actor id, country)."""
    found: dict[str, list] = defaultdict(list)
    query = select(
        EntityRow.document_id, EntityRow.start, EntityRow.end, EntityRow.text, EntityRow.actor_id, EntityRow.country
    ).where(
        EntityRow.document_id.in_(documents),
        or_(EntityRow.actor_id.is_not(None), (EntityRow.type == "Location") & EntityRow.country.is_not(None)),
    )
    for document_id, start, end, text, actor_id, country in session.execute(query):
        found[document_id].append((start, end, text, actor_id, None if actor_id else country))
    return found


def _events(session: Session, documents: Select) -> dict[tuple[str, int], tuple[int, str, frozenset[str], str]]:
    """(document, ordinal) -> (event id, fact key, perpetrator actor ids, sentence).

    Reports fused into one event share the fused event's key, so claims about
    the same real-world event in different documents meet through it.
    """
    of_documents = select(EventRow.id).where(EventRow.document_id.in_(documents))
    perpetrators: dict[int, set[str]] = defaultdict(set)
    query = select(EventActorRow.event_id, EventActorRow.actor_id).where(
        EventActorRow.event_id.in_(of_documents), EventActorRow.role == "perpetrator", EventActorRow.actor_id.is_not(None)
    )
    for event_id, actor_id in session.execute(query):
        perpetrators[event_id].add(actor_id)
    fused = dict(session.execute(
        select(FusedMemberRow.event_id, FusedMemberRow.fused_id).where(FusedMemberRow.event_id.in_(of_documents))
    ).all())
    rows = session.execute(
        select(EventRow.document_id, EventRow.ordinal, EventRow.id, EventRow.sentence).where(EventRow.document_id.in_(documents))
    )
    return {
        (doc, ordinal): (row_id, f"fused:{fused[row_id]}" if row_id in fused else f"e{row_id}",
                         frozenset(perpetrators.get(row_id, ())), sentence)
        for doc, ordinal, row_id, sentence in rows
    }


def _relations(session: Session, documents: Select) -> dict[tuple[str, int], tuple[int, str, frozenset[str], str]]:
    """(document, ordinal) -> (relation id, fact key, actor ids at its ends, sentence)."""
    rows = session.execute(
        select(
            RelationRow.document_id, RelationRow.ordinal, RelationRow.id, RelationRow.source_actor_id,
            RelationRow.target_actor_id, RelationRow.sentence,
        ).where(RelationRow.document_id.in_(documents))
    )
    return {
        (doc, ordinal): (row_id, f"r{row_id}", frozenset(a for a in (source, target) if a), sentence)
        for doc, ordinal, row_id, source, target, sentence in rows
    }


def read_lineages(session: Session, actor_ids: set[str]) -> list[Actor]:
    """The stored actors named, with all their ancestors (parents of parents...), for ``ActorResolver``."""
    found: dict[str, Actor] = {}
    wanted = set(actor_ids)
    while wanted:
        rows = session.execute(
            select(ActorRow.id, ActorRow.name, ActorRow.kind, ActorRow.country, ActorRow.parent_id).where(ActorRow.id.in_(wanted))
        ).all()
        for actor_id, name, kind, country, parent in rows:
            found[actor_id] = Actor(id=actor_id, name=name, kind=kind, country=country, parent=parent)
        wanted = {parent for *_, parent in rows if parent and parent not in found}
    return list(found.values())


def with_descendants(session: Session, actor_ids: set[str]) -> set[str]:
    """The actors and every faction or province under them (children of children...)."""
    found = set(actor_ids)
    frontier = set(actor_ids)
    while frontier:
        children = set(session.scalars(select(ActorRow.id).where(ActorRow.parent_id.in_(frontier))))
        frontier = children - found
        found |= frontier
    return found
