"""Open the store: make the engine, bring the schema up to date, hand back a ``Store``.

``open_store(settings)`` is the only entry point. It works on an SQLite file
(the default, created on first use with its parent directory) and on
PostgreSQL; the schema comes from the Alembic migrations shipped inside the
package, run through Alembic's API, so users never see an ``alembic.ini``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from vigil.errors import StoreError
from vigil.model.access import Viewer
from vigil.store import policy
from vigil.settings import Settings

ERR_BAD_URL = "Not a database URL: {url!r} ({reason}). Expected e.g. sqlite:///path/vigil.sqlite or postgresql+psycopg://user@host/db."
ERR_OPEN = "Could not open the store at {url}: {reason}"
ERR_MIGRATE = "Could not bring the store at {url} up to date: {reason}"
ERR_UNKNOWN_REVISION = "The store at {url} has a schema this version of Vigil does not know ({reason}); was it written by a newer Vigil?"

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


@dataclass
class Store:
    """An open store: the engine, a session factory and who is reading. Close it when done.

    ``viewer`` None reads everything (single-user mode, the CLI). ``for_viewer`` gives a
    handle on the same engine whose reads ``vigil.store.policy`` restricts to what that
    viewer may see; such a handle is not closed (the engine belongs to the opened store).
    """

    engine: Engine
    sessions: sessionmaker[Session]
    viewer: Viewer | None = None

    def for_viewer(self, viewer: Viewer | None) -> "Store":
        """This store as ``viewer`` sees it (None: everything)."""
        return replace(self, viewer=viewer)

    @property
    def url(self) -> str:
        """The database URL with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        """A session whose reads ``vigil.store.policy`` restricts to what ``viewer`` may see."""
        return self.sessions(info={policy.VIEWER_KEY: self.viewer})

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(settings: Settings) -> Store:
    """Open (creating and migrating if needed) the store named by ``settings.database_url``."""
    url = _parse_url(settings.database_url)
    engine = _make_engine(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    sessions = sessionmaker(engine, expire_on_commit=False)
    policy.install(sessions)
    return Store(engine=engine, sessions=sessions)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Run ``alembic upgrade`` to ``revision`` on ``engine``."""
    shown = engine.url.render_as_string(hide_password=True)
    try:
        with engine.begin() as connection:
            config = alembic_config(shown)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as error:
        raise StoreError(ERR_MIGRATE.format(url=shown, reason=describe_error(error))) from error
    except CommandError as error:
        raise StoreError(ERR_UNKNOWN_REVISION.format(url=shown, reason=error)) from error


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at the migrations inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _parse_url(raw: str) -> URL:
    try:
        url = make_url(raw)
    except ArgumentError as error:
        raise StoreError(ERR_BAD_URL.format(url=raw, reason=error)) from error
    if url.drivername in ("postgresql", "postgres"):
        # psycopg 3 is the driver we ship with; plain postgresql:// would ask for psycopg2.
        url = url.set(drivername="postgresql+psycopg")
    return url


def _make_engine(url: URL) -> Engine:
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    try:
        engine = create_engine(url, pool_pre_ping=True)
        with engine.connect():
            pass
    except (SQLAlchemyError, ImportError) as error:
        raise StoreError(ERR_OPEN.format(url=shown, reason=describe_error(error))) from error
    return engine


def _sqlite_engine(url: URL) -> Engine:
    shown = url.render_as_string(hide_password=True)
    in_memory = url.database in (None, "", ":memory:")
    if not in_memory and not str(url.database).startswith("file:"):
        path = Path(str(url.database)).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(ERR_OPEN.format(url=shown, reason=error)) from error
        url = url.set(database=str(path))
    kwargs: dict[str, object] = {}
    if in_memory:
        # One shared connection, or every session would see its own empty database.
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as error:
        engine.dispose()
        raise StoreError(ERR_OPEN.format(url=shown, reason=describe_error(error))) from error
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 (DB-API objects)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL, a crash of the program loses nothing committed
        cursor.execute("PRAGMA busy_timeout=5000")
    finally:
        cursor.close()


def describe_error(error: BaseException) -> str:
    """The first line of what the database driver said, for error messages."""
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__

