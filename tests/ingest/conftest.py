"""Fixtures for the ingest tests: settings, sample files and a loopback HTTP server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from vigil.settings import Settings

REPORT = (
    "Militants attacked a police post in the Bajaur district on Sunday, killing three officers.\n\n"
    "The Islamic State group claimed responsibility in a statement."
)


@pytest.fixture
def report() -> str:
    """A short wire report with two paragraphs."""
    return REPORT


@pytest.fixture
def pdf_maker():
    """``make_pdf`` as a fixture (test modules cannot import conftest in importlib mode)."""
    return make_pdf


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'v.sqlite'}", url_timeout_s=2.0)


def make_pdf(path: Path, pages: list[str], *, title: str | None = None, **canvas_kwargs: object) -> Path:
    """A real PDF written with reportlab: one page per string, one line per sentence."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), **canvas_kwargs)
    if title:
        pdf.setTitle(title)
    for text in pages:
        y = 750
        for line in text.split("\n"):
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return path


@dataclass
class Route:
    status: int = 200
    content_type: str | None = "text/plain"
    body: bytes = b""
    send_length: bool = True
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class LocalServer:
    """A ``http.server`` on 127.0.0.1 in a thread, serving routes the test registers."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.requests.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
                route = server.routes.get(self.path, Route(404, "text/plain", b"not found"))
                if route.delay_s:
                    time.sleep(route.delay_s)
                self.send_response(route.status)
                if route.content_type:
                    self.send_header("Content-Type", route.content_type)
                if route.send_length:
                    self.send_header("Content-Length", str(len(route.body)))
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def add(self, path: str, **kwargs: object) -> str:
        self.routes[path] = Route(**kwargs)  # type: ignore[arg-type]
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    local = LocalServer()
    yield local
    local.close()


@pytest.fixture
def refused_url() -> str:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/report.html"
