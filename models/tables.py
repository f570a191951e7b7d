"""SQLModel tables. Every timestamp is UTC (see `UTCDateTime`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.db import UTCDateTime, utcnow


class Team(SQLModel, table=True):
    """A telemarketing cell with its sales engineers: one country, one time zone, one currency."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    timezone: str = Field(max_length=64)
    currency: str = Field(max_length=3)
    digest_channel: str | None = Field(default=None, max_length=32)
    leads_channel: str | None = Field(default=None, max_length=32)
    daily_contact_target: int = Field(default=30)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Member(SQLModel, table=True):
    """A Slack user on the roster, in one team, with one or more roles."""

    id: int | None = Field(default=None, primary_key=True)
    slack_user_id: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    team_id: int = Field(foreign_key="team.id", index=True)
    is_agent: bool = Field(default=False)
    is_sales_engineer: bool = Field(default=False)
    is_manager: bool = Field(default=False)
    is_admin: bool = Field(default=False)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Call(SQLModel, table=True):
    """One phone call logged by an agent. Undone calls stay, flagged, and count nowhere."""

    __table_args__ = (
        Index("ix_call_team_called_at", "team_id", "called_at"),
        Index("ix_call_agent_called_at", "agent_id", "called_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    agent_id: int = Field(foreign_key="member.id")
    called_at: datetime = Field(sa_type=UTCDateTime)
    duration_seconds: int
    company: str = Field(max_length=200)
    contact_name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    outcome: str = Field(max_length=20)
    note: str | None = Field(default=None, max_length=2000)
    slack_key: str = Field(max_length=255, unique=True)
    undone_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
