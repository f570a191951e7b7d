"""`/leadcell report today|day|month`: a digest or a cost-per-lead report, on demand.

The words and the right to read are checked in the acknowledgement; the report
is computed and rendered by the reports (models.reports, bot.reports) afterwards.
A day's digest is activity (`Action.ACTIVITY_READ`: everyone on the team's
roster); the monthly report is money (`Action.MONEY_READ`: managers and admins).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from bot.blocks import section
from bot.grammar.command_line import Command, Missing, Verb
from bot.grammar.dates import parse_day, parse_month
from bot.i18n import Reader
from bot.reports.digest_view import digest_messages, digest_text
from bot.reports.report_view import report_messages, report_text
from bot.views.leadcell import TERMINAL
from models.actors import Actor
from models.db import utcnow
from models.periods import day_bounds
from models.policy import Action, require
from models.reports import DailyDigest, MonthlyReport, daily_digest, monthly_report
from models.roster import TeamSettings, resolve_team, timezone_of

#: A response_url takes 5 posts; a longer on-demand report is cut to this many messages.
MAX_ANSWERS = 5


@dataclass(frozen=True)
class ReportRequest:
    """An on-demand report: a day's digest (`kind` "day") or a month's report ("month").

    `day` None means today in the team's time zone; `month` None the current month.
    """

    kind: str
    team: str | None = None
    day: date | None = None
    month: date | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "kind": self.kind,
            "team": self.team,
            "day": self.day.isoformat() if self.day else None,
            "month": self.month.isoformat() if self.month else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str | None]) -> ReportRequest:
        return cls(
            kind=data["kind"] or "day",
            team=data.get("team"),
            day=date.fromisoformat(data["day"]) if data.get("day") else None,
            month=date.fromisoformat(data["month"]) if data.get("month") else None,
        )

    @property
    def action(self) -> Action:
        """What reading it takes: the digest is activity, the monthly report money."""
        return Action.MONEY_READ if self.kind == "month" else Action.ACTIVITY_READ


def read_report(command: Command) -> ReportRequest:
    """`today`, `day 2026-11-27` or `month [2026-10]`, with an optional `team=fr`."""
    words = command.words
    team = words.option("team")
    if command.verb == Verb.DAY:
        request = ReportRequest("day", team=team, day=parse_day(words.next(Missing.DAY)))
    elif command.verb == Verb.MONTH:
        month = words.next_or_none()
        request = ReportRequest("month", team=team, month=parse_month(month) if month else None)
    else:
        request = ReportRequest("day", team=team)
    words.done()
    return request


def check_report(session: Session, *, actor: Actor, request: ReportRequest) -> TeamSettings:
    """The team the report is about, once the actor may read it."""
    require(actor, request.action, team_id=actor.team_id)
    team = resolve_team(session, actor=actor, slug=request.team)
    require(actor, request.action, team_id=team.id)
    return team


def build_report(
    session: Session,
    request: ReportRequest,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> DailyDigest | MonthlyReport:
    """Compute an on-demand report for someone who may read it.

    A day's digest judges unclaimed leads as of now, or as of the end of a past day.
    """
    team = check_report(session, actor=actor, request=request)
    now = now or utcnow()
    if request.kind == "day":
        day = request.day or now.astimezone(timezone_of(team)).date()
        as_of = min(now, day_bounds(timezone_of(team), day)[1])
        return daily_digest(session, team_id=team.id, day=day, now=as_of)
    month = request.month or now.astimezone(timezone_of(team)).date().replace(day=1)
    return monthly_report(session, team_id=team.id, month=month)


def report_as_text(result: DailyDigest | MonthlyReport) -> str:
    """A report as terminal text."""
    if isinstance(result, DailyDigest):
        return digest_text(result)
    return report_text(result)


def report_answers(result: DailyDigest | MonthlyReport, reader: Reader) -> list[dict[str, Any]]:
    """A report as ephemeral response_url messages (at most MAX_ANSWERS)."""
    if isinstance(result, DailyDigest):
        messages = digest_messages(result)
        command = TERMINAL.report(Verb.DAY, day=result.day, team=result.team.slug)
    else:
        messages = report_messages(result)
        command = TERMINAL.report(Verb.MONTH, month=result.month, team=result.team.slug)
    if len(messages) > MAX_ANSWERS:
        rest = len(messages) - MAX_ANSWERS + 1
        text = reader.n_(
            "…and {count} more message. The terminal shows it all: {command}",
            "…and {count} more messages. The terminal shows it all: {command}",
            rest,
            command=f"`{command}`",
        )
        messages = [*messages[: MAX_ANSWERS - 1], {"text": text, "blocks": [section(text)]}]
    return [{"response_type": "ephemeral", "replace_original": False, **m} for m in messages]
