"""Add actions: what the governance group's decision on a snapshot directs.

One table, `action`: the snapshot it comes from, its text, exactly one owner (a manager's
account or a team; check `ck_action_one_owner`), a due date, an optional requirement, who
wrote it and when, and, once closed, who closed it, when and the closing note (all three
together; check `ck_action_closed_with_note`). A version column for optimistic locking.
Indexed for dashboards (open actions by due date: `ix_action_closed_at_due_on`) and for
lists by snapshot, owner and requirement. Nothing existing changes.

Revision ID: 96bf2a1b9eb7
Revises: 65c1555db930
Create Date: 2026-12-03 10:29:42.622050

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '96bf2a1b9eb7'
down_revision = '65c1555db930'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner_user_id', sa.Integer(), nullable=True),
    sa.Column('owner_team_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closing_note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('(closed_at IS NULL) = (closing_note IS NULL) AND (closed_at IS NULL) = (closed_by_id IS NULL)', name=op.f('ck_action_closed_with_note')),
    sa.CheckConstraint('(owner_user_id IS NULL) <> (owner_team_id IS NULL)', name=op.f('ck_action_one_owner')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_action_closed_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_action_created_by_id_user')),
    sa.ForeignKeyConstraint(['owner_team_id'], ['team.id'], name=op.f('fk_action_owner_team_id_team')),
    sa.ForeignKeyConstraint(['owner_user_id'], ['user.id'], name=op.f('fk_action_owner_user_id_user')),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirement.id'], name=op.f('fk_action_requirement_id_requirement')),
    sa.ForeignKeyConstraint(['snapshot_id'], ['register_snapshot.id'], name=op.f('fk_action_snapshot_id_register_snapshot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action'))
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index('ix_action_closed_at_due_on', ['closed_at', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_owner_team_id'), ['owner_team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_owner_user_id'), ['owner_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_requirement_id'), ['requirement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_snapshot_id'), ['snapshot_id'], unique=False)


def downgrade():
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_snapshot_id'))
        batch_op.drop_index(batch_op.f('ix_action_requirement_id'))
        batch_op.drop_index(batch_op.f('ix_action_owner_user_id'))
        batch_op.drop_index(batch_op.f('ix_action_owner_team_id'))
        batch_op.drop_index('ix_action_closed_at_due_on')

    op.drop_table('action')
