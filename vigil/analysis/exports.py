"""Stored facts as CSV (ACLED-like columns for events), JSON and GeoJSON: shared by the CLI and the API.

Each ``*_table`` function turns a list of stored facts into a ``Table``
(column names and rows of plain values); ``to_csv`` writes any table.
``events_geojson`` (``fused_geojson``) writes a GeoJSON FeatureCollection
(RFC 7946) of the events (fused events) that have coordinates, one Point per
event, with the CSV columns as properties. Parquet is in ``vigil.analysis.parquet``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vigil.model.records import ActorRef, Bounds
from vigil.store.fusion_views import StoredFusedEvent
from vigil.store.views import ActorInfo, DocumentInfo, StoredClaim, StoredEvent, StoredRelation, StoredWeapon

EVENT_COLUMNS = [
    "event_id", "event_date", "date_precision", "event_type", "sub_event_type", "actor1", "actor1_ids", "target", "victims",
    "country", "admin1", "admin2", "location", "latitude", "longitude", "geonames_id", "geo_precision",
    "fatalities_min", "fatalities_max", "fatalities_text", "injuries_min", "injuries_max", "injuries_text",
    "weapons", "responsibility", "document_id", "source_title", "source_published", "evidence",
]
RELATION_COLUMNS = [
    "relation_id", "type", "source", "source_id", "target", "target_id", "weapons", "attributed_to", "attributed_to_id",
    "document_id", "evidence",
]
CLAIM_COLUMNS = [
    "claim_id", "speaker", "speaker_id", "organisation", "organisation_id", "stance", "date", "quote", "concerns",
    "document_id", "evidence",
]
WEAPON_COLUMNS = [
    "weapon_id", "text", "weapon_class", "calibre", "model", "origin", "actors", "actor_ids", "date", "country",
    "admin1", "event_id", "relation_id", "document_id", "source_title", "evidence",
]
FUSED_COLUMNS = [
    "fused_id", "event_date", "date_precision", "event_type", "sub_event_type", "actor1", "actor1_ids", "target",
    "victims", "country", "admin1", "admin2", "location", "latitude", "longitude", "geonames_id", "geo_precision",
    "fatalities_low", "fatalities_best", "fatalities_high", "injuries_low", "injuries_best", "injuries_high",
    "responsibility", "n_sources", "event_ids", "source_documents", "source_urls",
]
DOCUMENT_COLUMNS = ["document_id", "title", "publisher", "published", "url", "source", "ingested_at", "events"]
ACTOR_COLUMNS = ["actor_id", "name", "kind", "country", "un_ref", "parent", "aliases", "events", "as_perpetrator"]


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[object]]

    def records(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def names(refs: Iterable[ActorRef]) -> str:
    return "; ".join(ref.text for ref in refs)


def bounds_text(bounds: Bounds | None) -> str:
    """'40+', '43', '20-30' or '' for no figure."""
    if bounds is None or (bounds.min is None and bounds.max is None):
        return ""
    if bounds.min is not None and bounds.max is None:
        return f"{bounds.min}+"
    if bounds.min is None:
        return f"<={bounds.max}"
    return str(bounds.min) if bounds.min == bounds.max else f"{bounds.min}-{bounds.max}"


def event_row(stored: StoredEvent) -> list[object]:
    """One event under ``EVENT_COLUMNS``: ACLED's column names where ACLED has one."""
    event = stored.event
    place = event.location
    fatalities, injuries = event.fatalities or Bounds(), event.injuries or Bounds()
    return [
        stored.id, event.date, event.date_precision, event.event_type, event.type, names(event.perpetrators),
        "; ".join(ref.actor or "" for ref in event.perpetrators), names(event.targets), names(event.victims),
        place.country if place else None, place.admin1 if place else None, place.admin2 if place else None,
        place.name if place else None, place.lat if place else None, place.lon if place else None,
        place.geonames_id if place else None, place.precision if place else None,
        fatalities.min, fatalities.max, fatalities.text, injuries.min, injuries.max, injuries.text,
        "; ".join(weapon.text for weapon in event.weapons), event.responsibility,
        stored.document_id, stored.document_title, stored.document_published, event.sentence,
    ]


def events_table(events: Sequence[StoredEvent]) -> Table:
    return Table(EVENT_COLUMNS, [event_row(stored) for stored in events])


def fused_row(stored: StoredFusedEvent) -> list[object]:
    """One fused event under ``FUSED_COLUMNS``: the fused fields, every source's document and link."""
    fused = stored.fused
    place = fused.location
    figures = [(f.low, f.best, f.high) if f else (None, None, None) for f in (fused.fatalities, fused.injuries)]
    return [
        fused.id, fused.date, fused.date_precision, fused.event_type, fused.type,
        "; ".join(a.name for a in fused.perpetrators), "; ".join(a.actor or "" for a in fused.perpetrators),
        "; ".join(a.name for a in fused.targets), "; ".join(a.name for a in fused.victims),
        place.country if place else None, place.admin1 if place else None, place.admin2 if place else None,
        place.name if place else None, place.lat if place else None, place.lon if place else None,
        place.geonames_id if place else None, place.precision if place else None,
        *figures[0], *figures[1], fused.responsibility, stored.n_sources, "; ".join(map(str, stored.event_ids)),
        "; ".join(source.document_id for source in fused.sources), "; ".join(source.url or "" for source in fused.sources),
    ]


def fused_table(fused: Sequence[StoredFusedEvent]) -> Table:
    return Table(FUSED_COLUMNS, [fused_row(stored) for stored in fused])


def relations_table(relations: Sequence[StoredRelation]) -> Table:
    rows = []
    for stored in relations:
        relation = stored.relation
        by = relation.attributed_to
        rows.append([
            stored.id, relation.type, relation.source.text, relation.source.actor, relation.target.text,
            relation.target.actor, "; ".join(w.text for w in relation.weapons), by.text if by else None,
            by.actor if by else None, stored.document_id, relation.sentence,
        ])
    return Table(RELATION_COLUMNS, rows)


def claims_table(claims: Sequence[StoredClaim]) -> Table:
    rows = []
    for stored in claims:
        claim = stored.claim
        org = claim.speaker_org
        concerns = "; ".join(
            f"{c.kind} {c.index}" if c.index is not None else f"{c.kind}: {c.text or ''}" for c in claim.concerns
        )
        rows.append([
            stored.id, claim.speaker.text, claim.speaker.actor, org.text if org else None, org.actor if org else None,
            claim.stance, claim.date, claim.text, concerns, stored.document_id, claim.sentence,
        ])
    return Table(CLAIM_COLUMNS, rows)


def weapons_table(weapons: Sequence[StoredWeapon]) -> Table:
    rows = [
        [
            stored.id, stored.weapon.text, stored.weapon.weapon_class, stored.weapon.calibre, stored.weapon.model,
            stored.weapon.origin, names(stored.actors), "; ".join(a.actor or "" for a in stored.actors), stored.date,
            stored.country, stored.admin1, stored.event_id, stored.relation_id, stored.document.id,
            stored.document.title, stored.sentence,
        ]
        for stored in weapons
    ]
    return Table(WEAPON_COLUMNS, rows)


def documents_table(documents: Sequence[DocumentInfo]) -> Table:
    rows = [
        [d.id, d.title, d.publisher, d.published, d.url, d.source, d.ingested_at, d.events] for d in documents
    ]
    return Table(DOCUMENT_COLUMNS, rows)


def actors_table(actors: Sequence[ActorInfo]) -> Table:
    rows = [
        [
            info.actor.id, info.actor.name, info.actor.kind, info.actor.country, info.actor.un_ref, info.actor.parent,
            "; ".join(info.actor.aliases), info.events, info.as_perpetrator,
        ]
        for info in actors
    ]
    return Table(ACTOR_COLUMNS, rows)


def to_csv(table: Table) -> str:
    """The table as CSV text: a header line, then one line per row; None is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([[_cell(value) for value in row] for row in table.rows])
    return buffer.getvalue()


def to_json(items: Sequence[object]) -> str:
    """Full records (pydantic models or plain values) as a JSON array."""
    return json.dumps([_plain(item) for item in items], ensure_ascii=False, default=_default)


def events_geojson(events: Sequence[StoredEvent]) -> dict:
    """A GeoJSON FeatureCollection of the events with coordinates (others are left out)."""
    return _collection((stored.id, stored.event.location, event_row(stored), EVENT_COLUMNS) for stored in events)


def fused_geojson(fused: Sequence[StoredFusedEvent]) -> dict:
    """A GeoJSON FeatureCollection of the fused events with coordinates (others are left out)."""
    return _collection((stored.fused.id, stored.fused.location, fused_row(stored), FUSED_COLUMNS) for stored in fused)


def _collection(items: Iterable[tuple[object, object, list[object], list[str]]]) -> dict:
    features = []
    for feature_id, place, row, columns in items:
        if place is None or place.lat is None or place.lon is None:  # type: ignore[attr-defined]
            continue
        properties = {
            column: _json_value(value) for column, value in zip(columns, row) if column not in ("latitude", "longitude")
        }
        features.append(
            {
                "type": "Feature",
                "id": feature_id,
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},  # type: ignore[attr-defined]
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _plain(item: object) -> object:
    dump = getattr(item, "model_dump", None)
    return dump(mode="json") if dump is not None else item


def _default(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
