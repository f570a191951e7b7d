"""costs ledger digest settings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:44:03.739108
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cost_split",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "month", "source", name="uq_cost_split_team_month_source"),
    )
    op.create_table(
        "monthly_cost",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("updated_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "month", "source", name="uq_monthly_cost_team_month_source"),
    )
    op.create_table(
        "post_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("due_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("grace_until", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("claimed_until", models.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("message_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", models.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "team_id", "period", name="uq_post_ledger_kind_team_period"),
    )
    with op.batch_alter_table("post_ledger", schema=None) as batch_op:
        batch_op.create_index(
            "ix_post_ledger_status_next", ["status", "next_attempt_at"], unique=False
        )

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cost", sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column("attendees", sa.Integer(), nullable=True))

    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "digest_time",
                sqlmodel.sql.sqltypes.AutoString(length=5),
                nullable=False,
                server_default="18:00",
            )
        )
        batch_op.add_column(
            sa.Column(
                "digest_days",
                sqlmodel.sql.sqltypes.AutoString(length=32),
                nullable=False,
                server_default="mon,tue,wed,thu,fri",
            )
        )
        batch_op.add_column(
            sa.Column("digest_skip_empty", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column(
                "report_time",
                sqlmodel.sql.sqltypes.AutoString(length=5),
                nullable=False,
                server_default="09:00",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("report_time")
        batch_op.drop_column("digest_skip_empty")
        batch_op.drop_column("digest_days")
        batch_op.drop_column("digest_time")

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("attendees")
        batch_op.drop_column("cost")

    with op.batch_alter_table("post_ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_post_ledger_status_next")

    op.drop_table("post_ledger")
    op.drop_table("monthly_cost")
    op.drop_table("cost_split")
