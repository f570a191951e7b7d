"""The outbox: every lead card, thread reply and direct message leadcell owes Slack.

Guarantees. A row is written in the same transaction as the lead change it
announces, so a change is never stored without its messages nor a message queued
for a change that was rolled back; a redelivered request changes nothing and so
adds no row (and the unique `key` refuses a second one). A row stays `pending`
until Slack confirmed the message (its channel and ts are then recorded), and is
caught up automatically: the request's own lazy listener delivers it at once,
and the worker's sweep (and `leadcell leads refresh-cards`) delivers whatever is
still pending. Two processes never deliver the same row at once: a process
takes a row by a conditional UPDATE that grants a short lease. A row that was
ever attempted is never posted blindly again: the deliverer first looks in the
channel (or the card's thread) for a message whose metadata names it, and
records that one instead. A definitive Slack error ends the row as `failed`
with the reason (shown by `leadcell leads refresh-cards`, which can re-arm
failed rows); a transient one (rate limit, server error, timeout, dropped
connection) leaves it pending, retried with backoff. A lead has one card row,
re-armed with the lead version the card must show at least: delivering it posts
the card once, then updates it in place to the lead's latest version
(`chat.update` is idempotent). Thread replies wait for their card and keep
their order; a direct message waits for the card (it links to it) unless the
card failed for good.

Rows hold facts (user ids, amounts, reasons, the action), never rendered text:
the bot renders each message when it delivers it, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import case, or_, update
from sqlmodel import Session, col, select

from models.db import begin_write
from models.tables import Lead, Outbox

LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(minutes=30)
#: A row whose last try failed less than this long ago is left alone (even by an operator
#: catching up), so that a message Slack stored after the client gave up (a timeout) is in
#: the channel before anyone looks for it.
SETTLE = timedelta(seconds=20)


class Kind(StrEnum):
    """What a row posts."""

    CARD = "card"
    REPLY = "reply"
    DM = "dm"


class RowStatus(StrEnum):
    """Where a row stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


#: The order rows are delivered in: a card before the replies under it and the DMs linking it.
_KIND_ORDER = case(
    (col(Outbox.kind) == Kind.CARD.value, 0),
    (col(Outbox.kind) == Kind.REPLY.value, 1),
    else_=2,
)


def card_key(lead_id: int) -> str:
    return f"card:{lead_id}"


def arm_card(session: Session, *, team_id: int, lead_id: int, version: int, now: datetime) -> int:
    """Ask for the lead's card to show `version` at least: the card row, created or re-armed.

    Part of the caller's write transaction. A row being delivered keeps its lease;
    its deliverer sees the higher version and does not mark it sent.
    """
    found = session.exec(select(Outbox).where(Outbox.key == card_key(lead_id))).first()
    if found is None:
        row = Outbox(
            key=card_key(lead_id),
            kind=Kind.CARD.value,
            team_id=team_id,
            lead_id=lead_id,
            version=version,
            facts={},
            next_attempt_at=now,
            created_at=now,
        )
        session.add(row)
        session.flush()
        return row.id or 0
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == found.id)
        .values(
            status=RowStatus.PENDING.value,
            version=case((col(Outbox.version) < version, version), else_=col(Outbox.version)),
            attempts=0,
            next_attempt_at=now,
            last_error=None,
        )
        .execution_options(synchronize_session=False)
    )
    return found.id or 0


def add_message(
    session: Session,
    *,
    kind: Kind,
    team_id: int,
    lead_id: int,
    version: int,
    facts: dict[str, Any],
    now: datetime,
    recipient: str | None = None,
) -> int:
    """A thread reply (`recipient` None) or a direct message to `recipient` about a lead change.

    Part of the caller's write transaction. `facts` must be JSON: strings, numbers,
    booleans, None. The key names the lead, the version the change made and the
    recipient, so one change asks for one message per person.
    """
    key = f"{kind.value}:{lead_id}:{version}" + (f":{recipient}" if recipient else "")
    row = Outbox(
        key=key,
        kind=kind.value,
        team_id=team_id,
        lead_id=lead_id,
        version=version,
        facts={**facts, **({"recipient": recipient} if recipient else {})},
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row.id or 0


# --- delivering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """A row taken for delivery under a lease.

    `tried_before`: the row was attempted before (a crash or a failure may have left
    its message in Slack), so the deliverer looks for it before posting.
    """

    id: int
    key: str
    kind: Kind
    team_id: int
    lead_id: int | None
    version: int
    facts: dict[str, Any]
    attempts: int
    tried_before: bool
    created_at: datetime


def retry_delay(attempts: int) -> timedelta:
    """Backoff after `attempts` failed tries: 30 s, 1 min, 2 min, … at most 30 min."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def due_rows(
    session: Session, *, now: datetime, due_only: bool = True, limit: int = 500
) -> list[int]:
    """Pending rows to deliver now, cards first, oldest first.

    With `due_only=False` (an operator catching up by hand) the backoff is ignored,
    but rows attempted within SETTLE are still left alone.
    """
    query = select(Outbox.id).where(
        col(Outbox.status) == RowStatus.PENDING.value,
        or_(col(Outbox.claimed_until).is_(None), col(Outbox.claimed_until) < now),
        or_(
            col(Outbox.last_error).is_(None),
            col(Outbox.last_attempt_at).is_(None),
            col(Outbox.last_attempt_at) <= now - SETTLE,
        ),
    )
    if due_only:
        query = query.where(col(Outbox.next_attempt_at) <= now)
    query = query.order_by(_KIND_ORDER, col(Outbox.id)).limit(limit)
    return [row_id for row_id in session.exec(query).all() if row_id is not None]


def due_for_leads(
    session: Session, *, row_ids: list[int], now: datetime, limit: int = 100
) -> list[int]:
    """Pending, due rows about the same leads as `row_ids` (cards first): what a request's
    delivery also sends, such as a reply that waited for the card it just posted."""
    leads = select(Outbox.lead_id).where(col(Outbox.id).in_(row_ids))
    query = (
        select(Outbox.id)
        .where(
            col(Outbox.lead_id).in_(leads),
            col(Outbox.status) == RowStatus.PENDING.value,
            col(Outbox.next_attempt_at) <= now,
            or_(col(Outbox.claimed_until).is_(None), col(Outbox.claimed_until) < now),
        )
        .order_by(_KIND_ORDER, col(Outbox.id))
        .limit(limit)
    )
    return [row_id for row_id in session.exec(query).all() if row_id is not None]


def _ready(session: Session, row: Outbox) -> bool:
    """A reply needs its card and the replies before it; a DM needs the card or its failure."""
    if row.kind == Kind.CARD.value or row.lead_id is None:
        return True
    lead = session.get(Lead, row.lead_id)
    if lead is None:
        return False
    if row.kind == Kind.REPLY.value:
        earlier = session.exec(
            select(Outbox.id).where(
                col(Outbox.lead_id) == row.lead_id,
                col(Outbox.kind) == Kind.REPLY.value,
                col(Outbox.status) == RowStatus.PENDING.value,
                col(Outbox.id) < row.id,
            )
        ).first()
        return lead.card_ts is not None and earlier is None
    if lead.card_ts is not None:
        return True
    card = session.exec(select(Outbox.status).where(Outbox.key == card_key(row.lead_id))).first()
    return card == RowStatus.FAILED.value


def take(
    session: Session,
    *,
    row_id: int,
    worker: str,
    now: datetime,
    lease: timedelta = LEASE,
    due_only: bool = True,
) -> Job | None:
    """Take a pending, ready row for `worker` under a lease; None when it is not to be had.

    One conditional UPDATE: only one process gets a row, and a row someone else
    touched since it was read (attempted, delivered) is not taken on stale facts.
    """
    begin_write(session)
    row = session.get(Outbox, row_id)
    if row is None or row.status != RowStatus.PENDING.value or not _ready(session, row):
        session.rollback()
        return None
    seen = row.last_attempt_at
    conditions = [
        col(Outbox.id) == row_id,
        col(Outbox.status) == RowStatus.PENDING.value,
        or_(col(Outbox.claimed_until).is_(None), col(Outbox.claimed_until) < now),
        col(Outbox.last_attempt_at).is_(None)
        if seen is None
        else col(Outbox.last_attempt_at) == seen,
    ]
    if due_only:
        conditions.append(col(Outbox.next_attempt_at) <= now)
    result = session.execute(
        update(Outbox)
        .where(*conditions)
        .values(
            claimed_by=worker,
            claimed_until=now + lease,
            attempts=col(Outbox.attempts) + 1,
            last_attempt_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    return Job(
        id=row_id,
        key=row.key,
        kind=Kind(row.kind),
        team_id=row.team_id,
        lead_id=row.lead_id,
        version=row.version,
        facts=dict(row.facts or {}),
        attempts=row.attempts + 1,
        tried_before=seen is not None,
        created_at=row.created_at,
    )


def _held(row_id: int, worker: str) -> list[Any]:
    return [
        col(Outbox.id) == row_id,
        col(Outbox.claimed_by) == worker,
        col(Outbox.status) == RowStatus.PENDING.value,
    ]


def still_held(session: Session, *, row_id: int, worker: str, now: datetime) -> bool:
    """True while `worker`'s lease on the row runs (checked just before posting)."""
    found = session.exec(
        select(Outbox.id).where(*_held(row_id, worker), col(Outbox.claimed_until) >= now)
    ).first()
    session.rollback()
    return found is not None


def _release(session: Session, row_id: int, worker: str, **values: Any) -> bool:
    begin_write(session)
    result = session.execute(
        update(Outbox)
        .where(*_held(row_id, worker))
        .values(claimed_by=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def mark_sent(
    session: Session, *, row_id: int, worker: str, channel: str, ts: str, now: datetime
) -> bool:
    """Slack has the message (a reply or a DM)."""
    return _release(
        session,
        row_id,
        worker,
        status=RowStatus.SENT.value,
        channel=channel,
        message_ts=ts,
        sent_at=now,
        last_error=None,
    )


def card_shown(
    session: Session,
    *,
    row_id: int,
    lead_id: int,
    worker: str,
    channel: str,
    ts: str,
    version: int,
    now: datetime,
) -> bool:
    """The lead's card in `channel` at `ts` shows `version`. True when the row is done.

    The lead remembers where its card is (once) and which version it shows (never
    backwards). The row is sent when it asked for no later version; otherwise it is
    released, still pending and due at once (a change came in while posting).
    """
    begin_write(session)
    session.execute(
        update(Lead)
        .where(col(Lead.id) == lead_id, col(Lead.card_ts).is_(None))
        .values(card_channel=channel, card_ts=ts)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Lead)
        .where(col(Lead.id) == lead_id, col(Lead.card_version) < version)
        .values(card_version=version)
        .execution_options(synchronize_session=False)
    )
    done = session.execute(
        update(Outbox)
        .where(*_held(row_id, worker), col(Outbox.version) <= version)
        .values(
            claimed_by=None,
            claimed_until=None,
            status=RowStatus.SENT.value,
            channel=channel,
            message_ts=ts,
            sent_at=now,
            last_error=None,
        )
        .execution_options(synchronize_session=False)
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        session.execute(
            update(Outbox)
            .where(*_held(row_id, worker))
            .values(claimed_by=None, claimed_until=None, next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
    session.commit()
    return bool(done.rowcount)  # type: ignore[attr-defined]


def retry_later(
    session: Session,
    *,
    row_id: int,
    worker: str,
    error: str,
    attempts: int,
    now: datetime,
    at_least: timedelta = timedelta(0),
) -> bool:
    """A transient failure: pending again, after the backoff (or Slack's Retry-After)."""
    delay = max(retry_delay(attempts), at_least)
    return _release(session, row_id, worker, next_attempt_at=now + delay, last_error=error[:500])


def mark_failed(session: Session, *, row_id: int, worker: str, error: str) -> bool:
    """A definitive failure: no retry will fix it until someone does something."""
    return _release(session, row_id, worker, status=RowStatus.FAILED.value, last_error=error[:500])


# --- upkeep (`leadcell leads refresh-cards`) -----------------------------------------------


def retry_failed(session: Session, *, now: datetime) -> int:
    """Put every failed row back to pending (after fixing what made them fail)."""
    begin_write(session)
    result = session.execute(
        update(Outbox)
        .where(col(Outbox.status) == RowStatus.FAILED.value)
        .values(status=RowStatus.PENDING.value, attempts=0, next_attempt_at=now, last_error=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def arm_stale_cards(session: Session, *, now: datetime) -> int:
    """A card row for every lead whose card is missing or behind and has none pending (or
    failed: those wait for `retry_failed`)."""
    begin_write(session)
    pending_card = (
        select(Outbox.id)
        .where(
            col(Outbox.lead_id) == col(Lead.id),
            col(Outbox.kind) == Kind.CARD.value,
            col(Outbox.status) != RowStatus.SENT.value,
        )
        .exists()
    )
    stale = session.exec(
        select(Lead.id, Lead.team_id, Lead.version).where(
            col(Lead.card_version) < col(Lead.version), ~pending_card
        )
    ).all()
    for lead_id, team_id, version in stale:
        arm_card(session, team_id=team_id, lead_id=lead_id or 0, version=version, now=now)
    session.commit()
    return len(stale)


@dataclass(frozen=True)
class RowFacts:
    """A row as `refresh-cards` reports it."""

    id: int
    kind: Kind
    lead_id: int | None
    status: RowStatus
    attempts: int
    last_error: str | None
    next_attempt_at: datetime


def unsent(session: Session, *, limit: int = 200) -> list[RowFacts]:
    """Rows not delivered (pending or failed), oldest first."""
    rows = session.exec(
        select(Outbox)
        .where(col(Outbox.status) != RowStatus.SENT.value)
        .order_by(col(Outbox.id))
        .limit(limit)
    ).all()
    return [
        RowFacts(
            id=row.id or 0,
            kind=Kind(row.kind),
            lead_id=row.lead_id,
            status=RowStatus(row.status),
            attempts=row.attempts,
            last_error=row.last_error,
            next_attempt_at=row.next_attempt_at,
        )
        for row in rows
    ]
