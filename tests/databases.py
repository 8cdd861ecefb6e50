"""Throw-away PostgreSQL databases for the tests (skipping when the server is unreachable)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("VIGIL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def postgres_databases(prefix: str = "vigil_test") -> Iterator[Callable[[], str]]:
    """A maker of new PostgreSQL databases (each call: one more, its URL); all are dropped on exit.

    Skips the test when the server is unreachable.
    """
    admin_url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect():
            pass
    except Exception as error:  # noqa: BLE001 (any failure to reach the server means: skip)
        admin.dispose()
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        pytest.skip(f"PostgreSQL not reachable at {admin_url.render_as_string(hide_password=True)}: {reason}")
    made: list[str] = []

    def make() -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return admin_url.set(database=name).render_as_string(hide_password=False)

    try:
        yield make
    finally:
        with admin.connect() as connection:
            for name in made:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def created_postgres_database(prefix: str = "vigil_api_test") -> Iterator[str]:
    """A new PostgreSQL database, dropped on exit; skips the test when the server is unreachable."""
    with postgres_databases(prefix) as make:
        yield make()
