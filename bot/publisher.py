"""Delivering the outbox (models.outbox) to Slack: lead cards, thread replies, direct messages.

`deliver` sends the rows a request created, right after it (its lazy listener);
`deliver_pending` sends whatever is still pending: the worker's sweep calls it
every minute, and `leadcell leads refresh-cards` calls it by hand. Each row is
taken under a lease, rendered from its facts in its reader's language (the
team's for cards and thread replies, the recipient's for direct messages), and
sent. A row tried before is first looked for in Slack, by the metadata every
message carries (the card names its lead, a reply or a direct message its row),
and recorded rather than sent again.

Slack calls here are made without in-process retries: a retry that re-sends a
message after a dropped connection or a timeout may post it twice, and a retry
that sleeps may outlive the lease. A transient failure leaves the row pending
for a later pass (after the backoff, or Slack's Retry-After), which checks
Slack first; a definitive one (`channel_not_found`, `invalid_blocks`, …) ends
it as failed with the reason.
"""

from __future__ import annotations

import http.client
import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.slack_response import SlackResponse
from sqlalchemy import Engine

from bot.i18n import Reader
from bot.readers import reader_of, team_reader
from bot.views.leads import CARD_EVENT_TYPE, card, direct_message, message_metadata, reply_text
from models import outbox
from models.actors import resolve_actor
from models.db import session_scope, utcnow
from models.leads import LeadFacts, lead_facts

log = logging.getLogger(__name__)

LEASE = outbox.LEASE
#: Slack errors a later try may cure; any other error is definitive.
TRANSIENT_ERRORS = frozenset(
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
        "team_added_to_org",
    }
)
#: Rows read at a time by a delivery pass.
BATCH = 200
#: How many times a request's delivery looks again for rows of its leads that became ready.
PASSES = 5
#: How far before a row (or a lead) was created its message may be in the channel's history.
HISTORY_MARGIN = timedelta(minutes=5)


@dataclass
class Delivered:
    """What a delivery pass did, row by row: `sent`, `retrying`, `failed`, or `skipped` (held
    by another process, waiting for its card, or not due)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1

    def __getitem__(self, outcome: str) -> int:
        return self.counts.get(outcome, 0)


def delivery_client(client: WebClient) -> WebClient:
    """A client like `client` (token, API address, timeout) that never retries by itself."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=[],
        logger=client.logger,
    )


def worker_name() -> str:
    """A name for one delivery pass, unique across processes and threads."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def deliver(
    engine: Engine,
    client: WebClient,
    row_ids: Iterable[int],
    *,
    worker: str | None = None,
    now: datetime | None = None,
    lease: timedelta = LEASE,
) -> Delivered:
    """Send the rows a request just created (in order: the card first), then whatever else
    about the same leads is due and now ready (a reply that waited for the card, or for an
    earlier reply another request was sending)."""
    sender = delivery_client(client)
    worker = worker or worker_name()
    done = Delivered()
    mine = list(row_ids)
    batch, due_only = mine, False
    for _ in range(PASSES):
        moved = 0
        for row_id in batch:
            for _ in range(3):  # a card re-armed while it was being posted is sent again at once
                outcome = _deliver_row(
                    engine,
                    sender,
                    row_id,
                    worker=worker,
                    now=now or utcnow(),
                    lease=lease,
                    due_only=due_only,
                )
                if outcome != "again":
                    break
            done.add("sent" if outcome == "again" else outcome)
            moved += outcome in ("sent", "again")
        if not moved:
            return done
        with session_scope(engine) as session:
            batch = outbox.due_for_leads(session, row_ids=mine, now=now or utcnow())
        due_only = True
        if not batch:
            break
    return done


def deliver_pending(
    engine: Engine,
    client: WebClient,
    *,
    worker: str,
    now: datetime,
    lease: timedelta = LEASE,
    due_only: bool = True,
) -> Delivered:
    """Send every pending row that is due (all of them with `due_only=False`), cards first.

    Rows are read in batches; a pass ends when a batch moves nothing (what is left waits
    for its card, its backoff or another process's lease).
    """
    sender = delivery_client(client)
    done = Delivered()
    while True:
        with session_scope(engine) as session:
            row_ids = outbox.due_rows(session, now=now, due_only=due_only, limit=BATCH)
        moved = 0
        for row_id in row_ids:
            outcome = _deliver_row(
                engine, sender, row_id, worker=worker, now=now, lease=lease, due_only=due_only
            )
            done.add("sent" if outcome == "again" else outcome)
            moved += outcome != "skipped"
        if not moved or len(row_ids) < BATCH:
            return done


@dataclass(frozen=True)
class _Row:
    job: outbox.Job
    lead: LeadFacts
    reader: Reader


class _LeaseLost(Exception):
    """Another process took the row over (our lease ran out): leave it to them."""


def _deliver_row(
    engine: Engine,
    client: WebClient,
    row_id: int,
    *,
    worker: str,
    now: datetime,
    lease: timedelta,
    due_only: bool,
) -> str:
    with session_scope(engine) as session:
        job = outbox.take(
            session, row_id=row_id, worker=worker, now=now, lease=lease, due_only=due_only
        )
        if job is None or job.lead_id is None:
            return "skipped"
        lead = lead_facts(session, lead_id=job.lead_id)
        if job.kind == outbox.Kind.DM:
            recipient = resolve_actor(
                session.connection(), user_id=job.facts["recipient"], org_admins=frozenset()
            )
            reader = reader_of(recipient)
        else:
            reader = team_reader(lead.team)
    row = _Row(job, lead, reader)

    def still_mine() -> None:
        with session_scope(engine) as session:
            if not outbox.still_held(session, row_id=row_id, worker=worker, now=utcnow()):
                raise _LeaseLost

    try:
        if job.kind == outbox.Kind.CARD:
            channel, ts = _send_card(client, row, still_mine)
            with session_scope(engine) as session:
                done = outbox.card_shown(
                    session,
                    row_id=row_id,
                    lead_id=lead.id,
                    worker=worker,
                    channel=channel,
                    ts=ts,
                    version=lead.version,
                    now=utcnow(),
                )
            log.info("lead card %s shows version %d", lead.reference, lead.version)
            return "sent" if done else "again"
        send = _send_reply if job.kind == outbox.Kind.REPLY else _send_direct_message
        channel, ts = send(client, row, still_mine)
        with session_scope(engine) as session:
            outbox.mark_sent(
                session, row_id=row_id, worker=worker, channel=channel, ts=ts, now=utcnow()
            )
        log.info("sent %s for lead %s", job.kind.value, lead.reference)
        return "sent"
    except _LeaseLost:
        return "skipped"
    except (SlackApiError, SlackClientError, OSError, http.client.HTTPException) as error:
        return _failed(engine, job, lead, worker, error)
    except Exception as error:  # a bug must not retry for ever, nor go unseen
        log.exception("could not deliver %s for lead %s", job.kind.value, lead.reference)
        with session_scope(engine) as session:
            outbox.mark_failed(
                session, row_id=row_id, worker=worker, error=f"{type(error).__name__}: {error}"
            )
        return "failed"


def _failed(engine: Engine, job: outbox.Job, lead: LeadFacts, worker: str, error: Exception) -> str:
    transient, reason, wait = classify(error)
    log.warning(
        "%s for lead %s not delivered (try %d): %s",
        job.kind.value,
        lead.reference,
        job.attempts,
        reason,
    )
    with session_scope(engine) as session:
        if transient:
            outbox.retry_later(
                session,
                row_id=job.id,
                worker=worker,
                error=reason,
                attempts=job.attempts,
                now=utcnow(),
                at_least=wait,
            )
            return "retrying"
        outbox.mark_failed(session, row_id=job.id, worker=worker, error=reason)
        return "failed"


def classify(error: Exception) -> tuple[bool, str, timedelta]:
    """(transient?, the reason to record, how long Slack asked to wait) of a failed call."""
    if isinstance(error, SlackApiError):
        response = error.response
        code = str(response.get("error") or "unknown_error")
        status = int(getattr(response, "status_code", 200) or 200)
        headers = {k.lower(): v for k, v in (getattr(response, "headers", None) or {}).items()}
        after = headers.get("retry-after")
        if isinstance(after, list):
            after = after[0] if after else None
        wait = timedelta(seconds=int(after)) if after and str(after).isdigit() else timedelta(0)
        return status == 429 or status >= 500 or code in TRANSIENT_ERRORS, code, wait
    return True, f"{type(error).__name__}: {error}"[:200], timedelta(0)


# --- the three kinds of message ----------------------------------------------------------


def _history(client: WebClient, channel: str, oldest: datetime) -> Iterable[dict[str, Any]]:
    cursor = None
    while True:
        page = client.conversations_history(
            channel=channel,
            oldest=f"{oldest.timestamp():.6f}",
            limit=200,
            include_all_metadata=True,
            cursor=cursor,
        )
        yield from page.get("messages", [])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not page.get("has_more") or not cursor:
            return


def _payload(message: dict[str, Any], event_type: str) -> dict[str, Any] | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != event_type:
        return None
    payload = metadata.get("event_payload")
    return payload if isinstance(payload, dict) else None


def _send_card(client: WebClient, row: _Row, still_mine: Callable[[], None]) -> tuple[str, str]:
    """Post the card once, then update it in place; a card tried before is looked for first."""
    lead = row.lead
    shown = card(lead, row.reader)
    if lead.card_channel and lead.card_ts:
        client.chat_update(channel=lead.card_channel, ts=lead.card_ts, **shown)
        return lead.card_channel, lead.card_ts
    channel = lead.leads_channel
    if not channel:
        raise SlackApiError("no leads channel", _fake_response("no_leads_channel"))
    if row.job.tried_before:
        for message in _history(client, channel, lead.created_at - HISTORY_MARGIN):
            payload = _payload(message, CARD_EVENT_TYPE)
            if payload and payload.get("lead_id") == lead.id:
                client.chat_update(channel=channel, ts=message["ts"], **shown)
                return channel, message["ts"]
    still_mine()
    posted = client.chat_postMessage(channel=channel, **shown)
    return str(posted["channel"]), str(posted["ts"])


def _found(messages: Iterable[dict[str, Any]], key: str) -> str | None:
    for message in messages:
        payload = _payload(message, message_metadata(key)["event_type"])
        if payload and payload.get("key") == key:
            return str(message["ts"])
    return None


def _send_reply(client: WebClient, row: _Row, still_mine: Callable[[], None]) -> tuple[str, str]:
    """A reply in the card's thread, unless one naming this row is there already."""
    lead, key = row.lead, row.job.key
    assert lead.card_channel and lead.card_ts  # a reply waits for its card (models.outbox)
    if row.job.tried_before:
        replies = client.conversations_replies(
            channel=lead.card_channel, ts=lead.card_ts, include_all_metadata=True, limit=1000
        )
        ts = _found(replies.get("messages", []), key)
        if ts:
            return lead.card_channel, ts
    text = reply_text(row.job.facts, lead, row.reader)
    still_mine()
    posted = client.chat_postMessage(
        channel=lead.card_channel,
        thread_ts=lead.card_ts,
        text=text,
        metadata=message_metadata(key),
    )
    return lead.card_channel, str(posted["ts"])


def _send_direct_message(
    client: WebClient, row: _Row, still_mine: Callable[[], None]
) -> tuple[str, str]:
    """A direct message (linking the card), unless one naming this row is there already."""
    lead, job = row.lead, row.job
    opened = client.conversations_open(users=job.facts["recipient"])
    channel = str(opened["channel"]["id"])
    if job.tried_before:
        ts = _found(_history(client, channel, job.created_at - HISTORY_MARGIN), job.key)
        if ts:
            return channel, ts
    link = None
    if lead.card_channel and lead.card_ts:
        try:
            found = client.chat_getPermalink(channel=lead.card_channel, message_ts=lead.card_ts)
            link = str(found["permalink"])
        except SlackApiError as error:
            if classify(error)[0]:
                raise  # a transient failure: try the whole message again later
            log.warning("no link to the card of %s: %s", lead.reference, classify(error)[1])
    said = direct_message(job.facts, lead, row.reader, link)
    still_mine()
    posted = client.chat_postMessage(channel=channel, metadata=message_metadata(job.key), **said)
    return channel, str(posted["ts"])


def _fake_response(error: str) -> SlackResponse:
    """A response object for a refusal found before asking Slack (no leads channel)."""
    return SlackResponse(
        client=None,
        http_verb="POST",
        api_url="",
        req_args={},
        data={"ok": False, "error": error},
        headers={},
        status_code=200,
    )
