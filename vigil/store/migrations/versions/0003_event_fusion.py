"""Event fusion: fused events, their member reports, the links between reports, analyst decisions.

- fused_events: one row per real-world event as fused from its reports
  (``vigil.resolve.records.FusedEvent``): queryable columns (type, date_start,
  country, low/best/high figures, n_sources) and the rest as JSON;
- fused_members: which event report belongs to which fused event, added by
  ``auto`` or ``analyst``, with its link score and explanation;
- fusion_edges: pairs of reports whose link reached the merge threshold (what
  an incremental run reads instead of scoring them again);
- fusion_decisions: the analyst's decisions, never deleted;
- fusion_vectors: stored sentence embeddings of the evidence (``ml`` extra);
- events (country, date_precision, date_start): the reports of a country whose dates come near a new one's.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'fused_events',
        sa.Column('id', sa.String(length=200), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=True),
        sa.Column('event_type', sa.String(length=100), nullable=False),
        sa.Column('sub_event_type', sa.String(length=100), nullable=False),
        sa.Column('type_votes', sa.JSON(), nullable=False),
        sa.Column('date', sa.String(length=20), nullable=True),
        sa.Column('date_precision', sa.String(length=10), nullable=True),
        sa.Column('date_rule', sa.Text(), nullable=True),
        sa.Column('date_start', sa.Date(), nullable=True),
        sa.Column('location', sa.JSON(), nullable=True),
        sa.Column('country', sa.String(length=2), nullable=True),
        sa.Column('admin1', sa.String(length=300), nullable=True),
        sa.Column('perpetrators', sa.JSON(), nullable=False),
        sa.Column('targets', sa.JSON(), nullable=False),
        sa.Column('victims', sa.JSON(), nullable=False),
        sa.Column('fatalities_low', sa.Integer(), nullable=True),
        sa.Column('fatalities_best', sa.Integer(), nullable=True),
        sa.Column('fatalities_high', sa.Integer(), nullable=True),
        sa.Column('fatalities', sa.JSON(), nullable=True),
        sa.Column('injuries_low', sa.Integer(), nullable=True),
        sa.Column('injuries_best', sa.Integer(), nullable=True),
        sa.Column('injuries_high', sa.Integer(), nullable=True),
        sa.Column('injuries', sa.JSON(), nullable=True),
        sa.Column('responsibility', sa.String(length=20), nullable=True),
        sa.Column('n_sources', sa.Integer(), nullable=False),
        sa.Column('sources', sa.JSON(), nullable=False),
        sa.Column('merges', sa.JSON(), nullable=False),
        sa.Column('decisions', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_fused_events')),
    )
    for column in ('country', 'date_start', 'event_type', 'n_sources', 'sub_event_type'):
        op.create_index(op.f(f'ix_fused_events_{column}'), 'fused_events', [column])

    op.create_table(
        'fused_members',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('fused_id', sa.String(length=200), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('mention_id', sa.String(length=300), nullable=False),
        sa.Column('added_by', sa.String(length=10), nullable=False),
        sa.Column('decision_id', sa.String(length=40), nullable=True),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('explanation', sa.JSON(), nullable=True),
        sa.Column('representative', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_fused_members_event_id_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['fused_id'], ['fused_events.id'], name=op.f('fk_fused_members_fused_id_fused_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_fused_members')),
        sa.UniqueConstraint('event_id', name=op.f('uq_fused_members_event_id')),
        sa.UniqueConstraint('mention_id', name=op.f('uq_fused_members_mention_id')),
    )
    op.create_index(op.f('ix_fused_members_fused_id'), 'fused_members', ['fused_id'])

    op.create_table(
        'fusion_edges',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('event_a', sa.Integer(), nullable=False),
        sa.Column('event_b', sa.Integer(), nullable=False),
        sa.Column('probability', sa.Float(), nullable=False),
        sa.Column('method', sa.String(length=200), nullable=False),
        sa.Column('explanation', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['event_a'], ['events.id'], name=op.f('fk_fusion_edges_event_a_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_b'], ['events.id'], name=op.f('fk_fusion_edges_event_b_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_fusion_edges')),
        sa.UniqueConstraint('event_a', 'event_b', name=op.f('uq_fusion_edges_event_a_event_b')),
    )
    op.create_index(op.f('ix_fusion_edges_event_b'), 'fusion_edges', ['event_b'])

    op.create_table(
        'fusion_decisions',
        sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('mentions', sa.JSON(), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=True),
        sa.Column('retracts', sa.String(length=40), nullable=True),
        sa.Column('author', sa.String(length=200), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_fusion_decisions')),
        sa.UniqueConstraint('id', name=op.f('uq_fusion_decisions_id')),
    )
    op.create_index(op.f('ix_fusion_decisions_retracts'), 'fusion_decisions', ['retracts'])

    op.create_index(op.f('ix_events_country_date_precision_date_start'), 'events', ['country', 'date_precision', 'date_start'])

    op.create_table(
        'fusion_vectors',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('method', sa.String(length=200), nullable=False),
        sa.Column('vector', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_fusion_vectors_event_id_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', name=op.f('pk_fusion_vectors')),
    )


def downgrade() -> None:
    op.drop_table('fusion_vectors')
    op.drop_index(op.f('ix_events_country_date_precision_date_start'), table_name='events')
    op.drop_index(op.f('ix_fusion_decisions_retracts'), table_name='fusion_decisions')
    op.drop_table('fusion_decisions')
    op.drop_index(op.f('ix_fusion_edges_event_b'), table_name='fusion_edges')
    op.drop_table('fusion_edges')
    op.drop_index(op.f('ix_fused_members_fused_id'), table_name='fused_members')
    op.drop_table('fused_members')
    for column in ('country', 'date_start', 'event_type', 'n_sources', 'sub_event_type'):
        op.drop_index(op.f(f'ix_fused_events_{column}'), table_name='fused_events')
    op.drop_table('fused_events')
