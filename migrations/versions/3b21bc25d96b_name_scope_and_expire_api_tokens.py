"""Name, scope and expire API tokens, with their last use; names for accounts, and a flag that
sends someone whose password an admin reset to change it first.

Tokens issued before this had neither name, scope nor expiry: they keep the power they had
(write), are named "issued before names" and expire 90 days after this migration, so that no
script stops working at once and none keeps working for ever.

Revision ID: 3b21bc25d96b
Revises: 96bf2a1b9eb7
Create Date: 2026-12-03 12:27:53.899841

"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b21bc25d96b'
down_revision = '96bf2a1b9eb7'
branch_labels = None
depends_on = None

EXISTING_TOKENS_LAST_DAYS = 90


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('scope', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(), nullable=True))

    # Stored as naive UTC, as the application's UTCDateTime type does.
    expires = (datetime.now(UTC) + timedelta(days=EXISTING_TOKENS_LAST_DAYS)).replace(tzinfo=None)
    api_token = sa.table('api_token', sa.column('name', sa.String), sa.column('scope', sa.String),
                         sa.column('expires_at', sa.DateTime))
    op.execute(api_token.update().values(name='issued before names', scope='write',
                                         expires_at=expires))

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column('scope', existing_type=sa.String(length=10), nullable=False)
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.create_check_constraint(op.f('ck_api_token_scope'), "scope IN ('read', 'write')")

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('name')

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_api_token_scope'), type_='check')
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('scope')
        batch_op.drop_column('name')
