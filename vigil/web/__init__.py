"""Vigil's analyst dashboard: server-rendered pages over the same library functions as the API.

``install_web(app)`` is called by ``vigil.api.create_app``: it mounts the
static files (our CSS/JS and the vendored libraries and map outlines) at
``/static`` and the pages at ``/``. Pages read the store through
``vigil.store`` and ``vigil.analysis``, never over HTTP; their JavaScript only
draws charts, maps and graphs from data embedded in the page, and posts
uploads to ``/api/documents``.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from vigil.web.errors import install_page_errors
from vigil.web.pages import ROUTERS
from vigil.web.templating import TEMPLATES_STATE, build_templates

STATIC_DIR = Path(__file__).with_name("static")
TILE_URL_VARIABLE = "VIGIL_TILE_URL"


def install_web(app: FastAPI, *, tile_url: str | None = None) -> None:
    """Mount ``/static`` and the dashboard pages on ``app``.

    ``tile_url`` (default: the ``VIGIL_TILE_URL`` environment variable, read
    here, when the app is built) is an optional online tile layer, e.g.
    ``https://tile.openstreetmap.org/{z}/{x}/{y}.png``; without it maps draw
    only the bundled country and province outlines and need no network.
    """
    if tile_url is None:
        tile_url = os.environ.get(TILE_URL_VARIABLE) or None
    setattr(app.state, TEMPLATES_STATE, build_templates(tile_url=tile_url))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
    install_page_errors(app)


__all__ = ["install_web"]
