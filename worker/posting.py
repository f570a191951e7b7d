"""Posting one ledger entry to Slack: every message and file exactly once, whatever Slack
and crashes do.

A delivery claims the entry, composes the post, then sends what the ledger does
not yet record as sent: message parts in order, then the files in the first
message's thread. Before each Slack call the worker renews its lease (see
worker.lease); after each call it records what Slack accepted (the message's ts,
the file's id). Every message carries Slack message metadata naming (kind,
team, period, part). When an entry was claimed before (a failure, a timeout, a
worker that died), the channel's history and the thread are read first, so a
call that reached Slack without being recorded is not made again.

Failures are sorted by worker.failures: transient ones are retried with backoff
within the grace window, the others fail the post at once with Slack's reason.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine
from sqlmodel import Session

from models import ledger
from models.db import session_scope
from models.tables import PostLedger, Team
from worker.failures import NETWORK_ERRORS, classify
from worker.lease import Lease, LeaseLost, RetryLater, elapsed_clock
from worker.slack_checks import POST_EVENT_TYPE, files_in_thread, parts_in_channel, post_metadata
from worker.slack_retry import posting_client

__all__ = ["POST_EVENT_TYPE", "Composer", "Post", "PostFile", "deliver"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PostFile:
    """A file to upload with a post (a chart, a CSV)."""

    filename: str
    content: bytes
    title: str


@dataclass(frozen=True)
class Post:
    """What a scheduled post says: messages in order, then files, all to one channel."""

    channel: str
    messages: list[dict[str, Any]]
    files: list[PostFile] = field(default_factory=list)


#: Builds the post of (team, kind, period), or None when there is nothing to say.
Composer = Callable[[Session, Team, PostLedger, datetime], Post | None]


def claim_name(worker: str) -> str:
    """A name for one claim: the worker's name and a random suffix (fits claimed_by)."""
    return f"{worker[:55]}#{secrets.token_hex(4)}"


def deliver(
    engine: Engine,
    client: WebClient,
    *,
    entry_id: int,
    worker: str,
    compose: Composer,
    now: datetime,
    lease: timedelta = ledger.LEASE,
) -> str:
    """Claim one due entry and post what is left of it.

    Returns the entry's status afterwards, or 'busy' when another worker has it.
    """
    holder = claim_name(worker)
    with session_scope(engine) as session:
        if not ledger.claim(session, entry_id=entry_id, worker=holder, now=now, lease=lease):
            return "busy"
        entry = session.get_one(PostLedger, entry_id)
        session.refresh(entry)
        team = session.get_one(Team, entry.team_id)
        session.expunge_all()  # plain values from here on, whatever the session does next
        try:
            post = compose(session, team, entry, now)
        except Exception as exc:
            session.rollback()
            log.exception("could not compose %s %s for %s", entry.kind, entry.period, team.slug)
            return ledger.mark_retry(
                session,
                entry=entry,
                worker=holder,
                error=f"compose:{type(exc).__name__}: {exc}",
                now=now,
            )
        session.commit()  # end compose's read transaction before writing (SQLite)
        if post is None:
            ledger.mark_skipped(session, entry_id=entry_id, worker=holder, now=now)
            return ledger.PostStatus.SKIPPED.value
        if not post.channel:
            log.warning("%s %s for %s: no digest channel", entry.kind, entry.period, team.slug)
            return ledger.mark_failed(
                session, entry_id=entry_id, worker=holder, error=ledger.NO_CHANNEL
            )
        ledger.record_post(
            session,
            entry_id=entry_id,
            worker=holder,
            channel=post.channel,
            parts=len(post.messages),
            files=len(post.files),
        )
    clock = elapsed_clock(now)
    hold = Lease(engine, entry_id, holder, lease, clock)
    slack = posting_client(client, hold)
    settle = timedelta(seconds=slack.timeout)
    sender = _Sender(slack, hold, entry, team, post)
    try:
        first_ts = sender.send()
    except LeaseLost:
        log.warning(
            "%s %s for %s: another worker took it over; stopped",
            entry.kind,
            entry.period,
            team.slug,
        )
        return "busy"
    except RetryLater as later:
        log.info(
            "%s %s for %s: rate limited for %g s; given back until then",
            entry.kind,
            entry.period,
            team.slug,
            later.seconds,
        )
        with session_scope(engine) as session:
            moment = clock()
            return ledger.mark_retry(
                session,
                entry=entry,
                worker=holder,
                error=f"{sender.stage}:ratelimited",
                now=moment,
                at=moment + timedelta(seconds=later.seconds),
            )
    except (SlackApiError, SlackClientError, *NETWORK_ERRORS) as exc:
        return _failed(engine, entry, team, holder, sender.stage, exc, clock(), settle)
    with session_scope(engine) as session:
        if not ledger.mark_sent(
            session,
            entry_id=entry_id,
            worker=holder,
            channel=post.channel,
            ts=first_ts,
            now=clock(),
        ):
            log.warning(
                "%s %s for %s: lost before it was marked sent", entry.kind, entry.period, team.slug
            )
            return "busy"
    log.info(
        "posted %s %s for %s%s",
        entry.kind,
        entry.period,
        team.slug,
        " (late)" if entry.late else "",
    )
    return ledger.PostStatus.SENT.value


def _failed(
    engine: Engine,
    entry: PostLedger,
    team: Team,
    holder: str,
    stage: str,
    exc: BaseException,
    now: datetime,
    settle: timedelta,
) -> str:
    failure = classify(exc)
    error = f"{stage}:{failure.code}"
    log.warning(
        "%s %s for %s failed (try %d, %s): %s",
        entry.kind,
        entry.period,
        team.slug,
        entry.attempts,
        "will retry" if failure.transient else "giving up",
        error,
    )
    with session_scope(engine) as session:
        if not failure.transient:
            return ledger.mark_failed(session, entry_id=entry.id or 0, worker=holder, error=error)
        later = now + timedelta(seconds=failure.retry_after) if failure.retry_after else None
        return ledger.mark_retry(
            session, entry=entry, worker=holder, error=error, now=now, at=later, settle=settle
        )


class _Sender:
    """Sends what is left of one post, recording each step in the ledger."""

    def __init__(
        self, client: WebClient, lease: Lease, entry: PostLedger, team: Team, post: Post
    ) -> None:
        self.client, self.lease, self.entry, self.team, self.post = (
            client,
            lease,
            entry,
            team,
            post,
        )
        self.stage = "post"
        #: Claimed before: a call may have reached Slack without being recorded.
        self.retried = entry.attempts > 1

    def _record(self, record: Callable[..., bool], **values: Any) -> None:
        with session_scope(self.lease.engine) as session:
            if not record(
                session, entry_id=self.lease.entry_id, worker=self.lease.holder, **values
            ):
                raise LeaseLost(f"lost ledger entry {self.lease.entry_id} while posting")

    def send(self) -> str:
        """Post the missing messages, then share the missing files. Returns the first ts."""
        posted = self._messages()
        first_ts = posted.get("0", "")
        self._files(first_ts or None)
        return first_ts

    def _messages(self) -> dict[str, str]:
        entry, channel = self.entry, self.post.channel
        posted = dict(entry.posted_parts or {})
        missing = [p for p in range(len(self.post.messages)) if str(p) not in posted]
        if missing and self.retried:
            self.stage = "check"
            self.lease.hold("history")
            found = parts_in_channel(
                self.client,
                channel=channel,
                kind=entry.kind,
                team=self.team.slug,
                period=entry.period,
                since=min(entry.due_at, entry.created_at),
            )
            for part, ts in sorted(found.items()):
                if part in missing:
                    self._record(ledger.record_part, part=part, ts=ts)
                    posted[str(part)] = ts
        self.stage = "post"
        for part, message in enumerate(self.post.messages):
            if str(part) in posted:
                continue
            self.lease.hold(f"part {part}")
            response = self.client.chat_postMessage(
                channel=channel,
                text=message["text"],
                blocks=message.get("blocks"),
                metadata=post_metadata(entry.kind, self.team.slug, entry.period, part),
            )
            ts = str(response["ts"])
            self._record(ledger.record_part, part=part, ts=ts)
            posted[str(part)] = ts
        return posted

    def _files(self, thread_ts: str | None) -> None:
        shared = dict(self.entry.shared_files or {})
        missing = [f for f in self.post.files if f.filename not in shared]
        if missing and self.retried and thread_ts:
            self.stage = "check"
            self.lease.hold("thread")
            found = files_in_thread(self.client, channel=self.post.channel, thread_ts=thread_ts)
            for file in missing:
                if file.filename in found:
                    self._record(
                        ledger.record_file, name=file.filename, file_id=found[file.filename]
                    )
                    shared[file.filename] = found[file.filename]
        self.stage = "upload"
        for file in self.post.files:
            if file.filename in shared:
                continue
            # files_upload_v2 makes three calls: an upload URL, the upload, the share.
            self.lease.hold(f"file {file.filename}", calls=3)
            response = self.client.files_upload_v2(
                channel=self.post.channel,
                thread_ts=thread_ts,
                file_uploads=[
                    {"content": file.content, "filename": file.filename, "title": file.title}
                ],
            )
            files = response.get("files") or [{}]
            self._record(ledger.record_file, name=file.filename, file_id=str(files[0].get("id")))
            shared[file.filename] = str(files[0].get("id"))
