"""Recovered weapons as library operations: add one, import a CSV, read their suspected origins.

What ``vigil weapons ...`` and ``/api/recovered-weapons`` call, as
``vigil.workflow`` is for reports. The stages run in their one direction:
the values are read and normalised (``vigil.ingest``), written
(``vigil.store.recovered``), then analysed (``vigil.analysis.weapon_origins``).

An import keeps every good row and reports every bad one (row number, fields,
why); a row is imported whole or not at all, and a row linking to an event
the store does not hold is a bad row. Importing the same file again changes
nothing (the ids are stable), so a file can be fixed and imported again.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from vigil.analysis.weapon_origins import OriginMatch, OriginReport, match_origin, origin_report
from vigil.ingest.recovered_values import recovered_weapon
from vigil.ingest.weapons_csv import read_recovered_csv
from vigil.model.access import Tlp
from vigil.model.records import RecoveredWeapon
from vigil.store.database import Store
from vigil.store.recovered import (
    RecoveredFilter,
    SaveStatus,
    existing_event_ids,
    get_recovered,
    list_recovered,
    save_recovered,
)

ERR_NO_EVENT = "event_id: no stored event has id {id} (see `vigil events`)"


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class RowProblem(_View):
    """A row that was not imported."""

    row: int = Field(description="as a spreadsheet numbers it: the header is row 1")
    fields: list[str]
    message: str


class ImportOutcome(_View):
    """What an import did, row by row."""

    source: str
    rows: int = Field(description="non-empty rows read")
    created: list[str] = Field(description="ids of the records stored for the first time")
    updated: list[str] = Field(description="ids of stored records whose values changed")
    unchanged: list[str] = Field(description="ids of records already stored as they are")
    errors: list[RowProblem]
    ignored_columns: list[str] = Field(description="columns that are no recovered-weapon field")

    @property
    def imported(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


class AddOutcome(_View):
    weapon: RecoveredWeapon
    status: SaveStatus


class RecoveredDetail(_View):
    weapon: RecoveredWeapon
    origin: OriginMatch


def import_recovered_csv(
    store: Store,
    source: Path | bytes | str,
    *,
    name: str | None = None,
    defaults: Mapping[str, str] | None = None,
    tlp: Tlp | str | None = None,
    org_id: str | None = None,
) -> ImportOutcome:
    """Import a CSV file (a path) or its content; ``defaults`` fill empty fields (``source``, ``recorded_by``);
    ``tlp`` and ``org_id`` mark every record (default TLP:CLEAR, the instance's own organisation).

    A file that cannot be read as a whole raises ``IngestFailure``; bad rows
    are in ``errors`` and the others are stored.
    """
    shown = name or (source.name if isinstance(source, Path) else "upload.csv")
    found = read_recovered_csv(source, name=shown, defaults={"source": shown, **(defaults or {})},
                               marking={"tlp": tlp, "org_id": org_id})
    errors = [RowProblem(row=e.row, fields=e.fields, message=e.message) for e in found.errors]
    known = existing_event_ids(store, {w.event_id for _, w in found.records if w.event_id is not None})
    good: list[RecoveredWeapon] = []
    for row, weapon in found.records:
        if weapon.event_id is not None and weapon.event_id not in known:
            errors.append(RowProblem(row=row, fields=["event_id"], message=ERR_NO_EVENT.format(id=weapon.event_id)))
        else:
            good.append(weapon)
    statuses = save_recovered(store, good) if good else []
    by_status: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": []}
    for weapon, status in zip(good, statuses, strict=True):
        by_status[status].append(weapon.id)
    return ImportOutcome(
        source=shown,
        rows=found.rows,
        errors=sorted(errors, key=lambda e: e.row),
        ignored_columns=found.ignored_columns,
        **by_status,
    )


def add_recovered(
    store: Store, fields: Mapping[str, object], *, tlp: Tlp | str | None = None, org_id: str | None = None
) -> AddOutcome:
    """Check, normalise and store one record marked ``tlp`` for ``org_id``; ``BadFields``, ``UnknownEvent``
    or ``NotOwner`` name what is wrong."""
    weapon = recovered_weapon({name: value for name, value in fields.items() if value is not None}, tlp=tlp, org_id=org_id)
    (status,) = save_recovered(store, [weapon])
    stored = get_recovered(store, weapon.id)
    return AddOutcome(weapon=stored or weapon, status=status)


def recovered_detail(store: Store, weapon_id: str) -> RecoveredDetail | None:
    """One record with the patterns it matches and its suspected origin."""
    weapon = get_recovered(store, weapon_id)
    return None if weapon is None else RecoveredDetail(weapon=weapon, origin=match_origin(weapon))


def recovered_origins(store: Store, filter: RecoveredFilter | None = None) -> OriginReport:
    """Shares of the matching records per suspected origin (see ``vigil.analysis.weapon_origins``)."""
    return origin_report(list_recovered(store, filter))
