"""Logging calls, undoing them, and an agent's figures for the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, case, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.activity import AGENT_LEADS_BETWEEN, DIAL, USEFUL
from models.actors import Actor, TeamFacts
from models.db import WRITE, UTCDateTime, begin_write, utcnow
from models.errors import Conflict, InvalidInput, NotFound, Problem
from models.keys import name_key
from models.outcomes import Outcome
from models.periods import day_bounds, local_day
from models.policy import Action, Relation, require, require_member
from models.tables import Call, Lead, Team

MAX_DURATION = timedelta(hours=8)
MAX_NOTE_CHARS = 2000
MAX_COMPANY_CHARS = 200
MAX_CONTACT_CHARS = 200
MAX_PHONE_CHARS = 40
UNDO_WINDOW = timedelta(minutes=10)


class CallProblem(Problem):
    """Why a call is refused."""

    COMPANY_MISSING = "call.company_missing"
    COMPANY_TOO_LONG = "call.company_too_long"
    DURATION_MISSING = "call.duration_missing"
    DURATION_NOT_AFTER_QUOTE = "call.duration_not_after_quote"
    DURATION_ZERO = "call.duration_zero"
    DURATION_TOO_LONG = "call.duration_too_long"
    NOTE_TOO_LONG = "call.note_too_long"
    CONTACT_TOO_LONG = "call.contact_too_long"
    PHONE_TOO_LONG = "call.phone_too_long"
    OUTCOME_NOT_OFFERED = "call.outcome_not_offered"
    NOT_FOUND = "call.not_found"
    UNDO_TOO_LATE = "call.undo_too_late"


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
    """An agent's figures for one day in the team's time zone (see models.activity)."""

    dials: int
    useful_contacts: int
    leads: int


@dataclass(frozen=True)
class CallFacts:
    """A stored call, as its confirmation shows it."""

    id: int
    company: str
    called_at: datetime
    created_at: datetime
    duration_seconds: int
    outcome: str
    note: str | None
    contact_name: str | None
    phone: str | None
    slack_key: str
    undone_at: datetime | None = None

    @classmethod
    def of(cls, call: Call) -> CallFacts:
        return cls(**{f: getattr(call, f) for f in cls.__dataclass_fields__})


@dataclass(frozen=True)
class LoggedCall:
    """A call as stored, with the agent's day so far. `repeated` marks a redelivered request."""

    call: CallFacts
    team: TeamFacts
    today: DayStats
    repeated: bool


def check_new_call(new: NewCall) -> None:
    """Raise InvalidInput unless every field is within bounds."""
    limits = (
        (new.company, MAX_COMPANY_CHARS, CallProblem.COMPANY_TOO_LONG, "company"),
        (new.note, MAX_NOTE_CHARS, CallProblem.NOTE_TOO_LONG, "note"),
        (new.contact_name, MAX_CONTACT_CHARS, CallProblem.CONTACT_TOO_LONG, "contact"),
        (new.phone, MAX_PHONE_CHARS, CallProblem.PHONE_TOO_LONG, "phone"),
    )
    if not new.company.strip():
        raise InvalidInput(CallProblem.COMPANY_MISSING, field="company")
    for text, limit, problem, field in limits:
        if text is not None and len(text) > limit:
            raise InvalidInput(problem, field=field, length=len(text), limit=limit)
    if new.duration <= timedelta(0):
        raise InvalidInput(CallProblem.DURATION_ZERO, field="duration")
    if new.duration > MAX_DURATION:
        raise InvalidInput(
            CallProblem.DURATION_TOO_LONG,
            field="duration",
            seconds=int(new.duration.total_seconds()),
            limit_seconds=int(MAX_DURATION.total_seconds()),
        )


# The hot path of `/call` is SQLAlchemy Core on prebuilt statements, and plain dataclasses
# rather than ORM objects: the ORM's per-row work cost more than the database itself.
_CALLS = Call.__table__  # type: ignore[attr-defined]
_INSERT_CALL = _CALLS.insert().returning(_CALLS.c.id)


def log_call(
    session: Session,
    *,
    actor: Actor,
    new: NewCall,
    slack_key: str,
    now: datetime | None = None,
) -> LoggedCall:
    """Store a call for the acting agent. A second request with the same key stores nothing.

    One short write transaction (the insert), then the day's figures are read.
    """
    require_member(actor, Action.CALL_LOG)
    check_new_call(new)
    team, agent_id = actor.team, actor.member_id
    assert team is not None and agent_id is not None  # members have a team
    now = now or utcnow()
    values = _call_values(agent_id, team, new, slack_key, now)
    with session.get_bind().connect() as connection:  # Core, no ORM: this is the hot path
        try:
            with connection.execution_options(**{WRITE: True}).begin():
                call_id = connection.execute(_INSERT_CALL, values).scalar_one()
        except IntegrityError:
            earlier = find_logged_call(session, slack_key=slack_key, now=now)
            if earlier is None:
                raise
            return earlier
        with connection.execution_options(**{WRITE: False}).begin():
            today = _day_stats(connection, agent_id, team, local_day(_zone(team), now))
    facts = {k: v for k, v in values.items() if k in CallFacts.__dataclass_fields__}
    facts.pop("undone_at", None)
    return LoggedCall(call=CallFacts(id=call_id, **facts), team=team, today=today, repeated=False)


def _zone(team: TeamFacts | Team) -> ZoneInfo:
    return ZoneInfo(team.timezone)


def _call_values(
    agent_id: int, team: TeamFacts, new: NewCall, slack_key: str, now: datetime
) -> dict[str, Any]:
    return {
        "team_id": team.id,
        "agent_id": agent_id,
        "called_at": now,
        "duration_seconds": int(new.duration.total_seconds()),
        "company": new.company.strip(),
        "company_key": name_key(new.company),
        "contact_name": new.contact_name,
        "phone": new.phone,
        "outcome": new.outcome.value,
        "note": new.note,
        "slack_key": slack_key,
        "created_at": now,
    }


def team_facts(team: Team) -> TeamFacts:
    """The TeamFacts of a team row."""
    return TeamFacts(
        id=team.id or 0,
        slug=team.slug,
        name=team.name,
        timezone=team.timezone,
        currency=team.currency,
        language=team.language,
        daily_contact_target=team.daily_contact_target,
    )


def find_logged_call(
    session: Session, *, slack_key: str, now: datetime | None = None
) -> LoggedCall | None:
    """The call a Slack request created, with its agent's day so far, or None."""
    call = session.exec(select(Call).where(Call.slack_key == slack_key)).first()
    if call is None:
        return None
    team = team_facts(session.get_one(Team, call.team_id))
    today = _day_stats(
        session.connection(), call.agent_id, team, local_day(_zone(team), now or utcnow())
    )
    return LoggedCall(call=CallFacts.of(call), team=team, today=today, repeated=True)


_DAY_STATS = select(
    func.count(),
    func.coalesce(func.sum(case((USEFUL, 1), else_=0)), 0),
).where(
    col(Call.agent_id) == bindparam("agent_id"),
    col(Call.called_at) >= bindparam("start", type_=UTCDateTime()),
    col(Call.called_at) < bindparam("end", type_=UTCDateTime()),
    DIAL,
)


def day_stats(session: Session, *, agent_id: int, team: TeamFacts, day: date) -> DayStats:
    """Dials, useful contacts and leads of one agent on one team-local day."""
    return _day_stats(session.connection(), agent_id, team, day)


def _day_stats(connection: Connection, agent_id: int, team: TeamFacts, day: date) -> DayStats:
    start, end = day_bounds(_zone(team), day)
    bounds = {"agent_id": agent_id, "start": start, "end": end}
    dials, contacts = connection.execute(_DAY_STATS, bounds).one()
    leads = connection.execute(AGENT_LEADS_BETWEEN, bounds).scalar_one()
    return DayStats(dials=int(dials), useful_contacts=int(contacts), leads=int(leads))


@dataclass(frozen=True)
class UndoneCall:
    """A call taken back. `repeated`: it had been undone already (a double click).

    `lead_number` names the lead handed from this call, if any: it stays open.
    """

    call: CallFacts
    team: TeamFacts
    repeated: bool
    lead_number: int | None = None


def undo_call(
    session: Session, *, actor: Actor, call_id: int, now: datetime | None = None
) -> UndoneCall:
    """Undo a call within UNDO_WINDOW of logging it: one conditional UPDATE."""
    now = now or utcnow()
    begin_write(session)
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(CallProblem.NOT_FOUND, call_id=call_id)
    author = frozenset({Relation.AUTHOR}) if call.agent_id == actor.member_id else frozenset()
    require(actor, Action.CALL_UNDO, team_id=call.team_id, relations=author)
    result = session.execute(
        update(Call)
        .where(
            col(Call.id) == call_id,
            col(Call.undone_at).is_(None),
            col(Call.created_at) > now - UNDO_WINDOW,
        )
        .values(undone_at=now)
    )
    lead_number = session.exec(select(Lead.number).where(Lead.call_id == call_id)).first()
    team = team_facts(session.get_one(Team, call.team_id))
    session.commit()
    session.refresh(call)
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return UndoneCall(CallFacts.of(call), team, repeated=False, lead_number=lead_number)
    if call.undone_at is not None:
        return UndoneCall(CallFacts.of(call), team, repeated=True, lead_number=lead_number)
    raise Conflict(
        CallProblem.UNDO_TOO_LATE,
        window_minutes=int(UNDO_WINDOW.total_seconds() // 60),
        company=call.company,
    )
