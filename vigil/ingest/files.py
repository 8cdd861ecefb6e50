"""Local inputs: files (checked by size before reading), directories, and stdin."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from vigil.errors import IngestFailure
from vigil.ingest import messages
from vigil.ingest.sniff import EXTENSIONS, Kind, sniff
from vigil.ingest.text import looks_binary

log = logging.getLogger("vigil.ingest")


def kind_for_path(path: Path, head: bytes | None = None) -> Kind | None:
    """The kind from the extension; a file with no extension is sniffed from ``head``."""
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind is None and not path.suffix and head is not None:
        kind = sniff(head) or (None if looks_binary(head) else "text")
    return kind


def _unsupported(path: Path) -> str:
    expected = " ".join(sorted(EXTENSIONS))
    return messages.UNSUPPORTED_TYPE.format(suffix=path.suffix or "(none)", expected=expected)


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def walk_directory(root: Path) -> Iterator[Path | IngestFailure]:
    """Supported files under ``root``, sorted, hidden files and folders skipped.

    Unsupported files are skipped with a warning on the ``vigil.ingest`` logger;
    folders that cannot be listed come back as ``IngestFailure``.
    """
    failures: list[IngestFailure] = []

    def on_error(error: OSError) -> None:
        failures.append(IngestFailure(str(error.filename or root), messages.UNREADABLE.format(detail=error.strerror)))

    found: list[Path] = []
    for folder, dirs, names in os.walk(root, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not _is_hidden(d))
        for name in names:
            path = Path(folder) / name
            if _is_hidden(name) or not path.is_file():
                continue
            if path.suffix.lower() in EXTENSIONS:
                found.append(path)
            else:
                log.warning("skipped %s: %s", path, _unsupported(path))
    yield from failures
    yield from sorted(found, key=lambda p: p.relative_to(root).parts)


def check_file(path: Path, limit: int, *, explicit: bool = True) -> Kind:
    """Stat the file and settle its kind before reading anything; raise ``IngestFailure`` if unusable."""
    source = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise IngestFailure(source, messages.NOT_FOUND) from None
    except OSError as exc:
        raise IngestFailure(source, messages.UNREADABLE.format(detail=exc.strerror or exc)) from None
    if not path.is_file():
        raise IngestFailure(source, messages.UNREADABLE.format(detail="not a regular file"))
    kind = kind_for_path(path)
    if kind != "jsonl" and info.st_size > limit:  # JSON Lines are capped per line instead
        size, cap = messages.human_bytes(info.st_size), messages.human_bytes(limit)
        raise IngestFailure(source, messages.TOO_LARGE.format(size=size, limit=cap))
    if kind is None:
        if path.suffix or not explicit:
            raise IngestFailure(source, _unsupported(path))
        kind = kind_for_path(path, read_file(path, limit)[:2048])
        if kind is None:
            raise IngestFailure(source, _unsupported(path))
    return kind


def read_file(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes; a file that grew past the limit since ``stat`` is refused."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise IngestFailure(str(path), messages.UNREADABLE.format(detail=exc.strerror or exc)) from None
    if len(data) > limit:
        raise IngestFailure(str(path), messages.TOO_LARGE.format(size="file", limit=messages.human_bytes(limit)))
    return data


def iter_lines(handle: BinaryIO, limit: int) -> Iterator[bytes]:
    """Lines without their newline, reading at most ``limit + 2`` bytes of any one line.

    An over-long line comes back cut (still longer than ``limit``, so the caller
    rejects it without parsing) and the rest of it is skipped unread.
    """
    while True:
        line = handle.readline(limit + 2)
        if not line:
            return
        ended = line.endswith(b"\n")
        content = line[:-1] if ended else line
        if len(content) > limit:
            while line and not line.endswith(b"\n"):
                line = handle.readline(1 << 16)
            yield content
            continue
        yield content.rstrip(b"\r")
