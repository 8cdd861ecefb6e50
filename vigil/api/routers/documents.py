"""Documents: upload (file, text or URL) through ``workflow.ingest``, list, one document with its spans, exports."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from vigil.analysis.exports import documents_table
from vigil.api.access import audit_read
from vigil.api.auth import audit
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
from vigil.store.markings import Marking, MarkingNotFound, MarkingRefused, mark_document, share_document
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
    already stored (``withheld`` counts, without naming them, stored documents the
    caller may not read); 400 when nothing could be ingested (the message says why).
    """
    received = await read_upload(request, settings)
    try:
        extractor = await run_in_threadpool(request.app.state.extractor.get)
        outcome = await run_in_threadpool(
            ingest, received.inputs, settings, store=store, extractor=extractor, tlp=received.tlp, sources=received.sources
        )
    finally:
        received.cleanup()
    errors = [error.model_copy(update={"source": received.shown(error.source), "message": received.shown(error.message)})
              for error in outcome.errors]
    if not outcome.created and not outcome.duplicates and not outcome.withheld:
        raise ApiError(400, "; ".join(error.message for error in errors) or "Nothing was ingested.")
    result = UploadResult(created=outcome.created, duplicates=outcome.duplicates, withheld=outcome.withheld, errors=errors,
                          facts=outcome.facts)
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
def document(document_id: str, request: Request, store: Store = Depends(get_store)) -> DocumentDetail:
    """The text, metadata and extraction, and every extracted span with what it resolved to."""
    detail = get_document_detail(store, document_id)
    if detail is None:
        raise not_found("document", document_id)
    audit_read(request, "document", document_id, detail.document.tlp)
    return detail


class MarkingChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tlp: str = Field(description="TLP 2.0 marking: clear, green, amber, amber+strict or red", examples=["amber"])


class ShareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    org_id: str = Field(description="the organisation to share a TLP:AMBER document with", examples=["partner-ngo"])


@router.patch(
    "/documents/{document_id}/marking",
    response_model=Marking,
    responses={403: {"model": ErrorResponse}, 404: {"model": ErrorResponse}},
    summary="Re-mark a document",
)
def mark(document_id: str, change: MarkingChange, request: Request, store: Store = Depends(get_store)) -> Marking:
    """Change the TLP marking of a document and of every fact extracted from it, in one transaction (audited)."""
    marking = _marking_call(document_id, lambda: mark_document(store, document_id, change.tlp))
    audit(request, "mark", "document", document_id,
          {"tlp": marking.tlp.value, "previous": marking.previous_tlp.value if marking.previous_tlp else None})
    return marking


@router.post(
    "/documents/{document_id}/shares",
    response_model=Marking,
    status_code=201,
    responses={403: {"model": ErrorResponse}, 404: {"model": ErrorResponse}},
    summary="Share an AMBER document",
)
def share(document_id: str, grant: ShareRequest, request: Request, store: Store = Depends(get_store)) -> Marking:
    """Share a TLP:AMBER document (and its facts) with another organisation of this instance (audited)."""
    viewer = store.viewer
    granted_by = viewer.username or viewer.user_id if viewer is not None else None
    marking = _marking_call(document_id, lambda: share_document(store, document_id, grant.org_id, granted_by))
    audit(request, "share", "document", document_id, {"org_id": grant.org_id.strip()})
    return marking


def _marking_call(document_id: str, call: Callable[[], Marking]) -> Marking:
    """Run a marking change; a document the viewer cannot see is a 404, one they may not change a 403."""
    try:
        return call()
    except MarkingNotFound:
        raise not_found("document", document_id) from None
    except MarkingRefused as error:
        raise ApiError(403, str(error)) from None
    except ValueError as error:  # not a TLP marking
        raise ApiError(400, f"tlp: {error}") from None
