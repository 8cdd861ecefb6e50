"""JSON Lines (and JSON) documents following the ingest contract.

One object per line::

    {"id": "...", "text": "...", "published": "YYYY-MM-DD", "title": "...", "url": "...",
     "source": "...", "publisher": "...", "licence": "...", "attribution": "..."}

Only ``text`` is required; ``license`` is accepted for ``licence`` and
``language`` is honoured too. Unknown keys are ignored. A bad line becomes an
``IngestError`` naming the file and line, and the other lines go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date

from vigil.errors import BadInputLine, IngestFailure
from vigil.ingest import messages
from vigil.ingest.metadata import build_document, parse_strict_date, primary_language
from vigil.model.records import Document, IngestError

JSONL_MEDIA_TYPE = "application/x-ndjson"
JSON_MEDIA_TYPE = "application/json"
_STRING_FIELDS = ("id", "title", "url", "source", "publisher", "licence", "license", "attribution", "language")


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def record_document(
    obj: object, *, where: str, source: str, media_type: str = JSONL_MEDIA_TYPE, normalise: bool = True
) -> Document:
    """A Document from one contract object; raise ``IngestFailure(where, reason)`` if it breaks the contract.

    ``source`` (the file or URL) is used when the object names no source of its own;
    ``normalise=False`` keeps ``text`` byte for byte (offsets must match the input).
    """
    if not isinstance(obj, dict):
        raise IngestFailure(where, messages.NOT_AN_OBJECT.format(kind=_kind(obj)))
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IngestFailure(where, messages.MISSING_TEXT)
    fields: dict[str, str | None] = {}
    for name in _STRING_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            raise IngestFailure(where, messages.BAD_FIELD.format(name=name, kind=_kind(value)))
        fields[name] = value.strip() if isinstance(value, str) and value.strip() else None
    published: date | None = None
    raw_date = obj.get("published")
    if raw_date not in (None, ""):
        if not isinstance(raw_date, str):
            raise IngestFailure(where, messages.BAD_DATE.format(value=raw_date))
        try:
            published = parse_strict_date(raw_date)
        except ValueError:
            raise IngestFailure(where, messages.BAD_DATE.format(value=raw_date)) from None
    return build_document(
        text,
        id=fields["id"],
        source=fields["source"] or source,
        title=fields["title"],
        url=fields["url"],
        published=published,
        publisher=fields["publisher"],
        licence=fields["licence"] or fields["license"],
        attribution=fields["attribution"],
        language=primary_language(fields["language"]),
        media_type=media_type,
        normalise=normalise,
    )


def _line_error(where: str, line_no: int, reason: str) -> IngestError:
    error = BadInputLine(where, line_no, reason)
    return IngestError(source=where, message=str(error))


def iter_jsonl(
    lines: Iterable[bytes | str], *, where: str, max_line_bytes: int | None = None, normalise: bool = True
) -> Iterator[Document | IngestError]:
    """Documents (or per-line errors) from JSON Lines; blank lines are skipped.

    ``lines`` may be byte strings (decoded as UTF-8) or text; a line longer
    than ``max_line_bytes`` is rejected without being parsed. ``normalise=False``
    keeps each text exactly as given (for offsets scored against the input).
    """
    for line_no, raw in enumerate(lines, start=1):
        if max_line_bytes is not None and len(raw) > max_line_bytes:
            limit = messages.human_bytes(max_line_bytes)
            yield _line_error(where, line_no, messages.TOO_LARGE.format(size="line", limit=limit))
            continue
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield _line_error(where, line_no, messages.BAD_ENCODING.format(detail=exc.reason))
                continue
        elif line_no == 1:
            raw = raw.lstrip("\ufeff")
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            yield _line_error(where, line_no, messages.INVALID_JSON.format(detail=exc))
            continue
        try:
            yield record_document(obj, where=f"{where}:{line_no}", source=where, normalise=normalise)
        except IngestFailure as failure:
            yield _line_error(where, line_no, failure.reason)


def iter_json(data: bytes, *, where: str) -> Iterator[Document | IngestError]:
    """Documents from a ``.json`` file holding one contract object or a list of them."""
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        yield IngestError(source=where, message=f"{where}: {messages.INVALID_JSON.format(detail=exc)}")
        return
    items = obj if isinstance(obj, list) else [obj]
    for index, item in enumerate(items, start=1):
        label = f"{where}[{index}]" if isinstance(obj, list) else where
        try:
            yield record_document(item, where=label, source=where, media_type=JSON_MEDIA_TYPE)
        except IngestFailure as failure:
            yield IngestError(source=where, message=f"{label}: {failure.reason}")
