"""From bytes of a known kind to Documents: the one place that calls the format readers."""

from __future__ import annotations

from collections.abc import Iterator

from vigil.errors import IngestFailure
from vigil.ingest import messages
from vigil.ingest.feeds import Follow, feed_documents
from vigil.ingest.html import html_document
from vigil.ingest.jsonl import iter_json, iter_jsonl
from vigil.ingest.pdf import pdf_document
from vigil.ingest.sniff import Kind
from vigil.ingest.text import text_document
from vigil.model.records import Document, IngestError


def single_document(
    kind: Kind, data: bytes, *, source: str, url: str | None = None, encoding: str | None = None
) -> Document:
    """One Document from a single-report kind (text, HTML, PDF)."""
    if kind == "html":
        return html_document(data, source=source, url=url, encoding=encoding)
    if kind == "pdf":
        return pdf_document(data, source=source, url=url)
    if kind == "text":
        return text_document(data, source=source, url=url, encoding=encoding)
    if kind == "feed":
        raise IngestFailure(source, messages.LINK_IS_FEED)
    raise IngestFailure(source, messages.UNSUPPORTED_CONTENT.format(content_type=kind))


def documents_from_bytes(
    kind: Kind,
    data: bytes,
    *,
    source: str,
    url: str | None = None,
    encoding: str | None = None,
    follow: Follow | None = None,
    max_line_bytes: int | None = None,
) -> Iterator[Document | IngestError]:
    """Documents (and per-item errors) from a whole body of the given kind."""
    if kind == "feed":
        yield from feed_documents(data, source=source, follow=follow)
    elif kind == "jsonl":
        yield from iter_jsonl(data.splitlines(), where=source, max_line_bytes=max_line_bytes)
    elif kind == "json":
        yield from iter_json(data, where=source)
    else:
        yield single_document(kind, data, source=source, url=url, encoding=encoding)
