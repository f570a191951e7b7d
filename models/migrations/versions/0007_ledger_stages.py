"""ledger stages: the progress of each scheduled post

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("post_ledger", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("on_demand", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("parts_total", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("files_total", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("posted_parts", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("shared_files", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("sending", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("post_ledger", schema=None) as batch_op:
        batch_op.drop_column("sending")
        batch_op.drop_column("shared_files")
        batch_op.drop_column("posted_parts")
        batch_op.drop_column("files_total")
        batch_op.drop_column("parts_total")
        batch_op.drop_column("on_demand")
