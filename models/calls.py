"""Logging calls, undoing them, and an agent's figures for the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.db import utcnow
from models.errors import Conflict, InvalidInput, NotAllowed, NotFound
from models.outcomes import USEFUL_OUTCOMES, Outcome
from models.roster import get_member, is_admin, timezone_of, who_can_help
from models.tables import Call, Member, Team

MAX_DURATION = timedelta(hours=8)
MAX_NOTE_CHARS = 2000
MAX_COMPANY_CHARS = 200
MAX_CONTACT_CHARS = 200
MAX_PHONE_CHARS = 40
UNDO_WINDOW = timedelta(minutes=10)
CALL_EXAMPLE = "/call Acme Corp 12m contact spoke to the CFO"


@dataclass(frozen=True)
class NewCall:
    """What an agent reports about one call."""

    company: str
    duration: timedelta
    outcome: Outcome
    note: str | None = None
    contact_name: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class DayStats:
    """An agent's figures for one day in the team's time zone (undone calls excluded)."""

    dials: int
    useful_contacts: int
    leads: int


@dataclass(frozen=True)
class LoggedCall:
    """A call as stored, with the agent's day so far. `repeated` marks a redelivered request."""

    call: Call
    team: Team
    today: DayStats
    repeated: bool


def check_new_call(new: NewCall) -> None:
    """Raise InvalidInput unless every field is within bounds."""
    if not new.company.strip():
        raise InvalidInput("The company is missing.", example=CALL_EXAMPLE, field="company")
    if len(new.company) > MAX_COMPANY_CHARS:
        raise InvalidInput(
            f"The company name is longer than {MAX_COMPANY_CHARS} characters.",
            example=CALL_EXAMPLE,
            field="company",
        )
    if new.duration <= timedelta(0):
        raise InvalidInput(
            "The duration must be more than zero.", example=CALL_EXAMPLE, field="duration"
        )
    if new.duration > MAX_DURATION:
        raise InvalidInput(
            "A call lasts at most 8 hours. If a number belongs to the company name, quote it.",
            example='/call "Acme 2000" 12m contact',
            field="duration",
        )
    if new.note is not None and len(new.note) > MAX_NOTE_CHARS:
        raise InvalidInput(
            f"The note has {len(new.note)} characters; the most is {MAX_NOTE_CHARS}.",
            example=CALL_EXAMPLE,
            field="note",
        )
    if new.contact_name is not None and len(new.contact_name) > MAX_CONTACT_CHARS:
        raise InvalidInput(
            f"The contact name is longer than {MAX_CONTACT_CHARS} characters.",
            example="Jane Doe, CFO",
            field="contact",
        )
    if new.phone is not None and len(new.phone) > MAX_PHONE_CHARS:
        raise InvalidInput(
            f"The phone number is longer than {MAX_PHONE_CHARS} characters.",
            example="+33 1 23 45 67 89",
            field="phone",
        )


def check_caller(
    session: Session, *, slack_user_id: str, settings_admins: frozenset[str]
) -> Member:
    """The member about to log a call (an active agent or an admin on the roster), or NotAllowed."""
    member = get_member(session, slack_user_id=slack_user_id)
    help_line = who_can_help(session, settings_admins)
    if member is None:
        raise NotAllowed(
            "You are not on the leadcell roster, so calls can't be logged for you. "
            f"An admin can add you. {help_line}",
            example=f"/leadcell member add <@{slack_user_id}> team=fr roles=agent",
        )
    if not member.active:
        raise NotAllowed(
            f"Your roster entry is deactivated. {help_line}",
            example=f"/leadcell member activate <@{slack_user_id}>",
        )
    is_admin = member.is_admin or slack_user_id in settings_admins
    if not (member.is_agent or is_admin):
        raise NotAllowed(
            f"Only agents log calls, and you are not an agent. {help_line}",
            example=f"/leadcell member roles <@{slack_user_id}> agent",
        )
    return member


def log_call(
    session: Session,
    *,
    slack_user_id: str,
    new: NewCall,
    slack_key: str,
    settings_admins: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> LoggedCall:
    """Store a call for the agent. A second request with the same `slack_key` stores nothing."""
    check_new_call(new)
    agent = check_caller(session, slack_user_id=slack_user_id, settings_admins=settings_admins)
    now = now or utcnow()
    call = Call(
        team_id=agent.team_id,
        agent_id=agent.id,
        called_at=now,
        duration_seconds=int(new.duration.total_seconds()),
        company=new.company.strip(),
        contact_name=new.contact_name,
        phone=new.phone,
        outcome=new.outcome.value,
        note=new.note,
        slack_key=slack_key,
        created_at=now,
    )
    session.add(call)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        earlier = find_logged_call(session, slack_key=slack_key, now=now)
        if earlier is None:
            raise
        return LoggedCall(call=earlier.call, team=earlier.team, today=earlier.today, repeated=True)
    team = session.get_one(Team, call.team_id)
    today = day_stats(session, agent_id=call.agent_id, team=team, day=_local_day(team, now))
    return LoggedCall(call=call, team=team, today=today, repeated=False)


def find_logged_call(
    session: Session, *, slack_key: str, now: datetime | None = None
) -> LoggedCall | None:
    """The call a Slack request created, with its agent's day so far, or None."""
    call = session.exec(select(Call).where(Call.slack_key == slack_key)).first()
    if call is None:
        return None
    team = session.get_one(Team, call.team_id)
    day = _local_day(team, now or utcnow())
    today = day_stats(session, agent_id=call.agent_id, team=team, day=day)
    return LoggedCall(call=call, team=team, today=today, repeated=True)


def _local_day(team: Team, moment: datetime) -> date:
    return moment.astimezone(timezone_of(team)).date()


def day_bounds(team: Team, day: date) -> tuple[datetime, datetime]:
    """The UTC start and end of a calendar day in the team's time zone (DST-safe)."""
    zone = timezone_of(team)
    start = datetime.combine(day, time.min, zone)
    end = datetime.combine(day + timedelta(days=1), time.min, zone)
    return start, end


def day_stats(session: Session, *, agent_id: int | None, team: Team, day: date) -> DayStats:
    """Dials, useful contacts and lead calls of one agent on one team-local day, in one query."""
    start, end = day_bounds(team, day)
    useful = [o.value for o in USEFUL_OUTCOMES]
    query = select(
        func.count(),
        func.coalesce(func.sum(case((col(Call.outcome).in_(useful), 1), else_=0)), 0),
        func.coalesce(func.sum(case((col(Call.outcome) == Outcome.LEAD.value, 1), else_=0)), 0),
    ).where(
        Call.agent_id == agent_id,
        col(Call.called_at) >= start,
        col(Call.called_at) < end,
        col(Call.undone_at).is_(None),
    )
    dials, contacts, leads = session.exec(query).one()
    return DayStats(dials=int(dials), useful_contacts=int(contacts), leads=int(leads))


@dataclass(frozen=True)
class UndoneCall:
    """A call taken back. `repeated` is True when it had been undone already (a double click)."""

    call: Call
    repeated: bool


def undo_call(
    session: Session,
    *,
    call_id: int,
    slack_user_id: str,
    settings_admins: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> UndoneCall:
    """Undo a call within UNDO_WINDOW of logging it: one conditional UPDATE."""
    now = now or utcnow()
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(f"There is no call #{call_id}.", example=CALL_EXAMPLE)
    agent = session.get_one(Member, call.agent_id)
    if agent.slack_user_id != slack_user_id and not is_admin(
        session, slack_user_id=slack_user_id, settings_admins=settings_admins
    ):
        raise NotAllowed(
            f"Only <@{agent.slack_user_id}>, who logged this call, or an admin can undo it.",
            example=CALL_EXAMPLE + " (to log a call of your own)",
        )
    result = session.execute(
        update(Call)
        .where(
            col(Call.id) == call_id,
            col(Call.undone_at).is_(None),
            col(Call.created_at) > now - UNDO_WINDOW,
        )
        .values(undone_at=now)
    )
    session.commit()
    session.refresh(call)
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return UndoneCall(call=call, repeated=False)
    if call.undone_at is not None:
        return UndoneCall(call=call, repeated=True)
    raise Conflict(
        f"This call was logged more than {int(UNDO_WINDOW.total_seconds() // 60)} minutes ago, "
        "so it can no longer be undone; it stays as logged.",
        example=CALL_EXAMPLE + " (log the call again, correctly)",
    )
