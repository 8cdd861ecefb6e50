"""Ingest stage: user inputs (files, folders, URLs, feeds, JSON Lines) -> ``Document`` records.

``iter_documents`` is the entry point; the readers for each format are usable
on their own. Text is normalised here, once, before the Document is built,
because later stages store character offsets into it.
"""

from vigil.ingest.feeds import feed_documents
from vigil.ingest.html import html_document, html_text, strip_html
from vigil.ingest.inputs import iter_documents
from vigil.ingest.jsonl import iter_json, iter_jsonl, record_document
from vigil.ingest.metadata import parse_date
from vigil.ingest.normalise import normalise_text
from vigil.ingest.pdf import pdf_document
from vigil.ingest.text import decode_text, text_document
from vigil.ingest.urls import Fetcher

__all__ = [
    "Fetcher",
    "decode_text",
    "feed_documents",
    "html_document",
    "html_text",
    "iter_documents",
    "iter_json",
    "iter_jsonl",
    "normalise_text",
    "parse_date",
    "pdf_document",
    "record_document",
    "strip_html",
    "text_document",
]
