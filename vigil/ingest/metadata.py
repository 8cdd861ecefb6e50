"""Small helpers shared by the format readers: dates, languages, building a Document."""

from __future__ import annotations

from datetime import date, datetime

from dateutil import parser as dateparser

from vigil.errors import IngestFailure
from vigil.ingest import messages
from vigil.ingest.normalise import normalise_text
from vigil.model.records import Document


def parse_date(value: object) -> date | None:
    """A publication date from whatever a page or feed offers; ``None`` if unusable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        parsed = dateparser.parse(text, fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None or not 1800 <= parsed.year <= 2200:
        return None
    return parsed.date()


def parse_strict_date(value: str) -> date:
    """The JSON Lines contract: ``YYYY-MM-DD`` (a full ISO timestamp is accepted too)."""
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()


def primary_language(tag: str | None) -> str | None:
    """'en-GB' -> 'en'; ``None`` for an empty or odd tag."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def clean_field(value: object) -> str | None:
    """A one-line metadata string (title, publisher...), or ``None`` when blank."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def build_document(
    text: str, *, source: str, id: str | None = None, normalise: bool = True, **fields: object
) -> Document:
    """Normalise ``text`` and build the Document; raise ``IngestFailure`` if nothing is left.

    ``normalise=False`` keeps the text exactly as given (callers whose offsets
    must match their input). ``None`` metadata values are dropped so the
    record's defaults apply.
    """
    clean = normalise_text(text) if normalise else text
    if not clean.strip():
        raise IngestFailure(source, messages.EMPTY_TEXT)
    given = {k: v for k, v in fields.items() if v is not None}
    return Document.from_text(clean, id=id, source=source, **given)
