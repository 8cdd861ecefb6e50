"""TLP markings, owning organisations and origins of stored records; shares of documents.

Written to match the "markings" section of ``vigil/store/tables.py``. Existing rows
become TLP:CLEAR and belong to the default organisation (``org_id`` NULL = "local").

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MARKED_TABLES = ("documents", "events", "relations", "claims", "weapons", "recovered_weapons")


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): SQLite adds a NOT NULL column with a default in place,
    # and a copied ``events`` table would lose the expression index of migration 0002.
    for table in MARKED_TABLES:
        op.add_column(table, sa.Column("tlp", sa.String(length=20), server_default="TLP:CLEAR", nullable=False))
        op.add_column(table, sa.Column("org_id", sa.String(length=100), nullable=True))
    op.add_column("documents", sa.Column("origin_instance", sa.String(length=300), nullable=True))
    op.add_column("documents", sa.Column("origin_org", sa.String(length=200), nullable=True))
    op.create_index(op.f("ix_documents_org_id"), "documents", ["org_id"])

    op.create_table(
        "document_shares",
        sa.Column("document_id", sa.String(length=200), nullable=False),
        sa.Column("org_id", sa.String(length=100), nullable=False),
        sa.Column("granted_by", sa.String(length=200), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"],
            name=op.f("fk_document_shares_document_id_documents"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "org_id", name=op.f("pk_document_shares")),
    )
    op.create_index(op.f("ix_document_shares_org_id"), "document_shares", ["org_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_document_shares_org_id"), table_name="document_shares")
    op.drop_table("document_shares")
    op.drop_index(op.f("ix_documents_org_id"), table_name="documents")
    op.drop_column("documents", "origin_org")  # SQLite 3.35+ drops a column in place
    op.drop_column("documents", "origin_instance")
    for table in reversed(MARKED_TABLES):
        op.drop_column(table, "org_id")
        op.drop_column(table, "tlp")
