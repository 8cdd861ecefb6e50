"""What the store hands back: domain records wrapped with their storage identity.

These read models add what only the store knows (row ids, which document a
fact came from, when it was ingested) around the unchanged domain records.
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from vigil.model.access import Tlp
from vigil.model.records import (
    Actor,
    ActorRef,
    Bounds,
    Claim,
    Document,
    Event,
    Extraction,
    Location,
    Relation,
    WeaponMention,
)


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
    tlp: Tlp = Field(default=Tlp.CLEAR, description="TLP 2.0 marking (a fact's is its document's)")
    org_id: str | None = Field(default=None, description='owning organisation (None: the default "local")')


class StoredEvent(View):
    id: int
    document_id: str
    document_title: str | None
    document_published: dt.date | None
    date_start: dt.date | None = Field(description="first day of the event's period, used for filtering")
    date_from_document: bool = Field(description="the event had no date of its own; date_start is the publication date")
    event: Event
    tlp: Tlp = Field(default=Tlp.CLEAR, description="TLP 2.0 marking (a fact's is its document's)")
    org_id: str | None = Field(default=None, description='owning organisation (None: the default "local")')


class ActorInfo(View):
    actor: Actor
    events: int = Field(description="events naming the actor in any role")
    as_perpetrator: int


class StoredClaim(View):
    id: int
    document_id: str
    claim: Claim
    tlp: Tlp = Field(default=Tlp.CLEAR, description="TLP 2.0 marking (a fact's is its document's)")
    org_id: str | None = Field(default=None, description='owning organisation (None: the default "local")')


class StoredRelation(View):
    id: int
    document_id: str
    relation: Relation
    tlp: Tlp = Field(default=Tlp.CLEAR, description="TLP 2.0 marking (a fact's is its document's)")
    org_id: str | None = Field(default=None, description='owning organisation (None: the default "local")')


# ---------------------------------------------------------------- pages and details for the API and dashboard

T = TypeVar("T")


class Page(View, Generic[T]):
    """One page of a list and how many items match in all (``limit`` None: no limit)."""

    items: list[T]
    total: int
    limit: int | None
    offset: int


class DocumentRef(View):
    """What a fact's source looks like in a list: enough to cite and link it."""

    id: str
    title: str | None
    publisher: str | None
    url: str | None
    published: dt.date | None
    tlp: Tlp = Field(default=Tlp.CLEAR, description="TLP 2.0 marking (a fact's is its document's)")
    org_id: str | None = Field(default=None, description='owning organisation (None: the default "local")')


class FieldSpan(View):
    """Where in the document one field of a fact was read (``start``/``end`` None: not locatable)."""

    field: str = Field(description="location, date, trigger, perpetrator, target, victim, weapon, fatalities, injuries")
    text: str
    start: int | None
    end: int | None
    actor: str | None = Field(default=None, description="canonical actor id, for actor fields")


class EventSource(View):
    """One report of an event: its figures and its words. Today every event has exactly one."""

    document: DocumentRef
    quote: str = Field(description="the evidence sentence")
    start: int
    end: int
    fatalities: Bounds | None
    injuries: Bounds | None
    date: str | None


class EventDetail(View):
    id: int
    event: Event
    date_start: dt.date | None
    date_from_document: bool
    document: DocumentRef
    fields: list[FieldSpan]
    claims: list[StoredClaim] = Field(description="claims in the same document that concern this event")
    sources: list[EventSource]


class RelationDetail(View):
    id: int
    relation: Relation
    document: DocumentRef
    claims: list[StoredClaim] = Field(description="claims in the same document that concern this relation")


class ClaimDetail(View):
    id: int
    claim: Claim
    document: DocumentRef
    events: list[StoredEvent] = Field(description="the events the claim concerns")
    relations: list[StoredRelation] = Field(description="the relations the claim concerns")


class StoredWeapon(View):
    """A weapon mention with what it belongs to: an event (and its actors), a relation, or the document."""

    id: int
    document: DocumentRef
    weapon: WeaponMention
    event_id: int | None
    relation_id: int | None
    date: dt.date | None = Field(description="the event's date_start, else the document's publication date")
    country: str | None
    admin1: str | None
    actors: list[ActorRef] = Field(description="perpetrators of its event, or source and target of its relation")
    sentence: str | None = Field(description="the sentence of its event or relation")


class ExtractionSpan(View):
    """One extracted mention of a document and what it was resolved to."""

    kind: str = Field(description="entity, event, perpetrator, target, victim, relation, claim or weapon")
    type: str = Field(
        description="re3d entity type, ACLED sub-event type, organisation/person, relation type, stance or weapon class"
    )
    start: int
    end: int
    text: str
    actor_id: str | None = None
    actor_name: str | None = None
    place: Location | None = None
    event_type: str | None = None
    fact_id: int | None = Field(default=None, description="id of the stored event, relation, claim or weapon")


class DocumentDetail(View):
    document: Document
    ingested_at: dt.datetime
    extraction: Extraction
    spans: list[ExtractionSpan] = Field(description="every extraction, ordered by position in the text")
    event_ids: list[int]
    relation_ids: list[int]
    claim_ids: list[int]


class PeriodCount(View):
    period: str = Field(description="YYYY-MM")
    events: int


class ValueCount(View):
    value: str | None
    count: int


class ActorLink(View):
    """A relation seen from one actor's side, with its source."""

    id: int
    relation: Relation
    document: DocumentRef


class ActorProfile(View):
    actor: Actor
    parent: Actor | None
    factions: list[Actor] = Field(description="actors whose parent is this one")
    events: int
    as_perpetrator: int
    events_by_month: list[PeriodCount]
    relations_out: list[ActorLink]
    relations_in: list[ActorLink]
    weapon_classes: list[ValueCount]
    weapon_models: list[ValueCount]
    weapon_origins: list[ValueCount]
    claims_by: list[StoredClaim] = Field(description="claims the actor (or one of its people) made")
    claims_about: list[StoredClaim] = Field(description="claims concerning its events or relations")


# ---------------------------------------------------------------- aggregates (the data behind the dashboard's charts)


class Totals(View):
    events: int
    fatalities_min: int = Field(description="sum of the lower bounds of reported fatalities")
    documents: int = Field(description="documents with a matching event (all documents without a filter)")
    actors: int = Field(description="distinct canonical actors named by matching events, in any role")


class Count(View):
    """One bar of a chart: a value, its label, how many events and at least how many dead."""

    key: str | None = Field(description="actor id or words, type name, country code, 'PK/Punjab'; None: missing")
    label: str
    events: int
    fatalities_min: int


class ActorWeaponCount(View):
    actor_id: str | None
    actor: str
    role: str = Field(description="uses (event perpetrator), supplies (relation source) or receives (relation target)")
    weapon_class: str | None
    count: int


class SupplyReport(View):
    """One report of a supply relation, with its words and whether the same document denies it."""

    relation_id: int
    document: DocumentRef
    sentence: str
    attributed_to: ActorRef | None
    weapons: list[WeaponMention]
    denied: bool
    denials: list[StoredClaim] = Field(description="claims of the same document denying this relation")
    assertions: list[StoredClaim] = Field(
        default_factory=list, description="claims of the same document asserting this relation (who says so, when)"
    )


class SupplyEdge(View):
    source: str = Field(description="node id of the supplier")
    target: str = Field(description="node id of the recipient")
    weapons: list[ValueCount] = Field(description="weapon classes named across its reports")
    reports: list[SupplyReport]
    denied: bool = Field(description="at least one report is denied in its own document")
    first_reported: dt.date | None = Field(default=None, description="publication date of its earliest dated report")
    last_reported: dt.date | None = Field(default=None, description="publication date of its latest dated report")


class NetworkNode(View):
    id: str = Field(description="canonical actor id, or 'text:<words>' for an unresolved actor")
    label: str
    actor_id: str | None
    supplies: int = Field(description="reports of this actor supplying weapons")
    receives: int


class SupplyNetwork(View):
    nodes: list[NetworkNode]
    edges: list[SupplyEdge]
