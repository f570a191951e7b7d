"""The daily digest of a team: what each person did on a team-local day, as frozen facts.

Computed from grouped SQL queries (models.report_queries) in the team's own time
zone, with models.activity's definition of dials, useful contacts and an agent's
leads. Figures derived from counts (lead rates, averages, the share of the
target) are kept exact; they are rounded once, where they are shown
(bot.views.digest). The worker schedules and posts the digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models.activity import lead_rate
from models.actors import Actor, Person, TeamFacts
from models.leads import Source, Status
from models.periods import day_bounds, local_day
from models.policy import Action, require
from models.report_queries import (
    LeadRow,
    agent_leads_by_detector,
    calls_by_agent,
    digest_members,
    leads_created,
    other_leads_by_source,
    source_of,
    unclaimed_leads,
)
from models.reports import report_team

#: A new lead nobody claimed for this long is listed as waiting in the digest.
UNCLAIMED_AFTER = timedelta(hours=4)
#: The digest lists at most this many waiting leads (the oldest), and counts them all.
UNCLAIMED_LIMIT = 100


@dataclass(frozen=True)
class AgentDay:
    """One person's day: dials, useful contacts, and their leads (see models.activity)."""

    person: Person
    dials: int
    useful_contacts: int
    leads: int
    useful_seconds: int

    @property
    def lead_rate(self) -> Decimal | None:
        """Leads per useful contact, exact (0.1: one in ten); None without a useful contact."""
        return lead_rate(self.leads, self.useful_contacts)

    @property
    def average_useful_seconds(self) -> Decimal | None:
        """The mean length of a useful contact in seconds, exact; None without one."""
        if not self.useful_contacts:
            return None
        return Decimal(self.useful_seconds) / Decimal(self.useful_contacts)


@dataclass(frozen=True)
class SourceLeads:
    """How many leads of one source were handed (the digest's line for non-agent leads)."""

    source: Source
    leads: int


@dataclass(frozen=True)
class DigestLead:
    """A lead as the digest lists it. `holder` is its owner, else its assignee (None: pool)."""

    number: int
    company: str
    source: Source
    status: Status
    created_at: datetime
    handed_at: datetime
    detected_by: str
    holder: Person | None

    @classmethod
    def of(cls, row: LeadRow) -> DigestLead:
        holder = None
        if row.holder_id is not None:
            holder = Person(row.holder_id, row.holder_slack_id or "", row.holder_name or "")
        try:
            status = Status(row.status)
        except ValueError:
            status = Status.NEW
        return cls(
            row.number,
            row.company,
            source_of(row.source),
            status,
            row.created_at,
            row.handed_at,
            row.detected_by,
            holder,
        )


@dataclass(frozen=True)
class DailyDigest:
    """A team's day. `unclaimed` holds the oldest UNCLAIMED_LIMIT of `unclaimed_count`.

    `agents` count each agent's own leads (telemarketing); `other_leads` are the
    day's leads from seminars, trade shows and other sources, by source.
    """

    team: TeamFacts
    day: date
    now: datetime
    agents: tuple[AgentDay, ...]
    other_leads: tuple[SourceLeads, ...]
    leads: tuple[DigestLead, ...]
    unclaimed: tuple[DigestLead, ...]
    unclaimed_count: int

    @property
    def period(self) -> str:
        """The ledger period of this digest: `2026-11-27`."""
        return self.day.isoformat()

    @property
    def is_today(self) -> bool:
        """True when `now` falls on the digest's day in the team's time zone."""
        return local_day(ZoneInfo(self.team.timezone), self.now) == self.day

    @property
    def dials(self) -> int:
        return sum(a.dials for a in self.agents)

    @property
    def useful_contacts(self) -> int:
        return sum(a.useful_contacts for a in self.agents)

    @property
    def useful_seconds(self) -> int:
        return sum(a.useful_seconds for a in self.agents)

    @property
    def average_useful_seconds(self) -> Decimal | None:
        """The mean length of the team's useful contacts in seconds, exact; None without one."""
        if not self.useful_contacts:
            return None
        return Decimal(self.useful_seconds) / Decimal(self.useful_contacts)

    @property
    def agent_leads(self) -> int:
        """The agents' leads (telemarketing), the figure of the team's lead rate."""
        return sum(a.leads for a in self.agents)

    @property
    def other_lead_count(self) -> int:
        """Leads from seminars, trade shows and other sources."""
        return sum(s.leads for s in self.other_leads)

    @property
    def lead_rate(self) -> Decimal | None:
        """The team's leads per useful contact, exact."""
        return lead_rate(self.agent_leads, self.useful_contacts)

    @property
    def target_share(self) -> Decimal | None:
        """Useful contacts against the daily target, exact (0.9: 90 %); None without a target."""
        target = self.team.daily_contact_target
        if target <= 0:
            return None
        return Decimal(self.useful_contacts) / Decimal(target)

    @property
    def is_empty(self) -> bool:
        """Nothing happened: no call (not undone) and no lead that day."""
        return self.dials == 0 and self.agent_leads == 0 and self.other_lead_count == 0


def daily_digest(
    session: Session, *, actor: Actor, team_id: int, day: date, now: datetime
) -> DailyDigest:
    """Team `team_id`'s team-local `day`; leads unclaimed for 4 hours are judged as of `now`."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    require(actor, Action.ACTIVITY_READ, team_id=team_id)
    team = report_team(session, team_id)
    start, end = day_bounds(ZoneInfo(team.timezone), day)
    calls = calls_by_agent(session, team_id=team_id, start=start, end=end)
    leads = agent_leads_by_detector(session, team_id=team_id, start=start, end=end)
    others = other_leads_by_source(session, team_id=team_id, start=start, end=end)
    members = digest_members(session, team_id=team_id, also=set(calls) | set(leads))
    agents = []
    for member in members:
        figures = calls.get(member.id)
        agents.append(
            AgentDay(
                person=Person(member.id, member.slack_user_id, member.name),
                dials=figures.dials if figures else 0,
                useful_contacts=figures.useful_contacts if figures else 0,
                leads=leads.get(member.id, 0),
                useful_seconds=figures.useful_seconds if figures else 0,
            )
        )
    handed = leads_created(session, team_id=team_id, start=start, end=end)
    waiting, waiting_count = unclaimed_leads(
        session, team_id=team_id, handed_before=now - UNCLAIMED_AFTER, limit=UNCLAIMED_LIMIT
    )
    return DailyDigest(
        team=team,
        day=day,
        now=now,
        agents=tuple(agents),
        other_leads=tuple(
            SourceLeads(source, others[source]) for source in Source if others.get(source)
        ),
        leads=tuple(DigestLead.of(row) for row in handed),
        unclaimed=tuple(DigestLead.of(row) for row in waiting),
        unclaimed_count=waiting_count,
    )
