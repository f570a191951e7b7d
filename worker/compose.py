"""What each kind of scheduled post says: the digest, the report and an outsourced team's
statement, rendered for Slack.

Posts go to the team's digest channel (a statement also to the provider's), so they
are written in the team's language (bot.readers.team_reader), as are the report's
chart and CSV and the statement's PDF and CSV (worker.statements).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from bot.readers import team_reader
from bot.views.digest import digest_messages
from bot.views.report import report_files, report_messages
from models.actors import TERMINAL
from models.digest import daily_digest
from models.ledger import PostKind
from models.reports import monthly_report
from models.tables import PostLedger, Team
from worker.posting import Post, PostFile
from worker.statements import KINDS, compose_statement


def compose(session: Session, team: Team, entry: PostLedger, now: datetime) -> Post | None:
    """The post of a ledger entry, to the team's digest channel (None: an empty day skipped).

    Leads "unclaimed after 4 hours" are judged as of `now`, the moment of posting.
    The worker is trusted like the terminal.
    """
    if entry.kind in KINDS:
        return compose_statement(session, team, entry, now)
    channel = team.digest_channel or ""
    if entry.kind == PostKind.DAILY_DIGEST:
        digest = daily_digest(
            session,
            actor=TERMINAL,
            team_id=team.id or 0,
            day=date.fromisoformat(entry.period),
            now=now,
        )
        if digest.is_empty and team.digest_skip_empty:
            return None
        return Post(channel=channel, messages=digest_messages(digest, team_reader(digest.team)))
    month = date.fromisoformat(entry.period + "-01")
    report = monthly_report(session, actor=TERMINAL, team_id=team.id or 0, month=month)
    reader = team_reader(report.team)
    files = [
        PostFile(filename=f.filename, content=f.content, title=f.title)
        for f in report_files(report, reader)
    ]
    return Post(channel=channel, messages=report_messages(report, reader), files=files)
