"""The query-level access policy: which stored records a viewer may see, as SQL.

One rule, applied by every read of the store (TLP 2.0, see the README's security model):

* ``TLP:CLEAR`` and ``TLP:GREEN``: every user of the instance;
* ``TLP:AMBER``: users of the owning organisation and of the organisations the document
  is shared with (``document_shares``);
* ``TLP:AMBER+STRICT`` and ``TLP:RED``: users of the owning organisation only.

``org_id`` NULL means the instance's default organisation ``"local"``. Admins see what
their organisation sees. Records without a marking of their own take it from what they
hang off: an entity or a weapon mention from its document, an event actor from its event,
a fused event from its member reports (visible when any is).

``visible(row_class, viewer)`` is that rule as a WHERE clause; ``restrict(stmt, store, ...)``
adds it to a statement. ``install(sessions)`` makes every ORM read of a session opened by
``Store.session()`` apply it to every marked table the statement touches (FROM, joins,
subqueries, relationship loads), so a read written without thinking of the policy is still
restricted. A viewer of None (single-user mode, the CLI) adds nothing: reads stay as fast
as before.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import ColumnElement, Select, Table, and_, event, exists, or_, true
from sqlalchemy.orm import ORMExecuteState, sessionmaker, with_loader_criteria

from vigil.model.access import Tlp, Viewer
from vigil.store.tables import (
    ClaimRow,
    DocumentRow,
    DocumentShareRow,
    EntityRow,
    EventActorRow,
    EventRow,
    FusedEventRow,
    FusedMemberRow,
    FusionEdgeRow,
    FusionVectorRow,
    RecoveredWeaponRow,
    RelationRow,
    StixObjectRow,
    WeaponRow,
)

DEFAULT_ORG = "local"
EVERYONE = (Tlp.CLEAR.value, Tlp.GREEN.value)
VIEWER_KEY = "vigil.viewer"

#: Tables with their own marking columns (``tlp``, ``org_id``) -> the column naming their document.
MARKED = {
    DocumentRow: DocumentRow.id,
    EventRow: EventRow.document_id,
    RelationRow: RelationRow.document_id,
    ClaimRow: ClaimRow.document_id,
    WeaponRow: WeaponRow.document_id,
    RecoveredWeaponRow: None,  # not from a document: no shares
    StixObjectRow: None,  # objects imported from a partner: no shares
}


def owned_by(org_column, org_id: str) -> ColumnElement[bool]:  # noqa: ANN001 (a column)
    """Condition: the record belongs to ``org_id`` (NULL belongs to the default organisation)."""
    if org_id == DEFAULT_ORG:
        return or_(org_column.is_(None), org_column == DEFAULT_ORG)
    return org_column == org_id


def shared_with(document_column, org_id: str) -> ColumnElement[bool]:  # noqa: ANN001 (a column)
    """Condition: the document in ``document_column`` is shared with ``org_id`` (one primary-key probe)."""
    shares = _table(DocumentShareRow)
    return exists().where(shares.c.document_id == document_column, shares.c.org_id == org_id)


def visible(row_class: type, viewer: Viewer | None) -> ColumnElement[bool]:
    """WHERE clause: the rows of ``row_class`` that ``viewer`` may see (true when ``viewer`` is None).

    Rows that take their marking from another table test it with a correlated ``EXISTS`` on
    that table's primary key: a page of 50 events loads its actors by probing 50 events. The
    subqueries read the plain tables (aliases of ``Table`` objects, not ORM entities), so the
    session hook does not restrict them again (the rule nested in itself) and they never
    correlate with the same table in the outer statement.
    """
    if viewer is None:
        return true()
    return _visible_to(row_class, viewer.org_id)


@lru_cache(maxsize=1024)
def _visible_to(row_class: type, org_id: str) -> ColumnElement[bool]:
    """``visible`` for an organisation, built once (clauses are immutable and can be shared by statements)."""
    viewer = Viewer(user_id=None, org_id=org_id)
    if row_class in MARKED:
        return _marked(row_class.tlp, row_class.org_id, MARKED[row_class], viewer)  # type: ignore[attr-defined]
    if row_class is EntityRow:
        return _document_visible(EntityRow.document_id, viewer)
    if row_class is DocumentShareRow:
        return _document_visible(DocumentShareRow.document_id, viewer)
    if row_class is EventActorRow:
        return _event_visible(EventActorRow.event_id, viewer)
    if row_class is FusedMemberRow:
        return _event_visible(FusedMemberRow.event_id, viewer)
    if row_class is FusionVectorRow:
        return _event_visible(FusionVectorRow.event_id, viewer)
    if row_class is FusionEdgeRow:
        return and_(_event_visible(FusionEdgeRow.event_a, viewer), _event_visible(FusionEdgeRow.event_b, viewer))
    if row_class is FusedEventRow:
        member = _table(FusedMemberRow).alias()
        return exists().where(member.c.fused_id == FusedEventRow.id, _event_visible(member.c.event_id, viewer))
    raise TypeError(f"{row_class!r} has no access rule; add one to vigil.store.policy")


def _marked(tlp, org_id, document_column, viewer: Viewer) -> ColumnElement[bool]:  # noqa: ANN001 (columns)
    clauses = [tlp.in_(EVERYONE), owned_by(org_id, viewer.org_id)]
    if document_column is not None:
        clauses.append(and_(tlp == Tlp.AMBER.value, shared_with(document_column, viewer.org_id)))
    return or_(*clauses)


def _event_visible(event_column, viewer: Viewer) -> ColumnElement[bool]:  # noqa: ANN001 (a column)
    event = _table(EventRow).alias()
    return exists().where(event.c.id == event_column, _marked(event.c.tlp, event.c.org_id, event.c.document_id, viewer))


def _document_visible(document_column, viewer: Viewer) -> ColumnElement[bool]:  # noqa: ANN001 (a column)
    document = _table(DocumentRow).alias()
    return exists().where(document.c.id == document_column,
                          _marked(document.c.tlp, document.c.org_id, document.c.id, viewer))


def _table(row_class: type) -> Table:
    return row_class.__table__  # type: ignore[attr-defined,no-any-return]


#: Every table with an access rule: the session hook restricts each wherever it appears.
RESTRICTED = (*MARKED, EntityRow, EventActorRow, FusedMemberRow, FusionVectorRow, FusionEdgeRow, FusedEventRow, DocumentShareRow)


def restrict(statement: Select, store_or_viewer, *row_classes: type) -> Select:  # noqa: ANN001 (Store or Viewer)
    """``statement`` with the rows of ``row_classes`` limited to what the store's viewer may see.

    Use it on Core reads (a ``Connection``); ORM reads through ``Store.session()`` are
    restricted by the session hook already. No viewer: ``statement`` unchanged.
    """
    viewer = _viewer_of(store_or_viewer)
    if viewer is None:
        return statement
    return statement.where(*(visible(row_class, viewer) for row_class in row_classes))


def loader_criteria(viewer: Viewer) -> tuple:
    """ORM options applying the rule to every restricted table wherever a statement reads it."""
    return _criteria_for(viewer.org_id)


@lru_cache(maxsize=256)
def _criteria_for(org_id: str) -> tuple:
    """The options for an organisation, built once: the rule depends on the viewer's organisation
    only, and building a criterion per restricted table (and its cache key) for every statement
    cost more than the query itself."""
    return tuple(
        with_loader_criteria(row_class, _visible_to(row_class, org_id), include_aliases=True)
        for row_class in RESTRICTED
    )


def install(sessions: sessionmaker) -> None:
    """Make the sessions of ``sessions`` restrict their reads to the viewer in ``session.info``."""
    event.listen(sessions, "do_orm_execute", _restrict_orm_read)


def _restrict_orm_read(state: ORMExecuteState) -> None:
    viewer = state.session.info.get(VIEWER_KEY)
    if viewer is None or not state.is_select or state.is_column_load or state.is_relationship_load:
        return  # relationship loads inherit the options of the statement that loaded their parents
    state.statement = state.statement.options(*loader_criteria(viewer))


def _viewer_of(store_or_viewer) -> Viewer | None:  # noqa: ANN001
    if store_or_viewer is None or isinstance(store_or_viewer, Viewer):
        return store_or_viewer
    return store_or_viewer.viewer
