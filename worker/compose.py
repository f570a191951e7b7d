"""What each kind of scheduled post says: the digest and the report, rendered for Slack."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from bot.reports.digest_view import digest_messages
from bot.reports.report_view import report_files, report_messages
from models.ledger import PostKind
from models.reports import daily_digest, monthly_report
from models.tables import PostLedger, Team
from worker.posting import Post, PostFile


def compose(session: Session, team: Team, entry: PostLedger, now: datetime) -> Post | None:
    """The post of a ledger entry, to the team's digest channel (None: an empty day skipped).

    Leads "unclaimed after 4 hours" are judged as of `now`, the moment of posting.
    """
    channel = team.digest_channel or ""
    if entry.kind == PostKind.DAILY_DIGEST:
        digest = daily_digest(
            session, team_id=team.id or 0, day=date.fromisoformat(entry.period), now=now
        )
        if digest.is_empty and team.digest_skip_empty:
            return None
        return Post(channel=channel, messages=digest_messages(digest))
    report = monthly_report(
        session, team_id=team.id or 0, month=date.fromisoformat(entry.period + "-01")
    )
    files = [
        PostFile(filename=f.filename, content=f.content, title=f.title)
        for f in report_files(report)
    ]
    return Post(channel=channel, messages=report_messages(report), files=files)
