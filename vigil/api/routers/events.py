"""Events: a filtered, paged list; one event with its sources; exports (CSV, JSON, GeoJSON)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request, Response

from vigil.analysis.exports import events_table
from vigil.api.access import audit_read
from vigil.api.deps import export_filter, get_store, list_filter
from vigil.api.errors import not_found
from vigil.api.exporting import EXPORT_RESPONSES, export_response
from vigil.api.schemas import ErrorResponse, ExportFormat
from vigil.store.database import Store
from vigil.store.details import get_event
from vigil.store.filters import EventFilter
from vigil.store.queries import list_events, page_events
from vigil.store.views import EventDetail, Page, StoredEvent

router = APIRouter(tags=["events"], responses={400: {"model": ErrorResponse}})


@router.get("/events", response_model=Page[StoredEvent], summary="List events")
def events(filter: EventFilter = Depends(list_filter), store: Store = Depends(get_store)) -> Page[StoredEvent]:
    """Matching events, newest first unless ``sort`` says otherwise, with the total count."""
    return page_events(store, filter)


@router.get("/events/export", responses=EXPORT_RESPONSES, summary="Export events")
def export_events(
    format: ExportFormat = Query(ExportFormat.csv, description="csv (ACLED-like columns), json or geojson"),
    filter: EventFilter = Depends(export_filter),
    store: Store = Depends(get_store),
) -> Response:
    """Every matching event as CSV, JSON, or GeoJSON (events with coordinates only)."""
    return export_response("events", format, list_events(store, filter), events_table)


@router.get(
    "/events/{event_id}", response_model=EventDetail, responses={404: {"model": ErrorResponse}}, summary="One event"
)
def event(event_id: int, request: Request, store: Store = Depends(get_store)) -> EventDetail:
    """An event with its document, the span of every field, the claims about it and its sources."""
    detail = get_event(store, event_id)
    if detail is None:
        raise not_found("event", event_id)
    audit_read(request, "event", event_id, detail.document.tlp)
    return detail
