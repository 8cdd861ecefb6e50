"""Recovered weapons in the store: write (insert or update by id), read one, list with filters.

``save_recovered`` writes a batch in one transaction and says per record
whether it was created, updated or already stored as it is; records keep the
``created_at`` of their first save. A linked event must exist: the import
checks that per row first (``existing_event_ids``), so a bad link rejects
only its own row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import String, Table, cast, func, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from vigil.errors import StoreError, VigilError
from vigil.model.access import LOCAL_ORG
from vigil.model.records import RecoveredWeapon
from vigil.store.database import Store, describe_error
from vigil.store.recovered_mapping import content_columns, recovered_from_row, recovered_to_row
from vigil.store.tables import EventRow, RecoveredWeaponRow
from vigil.store.views import Page

SaveStatus = Literal["created", "updated", "unchanged"]
ERR_SAVE = "Could not store the recovered weapons: {reason}"
ERR_NO_EVENT = "event_id: no stored event has id {ids} (see `vigil events`)."
ERR_RANGE = "since ({since}) is after until ({until})."
ERR_NOT_OWNER = "id: {ids} is already used by a record of another organisation; leave id empty to get one of your own."

_TABLE: Table = RecoveredWeaponRow.__table__  # type: ignore[assignment]


class UnknownEvent(VigilError):
    """A record links to an event id the store does not hold."""


class NotOwner(VigilError):
    """A record would replace one that another organisation owns (only a given id can collide)."""


@dataclass(frozen=True)
class RecoveredFilter:
    """Which recovered weapons to list; every condition is optional.

    ``country`` is where it was recovered, ``made_in`` its country of
    manufacture; ``since``/``until`` apply to the first day of the recovery
    date; ``text`` looks in the serial number, make, model, markings, import
    marks and custody notes.
    """

    weapon_class: str | None = None
    country: str | None = None
    made_in: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    event_id: int | None = None
    text: str | None = None
    obliterated: bool | None = None
    limit: int | None = 50
    offset: int = 0

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ValueError(ERR_RANGE.format(since=self.since, until=self.until))

    def everything(self) -> RecoveredFilter:
        """The same conditions without paging (for counts and origin shares)."""
        return RecoveredFilter(**{**self.__dict__, "limit": None, "offset": 0})


def existing_event_ids(store: Store, ids: Iterable[int]) -> set[int]:
    """Those of ``ids`` that are stored events."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    with store.session() as session:
        return set(session.scalars(select(EventRow.id).where(EventRow.id.in_(wanted))))


def save_recovered(store: Store, weapons: Sequence[RecoveredWeapon]) -> list[SaveStatus]:
    """Insert new records and update changed ones, in one transaction; the status of each, in order.

    Raises ``UnknownEvent`` (nothing written) when a record links to an event
    that is not stored, ``StoreError`` when the database refuses the batch.
    """
    links = {w.event_id for w in weapons if w.event_id is not None}
    missing = links - existing_event_ids(store, links)
    if missing:
        raise UnknownEvent(ERR_NO_EVENT.format(ids=", ".join(map(str, sorted(missing)))))
    now = dt.datetime.now(dt.timezone.utc)
    statuses: list[SaveStatus] = []
    try:
        # Unrestricted on purpose: a record the writer may not see must still not be inserted twice or replaced.
        with store.for_viewer(None).session() as session, session.begin():
            ids = [w.id for w in weapons]
            stored = {row.id: row for row in session.scalars(select(RecoveredWeaponRow).where(RecoveredWeaponRow.id.in_(ids)))}
            foreign = sorted(w.id for w in weapons if w.id in stored and _owner(stored[w.id].org_id) != _owner(w.org_id))
            if foreign:
                raise NotOwner(ERR_NOT_OWNER.format(ids=", ".join(foreign)))
            # The latest values per id: stored ones first, then each record of the batch in turn.
            latest = {i: recovered_to_row(recovered_from_row(row), now) for i, row in stored.items()}
            new: dict[str, dict] = {}
            changed: dict[str, dict] = {}
            for weapon in weapons:
                values = recovered_to_row(weapon, now)
                previous = latest.get(weapon.id)
                if previous is None:
                    new[weapon.id] = values
                    statuses.append("created")
                elif content_columns(previous) == content_columns(values):
                    statuses.append("unchanged")
                else:
                    (new if weapon.id in new else changed)[weapon.id] = values
                    statuses.append("updated")
                latest[weapon.id] = values
            if new:
                session.execute(insert(_TABLE), list(new.values()))
            for weapon_id, values in changed.items():
                session.execute(update(_TABLE).where(_TABLE.c.id == weapon_id).values(**content_columns(values)))
    except SQLAlchemyError as error:
        raise StoreError(ERR_SAVE.format(reason=describe_error(error))) from error
    return statuses


def _owner(org_id: str | None) -> str:
    return org_id or LOCAL_ORG


def get_recovered(store: Store, weapon_id: str) -> RecoveredWeapon | None:
    with store.session() as session:
        row = session.get(RecoveredWeaponRow, weapon_id)
        return None if row is None else recovered_from_row(row)


def page_recovered(store: Store, filter: RecoveredFilter | None = None) -> Page[RecoveredWeapon]:
    """Matching records, most recently recovered first (undated last), and how many match in all."""
    filter = filter or RecoveredFilter()
    conditions = _conditions(filter)
    query = (
        select(RecoveredWeaponRow)
        .where(*conditions)
        .order_by(RecoveredWeaponRow.recovered_start.desc().nulls_last(), RecoveredWeaponRow.id)
        .offset(filter.offset)
        .limit(filter.limit)
    )
    with store.session() as session:
        items = [recovered_from_row(row) for row in session.scalars(query)]
        total = session.scalar(select(func.count(RecoveredWeaponRow.id)).where(*conditions)) or 0
    return Page[RecoveredWeapon](items=items, total=total, limit=filter.limit, offset=filter.offset)


def list_recovered(store: Store, filter: RecoveredFilter | None = None) -> list[RecoveredWeapon]:
    """Every matching record (no paging)."""
    return page_recovered(store, (filter or RecoveredFilter()).everything()).items


def _conditions(filter: RecoveredFilter) -> list:
    row = RecoveredWeaponRow
    conditions = []
    if filter.weapon_class:
        conditions.append(func.lower(row.weapon_class) == filter.weapon_class.strip().lower())
    if filter.country:
        conditions.append(row.country == filter.country.strip().upper())
    if filter.made_in:
        conditions.append(row.country_of_manufacture == filter.made_in.strip().upper())
    if filter.since is not None:
        conditions.append(row.recovered_start >= filter.since)
    if filter.until is not None:
        conditions.append(row.recovered_start <= filter.until)
    if filter.event_id is not None:
        conditions.append(row.event_id == filter.event_id)
    if filter.obliterated is not None:
        conditions.append(row.serial_obliterated.is_(filter.obliterated))
    if filter.text and filter.text.strip():
        needle = filter.text.strip()
        conditions.append(
            or_(
                *(column.icontains(needle, autoescape=True) for column in (row.serial_number, row.make, row.model, row.custody_notes)),
                cast(row.markings, String).icontains(needle, autoescape=True),
                cast(row.import_marks, String).icontains(needle, autoescape=True),
            )
        )
    return conditions
