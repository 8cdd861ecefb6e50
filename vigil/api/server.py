"""Running the app with uvicorn: what ``vigil serve`` and the end of ``vigil demo`` call."""

from __future__ import annotations

from collections.abc import Callable

import uvicorn

from vigil.api.app import create_app
from vigil.settings import Settings
from vigil.store.database import Store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def address(host: str, port: int) -> str:
    """The URL a browser opens ('0.0.0.0' listens everywhere but is browsed as localhost)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def serve(
    settings: Settings,
    *,
    store: Store | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Build the app and serve it until interrupted; ``announce`` receives the address first."""
    app = create_app(settings, store=store)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)
    if announce is not None:
        announce(address(host, port))
    server.run()
