"""Add reports, their matches to requirements, and requirements' indicators and match terms.

`requirement` gains `indicators`, `match_terms` and `exclude_terms` (JSON lists of text,
empty by default), frozen likewise in `register_snapshot_row`. New `report`: an incoming
intelligence report (title, text, source, date found, 3x5x2 grade, marking, who recorded
it). New `report_match`: a requirement a report may answer, with its score and what matched,
proposed, confirmed or rejected (one row per pair, so a rejected pair is never proposed
again), indexed for what waits for triage and a requirement's matched reports.
`contribution` gains `report_id`, the report it was confirmed from.

Revision ID: 849b9cc1a310
Revises: ef5c248b0004
Create Date: 2026-12-03 12:29:56.956572

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '849b9cc1a310'
down_revision = 'ef5c248b0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('found_on', sa.Date(), nullable=False),
    sa.Column('source_grade', sa.String(length=1), nullable=False),
    sa.Column('intelligence_grade', sa.String(length=1), nullable=False),
    sa.Column('handling_code', sa.String(length=1), nullable=False),
    sa.Column('handling_conditions', sa.Text(), nullable=True),
    sa.Column('marking', sa.String(length=20), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("handling_code IN ('P', 'C')", name=op.f('ck_report_handling_code')),
    sa.CheckConstraint("intelligence_grade IN ('A', 'B', 'C', 'D', 'E')", name=op.f('ck_report_intelligence_grade')),
    sa.CheckConstraint("marking IN ('OFFICIAL', 'OFFICIAL-SENSITIVE', 'SECRET', 'TOP SECRET')", name=op.f('ck_report_marking')),
    sa.CheckConstraint("source_grade IN ('1', '2', '3')", name=op.f('ck_report_source_grade')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_report_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_report_source_id_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report'))
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_source_id'), ['source_id'], unique=False)

    op.create_table('report_match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('matched_terms', sa.JSON(), nullable=False),
    sa.Column('indicators_matched', sa.JSON(), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('contribution_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state IN ('proposed', 'confirmed', 'rejected')", name=op.f('ck_report_match_state')),
    sa.ForeignKeyConstraint(['contribution_id'], ['contribution.id'], name=op.f('fk_report_match_contribution_id_contribution')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_report_match_decided_by_id_user')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_match_report_id_report'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirement.id'], name=op.f('fk_report_match_requirement_id_requirement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_match')),
    sa.UniqueConstraint('report_id', 'requirement_id', name=op.f('uq_report_match_report_id_requirement_id'))
    )
    with op.batch_alter_table('report_match', schema=None) as batch_op:
        batch_op.create_index('ix_report_match_requirement_state', ['requirement_id', 'state'], unique=False)
        batch_op.create_index('ix_report_match_state_report', ['state', 'report_id'], unique=False)

    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_contribution_report_id'), ['report_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contribution_report_id_report'), 'report', ['report_id'], ['id'])

    with op.batch_alter_table('register_snapshot_row', schema=None) as batch_op:
        batch_op.add_column(sa.Column('indicators', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('match_terms', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('exclude_terms', sa.JSON(), server_default='[]', nullable=False))

    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('indicators', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('match_terms', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('exclude_terms', sa.JSON(), server_default='[]', nullable=False))



def downgrade():
    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.drop_column('exclude_terms')
        batch_op.drop_column('match_terms')
        batch_op.drop_column('indicators')

    with op.batch_alter_table('register_snapshot_row', schema=None) as batch_op:
        batch_op.drop_column('exclude_terms')
        batch_op.drop_column('match_terms')
        batch_op.drop_column('indicators')

    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contribution_report_id_report'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contribution_report_id'))
        batch_op.drop_column('report_id')

    with op.batch_alter_table('report_match', schema=None) as batch_op:
        batch_op.drop_index('ix_report_match_state_report')
        batch_op.drop_index('ix_report_match_requirement_state')

    op.drop_table('report_match')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_source_id'))
        batch_op.drop_index(batch_op.f('ix_report_created_at'))

    op.drop_table('report')
