"""Plain text: decode bytes robustly and build a Document."""

from __future__ import annotations

import codecs

from vigil.errors import IngestFailure
from vigil.ingest import messages
from vigil.ingest.metadata import build_document
from vigil.model.records import Document

TEXT_MEDIA_TYPE = "text/plain"


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """Decode bytes: a BOM or a declared charset first, then UTF-8, cp1252, latin-1."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    candidates = [encoding] if encoding else []
    for candidate in [*candidates, "utf-8", "cp1252"]:
        try:
            return data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def looks_binary(data: bytes) -> bool:
    """NUL bytes in the first few KiB (and no UTF-16 BOM) mean this is not text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in data[:8192]


def text_document(data: bytes, *, source: str, url: str | None = None, encoding: str | None = None) -> Document:
    """A plain-text report; the text is kept as written (no header parsing)."""
    if looks_binary(data):
        raise IngestFailure(source, messages.BINARY_TEXT)
    return build_document(decode_text(data, encoding), source=source, url=url, media_type=TEXT_MEDIA_TYPE)
