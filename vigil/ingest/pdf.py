"""PDF reports (pypdf): the text of every page, pages separated by blank lines."""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader

from vigil.errors import IngestFailure
from vigil.ingest import messages
from vigil.ingest.metadata import build_document, clean_field, parse_date
from vigil.model.records import Document

PDF_MEDIA_TYPE = "application/pdf"
_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)]$")


def _unwrap(page_text: str) -> str:
    """Join a page's hard-wrapped lines into paragraphs.

    A line break becomes a paragraph break after a line that ends a sentence
    and is clearly shorter than the page's longest lines; otherwise a space
    (or nothing after a hyphen), so names split across lines stay whole.
    """
    lines = [line.strip() for line in page_text.replace("\r", "\n").split("\n")]
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    for line in lines:
        if not line:
            if out and out[-1] != "\n\n":
                out.append("\n\n")
            continue
        if out and out[-1] != "\n\n":
            previous = out[-1]
            if _SENTENCE_END.search(previous) and len(previous) < 0.8 * width:
                out.append("\n\n")
            elif not previous.endswith("-"):
                out.append(" ")
        out.append(line)
    return "".join(out)


def pdf_document(data: bytes, *, source: str, url: str | None = None) -> Document:
    """A Document from PDF bytes; corrupt, encrypted or image-only PDFs raise ``IngestFailure``."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestFailure(source, messages.ENCRYPTED_PDF)
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestFailure:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise IngestFailure(source, messages.NOT_A_PDF.format(detail=messages.describe(exc))) from exc
    text = "\n\n".join(_unwrap(page) for page in pages)
    if not text.strip():
        raise IngestFailure(source, messages.SCANNED_PDF)
    title, published = _metadata(reader)
    return build_document(
        text, source=source, url=url, title=title, published=published, media_type=PDF_MEDIA_TYPE
    )


def _metadata(reader: PdfReader) -> tuple[str | None, object]:
    try:
        info = reader.metadata
        if info is None:
            return None, None
        title = clean_field(info.title)
        try:
            created = info.creation_date
        except Exception:  # malformed date strings
            created = None
        return title, parse_date(created)
    except Exception:
        return None, None

