"""Initial schema: documents, actors and their aliases, and the facts extracted from documents.

Written to match ``vigil/store/tables.py``; ``tests/store/test_migrations.py``
checks that upgrading an empty database gives exactly that metadata.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'actors',
        sa.Column('id', sa.String(length=200), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=True),
        sa.Column('parent_id', sa.String(length=200), nullable=True),
        sa.Column('un_ref', sa.String(length=40), nullable=True),
        sa.Column('un_list', sa.String(length=200), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('source', sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_actors'))
    )
    op.create_index(op.f('ix_actors_country'), 'actors', ['country'])
    op.create_index(op.f('ix_actors_name'), 'actors', ['name'])
    op.create_index(op.f('ix_actors_parent_id'), 'actors', ['parent_id'])

    op.create_table(
        'documents',
        sa.Column('id', sa.String(length=200), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('title', sa.Text(), nullable=True),
        sa.Column('publisher', sa.String(length=300), nullable=True),
        sa.Column('url', sa.Text(), nullable=True),
        sa.Column('published', sa.Date(), nullable=True),
        sa.Column('language', sa.String(length=16), nullable=False),
        sa.Column('source', sa.Text(), nullable=True),
        sa.Column('media_type', sa.String(length=100), nullable=True),
        sa.Column('licence', sa.Text(), nullable=True),
        sa.Column('attribution', sa.Text(), nullable=True),
        sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
        sa.UniqueConstraint('content_hash', name=op.f('uq_documents_content_hash'))
    )
    op.create_index(op.f('ix_documents_ingested_at'), 'documents', ['ingested_at'])
    op.create_index(op.f('ix_documents_published'), 'documents', ['published'])

    op.create_table(
        'actor_aliases',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('actor_id', sa.String(length=200), nullable=False),
        sa.Column('alias', sa.String(length=300), nullable=False),
        sa.Column('normalised', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_actor_aliases_actor_id_actors'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_actor_aliases')),
        sa.UniqueConstraint('actor_id', 'alias', name=op.f('uq_actor_aliases_actor_id_alias'))
    )
    op.create_index(op.f('ix_actor_aliases_actor_id'), 'actor_aliases', ['actor_id'])
    op.create_index(op.f('ix_actor_aliases_normalised'), 'actor_aliases', ['normalised'])

    op.create_table(
        'claims',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('document_id', sa.String(length=200), nullable=False),
        sa.Column('ordinal', sa.Integer(), nullable=False),
        sa.Column('speaker_text', sa.Text(), nullable=False),
        sa.Column('speaker_actor_id', sa.String(length=200), nullable=True),
        sa.Column('speaker_start', sa.Integer(), nullable=False),
        sa.Column('speaker_end', sa.Integer(), nullable=False),
        sa.Column('speaker_kind', sa.String(length=20), nullable=False),
        sa.Column('speaker_org_text', sa.Text(), nullable=True),
        sa.Column('speaker_org_actor_id', sa.String(length=200), nullable=True),
        sa.Column('speaker_org_start', sa.Integer(), nullable=True),
        sa.Column('speaker_org_end', sa.Integer(), nullable=True),
        sa.Column('speaker_org_kind', sa.String(length=20), nullable=True),
        sa.Column('stance', sa.String(length=10), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('sentence', sa.Text(), nullable=False),
        sa.Column('date', sa.String(length=20), nullable=True),
        sa.Column('concerns', sa.JSON(), nullable=False),
        sa.Column('confidence', sa.Float(), nullable=False),
        sa.Column('extractor', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_claims_document_id_documents'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_claims'))
    )
    op.create_index(op.f('ix_claims_document_id'), 'claims', ['document_id'])
    op.create_index(op.f('ix_claims_speaker_actor_id'), 'claims', ['speaker_actor_id'])
    op.create_index(op.f('ix_claims_speaker_org_actor_id'), 'claims', ['speaker_org_actor_id'])
    op.create_index(op.f('ix_claims_stance'), 'claims', ['stance'])

    op.create_table(
        'entities',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('document_id', sa.String(length=200), nullable=False),
        sa.Column('ordinal', sa.Integer(), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('type', sa.String(length=40), nullable=False),
        sa.Column('actor_id', sa.String(length=200), nullable=True),
        sa.Column('extractor', sa.String(length=100), nullable=False),
        sa.Column('geo_text', sa.Text(), nullable=True),
        sa.Column('geo_start', sa.Integer(), nullable=True),
        sa.Column('geo_end', sa.Integer(), nullable=True),
        sa.Column('geo_name', sa.String(length=300), nullable=True),
        sa.Column('admin1', sa.String(length=300), nullable=True),
        sa.Column('admin2', sa.String(length=300), nullable=True),
        sa.Column('country', sa.String(length=2), nullable=True),
        sa.Column('lat', sa.Float(), nullable=True),
        sa.Column('lon', sa.Float(), nullable=True),
        sa.Column('geonames_id', sa.Integer(), nullable=True),
        sa.Column('geo_precision', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_entities_document_id_documents'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_entities'))
    )
    op.create_index(op.f('ix_entities_actor_id'), 'entities', ['actor_id'])
    op.create_index(op.f('ix_entities_document_id'), 'entities', ['document_id'])
    op.create_index(op.f('ix_entities_type'), 'entities', ['type'])

    op.create_table(
        'events',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('document_id', sa.String(length=200), nullable=False),
        sa.Column('ordinal', sa.Integer(), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('sentence', sa.Text(), nullable=False),
        sa.Column('trigger', sa.Text(), nullable=True),
        sa.Column('event_type', sa.String(length=100), nullable=False),
        sa.Column('sub_event_type', sa.String(length=100), nullable=False),
        sa.Column('date', sa.String(length=20), nullable=True),
        sa.Column('date_start', sa.Date(), nullable=True),
        sa.Column('date_from_document', sa.Boolean(), nullable=False),
        sa.Column('date_precision', sa.String(length=10), nullable=True),
        sa.Column('date_text', sa.Text(), nullable=True),
        sa.Column('location_text', sa.Text(), nullable=True),
        sa.Column('location_start', sa.Integer(), nullable=True),
        sa.Column('location_end', sa.Integer(), nullable=True),
        sa.Column('location_name', sa.String(length=300), nullable=True),
        sa.Column('admin1', sa.String(length=300), nullable=True),
        sa.Column('admin2', sa.String(length=300), nullable=True),
        sa.Column('country', sa.String(length=2), nullable=True),
        sa.Column('lat', sa.Float(), nullable=True),
        sa.Column('lon', sa.Float(), nullable=True),
        sa.Column('geonames_id', sa.Integer(), nullable=True),
        sa.Column('location_precision', sa.String(length=20), nullable=True),
        sa.Column('fatalities_min', sa.Integer(), nullable=True),
        sa.Column('fatalities_max', sa.Integer(), nullable=True),
        sa.Column('fatalities_text', sa.Text(), nullable=True),
        sa.Column('injuries_min', sa.Integer(), nullable=True),
        sa.Column('injuries_max', sa.Integer(), nullable=True),
        sa.Column('injuries_text', sa.Text(), nullable=True),
        sa.Column('responsibility', sa.String(length=20), nullable=True),
        sa.Column('confidence', sa.Float(), nullable=False),
        sa.Column('extractor', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_events_document_id_documents'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    op.create_index(op.f('ix_events_country'), 'events', ['country'])
    op.create_index(op.f('ix_events_date_start'), 'events', ['date_start'])
    op.create_index(op.f('ix_events_document_id'), 'events', ['document_id'])
    op.create_index(op.f('ix_events_event_type'), 'events', ['event_type'])
    op.create_index(op.f('ix_events_sub_event_type'), 'events', ['sub_event_type'])

    op.create_table(
        'relations',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('document_id', sa.String(length=200), nullable=False),
        sa.Column('ordinal', sa.Integer(), nullable=False),
        sa.Column('type', sa.String(length=40), nullable=False),
        sa.Column('source_actor_id', sa.String(length=200), nullable=True),
        sa.Column('source_text', sa.Text(), nullable=False),
        sa.Column('source_start', sa.Integer(), nullable=False),
        sa.Column('source_end', sa.Integer(), nullable=False),
        sa.Column('source_kind', sa.String(length=20), nullable=False),
        sa.Column('target_actor_id', sa.String(length=200), nullable=True),
        sa.Column('target_text', sa.Text(), nullable=False),
        sa.Column('target_start', sa.Integer(), nullable=False),
        sa.Column('target_end', sa.Integer(), nullable=False),
        sa.Column('target_kind', sa.String(length=20), nullable=False),
        sa.Column('attributed_to_actor_id', sa.String(length=200), nullable=True),
        sa.Column('attributed_to_text', sa.Text(), nullable=True),
        sa.Column('attributed_to_start', sa.Integer(), nullable=True),
        sa.Column('attributed_to_end', sa.Integer(), nullable=True),
        sa.Column('attributed_to_kind', sa.String(length=20), nullable=True),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('sentence', sa.Text(), nullable=False),
        sa.Column('confidence', sa.Float(), nullable=False),
        sa.Column('extractor', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_relations_document_id_documents'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_relations'))
    )
    op.create_index(op.f('ix_relations_document_id'), 'relations', ['document_id'])
    op.create_index(op.f('ix_relations_source_actor_id'), 'relations', ['source_actor_id'])
    op.create_index(op.f('ix_relations_target_actor_id'), 'relations', ['target_actor_id'])
    op.create_index(op.f('ix_relations_type'), 'relations', ['type'])

    op.create_table(
        'event_actors',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('ordinal', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.String(length=200), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_actors_event_id_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_actors'))
    )
    op.create_index(op.f('ix_event_actors_actor_id'), 'event_actors', ['actor_id'])
    op.create_index(op.f('ix_event_actors_event_id'), 'event_actors', ['event_id'])
    op.create_index('ix_event_actors_role_actor_id', 'event_actors', ['role', 'actor_id'])

    op.create_table(
        'weapons',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('document_id', sa.String(length=200), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('relation_id', sa.Integer(), nullable=True),
        sa.Column('ordinal', sa.Integer(), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('weapon_class', sa.String(length=100), nullable=True),
        sa.Column('calibre', sa.String(length=100), nullable=True),
        sa.Column('model', sa.String(length=200), nullable=True),
        sa.Column('origin', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_weapons_document_id_documents'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_weapons_event_id_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['relation_id'], ['relations.id'], name=op.f('fk_weapons_relation_id_relations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_weapons'))
    )
    op.create_index(op.f('ix_weapons_document_id'), 'weapons', ['document_id'])
    op.create_index(op.f('ix_weapons_event_id'), 'weapons', ['event_id'])
    op.create_index(op.f('ix_weapons_relation_id'), 'weapons', ['relation_id'])
    op.create_index(op.f('ix_weapons_weapon_class'), 'weapons', ['weapon_class'])


def downgrade() -> None:
    op.drop_table('weapons')
    op.drop_table('event_actors')
    op.drop_table('relations')
    op.drop_table('events')
    op.drop_table('entities')
    op.drop_table('claims')
    op.drop_table('actor_aliases')
    op.drop_table('documents')
    op.drop_table('actors')
