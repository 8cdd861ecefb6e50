"""``/ingest``: upload files, paste text or give a URL; the page's script posts each item to ``POST /api/documents``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from vigil.api.deps import get_settings
from vigil.ingest.sniff import EXTENSIONS
from vigil.settings import Settings
from vigil.web.templating import page

router = APIRouter(include_in_schema=False)


@router.get("/ingest", response_class=HTMLResponse)
def ingest(request: Request, settings: Settings = Depends(get_settings)) -> HTMLResponse:
    return page(
        request,
        "ingest.html",
        title="Ingest",
        accepted=",".join(sorted(EXTENSIONS)),  # what ingest reads, so the file picker offers exactly that
        max_bytes=settings.max_document_bytes,
        show_filters=False,
    )
