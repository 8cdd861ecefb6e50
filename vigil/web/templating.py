"""The Jinja2 environment of the dashboard: templates, the palette, and small display helpers.

Built once per app by ``install_web`` (never at import time) and kept on
``app.state``; pages render through ``page()`` so every template gets the
request, the palette and the current filter bar.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from vigil.model.records import Bounds
from vigil.model.taxonomy import event_types
from vigil.web.highlight import span_anchor
from vigil.web.querystring import filter_bar

TEMPLATES_STATE = "vigil_web_templates"


@lru_cache(maxsize=1)
def palette() -> dict[str, Any]:
    """Colours and labels shared by legends, charts and maps (``data/palette.json``)."""
    return json.loads(resources.files("vigil.web").joinpath("data/palette.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def vendor_folders() -> dict[str, str]:
    """npm package name -> its folder under ``static/vendor`` (written by ``scripts/vendor_assets.py``)."""
    return json.loads(resources.files("vigil.web").joinpath("static/vendor/index.json").read_text("utf-8"))


def vendor(package: str, file: str) -> str:
    """The URL of a vendored file, e.g. ``vendor("leaflet", "leaflet.js")``."""
    return f"/static/vendor/{vendor_folders()[package]}/{file}"


def event_colour(event_type: str | None) -> str:
    colours = palette()
    return colours["event_types"].get(event_type or "", colours["unknown_event_type"])


def build_templates(*, tile_url: str | None) -> Jinja2Templates:
    """The template renderer with Vigil's globals and filters."""
    environment = Environment(
        loader=PackageLoader("vigil.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        palette=palette(),
        event_types=event_types(),
        event_colour=event_colour,
        tile_url=tile_url,
        span_anchor=span_anchor,
        source_link=source_link,
        fact_link=fact_link,
        vendor=vendor,
        current_viewer=current_viewer,
        auth_mode=auth_mode,
    )
    environment.filters.update(bounds=format_bounds, day=format_date, number=format_number, label=label)
    return Jinja2Templates(env=environment)


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` with the request and ``context``."""
    templates: Jinja2Templates = getattr(request.app.state, TEMPLATES_STATE)
    context.setdefault("filters", filter_bar(request))
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def current_viewer(request: Request) -> Any:
    """The logged-in ``Viewer`` (multi-user mode), or None: the header shows who it is and a logout link."""
    return getattr(request.state, "viewer", None)


def auth_mode(request: Request) -> str:
    return request.app.state.settings.auth_mode


def source_link(document_id: str, start: int | None, end: int | None) -> str:
    """Link to a document page with the passage ``start:end`` highlighted and scrolled to."""
    path = f"/documents/{quote(document_id, safe='')}"
    if start is None or end is None:
        return path
    return f"{path}?{urlencode({'focus': f'{start}-{end}'})}#{span_anchor(start, end)}"


def fact_link(document_id: str, kind: str, fact_id: int) -> str:
    """Link to a fact's words in its document when only its id is known (``claim``, ``event``, ``relation``)."""
    anchor = f"{kind}-{fact_id}"
    return f"/documents/{quote(document_id, safe='')}?{urlencode({'fact': anchor})}#{anchor}"


def format_bounds(bounds: Bounds | None) -> str:
    """"40-54" / "at least 40" / "at most 5" / "—" for casualty bounds."""
    if bounds is None or (bounds.min is None and bounds.max is None):
        return "—"
    if bounds.min is not None and bounds.max is not None:
        return str(bounds.min) if bounds.min == bounds.max else f"{bounds.min}–{bounds.max}"
    if bounds.min is not None:
        return f"at least {bounds.min}"
    return f"at most {bounds.max}"


def format_date(value: dt.date | dt.datetime | str | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def format_number(value: int | float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}".replace(",", "\u202f")  # a narrow no-break space groups thousands in any locale


def label(value: str | None) -> str:
    """``supplies_weapons_to`` -> ``supplies weapons to``."""
    return (value or "").replace("_", " ")
