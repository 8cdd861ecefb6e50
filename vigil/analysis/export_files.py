"""``vigil export``: every stored fact of one kind matching a filter, written as CSV, JSON, GeoJSON or Parquet.

The same filter (``EventFilter``) as the lists: events by their own date and
place; fused events by their fused fields; actors by the events naming them;
claims, relations and weapons through their event, else their document
(``vigil.store.anchors``). Rows are written newest first.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from sqlalchemy import select

from vigil.analysis.exports import (
    Table,
    actors_table,
    claims_table,
    events_geojson,
    events_table,
    fused_geojson,
    fused_table,
    relations_table,
    to_csv,
    to_json,
    weapons_table,
)
from vigil.errors import VigilError
from vigil.store.database import Store
from vigil.store.filters import EventFilter
from vigil.store.lists import page_actors, page_claims, page_relations, page_weapons
from vigil.store.queries import list_events
from vigil.store.tables import DocumentRow, FusedMemberRow
from vigil.store.views import DocumentRef

What = Literal["events", "fused", "actors", "claims", "relations", "weapons"]
ExportFormat = Literal["csv", "json", "geojson", "parquet"]
WHATS: tuple[str, ...] = What.__args__  # type: ignore[attr-defined]
FORMATS: tuple[str, ...] = ExportFormat.__args__  # type: ignore[attr-defined]
ERR_WHAT = "Unknown export {what!r}; use one of: {choices}."
ERR_FORMAT = "Unknown format {format!r}; use one of: {choices}."
ERR_GEOJSON = "GeoJSON holds events and fused events (they have coordinates); use csv, json or parquet for {what}."
ERR_STDOUT = "Parquet is a binary file: give --output FILE.parquet."
_CHUNK = 5000
_SUFFIXES = {".csv": "csv", ".json": "json", ".geojson": "geojson", ".parquet": "parquet", ".pq": "parquet"}


class ExportError(VigilError):
    """An export that cannot be made as asked; the message names the bad choice."""


@dataclass(frozen=True)
class ExportResult:
    what: str
    format: str
    rows: int
    output: str  #: the path written, or "-" for standard output


def export(store: Store, what: str, format: str, filter: EventFilter | None, output: str | Path) -> ExportResult:
    """Write the matching ``what`` to ``output`` (a path, or "-": standard output) in ``format``."""
    if what not in WHATS:
        raise ExportError(ERR_WHAT.format(what=what, choices=", ".join(WHATS)))
    if format not in FORMATS:
        raise ExportError(ERR_FORMAT.format(format=format, choices=", ".join(FORMATS)))
    if format == "geojson" and what not in ("events", "fused"):
        raise ExportError(ERR_GEOJSON.format(what=what))
    if format == "parquet" and str(output) == "-":
        raise ExportError(ERR_STDOUT)
    filter = replace(filter or EventFilter(), limit=None, offset=0)
    items = _READERS[what](store, filter)
    if format == "parquet":
        from vigil.analysis.parquet import events_arrow, fused_arrow, table_arrow, write_parquet

        if what == "events":
            table = events_arrow(items, _documents(store, {stored.document_id for stored in items}))
        elif what == "fused":
            table = fused_arrow(items, _events_of(store, [stored.fused.id for stored in items]))
        else:
            table = table_arrow(_TABLES[what](items), what)
        write_parquet(table, Path(output))
    else:
        _write_text(_text(what, format, items), output)
    return ExportResult(what=what, format=format, rows=len(items), output=str(output))


def format_for(path: str | Path) -> str | None:
    """The format a file name asks for by its suffix (.csv, .json, .geojson, .parquet), else None."""
    return _SUFFIXES.get(Path(str(path)).suffix.lower())


def _text(what: str, format: str, items: Sequence) -> str:
    if format == "csv":
        return to_csv(_TABLES[what](items))
    if format == "json":
        return to_json(items)
    collection = events_geojson(items) if what == "events" else fused_geojson(items)
    return json.dumps(collection, ensure_ascii=False)


def _write_text(text: str, output: str | Path) -> None:
    if str(output) == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise ExportError(f"{output}: cannot write ({error})") from error


def _documents(store: Store, ids: set[str]) -> dict[str, DocumentRef]:
    """The documents' references (publisher and url are not in the event rows)."""
    found: dict[str, DocumentRef] = {}
    ordered = sorted(ids)
    with store.session() as session:
        for first in range(0, len(ordered), _CHUNK):
            query = select(DocumentRow.id, DocumentRow.title, DocumentRow.publisher, DocumentRow.url, DocumentRow.published)
            for id, title, publisher, url, published in session.execute(
                query.where(DocumentRow.id.in_(ordered[first : first + _CHUNK]))
            ):
                found[id] = DocumentRef(id=id, title=title, publisher=publisher, url=url, published=published)
    return found


def _events_of(store: Store, fused_ids: list[str]) -> dict[str, int]:
    """Mention id -> stored event id, for the sources of the fused events."""
    found: dict[str, int] = {}
    with store.session() as session:
        for first in range(0, len(fused_ids), _CHUNK):
            query = select(FusedMemberRow.mention_id, FusedMemberRow.event_id).where(
                FusedMemberRow.fused_id.in_(fused_ids[first : first + _CHUNK])
            )
            found.update(dict(session.execute(query).all()))
    return found


def _fused(store: Store, filter: EventFilter) -> list:
    from vigil.store.fusion_reads import page_fused_events

    return page_fused_events(store, filter).items


_READERS: dict[str, Callable[[Store, EventFilter], list]] = {
    "events": lambda store, filter: list_events(store, filter),
    "fused": _fused,
    "actors": lambda store, filter: page_actors(store, filter).items,
    "claims": lambda store, filter: page_claims(store, filter).items,
    "relations": lambda store, filter: page_relations(store, filter).items,
    "weapons": lambda store, filter: page_weapons(store, filter).items,
}
_TABLES: dict[str, Callable[[Sequence], Table]] = {
    "events": events_table,
    "fused": fused_table,
    "actors": actors_table,
    "claims": claims_table,
    "relations": relations_table,
    "weapons": weapons_table,
}
