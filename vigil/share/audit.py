"""The audit log: record who did what, list entries with filters, export them as CSV or JSON Lines.

Every stage that must leave a trace calls ``record``: logins (``login``,
``login_failed``), token and account changes, exports, reads of AMBER and RED
records, shares, imports, syncs. ``viewer`` None is the owner of the database
working from the CLI (or single-user mode): the entry carries no user and
belongs to the instance's own organisation. A failure to write the entry is an
error, not a warning: an action that must be audited does not go ahead unseen.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from vigil.model.access import LOCAL_ORG, AuditEntry, Viewer
from vigil.store.audit import AuditFilter, append_audit, read_audit
from vigil.store.database import Store

ExportFormat = Literal["csv", "jsonl"]
EXPORT_FORMATS = ("csv", "jsonl")
CSV_COLUMNS = ("id", "at", "username", "user_id", "org_id", "action", "record_type", "record_id", "remote_addr", "detail")
ERR_FORMAT = "format: {value!r} is not an audit export format; use csv or jsonl."
_PAGE = 1000

__all__ = ["AuditFilter", "record", "list_entries", "export_entries", "ERR_FORMAT", "EXPORT_FORMATS"]


def record(
    store: Store,
    viewer: Viewer | None,
    action: str,
    record_type: str | None = None,
    record_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
    remote_addr: str | None = None,
    *,
    username: str | None = None,
    org_id: str | None = None,
) -> AuditEntry:
    """Append one entry.

    With no viewer, ``username`` and ``org_id`` name the actor when known (a failed login's
    name and, if that user exists, their organisation); with neither, the entry is the CLI's
    and belongs to the instance's own organisation.
    """
    entry = AuditEntry(
        at=dt.datetime.now(dt.timezone.utc),
        user_id=viewer.user_id if viewer else None,
        username=(viewer.username if viewer else None) or username,
        org_id=viewer.org_id if viewer else (org_id or (None if username else LOCAL_ORG)),
        action=action,
        record_type=record_type,
        record_id=None if record_id is None else str(record_id),
        detail=dict(detail) if detail else None,
        remote_addr=remote_addr,
    )
    return append_audit(store, entry)


def list_entries(store: Store, filter: AuditFilter | None = None) -> tuple[list[AuditEntry], int]:
    """Entries newest first, and how many match in all."""
    return read_audit(store, _in_utc(filter or AuditFilter()))


def iter_entries(store: Store, filter: AuditFilter) -> Iterator[AuditEntry]:
    """Every matching entry (no paging), newest first, read a thousand at a time."""
    filter = _in_utc(filter)
    offset = filter.offset
    remaining = filter.limit
    while remaining is None or remaining > 0:
        size = _PAGE if remaining is None else min(_PAGE, remaining)
        page, _ = read_audit(store, AuditFilter(**{**filter.__dict__, "limit": size, "offset": offset}))
        yield from page
        if len(page) < size:
            return
        offset += size
        if remaining is not None:
            remaining -= size


def export_entries(store: Store, filter: AuditFilter, format: str) -> tuple[str, int]:
    """The matching entries as CSV (one row each, detail as JSON) or JSON Lines, and how many."""
    if format not in EXPORT_FORMATS:
        raise ValueError(ERR_FORMAT.format(value=format))
    entries = list(iter_entries(store, filter))
    if format == "jsonl":
        return "".join(entry.model_dump_json() + "\n" for entry in entries), len(entries)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        values = entry.model_dump(mode="json")
        values["detail"] = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True) if entry.detail else ""
        writer.writerow(["" if values[c] is None else values[c] for c in CSV_COLUMNS])
    return buffer.getvalue(), len(entries)


def _in_utc(filter: AuditFilter) -> AuditFilter:
    """Instants compared in UTC (SQLite keeps them without a zone)."""
    return AuditFilter(**{**filter.__dict__, "since": _utc(filter.since), "until": _utc(filter.until)})


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)
