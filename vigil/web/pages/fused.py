"""``/fused``: distinct events after fusion, filtered like ``/events``; ``/fused/{id}``: one with every report side by side.

The split and retract controls post to the API (``/api/fused-events/{id}/split``,
``DELETE /api/fusion/decisions/{id}``) from ``static/js/fusion.js``.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from vigil.api.deps import get_store
from vigil.store.database import Store
from vigil.store.fusion_reads import get_fused_event, page_fused_events
from vigil.web.errors import bad_filter, not_found
from vigil.web.filters import event_filter
from vigil.web.templating import page

router = APIRouter(include_in_schema=False)
ERR_MIN_SOURCES = "min_sources: {value!r} is not a whole number of 1 or more."
SORTS = {
    "date": ("-date", "date"),
    "type": ("type", "type"),
    "country": ("country", "country"),
    "fatalities": ("-fatalities", "fatalities"),
}


@router.get("/fused", response_class=HTMLResponse)
def fused_events(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    filter = event_filter(request, title="Fused events", paged=True)
    raw = request.query_params.get("min_sources", "1").strip() or "1"
    if not raw.isdigit() or int(raw) < 1:
        raise bad_filter(ERR_MIN_SOURCES.format(value=raw), title="Fused events")
    listed = page_fused_events(store, filter, min_sources=int(raw))
    return page(request, "fused.html", title="Fused events", page=listed, sort=filter.order, sorts=SORTS,
                min_sources=int(raw))


@router.get("/fused/{fused_id}", response_class=HTMLResponse)
def fused_event(fused_id: str, request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    detail = get_fused_event(store, fused_id)
    if detail is None:
        raise not_found("fused event", fused_id)
    return page(request, "fused_event.html", title=f"{detail.fused.type} · {detail.n_sources} reports",
                detail=detail, show_filters=False)
