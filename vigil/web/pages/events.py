"""``/events``: the filtered, paged, sortable event table with its map; ``/events/{id}``: one event and its sources."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from vigil.analysis.exports import events_geojson
from vigil.api.deps import get_store
from vigil.store.database import Store
from vigil.store.details import get_event
from vigil.store.fusion_reads import fused_event_of
from vigil.store.queries import list_events, page_events
from vigil.store.views import EventDetail
from vigil.web.charts import event_type_legend
from vigil.web.errors import not_found
from vigil.web.filters import event_filter
from vigil.web.templating import page

router = APIRouter(include_in_schema=False)
MAP_LIMIT = 2000  # points drawn on the events map: the newest matching events
# What a map point needs (its tooltip, colour, radius, link); the rest of the export's columns stay out of the page.
POINT_PROPERTIES = (
    "event_id", "event_date", "event_type", "sub_event_type", "location", "admin1", "country", "fatalities_min"
)
EXPORT_FORMATS = ("csv", "json", "geojson")
# Column -> (order when first clicked, the opposite order).
SORTS = {
    "date": ("-date", "date"),
    "type": ("type", "type"),
    "country": ("country", "country"),
    "fatalities": ("-fatalities", "fatalities"),
}


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    filter = event_filter(request, title="Events", paged=True)
    listed = page_events(store, filter)
    mapped = list_events(store, replace(filter, limit=MAP_LIMIT, offset=0, order="-date"))
    points = map_points(events_geojson(mapped))
    return page(
        request,
        "events.html",
        title="Events",
        page=listed,
        sort=filter.order,
        sorts=SORTS,
        points=points,
        map_limited=len(mapped) == MAP_LIMIT and listed.total > MAP_LIMIT,
        map_limit=MAP_LIMIT,
        legend=event_type_legend(),
        export_formats=EXPORT_FORMATS,
        keep_params=["sort", "limit"],
    )


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event(event_id: str, request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    detail = get_event(store, int(event_id)) if event_id.isdigit() else None
    if detail is None:
        raise not_found("event", event_id)
    location = detail.event.location
    located = location is not None and location.lat is not None and location.lon is not None
    province = location.admin1 if location is not None and location.country and not located else None
    return page(
        request,
        "event.html",
        title=f"{detail.event.type} · event {detail.id}",
        detail=detail,
        located=located,
        point=event_point(detail) if located else {"type": "FeatureCollection", "features": []},
        province=province,
        fields_by_name=_group_fields(detail.fields),
        fused=fused_event_of(store, detail.id),
        show_filters=False,
    )


def event_point(detail: EventDetail) -> dict:
    """The event as a one-point FeatureCollection with the same properties as the events map."""
    event, location = detail.event, detail.event.location
    assert location is not None and location.lat is not None and location.lon is not None
    properties = {
        "event_id": detail.id,
        "event_date": event.date,
        "event_type": event.event_type,
        "sub_event_type": event.type,
        "location": location.name or location.text,
        "admin1": location.admin1,
        "country": location.country,
        "fatalities_min": event.fatalities.min if event.fatalities else None,
    }
    geometry = {"type": "Point", "coordinates": [location.lon, location.lat]}
    feature = {"type": "Feature", "id": detail.id, "geometry": geometry, "properties": properties}
    return {"type": "FeatureCollection", "features": [feature]}


def map_points(collection: dict) -> dict:
    """The export's GeoJSON with only the properties a map point uses."""
    for feature in collection["features"]:
        feature["properties"] = {key: feature["properties"].get(key) for key in POINT_PROPERTIES}
    return collection


def _group_fields(fields: list) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for field in fields:
        grouped.setdefault(field.field, []).append(field)
    return grouped
