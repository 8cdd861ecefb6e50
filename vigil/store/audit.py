"""The audit log in the store: append an entry, read entries back with filters.

The one place that maps ``AuditEntry`` records to ``audit_log`` rows. Entries
are only ever added: nothing here updates or deletes one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from vigil.errors import StoreError
from vigil.model.access import AuditEntry
from vigil.store.database import Store, describe_error
from vigil.store.mapping import as_utc
from vigil.store.tables import AuditRow

ERR_WRITE = "Could not write to the audit log: {reason}"
ERR_RANGE = "since ({since}) is after until ({until})."

_COLUMNS = ("at", "user_id", "username", "org_id", "action", "record_type", "record_id", "detail", "remote_addr")


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to read; every condition optional. ``since``/``until`` are inclusive instants."""

    since: dt.datetime | None = None
    until: dt.datetime | None = None
    org_id: str | None = None
    user_id: str | None = None
    username: str | None = None
    action: str | None = None
    record_type: str | None = None
    record_id: str | None = None
    limit: int | None = 100
    offset: int = 0

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ValueError(ERR_RANGE.format(since=self.since, until=self.until))


def audit_to_row(entry: AuditEntry) -> AuditRow:
    return AuditRow(**{name: getattr(entry, name) for name in _COLUMNS})


def audit_from_row(row: AuditRow) -> AuditEntry:
    values = {name: getattr(row, name) for name in _COLUMNS}
    return AuditEntry(id=row.id, **{**values, "at": as_utc(row.at)})


def append_audit(store: Store, entry: AuditEntry) -> AuditEntry:
    """Write one entry in its own transaction; the entry with its id."""
    row = audit_to_row(entry)
    try:
        with store.session() as session, session.begin():
            session.add(row)
            session.flush()
            return entry.model_copy(update={"id": row.id})
    except SQLAlchemyError as error:
        raise StoreError(ERR_WRITE.format(reason=describe_error(error))) from error


def read_audit(store: Store, filter: AuditFilter | None = None) -> tuple[list[AuditEntry], int]:
    """Matching entries, newest first, and how many match in all."""
    filter = filter or AuditFilter()
    conditions = _conditions(filter)
    query = select(AuditRow).where(*conditions).order_by(AuditRow.at.desc(), AuditRow.id.desc())
    query = query.offset(filter.offset).limit(filter.limit)
    with store.session() as session:
        entries = [audit_from_row(row) for row in session.scalars(query)]
        total = session.scalar(select(func.count(AuditRow.id)).where(*conditions)) or 0
    return entries, total


def _conditions(filter: AuditFilter) -> list:
    conditions = []
    if filter.since is not None:
        conditions.append(AuditRow.at >= filter.since)
    if filter.until is not None:
        conditions.append(AuditRow.at <= filter.until)
    for name in ("org_id", "user_id", "username", "action", "record_type", "record_id"):
        value = getattr(filter, name)
        if value is not None:
            conditions.append(getattr(AuditRow, name) == value)
    return conditions
