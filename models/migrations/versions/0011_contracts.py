"""outsourced cells: contracts and their versions, complaints, audits, statements and contests;
the provider role of members and the operator of teams

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-29 11:47:24.321048
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.db

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("audit_seed", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id"),
    )
    op.create_table(
        "contract_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_until", sa.Date(), nullable=True),
        sa.Column("monthly_fee", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("at_risk", sa.Numeric(precision=7, scale=6), nullable=False),
        sa.Column("complaint_answer_days", sa.Integer(), nullable=False),
        sa.Column("contest_days", sa.Integer(), nullable=False),
        sa.Column("statement_day", sa.Integer(), nullable=False),
        sa.Column("audit_calls_per_agent", sa.Integer(), nullable=False),
        sa.Column("audit_checklist", sa.JSON(), nullable=False),
        sa.Column("same_criterion_months", sa.Integer(), nullable=True),
        sa.Column("penalty_share", sa.Numeric(precision=7, scale=6), nullable=True),
        sa.Column("penalty_share_months", sa.Integer(), nullable=True),
        sa.Column("source_text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("imported_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contract_id", "effective_from", name="uq_contract_version_from"),
        sa.UniqueConstraint("contract_id", "number", name="uq_contract_version_number"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("auditor_id", sa.Integer(), nullable=True),
        sa.Column("audited_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("items_met", sa.Integer(), nullable=False),
        sa.Column("items_total", sa.Integer(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["auditor_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["contract_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("call_id"),
        sa.UniqueConstraint("request_key"),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index("ix_audit_team_month", ["team_id", "month"], unique=False)

    op.create_table(
        "contract_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("metric", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("per_agent", sa.Boolean(), nullable=False),
        sa.Column("comparison", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("target", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("penalty", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("weight", sa.Numeric(precision=7, scale=6), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["contract_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "key", name="uq_contract_criterion_key"),
    )
    op.create_table(
        "statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("contest_until", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("monthly_fee", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("cap", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("penalties_before_cap", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("penalties_after_cap", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("adjustments", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("complaints_lodged", sa.Integer(), nullable=False),
        sa.Column("complaints_late", sa.Integer(), nullable=False),
        sa.Column("complaints_disputed", sa.Integer(), nullable=False),
        sa.Column("audits_done", sa.Integer(), nullable=False),
        sa.Column("audit_items_met", sa.Integer(), nullable=False),
        sa.Column("audit_items_total", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["contract_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "month", name="uq_statement_team_month"),
    )
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("lodged_by_id", sa.Integer(), nullable=True),
        sa.Column("lodged_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answer_due_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answer", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", models.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("settled_by_id", sa.Integer(), nullable=True),
        sa.Column("settled_at", models.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("settlement_note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["lead.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lodged_by_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["settled_by_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_key"),
        sa.UniqueConstraint("team_id", "number", name="uq_complaint_team_number"),
    )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index("ix_complaint_team_due", ["team_id", "answer_due_at"], unique=False)
        batch_op.create_index("ix_complaint_team_lodged", ["team_id", "lodged_at"], unique=False)

    op.create_table(
        "statement_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("criterion_key", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("metric", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("per_agent", sa.Boolean(), nullable=False),
        sa.Column("comparison", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("target", sa.Numeric(precision=18, scale=6), nullable=True),
        sa.Column("measured", sa.Numeric(precision=18, scale=6), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("breaches", sa.Integer(), nullable=False),
        sa.Column("penalty", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("refers_to_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["refers_to_id"],
            ["statement_line.id"],
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statement.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("statement_id", "position", name="uq_statement_line"),
    )
    op.create_table(
        "complaint_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("complaint_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_event_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "contest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("lodged_by_id", sa.Integer(), nullable=True),
        sa.Column("lodged_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", models.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("adjusted_by_id", sa.Integer(), nullable=True),
        sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["adjusted_by_id"],
            ["statement_line.id"],
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["statement_line.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lodged_by_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("line_id"),
        sa.UniqueConstraint("request_key"),
    )
    # Existing tables: the provider role of members, and the operator of outsourced teams.
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_provider", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("operator", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "provider_channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("provider_channel")
        batch_op.drop_column("operator")

    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("is_provider")

    op.drop_table("contest")
    with op.batch_alter_table("complaint_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_event_complaint_id"))

    op.drop_table("complaint_event")
    op.drop_table("statement_line")
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_team_lodged")
        batch_op.drop_index("ix_complaint_team_due")

    op.drop_table("complaint")
    op.drop_table("statement")
    op.drop_table("contract_criterion")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_team_month")

    op.drop_table("audit")
    op.drop_table("contract_version")
    op.drop_table("contract")
