"""Claims grouped by what they are about: who asserts it, who denies it, and what was recorded meanwhile.

A group gathers the claims that share a proposition key (``proposition_key``,
the one function issue 5 replaces with embedding similarity). For now the key
is the events and relations a claim concerns, when it names any (so a UN
report's assertion and a spokesman's denial of the same supply relation fall
together); else the canonical actors named inside its quote; else the claim
stands alone.

Beside each group come the events recorded for its subject actors (as
perpetrators) in the period around the claims' dates, so "Islamic State
activity has been reduced to zero" is read next to the Islamic State attacks
recorded in those months.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from vigil.model.records import ActorRef, Claim
from vigil.store.anchors import claim_conditions
from vigil.store.database import Store
from vigil.store.details import stored_event
from vigil.store.filters import EventFilter
from vigil.store.lists import document_ref
from vigil.store.mapping import claim_from_row, period_start
from vigil.store.tables import ActorRow, ClaimRow, DocumentRow, EntityRow, EventActorRow, EventRow, RelationRow
from vigil.store.views import DocumentRef, Page, StoredEvent

WINDOW_DAYS = 90
MAX_EVENTS = 20


class Voice(BaseModel):
    """One claim in a group: who said it, when, in which words, where."""

    model_config = ConfigDict(frozen=True)

    claim_id: int
    speaker: ActorRef
    speaker_org: ActorRef | None
    stance: str
    date: dt.date | None = Field(description="the claim's date, else its document's publication date")
    quote: str
    sentence: str
    document: DocumentRef


class Subject(BaseModel):
    model_config = ConfigDict(frozen=True)

    actor_id: str
    name: str


class ClaimGroup(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str = Field(description="the proposition key shared by the group's claims")
    subjects: list[Subject] = Field(description="actors named in the quotes or in the facts concerned")
    event_ids: list[int] = Field(description="stored events the claims concern")
    relation_ids: list[int] = Field(description="stored relations the claims concern")
    asserted_by: list[Voice]
    denied_by: list[Voice]
    first_date: dt.date | None
    last_date: dt.date | None
    window_start: dt.date | None = Field(description="start of the period whose recorded events are shown")
    window_end: dt.date | None
    recorded_events: list[StoredEvent] = Field(description="events by the subjects in the window, newest first")
    recorded_total: int = Field(description="how many such events in all")


def proposition_key(claim_id: int, event_ids: list[int], relation_ids: list[int], subjects: list[str]) -> str:
    """What a claim is about, as a key: the facts it concerns, else the actors its quote names, else itself."""
    if event_ids or relation_ids:
        return "facts:" + ",".join([f"e{i}" for i in sorted(event_ids)] + [f"r{i}" for i in sorted(relation_ids)])
    if subjects:
        return "actors:" + ",".join(sorted(subjects))
    return f"claim:{claim_id}"


@dataclass
class _Draft:
    key: str
    subjects: set[str] = field(default_factory=set)
    event_ids: set[int] = field(default_factory=set)
    relation_ids: set[int] = field(default_factory=set)
    voices: list[Voice] = field(default_factory=list)


def group_claims(
    store: Store,
    filter: EventFilter | None = None,
    *,
    window_days: int = WINDOW_DAYS,
    max_events: int = MAX_EVENTS,
) -> Page[ClaimGroup]:
    """Groups of the claims matching ``filter``: contested ones (asserted and denied) first, then newest.

    ``filter.limit``/``offset`` page the groups; recorded events are looked
    up for the groups of the page only.
    """
    filter = filter or EventFilter()
    with store.session() as session:
        drafts = _drafts(session, store.dialect, filter)
        names = _names(session, {actor for draft in drafts for actor in draft.subjects})
        drafts.sort(key=_rank)
        end = None if filter.limit is None else filter.offset + filter.limit
        groups = [_group(session, draft, names, window_days, max_events) for draft in drafts[filter.offset : end]]
    return Page[ClaimGroup](items=groups, total=len(drafts), limit=filter.limit, offset=filter.offset)


def _drafts(session, dialect: str, filter: EventFilter) -> list[_Draft]:  # noqa: ANN001
    rows = session.execute(
        select(ClaimRow, DocumentRow)
        .join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
        .where(*claim_conditions(filter.conditions_only(), dialect))
        .order_by(ClaimRow.document_id, ClaimRow.ordinal)
    ).all()
    documents = {document.id for _, document in rows}
    mentions = _actor_mentions(session, documents)
    events = _facts(session, EventRow, documents)
    relations = _facts(session, RelationRow, documents)
    perpetrators = _perpetrators(session, [event_id for event_id, _ in events.values()])
    drafts: dict[str, _Draft] = {}
    for row, document in rows:
        claim = claim_from_row(row)
        quoted = {actor for start, end, actor in mentions.get(row.document_id, ()) if row.start <= start and end <= row.end}
        event_ids, relation_ids, involved = _concerned(claim, row.document_id, events, relations, perpetrators)
        key = proposition_key(row.id, event_ids, relation_ids, sorted(quoted))
        draft = drafts.setdefault(key, _Draft(key=key))
        draft.subjects |= quoted | involved
        draft.event_ids.update(event_ids)
        draft.relation_ids.update(relation_ids)
        draft.voices.append(_voice(row.id, claim, document))
    return list(drafts.values())


def _concerned(claim: Claim, document_id: str, events: dict, relations: dict, perpetrators: dict):  # noqa: ANN001, ANN202
    event_ids: list[int] = []
    relation_ids: list[int] = []
    involved: set[str] = set()
    for concern in claim.concerns:
        if concern.index is None:
            continue
        if concern.kind == "event" and (document_id, concern.index) in events:
            event_id, _ = events[(document_id, concern.index)]
            event_ids.append(event_id)
            involved |= perpetrators.get(event_id, set())
        elif concern.kind == "relation" and (document_id, concern.index) in relations:
            relation_id, ends = relations[(document_id, concern.index)]
            relation_ids.append(relation_id)
            involved |= {actor for actor in ends if actor}
    return event_ids, relation_ids, involved


def _actor_mentions(session, documents: set[str]) -> dict[str, list[tuple[int, int, str]]]:  # noqa: ANN001
    found: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    if documents:
        query = select(EntityRow.document_id, EntityRow.start, EntityRow.end, EntityRow.actor_id).where(
            EntityRow.document_id.in_(documents), EntityRow.actor_id.is_not(None)
        )
        for document_id, start, end, actor_id in session.execute(query):
            found[document_id].append((start, end, actor_id))
    return found


def _facts(session, row_type, documents: set[str]) -> dict[tuple[str, int], tuple[int, tuple]]:  # noqa: ANN001
    """(document, ordinal) -> (row id, actor ids at its ends) for events or relations."""
    if not documents:
        return {}
    if row_type is RelationRow:
        query = select(
            RelationRow.document_id, RelationRow.ordinal, RelationRow.id,
            RelationRow.source_actor_id, RelationRow.target_actor_id,
        ).where(RelationRow.document_id.in_(documents))
        return {(doc, ordinal): (row_id, (source, target)) for doc, ordinal, row_id, source, target in session.execute(query)}
    query = select(EventRow.document_id, EventRow.ordinal, EventRow.id).where(EventRow.document_id.in_(documents))
    return {(doc, ordinal): (row_id, ()) for doc, ordinal, row_id in session.execute(query)}


def _perpetrators(session, event_ids: list[int]) -> dict[int, set[str]]:  # noqa: ANN001
    found: dict[int, set[str]] = defaultdict(set)
    if event_ids:
        query = select(EventActorRow.event_id, EventActorRow.actor_id).where(
            EventActorRow.event_id.in_(event_ids),
            EventActorRow.role == "perpetrator",
            EventActorRow.actor_id.is_not(None),
        )
        for event_id, actor_id in session.execute(query):
            found[event_id].add(actor_id)
    return found


def _names(session, actor_ids: set[str]) -> dict[str, str]:  # noqa: ANN001
    if not actor_ids:
        return {}
    return dict(session.execute(select(ActorRow.id, ActorRow.name).where(ActorRow.id.in_(actor_ids))).all())


def _voice(claim_id: int, claim: Claim, document: DocumentRow) -> Voice:
    return Voice(
        claim_id=claim_id,
        speaker=claim.speaker,
        speaker_org=claim.speaker_org,
        stance=claim.stance,
        date=period_start(claim.date) or document.published,
        quote=claim.text,
        sentence=claim.sentence,
        document=document_ref(document),
    )


def _rank(draft: _Draft) -> tuple:
    stances = {voice.stance for voice in draft.voices}
    latest = max((voice.date for voice in draft.voices if voice.date), default=dt.date.min)
    return (stances != {"asserts", "denies"}, -latest.toordinal(), draft.key)


def _group(session, draft: _Draft, names: dict[str, str], window_days: int, max_events: int) -> ClaimGroup:  # noqa: ANN001
    dates = sorted(voice.date for voice in draft.voices if voice.date)
    first, last = (dates[0], dates[-1]) if dates else (None, None)
    window_start = first - dt.timedelta(days=window_days) if first else None
    window_end = last + dt.timedelta(days=window_days) if last else None
    recorded: list[StoredEvent] = []
    total = 0
    if draft.subjects and window_start and window_end:
        by_subjects = select(EventActorRow.event_id).where(
            EventActorRow.role == "perpetrator", EventActorRow.actor_id.in_(draft.subjects)
        )
        conditions = [EventRow.id.in_(by_subjects), EventRow.date_start.between(window_start, window_end)]
        total = session.scalar(select(func.count(EventRow.id)).where(*conditions)) or 0
        rows = session.execute(
            select(EventRow, DocumentRow)
            .join(DocumentRow, DocumentRow.id == EventRow.document_id)
            .where(*conditions)
            .options(selectinload(EventRow.actors), selectinload(EventRow.weapons))
            .order_by(EventRow.date_start.desc(), EventRow.id.desc())
            .limit(max_events)
        ).all()
        recorded = [stored_event(event, document) for event, document in rows]
    subjects = sorted(
        (Subject(actor_id=actor, name=names.get(actor, actor)) for actor in draft.subjects), key=lambda s: s.name
    )
    return ClaimGroup(
        key=draft.key,
        subjects=subjects,
        event_ids=sorted(draft.event_ids),
        relation_ids=sorted(draft.relation_ids),
        asserted_by=[voice for voice in draft.voices if voice.stance == "asserts"],
        denied_by=[voice for voice in draft.voices if voice.stance == "denies"],
        first_date=first,
        last_date=last,
        window_start=window_start,
        window_end=window_end,
        recorded_events=recorded,
        recorded_total=total,
    )
