"""Splitting a fused event from an event's page in a real headless Chromium, and retracting the split.

A server of its own (the shared ``site`` stays unchanged for the other tests), over the Bajaur test
reports of ``tests/resolve/data``: four reports of one attack, one of another.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from vigil.api.app import create_app
from vigil.settings import Settings
from vigil.store.filters import EventFilter
from vigil.store.queries import list_events
from vigil.workflow import ingest, open_ready_store

pytestmark = pytest.mark.browser
REPORTS = Path(__file__).parents[1] / "resolve" / "data" / "bajaur_reports.jsonl"


@pytest.fixture(scope="module")
def fusion_site(tmp_path_factory, extractor) -> Iterator[tuple[str, object]]:  # noqa: ANN001
    import uvicorn

    folder = tmp_path_factory.mktemp("e2e-fusion")
    settings = Settings(database_url=f"sqlite:///{folder / 'vigil.sqlite'}")
    store = open_ready_store(settings)
    assert not ingest([REPORTS], settings, store=store, extractor=extractor).errors
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings, store=store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


def test_split_from_the_event_page_then_retract(page, fusion_site) -> None:  # noqa: ANN001
    url, store = fusion_site
    (daily,) = list_events(store, EventFilter(document_id="daily-bajaur"))
    (wire,) = list_events(store, EventFilter(document_id="wire-bajaur"))
    page.goto(f"{url}/events/{daily.id}")
    rows = page.get_by_test_id("fused-source-row")
    assert rows.count() == 4
    page.locator(f"input[name=keep][value='{wire.id}']").uncheck()
    page.get_by_test_id("split-reason").fill("the wire report is another blast")
    with page.expect_navigation():
        page.get_by_test_id("split-submit").click()
    assert rows.count() == 3 and page.locator(f"tr[data-event-id='{wire.id}']").count() == 0
    assert "the wire report is another blast" in page.get_by_test_id("fused-decisions").inner_text()
    with page.expect_navigation():
        page.get_by_test_id("retract-decision").click()
    assert rows.count() == 4
