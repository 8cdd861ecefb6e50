"""STIX objects in the store: the instance id, what an import read, and writing an import at once.

``write_import`` stores everything one bundle maps to (new actors, documents with
their facts, replaced documents, and a row per STIX object) in one transaction, so
a failure leaves nothing behind. The ``stix_objects`` rows keep each object's latest
version verbatim; those mapped to records say which, and exports reuse their ids.
Reads of ``stix_objects`` go through the session hook of ``vigil.store.policy`` like every marked
table (no shares: an AMBER object is visible to the importing organisation only); the reads an
import needs are unrestricted on purpose.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pydantic import Field
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from vigil.errors import StoreError
from vigil.model.records import Actor, Document, Extraction
from vigil.store.database import Store, describe_error
from vigil.store.mapping import (
    actor_from_row,
    actor_to_row,
    as_utc,
    document_to_row,
    extraction_to_rows,
    marking_of,
    normalise_name,
)
from vigil.store.repository import write_document_rows  # the same inserts as save_document
from vigil.store.tables import ActorAliasRow, ActorRow, DocumentRow, StixInstanceRow, StixObjectRow
from vigil.store.views import Page, View

ERR_IMPORT = "Could not store the STIX import: {reason}"
ERR_NO_INSTANCE = "The store has no STIX instance id and could not make one."
_CHUNK = 500


class StixObjectInfo(View):
    """A line of the STIX object list."""

    id: str
    type: str
    spec_version: str
    name: str | None
    created: dt.datetime | None
    modified: dt.datetime | None
    tlp: str
    org_id: str | None
    origin_instance: str | None
    origin_org: str | None
    imported_at: dt.datetime
    local_kind: str | None = Field(description="document, event, relation, claim, actor, location...; None: kept verbatim")
    local_id: str | None


class StixObjectDetail(StixObjectInfo):
    raw: dict = Field(description="the object as it arrived")


@dataclass(frozen=True)
class KnownObject:
    """What an earlier import stored for one STIX id."""

    id: str
    modified: dt.datetime | None
    local_kind: str | None
    local_id: str | None
    raw: dict


@dataclass
class ObjectRecord:
    """One STIX object of an import, as it will be stored."""

    raw: dict
    tlp: str
    org_id: str | None
    origin_instance: str | None
    origin_org: str | None
    local_kind: str | None = None
    local_id: str | None = None


@dataclass
class DocumentWrite:
    """A document to store; ``replaces``: the local document an older version of it became."""

    document: Document
    extraction: Extraction
    replaces: str | None = None


@dataclass
class ImportWrite:
    actors: list[Actor] = field(default_factory=list)
    documents: list[DocumentWrite] = field(default_factory=list)
    objects: list[ObjectRecord] = field(default_factory=list)


@dataclass
class WriteOutcome:
    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- the instance


def instance_id(store: Store) -> str:
    """This database's STIX instance id (made by migration 0008, or here if a table reset emptied it).

    The oldest row wins, so two processes that both find none and both insert agree on one id.
    """
    query = select(StixInstanceRow.id).order_by(StixInstanceRow.created_at, StixInstanceRow.id).limit(1)
    with store.session() as session:
        found = session.scalar(query)
    if found is None:
        with store.sessions.begin() as session:
            session.add(StixInstanceRow(id=str(uuid.uuid4()), created_at=dt.datetime.now(dt.timezone.utc)))
        with store.session() as session:
            found = session.scalar(query)
    if found is None:
        raise StoreError(ERR_NO_INSTANCE)
    return found


def organisation_names(store: Store) -> dict[str, str]:
    """Organisation id -> name (empty before accounts exist)."""
    from vigil.store.accounts import list_organisations

    return {organisation.id: organisation.name for organisation in list_organisations(store)}


# ---------------------------------------------------------------- reads for exports and imports


def known_objects(store: Store, ids: Iterable[str]) -> dict[str, KnownObject]:
    """The stored versions of these STIX ids, whoever may see them: an import must know what it
    would overwrite (hence the unrestricted session)."""
    wanted = sorted(set(ids))
    found: dict[str, KnownObject] = {}
    with store.for_viewer(None).session() as session:
        for first in range(0, len(wanted), _CHUNK):
            rows = session.scalars(select(StixObjectRow).where(StixObjectRow.id.in_(wanted[first : first + _CHUNK])))
            found.update({row.id: _known(row) for row in rows})
    return found


def objects_for_records(store: Store, local_kind: str, local_ids: Iterable[str]) -> dict[str, KnownObject]:
    """Local id -> the STIX object an import mapped to it (exports reuse its id, dates and creator).

    Unrestricted: the record itself was already checked against the viewer; the object it was
    imported from only lends it its STIX identity."""
    wanted = sorted(set(local_ids))
    found: dict[str, KnownObject] = {}
    with store.for_viewer(None).session() as session:
        for first in range(0, len(wanted), _CHUNK):
            rows = session.scalars(
                select(StixObjectRow).where(
                    StixObjectRow.local_kind == local_kind, StixObjectRow.local_id.in_(wanted[first : first + _CHUNK])
                )
            )
            found.update({row.local_id: _known(row) for row in rows if row.local_id is not None})
    return found


def actors_by_id(store: Store, ids: Iterable[str]) -> dict[str, Actor]:
    wanted = sorted(set(ids))
    found: dict[str, Actor] = {}
    with store.session() as session:
        for first in range(0, len(wanted), _CHUNK):
            rows = session.scalars(
                select(ActorRow).where(ActorRow.id.in_(wanted[first : first + _CHUNK])).options(selectinload(ActorRow.aliases))
            )
            found.update({row.id: actor_from_row(row) for row in rows})
    return found


def find_actor(store: Store, *, un_ref: str | None, names: Sequence[str]) -> str | None:
    """The canonical actor with this UN sanctions reference, else one named by any of ``names``."""
    with store.session() as session:
        if un_ref:
            found = session.scalar(select(ActorRow.id).where(func.upper(ActorRow.un_ref) == un_ref.strip().upper()).limit(1))
            if found:
                return found
        normalised = sorted({normalise_name(name) for name in names if name and name.strip()})
        if not normalised:
            return None
        by_alias = select(ActorAliasRow.actor_id).where(ActorAliasRow.normalised.in_(normalised))
        query = (
            select(ActorRow.id)
            .where(or_(func.lower(ActorRow.name).in_([n.lower() for n in normalised]), ActorRow.id.in_(by_alias)))
            .order_by(ActorRow.id)
            .limit(1)
        )
        return session.scalar(query)


def actor_exists(store: Store, actor_id: str) -> bool:
    with store.session() as session:
        return session.get(ActorRow, actor_id) is not None


# ---------------------------------------------------------------- the list shown to users


def page_stix_objects(
    store: Store, *, type: str | None = None, mapped: bool = False, limit: int | None = 100, offset: int = 0
) -> Page[StixObjectInfo]:
    """Stored STIX objects the viewer may see, newest import first: by default those kept verbatim
    (not mapped to a record); ``mapped`` lists every object."""
    conditions = []
    if type:
        conditions.append(StixObjectRow.type == type)
    if not mapped:
        conditions.append(StixObjectRow.local_kind.is_(None))
    query = (
        select(StixObjectRow)
        .where(*conditions)
        .order_by(StixObjectRow.imported_at.desc(), StixObjectRow.id)
        .offset(offset)
        .limit(limit)
    )
    with store.session() as session:
        items = [_info(row) for row in session.scalars(query)]
        total = session.scalar(select(func.count(StixObjectRow.id)).where(*conditions)) or 0
    return Page[StixObjectInfo](items=items, total=total, limit=limit, offset=offset)


def get_stix_object(store: Store, stix_id: str) -> StixObjectDetail | None:
    """One stored STIX object with its JSON, or None (also when the viewer may not see it)."""
    with store.session() as session:
        row = session.scalar(select(StixObjectRow).where(StixObjectRow.id == stix_id))
        if row is None:
            return None
        return StixObjectDetail(**_info(row).model_dump(), raw=row.raw)


def stix_types(store: Store) -> list[tuple[str, int]]:
    """Types of the objects kept verbatim that the viewer may see, with their counts."""
    query = (
        select(StixObjectRow.type, func.count(StixObjectRow.id))
        .where(StixObjectRow.local_kind.is_(None))
        .group_by(StixObjectRow.type)
        .order_by(StixObjectRow.type)
    )
    with store.session() as session:
        return [(type_, count) for type_, count in session.execute(query)]


# ---------------------------------------------------------------- writing an import


def write_import(store: Store, plan: ImportWrite) -> WriteOutcome:
    """Store the plan in one transaction: nothing of it stays if any part fails."""
    outcome = WriteOutcome()
    now = dt.datetime.now(dt.timezone.utc)
    try:
        with store.engine.begin() as connection:
            with Session(bind=connection) as session:
                for actor in plan.actors:
                    session.add(actor_to_row(actor))
                session.flush()
            for item in plan.documents:
                if item.replaces is not None:
                    connection.execute(delete(DocumentRow).where(DocumentRow.id == item.replaces))
                document = item.document
                known = connection.execute(
                    select(DocumentRow.id).where(
                        or_(DocumentRow.content_hash == document.content_hash, DocumentRow.id == document.id)
                    )
                ).first()
                if known is not None:
                    outcome.duplicates.append(known[0])
                    continue
                rows = extraction_to_rows(item.extraction, document.id, document.published, marking_of(document))
                write_document_rows(connection, document_to_row(document, ingested_at=now), rows)
                (outcome.replaced if item.replaces is not None else outcome.created).append(document.id)
            ids = [record.raw["id"] for record in plan.objects]
            for first in range(0, len(ids), _CHUNK):
                connection.execute(delete(StixObjectRow).where(StixObjectRow.id.in_(ids[first : first + _CHUNK])))
            if plan.objects:
                connection.execute(insert(StixObjectRow), [_object_row(record, now) for record in plan.objects])
    except SQLAlchemyError as error:
        raise StoreError(ERR_IMPORT.format(reason=describe_error(error))) from error
    return outcome


def _object_row(record: ObjectRecord, now: dt.datetime) -> dict:
    raw = record.raw
    return {
        "id": raw["id"],
        "type": raw["type"],
        "spec_version": str(raw.get("spec_version", "2.1")),
        "created": _timestamp(raw.get("created")),
        "modified": _timestamp(raw.get("modified") or raw.get("created")),
        "name": _name(raw),
        "tlp": record.tlp,
        "org_id": record.org_id,
        "origin_instance": record.origin_instance,
        "origin_org": record.origin_org,
        "raw": raw,
        "imported_at": now,
        "local_kind": record.local_kind,
        "local_id": record.local_id,
    }


def _timestamp(value: object) -> dt.datetime | None:
    """A STIX timestamp as an aware datetime (the importer has checked it); None when absent."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    moment = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _name(raw: dict) -> str | None:
    for key in ("name", "value", "abstract", "pattern", "relationship_type", "opinion"):
        value = raw.get(key)
        if isinstance(value, str) and value.strip():
            return value[:500]
    return None


def _known(row: StixObjectRow) -> KnownObject:
    modified = as_utc(row.modified) if row.modified is not None else None
    return KnownObject(id=row.id, modified=modified, local_kind=row.local_kind, local_id=row.local_id, raw=row.raw)


def _info(row: StixObjectRow) -> StixObjectInfo:
    return StixObjectInfo(
        id=row.id, type=row.type, spec_version=row.spec_version, name=row.name,
        created=as_utc(row.created) if row.created else None, modified=as_utc(row.modified) if row.modified else None,
        tlp=row.tlp, org_id=row.org_id, origin_instance=row.origin_instance, origin_org=row.origin_org,
        imported_at=as_utc(row.imported_at), local_kind=row.local_kind, local_id=row.local_id,
    )
