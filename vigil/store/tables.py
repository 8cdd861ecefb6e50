"""The database tables, declared once (SQLAlchemy 2 typed declarative).

These are storage shapes, not domain records: ``vigil.store.mapping`` is the
only place that converts between the two. Every fact row keeps its document, its
character span, its extractor and its confidence, so provenance survives
storage. ``ordinal`` keeps the order facts had in the extraction (claims refer
to events and relations by their index).

Actor ids in fact rows (``actor_id``, ``source_actor_id``...) are deliberately
not foreign keys: an extraction may name an actor the local gazetteer has not
been seeded with, and that must not stop a document from being stored.

The schema is created by the Alembic migrations in ``migrations/versions``; a
test checks that they produce exactly this metadata.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from vigil.store.expressions import month_start

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _document_fk() -> Mapped[str]:
    return mapped_column(String(200), ForeignKey("documents.id", ondelete="CASCADE"), index=True)


# Markings (migration 0006; see the "markings" section below): every stored record carries its
# TLP 2.0 marking and its owning organisation (NULL = the instance's default organisation "local").
def _tlp_column() -> Mapped[str]:
    return mapped_column(String(20), server_default="TLP:CLEAR", default="TLP:CLEAR")


def _org_column() -> Mapped[str | None]:
    return mapped_column(String(100))


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    language: Mapped[str] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(Text)
    media_type: Mapped[str | None] = mapped_column(String(100))
    licence: Mapped[str | None] = mapped_column(Text)
    attribution: Mapped[str | None] = mapped_column(Text)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    # Markings (migration 0006): facts copy the document's tlp and org_id when stored. The origin
    # says where an imported record came from (NULL: made here).
    tlp: Mapped[str] = _tlp_column()
    org_id: Mapped[str | None] = mapped_column(String(100), index=True)
    origin_instance: Mapped[str | None] = mapped_column(String(300))
    origin_org: Mapped[str | None] = mapped_column(String(200))

    entities: Mapped[list[EntityRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="EntityRow.ordinal"
    )
    events: Mapped[list[EventRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="EventRow.ordinal"
    )
    relations: Mapped[list[RelationRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="RelationRow.ordinal"
    )
    claims: Mapped[list[ClaimRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="ClaimRow.ordinal"
    )
    weapons: Mapped[list[WeaponRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="WeaponRow.ordinal"
    )


class ActorRow(Base):
    __tablename__ = "actors"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    parent_id: Mapped[str | None] = mapped_column(String(200), index=True)
    un_ref: Mapped[str | None] = mapped_column(String(40))
    un_list: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(100))

    aliases: Mapped[list[ActorAliasRow]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", passive_deletes=True, order_by="ActorAliasRow.id"
    )


class ActorAliasRow(Base):
    __tablename__ = "actor_aliases"
    __table_args__ = (UniqueConstraint("actor_id", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    actor_id: Mapped[str] = mapped_column(String(200), ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    normalised: Mapped[str] = mapped_column(String(300), index=True)

    actor: Mapped[ActorRow] = relationship(back_populates="aliases")


class EntityRow(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = _document_fk()
    ordinal: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(40), index=True)
    actor_id: Mapped[str | None] = mapped_column(String(200), index=True)
    extractor: Mapped[str] = mapped_column(String(100))
    # The resolved place, when the mention is a location (all NULL otherwise).
    geo_text: Mapped[str | None] = mapped_column(Text)
    geo_start: Mapped[int | None] = mapped_column(Integer)
    geo_end: Mapped[int | None] = mapped_column(Integer)
    geo_name: Mapped[str | None] = mapped_column(String(300))
    admin1: Mapped[str | None] = mapped_column(String(300))
    admin2: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geonames_id: Mapped[int | None] = mapped_column(Integer)
    geo_precision: Mapped[str | None] = mapped_column(String(20))

    document: Mapped[DocumentRow] = relationship(back_populates="entities")


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = _document_fk()
    ordinal: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    trigger: Mapped[str | None] = mapped_column(Text)
    event_type: Mapped[str] = mapped_column(String(100), index=True)
    sub_event_type: Mapped[str] = mapped_column(String(100), index=True)
    # ``date`` is the event's own normalised date (NULL when the text gave none);
    # ``date_start`` is the first day of its period, or the document's published
    # date when ``date_from_document`` is true. Range filters use ``date_start``.
    date: Mapped[str | None] = mapped_column(String(20))
    date_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_from_document: Mapped[bool] = mapped_column(Boolean)
    date_precision: Mapped[str | None] = mapped_column(String(10))
    date_text: Mapped[str | None] = mapped_column(Text)
    location_text: Mapped[str | None] = mapped_column(Text)
    location_start: Mapped[int | None] = mapped_column(Integer)
    location_end: Mapped[int | None] = mapped_column(Integer)
    location_name: Mapped[str | None] = mapped_column(String(300))
    admin1: Mapped[str | None] = mapped_column(String(300))
    admin2: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geonames_id: Mapped[int | None] = mapped_column(Integer)
    location_precision: Mapped[str | None] = mapped_column(String(20))
    fatalities_min: Mapped[int | None] = mapped_column(Integer)
    fatalities_max: Mapped[int | None] = mapped_column(Integer)
    fatalities_text: Mapped[str | None] = mapped_column(Text)
    injuries_min: Mapped[int | None] = mapped_column(Integer)
    injuries_max: Mapped[int | None] = mapped_column(Integer)
    injuries_text: Mapped[str | None] = mapped_column(Text)
    responsibility: Mapped[str | None] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Float)
    extractor: Mapped[str] = mapped_column(String(100))
    tlp: Mapped[str] = _tlp_column()  # markings (migration 0006)
    org_id: Mapped[str | None] = _org_column()

    document: Mapped[DocumentRow] = relationship(back_populates="events")
    actors: Mapped[list[EventActorRow]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True, order_by="EventActorRow.ordinal"
    )
    weapons: Mapped[list[WeaponRow]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True, order_by="WeaponRow.ordinal"
    )


class EventActorRow(Base):
    __tablename__ = "event_actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(Integer, ForeignKey("events.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # perpetrator | target | victim
    ordinal: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[str | None] = mapped_column(String(200), index=True)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))

    event: Mapped[EventRow] = relationship(back_populates="actors")


class WeaponRow(Base):
    """A weapon mention: of the document, of one event, or of one relation."""

    __tablename__ = "weapons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = _document_fk()
    event_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("events.id", ondelete="CASCADE"), index=True)
    relation_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("relations.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    weapon_class: Mapped[str | None] = mapped_column(String(100), index=True)
    calibre: Mapped[str | None] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(200))
    origin: Mapped[str | None] = mapped_column(String(200))
    tlp: Mapped[str] = _tlp_column()  # markings (migration 0006)
    org_id: Mapped[str | None] = _org_column()

    document: Mapped[DocumentRow] = relationship(back_populates="weapons")
    event: Mapped[EventRow | None] = relationship(back_populates="weapons")
    relation: Mapped[RelationRow | None] = relationship(back_populates="weapons")


class RelationRow(Base):
    __tablename__ = "relations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = _document_fk()
    ordinal: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40), index=True)
    source_actor_id: Mapped[str | None] = mapped_column(String(200), index=True)
    source_text: Mapped[str] = mapped_column(Text)
    source_start: Mapped[int] = mapped_column(Integer)
    source_end: Mapped[int] = mapped_column(Integer)
    source_kind: Mapped[str] = mapped_column(String(20))
    target_actor_id: Mapped[str | None] = mapped_column(String(200), index=True)
    target_text: Mapped[str] = mapped_column(Text)
    target_start: Mapped[int] = mapped_column(Integer)
    target_end: Mapped[int] = mapped_column(Integer)
    target_kind: Mapped[str] = mapped_column(String(20))
    attributed_to_actor_id: Mapped[str | None] = mapped_column(String(200))
    attributed_to_text: Mapped[str | None] = mapped_column(Text)
    attributed_to_start: Mapped[int | None] = mapped_column(Integer)
    attributed_to_end: Mapped[int | None] = mapped_column(Integer)
    attributed_to_kind: Mapped[str | None] = mapped_column(String(20))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    extractor: Mapped[str] = mapped_column(String(100))
    tlp: Mapped[str] = _tlp_column()  # markings (migration 0006)
    org_id: Mapped[str | None] = _org_column()

    document: Mapped[DocumentRow] = relationship(back_populates="relations")
    weapons: Mapped[list[WeaponRow]] = relationship(
        back_populates="relation", cascade="all, delete-orphan", passive_deletes=True, order_by="WeaponRow.ordinal"
    )


class ClaimRow(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = _document_fk()
    ordinal: Mapped[int] = mapped_column(Integer)
    speaker_text: Mapped[str] = mapped_column(Text)
    speaker_actor_id: Mapped[str | None] = mapped_column(String(200), index=True)
    speaker_start: Mapped[int] = mapped_column(Integer)
    speaker_end: Mapped[int] = mapped_column(Integer)
    speaker_kind: Mapped[str] = mapped_column(String(20))
    speaker_org_text: Mapped[str | None] = mapped_column(Text)
    speaker_org_actor_id: Mapped[str | None] = mapped_column(String(200), index=True)
    speaker_org_start: Mapped[int | None] = mapped_column(Integer)
    speaker_org_end: Mapped[int | None] = mapped_column(Integer)
    speaker_org_kind: Mapped[str | None] = mapped_column(String(20))
    stance: Mapped[str] = mapped_column(String(10), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    sentence: Mapped[str] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(20))
    concerns: Mapped[list] = mapped_column(JSON)
    confidence: Mapped[float] = mapped_column(Float)
    extractor: Mapped[str] = mapped_column(String(100))
    tlp: Mapped[str] = _tlp_column()  # markings (migration 0006)
    org_id: Mapped[str | None] = _org_column()

    document: Mapped[DocumentRow] = relationship(back_populates="claims")


# Query indexes (migration 0002; it widened the first, which 0001 created on role and actor only):
# perpetrator counts read from indexes alone (the mentions, then their events' fatalities), a
# filtered page of events (country, type, date range), and the monthly series read in group order
# from a covering index.
Index("ix_event_actors_role_actor_id_event_id", EventActorRow.role, EventActorRow.actor_id, EventActorRow.event_id)
Index("ix_events_country_event_type_date_start", EventRow.country, EventRow.event_type, EventRow.date_start)
Index("ix_events_id_fatalities_min", EventRow.id, EventRow.fatalities_min)
Index(
    "ix_events_month_start",
    month_start(EventRow.date_start),
    EventRow.event_type,
    EventRow.sub_event_type,
    EventRow.country,
    EventRow.date_start,
    EventRow.fatalities_min,
    EventRow.date_precision,
    EventRow.date_from_document,
)


# ---------------------------------------------------------------- recovered weapons (migration 0004)
# Weapons entered or imported by analysts, not extracted from reports: their own table, mapped in
# ``vigil.store.recovered_mapping``. The linked event is a foreign key that empties (not deletes the
# record) when the event goes with its document.


class RecoveredWeaponRow(Base):
    __tablename__ = "recovered_weapons"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    weapon_class: Mapped[str | None] = mapped_column(String(100), index=True)
    make: Mapped[str | None] = mapped_column(String(200))
    model: Mapped[str | None] = mapped_column(String(200))
    calibre: Mapped[str | None] = mapped_column(String(100))
    serial_number: Mapped[str | None] = mapped_column(String(200), index=True)
    serial_obliterated: Mapped[bool] = mapped_column(Boolean)
    markings: Mapped[list] = mapped_column(JSON)
    country_of_manufacture: Mapped[str | None] = mapped_column(String(2), index=True)
    import_marks: Mapped[list] = mapped_column(JSON)
    # ``recovered_on`` as given (2023-07, 2023-07-30); ``recovered_start`` its first day, for range filters.
    recovered_on: Mapped[str | None] = mapped_column(String(20))
    recovered_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    recovered_precision: Mapped[str | None] = mapped_column(String(10))
    place_text: Mapped[str | None] = mapped_column(Text)
    place_name: Mapped[str | None] = mapped_column(String(300))
    admin1: Mapped[str | None] = mapped_column(String(300))
    admin2: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geonames_id: Mapped[int | None] = mapped_column(Integer)
    place_precision: Mapped[str | None] = mapped_column(String(20))
    event_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("events.id", ondelete="SET NULL"), index=True)
    custody_notes: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    tlp: Mapped[str] = _tlp_column()  # markings (migration 0006)
    org_id: Mapped[str | None] = _org_column()


# ---------------------------------------------------------------- event fusion (migration 0003)
# Reports of one real-world event fused into one event (``vigil.resolve``; written by
# ``vigil.store.fusion``). A fused event is a view over its member events: its columns are what
# filters and orders read, its JSON columns the rest of ``resolve.records.FusedEvent``. Analyst
# decisions are never deleted (a retraction is a new decision).


class FusedEventRow(Base):
    __tablename__ = "fused_events"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    label: Mapped[str | None] = mapped_column(String(200))
    event_type: Mapped[str] = mapped_column(String(100), index=True)
    sub_event_type: Mapped[str] = mapped_column(String(100), index=True)
    type_votes: Mapped[dict] = mapped_column(JSON)
    date: Mapped[str | None] = mapped_column(String(20))
    date_precision: Mapped[str | None] = mapped_column(String(10))
    date_rule: Mapped[str | None] = mapped_column(Text)
    date_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    location: Mapped[dict | None] = mapped_column(JSON)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    admin1: Mapped[str | None] = mapped_column(String(300))
    perpetrators: Mapped[list] = mapped_column(JSON)
    targets: Mapped[list] = mapped_column(JSON)
    victims: Mapped[list] = mapped_column(JSON)
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_best: Mapped[int | None] = mapped_column(Integer)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    fatalities: Mapped[dict | None] = mapped_column(JSON)
    injuries_low: Mapped[int | None] = mapped_column(Integer)
    injuries_best: Mapped[int | None] = mapped_column(Integer)
    injuries_high: Mapped[int | None] = mapped_column(Integer)
    injuries: Mapped[dict | None] = mapped_column(JSON)
    responsibility: Mapped[str | None] = mapped_column(String(20))
    n_sources: Mapped[int] = mapped_column(Integer, index=True)
    sources: Mapped[list] = mapped_column(JSON)
    merges: Mapped[list] = mapped_column(JSON)
    decisions: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FusedMemberRow(Base):
    """An event report in a fused event: who put it there (``auto`` or ``analyst``) and why."""

    __tablename__ = "fused_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    fused_id: Mapped[str] = mapped_column(String(200), ForeignKey("fused_events.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(Integer, ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    mention_id: Mapped[str] = mapped_column(String(300), unique=True)
    added_by: Mapped[str] = mapped_column(String(10))
    decision_id: Mapped[str | None] = mapped_column(String(40))
    score: Mapped[float | None] = mapped_column(Float)
    explanation: Mapped[dict | None] = mapped_column(JSON)
    representative: Mapped[bool] = mapped_column(Boolean)


class FusionEdgeRow(Base):
    """Two event reports whose link probability reached the merge threshold, with the explanation."""

    __tablename__ = "fusion_edges"
    __table_args__ = (UniqueConstraint("event_a", "event_b"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_a: Mapped[int] = mapped_column(Integer, ForeignKey("events.id", ondelete="CASCADE"))
    event_b: Mapped[int] = mapped_column(Integer, ForeignKey("events.id", ondelete="CASCADE"), index=True)
    probability: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(200))
    explanation: Mapped[dict] = mapped_column(JSON)


class FusionDecisionRow(Base):
    """An analyst decision (``resolve.records.Decision``), in the order made (``seq``)."""

    __tablename__ = "fusion_decisions"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    mentions: Mapped[list] = mapped_column(JSON)
    label: Mapped[str | None] = mapped_column(String(200))
    retracts: Mapped[str | None] = mapped_column(String(40), index=True)
    author: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)


# Fusion reads the stored events of a country whose dates come near a new report's: one range per precision.
Index("ix_events_country_date_precision_date_start", EventRow.country, EventRow.date_precision, EventRow.date_start)


class FusionVectorRow(Base):
    """A stored sentence embedding of an event's evidence, so a later run does not encode it again."""

    __tablename__ = "fusion_vectors"

    event_id: Mapped[int] = mapped_column(Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    method: Mapped[str] = mapped_column(String(200))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


# ---------------------------------------------------------------- actor proposals (migration 0005)
# New actors proposed from unresolved mentions (``vigil.resolve.actor_proposals``) and the analyst's
# decisions on them (``vigil.store.actor_proposals``). A proposal gets a row when it is first decided;
# ``status`` is its latest decision and ``key`` the spelling key its mentions share, so later runs
# link new mentions of an accepted or merged name and never propose a rejected one again.
# Every decision stays, in the order made.


class ActorProposalRow(Base):
    __tablename__ = "actor_proposals"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), index=True)  # accepted | merged | rejected
    actor_id: Mapped[str | None] = mapped_column(String(200), index=True)
    mentions: Mapped[int] = mapped_column(Integer)
    documents: Mapped[int] = mapped_column(Integer)
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    decisions: Mapped[list[ActorProposalDecisionRow]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ActorProposalDecisionRow.id",
    )


class ActorProposalDecisionRow(Base):
    """One analyst decision on a proposal: accept (a new actor), merge (an alias of an actor) or reject."""

    __tablename__ = "actor_proposal_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    proposal_id: Mapped[str] = mapped_column(
        String(200), ForeignKey("actor_proposals.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    relinked: Mapped[int] = mapped_column(Integer)

    proposal: Mapped[ActorProposalRow] = relationship(back_populates="decisions")


# ---------------------------------------------------------------- markings (migration 0006)
# TLP 2.0 markings and owning organisations are columns of the record tables above (``tlp``,
# ``org_id``; ``origin_*`` on documents). ``vigil.store.policy`` turns them into the WHERE clause of
# every read. An AMBER document is visible to its own organisation and to those it is shared with:
# one row per grant here (organisations are accounts, migration 0007, so ``org_id`` is no foreign key).


class DocumentShareRow(Base):
    __tablename__ = "document_shares"

    document_id: Mapped[str] = mapped_column(
        String(200), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    org_id: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
    granted_by: Mapped[str | None] = mapped_column(String(200))
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


# ---------------------------------------------------------------- accounts and audit (migration 0007)
# Organisations, their users and API tokens (``vigil.store.accounts``), and the audit log
# (``vigil.store.audit``). Passwords are stored as argon2 hashes and tokens as SHA-256 digests, never
# in clear. A login session is a token of kind "session"; "partner" tokens belong to an organisation
# with no user (an instance reading through TAXII). Audit rows keep who acted as text, not as foreign
# keys, so the log outlives any change to the accounts.


class OrganisationRow(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(100), ForeignKey("organisations.id"), index=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))  # admin | analyst | viewer
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(String(40), ForeignKey("users.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[str] = mapped_column(String(100), ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # token | session | partner
    name: Mapped[str | None] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    user_id: Mapped[str | None] = mapped_column(String(40), index=True)
    username: Mapped[str | None] = mapped_column(String(100))
    org_id: Mapped[str | None] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    record_type: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(300))
    detail: Mapped[dict | None] = mapped_column(JSON)
    remote_addr: Mapped[str | None] = mapped_column(String(100))


# ---------------------------------------------------------------- STIX objects (migration 0008)
# Every STIX 2.1 object an import read (``vigil.share.stix``), the latest version of each id: those
# mapped to Vigil records say which (``local_kind``/``local_id``: document id, actor id, or
# "<document id>:<event|relation|claim>:<ordinal>" for facts), the others (malware, indicators,
# unknown custom objects...) are kept verbatim so they are shown, not dropped. An export of a mapped
# record reuses its original id and creator. ``stix_instance`` holds the one id this instance's STIX
# identities and ids derive from (made by the migration, so each database is its own instance).


class StixObjectRow(Base):
    __tablename__ = "stix_objects"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # the STIX id, e.g. malware--<uuid>
    type: Mapped[str] = mapped_column(String(100), index=True)
    spec_version: Mapped[str] = mapped_column(String(10))
    created: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    modified: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    name: Mapped[str | None] = mapped_column(Text)
    tlp: Mapped[str] = _tlp_column()
    org_id: Mapped[str | None] = mapped_column(String(100), index=True)
    origin_instance: Mapped[str | None] = mapped_column(String(300))
    origin_org: Mapped[str | None] = mapped_column(String(200))
    raw: Mapped[dict] = mapped_column(JSON)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    local_kind: Mapped[str | None] = mapped_column(String(20))
    local_id: Mapped[str | None] = mapped_column(String(300))


Index("ix_stix_objects_local_kind_local_id", StixObjectRow.local_kind, StixObjectRow.local_id)


class StixInstanceRow(Base):
    __tablename__ = "stix_instance"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # a UUID
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


# ---------------------------------------------------------------- partners and sync (migration 0009)
# Other Vigil (or any TAXII 2.1) instances this one exchanges records with (``vigil.share.partners``),
# where each pull and push stands (``vigil.share.sync``), and the status resources the TAXII server
# hands back for each POST of objects (``vigil.share.taxii``). A partner's token is stored encrypted
# (``token_secret``), never in clear.


class PartnerRow(Base):
    __tablename__ = "partners"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    taxii_url: Mapped[str] = mapped_column(Text)  # the partner's API root
    collection: Mapped[str] = mapped_column(String(200))
    token_secret: Mapped[str] = mapped_column(Text)
    org_id: Mapped[str] = mapped_column(String(100), index=True)
    max_tlp: Mapped[str] = mapped_column(String(20))
    actors: Mapped[list] = mapped_column(JSON)
    countries: Mapped[list] = mapped_column(JSON)
    regions: Mapped[list] = mapped_column(JSON)
    direction: Mapped[str] = mapped_column(String(10))  # push | pull | both
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    states: Mapped[list[SyncStateRow]] = relationship(
        back_populates="partner", cascade="all, delete-orphan", passive_deletes=True
    )


class SyncStateRow(Base):
    """Where the pull (or the push) with one partner stands: moved forward only after a page commits.

    Pull: ``added_after`` is the lower bound of the run, ``next_token`` the partner's continuation
    within it, ``last_added`` the date_added of the last object imported. Push: ``added_after`` is
    the position (ingested_at and document id) of the last document the partner acknowledged.
    """

    __tablename__ = "sync_state"

    partner_id: Mapped[str] = mapped_column(
        String(100), ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True
    )
    direction: Mapped[str] = mapped_column(String(10), primary_key=True)  # pull | push
    added_after: Mapped[str | None] = mapped_column(String(300))
    next_token: Mapped[str | None] = mapped_column(Text)
    last_added: Mapped[str | None] = mapped_column(String(300))
    last_run_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    runs: Mapped[int] = mapped_column(Integer, default=0)
    objects: Mapped[int] = mapped_column(Integer, default=0)
    documents: Mapped[int] = mapped_column(Integer, default=0)

    partner: Mapped[PartnerRow] = relationship(back_populates="states")


class TaxiiStatusRow(Base):
    """The outcome of one TAXII "add objects" request, readable by the organisation that sent it."""

    __tablename__ = "taxii_statuses"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    org_id: Mapped[str | None] = mapped_column(String(100), index=True)
    user_id: Mapped[str | None] = mapped_column(String(200))
    collection: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    request_timestamp: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    total_count: Mapped[int] = mapped_column(Integer)
    success_count: Mapped[int] = mapped_column(Integer)
    failure_count: Mapped[int] = mapped_column(Integer)
    pending_count: Mapped[int] = mapped_column(Integer)
    successes: Mapped[list] = mapped_column(JSON)
    failures: Mapped[list] = mapped_column(JSON)
