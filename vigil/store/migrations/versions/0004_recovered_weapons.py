"""Recovered weapons: records entered or imported by analysts (tracing-system fields).

Written to match the ``RecoveredWeaponRow`` section of ``vigil/store/tables.py``.
It branches from 0002 beside the other migrations of the same release; the
store upgrades to every head.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_INDEXED = ("weapon_class", "serial_number", "country_of_manufacture", "recovered_start", "country", "event_id", "created_at")


def upgrade() -> None:
    op.create_table(
        "recovered_weapons",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("weapon_class", sa.String(length=100), nullable=True),
        sa.Column("make", sa.String(length=200), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("calibre", sa.String(length=100), nullable=True),
        sa.Column("serial_number", sa.String(length=200), nullable=True),
        sa.Column("serial_obliterated", sa.Boolean(), nullable=False),
        sa.Column("markings", sa.JSON(), nullable=False),
        sa.Column("country_of_manufacture", sa.String(length=2), nullable=True),
        sa.Column("import_marks", sa.JSON(), nullable=False),
        sa.Column("recovered_on", sa.String(length=20), nullable=True),
        sa.Column("recovered_start", sa.Date(), nullable=True),
        sa.Column("recovered_precision", sa.String(length=10), nullable=True),
        sa.Column("place_text", sa.Text(), nullable=True),
        sa.Column("place_name", sa.String(length=300), nullable=True),
        sa.Column("admin1", sa.String(length=300), nullable=True),
        sa.Column("admin2", sa.String(length=300), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("geonames_id", sa.Integer(), nullable=True),
        sa.Column("place_precision", sa.String(length=20), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("custody_notes", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_recovered_weapons_event_id_events"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovered_weapons")),
    )
    for column in _INDEXED:
        op.create_index(op.f(f"ix_recovered_weapons_{column}"), "recovered_weapons", [column])


def downgrade() -> None:
    for column in reversed(_INDEXED):
        op.drop_index(op.f(f"ix_recovered_weapons_{column}"), table_name="recovered_weapons")
    op.drop_table("recovered_weapons")
