"""Turning a filtered list into a download: CSV, JSON or GeoJSON (events only)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from fastapi import Response

from vigil.analysis.exports import Table, events_geojson, to_csv, to_json
from vigil.api.auth import audit_current
from vigil.api.errors import bad_request
from vigil.api.schemas import ExportFormat

MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.json: "application/json",
    ExportFormat.geojson: "application/geo+json",
}
ERR_GEOJSON = "format=geojson exports events (they have coordinates); use csv or json for {what}."

EXPORT_RESPONSES = {
    200: {
        "description": "The matching items as a file",
        "content": {"text/csv": {}, "application/json": {}, "application/geo+json": {}},
    }
}


def export_response(
    what: str, format: ExportFormat, items: Sequence[object], table: Callable[[Sequence], Table]
) -> Response:
    """The items of list ``what`` as a file named ``vigil-<what>.<format>``."""
    if format is ExportFormat.csv:
        body = to_csv(table(items))
    elif format is ExportFormat.json:
        body = to_json(items)
    elif what == "events":
        body = json.dumps(events_geojson(items), ensure_ascii=False)  # type: ignore[arg-type]
    else:
        raise bad_request(ERR_GEOJSON.format(what=what))
    headers = {"Content-Disposition": f'attachment; filename="vigil-{what}.{format.value}"'}
    audit_current("export", what, None, {"format": format.value, "rows": len(items), "via": "api"})
    return Response(content=body, media_type=MEDIA_TYPES[format], headers=headers)
