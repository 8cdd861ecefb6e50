"""Changing a document's marking, and sharing an AMBER document with another organisation.

Both are analyst decisions on one document made by its own organisation: a viewer who
cannot see the document gets ``MarkingNotFound`` (it does not exist for them), one of
another organisation (an AMBER document shared with them) gets ``MarkingRefused``.
Re-marking changes the document and every fact extracted from it in one transaction, so
the query-level policy (``vigil.store.policy``) never sees them disagree.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from vigil.errors import StoreError, VigilError
from vigil.model.access import Tlp
from vigil.store.database import Store, describe_error
from vigil.store.policy import DEFAULT_ORG
from vigil.store.tables import ClaimRow, DocumentRow, DocumentShareRow, EventRow, RelationRow, WeaponRow

ERR_NO_DOCUMENT = "No stored document with id {id!r}."
ERR_NOT_OWNER = "Document {id!r} belongs to organisation {owner!r}; only its own organisation may {action} it."
ERR_SHARE_TLP = (
    "Document {id!r} is {tlp}: only TLP:AMBER documents are shared with named organisations "
    "(CLEAR and GREEN are visible to everyone here; AMBER+STRICT and RED stay in their organisation)."
)
ERR_SHARE_SELF = "Document {id!r} already belongs to organisation {org!r}."
ERR_BAD_ORG = "Organisation id must be 1 to 100 characters, not {value!r}."
ERR_WRITE = "Could not change document {id!r}: {reason}"

#: Fact tables that copy their document's marking.
FACT_TABLES = (EventRow, RelationRow, ClaimRow, WeaponRow)


class MarkingNotFound(VigilError):
    """The document is not stored, or not visible to the viewer (the same thing to them)."""


class MarkingRefused(VigilError):
    """The viewer may see the document but not change its marking or shares."""


class Marking(BaseModel):
    """A document's marking, its owner and the organisations an AMBER document is shared with."""

    document_id: str
    tlp: Tlp
    org_id: str = Field(description='owning organisation ("local": the instance\'s own)')
    previous_tlp: Tlp | None = Field(default=None, description="the marking before this change")
    shared_with: list[str] = Field(default_factory=list)
    facts: int = Field(default=0, description="fact rows whose marking was changed with the document")


def get_marking(store: Store, document_id: str) -> Marking:
    """The document's marking as the store's viewer sees it; ``MarkingNotFound`` if they cannot."""
    with store.session() as session:
        row = session.get(DocumentRow, document_id)
        if row is None:
            raise MarkingNotFound(ERR_NO_DOCUMENT.format(id=document_id))
        shares = list(session.scalars(
            select(DocumentShareRow.org_id).where(DocumentShareRow.document_id == document_id).order_by(DocumentShareRow.org_id)
        ))
        return Marking(document_id=row.id, tlp=Tlp(row.tlp), org_id=row.org_id or DEFAULT_ORG, shared_with=shares)


def mark_document(store: Store, document_id: str, tlp: Tlp | str) -> Marking:
    """Give the document and all its facts the marking ``tlp`` (one transaction)."""
    marking = tlp if isinstance(tlp, Tlp) else Tlp.parse(tlp)
    current = _owned(store, document_id, "re-mark")
    try:
        with store.sessions.begin() as session:
            session.execute(update(DocumentRow).where(DocumentRow.id == document_id).values(tlp=marking.value))
            facts = 0
            for table in FACT_TABLES:
                facts += session.execute(
                    update(table).where(table.document_id == document_id).values(tlp=marking.value)
                ).rowcount or 0
    except SQLAlchemyError as error:
        raise StoreError(ERR_WRITE.format(id=document_id, reason=describe_error(error))) from error
    return current.model_copy(update={"tlp": marking, "previous_tlp": current.tlp, "facts": facts})


def share_document(store: Store, document_id: str, org_id: str, granted_by: str | None = None) -> Marking:
    """Share an AMBER document with organisation ``org_id`` (a no-op when it already is)."""
    org = (org_id or "").strip()
    if not org or len(org) > 100:
        raise MarkingRefused(ERR_BAD_ORG.format(value=org_id))
    current = _owned(store, document_id, "share")
    if current.tlp is not Tlp.AMBER:
        raise MarkingRefused(ERR_SHARE_TLP.format(id=document_id, tlp=current.tlp.value))
    if org == current.org_id:
        raise MarkingRefused(ERR_SHARE_SELF.format(id=document_id, org=org))
    if org not in current.shared_with:
        try:
            with store.sessions.begin() as session:
                session.add(DocumentShareRow(
                    document_id=document_id, org_id=org, granted_by=granted_by, granted_at=dt.datetime.now(dt.timezone.utc)
                ))
        except SQLAlchemyError as error:
            raise StoreError(ERR_WRITE.format(id=document_id, reason=describe_error(error))) from error
    return current.model_copy(update={"shared_with": sorted({*current.shared_with, org})})


def _owned(store: Store, document_id: str, action: str) -> Marking:
    current = get_marking(store, document_id)
    viewer = store.viewer
    if viewer is not None and viewer.org_id != current.org_id:
        raise MarkingRefused(ERR_NOT_OWNER.format(id=document_id, owner=current.org_id, action=action))
    return current
