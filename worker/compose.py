"""What each kind of scheduled post says: the digest and the report, rendered for Slack."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models.ledger import PostKind
from models.tables import PostLedger, Team
from worker.posting import Post


def compose(session: Session, team: Team, entry: PostLedger, now: datetime) -> Post | None:
    """The post of a ledger entry (None: nothing to say today)."""
    raise NotImplementedError(f"{PostKind(entry.kind)} composition arrives with the reports")
