"""Imported STIX objects and their mapping to local records, and this instance's STIX id.

Written to match the "STIX objects" section of ``vigil/store/tables.py``. The
instance id is made here, once per database, so two Vigil databases are two
instances whose STIX ids never collide.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stix_objects",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("spec_version", sa.String(length=10), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=True),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("tlp", sa.String(length=20), server_default="TLP:CLEAR", nullable=False),
        sa.Column("org_id", sa.String(length=100), nullable=True),
        sa.Column("origin_instance", sa.String(length=300), nullable=True),
        sa.Column("origin_org", sa.String(length=200), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("local_kind", sa.String(length=20), nullable=True),
        sa.Column("local_id", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stix_objects")),
    )
    op.create_index(op.f("ix_stix_objects_type"), "stix_objects", ["type"])
    op.create_index(op.f("ix_stix_objects_org_id"), "stix_objects", ["org_id"])
    op.create_index(op.f("ix_stix_objects_imported_at"), "stix_objects", ["imported_at"])
    op.create_index("ix_stix_objects_local_kind_local_id", "stix_objects", ["local_kind", "local_id"])

    instance = op.create_table(
        "stix_instance",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stix_instance")),
    )
    op.bulk_insert(instance, [{"id": str(uuid.uuid4()), "created_at": dt.datetime.now(dt.timezone.utc)}])


def downgrade() -> None:
    op.drop_table("stix_instance")
    op.drop_index("ix_stix_objects_local_kind_local_id", table_name="stix_objects")
    op.drop_index(op.f("ix_stix_objects_imported_at"), table_name="stix_objects")
    op.drop_index(op.f("ix_stix_objects_org_id"), table_name="stix_objects")
    op.drop_index(op.f("ix_stix_objects_type"), table_name="stix_objects")
    op.drop_table("stix_objects")
