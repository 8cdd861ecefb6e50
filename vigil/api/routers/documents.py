"""Documents: upload (file, text or URL) through ``workflow.ingest``, list, one document with its spans, exports."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from vigil.analysis.exports import documents_table
from vigil.api.deps import export_filter, get_settings, get_store, list_filter
from vigil.api.errors import ApiError, not_found
from vigil.api.exporting import EXPORT_RESPONSES, export_response
from vigil.api.schemas import ErrorResponse, ExportFormat, TextUpload, UploadResult
from vigil.api.uploads import read_upload
from vigil.settings import Settings
from vigil.store.database import Store
from vigil.store.details import get_document_detail
from vigil.store.filters import EventFilter
from vigil.store.lists import page_documents
from vigil.store.views import DocumentDetail, DocumentInfo, Page
from vigil.workflow import ingest

router = APIRouter(tags=["documents"], responses={400: {"model": ErrorResponse}})

UPLOAD_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": ".txt .html .pdf .jsonl ..."},
                        "text": {"type": "string"},
                        "title": {"type": "string"},
                        "published": {"type": "string", "format": "date"},
                        "url": {"type": "string"},
                    },
                }
            },
            "application/x-www-form-urlencoded": {"schema": TextUpload.model_json_schema()},
            "application/json": {"schema": TextUpload.model_json_schema()},
        },
        "required": True,
    }
}


@router.post(
    "/documents",
    response_model=UploadResult,
    status_code=201,
    summary="Ingest a report",
    openapi_extra=UPLOAD_BODY,
    responses={
        200: {"model": UploadResult, "description": "Already stored: nothing new"},
        413: {"model": ErrorResponse},
        415: {"model": ErrorResponse},
    },
)
async def upload(
    request: Request, settings: Settings = Depends(get_settings), store: Store = Depends(get_store)
) -> JSONResponse:
    """A file (multipart ``file``), a text (``text`` with optional ``title``, ``published``, ``url``), or a ``url``
    to fetch, ingested as ``vigil ingest`` does: each document in its own transaction.

    201 with the new document ids and fact counts; 200 when the content was
    already stored; 400 when nothing could be ingested (the message says why).
    """
    received = await read_upload(request, settings)
    try:
        extractor = await run_in_threadpool(request.app.state.extractor.get)
        outcome = await run_in_threadpool(ingest, received.inputs, settings, store=store, extractor=extractor)
    finally:
        received.cleanup()
    errors = [error.model_copy(update={"source": received.shown(error.source), "message": received.shown(error.message)})
              for error in outcome.errors]
    if not outcome.created and not outcome.duplicates:
        raise ApiError(400, "; ".join(error.message for error in errors) or "Nothing was ingested.")
    result = UploadResult(created=outcome.created, duplicates=outcome.duplicates, errors=errors, facts=outcome.facts)
    return JSONResponse(result.model_dump(mode="json"), status_code=201 if outcome.created else 200)


@router.get("/documents", response_model=Page[DocumentInfo], summary="List documents")
def documents(filter: EventFilter = Depends(list_filter), store: Store = Depends(get_store)) -> Page[DocumentInfo]:
    """Documents published in the range that report a matching event (all without a filter), newest first."""
    return page_documents(store, filter)


@router.get("/documents/export", responses=EXPORT_RESPONSES, summary="Export documents")
def export_documents(
    format: ExportFormat = Query(ExportFormat.csv, description="csv or json"),
    filter: EventFilter = Depends(export_filter),
    store: Store = Depends(get_store),
) -> Response:
    return export_response("documents", format, page_documents(store, filter).items, documents_table)


@router.get(
    "/documents/{document_id}",
    response_model=DocumentDetail,
    responses={404: {"model": ErrorResponse}},
    summary="One document with its extractions",
)
def document(document_id: str, store: Store = Depends(get_store)) -> DocumentDetail:
    """The text, metadata and extraction, and every extracted span with what it resolved to."""
    detail = get_document_detail(store, document_id)
    if detail is None:
        raise not_found("document", document_id)
    return detail
