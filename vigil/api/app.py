"""``create_app``: the FastAPI application, built from settings (or around a given store).

The store is opened once and kept on ``app.state.store``; the extraction
pipeline is built only when an ingest route first needs it. The API lives
under ``/api``; in multi-user mode (``Settings.auth_mode``) ``vigil.api.auth``
authenticates every request and the data routers' writes need the analyst
role. When the dashboard package (``vigil.web``) is installed, its
``install_web(app)`` mounts the pages at ``/`` and the static files.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from vigil import __version__
from vigil.api.auth import install_auth, writes_need_analyst
from vigil.api.deps import LazyExtractor
from vigil.api.errors import API_PREFIX, install_error_handlers
from vigil.api.routers import ROUTERS
from vigil.api.routers import admin, auth as auth_routes
from vigil.api.routers.taxii import install_taxii
from vigil.settings import Settings
from vigil.share.login_guard import LoginGuard
from vigil.store.database import Store

DESCRIPTION = (
    "Sourced event data on armed groups and terrorism (ACLED taxonomy): events, actors, relations, "
    "claims and weapons, each with the document and the words it came from."
)


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """The Vigil API (and dashboard, when ``vigil.web`` exists) on ``store`` or the store ``settings`` name.

    A store passed in stays open when the app shuts down (its owner closes
    it); a store opened here is closed with the app.
    """
    from vigil.workflow import open_ready_store

    settings = settings or Settings.from_env()
    owned = store is None
    opened = store if store is not None else open_ready_store(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            opened.close()

    app = FastAPI(title="Vigil", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.store = opened
    app.state.extractor = LazyExtractor()
    app.state.login_guard = LoginGuard(max_failures=settings.login_max_failures)
    install_error_handlers(app)
    for router in ROUTERS:  # data routes: any role reads, writes need analyst (multi-user mode)
        app.include_router(router, prefix=API_PREFIX, dependencies=[Depends(writes_need_analyst)])
    for router in (auth_routes.router, admin.router):  # login, tokens, users, audit: each route declares its role
        app.include_router(router, prefix=API_PREFIX)
    install_taxii(app)  # TAXII 2.1 at /taxii2/ (vigil.api.routers.taxii): reads by policy, writes need analyst
    _install_web(app)
    install_auth(app)
    return app


def _install_web(app: FastAPI) -> None:
    """Let the dashboard add its pages, if that package is present."""
    if importlib.util.find_spec("vigil.web") is None:
        return
    web = importlib.import_module("vigil.web")
    install = getattr(web, "install_web", None)
    if install is not None:
        install(app)
