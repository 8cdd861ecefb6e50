"""Status resources of the TAXII server's "add objects" requests: written once, read by their sender."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import insert, select

from vigil.store.database import Store
from vigil.store.mapping import as_utc
from vigil.store.tables import TaxiiStatusRow


@dataclass(frozen=True)
class AddStatus:
    """The outcome of one POST of an envelope: which objects were stored and which failed, and why."""

    id: str
    collection: str
    request_timestamp: dt.datetime
    org_id: str | None = None
    user_id: str | None = None
    successes: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)

    @property
    def total_count(self) -> int:
        return len(self.successes) + len(self.failures)


def save_status(store: Store, status: AddStatus) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            insert(TaxiiStatusRow.__table__).values(
                id=status.id, org_id=status.org_id, user_id=status.user_id, collection=status.collection,
                status="complete", request_timestamp=status.request_timestamp, total_count=status.total_count,
                success_count=len(status.successes), failure_count=len(status.failures), pending_count=0,
                successes=status.successes, failures=status.failures,
            )
        )


def get_status(store: Store, status_id: str) -> AddStatus | None:
    with store.engine.connect() as connection:
        row = connection.execute(select(TaxiiStatusRow.__table__).where(TaxiiStatusRow.id == status_id)).first()
    if row is None:
        return None
    return AddStatus(
        id=row.id, collection=row.collection, request_timestamp=as_utc(row.request_timestamp), org_id=row.org_id,
        user_id=row.user_id, successes=list(row.successes or []), failures=list(row.failures or []),
    )
