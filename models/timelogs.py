"""Time spent on events, and the split of the cell's cost it gives when none was set by hand.

Agents log the time they spend organising an event (`/leadcell time log "Paris
Summit" 2026-10-14 6h`), on a day. A month's cost split (models.cost_queries: how the
cell's cost is shared between telemarketing and the other sources) is, in order:

1. the split recorded by hand for the month (`/leadcell cost split`), if any;
2. else, when event time was logged that month, the agents' logged event hours
   against their working hours: each member who logged a call or event time in
   the month counts for the month's working hours of the team's calendar
   (models.worktime: Monday to Friday, 09:00 to 18:00, the team country's public
   holidays), and each event kind gets the share of those hours logged on its
   events; telemarketing keeps the rest (percents to the cent, adding up to 100);
3. else all to telemarketing.

`month_split` says which one it used, with the hours behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, union
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from models.actors import Actor, Person
from models.attendees import EventRef, event_ref
from models.db import begin_write, utcnow
from models.errors import InvalidInput, Problem
from models.leads import Source
from models.periods import add_months, local_day, month_bounds, month_of
from models.policy import Action, require, require_member
from models.seminar_settings import country_of, team_row
from models.tables import Call, CostSplit, Event, EventTime
from models.worktime import COUNTRIES, WorkingCalendar

MAX_ENTRY = timedelta(hours=24)
#: A day's time may be logged up to this many days later.
MAX_DAYS_LATE = 62
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class TimeProblem(Problem):
    """Why time on an event is refused."""

    DURATION_ZERO = "time.duration_zero"
    DURATION_TOO_LONG = "time.duration_too_long"
    DAY_IN_FUTURE = "time.day_in_future"
    DAY_TOO_OLD = "time.day_too_old"
    DAY_FULL = "time.day_full"


class SplitBasis(StrEnum):
    """Where a month's split comes from."""

    MANUAL = "manual"
    LOGGED_TIME = "logged-time"
    DEFAULT = "default"


@dataclass(frozen=True)
class LoggedTime:
    """Time logged on an event, with the member's total on that event. `repeated`: a redelivery."""

    event: EventRef
    member: Person
    day: date
    seconds: int
    event_total_seconds: int
    repeated: bool = False


@dataclass(frozen=True)
class MonthSplit:
    """How a month's cell cost is shared, and why (see the module docstring).

    `percents` add up to 100. With LOGGED_TIME, `event_seconds` per source and
    `working_seconds` (members × the month's working time) are what it came from.
    """

    month: date
    basis: SplitBasis
    percents: dict[Source, Decimal]
    event_seconds: dict[Source, int]
    working_seconds: int
    members: int


def log_event_time(
    session: Session,
    *,
    actor: Actor,
    event_id: int,
    duration: timedelta,
    slack_key: str,
    day: date | None = None,
    now: datetime | None = None,
) -> LoggedTime:
    """Log time the acting member spent on an event on `day` (default: today, team time)."""
    require_member(actor, Action.TIME_LOG)
    assert actor.team is not None and actor.member_id is not None
    event = event_ref(session, event_id)
    require(actor, Action.TIME_LOG, team_id=event.team_id)
    now = now or utcnow()
    today = local_day(ZoneInfo(actor.team.timezone), now)
    day = day or today
    seconds = int(duration.total_seconds())
    if seconds <= 0:
        raise InvalidInput(TimeProblem.DURATION_ZERO, field="duration")
    if duration > MAX_ENTRY:
        limit = int(MAX_ENTRY.total_seconds())
        raise InvalidInput(
            TimeProblem.DURATION_TOO_LONG, field="duration", seconds=seconds, limit_seconds=limit
        )
    if day > today:
        raise InvalidInput(TimeProblem.DAY_IN_FUTURE, field="day", day=day, today=today)
    if day < today - timedelta(days=MAX_DAYS_LATE):
        raise InvalidInput(
            TimeProblem.DAY_TOO_OLD, field="day", day=day, today=today, days=MAX_DAYS_LATE
        )
    begin_write(session)
    earlier = session.scalars(
        select(EventTime).where(col(EventTime.slack_key) == slack_key)
    ).first()
    if earlier is not None:
        session.commit()
        return _logged(session, earlier, actor, repeated=True)
    logged_that_day = session.execute(
        select(func.coalesce(func.sum(EventTime.seconds), 0)).where(
            col(EventTime.member_id) == actor.member_id, col(EventTime.worked_on) == day
        )
    ).scalar_one()
    if int(logged_that_day) + seconds > MAX_ENTRY.total_seconds():
        raise InvalidInput(
            TimeProblem.DAY_FULL,
            field="duration",
            day=day,
            logged_seconds=int(logged_that_day),
            seconds=seconds,
        )
    row = EventTime(
        team_id=event.team_id,
        event_id=event.id,
        member_id=actor.member_id,
        worked_on=day,
        seconds=seconds,
        slack_key=slack_key,
        created_at=now,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # pragma: no cover - the same key raced in: the first one stands
        session.rollback()
        earlier = session.scalars(
            select(EventTime).where(col(EventTime.slack_key) == slack_key)
        ).one()
        return _logged(session, earlier, actor, repeated=True)
    logged = _logged(session, row, actor)
    session.commit()
    return logged


def _logged(
    session: Session, row: EventTime, actor: Actor, *, repeated: bool = False
) -> LoggedTime:
    total = session.execute(
        select(func.coalesce(func.sum(EventTime.seconds), 0)).where(
            col(EventTime.member_id) == row.member_id, col(EventTime.event_id) == row.event_id
        )
    ).scalar_one()
    person = actor.person
    assert person is not None
    return LoggedTime(
        event=event_ref(session, row.event_id),
        member=person,
        day=row.worked_on,
        seconds=row.seconds,
        event_total_seconds=int(total),
        repeated=repeated,
    )


def _calendar(zone: ZoneInfo, country: str | None) -> WorkingCalendar:
    return WorkingCalendar(zone=zone, country=country if country in COUNTRIES else None)


def month_split(session: Session, *, actor: Actor, team_id: int, month: date) -> MonthSplit:
    """The split a month's report uses (see the module docstring)."""
    team = team_row(session, team_id)
    require(actor, Action.ACTIVITY_READ, team_id=team_id)
    month = month_of(month)
    manual = {
        _source(source): Decimal(str(percent)).quantize(CENT)
        for source, percent in session.execute(
            select(CostSplit.source, CostSplit.percent).where(
                col(CostSplit.team_id) == team_id, col(CostSplit.month) == month
            )
        )
    }
    if manual:
        return MonthSplit(month, SplitBasis.MANUAL, _complete(manual), {}, 0, 0)
    next_month = add_months(month, 1)
    logged = {
        _source(kind): int(seconds)
        for kind, seconds in session.execute(
            select(Event.kind, func.sum(EventTime.seconds))
            .join(Event, col(Event.id) == col(EventTime.event_id))
            .where(
                col(EventTime.team_id) == team_id,
                col(EventTime.worked_on) >= month,
                col(EventTime.worked_on) < next_month,
            )
            .group_by(Event.kind)
        )
    }
    if not logged:
        return MonthSplit(month, SplitBasis.DEFAULT, _complete({}), {}, 0, 0)
    zone = ZoneInfo(team.timezone)
    start, end = month_bounds(zone, month)
    members = session.execute(
        select(func.count()).select_from(
            union(
                select(Call.agent_id.label("member_id")).where(  # type: ignore[attr-defined]
                    col(Call.team_id) == team_id,
                    col(Call.called_at) >= start,
                    col(Call.called_at) < end,
                    col(Call.undone_at).is_(None),
                ),
                select(EventTime.member_id).where(
                    col(EventTime.team_id) == team_id,
                    col(EventTime.worked_on) >= month,
                    col(EventTime.worked_on) < next_month,
                ),
            ).subquery()
        )
    ).scalar_one()
    calendar = _calendar(zone, country_of(team))
    working = int(calendar.between(start, end).total_seconds()) * int(members)
    base = max(working, sum(logged.values()))  # never more than all of the time
    percents = {
        source: (Decimal(seconds) * HUNDRED / Decimal(base)).quantize(CENT, ROUND_HALF_UP)
        for source, seconds in logged.items()
        if source != Source.TELEMARKETING
    }
    return MonthSplit(
        month, SplitBasis.LOGGED_TIME, _complete(percents), logged, working, int(members)
    )


def _complete(percents: dict[Source, Decimal]) -> dict[Source, Decimal]:
    """Every source's percent, telemarketing taking what the others leave."""
    others = {s: percents.get(s, Decimal(0)) for s in Source if s != Source.TELEMARKETING}
    if percents and Source.TELEMARKETING in percents:
        return {Source.TELEMARKETING: percents[Source.TELEMARKETING], **others}
    return {Source.TELEMARKETING: HUNDRED - sum(others.values(), Decimal(0)), **others}


def _source(value: str) -> Source:
    try:
        return Source(value)
    except ValueError:
        return Source.OTHER
