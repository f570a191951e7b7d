"""The grouped SQL queries behind the daily digest and the monthly report.

Every figure is aggregated by the database over an indexed range: calls by
(team_id, called_at), leads by (team_id, created_at). Python only assembles
the grouped rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, and_, case, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from models.leads import Source, Status
from models.outcomes import USEFUL_OUTCOMES
from models.tables import Call, Lead, Member

#: Statuses that count a lead as qualified even without a qualified_at timestamp.
QUALIFIED_STATUSES = (Status.QUALIFIED.value, Status.WON.value)


@dataclass(frozen=True)
class CallFigures:
    """One agent's calls over a period (undone calls excluded)."""

    dials: int
    useful_contacts: int
    average_useful_seconds: int | None


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
    holder_name: str | None
    holder_slack_id: str | None


@dataclass(frozen=True)
class LeadCounts:
    """Leads of a source over a period, and how many of them are qualified."""

    leads: int = 0
    qualified: int = 0

    def __add__(self, other: LeadCounts) -> LeadCounts:
        return LeadCounts(self.leads + other.leads, self.qualified + other.qualified)


def _seconds(value: object) -> int | None:
    if value is None:
        return None
    return int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))


def calls_by_agent(
    session: Session, *, team_id: int, start: datetime, end: datetime
) -> dict[int, CallFigures]:
    """Per agent id: dials, useful contacts and mean useful-call duration, in one query."""
    useful = col(Call.outcome).in_([o.value for o in USEFUL_OUTCOMES])
    rows = session.exec(
        select(
            Call.agent_id,
            func.count(),
            func.coalesce(func.sum(case((useful, 1), else_=0)), 0),
            func.avg(case((useful, Call.duration_seconds), else_=None)),
        )
        .where(
            Call.team_id == team_id,
            col(Call.called_at) >= start,
            col(Call.called_at) < end,
            col(Call.undone_at).is_(None),
        )
        .group_by(Call.agent_id)
    ).all()
    return {
        agent_id: CallFigures(int(dials), int(contacts), _seconds(average))
        for agent_id, dials, contacts, average in rows
    }


def leads_by_detector(
    session: Session, *, team_id: int, start: datetime, end: datetime
) -> dict[int, int]:
    """Per member id: leads created in the period that they detected (any source)."""
    rows = session.exec(
        select(Lead.detected_by_id, func.count())
        .where(Lead.team_id == team_id, col(Lead.created_at) >= start, col(Lead.created_at) < end)
        .group_by(Lead.detected_by_id)
    ).all()
    return {member_id: int(count) for member_id, count in rows}


def digest_members(session: Session, *, team_id: int, also: set[int]) -> list[Member]:
    """The team's active agents, plus the members with ids in `also`, by name."""
    condition = and_(col(Member.team_id) == team_id, col(Member.is_agent), col(Member.active))
    if also:
        condition = or_(condition, col(Member.id).in_(sorted(also)))
    return list(session.exec(select(Member).where(condition).order_by(Member.name, Member.id)))


def _lead_rows() -> Select[tuple[object, ...]]:
    holder = aliased(Member)
    detector = aliased(Member)
    holder_id = func.coalesce(col(Lead.owner_id), col(Lead.assigned_to_id))
    return (
        select(
            Lead.number,
            Lead.company,
            Lead.source,
            Lead.status,
            Lead.created_at,
            Lead.handed_at,
            detector.name,
            holder.name,
            holder.slack_user_id,
        )
        .join(detector, col(detector.id) == col(Lead.detected_by_id))
        .outerjoin(holder, col(holder.id) == holder_id)
    )


def _as_rows(rows: object) -> list[LeadRow]:
    return [LeadRow(*row) for row in rows]  # type: ignore[attr-defined]


def leads_created(
    session: Session, *, team_id: int, start: datetime, end: datetime
) -> list[LeadRow]:
    """Leads created in the period, by number."""
    query = _lead_rows().where(
        Lead.team_id == team_id, col(Lead.created_at) >= start, col(Lead.created_at) < end
    )
    return _as_rows(session.exec(query.order_by(Lead.number)).all())  # type: ignore[call-overload]


def unclaimed_leads(
    session: Session, *, team_id: int, handed_before: datetime, limit: int
) -> tuple[list[LeadRow], int]:
    """Up to `limit` leads still new that were handed at or before a moment (oldest first),
    and how many there are in all."""
    conditions = (
        Lead.team_id == team_id,
        Lead.status == Status.NEW.value,
        col(Lead.handed_at) <= handed_before,
    )
    total = session.exec(select(func.count()).select_from(Lead).where(*conditions)).one()
    query = _lead_rows().where(*conditions).order_by(Lead.handed_at, Lead.number).limit(limit)
    return _as_rows(session.exec(query).all()), int(total)  # type: ignore[call-overload]


def lead_counts_by_month(
    session: Session, *, team_id: int, bounds: list[datetime]
) -> dict[tuple[int, Source], LeadCounts]:
    """Per (month index, source): leads created and qualified, months cut at `bounds`.

    `bounds` are the n + 1 UTC instants that start and end n consecutive team-local
    months. A lead is qualified when it has a qualified_at or is qualified or won.
    """
    if len(bounds) < 2:
        return {}
    qualified = or_(col(Lead.qualified_at).is_not(None), col(Lead.status).in_(QUALIFIED_STATUSES))
    # A subquery, because PostgreSQL's server-side binding does not match a CASE over
    # parameters in SELECT with the same CASE in GROUP BY.
    inner = (
        select(
            case(*[(col(Lead.created_at) < b, i) for i, b in enumerate(bounds[1:])],
                 else_=-1).label("bucket"),
            col(Lead.source).label("source"),
            case((qualified, 1), else_=0).label("qualified"),
        )
        .where(
            Lead.team_id == team_id,
            col(Lead.created_at) >= bounds[0],
            col(Lead.created_at) < bounds[-1],
        )
        .subquery()
    )
    rows = session.exec(
        select(inner.c.bucket, inner.c.source, func.count(), func.sum(inner.c.qualified))
        .group_by(inner.c.bucket, inner.c.source)
    ).all()
    counts: dict[tuple[int, Source], LeadCounts] = {}
    for bucket, source, leads, qualified_count in rows:
        try:
            kind = Source(source)
        except ValueError:
            kind = Source.OTHER
        key = (int(bucket), kind)
        counts[key] = counts.get(key, LeadCounts()) + LeadCounts(int(leads),
                                                                 int(qualified_count or 0))
    return counts

