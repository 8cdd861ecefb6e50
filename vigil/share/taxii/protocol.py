"""TAXII 2.1 wire rules: media type, timestamps, ``next`` tokens, match filters and error messages.

Pure functions with no store access, so the server and the sync client agree on them.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, field

MEDIA_TYPE = "application/taxii+json;version=2.1"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
VERSION = "application/taxii+json;version=2.1"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_CONTENT_LENGTH = 20 * 1024 * 1024

ERR_TIMESTAMP = "{name}: {value!r} is not a TAXII timestamp (e.g. 2023-01-31T12:00:00.000Z)."
ERR_LIMIT = "limit: {value!r} is not a whole number between 1 and {most}."
ERR_NEXT = "next: {value!r} is not a continuation this server handed out."
ERR_MATCH = "{name}: unsupported filter; this server supports match[id], match[type] and match[version]."
ERR_VERSION = "match[version]: {value!r} is not 'first', 'last', 'all' or a timestamp."


class TaxiiError(Exception):
    """A TAXII error message (section 3.6.1) with its HTTP status; the description names the bad input."""

    def __init__(self, status: int, title: str, description: str | None = None) -> None:
        super().__init__(description or title)
        self.status = status
        self.title = title
        self.description = description

    def body(self) -> dict:
        body = {"title": self.title, "http_status": str(self.status)}
        if self.description:
            body["description"] = self.description
        return body


def bad_request(description: str) -> TaxiiError:
    return TaxiiError(400, "Bad request", description)


def not_found(what: str, id: str) -> TaxiiError:
    return TaxiiError(404, "Not found", f"No {what} {id!r} here, or not one you may read.")


def forbidden(description: str) -> TaxiiError:
    return TaxiiError(403, "Forbidden", description)


def unauthorized(description: str) -> TaxiiError:
    return TaxiiError(401, "Unauthorized", description)


# -- timestamps -------------------------------------------------------------------------
def format_timestamp(moment: dt.datetime) -> str:
    """UTC with microseconds and a Z: TAXII orders and compares these exactly."""
    utc = moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(value: str, name: str = "added_after") -> dt.datetime:
    """An RFC 3339 timestamp (any precision, Z or an offset) -> an aware UTC datetime; 400 naming it."""
    text = value.strip()
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise bad_request(ERR_TIMESTAMP.format(name=name, value=value)) from None
    if moment.tzinfo is None:
        raise bad_request(ERR_TIMESTAMP.format(name=name, value=value))
    return moment.astimezone(dt.timezone.utc)


# -- paging -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Position:
    """Where a page ends: the date_added and key of the last unit served and how many of its objects.

    A unit is one stored document with the objects exported from it; ``taken`` is how many of
    them the page included (a document can span two pages when it has more objects than a page).
    """

    added: dt.datetime
    key: str
    taken: int | None = None  # None: the whole unit was served

    def encode(self) -> str:
        raw = json.dumps([format_timestamp(self.added), self.key, self.taken], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> "Position":
        """The position a ``next`` token names; 400 if it is not one this server made."""
        try:
            padded = token + "=" * (-len(token) % 4)
            added, key, taken = json.loads(base64.urlsafe_b64decode(padded.encode()))
            if not isinstance(key, str) or not (taken is None or (isinstance(taken, int) and taken >= 0)):
                raise ValueError(token)
            return cls(parse_timestamp(added, "next"), key, taken)
        except (ValueError, TypeError, binascii.Error, TaxiiError):
            raise bad_request(ERR_NEXT.format(value=token)) from None


def parse_limit(value: str | None, default: int = DEFAULT_LIMIT, most: int = MAX_LIMIT) -> int:
    """``limit`` as given, or the default; a server may return fewer, so larger asks are capped."""
    if value is None or not value.strip():
        return default
    try:
        limit = int(value)
    except ValueError:
        raise bad_request(ERR_LIMIT.format(value=value, most=most)) from None
    if limit < 1:
        raise bad_request(ERR_LIMIT.format(value=value, most=most))
    return min(limit, most)


# -- match filters ------------------------------------------------------------------------
@dataclass(frozen=True)
class Match:
    """The ``match[...]`` filters of a request (section 3.4.1); empty tuples match everything."""

    ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    versions: tuple[str, ...] = field(default=("last",))
    spec_versions: tuple[str, ...] = ()

    def keeps(self, obj: dict) -> bool:
        """Whether ``obj`` passes the id, type and spec_version filters (versions are chosen apart)."""
        if self.ids and obj.get("id") not in self.ids:
            return False
        if self.types and obj.get("type") not in self.types:
            return False
        if self.spec_versions and obj.get("spec_version", "2.1") not in self.spec_versions:
            return False
        return True

    def keeps_version(self, version: str, first: str, last: str) -> bool:
        """Whether a version (its ``modified``, else ``created``) passes ``match[version]``."""
        if "all" in self.versions:
            return True
        return (("first" in self.versions and version == first) or ("last" in self.versions and version == last)
                or version in self.versions)


def parse_match(params: dict[str, str], *, default_version: str = "last") -> Match:
    """``match[id]``, ``match[type]``, ``match[version]``, ``match[spec_version]`` (comma lists); 400 for others."""
    fields: dict[str, tuple[str, ...]] = {}
    for name, value in params.items():
        if not name.startswith("match["):
            continue
        key = name[len("match["):-1] if name.endswith("]") else ""
        values = tuple(part.strip() for part in value.split(",") if part.strip())
        if key == "id":
            fields["ids"] = values
        elif key == "type":
            fields["types"] = values
        elif key == "spec_version":
            fields["spec_versions"] = values
        elif key == "version":
            for version in values:
                if version not in ("first", "last", "all"):
                    parse_timestamp(version, "match[version]")
            fields["versions"] = tuple(_normal_version(v) for v in values) or (default_version,)
        else:
            raise bad_request(ERR_MATCH.format(name=name))
    fields.setdefault("versions", (default_version,))
    return Match(**fields)


def object_version(obj: dict) -> str:
    """An object's version: its ``modified``, else ``created``, else the epoch (marking definitions)."""
    stamp = obj.get("modified") or obj.get("created")
    return _normal_version(stamp) if stamp else "1970-01-01T00:00:00.000000Z"


def _normal_version(value: str) -> str:
    if value in ("first", "last", "all"):
        return value
    return format_timestamp(parse_timestamp(value, "match[version]"))


# -- resources ----------------------------------------------------------------------------
def envelope(objects: list[dict], *, more: bool, next_token: str | None) -> dict:
    """An envelope (section 3.7): the objects, ``more`` and, when there is more, ``next``."""
    body: dict = {"more": more}
    if more and next_token:
        body["next"] = next_token
    if objects:
        body["objects"] = objects
    return body
