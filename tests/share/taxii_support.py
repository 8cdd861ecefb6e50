"""Helpers for the TAXII and sync tests: real Vigil servers on loopback, accounts, marked reports.

Not a test module: the TAXII and sync tests load it by path (the tests are not a package).
A server is ``create_app`` under uvicorn in a thread, on its own store, in multi-user mode.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from vigil.api.app import create_app
from vigil.model.access import Tlp
from vigil.model.records import ActorRef, Bounds, Document, Event, Extraction, Location
from vigil.settings import Settings
from vigil.share import accounts
from vigil.store.database import Store, open_store
from vigil.store.repository import save_document, seed_actors

COUNTRIES = {"PK": ("Peshawar", "Khyber Pakhtunkhwa", 34.0, 71.5), "AF": ("Jalalabad", "Nangarhar", 34.4, 70.4),
             "NG": ("Maiduguri", "Borno", 11.8, 13.1)}


@dataclass
class Server:
    """A running Vigil: its store, settings, base URL and the uvicorn server to stop."""

    store: Store
    settings: Settings
    url: str
    uvicorn: object
    thread: threading.Thread

    @property
    def api_root(self) -> str:
        return f"{self.url}/taxii2/vigil/"

    def stop(self) -> None:
        self.uvicorn.should_exit = True  # type: ignore[attr-defined]
        self.thread.join(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(database_url: str, folder: Path, *, auth_mode: str = "multi") -> Server:
    """A Vigil server in a thread on ``database_url``; returns once it accepts connections."""
    import uvicorn

    settings = Settings(database_url=database_url, auth_mode=auth_mode, secret_key_file=str(folder / "secret.key"))
    store = open_store(settings)
    app = create_app(settings, store=store)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    return Server(store=store, settings=settings, url=f"http://127.0.0.1:{port}", uvicorn=server, thread=thread)


def account(store: Store, org_id: str, username: str, role: str = "analyst") -> tuple[accounts.IssuedToken, str]:
    """An organisation (made if missing), a user in it and a token for them: (issued token, secret)."""
    if accounts.rows.get_organisation(store, org_id) is None:
        accounts.create_organisation(store, org_id, f"Organisation {org_id}")
    user = accounts.create_user(store, username, "a long enough password", role, org_id)
    issued = accounts.create_token(store, user, f"{username} token")
    return issued, issued.secret


def seed(store: Store) -> None:
    """The actors the reports name."""
    from vigil.model.records import Actor

    seed_actors(store, [
        Actor(id="islamic-state", name="Islamic State", kind="armed_group", source="test"),
        Actor(id="ttp", name="Tehrik-i-Taliban Pakistan", kind="armed_group", country="PK", source="test"),
    ])


def report(label: str, tlp: Tlp = Tlp.CLEAR, *, country: str = "PK", actor: str = "islamic-state",
           org_id: str | None = None) -> tuple[Document, Extraction]:
    """A one-event report, unique by ``label``, with its marking and owner."""
    place, admin1, lat, lon = COUNTRIES[country]
    group = "Islamic State" if actor == "islamic-state" else "Tehrik-i-Taliban Pakistan"
    text = (f"Report {label}: {group} fighters attacked a checkpoint in {place} on 3 March 2024, "
            f"killing 4 soldiers.")
    document = Document.from_text(text, title=f"Attack {label}", published=dt.date(2024, 3, 4), tlp=tlp, org_id=org_id)
    start = text.index(group)
    event = Event(
        type="Armed clash", event_type="Battles", start=0, end=len(text), sentence=text, trigger="attacked",
        date="2024-03-03", date_precision="day", date_text="3 March 2024",
        location=Location(text=place, start=text.index(place), end=text.index(place) + len(place), name=place,
                          admin1=admin1, country=country, lat=lat, lon=lon, precision="place"),
        perpetrators=[ActorRef(start=start, end=start + len(group), text=group, actor=actor, kind="organisation")],
        fatalities=Bounds(min=4, max=4, text="4"), confidence=0.9, extractor="test@1",
    )
    return document, Extraction(id=document.id, events=[event])


def store_reports(store: Store, *reports: tuple[Document, Extraction]) -> list[str]:
    ids = []
    for document, extraction in reports:
        result = save_document(store, document, extraction)
        assert result.created, document.title
        ids.append(result.document_id)
    return ids


def document_titles(store: Store) -> list[str]:
    """Titles of every stored document, read as the owner (sorted, duplicates kept)."""
    from sqlalchemy import select

    from vigil.store.tables import DocumentRow

    with store.engine.connect() as connection:
        return sorted(row[0] or "" for row in connection.execute(select(DocumentRow.title)))
