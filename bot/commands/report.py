"""`/leadcell report …`: a day's digest or a month's cost-per-lead report, for the asker only.

    /leadcell report today [team=fr]
    /leadcell report day 2026-11-27 [team=fr]
    /leadcell report month [2026-10] [team=fr]

/leadcell's dispatcher reads the words (bot.grammar.command_line) and hands the
`report` command to `acknowledge`, which reads the report's own words and checks
the asker's rights inside the acknowledgement, so a mistake is answered at once;
`send_report`, a lazy listener, computes the report and sends it to the
response_url afterwards (reports are slow work). The digest is for everyone
on the team's roster; the cost-per-lead report (money) for its managers and admins.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, BoltContext
from sqlmodel import Session

from bot.blocks import section
from bot.deps import deps_of, requester_of
from bot.grammar.command_line import Command, Topic
from bot.grammar.report_text import ReportKind, ReportRequest, read_report
from bot.i18n import Reader
from bot.payloads import SlashCommand
from bot.refusals import refuse
from bot.runtime.slack_client import respond
from bot.views.digest import digest_messages, digest_text
from bot.views.report import report_messages, report_text
from models.actors import Actor
from models.db import utcnow
from models.digest import DailyDigest, daily_digest
from models.errors import DomainError
from models.periods import day_bounds, local_day, month_of
from models.policy import Action, require
from models.reports import MonthlyReport, monthly_report, requested_team

__all__ = [
    "MAX_ANSWERS",
    "ReportRequest",
    "about_report",
    "acknowledge",
    "build_report",
    "read_report",
    "report_answers",
    "report_as_text",
    "send_report",
]

#: A response_url takes 5 posts; a longer on-demand report is cut to this many messages.
MAX_ANSWERS = 5
REPORT_REQUEST = "leadcell_report_request"
#: What each report shows: the digest is activity, the cost-per-lead report is money.
ACTIONS = {ReportKind.DAY: Action.ACTIVITY_READ, ReportKind.MONTH: Action.MONEY_READ}

Report = DailyDigest | MonthlyReport


def check_report(actor: Actor, request: ReportRequest) -> None:
    """Refuse at once a report the actor may read in no team (the team is checked later)."""
    require(actor, ACTIONS[request.kind])


def build_report(
    session: Session, request: ReportRequest, actor: Actor, now: datetime | None = None
) -> Report:
    """Compute an on-demand report for `actor` (TERMINAL for the command line).

    A day's digest judges unclaimed leads as of now, or as of the end of a past day.
    """
    check_report(actor, request)
    now = now or utcnow()
    team = requested_team(session, actor=actor, slug=request.team)
    zone = ZoneInfo(team.timezone)
    if request.kind == ReportKind.DAY:
        day = request.day or local_day(zone, now)
        as_of = min(now, day_bounds(zone, day)[1])
        return daily_digest(session, actor=actor, team_id=team.id, day=day, now=as_of)
    month = request.month or month_of(local_day(zone, now))
    return monthly_report(session, actor=actor, team_id=team.id, month=month)


def report_as_text(result: Report, reader: Reader) -> str:
    """A report as terminal text."""
    if isinstance(result, DailyDigest):
        return digest_text(result, reader)
    return report_text(result, reader)


def _terminal_command(result: Report) -> str:
    """The command that prints the same report in a terminal."""
    if isinstance(result, DailyDigest):
        return f"leadcell report today --team {result.team.slug} --date {result.day.isoformat()}"
    return f"leadcell report month {result.period} --team {result.team.slug}"


def report_answers(result: Report, reader: Reader) -> list[dict[str, Any]]:
    """A report as ephemeral response_url messages (at most MAX_ANSWERS)."""
    if isinstance(result, DailyDigest):
        messages = digest_messages(result, reader)
    else:
        messages = report_messages(result, reader)
    if len(messages) > MAX_ANSWERS:
        rest = reader.n_(
            "…and {count} more message, which does not fit here. The terminal shows the whole "
            "report: `{command}`",
            "…and {count} more messages, which do not fit here. The terminal shows the whole "
            "report: `{command}`",
            len(messages) - MAX_ANSWERS + 1,
            command=_terminal_command(result),
        )
        messages = [*messages[: MAX_ANSWERS - 1], {"text": rest, "blocks": [section(rest)]}]
    return [{"response_type": "ephemeral", "replace_original": False, **m} for m in messages]


def about_report(error: DomainError, request: ReportRequest) -> DomainError:
    """The refusal, knowing which report it is about (its wording shows that command)."""
    error.facts.setdefault("topic", Topic.REPORT)
    error.facts.setdefault("verb", request.verb)
    return error


def acknowledge(ack: Ack, context: BoltContext, command: Command, *, user_id: str) -> None:
    """`/leadcell report …`: read the report's words and check the asker's rights, then
    acknowledge with nothing; the request waits in the context for `send_report`.

    A refusal is raised (DomainError): /leadcell's listener answers it in the acknowledgement.
    """
    request = read_report(command)
    check_report(requester_of(context, user_id).actor, request)
    context[REPORT_REQUEST] = request.as_dict()
    ack()


def send_report(body: dict[str, Any], context: BoltContext) -> None:
    """The lazy half of `/leadcell report …`: compute the report, answer on the response_url."""
    data = context.get(REPORT_REQUEST)
    if data is None:
        return
    command = SlashCommand.of(body)
    requester = requester_of(context, command.user_id)
    request = ReportRequest.from_dict(data)
    try:
        with deps_of(context).session() as session:
            result = build_report(session, request, requester.actor)
    except DomainError as error:
        refused = refuse(about_report(error, request), context)
        respond(command.response_url, {**refused, "replace_original": False})
        return
    for message in report_answers(result, requester.reader):
        respond(command.response_url, message)
