"""``iter_documents``: every kind of input in, Documents and IngestErrors out, never an exception."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from vigil.errors import IngestFailure
from vigil.ingest import messages
from vigil.ingest.files import check_file, iter_lines, read_file, walk_directory
from vigil.ingest.formats import documents_from_bytes, single_document
from vigil.ingest.jsonl import iter_jsonl
from vigil.ingest.sniff import kind_for_response
from vigil.ingest.urls import Fetcher, is_url
from vigil.model.records import Document, IngestError
from vigil.settings import Settings

STDIN = "-"
STDIN_NAME = "<stdin>"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)


def ingest_error(source: str, message: str) -> IngestError:
    return IngestError(source=source, message=message, at=datetime.now(timezone.utc))


def iter_documents(
    inputs: Sequence[str | Path],
    settings: Settings,
    *,
    follow_links: bool = False,
    stdin: BinaryIO | None = None,
) -> Iterator[Document | IngestError]:
    """Documents from files, directories, http(s) URLs and ``"-"`` (JSON Lines on stdin).

    A bad input (unreadable, unsupported, too large, empty, unreachable...)
    yields an ``IngestError`` naming it and the reason, and the next input is
    read. With ``follow_links`` a feed entry's linked article is fetched
    instead of using the entry's summary.
    """
    if isinstance(inputs, (str, Path)):  # one input passed bare: not a sequence of characters
        inputs = [inputs]
    run = _Run(settings, follow_links, stdin)
    try:
        for item in inputs:
            yield from run.guarded(str(item), run.one(item))
    finally:
        run.fetcher.close()


class _Run:
    """State shared by one ``iter_documents`` call: settings and the HTTP client."""

    def __init__(self, settings: Settings, follow_links: bool, stdin: BinaryIO | None) -> None:
        self.settings = settings
        self.limit = settings.max_document_bytes
        self.follow = self.follow_link if follow_links else None
        self.stdin = stdin
        self.fetcher = Fetcher(settings)

    def guarded(self, source: str, items: Iterator[Document | IngestError]) -> Iterator[Document | IngestError]:
        """Pass items through; turn an exception into an ``IngestError`` for ``source``."""
        try:
            for item in items:
                if isinstance(item, IngestError) and item.at is None:
                    item = item.model_copy(update={"at": datetime.now(timezone.utc)})
                yield item
        except IngestFailure as failure:
            yield ingest_error(failure.source, str(failure))
        except Exception as exc:  # a reader bug must not end the whole run
            yield ingest_error(source, f"{source}: {messages.UNEXPECTED.format(detail=messages.describe(exc))}")

    def one(self, item: str | Path) -> Iterator[Document | IngestError]:
        if isinstance(item, str):
            if item == STDIN:
                yield from self.from_stdin()
                return
            if is_url(item):
                yield from self.from_url(item)
                return
            scheme = _SCHEME.match(item)
            if scheme:
                raise IngestFailure(item, messages.UNSUPPORTED_SCHEME.format(scheme=scheme.group(1)))
        path = Path(item)
        if path.is_dir():
            for entry in walk_directory(path):
                if isinstance(entry, IngestFailure):
                    yield ingest_error(entry.source, str(entry))
                else:
                    yield from self.guarded(str(entry), self.from_file(entry, explicit=False))
        else:
            yield from self.from_file(path, explicit=True)

    def from_file(self, path: Path, *, explicit: bool) -> Iterator[Document | IngestError]:
        kind = check_file(path, self.limit, explicit=explicit)
        source = str(path)
        if kind == "jsonl":
            try:
                with path.open("rb") as handle:
                    yield from iter_jsonl(iter_lines(handle, self.limit), where=source, max_line_bytes=self.limit)
            except OSError as exc:
                raise IngestFailure(source, messages.UNREADABLE.format(detail=exc.strerror or exc)) from None
            return
        data = read_file(path, self.limit)
        yield from documents_from_bytes(kind, data, source=source, follow=self.follow)

    def from_stdin(self) -> Iterator[Document | IngestError]:
        handle = self.stdin if self.stdin is not None else sys.stdin.buffer
        yield from iter_jsonl(iter_lines(handle, self.limit), where=STDIN_NAME, max_line_bytes=self.limit)

    def from_url(self, url: str) -> Iterator[Document | IngestError]:
        fetched = self.fetcher.fetch(url)
        kind = kind_for_response(fetched.media_type, fetched.data)
        if kind is None:
            raise IngestFailure(url, messages.UNSUPPORTED_CONTENT.format(content_type=fetched.media_type))
        yield from documents_from_bytes(
            kind,
            fetched.data,
            source=url,
            url=fetched.url,
            encoding=fetched.charset,
            follow=self.follow,
            max_line_bytes=self.limit,
        )

    def follow_link(self, link: str) -> Document:
        """The article a feed entry links to (HTML, PDF or text)."""
        fetched = self.fetcher.fetch(link)
        kind = kind_for_response(fetched.media_type, fetched.data)
        if kind is None:
            raise IngestFailure(link, messages.UNSUPPORTED_CONTENT.format(content_type=fetched.media_type))
        return single_document(kind, fetched.data, source=link, url=fetched.url, encoding=fetched.charset)
