"""Which stored documents may leave the instance, in the order they were added: TAXII and push read here.

A document is the unit of sharing: it leaves with the facts extracted from it (the STIX export
of that one document), and its ``ingested_at`` (the time it was stored here: ingest or import)
is the ``date_added`` of everything it carries, so a partner resuming after a timestamp, or
after a (timestamp, id) position, misses and repeats nothing.

The rules, in SQL on top of the viewer's policy (``vigil.store.policy``):

* nothing above the ceiling, and never ``TLP:RED``;
* a record that came from another instance (``origin_instance`` set) and is marked above
  ``TLP:GREEN`` is never passed on to a third party: the TAXII server serves it only to the
  organisation that owns it here, and a push never sends it;
* a push sends only documents whose events or relations match the partner's actor, country and
  region filters (when it has any).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from vigil.model.access import Tlp, Viewer
from vigil.store.database import Store
from vigil.store.mapping import as_utc
from vigil.store.policy import EVERYONE, owned_by, visible
from vigil.store.tables import DocumentRow, EventActorRow, EventRow, RelationRow

#: The most restricted marking that may ever leave the instance (RED never does).
HIGHEST_SHAREABLE = Tlp.AMBER_STRICT


@dataclass(frozen=True)
class DocumentUnit:
    """A stored document as a unit of sharing: its id, when it was added here, and its marking."""

    id: str
    added: dt.datetime
    tlp: str
    org_id: str | None
    origin_instance: str | None


@dataclass(frozen=True)
class Filters:
    """A partner's filters on what is pushed: canonical actor ids, ISO countries, admin1 regions."""

    actors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.actors or self.countries or self.regions)


def shareable_markings(ceiling: Tlp) -> list[str]:
    """The markings at or below ``ceiling``, RED excluded whatever the ceiling."""
    top = min(ceiling.rank, HIGHEST_SHAREABLE.rank)
    return [marking.value for marking in Tlp if marking.rank <= top]


def served(viewer: Viewer | None, ceiling: Tlp) -> ColumnElement[bool]:
    """WHERE clause: documents the TAXII server may hand to ``viewer`` in a collection with ``ceiling``."""
    foreign_rule = or_(DocumentRow.origin_instance.is_(None), DocumentRow.tlp.in_(EVERYONE))
    if viewer is not None:
        foreign_rule = or_(foreign_rule, owned_by(DocumentRow.org_id, viewer.org_id))
    return and_(DocumentRow.tlp.in_(shareable_markings(ceiling)), visible(DocumentRow, viewer), foreign_rule)


def pushable(partner_viewer: Viewer, ceiling: Tlp, filters: Filters) -> ColumnElement[bool]:
    """WHERE clause: documents a push may send to the partner that ``partner_viewer`` stands for."""
    return and_(
        DocumentRow.tlp.in_(shareable_markings(ceiling)),
        visible(DocumentRow, partner_viewer),
        or_(DocumentRow.origin_instance.is_(None), DocumentRow.tlp.in_(EVERYONE)),
        _matching(filters),
    )


def after(added: dt.datetime | None, key: str | None = None, *, inclusive_key: bool = False) -> ColumnElement[bool]:
    """WHERE clause: documents added after ``added`` (and, at the same moment, ordered after ``key``)."""
    if added is None:
        return true()
    moment = _bind(added)
    if key is None:
        return DocumentRow.ingested_at > moment
    same = DocumentRow.id >= key if inclusive_key else DocumentRow.id > key
    return or_(DocumentRow.ingested_at > moment, and_(DocumentRow.ingested_at == moment, same))


def list_units(store: Store, where: ColumnElement[bool], limit: int, *, ids: Sequence[str] = ()) -> list[DocumentUnit]:
    """Up to ``limit`` documents matching ``where``, in (date added, id) order, read as the store's owner.

    ``where`` carries the viewer's policy (``served``/``pushable``); the read itself goes
    through the store without a viewer so the clause is applied exactly once.
    """
    statement = (
        select(DocumentRow.id, DocumentRow.ingested_at, DocumentRow.tlp, DocumentRow.org_id, DocumentRow.origin_instance)
        .where(where)
        .order_by(DocumentRow.ingested_at, DocumentRow.id)
        .limit(limit)
    )
    if ids:
        statement = statement.where(DocumentRow.id.in_(list(ids)))
    with store.engine.connect() as connection:
        return [
            DocumentUnit(id=row[0], added=as_utc(row[1]), tlp=row[2], org_id=row[3], origin_instance=row[4])
            for row in connection.execute(statement)
        ]


def _matching(filters: Filters) -> ColumnElement[bool]:
    """Documents with an event or relation matching the filters (an actor, a country or a region)."""
    if filters.empty:
        return true()
    event_clauses: list[ColumnElement[bool]] = []
    if filters.countries:
        event_clauses.append(EventRow.country.in_([c.upper() for c in filters.countries]))
    if filters.regions:
        event_clauses.append(EventRow.admin1.in_(list(filters.regions)))
    place = and_(*event_clauses) if event_clauses else true()
    if not filters.actors:
        return exists(select(EventRow.id).where(EventRow.document_id == DocumentRow.id, place))
    actors = list(filters.actors)
    by_event = exists(
        select(EventRow.id)
        .join(EventActorRow, EventActorRow.event_id == EventRow.id)
        .where(EventRow.document_id == DocumentRow.id, EventActorRow.actor_id.in_(actors), place)
    )
    by_relation = (
        exists(
            select(RelationRow.id).where(
                RelationRow.document_id == DocumentRow.id,
                or_(RelationRow.source_actor_id.in_(actors), RelationRow.target_actor_id.in_(actors)),
            )
        )
        if not event_clauses
        else false()
    )
    return or_(by_event, by_relation)


def _bind(moment: dt.datetime) -> dt.datetime:
    """Timestamps are stored in UTC (SQLite keeps them without a zone): compare in UTC."""
    return as_utc(moment)
