"""Relations between actors: a filtered, paged list, one relation, exports."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query, Request, Response

from vigil.analysis.exports import relations_table
from vigil.api.access import audit_read
from vigil.api.deps import export_filter, get_store, list_filter
from vigil.api.errors import not_found
from vigil.api.exporting import EXPORT_RESPONSES, export_response
from vigil.api.schemas import ErrorResponse, ExportFormat
from vigil.model.records import RelationType
from vigil.store.database import Store
from vigil.store.details import get_relation
from vigil.store.filters import EventFilter
from vigil.store.lists import page_relations
from vigil.store.views import Page, RelationDetail, StoredRelation

router = APIRouter(tags=["relations"], responses={400: {"model": ErrorResponse}})
TYPE_QUERY = Query(None, description="supplies_weapons_to, allied_with, member_of, faction_of, fights_against...")


@router.get("/relations", response_model=Page[StoredRelation], summary="List relations")
def relations(
    type: Optional[RelationType] = TYPE_QUERY,
    filter: EventFilter = Depends(list_filter),
    store: Store = Depends(get_store),
) -> Page[StoredRelation]:
    """Relations whose document matches the place and time; ``actor`` as source or target."""
    return page_relations(store, filter, type=type)


@router.get("/relations/export", responses=EXPORT_RESPONSES, summary="Export relations")
def export_relations(
    format: ExportFormat = Query(ExportFormat.csv, description="csv or json"),
    type: Optional[RelationType] = TYPE_QUERY,
    filter: EventFilter = Depends(export_filter),
    store: Store = Depends(get_store),
) -> Response:
    return export_response("relations", format, page_relations(store, filter, type=type).items, relations_table)


@router.get(
    "/relations/{relation_id}",
    response_model=RelationDetail,
    responses={404: {"model": ErrorResponse}},
    summary="One relation",
)
def relation(relation_id: int, request: Request, store: Store = Depends(get_store)) -> RelationDetail:
    detail = get_relation(store, relation_id)
    if detail is None:
        raise not_found("relation", relation_id)
    audit_read(request, "relation", relation_id, detail.document.tlp)
    return detail
