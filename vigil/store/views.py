"""What the store hands back: domain records wrapped with their storage identity.

These read models add what only the store knows (row ids, which document a
fact came from, when it was ingested) around the unchanged domain records.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from vigil.model.records import Actor, Claim, Document, Event, Extraction, Relation


class View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SaveResult(View):
    """The outcome of ``save_document``: ``created`` is False when the content was already stored."""

    document_id: str
    created: bool
    counts: dict[str, int] = Field(default_factory=dict, description="rows written per kind of fact")


class SeedResult(View):
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class StoredDocument(View):
    document: Document
    extraction: Extraction
    ingested_at: dt.datetime


class DocumentInfo(View):
    """A line of the document list."""

    id: str
    title: str | None
    publisher: str | None
    published: dt.date | None
    url: str | None
    source: str | None
    ingested_at: dt.datetime
    events: int


class StoredEvent(View):
    id: int
    document_id: str
    document_title: str | None
    document_published: dt.date | None
    date_start: dt.date | None = Field(description="first day of the event's period, used for filtering")
    date_from_document: bool = Field(description="the event had no date of its own; date_start is the publication date")
    event: Event


class ActorInfo(View):
    actor: Actor
    events: int = Field(description="events naming the actor in any role")
    as_perpetrator: int


class StoredClaim(View):
    id: int
    document_id: str
    claim: Claim


class StoredRelation(View):
    id: int
    document_id: str
    relation: Relation
