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
