"""Actor proposals: new actors proposed from unresolved mentions, and the analyst's decisions on them.

Written to match the "actor proposals" section of ``vigil/store/tables.py``.
It branches from 0002 beside the other migrations of the same release; the
store upgrades to every head.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actor_proposals",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.String(length=200), nullable=True),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor_proposals")),
        sa.UniqueConstraint("key", name=op.f("uq_actor_proposals_key")),
    )
    op.create_index(op.f("ix_actor_proposals_status"), "actor_proposals", ["status"])
    op.create_index(op.f("ix_actor_proposals_actor_id"), "actor_proposals", ["actor_id"])

    op.create_table(
        "actor_proposal_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("proposal_id", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.String(length=200), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("relinked", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["actor_proposals.id"],
            name=op.f("fk_actor_proposal_decisions_proposal_id_actor_proposals"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor_proposal_decisions")),
    )
    op.create_index(
        op.f("ix_actor_proposal_decisions_proposal_id"), "actor_proposal_decisions", ["proposal_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_actor_proposal_decisions_proposal_id"), table_name="actor_proposal_decisions")
    op.drop_table("actor_proposal_decisions")
    op.drop_index(op.f("ix_actor_proposals_actor_id"), table_name="actor_proposals")
    op.drop_index(op.f("ix_actor_proposals_status"), table_name="actor_proposals")
    op.drop_table("actor_proposals")
