"""RSS and Atom feeds (feedparser): one Document per entry.

By default an entry's text is its content (or summary) with the HTML
stripped. With a ``follow`` callable the entry's link is fetched instead and
the entry's title, date and feed title fill what the article lacks.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone

import feedparser

from vigil.errors import IngestFailure
from vigil.ingest import messages
from vigil.ingest.html import strip_html
from vigil.ingest.metadata import build_document, clean_field, primary_language
from vigil.model.records import Document, IngestError

RSS_MEDIA_TYPE = "application/rss+xml"
ATOM_MEDIA_TYPE = "application/atom+xml"
Follow = Callable[[str], Document]


def _entry_date(entry: feedparser.FeedParserDict) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc).date()
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _entry_text(entry: feedparser.FeedParserDict) -> str:
    """The longest of the entry's content blocks and summary, as plain text."""
    candidates: list[tuple[str, str]] = []
    for block in entry.get("content") or []:
        candidates.append((block.get("value") or "", block.get("type") or "text/html"))
    detail = entry.get("summary_detail") or {}
    if entry.get("summary"):
        candidates.append((entry["summary"], detail.get("type") or "text/html"))
    if not candidates:
        return ""
    value, kind = max(candidates, key=lambda c: len(c[0]))
    return value if kind == "text/plain" else strip_html(value)


def feed_documents(data: bytes, *, source: str, follow: Follow | None = None) -> Iterator[Document | IngestError]:
    """Documents for each entry of a feed; a bad entry is an error and the rest go on."""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.get("bozo") or not parsed.get("version"):
            detail = parsed.get("bozo_exception") or "no RSS or Atom content"
            raise IngestFailure(source, messages.NOT_A_FEED.format(detail=detail))
        return
    publisher = clean_field(parsed.feed.get("title"))
    language = primary_language(parsed.feed.get("language"))
    media_type = ATOM_MEDIA_TYPE if str(parsed.get("version", "")).startswith("atom") else RSS_MEDIA_TYPE
    for index, entry in enumerate(parsed.entries, start=1):
        title = clean_field(entry.get("title"))
        link = (entry.get("link") or "").strip() or None
        published = _entry_date(entry)
        try:
            if follow is not None:
                if not link:
                    raise IngestFailure(source, messages.NO_LINK)
                doc = follow(link)
                filled = {"title": title, "published": published, "publisher": publisher}
                update = {k: v for k, v in filled.items() if v is not None and getattr(doc, k) is None}
                yield doc.model_copy(update=update) if update else doc
            else:
                yield build_document(
                    _entry_text(entry),
                    source=source,
                    title=title,
                    url=link,
                    published=published,
                    publisher=publisher,
                    language=language,
                    media_type=media_type,
                )
        except IngestFailure as failure:
            label = repr(title) if title else "untitled"
            where = f" at {failure.source}" if failure.source != source else ""
            reason = messages.FEED_ENTRY.format(index=index, title=label, reason=f"{failure.reason}{where}")
            yield IngestError(source=source, message=f"{source}: {reason}")
