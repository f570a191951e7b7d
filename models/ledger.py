"""The ledger of scheduled posts: each (kind, team, period) is posted exactly once, or visibly not.

A post goes through these states:

    pending --claim--> (being posted under a lease) --> sent
       |                      | failure: back to pending with a later next_attempt_at,
       |                      |          or failed once MAX_ATTEMPTS is reached
       +-- past grace_until, never sent --> missed
       +-- nothing to say (a team that skips empty days) --> skipped

Several worker processes may race on the same row: creation is guarded by the
unique key, and posting by a conditional UPDATE that takes a short lease.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.db import begin_write
from models.tables import PostLedger

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(minutes=30)


class PostKind(StrEnum):
    """What a scheduled post is."""

    DAILY_DIGEST = "daily-digest"
    MONTHLY_REPORT = "monthly-report"


class PostStatus(StrEnum):
    """Where a scheduled post stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    MISSED = "missed"
    SKIPPED = "skipped"


def ensure_entry(
    session: Session,
    *,
    kind: str,
    team_id: int,
    period: str,
    due_at: datetime,
    grace_until: datetime,
    now: datetime,
) -> PostLedger:
    """The ledger row of a post, created pending when missing (`late` when created after due)."""
    begin_write(session)
    found = find_entry(session, kind=kind, team_id=team_id, period=period)
    if found is not None:
        return found
    entry = PostLedger(
        kind=kind,
        team_id=team_id,
        period=period,
        due_at=due_at,
        grace_until=grace_until,
        next_attempt_at=max(now, due_at),
        late=now > due_at + timedelta(minutes=1),
        created_at=now,
    )
    session.add(entry)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = find_entry(session, kind=kind, team_id=team_id, period=period)
        if existing is None:
            raise
        return existing
    return entry


def find_entry(session: Session, *, kind: str, team_id: int, period: str) -> PostLedger | None:
    """The ledger row of (kind, team, period), if any."""
    return session.exec(
        select(PostLedger).where(
            PostLedger.kind == kind,
            PostLedger.team_id == team_id,
            PostLedger.period == period,
        )
    ).first()


def claim(
    session: Session, *, entry_id: int, worker: str, now: datetime, lease: timedelta = LEASE
) -> bool:
    """Take a pending post for `worker` under a lease; False when someone else has it.

    A worker that dies while posting keeps the row until its lease runs out; the
    next one then checks Slack for what was already posted (see worker.posting).
    """
    result = session.execute(
        update(PostLedger)
        .where(
            col(PostLedger.id) == entry_id,
            col(PostLedger.status) == PostStatus.PENDING.value,
            col(PostLedger.next_attempt_at) <= now,
            or_(col(PostLedger.claimed_until).is_(None), col(PostLedger.claimed_until) < now),
        )
        .values(claimed_by=worker, claimed_until=now + lease, attempts=col(PostLedger.attempts) + 1)
    )
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _finish(session: Session, entry_id: int, worker: str, **values: object) -> bool:
    result = session.execute(
        update(PostLedger)
        .where(
            col(PostLedger.id) == entry_id,
            col(PostLedger.claimed_by) == worker,
            col(PostLedger.status) == PostStatus.PENDING.value,
        )
        .values(claimed_by=None, claimed_until=None, **values)
    )
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def mark_sent(
    session: Session, *, entry_id: int, worker: str, channel: str, ts: str, now: datetime
) -> bool:
    """The post is in Slack."""
    return _finish(
        session,
        entry_id,
        worker,
        status=PostStatus.SENT.value,
        channel=channel,
        message_ts=ts,
        sent_at=now,
        last_error=None,
    )


def mark_skipped(session: Session, *, entry_id: int, worker: str, now: datetime) -> bool:
    """Nothing to post (the team skips empty days)."""
    return _finish(session, entry_id, worker, status=PostStatus.SKIPPED.value, sent_at=now)


def retry_delay(attempts: int) -> timedelta:
    """Backoff after `attempts` failed tries: 30 s, 1 min, 2 min, … at most 30 min."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def mark_attempt_failed(
    session: Session, *, entry: PostLedger, worker: str, error: str, now: datetime
) -> bool:
    """Record a failed try: retried later with backoff, or failed for good after MAX_ATTEMPTS."""
    given_up = entry.attempts >= MAX_ATTEMPTS or now + retry_delay(entry.attempts) > (
        entry.grace_until
    )
    values: dict[str, object] = {"last_error": error[:500]}
    if given_up:
        values["status"] = PostStatus.FAILED.value
    else:
        values["next_attempt_at"] = now + retry_delay(entry.attempts)
    return _finish(session, entry.id or 0, worker, **values)


def due_entries(session: Session, *, now: datetime) -> list[PostLedger]:
    """Pending posts whose time has come, oldest first."""
    return list(
        session.exec(
            select(PostLedger)
            .where(
                col(PostLedger.status) == PostStatus.PENDING.value,
                col(PostLedger.next_attempt_at) <= now,
                col(PostLedger.grace_until) >= now,
            )
            .order_by(PostLedger.due_at)
        )
    )


def mark_missed(session: Session, *, now: datetime) -> int:
    """Pending posts past their grace window, not being posted: missed. Returns how many."""
    result = session.execute(
        update(PostLedger)
        .where(
            col(PostLedger.status) == PostStatus.PENDING.value,
            col(PostLedger.grace_until) < now,
            or_(col(PostLedger.claimed_until).is_(None), col(PostLedger.claimed_until) < now),
        )
        .values(status=PostStatus.MISSED.value, last_error="not posted within its grace window")
    )
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def list_entries(
    session: Session, *, statuses: list[str] | None = None, limit: int = 50
) -> list[PostLedger]:
    """Ledger rows, newest due first."""
    query = select(PostLedger)
    if statuses:
        query = query.where(col(PostLedger.status).in_(statuses))
    return list(session.exec(query.order_by(col(PostLedger.due_at).desc()).limit(limit)))
