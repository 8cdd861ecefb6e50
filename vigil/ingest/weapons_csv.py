"""Reading a CSV of recovered weapons: one record per row, every bad row reported, the rest kept.

A row is read whole or not at all: a row with any value that cannot be read
becomes one ``RowError`` naming its row number (as a spreadsheet numbers
them: the header is row 1) and every bad field; the other rows are kept.
Column names may be the record's fields or their aliases
(``data/recovered_weapon_headers.json``); unknown columns are ignored and
listed. Commas, semicolons and tabs all work as separators; UTF-8 with or
without a byte-order mark. Lists (markings, import marks) are separated by
``;`` or ``|`` within a cell.

Each record gets a stable id (``vigil.ingest.recovered_values.recovered_id``):
an ``id`` column, else the serial number with make, model and recovery date,
else all its values, counting identical rows without a serial number apart
(the second is a second weapon). Importing the same file again gives the same
ids, so it adds nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from vigil.errors import DataFileError, IngestFailure
from vigil.ingest.recovered_values import FIELDS, BadFields, recovered_weapon
from vigil.model.records import RecoveredWeapon

ERR_NOT_TEXT = "not a UTF-8 text file ({reason})"
ERR_NO_HEADER = "no header row: the first row must name the columns (e.g. type,make,model,calibre,serial_number)"
ERR_NO_COLUMN = "no column is a recovered-weapon field (columns: {columns}); see `vigil weapons import --help`"
ERR_SAME_COLUMN = "columns {first!r} and {second!r} both give {field}"
ERR_REPEATED = "the same weapon as row {row} (same {key}); give an id column to keep both"
ERR_CSV = "row {row}: unreadable CSV ({reason})"
_HEADER_JUNK = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class RowError:
    """A row that was not imported, with the fields at fault and why."""

    row: int
    fields: list[str]
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass
class CsvRecords:
    """What a CSV held: the records with their row numbers, the rows that failed, the columns ignored."""

    records: list[tuple[int, RecoveredWeapon]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0


def read_recovered_csv(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    defaults: Mapping[str, str] | None = None,
    marking: Mapping[str, object] | None = None,
) -> CsvRecords:
    """Read a CSV file (a path) or its content (bytes or text).

    ``defaults`` fill fields a row leaves empty (e.g. ``source``,
    ``recorded_by``); ``marking`` (``tlp``, ``org_id``) marks every record (see
    ``recovered_weapon``). Problems with the whole file (not text, no usable
    header) raise ``IngestFailure`` naming it.
    """
    shown = name or (str(source) if isinstance(source, Path) else "CSV")
    text = _text(source, shown)
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise IngestFailure(shown, ERR_CSV.format(row=1, reason=error)) from None
    if not header or not any(cell.strip() for cell in header):
        raise IngestFailure(shown, ERR_NO_HEADER)
    columns, ignored = _columns(header, shown)
    found = CsvRecords(ignored_columns=ignored)
    first_row: dict[str, tuple[int, str]] = {}
    occurrences: dict[str, int] = {}
    row_number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise IngestFailure(shown, ERR_CSV.format(row=row_number + 1, reason=error)) from None
        row_number += 1
        if not any(cell.strip() for cell in cells):
            continue
        found.rows += 1
        fields = {name: cells[i] for i, name in columns.items() if i < len(cells) and cells[i].strip()}
        for name, value in (defaults or {}).items():
            fields.setdefault(name, value)
        _read_row(row_number, fields, found, first_row, occurrences, marking or {})
    return found


def _read_row(
    row: int,
    fields: dict[str, str],
    found: CsvRecords,
    first_row: dict[str, tuple[int, str]],
    occurrences: dict[str, int],
    marking: Mapping[str, object],
) -> None:
    try:
        weapon = recovered_weapon(fields, **marking)  # type: ignore[arg-type]
        if not fields.get("id") and not weapon.serial_number:
            # Identical rows without a serial number are several weapons: number them.
            occurrences[weapon.id] = occurrences.get(weapon.id, 0) + 1
            if occurrences[weapon.id] > 1:
                weapon = recovered_weapon(fields, occurrence=occurrences[weapon.id], **marking)  # type: ignore[arg-type]
    except BadFields as error:
        found.errors.append(RowError(row=row, fields=error.fields, message=str(error)))
        return
    if weapon.id in first_row:
        earlier, key = first_row[weapon.id]
        found.errors.append(RowError(row=row, fields=[key], message=f"{key}: " + ERR_REPEATED.format(row=earlier, key=_key_words(key))))
        return
    first_row[weapon.id] = (row, "id" if fields.get("id") else "serial_number")
    found.records.append((row, weapon))


def _key_words(key: str) -> str:
    return "id" if key == "id" else "serial number, make, model and recovery date"


def _text(source: str | Path | bytes, shown: str) -> str:
    try:
        raw = source.read_bytes() if isinstance(source, Path) else source
    except OSError as error:
        raise IngestFailure(shown, f"cannot read ({error.strerror or error})") from None
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestFailure(shown, ERR_NOT_TEXT.format(reason=error.reason)) from None


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    head = text[:4096]
    try:
        return csv.Sniffer().sniff(head.split("\n", 1)[0] or head, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _columns(header: list[str], shown: str) -> tuple[dict[int, str], list[str]]:
    """Column index -> field, and the names of the columns that are no field."""
    aliases = header_aliases()
    columns: dict[int, str] = {}
    given: dict[str, str] = {}
    ignored: list[str] = []
    for index, raw in enumerate(header):
        key = _HEADER_JUNK.sub("_", raw.strip().casefold()).strip("_")
        name = aliases.get(key)
        if name is None:
            if raw.strip():
                ignored.append(raw.strip())
            continue
        if name in given:
            raise IngestFailure(shown, ERR_SAME_COLUMN.format(first=given[name], second=raw.strip(), field=name))
        given[name] = raw.strip()
        columns[index] = name
    if not columns:
        raise IngestFailure(shown, ERR_NO_COLUMN.format(columns=", ".join(h.strip() for h in header)))
    return columns, ignored


@lru_cache(maxsize=1)
def header_aliases() -> dict[str, str]:
    """Every accepted column name (normalised) -> the field it gives."""
    path = resources.files("vigil.ingest").joinpath("data/recovered_weapon_headers.json")
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise DataFileError(f"recovered_weapon_headers.json is missing or invalid: {error}") from error
    unknown = set(data["aliases"]) - set(FIELDS)
    if unknown:
        raise DataFileError(f"recovered_weapon_headers.json names fields that do not exist: {sorted(unknown)}")
    found = {name: name for name in FIELDS}
    for name, others in data["aliases"].items():
        for other in others:
            if found.setdefault(other, name) != name:
                raise DataFileError(f"recovered_weapon_headers.json: {other!r} is an alias of two fields")
    return found
