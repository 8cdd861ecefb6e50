"""``/stix``: the STIX objects imports kept (those Vigil does not model by default); ``/stix/{id}``: one, as JSON."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from vigil.api.deps import get_store
from vigil.store.database import Store
from vigil.store.stix import get_stix_object, page_stix_objects, stix_types
from vigil.web.errors import not_found
from vigil.web.templating import page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 100


@router.get("/stix", response_class=HTMLResponse)
def stix_objects(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    type_ = request.query_params.get("type") or None
    mapped = request.query_params.get("all") == "1"
    offset = max(0, int(request.query_params.get("offset") or 0)) if (request.query_params.get("offset") or "0").isdigit() else 0
    found = page_stix_objects(store, type=type_, mapped=mapped, limit=PAGE_SIZE, offset=offset)
    return page(
        request, "stix.html", title="STIX objects", page=found, types=stix_types(store), type=type_, mapped=mapped,
        offset=offset, size=PAGE_SIZE, show_filters=False,
    )


@router.get("/stix/{stix_id}", response_class=HTMLResponse)
def stix_object(stix_id: str, request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    found = get_stix_object(store, stix_id)
    if found is None:
        raise not_found("STIX object", stix_id)
    return page(
        request, "stix_object.html", title=found.name or found.id, item=found,
        raw=json.dumps(found.raw, indent=2, ensure_ascii=False), show_filters=False,
    )
