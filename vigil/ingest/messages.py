"""Ingest error messages, as named templates so tests and users can search for them.

Each is the *reason* part; ``IngestFailure`` prefixes the source ("report.pdf: ...").
"""

from __future__ import annotations

NOT_FOUND = "no such file or directory"
UNREADABLE = "cannot be read ({detail})"
UNSUPPORTED_TYPE = "unsupported file type {suffix!r} (expected one of {expected})"
UNSUPPORTED_SCHEME = "unsupported URL scheme {scheme!r} (only http and https)"
TOO_LARGE = "{size} is over the {limit} limit (max_document_bytes)"
TOO_LARGE_STREAM = "response is over the {limit} limit (max_document_bytes); download stopped"
EMPTY_TEXT = "no text"
BINARY_TEXT = "looks like a binary file, not text"

NOT_A_PDF = "not a readable PDF ({detail})"
ENCRYPTED_PDF = "not a readable PDF (it is encrypted with a password)"
SCANNED_PDF = "no extractable text; it may be a scanned image"

NOT_A_FEED = "not a readable RSS/Atom feed ({detail})"
FEED_ENTRY = "entry {index} ({title}): {reason}"
LINK_IS_FEED = "the link leads to a feed, not an article"
NO_LINK = "entry has no link to follow"

INVALID_JSON = "invalid JSON ({detail})"
NOT_AN_OBJECT = "expected a JSON object, got {kind}"
MISSING_TEXT = "missing or empty \"text\""
BAD_FIELD = "field {name!r} must be a string, got {kind}"
BAD_DATE = "invalid \"published\" date {value!r} (expected YYYY-MM-DD)"
BAD_ENCODING = "not valid UTF-8 ({detail})"

CONNECT_FAILED = "could not connect ({detail})"
TIMED_OUT = "timed out after {seconds:g} s"
HTTP_STATUS = "HTTP {status} {phrase}"
FETCH_FAILED = "fetch failed ({detail})"
UNSUPPORTED_CONTENT = "unsupported content type {content_type!r}"

UNEXPECTED = "unexpected error ({detail})"


def human_bytes(n: int) -> str:
    """1536 -> '1.5 KiB': sizes in messages people read."""
    value = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} bytes"  # pragma: no cover


def describe(exc: BaseException) -> str:
    """'ValueError: first line of the message', for the parenthesised detail."""
    text = str(exc).strip()
    detail = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
