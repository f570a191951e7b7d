"""The monthly statement of an outsourced team as a scheduled post.

On the contract's statement day (the n-th working day of the month, default the 2nd) at the
team's report time, the statement of the previous month is posted twice, through the
ledger like every scheduled post: to the team's digest channel (`sla-statement`) and to
the provider's contact channel (`sla-statement-provider`), each with the statement as PDF
and CSV in its thread. Composing a post issues the statement (models.statements): the
first composition stores it, every later one (a retry, the other channel, another worker)
reads the stored one, so both posts show the same figures and nothing is recomputed.
The worker's schedule (worker.schedule) asks `statement_days` when each month's
statement is due; a team without a contract version for a month has none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.readers import team_reader
from bot.views.sla import statement_messages
from bot.views.sla_csv import statement_csv
from bot.views.sla_pdf import statement_pdf
from models.actors import TERMINAL, TeamFacts
from models.contracts import ContractFacts, contract_facts, nth_working_day
from models.errors import NotFound
from models.ledger import PostKind
from models.periods import add_months
from models.sla_metrics import team_calendar
from models.statements import issue_statement
from models.tables import PostLedger, Team
from worker.posting import Post, PostFile

#: The ledger kinds of the two posts.
TEAM_STATEMENT = PostKind.TEAM_STATEMENT
PROVIDER_STATEMENT = PostKind.PROVIDER_STATEMENT
KINDS = (TEAM_STATEMENT, PROVIDER_STATEMENT)
#: How long after its due time a statement may still be posted.
GRACE = timedelta(days=3)


@dataclass(frozen=True)
class StatementDue:
    """When the statement of a month is due, and until when it may be posted (UTC)."""

    team_id: int
    period: str
    due_at: datetime
    grace_until: datetime


def statement_due(session: Session, team: Team, month: date) -> StatementDue | None:
    """When the statement of `month` is due: the version's statement day of the next month,
    at the team's report time; None when no contract version judges the month."""
    return statement_days(session, team)(month)


def statement_days(session: Session, team: Team) -> Callable[[date], StatementDue | None]:
    """`statement_due` for any month of the team, its contract read once."""
    contract = contract_facts(session, team)
    return lambda month: _due(team, contract, month)


def _due(team: Team, contract: ContractFacts, month: date) -> StatementDue | None:
    version = contract.in_force(month)
    if version is None:
        return None
    zone = ZoneInfo(team.timezone)
    day = nth_working_day(team_calendar(team.timezone), add_months(month, 1), version.statement_day)
    hours, minutes = (int(part) for part in team.report_time.split(":"))
    due = datetime.combine(day, time(hours, minutes), zone).astimezone(ZoneInfo("UTC"))
    return StatementDue(team.id or 0, f"{month:%Y-%m}", due, due + GRACE)


def compose_statement(
    session: Session, team: Team, entry: PostLedger, now: datetime
) -> Post | None:
    """The post of a statement ledger entry (None: no contract version judges the month)."""
    month = date.fromisoformat(entry.period + "-01")
    try:
        facts = issue_statement(session, actor=TERMINAL, team_id=team.id or 0, month=month, now=now)
    except NotFound:
        return None
    reader = team_reader(
        TeamFacts(
            id=team.id or 0,
            slug=team.slug,
            name=team.name,
            timezone=team.timezone,
            currency=team.currency,
            language=team.language,
            daily_contact_target=team.daily_contact_target,
        )
    )
    channel = team.provider_channel if entry.kind == PROVIDER_STATEMENT else team.digest_channel
    name = f"statement-{team.slug}-{entry.period}"
    title = reader._("Statement of {month}", month=reader.month_name(month))
    files = [
        PostFile(filename=f"{name}.pdf", content=statement_pdf(facts, reader), title=title),
        PostFile(filename=f"{name}.csv", content=statement_csv(facts), title=title),
    ]
    return Post(channel=channel or "", messages=statement_messages(facts, reader), files=files)
