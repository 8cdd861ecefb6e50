"""Running the app with uvicorn: what ``vigil serve`` and the end of ``vigil demo`` call.

With ``sync_every`` a background thread of the server process runs ``vigil.share.sync.sync``
with every active partner at that interval (minutes), first right after start-up; a run's
failures stay on each partner's sync state and in the audit log, and never stop the server.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import uvicorn

from vigil.api.app import create_app
from vigil.settings import Settings
from vigil.store.database import Store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

log = logging.getLogger(__name__)


def address(host: str, port: int) -> str:
    """The URL a browser opens ('0.0.0.0' listens everywhere but is browsed as localhost)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


class SyncScheduler:
    """Runs ``job`` every ``interval_s`` seconds in a daemon thread until ``stop``."""

    def __init__(self, job: Callable[[], object], interval_s: float) -> None:
        if interval_s <= 0:
            raise ValueError(f"sync interval: {interval_s} is not a positive number of seconds")
        self.job = job
        self.interval_s = interval_s
        self.runs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="vigil-sync", daemon=True)

    def start(self) -> "SyncScheduler":
        self._thread.start()
        return self

    def stop(self, timeout_s: float | None = None) -> None:
        self._stop.set()
        self._thread.join(timeout_s)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.job()
            except Exception:  # noqa: BLE001 (a failed run is logged and retried at the next tick)
                log.exception("scheduled sync failed")
            self.runs += 1
            self._stop.wait(self.interval_s)


def scheduled_sync(store: Store, settings: Settings) -> Callable[[], object]:
    """The job ``--sync-every`` runs: sync every active partner."""
    from vigil.share.sync import sync

    return lambda: sync(store, settings)


def serve(
    settings: Settings,
    *,
    store: Store | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    announce: Callable[[str], None] | None = None,
    sync_every: float | None = None,
) -> None:
    """Build the app and serve it until interrupted; ``announce`` receives the address first.

    ``sync_every`` (minutes): also sync with every active partner at that interval.
    """
    app = create_app(settings, store=store)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)
    scheduler = SyncScheduler(scheduled_sync(app.state.store, settings), sync_every * 60).start() if sync_every else None
    if announce is not None:
        announce(address(host, port))
    try:
        server.run()
    finally:
        if scheduler is not None:
            scheduler.stop(timeout_s=5)
