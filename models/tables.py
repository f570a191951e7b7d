"""SQLModel tables. Every timestamp is UTC (see `UTCDateTime`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

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
    #: Seminars: ISO country for phone numbers and holidays (None: the time zone's country).
    country: str | None = Field(default=None, max_length=2)
    #: Seminars: a lead counts for an event its company attended up to this many days before.
    attribution_days: int = Field(default=90)
    #: Personal data of calls and attendee lists is cleared after this many months.
    retention_months: int = Field(default=36)
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
    #: Personal data: when the contact, phone and note were erased on request.
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


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
    #: Seminars: the agent chose the source (`source=`), so no event is attributed to it.
    source_chosen: bool = Field(default=False)
    #: Personal data: when the contact (and the texts naming them) were erased on request.
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SlackEvent(SQLModel, table=True):
    """An Events API delivery already handled, by `event_id`: a redelivery has no second effect.

    The row is written in the same transaction as the change the event caused (see
    models.deliveries), so an event whose effect was not stored is applied when redelivered.
    """

    __tablename__ = "slack_event"

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Outbox(SQLModel, table=True):
    """A message leadcell owes Slack: a lead card, a reply in its thread, or a direct message.

    Written in the same transaction as the change it announces; `facts` says what
    to say (ids, amounts, reasons), never rendered text. One row per lead holds its
    card (`card:<lead id>`), re-armed with the lead `version` it must show at least;
    each thread reply and direct message has its own row. status: pending, sent or
    failed (a definitive Slack error, in `last_error`). A process delivers a row
    under a short lease (claimed_by, claimed_until). See models.outbox.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("key", name="uq_outbox_key"),
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        Index("ix_outbox_lead_kind", "lead_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    team_id: int = Field(foreign_key="team.id")
    lead_id: int | None = Field(default=None, foreign_key="lead.id")
    version: int = Field(default=0)
    facts: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default="pending", max_length=16)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    channel: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


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


# --- seminars: attendee lists, the follow-up queue, do-not-call, seminar time, erasures -------


class EventCompany(SQLModel, table=True):
    """A company on an event's attendee list, once per event however many rows name it."""

    __tablename__ = "event_company"
    __table_args__ = (
        UniqueConstraint("event_id", "company_key", name="uq_event_company_event_key"),
        Index("ix_event_company_team_key", "team_id", "company_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    event_id: int = Field(foreign_key="event.id")
    company: str = Field(max_length=200)
    #: The company folded for matching (case and accents): see models.keys.
    company_key: str = Field(max_length=200)
    #: Someone from the company attended (not only registered).
    attended: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Attendee(SQLModel, table=True):
    """A person on an event's attendee list, registered or attended.

    `identity` merges a person listed twice (their email, else their company and
    name keys). Erasure and retention clear the personal fields and keep the row,
    so the event's counts stay.
    """

    __table_args__ = (
        UniqueConstraint("event_id", "identity", name="uq_attendee_event_identity"),
        Index("ix_attendee_company", "event_company_id"),
        Index("ix_attendee_team_phone", "team_id", "phone"),
        Index("ix_attendee_team_email", "team_id", "email_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    event_id: int = Field(foreign_key="event.id")
    event_company_id: int = Field(foreign_key="event_company.id")
    identity: str = Field(max_length=420)
    person: str | None = Field(default=None, max_length=200)
    person_key: str = Field(default="", max_length=200)
    title: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254)
    email_key: str | None = Field(default=None, max_length=254)
    #: E.164 (`+33123456789`).
    phone: str | None = Field(default=None, max_length=16)
    attended: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: When the personal fields were erased on request or cleared after the retention period.
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Followup(SQLModel, table=True):
    """A company of a team's attendee lists waiting to be called: one row per company.

    An agent takes it under a lease (leased_by_id until leased_until); a logged
    call with the company closes it (status `done`); a callback puts it back
    (`not_before`). A later event the company comes to opens it again.
    """

    __table_args__ = (
        UniqueConstraint("team_id", "company_key", name="uq_followup_team_company"),
        Index("ix_followup_queue", "team_id", "status", "attended", "not_before"),
        Index("ix_followup_holder", "leased_by_id", "leased_until"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    company: str = Field(max_length=200)
    company_key: str = Field(max_length=200)
    #: The latest event that put the company in the queue.
    event_id: int = Field(foreign_key="event.id")
    event_held_on: date
    attended: bool = Field(default=False)
    status: str = Field(default="open", max_length=8)
    opened_at: datetime = Field(sa_type=UTCDateTime)
    not_before: datetime = Field(sa_type=UTCDateTime)
    leased_by_id: int | None = Field(default=None, foreign_key="member.id")
    leased_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    times_taken: int = Field(default=0)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by_call_id: int | None = Field(default=None, foreign_key="call.id")
    closed_by_id: int | None = Field(default=None, foreign_key="member.id")


class DoNotCall(SQLModel, table=True):
    """A company, person, email or phone number of a team that must not be called.

    `key` is the matching form: a folded name (models.keys), a lower-case email or
    an E.164 number. A person may be limited to one company (`company_key`).
    """

    __tablename__ = "do_not_call"
    __table_args__ = (
        UniqueConstraint("team_id", "kind", "key", "company_key", name="uq_do_not_call"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    kind: str = Field(max_length=8)
    key: str = Field(max_length=254)
    company_key: str = Field(default="", max_length=200)
    company: str | None = Field(default=None, max_length=200)
    #: What was typed (a name, a number as written).
    label: str = Field(max_length=254)
    reason: str | None = Field(default=None, max_length=500)
    #: Where it came from: `member` (typed by someone) or the name of an imported list.
    origin: str = Field(default="member", max_length=64)
    added_by_id: int | None = Field(default=None, foreign_key="member.id")
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EventTime(SQLModel, table=True):
    """Time a member spent on an event (organising a seminar), on one day."""

    __tablename__ = "event_time"
    __table_args__ = (Index("ix_event_time_team_day", "team_id", "worked_on"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    event_id: int = Field(foreign_key="event.id")
    member_id: int = Field(foreign_key="member.id")
    worked_on: date
    seconds: int
    slack_key: str = Field(max_length=255, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Erasure(SQLModel, table=True):
    """A record that personal data was erased on request: when, by whom, how much.

    It names neither the person nor what was searched: only what kind of search
    it was and how many items it cleared.
    """

    id: int | None = Field(default=None, primary_key=True)
    erased_at: datetime = Field(sa_type=UTCDateTime)
    requested_by: str = Field(max_length=64)
    searched_by: str = Field(max_length=8)
    calls: int = Field(default=0)
    leads: int = Field(default=0)
    attendees: int = Field(default=0)


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
