"""leads events slack events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:32:31.224201
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_event",
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("received_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("created_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "kind", "name", name="uq_event_team_kind_name"),
    )
    op.create_table(
        "lead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("detected_by_id", sa.Integer(), nullable=False),
        sa.Column("company", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("contact_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("estimated_value", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("final_value", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("created_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("handed_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", models.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("qualified_at", models.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("rejected_at", models.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("won_at", models.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("lost_at", models.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("card_channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("card_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("card_version", sa.Integer(), nullable=False),
        sa.Column("slack_key", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_to_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
        ),
        sa.ForeignKeyConstraint(
            ["detected_by_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slack_key"),
        sa.UniqueConstraint("team_id", "number", name="uq_lead_team_number"),
    )
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.create_index("ix_lead_card", ["card_channel", "card_ts"], unique=False)
        batch_op.create_index("ix_lead_team_created_at", ["team_id", "created_at"], unique=False)

    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "lead_routing",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="pool",
            )
        )
        batch_op.add_column(
            sa.Column("last_lead_number", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("last_routed_member_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("last_routed_member_id")
        batch_op.drop_column("last_lead_number")
        batch_op.drop_column("lead_routing")

    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_team_created_at")
        batch_op.drop_index("ix_lead_card")

    op.drop_table("lead")
    op.drop_table("event")
    op.drop_table("slack_event")
