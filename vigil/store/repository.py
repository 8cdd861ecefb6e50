"""Writing to the store, and reading documents back.

``save_document`` stores a document with everything extracted from it in one
transaction; ``seed_actors`` keeps the canonical actors in step with the
gazetteer. Listing and filtering facts lives in ``vigil.store.queries``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, Table, func, insert, or_, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import selectinload

from vigil.errors import StoreError
from vigil.model.records import Actor, Document, Extraction
from vigil.store.database import Store, describe_error
from vigil.store.mapping import (
    ExtractionRows,
    actor_from_row,
    actor_to_row,
    as_utc,
    document_from_row,
    document_to_row,
    extraction_from_row,
    extraction_to_rows,
    marking_of,
    update_actor_row,
)
from vigil.store.tables import (
    ActorRow,
    ClaimRow,
    DocumentRow,
    EntityRow,
    EventActorRow,
    EventRow,
    RelationRow,
    WeaponRow,
)
from vigil.store.views import DocumentInfo, SaveResult, SeedResult, StoredDocument

ERR_EXTRACTION_ID = "Extraction {extraction!r} does not belong to document {document!r}."
ERR_ID_TAKEN = "Document id {id!r} is already stored with different content (hash {hash}...)."
ERR_SAVE = "Could not store document {id!r}: {reason}"
ERR_SEED = "Could not store the actors: {reason}"

_SEED_CHUNK = 500

# Documents and their facts are written with Core inserts on the tables (the ORM is for reading).
_DOCUMENTS: Table = DocumentRow.__table__  # type: ignore[assignment]
_ENTITIES: Table = EntityRow.__table__  # type: ignore[assignment]
_EVENTS: Table = EventRow.__table__  # type: ignore[assignment]
_EVENT_ACTORS: Table = EventActorRow.__table__  # type: ignore[assignment]
_RELATIONS: Table = RelationRow.__table__  # type: ignore[assignment]
_CLAIMS: Table = ClaimRow.__table__  # type: ignore[assignment]
_WEAPONS: Table = WeaponRow.__table__  # type: ignore[assignment]


def save_document(store: Store, document: Document, extraction: Extraction | None = None) -> SaveResult:
    """Store ``document`` and its extraction in one transaction.

    A document whose content hash is already stored is left alone
    (``created=False``, nothing written). On any error nothing of the document
    remains and the error is raised (database errors as ``StoreError``).
    """
    extraction = extraction if extraction is not None else Extraction(id=document.id)
    if extraction.id and extraction.id != document.id:
        raise StoreError(ERR_EXTRACTION_ID.format(extraction=extraction.id, document=document.id))
    try:
        with store.engine.begin() as connection:
            known = connection.execute(
                select(DocumentRow.id, DocumentRow.content_hash).where(
                    or_(DocumentRow.content_hash == document.content_hash, DocumentRow.id == document.id)
                )
            ).all()
            for known_id, known_hash in known:
                if known_hash == document.content_hash:
                    return SaveResult(document_id=known_id, created=False)
            if known:
                raise StoreError(ERR_ID_TAKEN.format(id=document.id, hash=known[0].content_hash[:12]))
            rows = extraction_to_rows(extraction, document.id, document.published, marking_of(document))
            write_document_rows(connection, document_to_row(document, ingested_at=dt.datetime.now(dt.timezone.utc)), rows)
            counts = rows.counts()
    except IntegrityError as error:
        # Another writer may have stored the same content meanwhile: that is a no-op, not an error.
        with store.session() as session:
            existing = _id_for_hash(session, document.content_hash)
        if existing is not None:
            return SaveResult(document_id=existing, created=False)
        raise StoreError(ERR_SAVE.format(id=document.id, reason=describe_error(error))) from error
    except SQLAlchemyError as error:
        raise StoreError(ERR_SAVE.format(id=document.id, reason=describe_error(error))) from error
    return SaveResult(document_id=document.id, created=True, counts=counts)


def write_document_rows(connection: Connection, document_row: dict, rows: ExtractionRows) -> None:
    """Insert a document's rows: a few bulk inserts instead of an ORM flush of every object."""
    connection.execute(insert(_DOCUMENTS), [document_row])
    _insert(connection, _ENTITIES, rows.entities)
    _insert(connection, _CLAIMS, rows.claims)
    event_ids = _insert_returning_ids(connection, _EVENTS, rows.events)
    relation_ids = _insert_returning_ids(connection, _RELATIONS, rows.relations)
    event_actors, weapons = rows.link(event_ids, relation_ids)
    _insert(connection, _EVENT_ACTORS, event_actors)
    _insert(connection, _WEAPONS, rows.weapons + weapons)


def _insert(connection: Connection, table: Table, rows: list[dict]) -> None:
    if rows:  # an empty parameter list would insert one row of defaults
        connection.execute(insert(table), rows)


def _insert_returning_ids(connection: Connection, table: Table, rows: list[dict]) -> list[int]:
    """Insert ``rows`` and return their new ids in the order of ``rows``."""
    if not rows:
        return []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(connection.execute(statement, rows).scalars())


def delete_document(store: Store, document_id: str) -> bool:
    """Remove a document and every fact extracted from it; False if it was not stored.

    The fused events its reports were in are left to repair (``vigil fuse`` does):
    delete through ``vigil.workflow.forget_document``, which rebuilds them at once.
    """
    with store.sessions.begin() as session:
        row = session.get(DocumentRow, document_id)
        if row is None:
            return False
        session.delete(row)
    return True


def seed_actors(store: Store, actors: Iterable[Actor]) -> SeedResult:
    """Insert or update canonical actors and their aliases (idempotent)."""
    wanted = {actor.id: actor for actor in actors}
    created = updated = unchanged = 0
    ids = list(wanted)
    try:
        with store.sessions.begin() as session:
            for offset in range(0, len(ids), _SEED_CHUNK):
                chunk = ids[offset : offset + _SEED_CHUNK]
                rows = session.scalars(
                    select(ActorRow).where(ActorRow.id.in_(chunk)).options(selectinload(ActorRow.aliases))
                )
                existing = {row.id: row for row in rows}
                for actor_id in chunk:
                    row = existing.get(actor_id)
                    if row is None:
                        session.add(actor_to_row(wanted[actor_id]))
                        created += 1
                    elif update_actor_row(row, wanted[actor_id]):
                        updated += 1
                    else:
                        unchanged += 1
    except SQLAlchemyError as error:
        raise StoreError(ERR_SEED.format(reason=describe_error(error))) from error
    return SeedResult(created=created, updated=updated, unchanged=unchanged)


def get_actor(store: Store, actor_id: str) -> Actor | None:
    with store.session() as session:
        row = session.get(ActorRow, actor_id, options=[selectinload(ActorRow.aliases)])
        return actor_from_row(row) if row is not None else None


def get_document(store: Store, document_id: str) -> StoredDocument | None:
    """A stored document with its extraction read back, or None."""
    with store.session() as session:
        row = session.get(
            DocumentRow,
            document_id,
            options=[
                selectinload(DocumentRow.entities),
                selectinload(DocumentRow.weapons),
                selectinload(DocumentRow.events).selectinload(EventRow.actors),
                selectinload(DocumentRow.events).selectinload(EventRow.weapons),
                selectinload(DocumentRow.relations).selectinload(RelationRow.weapons),
                selectinload(DocumentRow.claims),
            ],
        )
        if row is None:
            return None
        return StoredDocument(
            document=document_from_row(row), extraction=extraction_from_row(row), ingested_at=as_utc(row.ingested_at)
        )


def list_documents(store: Store, *, limit: int | None = None, offset: int = 0) -> list[DocumentInfo]:
    """Stored documents, most recently ingested first, with their event counts."""
    events = (
        select(EventRow.document_id, func.count(EventRow.id).label("n"))
        .group_by(EventRow.document_id)
        .subquery()
    )
    query = (
        select(DocumentRow, func.coalesce(events.c.n, 0))
        .outerjoin(events, events.c.document_id == DocumentRow.id)
        .order_by(DocumentRow.ingested_at.desc(), DocumentRow.id)
        .offset(offset)
        .limit(limit)
    )
    with store.session() as session:
        return [
            DocumentInfo(
                id=row.id,
                title=row.title,
                publisher=row.publisher,
                published=row.published,
                url=row.url,
                source=row.source,
                ingested_at=as_utc(row.ingested_at),
                events=count,
                tlp=row.tlp,
                org_id=row.org_id,
            )
            for row, count in session.execute(query)
        ]


def count_documents(store: Store) -> int:
    return _count(store, DocumentRow.id)


def count_actors(store: Store) -> int:
    return _count(store, ActorRow.id)


def count_claims(store: Store) -> int:
    return _count(store, ClaimRow.id)


def count_relations(store: Store) -> int:
    return _count(store, RelationRow.id)


def count_weapons(store: Store) -> int:
    return _count(store, WeaponRow.id)


def find_document_id(store: Store, content_hash: str) -> str | None:
    """The id of the stored document with this content hash, if any (lets ingest skip re-extraction)."""
    with store.session() as session:
        return _id_for_hash(session, content_hash)


def _count(store: Store, column) -> int:  # noqa: ANN001 (a mapped column)
    with store.session() as session:
        return session.scalar(select(func.count(column))) or 0


def _id_for_hash(session, content_hash: str) -> str | None:  # noqa: ANN001
    return session.scalar(select(DocumentRow.id).where(DocumentRow.content_hash == content_hash))
