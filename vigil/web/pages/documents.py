"""``/documents``: the reports stored; ``/documents/{id}``: one report's text with every extraction highlighted."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from vigil.api.deps import get_store
from vigil.store.database import Store
from vigil.store.details import get_document_detail
from vigil.store.lists import page_documents
from vigil.web.annotate import fact_span, marks_for, trigger_marks
from vigil.web.errors import not_found
from vigil.web.filters import event_filter
from vigil.web.highlight import parse_focus, render
from vigil.web.templating import page

router = APIRouter(include_in_schema=False)


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    filter = replace(event_filter(request, title="Documents", paged=True), order="-date")  # newest reports first
    return page(request, "documents.html", title="Documents", page=page_documents(store, filter), keep_params=["limit"])


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document(document_id: str, request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    detail = get_document_detail(store, document_id)
    if detail is None:
        raise not_found("document", document_id)
    text = detail.document.text
    focus = parse_focus(request.query_params.get("focus"), len(text)) or fact_span(
        detail.spans, request.query_params.get("fact")
    )
    events = list(zip(detail.event_ids, detail.extraction.events))
    marks = marks_for(detail.spans) + trigger_marks(text, events)
    kinds_present = {mark.kind for mark in marks}
    return page(
        request,
        "document.html",
        title=detail.document.title or detail.document.id,
        detail=detail,
        highlighted=render(text, marks, focus),
        focus=focus,
        kinds_present=kinds_present,
        events=events,
        relations=list(zip(detail.relation_ids, detail.extraction.relations)),
        claims=list(zip(detail.claim_ids, detail.extraction.claims)),
        show_filters=False,
    )
