"""The daily digest of a team: what each person did on a team-local day, as frozen data.

Computed from grouped SQL queries (models.report_queries) in the team's own time
zone; rendered by bot.reports.digest_view; scheduled and posted by the worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models.cost_queries import HUNDRED, team_by_id
from models.periods import day_bounds
from models.report_queries import (
    LeadRow,
    calls_by_agent,
    digest_members,
    leads_by_detector,
    leads_created,
    unclaimed_leads,
)
from models.roster import timezone_of
from models.tables import Team

#: A new lead nobody claimed for this long is listed as waiting in the digest.
UNCLAIMED_AFTER = timedelta(hours=4)
#: The digest lists at most this many waiting leads (the oldest), and counts them all.
UNCLAIMED_LIMIT = 100


@dataclass(frozen=True)
class TeamInfo:
    """What a digest or report says about its team."""

    id: int
    slug: str
    name: str
    timezone: str
    currency: str
    daily_contact_target: int

    @classmethod
    def of(cls, team: Team) -> TeamInfo:
        return cls(
            team.id or 0,
            team.slug,
            team.name,
            team.timezone,
            team.currency,
            team.daily_contact_target,
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def local_date(team: Team | TeamInfo, moment: datetime) -> date:
    """The team-local calendar day of an aware moment."""
    zone = timezone_of(team) if isinstance(team, Team) else team.zone
    return moment.astimezone(zone).date()


# --- the daily digest --------------------------------------------------------------------------


@dataclass(frozen=True)
class AgentDay:
    """One person's day: calls not undone, useful contacts, leads detected."""

    member_id: int
    slack_user_id: str
    name: str
    dials: int
    useful_contacts: int
    leads: int
    average_useful_seconds: int | None

    @property
    def lead_rate(self) -> Decimal | None:
        """Leads per useful contact (0.1 = one in ten); None without a useful contact."""
        if not self.useful_contacts:
            return None
        return Decimal(self.leads) / Decimal(self.useful_contacts)


@dataclass(frozen=True)
class DigestLead:
    """A lead as the digest lists it. `holder` is its owner, else its assignee (None: pool)."""

    reference: str
    company: str
    source: str
    status: str
    created_at: datetime
    handed_at: datetime
    detected_by: str
    holder: str | None
    holder_slack_id: str | None

    @classmethod
    def of(cls, row: LeadRow) -> DigestLead:
        return cls(
            f"L-{row.number:04d}",
            row.company,
            row.source,
            row.status,
            row.created_at,
            row.handed_at,
            row.detected_by,
            row.holder_name,
            row.holder_slack_id,
        )


@dataclass(frozen=True)
class DailyDigest:
    """A team's day. `unclaimed` holds the oldest UNCLAIMED_LIMIT of `unclaimed_count`."""

    team: TeamInfo
    day: date
    now: datetime
    agents: tuple[AgentDay, ...]
    leads: tuple[DigestLead, ...]
    unclaimed: tuple[DigestLead, ...]
    unclaimed_count: int

    @property
    def period(self) -> str:
        """The ledger period of this digest: `2026-11-27`."""
        return self.day.isoformat()

    @property
    def dials(self) -> int:
        return sum(a.dials for a in self.agents)

    @property
    def useful_contacts(self) -> int:
        return sum(a.useful_contacts for a in self.agents)

    @property
    def lead_count(self) -> int:
        return sum(a.leads for a in self.agents)

    @property
    def target_percent(self) -> int | None:
        """Useful contacts as a whole percent of the daily target (None without a target)."""
        target = self.team.daily_contact_target
        if target <= 0:
            return None
        percent = Decimal(self.useful_contacts) * HUNDRED / Decimal(target)
        return int(percent.quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def is_empty(self) -> bool:
        """Nothing happened: no call (not undone) and no lead that day."""
        return self.dials == 0 and self.lead_count == 0


def daily_digest(session: Session, *, team_id: int, day: date, now: datetime) -> DailyDigest:
    """Team `team_id`'s team-local `day`; leads unclaimed for 4 hours are judged as of `now`."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    team = team_by_id(session, team_id)
    start, end = day_bounds(timezone_of(team), day)
    calls = calls_by_agent(session, team_id=team_id, start=start, end=end)
    leads = leads_by_detector(session, team_id=team_id, start=start, end=end)
    members = digest_members(session, team_id=team_id, also=set(calls) | set(leads))
    agents = []
    for member in members:
        figures = calls.get(member.id or 0)
        agents.append(
            AgentDay(
                member_id=member.id or 0,
                slack_user_id=member.slack_user_id,
                name=member.name,
                dials=figures.dials if figures else 0,
                useful_contacts=figures.useful_contacts if figures else 0,
                leads=leads.get(member.id or 0, 0),
                average_useful_seconds=figures.average_useful_seconds if figures else None,
            )
        )
    handed = leads_created(session, team_id=team_id, start=start, end=end)
    waiting, waiting_count = unclaimed_leads(
        session, team_id=team_id, handed_before=now - UNCLAIMED_AFTER, limit=UNCLAIMED_LIMIT
    )
    return DailyDigest(
        team=TeamInfo.of(team),
        day=day,
        now=now,
        agents=tuple(agents),
        leads=tuple(DigestLead.of(row) for row in handed),
        unclaimed=tuple(DigestLead.of(row) for row in waiting),
        unclaimed_count=waiting_count,
    )
