"""When each team's scheduled posts are due, in the team's own time zone.

Plain functions of a team's settings: the scheduler, the catch-up sweep and
`leadcell jobs list` all read the same answers. Local times are turned into UTC
with zoneinfo, so a 18:00 digest stays at 18:00 local across daylight-saving
changes. An outsourced team's monthly statement is due on a day its contract
sets (worker.statements): callers that schedule it pass `statements`, the due
time of each month's statement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from models.ledger import PostKind
from models.periods import add_months, month_of
from models.roster import WEEKDAYS
from models.tables import Team

MONTHLY_GRACE = timedelta(days=3)


@dataclass(frozen=True)
class Occurrence:
    """One scheduled post: what, for which period, due when, and sendable until when (UTC)."""

    kind: PostKind
    team_id: int
    period: str
    due_at: datetime
    grace_until: datetime


class Due(Protocol):
    """When a month's statement is due (worker.statements.StatementDue)."""

    @property
    def period(self) -> str: ...
    @property
    def due_at(self) -> datetime: ...
    @property
    def grace_until(self) -> datetime: ...


#: The due time of the statement of a month (its first day), or None when it has none.
StatementDays = Callable[[date], Due | None]


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def digest_days(team: Team) -> list[int]:
    """Weekday numbers (Monday 0) on which the team's digest is posted."""
    return [WEEKDAYS.index(d.strip()) for d in team.digest_days.split(",") if d.strip()]


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time of a day in a zone. A time skipped by a DST jump moves forward."""
    moment = datetime.combine(day, at, zone)
    return moment.astimezone(ZoneInfo("UTC")).astimezone(zone)


def daily_occurrence(team: Team, day: date) -> Occurrence:
    """The digest of a team-local day: due at digest_time, sendable until local midnight."""
    zone = ZoneInfo(team.timezone)
    due = _local(day, _clock(team.digest_time), zone)
    midnight = datetime.combine(day + timedelta(days=1), time.min, zone)
    return Occurrence(
        PostKind.DAILY_DIGEST,
        team.id or 0,
        day.isoformat(),
        due.astimezone(ZoneInfo("UTC")),
        midnight.astimezone(ZoneInfo("UTC")),
    )


def monthly_occurrence(team: Team, first_of_month: date) -> Occurrence:
    """The report on the previous month, due on the 1st at report_time, sendable for 3 days."""
    zone = ZoneInfo(team.timezone)
    due = _local(first_of_month, _clock(team.report_time), zone).astimezone(ZoneInfo("UTC"))
    previous = (first_of_month - timedelta(days=1)).strftime("%Y-%m")
    return Occurrence(PostKind.MONTHLY_REPORT, team.id or 0, previous, due, due + MONTHLY_GRACE)


def statement_occurrences(
    team: Team, start: datetime, end: datetime, statements: StatementDays
) -> Iterator[Occurrence]:
    """The statements due in [start, end): each to the team's channel, and to the provider's
    when it has one. A month's statement is due in the month after it."""
    zone = ZoneInfo(team.timezone)
    month = add_months(month_of(start.astimezone(zone).date()), -1)
    last = add_months(month_of(end.astimezone(zone).date()), -1)
    kinds = [PostKind.TEAM_STATEMENT]
    if team.provider_channel:
        kinds.append(PostKind.PROVIDER_STATEMENT)
    while month <= last:
        due = statements(month)
        if due is not None and start <= due.due_at < end:
            for kind in kinds:
                yield Occurrence(kind, team.id or 0, due.period, due.due_at, due.grace_until)
        month = add_months(month, 1)


def occurrences(
    team: Team, start: datetime, end: datetime, *, statements: StatementDays | None = None
) -> Iterator[Occurrence]:
    """Every post of the team due in [start, end), in time order per kind (statements only
    when `statements` says when they are due)."""
    zone = ZoneInfo(team.timezone)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    days = set(digest_days(team))
    day = first - timedelta(days=1)
    while day <= last:
        if day.weekday() in days:
            occurrence = daily_occurrence(team, day)
            if start <= occurrence.due_at < end:
                yield occurrence
        if day.day == 1:
            occurrence = monthly_occurrence(team, day)
            if start <= occurrence.due_at < end:
                yield occurrence
        day += timedelta(days=1)
    if statements is not None:
        yield from statement_occurrences(team, start, end, statements)


def next_occurrence(
    team: Team, kind: PostKind, after: datetime, *, statements: StatementDays | None = None
) -> Occurrence | None:
    """The first post of that kind due after `after` (within about two months)."""
    window = occurrences(team, after, after + timedelta(days=62), statements=statements)
    for occurrence in window:
        if occurrence.kind == kind and occurrence.due_at > after:
            return occurrence
    return None
