"""languages of teams and members; folded keys for company and event names

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.db
from models.keys import name_key

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEYED = (
    ("call", "company", "company_key"),
    ("lead", "company", "company_key"),
    ("event", "name", "name_key"),
)


def upgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "language",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                nullable=False,
                server_default="en",
            )
        )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True)
        )
        batch_op.add_column(
            sa.Column("slack_locale", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.add_column(
            sa.Column("locale_checked_at", models.db.UTCDateTime(timezone=True), nullable=True)
        )
    for table, _source, key in _KEYED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    key,
                    sqlmodel.sql.sqltypes.AutoString(length=200),
                    nullable=False,
                    server_default="",
                )
            )
    connection = op.get_bind()
    for table, source, key in _KEYED:
        rows = connection.execute(sa.text(f'SELECT id, {source} FROM "{table}"')).all()
        for row_id, value in rows:
            connection.execute(
                sa.text(f'UPDATE "{table}" SET {key} = :key WHERE id = :id'),
                {"key": name_key(value or ""), "id": row_id},
            )
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.create_index(
            "ix_call_agent_company_key", ["agent_id", "company_key", "called_at"], unique=False
        )
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.create_index("ix_lead_team_company_key", ["team_id", "company_key"], unique=False)
        batch_op.create_index(
            "ix_lead_detector_created", ["detected_by_id", "created_at", "source"], unique=False
        )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_constraint("uq_event_team_kind_name", type_="unique")
        batch_op.create_unique_constraint(
            "uq_event_team_kind_name_day", ["team_id", "kind", "name_key", "held_on"]
        )


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_constraint("uq_event_team_kind_name_day", type_="unique")
        batch_op.create_unique_constraint("uq_event_team_kind_name", ["team_id", "kind", "name"])
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_detector_created")
        batch_op.drop_index("ix_lead_team_company_key")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_index("ix_call_agent_company_key")
    for table, _source, key in _KEYED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(key)
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("locale_checked_at")
        batch_op.drop_column("slack_locale")
        batch_op.drop_column("language")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("language")
