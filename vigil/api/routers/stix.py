"""STIX 2.1: export a selection as a bundle, import a bundle, and the STIX objects imports kept."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Body, Depends, Query, Request, Response

from vigil.api.auth import audit_current, require_role
from vigil.api.deps import export_filter, get_settings, get_store, get_viewer
from vigil.api.errors import bad_request, not_found
from vigil.api.schemas import ErrorResponse
from vigil.model.access import Tlp, Viewer
from vigil.settings import Settings
from vigil.share.stix.export import ExportOptions, export_bundle
from vigil.share.stix.importer import ImportOptions, StixImportError, import_bundle
from vigil.store.database import Store
from vigil.store.filters import EventFilter
from vigil.store.stix import StixObjectDetail, StixObjectInfo, get_stix_object, page_stix_objects
from vigil.store.views import Page

router = APIRouter(tags=["stix"], responses={400: {"model": ErrorResponse}})
MEDIA_TYPE = "application/stix+json;version=2.1"
ERR_TLP = "max_tlp: {reason}"
ERR_TOO_BIG = "The bundle is larger than {limit} bytes (VIGIL_MAX_DOCUMENT_BYTES)."


@router.get(
    "/export/stix",
    summary="Export a STIX 2.1 bundle",
    responses={200: {"description": "A STIX 2.1 bundle", "content": {MEDIA_TYPE: {}}}},
)
def export_stix(
    max_tlp: Optional[str] = Query(None, description="Leave out records marked above this TLP (clear, green, amber, amber+strict, red)"),
    filter: EventFilter = Depends(export_filter),
    store: Store = Depends(get_store),
    viewer: Optional[Viewer] = Depends(get_viewer),
) -> Response:
    """The matching events, relations and claims with their reports, actors and places, as one bundle.

    RED records leave the instance only in a file a local admin exports: a non-admin user's
    download stops at AMBER+STRICT.
    """
    try:
        ceiling = Tlp.parse(max_tlp) if max_tlp else None
    except ValueError as error:
        raise bad_request(ERR_TLP.format(reason=error)) from error
    if viewer is not None and not viewer.is_admin and (ceiling is None or ceiling is Tlp.RED):
        ceiling = Tlp.AMBER_STRICT
    bundle = export_bundle(store, filter, options=ExportOptions(max_tlp=ceiling))
    audit_current("export", "stix", None, {"format": "stix", "objects": bundle.objects, "documents": len(bundle.documents),
                                           "max_tlp": ceiling.value if ceiling else None, "via": "api"})
    headers = {"Content-Disposition": 'attachment; filename="vigil-bundle.json"'}
    return Response(content=bundle.text, media_type=MEDIA_TYPE, headers=headers)


@router.post("/import/stix", summary="Import a STIX 2.1 bundle", dependencies=[Depends(require_role("analyst"))])
def import_stix(
    request: Request,
    bundle: dict[str, Any] = Body(..., description="A STIX 2.1 bundle"),
    default_tlp: str = Query("clear", description="Marking of objects that carry none"),
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
    viewer: Optional[Viewer] = Depends(get_viewer),
) -> dict[str, Any]:
    """Map the bundle's reports, events, actors, relations and claims into records (owned by the caller's
    organisation), keep the objects Vigil does not model; nothing is duplicated."""
    size = int(request.headers.get("content-length") or 0)
    if size > settings.max_document_bytes:
        raise bad_request(ERR_TOO_BIG.format(limit=settings.max_document_bytes))
    try:
        options = ImportOptions(org_id=viewer.org_id if viewer else None, default_tlp=Tlp.parse(default_tlp), source="request body")
        result = import_bundle(store, bundle, settings=settings, options=options, viewer=viewer)
    except (StixImportError, ValueError) as error:
        raise bad_request(str(error)) from error
    return result.summary()


@router.get("/stix-objects", response_model=Page[StixObjectInfo], summary="List kept STIX objects")
def stix_objects(
    type: Optional[str] = Query(None, description="Only this STIX type, e.g. malware"),
    all: bool = Query(False, description="Also the objects mapped to Vigil records"),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
    store: Store = Depends(get_store),
) -> Page[StixObjectInfo]:
    """Objects imports kept: by default those Vigil does not model (malware, indicators, custom objects...)."""
    return page_stix_objects(store, type=type, mapped=all, limit=limit, offset=offset)


@router.get(
    "/stix-objects/{stix_id}", response_model=StixObjectDetail, responses={404: {"model": ErrorResponse}},
    summary="One kept STIX object",
)
def stix_object(stix_id: str, store: Store = Depends(get_store)) -> StixObjectDetail:
    found = get_stix_object(store, stix_id)
    if found is None:
        raise not_found("STIX object", stix_id)
    return found
