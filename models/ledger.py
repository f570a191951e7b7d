"""The ledger of scheduled posts: each (kind, team, period) is posted exactly once, or visibly not.

A post goes through these states:

    pending --claim--> (being posted under a lease) --> sent
       |                      | transient failure: back to pending with a later
       |                      |   next_attempt_at, or failed when the next try would
       |                      |   fall after grace_until
       |                      | permanent failure (Slack said no for good): failed
       +-- past grace_until, not sent --> missed
       +-- nothing to say (a team that skips empty days) --> skipped

Several worker processes may race on the same row: creation is guarded by the
unique key, and posting by a conditional UPDATE that takes a lease. The holder
renews its lease (another conditional UPDATE) before each Slack call, and
records each message and file as Slack accepts it; every write of a holder is
conditional on still holding the row, so a worker that lost it stops.

`last_error` holds `<stage>:<code>`: the stage (schedule, compose, check, post, upload)
and Slack's error code or one of the codes below. Words are the CLI's business.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.db import begin_write
from models.tables import PostLedger

LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(minutes=30)

#: A post that no worker sent within its grace window.
GRACE_PASSED = "schedule:grace_window_passed"
#: The team has no digest channel to post to.
NO_CHANNEL = "post:no_digest_channel"


class PostKind(StrEnum):
    """What a scheduled post is."""

    DAILY_DIGEST = "daily-digest"
    MONTHLY_REPORT = "monthly-report"
    #: An outsourced team's monthly statement, to its digest channel and to the provider's.
    TEAM_STATEMENT = "sla-statement"
    PROVIDER_STATEMENT = "sla-statement-provider"


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
    on_demand: bool = False,
) -> PostLedger:
    """The ledger row of a post, created pending when missing (`late` when created after due).

    Looking costs no write lock; only a missing row is looked for again in a write
    transaction, then created.
    """
    found = find_entry(session, kind=kind, team_id=team_id, period=period)
    session.commit()
    if found is not None:
        return found
    begin_write(session)
    found = find_entry(session, kind=kind, team_id=team_id, period=period)
    if found is not None:
        session.commit()
        return found
    entry = PostLedger(
        kind=kind,
        team_id=team_id,
        period=period,
        due_at=due_at,
        grace_until=grace_until,
        next_attempt_at=max(now, due_at),
        late=now > due_at + timedelta(minutes=1),
        on_demand=on_demand,
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


def last_scheduled_due(session: Session, *, kind: str, team_id: int) -> datetime | None:
    """Due time of the latest post of this kind the schedule recorded for the team, if any.

    Posts run on demand (`leadcell jobs run`) do not count: they may be for any period.
    """
    latest = session.exec(
        select(PostLedger.due_at)
        .where(
            PostLedger.kind == kind,
            PostLedger.team_id == team_id,
            col(PostLedger.on_demand).is_(False),
        )
        .order_by(col(PostLedger.due_at).desc())
        .limit(1)
    ).first()
    return latest


def claim(
    session: Session, *, entry_id: int, worker: str, now: datetime, lease: timedelta = LEASE
) -> bool:
    """Take a due pending post for `worker` under a lease; False when it is not free.

    `worker` names this one claim (deliver adds a random suffix to the process
    name), so a holder whose lease ran out can never mistake a later claim for
    its own. A worker that dies while posting keeps the row until its lease runs
    out; the next one then checks Slack for what was already posted.
    """
    result = session.execute(
        update(PostLedger)
        .where(
            col(PostLedger.id) == entry_id,
            col(PostLedger.status) == PostStatus.PENDING.value,
            col(PostLedger.next_attempt_at) <= now,
            or_(col(PostLedger.claimed_until).is_(None), col(PostLedger.claimed_until) <= now),
        )
        .values(claimed_by=worker, claimed_until=now + lease, attempts=col(PostLedger.attempts) + 1)
    )
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _holder_update(session: Session, entry_id: int, worker: str, **values: Any) -> bool:
    """Change the row only while `worker` still holds it (pending, claimed by it)."""
    begin_write(session)
    result = session.execute(
        update(PostLedger)
        .where(
            col(PostLedger.id) == entry_id,
            col(PostLedger.claimed_by) == worker,
            col(PostLedger.status) == PostStatus.PENDING.value,
        )
        .values(**values)
    )
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def renew(
    session: Session, *, entry_id: int, worker: str, until: datetime, sending: str | None
) -> bool:
    """Extend the holder's lease to `until` and say what it is about to send.

    False when the row is no longer the holder's: it must stop without calling Slack.
    """
    return _holder_update(session, entry_id, worker, claimed_until=until, sending=sending)


def record_post(
    session: Session, *, entry_id: int, worker: str, channel: str, parts: int, files: int
) -> bool:
    """Where the composed post goes, and how many messages and files it has."""
    return _holder_update(
        session, entry_id, worker, channel=channel, parts_total=parts, files_total=files
    )


def _progress(session: Session, entry_id: int, field: str) -> dict[str, str]:
    begin_write(session)
    value = session.execute(
        select(getattr(PostLedger, field)).where(col(PostLedger.id) == entry_id)
    ).scalar_one_or_none()
    return dict(value or {})


def record_part(session: Session, *, entry_id: int, worker: str, part: int, ts: str) -> bool:
    """Slack holds message `part` of the post, with this ts."""
    parts = _progress(session, entry_id, "posted_parts")
    parts[str(part)] = ts
    return _holder_update(session, entry_id, worker, posted_parts=parts, sending=None)


def record_file(session: Session, *, entry_id: int, worker: str, name: str, file_id: str) -> bool:
    """File `name` is shared in the post's thread, as `file_id`."""
    files = _progress(session, entry_id, "shared_files")
    files[name] = file_id
    return _holder_update(session, entry_id, worker, shared_files=files, sending=None)


def _finish(session: Session, entry_id: int, worker: str, **values: Any) -> bool:
    return _holder_update(
        session, entry_id, worker, claimed_by=None, claimed_until=None, sending=None, **values
    )


def mark_sent(
    session: Session, *, entry_id: int, worker: str, channel: str, ts: str, now: datetime
) -> bool:
    """Every message and file of the post is in Slack."""
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


def mark_retry(
    session: Session,
    *,
    entry: PostLedger,
    worker: str,
    error: str,
    now: datetime,
    at: datetime | None = None,
    settle: timedelta = timedelta(0),
) -> str:
    """A try that may work later: pending again at `at` (default: the backoff of its tries),
    and not taken by anyone for `settle`.

    Failed instead when that would fall after the grace window. Returns the new status.
    """
    retry_at = max(at if at is not None else now + retry_delay(entry.attempts), now + settle)
    if retry_at > entry.grace_until:
        return mark_failed(session, entry_id=entry.id or 0, worker=worker, error=error)
    # A call that timed out may still land in Slack for a while (`settle`): nobody takes
    # the post before then, so whoever tries next sees that call's message in the channel.
    changed = _holder_update(
        session,
        entry.id or 0,
        worker,
        claimed_by=None,
        claimed_until=now + settle if settle else None,
        sending=None,
        last_error=error[:500],
        next_attempt_at=retry_at,
    )
    return PostStatus.PENDING.value if changed else "busy"


def mark_failed(session: Session, *, entry_id: int, worker: str, error: str) -> str:
    """Given up for a reason no retry can fix (or the grace window is over)."""
    changed = _finish(
        session, entry_id, worker, status=PostStatus.FAILED.value, last_error=error[:500]
    )
    return PostStatus.FAILED.value if changed else "busy"


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


def next_wake(session: Session, *, now: datetime) -> datetime | None:
    """When the earliest pending post can next be taken (its retry time or its lease's end)."""
    rows = session.exec(
        select(PostLedger.next_attempt_at, PostLedger.claimed_until).where(
            col(PostLedger.status) == PostStatus.PENDING.value,
            col(PostLedger.grace_until) >= now,
        )
    ).all()
    times = [max(next_at, claimed) if claimed is not None else next_at for next_at, claimed in rows]
    return min(times, default=None)


def mark_missed(session: Session, *, now: datetime) -> int:
    """Pending posts past their grace window, not being posted: missed. Returns how many.

    A post that was tried keeps the error of its last try.
    """
    result = session.execute(
        update(PostLedger)
        .where(
            col(PostLedger.status) == PostStatus.PENDING.value,
            col(PostLedger.grace_until) < now,
            or_(col(PostLedger.claimed_until).is_(None), col(PostLedger.claimed_until) <= now),
        )
        .values(
            status=PostStatus.MISSED.value,
            last_error=func.coalesce(col(PostLedger.last_error), GRACE_PASSED),
            claimed_by=None,
            claimed_until=None,
            sending=None,
        )
    )
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def run_now(session: Session, *, entry_id: int, now: datetime, grace_until: datetime) -> bool:
    """Make a post due now on demand: a pending one not being posted, or a failed or missed one.

    A failed or missed post is pending again, sendable until `grace_until` at least.
    Returns False when it is sent, skipped, or held by a worker right now.
    """
    entry = session.get(PostLedger, entry_id)
    if entry is None:
        return False
    result = session.execute(
        update(PostLedger)
        .where(
            col(PostLedger.id) == entry_id,
            col(PostLedger.status).in_(
                [PostStatus.PENDING.value, PostStatus.FAILED.value, PostStatus.MISSED.value]
            ),
            or_(col(PostLedger.claimed_until).is_(None), col(PostLedger.claimed_until) <= now),
        )
        .values(
            status=PostStatus.PENDING.value,
            next_attempt_at=now,
            grace_until=max(entry.grace_until, grace_until),
            claimed_by=None,
            claimed_until=None,
        )
    )
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def list_entries(
    session: Session, *, statuses: list[str] | None = None, limit: int = 50
) -> list[PostLedger]:
    """Ledger rows, newest due first."""
    query = select(PostLedger)
    if statuses:
        query = query.where(col(PostLedger.status).in_(statuses))
    return list(session.exec(query.order_by(col(PostLedger.due_at).desc()).limit(limit)))
