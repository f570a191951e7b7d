"""covering index for an agent day

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 11:37:09.020058
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_agent_called_at"))
        batch_op.create_index(
            "ix_call_agent_day", ["agent_id", "called_at", "outcome", "undone_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_index("ix_call_agent_day")
        batch_op.create_index(
            batch_op.f("ix_call_agent_called_at"), ["agent_id", "called_at"], unique=False
        )
