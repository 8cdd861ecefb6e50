"""Recovered-weapon records <-> rows: the one place that knows both shapes of them.

The recovery place is flattened into columns as event locations are;
``recovered_start`` (the first day of the recovery date's period) is derived
here for range filters, like ``date_start`` of events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vigil.model.access import LOCAL_ORG
from vigil.model.records import Location, RecoveredWeapon
from vigil.store.mapping import as_utc, period_start
from vigil.store.tables import RecoveredWeaponRow

_PLACE_COLUMNS = {
    "text": "place_text",
    "name": "place_name",
    "admin1": "admin1",
    "admin2": "admin2",
    "country": "country",
    "lat": "lat",
    "lon": "lon",
    "geonames_id": "geonames_id",
    "precision": "place_precision",
}
_PLAIN = (
    "id", "weapon_class", "make", "model", "calibre", "serial_number", "serial_obliterated", "country_of_manufacture",
    "recovered_on", "recovered_precision", "event_id", "custody_notes", "source", "recorded_by",
)


def recovered_to_row(weapon: RecoveredWeapon, created_at: dt.datetime) -> dict[str, Any]:
    """Column values for ``weapon``; ``created_at`` is used when the record carries none."""
    place = weapon.recovery_place or Location()
    return {
        **{name: getattr(weapon, name) for name in _PLAIN},
        "markings": list(weapon.markings),
        "import_marks": list(weapon.import_marks),
        "recovered_start": period_start(weapon.recovered_on),
        **{column: getattr(place, field) for field, column in _PLACE_COLUMNS.items()},
        "created_at": weapon.created_at or created_at,
        "tlp": weapon.tlp.value,
        "org_id": None if weapon.org_id == LOCAL_ORG else weapon.org_id,
    }


def recovered_from_row(row: RecoveredWeaponRow) -> RecoveredWeapon:
    place = {field: getattr(row, column) for field, column in _PLACE_COLUMNS.items()}
    return RecoveredWeapon(
        **{name: getattr(row, name) for name in _PLAIN},
        markings=list(row.markings or []),
        import_marks=list(row.import_marks or []),
        recovery_place=None if all(v is None for v in place.values()) else Location(**place),
        created_at=as_utc(row.created_at),
        tlp=row.tlp,
        org_id=row.org_id,
    )


def content_columns(values: dict[str, Any]) -> dict[str, Any]:
    """The columns that say what a record holds (all but the id and when it was stored), to detect changes."""
    return {name: value for name, value in values.items() if name not in ("id", "created_at")}
