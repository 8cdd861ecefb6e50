"""A live Vigil server on the bundled sample reports, and headless Chromium driven by Playwright.

The browser is Debian's Chromium (``/usr/bin/chromium``; ``.ci/run`` installs
it, ``VIGIL_CHROMIUM`` names another). Playwright's own browser downloads are
never used: no network. Set ``VIGIL_SCREENSHOT_DIR=docs/screenshots`` to
refresh the screenshots the README shows; otherwise they go to a temp folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")

from vigil.api.app import create_app  # noqa: E402
from vigil.api.deps import LazyExtractor  # noqa: E402
from vigil.settings import Settings  # noqa: E402
from vigil.workflow import ingest, open_ready_store, sample_paths  # noqa: E402

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("VIGIL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Site:
    url: str
    screenshots: Path

    def __call__(self, path: str) -> str:
        return self.url + path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, extractor) -> Iterator[Site]:  # noqa: ANN001 (fixture)
    """``vigil serve`` in a thread over a fresh SQLite store holding every bundled sample report."""
    import uvicorn

    folder = tmp_path_factory.mktemp("e2e")
    settings = Settings(database_url=f"sqlite:///{folder / 'vigil.sqlite'}")
    store = open_ready_store(settings)
    outcome = ingest(sample_paths(), settings, store=store, extractor=extractor)
    assert outcome.created and not outcome.errors
    app = create_app(settings, store=store)
    app.state.extractor = LazyExtractor(lambda: extractor)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    shots = Path(os.environ.get("VIGIL_SCREENSHOT_DIR") or folder / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    yield Site(url=f"http://127.0.0.1:{port}", screenshots=shots)
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201 (a Playwright Browser)
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is not installed (Debian packages chromium and chromium-driver; .ci/run installs them)")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser) -> Iterator:  # noqa: ANN001
    """A fresh page; any JavaScript error or failed request on it fails the test."""
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    opened.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    opened.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
    yield opened
    context.close()
    assert not problems, "\n".join(problems)
