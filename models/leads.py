"""Leads: handing a detected project to a sales engineer, and reading leads back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.db import begin_write, utcnow
from models.errors import InvalidInput, NotAllowed, NotFound, quoted
from models.events import find_event
from models.keys import name_key
from models.outcomes import Outcome
from models.periods import day_bounds
from models.roster import get_member, timezone_of, who_can_help
from models.tables import Call, Event, Lead, Member, Team

LEAD_EXAMPLE = "/lead @marc Acme Corp -- invoice capture for 3 plants, decision in Q2 value=120k"
MAX_SUMMARY_CHARS = 2000
MAX_REASON_CHARS = 500


class Source(StrEnum):
    """Where a lead came from."""

    TELEMARKETING = "telemarketing"
    SEMINAR = "seminar"
    TRADE_SHOW = "trade-show"
    OTHER = "other"


class Status(StrEnum):
    """A lead's life: new, claimed, then qualified or rejected, then won or lost."""

    NEW = "new"
    CLAIMED = "claimed"
    QUALIFIED = "qualified"
    REJECTED = "rejected"
    WON = "won"
    LOST = "lost"


OPEN_STATUSES = frozenset({Status.NEW, Status.CLAIMED, Status.QUALIFIED})


class Routing(StrEnum):
    """How a team hands leads that name no sales engineer."""

    POOL = "pool"
    ROUND_ROBIN = "round-robin"


@dataclass(frozen=True)
class NewLead:
    """What an agent says about a detected project."""

    company: str
    summary: str
    assignee: str | None = None
    estimated_value: Decimal | None = None
    source: Source = Source.TELEMARKETING
    event_name: str | None = None
    contact_name: str | None = None
    event_id: int | None = None


@dataclass(frozen=True)
class Person:
    """A member as leads show them."""

    slack_user_id: str
    name: str


@dataclass(frozen=True)
class LeadView:
    """A lead with everything its card shows."""

    lead: Lead
    team: Team
    detected_by: Person
    assigned_to: Person | None
    owner: Person | None
    event: Event | None
    call: Call | None
    repeated: bool = False

    @property
    def reference(self) -> str:
        return reference(self.lead)

    @property
    def time_to_claim(self) -> timedelta | None:
        if self.lead.claimed_at is None:
            return None
        return self.lead.claimed_at - self.lead.handed_at


def reference(lead: Lead) -> str:
    """`L-0042`."""
    return f"L-{lead.number:04d}"


def parse_reference(text: str) -> int | None:
    """The lead number in `L-0042`, `l-42` or `42`, else None."""
    match = re.fullmatch(r"(?:[Ll]-?)?0*(\d{1,9})", text.strip())
    return int(match.group(1)) if match else None


def check_new_lead(new: NewLead) -> None:
    """Raise InvalidInput unless every field is within bounds."""
    if not new.company.strip():
        raise InvalidInput("The company is missing.", example=LEAD_EXAMPLE, field="company")
    if len(new.company) > 200:
        raise InvalidInput(
            "The company name is longer than 200 characters.", example=LEAD_EXAMPLE, field="company"
        )
    if not new.summary.strip():
        raise InvalidInput(
            "Say what the project is, after `--`.", example=LEAD_EXAMPLE, field="summary"
        )
    if len(new.summary) > MAX_SUMMARY_CHARS:
        raise InvalidInput(
            f"The summary is longer than {MAX_SUMMARY_CHARS} characters.",
            example=LEAD_EXAMPLE,
            field="summary",
        )
    if new.estimated_value is not None and not Decimal(0) <= new.estimated_value < Decimal(10**12):
        raise InvalidInput(
            "The value must be between 0 and 1 000 000 000 000.",
            example="value=120k",
            field="value",
        )
    if new.source in (Source.SEMINAR, Source.TRADE_SHOW) and not (new.event_name or new.event_id):
        raise InvalidInput(
            f"A {new.source} lead names its event.",
            example=f'source={new.source}:"Paris Summit"',
            field="event",
        )


def _member_by_id(session: Session, member_id: int | None) -> Person | None:
    if member_id is None:
        return None
    member = session.get_one(Member, member_id)
    return Person(member.slack_user_id, member.name)


def view_lead(session: Session, *, lead_id: int, repeated: bool = False) -> LeadView:
    """Everything a card shows about a lead."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFound(f"There is no lead #{lead_id}.", example="/lead list open")
    detected = _member_by_id(session, lead.detected_by_id)
    assert detected is not None
    return LeadView(
        lead=lead,
        team=session.get_one(Team, lead.team_id),
        detected_by=detected,
        assigned_to=_member_by_id(session, lead.assigned_to_id),
        owner=_member_by_id(session, lead.owner_id),
        event=session.get(Event, lead.event_id) if lead.event_id else None,
        call=session.get(Call, lead.call_id) if lead.call_id else None,
        repeated=repeated,
    )


def acting_member(
    session: Session, *, slack_user_id: str, settings_admins: frozenset[str]
) -> tuple[Member, bool]:
    """The active roster member behind a request, and whether they are an admin."""
    member = get_member(session, slack_user_id=slack_user_id)
    if member is None or not member.active:
        raise NotAllowed(
            "You are not an active member of the leadcell roster. "
            + who_can_help(session, settings_admins),
            example=f"/leadcell member add <@{slack_user_id}> team=fr roles=agent",
        )
    return member, member.is_admin or slack_user_id in settings_admins


def sales_engineer(session: Session, *, slack_user_id: str, team_id: int) -> Member:
    """An active sales engineer of the team, or an error saying why this user is not one."""
    member = get_member(session, slack_user_id=slack_user_id)
    if member is None or member.team_id != team_id:
        raise NotFound(
            f"<@{slack_user_id}> is not on this team's roster.",
            example=LEAD_EXAMPLE,
            field="engineer",
        )
    if not member.active:
        raise InvalidInput(
            f"<@{slack_user_id}> is deactivated: name another sales engineer.",
            example=LEAD_EXAMPLE,
            field="engineer",
        )
    if not member.is_sales_engineer:
        raise InvalidInput(
            f"<@{slack_user_id}> is not a sales engineer.", example=LEAD_EXAMPLE, field="engineer"
        )
    return member


def next_in_rotation(session: Session, team: Team, *, after: int | None = None) -> Member | None:
    """The team's next active sales engineer after `after` (by roster order), wrapping round."""
    engineers = list(
        session.exec(
            select(Member)
            .where(Member.team_id == team.id, col(Member.is_sales_engineer), col(Member.active))
            .order_by(Member.id)
        )
    )
    if not engineers:
        return None
    later = [m for m in engineers if after is not None and m.id is not None and m.id > after]
    return later[0] if later else engineers[0]


def _linked_call(
    session: Session, *, agent: Member, team: Team, company: str, now: datetime
) -> Call | None:
    start, end = day_bounds(timezone_of(team), now.astimezone(timezone_of(team)).date())
    return session.exec(
        select(Call)
        .where(
            Call.agent_id == agent.id,
            Call.company_key == name_key(company),
            col(Call.called_at) >= start,
            col(Call.called_at) < end,
            col(Call.undone_at).is_(None),
        )
        .order_by(col(Call.called_at).desc(), col(Call.id).desc())
    ).first()


def _lead_event(session: Session, *, team: Team, new: NewLead) -> Event | None:
    if new.source not in (Source.SEMINAR, Source.TRADE_SHOW):
        return None
    if new.event_id is not None:
        event = session.get(Event, new.event_id)
        if event is None or event.team_id != team.id or event.kind != new.source.value:
            raise InvalidInput(
                f"Pick a {new.source} of your team as the event.",
                example=f'source={new.source}:"Paris Summit"',
                field="event",
            )
        return event
    return find_event(
        session, team_id=team.id or 0, kind=new.source.value, name=new.event_name or ""
    )


def create_lead(
    session: Session,
    *,
    slack_user_id: str,
    new: NewLead,
    slack_key: str,
    settings_admins: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> LeadView:
    """Hand a lead to a sales engineer, or route it by the team's rule. One effect per key."""
    begin_write(session)
    check_new_lead(new)
    existing = session.exec(select(Lead.id).where(Lead.slack_key == slack_key)).first()
    if existing is not None:
        return view_lead(session, lead_id=existing, repeated=True)
    now = now or utcnow()
    agent, admin = acting_member(
        session, slack_user_id=slack_user_id, settings_admins=settings_admins
    )
    if not (agent.is_agent or agent.is_manager or admin):
        raise NotAllowed(
            "Only agents, managers and admins hand leads. "
            + who_can_help(session, settings_admins),
            example=f"/leadcell member roles <@{slack_user_id}> agent",
        )
    team = session.exec(select(Team).where(Team.id == agent.team_id).with_for_update()).one()
    if not team.leads_channel:
        raise InvalidInput(
            f"Team `{team.slug}` has no leads channel to post the card in. "
            + who_can_help(session, settings_admins),
            example=f"/leadcell team set {team.slug} leads=#leads-{team.slug}",
        )
    assignee = (
        sales_engineer(session, slack_user_id=new.assignee, team_id=team.id or 0)
        if new.assignee
        else None
    )
    if assignee is None and team.lead_routing == Routing.ROUND_ROBIN:
        assignee = next_in_rotation(session, team, after=team.last_routed_member_id)
        if assignee is not None:
            team.last_routed_member_id = assignee.id
    event = _lead_event(session, team=team, new=new)
    call = (
        _linked_call(session, agent=agent, team=team, company=new.company, now=now)
        if new.source == Source.TELEMARKETING
        else None
    )
    team.last_lead_number += 1
    lead = Lead(
        team_id=team.id,
        number=team.last_lead_number,
        source=new.source.value,
        event_id=event.id if event else None,
        call_id=call.id if call else None,
        detected_by_id=agent.id,
        company=new.company.strip(),
        company_key=name_key(new.company),
        contact_name=new.contact_name,
        summary=new.summary.strip(),
        estimated_value=new.estimated_value,
        currency=team.currency,
        assigned_to_id=assignee.id if assignee else None,
        status=Status.NEW.value,
        created_at=now,
        handed_at=now,
        slack_key=slack_key,
    )
    session.add(team)
    session.add(lead)
    if call is not None:
        session.execute(
            update(Call).where(col(Call.id) == call.id).values(outcome=Outcome.LEAD.value)
        )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = session.exec(select(Lead.id).where(Lead.slack_key == slack_key)).first()
        if existing is None:
            raise
        return view_lead(session, lead_id=existing, repeated=True)
    return view_lead(session, lead_id=lead.id or 0)


def find_lead(session: Session, *, team_id: int, text: str) -> Lead:
    """The team's lead named by `L-0042`, or NotFound."""
    number = parse_reference(text)
    lead = None
    if number is not None:
        lead = session.exec(
            select(Lead).where(Lead.team_id == team_id, Lead.number == number)
        ).first()
    if lead is None:
        raise NotFound(
            f"There is no lead {quoted(text)} in your team.", example="/lead show L-0042"
        )
    return lead


def lead_by_card(session: Session, *, channel: str, ts: str) -> Lead | None:
    """The lead whose card is the message `ts` in `channel`."""
    return session.exec(
        select(Lead).where(Lead.card_channel == channel, Lead.card_ts == ts)
    ).first()


def is_leads_channel(session: Session, *, channel: str) -> bool:
    """True when a team posts its lead cards in `channel`."""
    return session.exec(select(Team.id).where(Team.leads_channel == channel)).first() is not None


class ListScope(StrEnum):
    """Which leads `/lead list` shows."""

    MINE = "mine"
    OPEN = "open"
    POOL = "pool"
    HANDED_TODAY = "today"


def list_leads(
    session: Session,
    *,
    member: Member,
    scope: ListScope,
    limit: int = 40,
    now: datetime | None = None,
) -> list[LeadView]:
    """Leads of the member's team for a list scope, newest first, at most `limit`."""
    query = select(Lead.id).where(Lead.team_id == member.team_id)
    open_values = [s.value for s in OPEN_STATUSES]
    if scope == ListScope.MINE:
        query = query.where(
            (Lead.owner_id == member.id)
            | ((Lead.assigned_to_id == member.id) & (Lead.status == Status.NEW.value)),
            col(Lead.status).in_(open_values),
        )
    elif scope == ListScope.OPEN:
        query = query.where(col(Lead.status).in_(open_values))
    elif scope == ListScope.POOL:
        query = query.where(Lead.status == Status.NEW.value, col(Lead.assigned_to_id).is_(None))
    else:
        team = session.get_one(Team, member.team_id)
        start, end = day_bounds(
            timezone_of(team), (now or utcnow()).astimezone(timezone_of(team)).date()
        )
        query = query.where(
            Lead.detected_by_id == member.id,
            col(Lead.created_at) >= start,
            col(Lead.created_at) < end,
        )
    ids = session.exec(query.order_by(col(Lead.number).desc()).limit(limit)).all()
    return [view_lead(session, lead_id=lead_id) for lead_id in ids]


def record_card(session: Session, *, lead_id: int, channel: str, ts: str, version: int) -> None:
    """Remember where a lead's card was posted, showing `version` of the lead."""
    session.execute(
        update(Lead)
        .where(col(Lead.id) == lead_id)
        .values(card_channel=channel, card_ts=ts, card_version=version)
    )
    session.commit()


def mark_card_shown(session: Session, *, lead_id: int, version: int) -> None:
    """The card now shows `version` of the lead (never moves backwards)."""
    session.execute(
        update(Lead)
        .where(col(Lead.id) == lead_id, col(Lead.card_version) < version)
        .values(card_version=version)
    )
    session.commit()


def stale_cards(session: Session) -> list[int]:
    """Leads whose card was never posted or shows an older version."""
    query = select(Lead.id).where(col(Lead.card_version) < col(Lead.version)).order_by(Lead.id)
    return list(session.exec(query).all())
