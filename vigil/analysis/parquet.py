"""Parquet dumps for research: one row per event with ACLED-like columns, nested actors and weapons, and its source.

A row can always be traced to its words: ``source`` holds the document (id,
title, publisher, url, publication date) and the evidence sentence with its
character offsets into the document text (``text[start:end] == sentence``);
each actor and weapon carries its own offsets. Fused events list every source.
Other facts (actors, claims, relations, weapons) are written with the columns
of their CSV, typed. The schema is described in the README ("Exports") and in
each file's metadata (``vigil.schema``).

Needs pyarrow (the ``parquet`` extra: ``pip install 'vigil[parquet]'``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vigil import __version__
from vigil.analysis.exports import EVENT_COLUMNS, FUSED_COLUMNS, Table, event_row, fused_row
from vigil.errors import VigilError
from vigil.model.records import ActorRef, WeaponMention
from vigil.store.fusion_views import StoredFusedEvent
from vigil.store.views import DocumentRef, StoredEvent

if TYPE_CHECKING:
    import pyarrow as pa

ERR_PYARROW = "Parquet needs pyarrow: pip install 'vigil[parquet]' ({error})"
#: Flat event columns of the CSV left out of the Parquet dump: ``source`` and the nested ``weapons`` hold them.
_EVENT_MOVED = ("weapons", "document_id", "source_title", "source_published", "evidence")
_FUSED_MOVED = ("event_ids", "source_documents", "source_urls")
_INTEGERS = {"event_id", "geonames_id", "fatalities_min", "fatalities_max", "injuries_min", "injuries_max",
             "fatalities_low", "fatalities_best", "fatalities_high", "injuries_low", "injuries_best", "injuries_high",
             "n_sources"}
_FLOATS = {"latitude", "longitude", "confidence"}


class ParquetUnavailable(VigilError):
    """pyarrow is not installed."""


def _pyarrow():  # noqa: ANN202 (the pyarrow module)
    try:
        import pyarrow
    except ImportError as error:
        raise ParquetUnavailable(ERR_PYARROW.format(error=error)) from error
    return pyarrow


def _scalar_type(pa, column: str):  # noqa: ANN001, ANN202
    if column in _INTEGERS:
        return pa.int64()
    if column in _FLOATS:
        return pa.float64()
    if column == "date_start" or column.endswith("_published"):
        return pa.date32()
    return pa.string()


def _actor_type(pa):  # noqa: ANN001, ANN202
    return pa.list_(pa.struct([
        ("text", pa.string()), ("actor_id", pa.string()), ("kind", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
    ]))


def _weapon_type(pa):  # noqa: ANN001, ANN202
    return pa.list_(pa.struct([
        ("text", pa.string()), ("weapon_class", pa.string()), ("calibre", pa.string()), ("model", pa.string()),
        ("origin", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
    ]))


def _source_fields(pa) -> list:  # noqa: ANN001
    return [
        ("document_id", pa.string()), ("title", pa.string()), ("publisher", pa.string()), ("url", pa.string()),
        ("published", pa.date32()), ("sentence", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
    ]


def event_schema() -> pa.Schema:
    """The schema of the events dump (see the README, "Exports")."""
    pa = _pyarrow()
    flat = [c for c in EVENT_COLUMNS if c not in _EVENT_MOVED]
    fields = [pa.field(c, _scalar_type(pa, c)) for c in flat] + [
        pa.field("date_start", pa.date32()), pa.field("date_from_document", pa.bool_()),
        pa.field("trigger", pa.string()), pa.field("confidence", pa.float64()), pa.field("extractor", pa.string()),
        pa.field("perpetrators", _actor_type(pa)), pa.field("targets", _actor_type(pa)),
        pa.field("victims_detail", _actor_type(pa)), pa.field("weapons", _weapon_type(pa)),
        pa.field("source", pa.struct(_source_fields(pa))),
    ]
    return pa.schema(fields, metadata={"vigil.what": "events", "vigil.version": __version__, "vigil.schema": _SCHEMA_NOTE})


def events_arrow(events: Sequence[StoredEvent], documents: Mapping[str, DocumentRef]) -> pa.Table:
    """The events as an Arrow table under ``event_schema()``; ``documents`` gives each one's publisher and url."""
    pa = _pyarrow()
    flat = [c for c in EVENT_COLUMNS if c not in _EVENT_MOVED]
    records = []
    for stored in events:
        event = stored.event
        values = dict(zip(EVENT_COLUMNS, event_row(stored)))
        document = documents.get(stored.document_id)
        records.append({
            **{c: values[c] for c in flat},
            "date_start": stored.date_start, "date_from_document": stored.date_from_document, "trigger": event.trigger,
            "confidence": event.confidence, "extractor": event.extractor,
            "perpetrators": _actors(event.perpetrators), "targets": _actors(event.targets),
            "victims_detail": _actors(event.victims), "weapons": [_weapon(w) for w in event.weapons],
            "source": {
                "document_id": stored.document_id, "title": stored.document_title,
                "publisher": document.publisher if document else None, "url": document.url if document else None,
                "published": stored.document_published, "sentence": event.sentence, "start": event.start, "end": event.end,
            },
        })
    return pa.Table.from_pylist(records, schema=event_schema())


def fused_schema() -> pa.Schema:
    """The schema of the fused-events dump: the fused fields, and every source with its sentence and offsets."""
    pa = _pyarrow()
    flat = [c for c in FUSED_COLUMNS if c not in _FUSED_MOVED]
    fused_actor = pa.list_(pa.struct([("actor_id", pa.string()), ("name", pa.string()), ("words", pa.list_(pa.string())),
                                      ("sources", pa.int64())]))
    source = pa.struct([("mention_id", pa.string()), ("event_id", pa.int64()), *_source_fields(pa), ("type", pa.string())])
    fields = [pa.field(c, _scalar_type(pa, c)) for c in flat] + [
        pa.field("date_start", pa.date32()), pa.field("event_ids", pa.list_(pa.int64())),
        pa.field("perpetrators", fused_actor), pa.field("targets", fused_actor), pa.field("victims_detail", fused_actor),
        pa.field("sources", pa.list_(source)),
    ]
    return pa.schema(fields, metadata={"vigil.what": "fused", "vigil.version": __version__, "vigil.schema": _SCHEMA_NOTE})


def fused_arrow(fused: Sequence[StoredFusedEvent], event_of: Mapping[str, int]) -> pa.Table:
    """Fused events under ``fused_schema()``; ``event_of`` maps a source's mention id to its stored event id."""
    pa = _pyarrow()
    flat = [c for c in FUSED_COLUMNS if c not in _FUSED_MOVED]
    records = []
    for stored in fused:
        values = dict(zip(FUSED_COLUMNS, fused_row(stored)))
        item = stored.fused
        records.append({
            **{c: values[c] for c in flat}, "date_start": stored.date_start, "event_ids": stored.event_ids,
            "perpetrators": [_fused_actor(a) for a in item.perpetrators], "targets": [_fused_actor(a) for a in item.targets],
            "victims_detail": [_fused_actor(a) for a in item.victims],
            "sources": [
                {"mention_id": s.mention_id, "event_id": event_of.get(s.mention_id), "document_id": s.document_id,
                 "title": s.title, "publisher": s.publisher, "url": s.url, "published": s.published, "sentence": s.sentence,
                 "start": s.start, "end": s.end, "type": s.type}
                for s in item.sources
            ],
        })
    return pa.Table.from_pylist(records, schema=fused_schema())


def table_arrow(table: Table, what: str) -> pa.Table:
    """A flat table (actors, claims, relations, weapons) with its CSV columns, typed from its values."""
    pa = _pyarrow()
    columns = {name: [row[i] for row in table.rows] for i, name in enumerate(table.columns)}
    fields = [pa.field(name, _column_type(pa, name, values)) for name, values in columns.items()]
    schema = pa.schema(fields, metadata={"vigil.what": what, "vigil.version": __version__})
    return pa.Table.from_pydict(columns, schema=schema)


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write an Arrow table as a Parquet file (zstd-compressed)."""
    import pyarrow.parquet as pq

    try:
        pq.write_table(table, str(path), compression="zstd")
    except OSError as error:
        raise VigilError(f"{path}: cannot write ({error})") from error


def _column_type(pa, name: str, values: list[object]):  # noqa: ANN001, ANN202
    present = [v for v in values if v is not None]
    if not present:
        return _scalar_type(pa, name)
    if all(isinstance(v, bool) for v in present):
        return pa.bool_()
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pa.int64()
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return pa.float64()
    if all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in present):
        return pa.date32()
    if all(isinstance(v, dt.datetime) for v in present):
        return pa.timestamp("us", tz="UTC")
    return pa.string()


def _actors(refs: Sequence[ActorRef]) -> list[dict]:
    return [{"text": r.text, "actor_id": r.actor, "kind": r.kind, "start": r.start, "end": r.end} for r in refs]


def _weapon(weapon: WeaponMention) -> dict:
    return {"text": weapon.text, "weapon_class": weapon.weapon_class, "calibre": weapon.calibre, "model": weapon.model,
            "origin": weapon.origin, "start": weapon.start, "end": weapon.end}


def _fused_actor(actor) -> dict:  # noqa: ANN001 (a FusedActor)
    return {"actor_id": actor.actor, "name": actor.name, "words": list(actor.words), "sources": actor.sources}


_SCHEMA_NOTE = json.dumps({
    "rows": "one per event (fused: one per fused event)",
    "source": "document id, title, publisher, url, publication date, and the evidence sentence with its character "
              "offsets into the document text (end exclusive): text[start:end] == sentence",
    "perpetrators/targets/victims_detail": "actors with the words used, the canonical actor id and their offsets",
    "weapons": "weapon mentions with class, calibre, model, origin words and offsets",
    "actor1/target/victims": "ACLED-like joined names ('; ')",
})
