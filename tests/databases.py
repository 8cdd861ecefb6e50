"""Throw-away PostgreSQL databases for the tests (skipping when the server is unreachable)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("VIGIL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def created_postgres_database(prefix: str = "vigil_api_test") -> Iterator[str]:
    """A new PostgreSQL database, dropped on exit; skips the test when the server is unreachable."""
    admin_url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 (any failure to reach the server means: skip)
        admin.dispose()
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        pytest.skip(f"PostgreSQL not reachable at {admin_url.render_as_string(hide_password=True)}: {reason}")
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
