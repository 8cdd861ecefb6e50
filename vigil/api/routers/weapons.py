"""Weapon mentions: a filtered, paged list with their actors, one mention, exports."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query, Request, Response

from vigil.analysis.exports import weapons_table
from vigil.api.access import audit_read
from vigil.api.deps import export_filter, get_store, list_filter
from vigil.api.errors import not_found
from vigil.api.exporting import EXPORT_RESPONSES, export_response
from vigil.api.schemas import ErrorResponse, ExportFormat
from vigil.store.database import Store
from vigil.store.details import get_weapon
from vigil.store.filters import EventFilter
from vigil.store.lists import page_weapons
from vigil.store.views import Page, StoredWeapon

router = APIRouter(tags=["weapons"], responses={400: {"model": ErrorResponse}})
CLASS_QUERY = Query(None, description="Weapon class, e.g. assault rifle (case-insensitive)")


@router.get("/weapons", response_model=Page[StoredWeapon], summary="List weapon mentions")
def weapons(
    weapon_class: Optional[str] = CLASS_QUERY,
    filter: EventFilter = Depends(list_filter),
    store: Store = Depends(get_store),
) -> Page[StoredWeapon]:
    """Weapons with class, calibre, model, origin, the actors of their event or relation, date and document."""
    return page_weapons(store, filter, weapon_class=weapon_class)


@router.get("/weapons/export", responses=EXPORT_RESPONSES, summary="Export weapon mentions")
def export_weapons(
    format: ExportFormat = Query(ExportFormat.csv, description="csv or json"),
    weapon_class: Optional[str] = CLASS_QUERY,
    filter: EventFilter = Depends(export_filter),
    store: Store = Depends(get_store),
) -> Response:
    items = page_weapons(store, filter, weapon_class=weapon_class).items
    return export_response("weapons", format, items, weapons_table)


@router.get(
    "/weapons/{weapon_id}", response_model=StoredWeapon, responses={404: {"model": ErrorResponse}}, summary="One weapon"
)
def weapon(weapon_id: int, request: Request, store: Store = Depends(get_store)) -> StoredWeapon:
    detail = get_weapon(store, weapon_id)
    if detail is None:
        raise not_found("weapon", weapon_id)
    audit_read(request, "weapon", weapon_id, detail.document.tlp)
    return detail
