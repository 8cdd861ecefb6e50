"""Deterministic STIX ids: uuid5 under Vigil's namespace, from the instance and the local id.

Exporting the same records twice gives the same ids, so a partner recognises what it
already has. Records that came from a STIX import keep their original ids instead
(``vigil.store.stix.original_ids``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from vigil.share.stix.spec import load_spec


def stix_id(stix_type: str, *parts: object) -> str:
    """``<type>--<uuid5(namespace, "part/part/...")>``."""
    namespace = uuid.UUID(load_spec().namespace)
    name = "/".join(str(part) for part in parts)
    return f"{stix_type}--{uuid.uuid5(namespace, name)}"


def fact_key(document_id: str, kind: str, ordinal: int) -> str:
    """The local id of a fact: its document, its kind and its position there (stable across stores)."""
    return f"{document_id}:{kind}:{ordinal}"


def parse_fact_key(key: str) -> tuple[str, str, int]:
    document_id, kind, ordinal = key.rsplit(":", 2)
    return document_id, kind, int(ordinal)


def timestamp(moment: dt.datetime | dt.date | None) -> str:
    """A STIX timestamp in UTC with millisecond precision (the form stix2 writes)."""
    if moment is None:
        return load_spec().fixed_timestamp
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_timestamp(value: object) -> dt.datetime | None:
    """A STIX timestamp (string or datetime) as an aware datetime; None when absent or unreadable."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
