"""Alembic environment for Vigil's store (run programmatically by ``open_store``)."""
