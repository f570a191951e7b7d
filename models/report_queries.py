"""The grouped SQL queries behind the daily digest and the monthly report.

Every figure is aggregated by the database over an indexed range: calls by
(team_id, called_at), leads by (team_id, created_at). Python only assembles
the grouped rows. What counts as a dial, a useful contact and an agent's lead is
models.activity's definition, used here as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, bindparam, case, column, func, not_, or_, values
from sqlmodel import Session, select

from models.activity import AGENT_LEAD, DIAL, USEFUL
from models.db import UTCDateTime
from models.leads import Source, Status
from models.tables import Call, Lead, Member, Team

#: Statuses that count a lead as qualified even without a qualified_at timestamp.
QUALIFIED_STATUSES = (Status.QUALIFIED.value, Status.WON.value)


@dataclass(frozen=True)
class CallFigures:
    """One agent's dials over a period: how many, how many useful, and the useful ones' length."""

    dials: int
    useful_contacts: int
    useful_seconds: int


@dataclass(frozen=True)
class LeadRow:
    """A lead as digests list it."""

    number: int
    company: str
    source: str
    status: str
    created_at: datetime
    handed_at: datetime
    detected_by: str
    holder_id: int | None
    holder_name: str | None
    holder_slack_id: str | None


@dataclass(frozen=True)
class LeadCounts:
    """Leads of a source over a period, and how many of them are qualified."""

    leads: int = 0
    qualified: int = 0

    def __add__(self, other: LeadCounts) -> LeadCounts:
        return LeadCounts(self.leads + other.leads, self.qualified + other.qualified)


@dataclass(frozen=True)
class TeamRow:
    """A team as reports need it."""

    id: int
    slug: str
    name: str
    timezone: str
    currency: str
    language: str
    daily_contact_target: int


def source_of(value: str) -> Source:
    """The Source of a stored value (anything unknown counts as `other`)."""
    try:
        return Source(value)
    except ValueError:
        return Source.OTHER


# The digest's statements are built once, as Core statements with bound parameters:
# building ORM queries per call cost several times what the database takes to run them.
_CALLS, _LEADS, _MEMBERS, _TEAMS = (model.__table__ for model in (Call, Lead, Member, Team))  # type: ignore[attr-defined]
_TEAM_COLUMNS = (
    _TEAMS.c.id,
    _TEAMS.c.slug,
    _TEAMS.c.name,
    _TEAMS.c.timezone,
    _TEAMS.c.currency,
    _TEAMS.c.language,
    _TEAMS.c.daily_contact_target,
)
_TEAM_BY_ID = select(*_TEAM_COLUMNS).where(_TEAMS.c.id == bindparam("team_id"))
_TEAM_BY_SLUG = select(*_TEAM_COLUMNS).where(_TEAMS.c.slug == bindparam("slug"))
_TEAM_SLUGS = select(_TEAMS.c.slug).order_by(_TEAMS.c.slug)
_CALLS_BY_AGENT = (
    select(
        _CALLS.c.agent_id,
        func.count(),
        func.coalesce(func.sum(case((USEFUL, 1), else_=0)), 0),
        func.coalesce(func.sum(case((USEFUL, _CALLS.c.duration_seconds), else_=0)), 0),
    )
    .where(
        _CALLS.c.team_id == bindparam("team_id"),
        _CALLS.c.called_at >= bindparam("start"),
        _CALLS.c.called_at < bindparam("end"),
        DIAL,
    )
    .group_by(_CALLS.c.agent_id)
)
_LEADS_OF_DAY = (
    _LEADS.c.team_id == bindparam("team_id"),
    _LEADS.c.created_at >= bindparam("start"),
    _LEADS.c.created_at < bindparam("end"),
)
_AGENT_LEADS_BY_DETECTOR = (
    select(_LEADS.c.detected_by_id, func.count())
    .where(*_LEADS_OF_DAY, AGENT_LEAD)
    .group_by(_LEADS.c.detected_by_id)
)
_OTHER_LEADS_BY_SOURCE = (
    select(_LEADS.c.source, func.count())
    .where(*_LEADS_OF_DAY, not_(AGENT_LEAD))
    .group_by(_LEADS.c.source)
)
_DIGEST_MEMBERS = (
    select(_MEMBERS.c.id, _MEMBERS.c.slack_user_id, _MEMBERS.c.name)
    .where(
        or_(
            and_(
                _MEMBERS.c.team_id == bindparam("team_id"),
                _MEMBERS.c.is_agent,
                _MEMBERS.c.active,
            ),
            _MEMBERS.c.id.in_(bindparam("also", expanding=True)),
        )
    )
    .order_by(_MEMBERS.c.name, _MEMBERS.c.id)
)
_HOLDER, _DETECTOR = _MEMBERS.alias("holder"), _MEMBERS.alias("detector")
_LEAD_ROWS = (
    select(
        _LEADS.c.number,
        _LEADS.c.company,
        _LEADS.c.source,
        _LEADS.c.status,
        _LEADS.c.created_at,
        _LEADS.c.handed_at,
        _DETECTOR.c.name,
        _HOLDER.c.id,
        _HOLDER.c.name,
        _HOLDER.c.slack_user_id,
    )
    .join_from(_LEADS, _DETECTOR, _DETECTOR.c.id == _LEADS.c.detected_by_id)
    .outerjoin(_HOLDER, _HOLDER.c.id == func.coalesce(_LEADS.c.owner_id, _LEADS.c.assigned_to_id))
)
_LEADS_CREATED = _LEAD_ROWS.where(*_LEADS_OF_DAY).order_by(_LEADS.c.number)
_UNCLAIMED = (
    _LEADS.c.team_id == bindparam("team_id"),
    _LEADS.c.status == Status.NEW.value,
    _LEADS.c.handed_at <= bindparam("handed_before"),
)
_UNCLAIMED_COUNT = select(func.count()).select_from(_LEADS).where(*_UNCLAIMED)
_UNCLAIMED_ROWS = (
    _LEAD_ROWS.where(*_UNCLAIMED)
    .order_by(_LEADS.c.handed_at, _LEADS.c.number)
    .limit(bindparam("limit"))
)


@dataclass(frozen=True)
class DigestMember:
    """A member a digest has a row for."""

    id: int
    slack_user_id: str
    name: str


def team_row(session: Session, *, team_id: int) -> TeamRow | None:
    """The team with this id, or None."""
    row = session.connection().execute(_TEAM_BY_ID, {"team_id": team_id}).first()
    return None if row is None else TeamRow(*row)


def team_by_slug(session: Session, *, slug: str) -> TeamRow | None:
    """The team with this slug, or None."""
    row = session.connection().execute(_TEAM_BY_SLUG, {"slug": slug}).first()
    return None if row is None else TeamRow(*row)


def team_slugs(session: Session) -> list[str]:
    """Every team's slug, in order."""
    return [slug for (slug,) in session.connection().execute(_TEAM_SLUGS)]


def calls_by_agent(
    session: Session, *, team_id: int, start: datetime, end: datetime
) -> dict[int, CallFigures]:
    """Per agent id: dials, useful contacts and the useful contacts' total length, in one query."""
    rows = session.connection().execute(
        _CALLS_BY_AGENT, {"team_id": team_id, "start": start, "end": end}
    )
    return {
        agent_id: CallFigures(int(dials), int(contacts), int(seconds))
        for agent_id, dials, contacts, seconds in rows
    }


def agent_leads_by_detector(
    session: Session, *, team_id: int, start: datetime, end: datetime
) -> dict[int, int]:
    """Per member id: the agent's leads (models.activity.AGENT_LEAD) created in the period."""
    rows = session.connection().execute(
        _AGENT_LEADS_BY_DETECTOR, {"team_id": team_id, "start": start, "end": end}
    )
    return {member_id: int(count) for member_id, count in rows}


def other_leads_by_source(
    session: Session, *, team_id: int, start: datetime, end: datetime
) -> dict[Source, int]:
    """Per source: the leads created in the period that count for no agent (seminars, …)."""
    rows = session.connection().execute(
        _OTHER_LEADS_BY_SOURCE, {"team_id": team_id, "start": start, "end": end}
    )
    counts: dict[Source, int] = {}
    for source, count in rows:
        counts[source_of(source)] = counts.get(source_of(source), 0) + int(count)
    return counts


def digest_members(session: Session, *, team_id: int, also: set[int]) -> list[DigestMember]:
    """The team's active agents, plus the members with ids in `also`, by name."""
    rows = session.connection().execute(_DIGEST_MEMBERS, {"team_id": team_id, "also": sorted(also)})
    return [DigestMember(*row) for row in rows]


def _as_rows(rows: object) -> list[LeadRow]:
    return [LeadRow(*row) for row in rows]  # type: ignore[attr-defined]


def leads_created(
    session: Session, *, team_id: int, start: datetime, end: datetime
) -> list[LeadRow]:
    """Leads created in the period, by number."""
    rows = session.connection().execute(
        _LEADS_CREATED, {"team_id": team_id, "start": start, "end": end}
    )
    return _as_rows(rows)


def unclaimed_leads(
    session: Session, *, team_id: int, handed_before: datetime, limit: int
) -> tuple[list[LeadRow], int]:
    """Up to `limit` leads still new that were handed at or before a moment (oldest first),
    and how many there are in all."""
    params = {"team_id": team_id, "handed_before": handed_before, "limit": limit}
    connection = session.connection()
    total = connection.execute(_UNCLAIMED_COUNT, params).scalar_one()
    return _as_rows(connection.execute(_UNCLAIMED_ROWS, params)), int(total)


def _qualified(lead: Any) -> Any:
    """1 for a qualified lead, else 0 (see lead_counts_by_month)."""
    good = or_(lead.qualified_at.is_not(None), lead.status.in_(QUALIFIED_STATUSES))
    return case((good, 1), else_=0)


def _counts_over_values(team_id: int, bounds: list[datetime]) -> Any:
    """SQLite: the months as a VALUES list joined to the leads, so each month is one range
    of the (team_id, created_at) index (a CASE over the month starts costs a chain of
    comparisons per lead: measured twice as slow there)."""
    months = (
        values(
            column("i", Integer()),
            column("since", UTCDateTime()),
            column("until", UTCDateTime()),
            name="month",
        )
        .data([(i, bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)])
        .cte("month")
    )
    lead = _LEADS.c
    in_month = and_(lead.team_id == team_id, lead.created_at >= months.c.since)
    return (
        select(months.c.i, lead.source, func.count(), func.sum(_qualified(lead)))
        .select_from(months.join(_LEADS, and_(in_month, lead.created_at < months.c.until)))
        .group_by(months.c.i, lead.source)
    )


def _counts_over_case(team_id: int, bounds: list[datetime]) -> Any:
    """PostgreSQL: one index range over all the months and a CASE over the month starts
    (its planner runs the VALUES join above without the index: measured 5x slower).
    A subquery, because PostgreSQL's server-side binding does not match a CASE over
    parameters in SELECT with the same CASE in GROUP BY."""
    lead = _LEADS.c
    inner = (
        select(
            case(*[(lead.created_at < b, i) for i, b in enumerate(bounds[1:])], else_=-1).label(
                "i"
            ),
            lead.source.label("source"),
            _qualified(lead).label("qualified"),
        )
        .where(lead.team_id == team_id, lead.created_at >= bounds[0], lead.created_at < bounds[-1])
        .subquery()
    )
    return select(inner.c.i, inner.c.source, func.count(), func.sum(inner.c.qualified)).group_by(
        inner.c.i, inner.c.source
    )


def lead_counts_by_month(
    session: Session, *, team_id: int, bounds: list[datetime]
) -> dict[tuple[int, Source], LeadCounts]:
    """Per (month index, source): leads created and qualified, months cut at `bounds`.

    `bounds` are the n + 1 UTC instants that start and end n consecutive team-local
    months. A lead is qualified when it has a qualified_at (it reached qualified and
    was not released since) or is qualified or won. Each database gets the statement
    its planner runs best; both give the same rows (tested on both).
    """
    if len(bounds) < 2:
        return {}
    connection = session.connection()
    build = _counts_over_values if connection.dialect.name == "sqlite" else _counts_over_case
    counts: dict[tuple[int, Source], LeadCounts] = {}
    for month, source, found, good in connection.execute(build(team_id, bounds)):
        key = (int(month), source_of(source))
        counts[key] = counts.get(key, LeadCounts()) + LeadCounts(int(found), int(good or 0))
    return counts
