"""Slack Events API deliveries already handled, by `event_id`, recorded with their effect.

Slack redelivers an event it thinks failed (a non-2xx answer, a timeout), with
the same `event_id`. A change caused by an event records the id in the same
transaction as the change (`record_delivery`), so a delivery whose effect was
stored has no second effect, and one whose effect failed (rolled back) is applied
when Slack delivers it again. An event that causes no change but gets an answer
(a refusal, a "did you mean") is recorded on its own (`first_delivery`), so a
redelivery is not answered twice.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.db import begin_write, utcnow
from models.tables import SlackEvent


def record_delivery(session: Session, *, event_id: str) -> bool:
    """Record `event_id` in the session's write transaction; False when it was handled before.

    Call it after `begin_write` and before the change: the row is flushed at once,
    so a concurrent delivery of the same event waits for this transaction and then
    finds the id taken. On False the transaction is rolled back and nothing may be
    written in it.
    """
    session.add(SlackEvent(event_id=event_id, received_at=utcnow()))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return False
    return True


def first_delivery(session: Session, *, event_id: str) -> bool:
    """Record `event_id` in a transaction of its own; False when it was handled before."""
    begin_write(session)
    if not record_delivery(session, event_id=event_id):
        return False
    session.commit()
    return True
