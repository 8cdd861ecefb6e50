"""Deciding what a body is: from a file extension, a Content-Type, or its first bytes."""

from __future__ import annotations

from typing import Literal

Kind = Literal["text", "html", "pdf", "feed", "jsonl", "json"]

EXTENSIONS: dict[str, Kind] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}

MEDIA_TYPES: dict[str, Kind] = {
    "text/plain": "text",
    "text/markdown": "text",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
}
_XML_MEDIA_TYPES = ("application/xml", "text/xml")


def sniff(data: bytes) -> Kind | None:
    """A kind from the first bytes, when they say it clearly."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if head.startswith(b"<!doctype html") or b"<html" in head:
        return "html"
    return None


def kind_for_response(media_type: str | None, data: bytes) -> Kind | None:
    """What a fetched body is: PDF magic wins, then the declared type, then sniffing.

    ``None`` means the type is declared and is not one we read (an image, a zip...).
    """
    sniffed = sniff(data)
    if sniffed == "pdf":
        return "pdf"
    if media_type in MEDIA_TYPES:
        return MEDIA_TYPES[media_type]
    if media_type in _XML_MEDIA_TYPES:
        return sniffed or "feed"
    if media_type is None or media_type == "application/octet-stream" or media_type.startswith("text/"):
        return sniffed or "text"
    return None
