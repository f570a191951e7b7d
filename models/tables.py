"""SQLModel tables. Every timestamp is UTC (see `UTCDateTime`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Index, Numeric, UniqueConstraint
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
    lead_routing: str = Field(default="pool", max_length=16)
    last_lead_number: int = Field(default=0)
    last_routed_member_id: int | None = Field(default=None)
    digest_time: str = Field(default="18:00", max_length=5)
    digest_days: str = Field(default="mon,tue,wed,thu,fri", max_length=32)
    digest_skip_empty: bool = Field(default=False)
    report_time: str = Field(default="09:00", max_length=5)
    language: str = Field(default="en", max_length=8)
    #: The provider running an outsourced cell (None: in-house), and its contact channel.
    operator: str | None = Field(default=None, max_length=100)
    provider_channel: str | None = Field(default=None, max_length=32)


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
    #: One of the provider's people in an outsourced cell.
    is_provider: bool = Field(default=False)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: The language the member chose (`/leadcell me language=de`); None: their Slack locale's.
    language: str | None = Field(default=None, max_length=8)
    #: Their Slack locale (`fr-FR`) as users.info last gave it, and when it was asked.
    slack_locale: str | None = Field(default=None, max_length=16)
    locale_checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Call(SQLModel, table=True):
    """One phone call logged by an agent. Undone calls stay, flagged, and count nowhere."""

    __table_args__ = (
        Index("ix_call_team_called_at", "team_id", "called_at"),
        # Covers an agent's figures of the day (the `/call` confirmation) without reading rows.
        Index("ix_call_agent_day", "agent_id", "called_at", "outcome", "undone_at"),
        Index("ix_call_agent_company_key", "agent_id", "company_key", "called_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    agent_id: int = Field(foreign_key="member.id")
    called_at: datetime = Field(sa_type=UTCDateTime)
    duration_seconds: int
    company: str = Field(max_length=200)
    #: The company folded for matching (case and accents): see models.keys.
    company_key: str = Field(default="", max_length=200)
    contact_name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    outcome: str = Field(max_length=20)
    note: str | None = Field(default=None, max_length=2000)
    slack_key: str = Field(max_length=255, unique=True)
    undone_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Event(SQLModel, table=True):
    """A seminar or trade show a team runs or attends; leads may come from it."""

    __table_args__ = (
        UniqueConstraint(
            "team_id", "kind", "name_key", "held_on", name="uq_event_team_kind_name_day"
        ),
        Index("ix_event_team_held_on", "team_id", "held_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    kind: str = Field(max_length=16)
    name: str = Field(max_length=200)
    #: The name folded for matching (case and accents): see models.keys.
    name_key: str = Field(default="", max_length=200)
    held_on: date
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    cost: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    attendees: int | None = Field(default=None)


class Lead(SQLModel, table=True):
    """A detected project handed to a sales engineer (or to the team's pool).

    The database is the truth. Every change bumps `version`; the Slack card
    (card_channel, card_ts) shows `card_version`, so a card is stale while the two differ.
    """

    __table_args__ = (
        UniqueConstraint("team_id", "number", name="uq_lead_team_number"),
        Index("ix_lead_team_created_at", "team_id", "created_at"),
        Index("ix_lead_card", "card_channel", "card_ts"),
        # The digest's "unclaimed for 4 hours" list: new leads of a team by hand-off time.
        Index("ix_lead_team_status_handed", "team_id", "status", "handed_at"),
        Index("ix_lead_team_company_key", "team_id", "company_key"),
        # An agent's leads of the day (the `/call` confirmation), read from the index alone.
        Index("ix_lead_detector_created", "detected_by_id", "created_at", "source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    number: int
    source: str = Field(max_length=16)
    event_id: int | None = Field(default=None, foreign_key="event.id")
    call_id: int | None = Field(default=None, foreign_key="call.id")
    detected_by_id: int = Field(foreign_key="member.id")
    company: str = Field(max_length=200)
    company_key: str = Field(default="", max_length=200)
    contact_name: str | None = Field(default=None, max_length=200)
    summary: str = Field(max_length=2000)
    estimated_value: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    currency: str = Field(max_length=3)
    assigned_to_id: int | None = Field(default=None, foreign_key="member.id")
    owner_id: int | None = Field(default=None, foreign_key="member.id")
    status: str = Field(default="new", max_length=16)
    reason: str | None = Field(default=None, max_length=500)
    final_value: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    handed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    qualified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    rejected_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    won_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lost_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    card_channel: str | None = Field(default=None, max_length=32)
    card_ts: str | None = Field(default=None, max_length=32)
    version: int = Field(default=1)
    card_version: int = Field(default=0)
    slack_key: str = Field(max_length=255, unique=True)


class SlackEvent(SQLModel, table=True):
    """An Events API delivery already handled, by `event_id`: a redelivery has no second effect."""

    __tablename__ = "slack_event"

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MonthlyCost(SQLModel, table=True):
    """What a lead source cost a team in one month (its own currency), e.g. the cell's salaries."""

    __tablename__ = "monthly_cost"
    __table_args__ = (
        UniqueConstraint("team_id", "month", "source", name="uq_monthly_cost_team_month_source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    month: date  # the first day of the month
    source: str = Field(max_length=16)
    amount: Decimal = Field(sa_type=Numeric(14, 2))
    currency: str = Field(max_length=3)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CostSplit(SQLModel, table=True):
    """How a team's telemarketing-cell cost of a month is shared between lead sources.

    The customer's agents share their time between phoning and organising
    seminars: `telemarketing=70 seminar=30` moves 30 % of the cell's cost to seminars.
    """

    __tablename__ = "cost_split"
    __table_args__ = (
        UniqueConstraint("team_id", "month", "source", name="uq_cost_split_team_month_source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    month: date
    source: str = Field(max_length=16)
    percent: Decimal = Field(sa_type=Numeric(5, 2))


class PostLedger(SQLModel, table=True):
    """One scheduled post (kind, team, period): sent exactly once, or visibly not.

    status: pending, sent, skipped, failed (given up, with last_error) or missed
    (never sent within its grace window). A worker holds a row while posting
    through a lease (claimed_by, claimed_until) that it renews before each Slack
    call. Progress is recorded as it happens: the ts of each message part posted
    (posted_parts, part number -> ts), the files shared in the post's thread
    (shared_files, file name -> file id), and the Slack call in flight (sending),
    so whoever takes a post over knows what is left and what to check in Slack.
    on_demand: created by `leadcell jobs run`, not by the schedule.
    """

    __tablename__ = "post_ledger"
    __table_args__ = (
        UniqueConstraint("kind", "team_id", "period", name="uq_post_ledger_kind_team_period"),
        Index("ix_post_ledger_status_next", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    team_id: int = Field(foreign_key="team.id")
    period: str = Field(max_length=16)
    status: str = Field(default="pending", max_length=16)
    due_at: datetime = Field(sa_type=UTCDateTime)
    grace_until: datetime = Field(sa_type=UTCDateTime)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    channel: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    late: bool = Field(default=False)
    on_demand: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    parts_total: int | None = Field(default=None)
    files_total: int | None = Field(default=None)
    posted_parts: dict[str, str] | None = Field(default=None, sa_type=JSON)
    shared_files: dict[str, str] | None = Field(default=None, sa_type=JSON)
    sending: str | None = Field(default=None, max_length=160)


# --- Outsourced cells: the provider's contract, complaints, audits and monthly statements -------
# (models.contracts, models.complaints, models.audits, models.statements)


class Contract(SQLModel, table=True):
    """The contract of an outsourced team with its provider; its terms live in versions.

    `audit_seed` makes each month's audit sample reproducible (models.audits).
    """

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", unique=True)
    audit_seed: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ContractVersion(SQLModel, table=True):
    """The terms in force from `effective_from` (a month's first day) to `effective_until`
    (a month's last day; None: until the next version). Shares are fractions (0.12 = 12 %)."""

    __tablename__ = "contract_version"
    __table_args__ = (
        UniqueConstraint("contract_id", "number", name="uq_contract_version_number"),
        UniqueConstraint("contract_id", "effective_from", name="uq_contract_version_from"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id")
    team_id: int = Field(foreign_key="team.id")
    number: int
    effective_from: date
    effective_until: date | None = Field(default=None)
    monthly_fee: Decimal = Field(sa_type=Numeric(14, 2))
    currency: str = Field(max_length=3)
    at_risk: Decimal = Field(sa_type=Numeric(7, 6))
    complaint_answer_days: int
    contest_days: int
    statement_day: int
    audit_calls_per_agent: int
    audit_checklist: list[str] = Field(sa_type=JSON)
    same_criterion_months: int | None = Field(default=None)
    penalty_share: Decimal | None = Field(default=None, sa_type=Numeric(7, 6))
    penalty_share_months: int | None = Field(default=None)
    #: The file the version was imported from, as it was.
    source_text: str
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ContractCriterion(SQLModel, table=True):
    """One quantitative criterion of a version: a metric, a target, and a penalty or a weight."""

    __tablename__ = "contract_criterion"
    __table_args__ = (UniqueConstraint("version_id", "key", name="uq_contract_criterion_key"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="contract_version.id")
    position: int
    key: str = Field(max_length=40)
    metric: str = Field(max_length=40)
    per_agent: bool = Field(default=False)
    comparison: str = Field(max_length=8)
    target: Decimal = Field(sa_type=Numeric(18, 6))
    penalty: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    weight: Decimal | None = Field(default=None, sa_type=Numeric(7, 6))


class Complaint(SQLModel, table=True):
    """A complaint about a lead or a call of an outsourced team, `C-0012` in its team."""

    __table_args__ = (
        UniqueConstraint("team_id", "number", name="uq_complaint_team_number"),
        Index("ix_complaint_team_lodged", "team_id", "lodged_at"),
        Index("ix_complaint_team_due", "team_id", "answer_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    number: int
    lead_id: int | None = Field(default=None, foreign_key="lead.id")
    call_id: int | None = Field(default=None, foreign_key="call.id")
    #: The agent whose lead or call it is about.
    agent_id: int = Field(foreign_key="member.id")
    category: str = Field(max_length=24)
    comment: str = Field(max_length=1000)
    status: str = Field(default="open", max_length=16)
    lodged_by_id: int | None = Field(default=None, foreign_key="member.id")
    lodged_at: datetime = Field(sa_type=UTCDateTime)
    answer_due_at: datetime = Field(sa_type=UTCDateTime)
    answer: str | None = Field(default=None, max_length=2000)
    answered_by_id: int | None = Field(default=None, foreign_key="member.id")
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    settled_by_id: int | None = Field(default=None, foreign_key="member.id")
    settled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    settlement_note: str | None = Field(default=None, max_length=1000)
    request_key: str = Field(max_length=255, unique=True)


class ComplaintEvent(SQLModel, table=True):
    """One step of a complaint's history: lodged, answered, accepted, disputed."""

    __tablename__ = "complaint_event"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    kind: str = Field(max_length=16)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    at: datetime = Field(sa_type=UTCDateTime)
    text: str | None = Field(default=None, max_length=2000)


class Audit(SQLModel, table=True):
    """A sampled call scored against its contract's checklist (one audit per call)."""

    __table_args__ = (Index("ix_audit_team_month", "team_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    call_id: int = Field(foreign_key="call.id", unique=True)
    agent_id: int = Field(foreign_key="member.id")
    month: date  # the month of the call (its first day)
    version_id: int = Field(foreign_key="contract_version.id")
    auditor_id: int | None = Field(default=None, foreign_key="member.id")
    audited_at: datetime = Field(sa_type=UTCDateTime)
    #: One yes/no per checklist item, in the checklist's order.
    answers: list[bool] = Field(sa_type=JSON)
    items_met: int
    items_total: int
    note: str | None = Field(default=None, max_length=1000)
    request_key: str = Field(max_length=255, unique=True)


class Statement(SQLModel, table=True):
    """The monthly statement of an outsourced team, stored once issued and never rewritten.

    Money is in `currency`; penalties are positive, adjustments (credits) negative.
    `summary` keeps the trend and the termination trigger's state as shown.
    """

    __table_args__ = (UniqueConstraint("team_id", "month", name="uq_statement_team_month"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    month: date
    version_id: int = Field(foreign_key="contract_version.id")
    issued_at: datetime = Field(sa_type=UTCDateTime)
    contest_until: datetime = Field(sa_type=UTCDateTime)
    currency: str = Field(max_length=3)
    monthly_fee: Decimal = Field(sa_type=Numeric(14, 2))
    cap: Decimal = Field(sa_type=Numeric(14, 2))
    penalties_before_cap: Decimal = Field(sa_type=Numeric(14, 2))
    penalties_after_cap: Decimal = Field(sa_type=Numeric(14, 2))
    adjustments: Decimal = Field(sa_type=Numeric(14, 2))
    working_days: int
    complaints_lodged: int
    complaints_late: int
    complaints_disputed: int
    audits_done: int
    audit_items_met: int
    audit_items_total: int
    summary: dict[str, object] = Field(sa_type=JSON)


class StatementLine(SQLModel, table=True):
    """A line of a statement: a criterion judged, or an adjustment after a contest."""

    __tablename__ = "statement_line"
    __table_args__ = (UniqueConstraint("statement_id", "position", name="uq_statement_line"),)

    id: int | None = Field(default=None, primary_key=True)
    statement_id: int = Field(foreign_key="statement.id")
    position: int
    kind: str = Field(max_length=16)
    criterion_key: str = Field(max_length=40)
    metric: str | None = Field(default=None, max_length=40)
    per_agent: bool = Field(default=False)
    comparison: str | None = Field(default=None, max_length=8)
    target: Decimal | None = Field(default=None, sa_type=Numeric(18, 6))
    measured: Decimal | None = Field(default=None, sa_type=Numeric(18, 6))
    state: str = Field(max_length=16)
    breaches: int = Field(default=0)
    penalty: Decimal = Field(sa_type=Numeric(14, 2))
    #: An adjustment's contested line.
    refers_to_id: int | None = Field(default=None, foreign_key="statement_line.id")
    #: Per-agent values of a per-agent criterion.
    details: list[dict[str, object]] | None = Field(default=None, sa_type=JSON)


class Contest(SQLModel, table=True):
    """The provider contesting a statement line; a manager upholds the line or withdraws it."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    line_id: int = Field(foreign_key="statement_line.id", unique=True)
    reason: str = Field(max_length=1000)
    status: str = Field(default="open", max_length=16)
    lodged_by_id: int | None = Field(default=None, foreign_key="member.id")
    lodged_at: datetime = Field(sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="member.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_note: str | None = Field(default=None, max_length=1000)
    #: The adjustment line that carried a withdrawn line's credit.
    adjusted_by_id: int | None = Field(default=None, foreign_key="statement_line.id")
    request_key: str = Field(max_length=255, unique=True)
