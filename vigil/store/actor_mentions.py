"""Stored mentions of organisations that no actor is linked to, and linking them afterwards.

A mention of an organisation lives in one of eight places: an event's
perpetrators, targets or victims (``event_actors``), a relation's source,
target or reporting source, a claim's speaker or the speaker's organisation,
and the entity mentions typed Organisation. ``unresolved_mentions`` reads
those with no actor; ``relink`` gives every one written a given way an actor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, literal, select, update
from sqlalchemy.orm import Session

from vigil.resolve.actor_proposals import UnresolvedMention
from vigil.store.database import Store
from vigil.store.tables import ClaimRow, DocumentRow, EntityRow, EventActorRow, EventRow, RelationRow

ORGANISATION = "organisation"
_CHUNK = 500
_SENTENCE_END = re.compile(r"[.!?]\s|\n")


@dataclass(frozen=True)
class MentionSlot:
    """One place a mention of an actor is stored: its actor id, words, span and how to read its context."""

    role: str
    table: type
    actor: ColumnElement
    text: ColumnElement
    start: ColumnElement
    end: ColumnElement
    organisation: ColumnElement[bool]
    sentence: ColumnElement | None

    def unresolved(self, documents: Sequence[str] | None = None) -> Select:
        """Rows of this slot naming an organisation with no actor: text, document, role, dates, span, sentence
        (in ``documents`` only, when given)."""
        owner = EventRow if self.table is EventActorRow else self.table
        query = select(
            self.text,
            owner.document_id,
            EventActorRow.role if self.table is EventActorRow else literal(self.role),
            DocumentRow.published,
            DocumentRow.ingested_at,
            self.start,
            self.end,
            self.sentence if self.sentence is not None else literal(None),
        )
        if self.table is EventActorRow:
            query = query.select_from(EventActorRow).join(EventRow, EventRow.id == EventActorRow.event_id)
        query = query.join(DocumentRow, DocumentRow.id == owner.document_id).where(
            self.actor.is_(None), self.text.is_not(None), self.organisation
        )
        return query if documents is None else query.where(owner.document_id.in_(documents))

    def link(self, texts: list[str], actor_id: str):  # noqa: ANN201 (an UPDATE statement)
        """UPDATE: the unresolved organisation mentions written as one of ``texts`` name ``actor_id``."""
        return (
            update(self.table)
            .where(self.actor.is_(None), self.organisation, self.text.in_(texts))
            .values({self.actor.key: actor_id})
            .execution_options(synchronize_session=False)
        )


def _relation_slot(prefix: str, role: str) -> MentionSlot:
    column = lambda name: getattr(RelationRow, f"{prefix}_{name}")  # noqa: E731
    return MentionSlot(role, RelationRow, column("actor_id"), column("text"), column("start"), column("end"),
                       column("kind") == ORGANISATION, RelationRow.sentence)


def _claim_slot(prefix: str, role: str) -> MentionSlot:
    column = lambda name: getattr(ClaimRow, f"{prefix}_{name}")  # noqa: E731
    return MentionSlot(role, ClaimRow, column("actor_id"), column("text"), column("start"), column("end"),
                       column("kind") == ORGANISATION, ClaimRow.sentence)


SLOTS: tuple[MentionSlot, ...] = (
    MentionSlot("event", EventActorRow, EventActorRow.actor_id, EventActorRow.text, EventActorRow.start,
                EventActorRow.end, EventActorRow.kind == ORGANISATION, EventRow.sentence),
    _relation_slot("source", "relation source"),
    _relation_slot("target", "relation target"),
    _relation_slot("attributed_to", "relation reported by"),
    _claim_slot("speaker", "claim speaker"),
    _claim_slot("speaker_org", "claim speaker's organisation"),
    MentionSlot("entity", EntityRow, EntityRow.actor_id, EntityRow.text, EntityRow.start, EntityRow.end,
                EntityRow.type == "Organisation", None),
)


def unresolved_mentions(store: Store, documents: Iterable[str] | None = None) -> list[UnresolvedMention]:
    """Every stored organisation mention without an actor (in ``documents`` only, when given), with its
    document's date and its sentence."""
    found: list[UnresolvedMention] = []
    wanted = None if documents is None else sorted(set(documents))
    chunks = [None] if wanted is None else [wanted[i : i + _CHUNK] for i in range(0, len(wanted), _CHUNK)]
    with store.session() as session:
        for slot, chunk in ((slot, chunk) for chunk in chunks for slot in SLOTS):
            for text, document_id, role, published, ingested_at, start, end, sentence in session.execute(slot.unresolved(chunk)):
                found.append(UnresolvedMention(
                    text=text, document_id=document_id, role=role, published=published or _day(ingested_at),
                    start=start, end=end, sentence=sentence,
                ))
    return found


def linked_mentions(session: Session, actor_ids: Iterable[str]) -> list[tuple[str, str]]:
    """(actor id, words) of every stored organisation mention naming one of ``actor_ids`` that the
    session's viewer may read (a decision's count of linked mentions, as that viewer sees it)."""
    ids = sorted(set(actor_ids))
    found: list[tuple[str, str]] = []
    for slot in SLOTS if ids else ():
        query = select(slot.actor, slot.text).select_from(slot.table).where(slot.actor.in_(ids), slot.organisation)
        found.extend((actor_id, text) for actor_id, text in session.execute(query) if text)
    return found


def _day(moment: dt.datetime | None) -> dt.date | None:
    return moment.date() if moment is not None else None


def relink(session: Session, texts: Iterable[str], actor_id: str) -> int:
    """Link every unresolved organisation mention written as one of ``texts`` to ``actor_id``; how many."""
    wanted = sorted(set(texts))
    linked = 0
    for offset in range(0, len(wanted), _CHUNK):
        for slot in SLOTS:
            linked += session.execute(slot.link(wanted[offset : offset + _CHUNK], actor_id)).rowcount or 0
    return linked


def sentences_of(store: Store, mentions: list[UnresolvedMention]) -> Mapping[UnresolvedMention, str]:
    """The sentence around each mention, cut from its document's text (for mentions stored without one)."""
    ids = sorted({m.document_id for m in mentions})
    with store.session() as session:
        texts = dict(session.execute(select(DocumentRow.id, DocumentRow.text).where(DocumentRow.id.in_(ids))).all())
    return {m: sentence_around(texts.get(m.document_id, ""), m.start, m.end) or m.text for m in mentions}


def sentence_around(text: str, start: int, end: int, most: int = 400) -> str:
    """The sentence of ``text`` holding ``start:end`` (by full stops, question marks and line breaks)."""
    if not (0 <= start <= end <= len(text)):
        return ""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() + 1 if right_match else len(text)
    left, right = max(left, start - most), min(right, end + most)
    return " ".join(text[left:right].split())
