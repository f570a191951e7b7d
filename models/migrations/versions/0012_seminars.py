"""seminars: attendee lists, the follow-up queue, do-not-call, seminar time, erasures

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 11:47:10.200455
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erasure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("erased_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("searched_by", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("leads", sa.Integer(), nullable=False),
        sa.Column("attendees", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "do_not_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("company_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("company", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "kind", "key", "company_key", name="uq_do_not_call"),
    )
    op.create_table(
        "event_company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("company", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("company_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "company_key", name="uq_event_company_event_key"),
    )
    with op.batch_alter_table("event_company", schema=None) as batch_op:
        batch_op.create_index("ix_event_company_team_key", ["team_id", "company_key"], unique=False)

    op.create_table(
        "event_time",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("worked_on", sa.Date(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("slack_key", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("created_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slack_key"),
    )
    with op.batch_alter_table("event_time", schema=None) as batch_op:
        batch_op.create_index("ix_event_time_team_day", ["team_id", "worked_on"], unique=False)

    op.create_table(
        "attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("event_company_id", sa.Integer(), nullable=False),
        sa.Column("identity", sqlmodel.sql.sqltypes.AutoString(length=420), nullable=False),
        sa.Column("person", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("person_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
        sa.Column("email_key", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("erased_at", models.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_company_id"],
            ["event_company.id"],
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "identity", name="uq_attendee_event_identity"),
    )
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.create_index("ix_attendee_company", ["event_company_id"], unique=False)
        batch_op.create_index("ix_attendee_team_email", ["team_id", "email_key"], unique=False)
        batch_op.create_index("ix_attendee_team_phone", ["team_id", "phone"], unique=False)

    op.create_table(
        "followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("company", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("company_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("event_held_on", sa.Date(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("opened_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("not_before", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("leased_by_id", sa.Integer(), nullable=True),
        sa.Column("leased_until", models.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("times_taken", sa.Integer(), nullable=False),
        sa.Column("closed_at", models.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by_call_id", sa.Integer(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_call_id"],
            ["call.id"],
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
        ),
        sa.ForeignKeyConstraint(
            ["leased_by_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "company_key", name="uq_followup_team_company"),
    )
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.create_index("ix_followup_holder", ["leased_by_id", "leased_until"], unique=False)
        batch_op.create_index(
            "ix_followup_queue", ["team_id", "status", "attended", "not_before"], unique=False
        )

    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("erased_at", models.db.UTCDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source_chosen", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("erased_at", models.db.UTCDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True)
        )
        batch_op.add_column(
            sa.Column("attribution_days", sa.Integer(), nullable=False, server_default="90")
        )
        batch_op.add_column(
            sa.Column("retention_months", sa.Integer(), nullable=False, server_default="36")
        )


def downgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("retention_months")
        batch_op.drop_column("attribution_days")
        batch_op.drop_column("country")

    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
        batch_op.drop_column("source_chosen")

    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_column("erased_at")

    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.drop_index("ix_followup_queue")
        batch_op.drop_index("ix_followup_holder")

    op.drop_table("followup")
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_index("ix_attendee_team_phone")
        batch_op.drop_index("ix_attendee_team_email")
        batch_op.drop_index("ix_attendee_company")

    op.drop_table("attendee")
    with op.batch_alter_table("event_time", schema=None) as batch_op:
        batch_op.drop_index("ix_event_time_team_day")

    op.drop_table("event_time")
    with op.batch_alter_table("event_company", schema=None) as batch_op:
        batch_op.drop_index("ix_event_company_team_key")

    op.drop_table("event_company")
    op.drop_table("do_not_call")
    op.drop_table("erasure")
