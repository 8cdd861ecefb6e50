"""The TAXII 2.1 server, at ``/taxii2/``: discovery, the ``vigil`` API root, collections, objects, status.

Thin routes over ``vigil.share.taxii.service``. Every read goes through ``get_store`` (the
viewer's policy); in multi-user mode ``vigil.api.auth`` has already required a Bearer token.
Answers carry ``application/taxii+json;version=2.1``; errors are TAXII error messages.
``install_taxii(app)`` mounts the routes and the error handler.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from vigil.api.deps import get_store
from vigil.share.taxii import service, stix_bridge
from vigil.share.taxii.protocol import MAX_CONTENT_LENGTH, MEDIA_TYPE, TaxiiError, bad_request
from vigil.store.database import Store

PREFIX = "/taxii2"
ERR_ACCEPT = "This server answers only application/taxii+json;version=2.1 (Accept: {value!r})."
ERR_CONTENT_TYPE = "Send the envelope as application/taxii+json;version=2.1 (Content-Type: {value!r})."
ERR_JSON = "The body is not valid JSON: {reason}"
ERR_SIZE = f"The request body is larger than {MAX_CONTENT_LENGTH} bytes."


def _accepts_taxii(request: Request) -> None:
    """406 unless the client accepts TAXII 2.1 JSON (or anything)."""
    accept = request.headers.get("accept", "*/*").replace(" ", "").lower()
    ok = any(
        part.split(";")[0] in ("*/*", "application/*") or part.startswith("application/taxii+json") and "version=2.0" not in part
        for part in accept.split(",")
    )
    if not ok:
        raise TaxiiError(406, "Not acceptable", ERR_ACCEPT.format(value=request.headers.get("accept")))


router = APIRouter(prefix=PREFIX, tags=["taxii"], dependencies=[Depends(_accepts_taxii)])


def reply(body: dict, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers, media_type=MEDIA_TYPE)


def _params(request: Request) -> dict[str, str]:
    return dict(request.query_params)


@router.get("/", summary="TAXII discovery")
def discovery(request: Request) -> JSONResponse:
    return reply(service.discovery(str(request.url_for("discovery"))))


@router.get("/vigil/", summary="The vigil API root")
def api_root() -> JSONResponse:
    return reply(service.api_root())


@router.get("/vigil/collections/", summary="Collections")
def collections(store: Store = Depends(get_store)) -> JSONResponse:
    return reply(service.collections(store.viewer))


@router.get("/vigil/collections/{collection_id}/", summary="One collection")
def collection(collection_id: str, store: Store = Depends(get_store)) -> JSONResponse:
    return reply(service.collection(store.viewer, collection_id))


@router.get("/vigil/collections/{collection_id}/objects/", summary="Objects (added_after, limit/next, match[...])")
def get_objects(collection_id: str, request: Request, store: Store = Depends(get_store)) -> JSONResponse:
    answer = service.get_objects(store, stix_bridge.export_document, collection_id, _params(request))
    stix_bridge.audit_read(request, store, answer)
    return reply(answer.body, headers=answer.headers)


@router.post("/vigil/collections/{collection_id}/objects/", summary="Add objects (an envelope)", status_code=202)
async def add_objects(collection_id: str, request: Request, store: Store = Depends(get_store)) -> JSONResponse:
    content_type = request.headers.get("content-type", "").replace(" ", "").lower()
    if not content_type.startswith("application/taxii+json"):
        raise TaxiiError(415, "Unsupported media type", ERR_CONTENT_TYPE.format(value=request.headers.get("content-type")))
    if int(request.headers.get("content-length") or 0) > MAX_CONTENT_LENGTH:
        raise TaxiiError(413, "Request too large", ERR_SIZE)
    raw = await request.body()
    if len(raw) > MAX_CONTENT_LENGTH:
        raise TaxiiError(413, "Request too large", ERR_SIZE)
    try:
        body = json.loads(raw)
    except ValueError as error:
        raise bad_request(ERR_JSON.format(reason=error)) from None
    answer = await run_in_threadpool(service.add_objects, store, stix_bridge.importer_for(request), collection_id, body)
    return reply(answer.body, status=answer.status)


@router.get("/vigil/collections/{collection_id}/objects/{object_id}/", summary="One object")
def get_object(collection_id: str, object_id: str, request: Request, store: Store = Depends(get_store)) -> JSONResponse:
    answer = service.get_object(store, stix_bridge.export_document, collection_id, object_id, _params(request))
    stix_bridge.audit_read(request, store, answer)
    return reply(answer.body, headers=answer.headers)


@router.get("/vigil/collections/{collection_id}/objects/{object_id}/versions/", summary="An object's versions")
def object_versions(collection_id: str, object_id: str, request: Request, store: Store = Depends(get_store)) -> JSONResponse:
    answer = service.object_versions(store, stix_bridge.export_document, collection_id, object_id, _params(request))
    return reply(answer.body, headers=answer.headers)


@router.get("/vigil/collections/{collection_id}/manifest/", summary="Object manifests")
def manifest(collection_id: str, request: Request, store: Store = Depends(get_store)) -> JSONResponse:
    answer = service.manifest(store, stix_bridge.export_document, collection_id, _params(request))
    return reply(answer.body, headers=answer.headers)


@router.get("/vigil/status/{status_id}/", summary="Status of an add-objects request")
def status(status_id: str, store: Store = Depends(get_store)) -> JSONResponse:
    return reply(service.status(store, status_id))


def install_taxii(app: FastAPI) -> None:
    """Mount the TAXII routes and answer their errors as TAXII error messages."""

    @app.exception_handler(TaxiiError)
    async def taxii_error(request: Request, error: TaxiiError) -> JSONResponse:
        headers = {"WWW-Authenticate": 'Bearer realm="vigil"'} if error.status == 401 else None
        return reply(error.body(), status=error.status, headers=headers)

    app.include_router(router)
