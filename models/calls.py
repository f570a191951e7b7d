"""Logging calls, undoing them, and an agent's figures for the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.db import WRITE, UTCDateTime, begin_write, utcnow
from models.errors import Conflict, InvalidInput, NotAllowed, NotFound
from models.keys import name_key
from models.outcomes import USEFUL_OUTCOMES, Outcome
from models.roster import Zoned, is_admin, timezone_of, who_can_help
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

    @classmethod
    def of(cls, call: Call) -> CallFacts:
        return cls(**{f: getattr(call, f) for f in cls.__dataclass_fields__})


@dataclass(frozen=True)
class TeamFacts:
    """What a call's confirmation needs of its team."""

    id: int
    slug: str
    timezone: str
    daily_contact_target: int

    @classmethod
    def of(cls, team: Team) -> TeamFacts:
        return cls(**{f: getattr(team, f) for f in cls.__dataclass_fields__})


@dataclass(frozen=True)
class LoggedCall:
    """A call as stored, with the agent's day so far. `repeated` marks a redelivered request."""

    call: CallFacts
    team: TeamFacts
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


# The hot path of `/call` is SQLAlchemy Core on prebuilt statements, and plain dataclasses
# rather than ORM objects: the ORM's per-row work cost more than the database itself.
_MEMBERS, _TEAMS, _CALLS = (model.__table__ for model in (Member, Team, Call))  # type: ignore[attr-defined]
_CALLER = (
    select(
        _MEMBERS.c.id,
        _MEMBERS.c.active,
        _MEMBERS.c.is_agent,
        _MEMBERS.c.is_admin,
        _TEAMS.c.id.label("team_id"),
        _TEAMS.c.slug,
        _TEAMS.c.timezone,
        _TEAMS.c.daily_contact_target,
    )
    .join_from(_MEMBERS, _TEAMS, _MEMBERS.c.team_id == _TEAMS.c.id)
    .where(_MEMBERS.c.slack_user_id == bindparam("user"))
)
_INSERT_CALL = _CALLS.insert().returning(_CALLS.c.id)


def _allowed_caller(
    session: Session,
    slack_user_id: str,
    settings_admins: frozenset[str],
    *,
    connection: Connection | None = None,
) -> tuple[int, TeamFacts]:
    """The id of the member about to log a call and their team, or NotAllowed saying who can."""
    row = (connection or session.connection()).execute(_CALLER, {"user": slack_user_id}).first()
    if (
        row is not None
        and row.active
        and (row.is_agent or row.is_admin or slack_user_id in settings_admins)
    ):
        return row.id, TeamFacts(row.team_id, row.slug, row.timezone, row.daily_contact_target)
    help_line = who_can_help(session, settings_admins)
    if row is None:
        raise NotAllowed(
            "You are not on the leadcell roster, so calls can't be logged for you. "
            f"An admin can add you. {help_line}",
            example=f"/leadcell member add <@{slack_user_id}> team=fr roles=agent",
        )
    if not row.active:
        raise NotAllowed(
            f"Your roster entry is deactivated. {help_line}",
            example=f"/leadcell member activate <@{slack_user_id}>",
        )
    raise NotAllowed(
        f"Only agents log calls, and you are not an agent. {help_line}",
        example=f"/leadcell member roles <@{slack_user_id}> agent",
    )


def check_caller(session: Session, *, slack_user_id: str, settings_admins: frozenset[str]) -> int:
    """The member id of someone about to log a call (an active agent or admin), or NotAllowed."""
    return _allowed_caller(session, slack_user_id, settings_admins)[0]


def log_call(
    session: Session,
    *,
    slack_user_id: str,
    new: NewCall,
    slack_key: str,
    settings_admins: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> LoggedCall:
    """Store a call for the agent. A second request with the same `slack_key` stores nothing.

    One short write transaction (look the caller up, insert), then the day's figures read.
    """
    check_new_call(new)
    now = now or utcnow()
    with session.get_bind().connect() as connection:  # Core, no ORM: this is the hot path
        try:
            with connection.execution_options(**{WRITE: True}).begin():
                agent_id, team = _allowed_caller(
                    session, slack_user_id, settings_admins, connection=connection
                )
                values = _call_values(agent_id, team, new, slack_key, now)
                call_id = connection.execute(_INSERT_CALL, values).scalar_one()
        except IntegrityError:
            earlier = find_logged_call(session, slack_key=slack_key, now=now)
            if earlier is None:
                raise
            return earlier
        # The write lock was held for the lookup and the insert only; now read the day.
        with connection.execution_options(**{WRITE: False}).begin():
            today = _day_stats(connection, agent_id, team, _local_day(team, now))
    facts = {k: v for k, v in values.items() if k in CallFacts.__dataclass_fields__}
    return LoggedCall(call=CallFacts(id=call_id, **facts), team=team, today=today, repeated=False)


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


def find_logged_call(
    session: Session, *, slack_key: str, now: datetime | None = None
) -> LoggedCall | None:
    """The call a Slack request created, with its agent's day so far, or None."""
    call = session.exec(select(Call).where(Call.slack_key == slack_key)).first()
    if call is None:
        return None
    team = TeamFacts.of(session.get_one(Team, call.team_id))
    today = day_stats(
        session, agent_id=call.agent_id, team=team, day=_local_day(team, now or utcnow())
    )
    return LoggedCall(call=CallFacts.of(call), team=team, today=today, repeated=True)


def _local_day(team: Zoned, moment: datetime) -> date:
    return moment.astimezone(timezone_of(team)).date()


def day_bounds(team: Zoned, day: date) -> tuple[datetime, datetime]:
    """The UTC start and end of a calendar day in the team's time zone (DST-safe)."""
    zone = timezone_of(team)
    start = datetime.combine(day, time.min, zone)
    end = datetime.combine(day + timedelta(days=1), time.min, zone)
    return start, end


_USEFUL = [outcome.value for outcome in USEFUL_OUTCOMES]
_DAY_STATS = select(
    func.count(),
    func.coalesce(func.sum(case((col(Call.outcome).in_(_USEFUL), 1), else_=0)), 0),
    func.coalesce(func.sum(case((col(Call.outcome) == Outcome.LEAD.value, 1), else_=0)), 0),
).where(
    col(Call.agent_id) == bindparam("agent_id"),
    col(Call.called_at) >= bindparam("start", type_=UTCDateTime()),
    col(Call.called_at) < bindparam("end", type_=UTCDateTime()),
    col(Call.undone_at).is_(None),
)


def day_stats(session: Session, *, agent_id: int | None, team: Zoned, day: date) -> DayStats:
    """Dials, useful contacts and lead calls of one agent on one team-local day, in one query."""
    return _day_stats(session.connection(), agent_id, team, day)


def _day_stats(connection: Connection, agent_id: int | None, team: Zoned, day: date) -> DayStats:
    start, end = day_bounds(team, day)
    dials, contacts, leads = connection.execute(
        _DAY_STATS, {"agent_id": agent_id, "start": start, "end": end}
    ).one()
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
    begin_write(session)
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
