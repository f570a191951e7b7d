"""The outbox's rules: leases, readiness, backoff, failures, cards re-armed while being posted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, update
from sqlmodel import col

from models import outbox
from models.db import session_scope, utcnow
from models.leads import LeadAction
from models.tables import Lead, Outbox
from tests.lead_helpers import MARC, acme, hand, move, rows, stored

LEASE = timedelta(seconds=60)


def take(
    engine: Engine, row_id: int, worker: str, *, at: object = None, due_only: bool = True
) -> outbox.Job | None:
    with session_scope(engine) as session:
        return outbox.take(
            session,
            row_id=row_id,
            worker=worker,
            now=at or utcnow(),  # type: ignore[arg-type]
            lease=LEASE,
            due_only=due_only,
        )


def row(engine: Engine, row_id: int) -> Outbox:
    with session_scope(engine) as session:
        return session.get_one(Outbox, row_id)


def card_row(engine: Engine, lead_id: int) -> Outbox:
    return next(r for r in rows(engine) if r.key == f"card:{lead_id}")


def shown(
    engine: Engine, job: outbox.Job, worker: str, *, version: int, ts: str = "1.000001"
) -> bool:
    with session_scope(engine) as session:
        return outbox.card_shown(
            session,
            row_id=job.id,
            lead_id=job.lead_id or 0,
            worker=worker,
            channel="C0LEADSFR",
            ts=ts,
            version=version,
            now=utcnow(),
        )


def test_a_row_is_taken_by_one_process_at_a_time(roster: Engine) -> None:
    lead_id = hand(roster).lead.id
    card = card_row(roster, lead_id)
    now = utcnow()
    first = take(roster, card.id or 0, "a", at=now)
    assert first is not None and not first.tried_before and first.attempts == 1
    assert take(roster, card.id or 0, "b", at=now) is None  # leased
    later = take(roster, card.id or 0, "b", at=now + LEASE + timedelta(seconds=1))
    assert later is not None and later.tried_before  # the lease ran out: b looks in Slack first
    with session_scope(roster) as session:  # a, back from a long pause, may not post
        assert not outbox.still_held(session, row_id=card.id or 0, worker="a", now=utcnow())
        assert outbox.still_held(session, row_id=card.id or 0, worker="b", now=now)
    assert not shown(roster, first, "a", version=1)  # and cannot finish b's row
    assert row(roster, card.id or 0).claimed_by == "b"


def test_a_card_shown_records_where_it_is_once_and_the_version_it_shows(roster: Engine) -> None:
    lead_id = hand(roster).lead.id
    job = take(roster, card_row(roster, lead_id).id or 0, "a")
    assert job is not None
    assert shown(roster, job, "a", version=1, ts="1.000001")
    lead = stored(roster, lead_id)
    assert (lead.card_channel, lead.card_ts, lead.card_version) == ("C0LEADSFR", "1.000001", 1)
    sent = row(roster, job.id)
    assert (sent.status, sent.message_ts, sent.claimed_by) == ("sent", "1.000001", None)
    move(roster, MARC, lead_id, LeadAction.CLAIM)
    rearmed = take(roster, job.id, "b")
    assert rearmed is not None and rearmed.version == 2 and rearmed.attempts == 1
    assert shown(roster, rearmed, "b", version=2, ts="9.999999")
    assert stored(roster, lead_id).card_ts == "1.000001"  # never moved
    assert stored(roster, lead_id).card_version == 2


def test_a_card_rearmed_while_it_was_being_posted_stays_pending(roster: Engine) -> None:
    lead_id = hand(roster, acme(engineer=MARC)).lead.id
    job = take(roster, card_row(roster, lead_id).id or 0, "a")
    assert job is not None
    move(roster, MARC, lead_id, LeadAction.CLAIM)  # the lead moves on during the post
    assert not shown(roster, job, "a", version=1)
    pending = row(roster, job.id)
    assert (pending.status, pending.version, pending.claimed_by) == ("pending", 2, None)
    assert stored(roster, lead_id).card_version == 1
    again = take(roster, job.id, "a")
    assert again is not None and shown(roster, again, "a", version=2)


def test_replies_wait_for_their_card_and_for_each_other(roster: Engine) -> None:
    lead_id = hand(roster, acme(engineer=MARC)).lead.id
    move(roster, MARC, lead_id, LeadAction.CLAIM)
    move(roster, MARC, lead_id, LeadAction.QUALIFY)
    first, second = (r for r in rows(roster) if r.kind == "reply")
    hand_dm = next(r for r in rows(roster) if r.kind == "dm")
    assert take(roster, first.id or 0, "a") is None  # no card yet
    assert take(roster, hand_dm.id or 0, "a") is None  # a DM links the card
    card = take(roster, card_row(roster, lead_id).id or 0, "a")
    assert card is not None and shown(roster, card, "a", version=3)
    assert take(roster, second.id or 0, "a") is None  # the first reply goes first
    taken = take(roster, first.id or 0, "a")
    assert taken is not None
    with session_scope(roster) as session:
        outbox.mark_sent(session, row_id=taken.id, worker="a", channel="C", ts="2.0", now=utcnow())
    assert take(roster, second.id or 0, "a") is not None


def test_a_dm_goes_without_its_link_once_the_card_failed_for_good(roster: Engine) -> None:
    lead_id = hand(roster, acme(engineer=MARC)).lead.id
    card = take(roster, card_row(roster, lead_id).id or 0, "a")
    assert card is not None
    with session_scope(roster) as session:
        outbox.mark_failed(session, row_id=card.id, worker="a", error="channel_not_found")
    dm = next(r for r in rows(roster) if r.kind == "dm")
    assert take(roster, dm.id or 0, "a") is not None
    assert row(roster, card.id).last_error == "channel_not_found"


def test_a_transient_failure_backs_off_and_a_definitive_one_waits_for_an_operator(
    roster: Engine,
) -> None:
    lead_id = hand(roster).lead.id
    card_id = card_row(roster, lead_id).id or 0
    now = utcnow()
    job = take(roster, card_id, "a", at=now)
    assert job is not None
    with session_scope(roster) as session:
        outbox.retry_later(
            session,
            row_id=card_id,
            worker="a",
            error="ratelimited",
            attempts=job.attempts,
            now=now,
            at_least=timedelta(seconds=55),
        )
    pending = row(roster, card_id)
    assert (pending.status, pending.last_error) == ("pending", "ratelimited")
    assert pending.next_attempt_at == now + timedelta(seconds=55)  # Slack's Retry-After wins
    assert take(roster, card_id, "a", at=now + timedelta(seconds=30)) is None  # not due yet
    with session_scope(roster) as session:
        assert outbox.due_rows(session, now=now + timedelta(seconds=30)) == []
        assert outbox.due_rows(session, now=now + timedelta(seconds=56)) == [card_id]
    assert [outbox.retry_delay(n).total_seconds() for n in (1, 2, 3, 12)] == [30, 60, 120, 1800]
    job = take(roster, card_id, "a", at=now + timedelta(seconds=56))
    assert job is not None and job.attempts == 2 and job.tried_before
    with session_scope(roster) as session:
        outbox.mark_failed(session, row_id=card_id, worker="a", error="channel_not_found")
        assert outbox.due_rows(session, now=now + timedelta(hours=1)) == []
        [left] = outbox.unsent(session)
        assert (left.status, left.last_error) == (outbox.RowStatus.FAILED, "channel_not_found")
        assert outbox.retry_failed(session, now=now) == 1
    revived = row(roster, card_id)
    assert (revived.status, revived.attempts) == ("pending", 0)


def test_rows_attempted_moments_ago_are_left_to_settle(roster: Engine) -> None:
    lead_id = hand(roster).lead.id
    card_id = card_row(roster, lead_id).id or 0
    now = utcnow()
    assert take(roster, card_id, "a", at=now) is not None
    with session_scope(roster) as session:
        outbox.retry_later(
            session, row_id=card_id, worker="a", error="timeout", attempts=1, now=now
        )
        assert outbox.due_rows(session, now=now + timedelta(seconds=5), due_only=False) == []
        assert outbox.due_rows(
            session, now=now + outbox.SETTLE + timedelta(seconds=1), due_only=False
        ) == [card_id]


def test_stale_cards_without_a_row_are_armed(roster: Engine) -> None:
    lead_id = hand(roster).lead.id
    with roster.begin() as connection:
        connection.execute(update(Outbox).values(status="sent"))
        connection.execute(
            update(Lead).where(col(Lead.id) == lead_id).values(version=3, card_version=1)
        )
    with session_scope(roster) as session:
        assert outbox.arm_stale_cards(session, now=utcnow()) == 1
        assert outbox.arm_stale_cards(session, now=utcnow()) == 0
    card = card_row(roster, lead_id)
    assert (card.status, card.version) == ("pending", 3)
