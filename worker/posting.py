"""Posting one ledger entry to Slack, exactly once even across crashes and retries.

Every message of a scheduled post carries Slack message metadata naming
(kind, team, period, part). When an entry is tried again (a failure, or a worker
that died between Slack accepting a message and the ledger commit), the
channel's history is read first and the parts already there are not posted again.
"""

from __future__ import annotations

import logging
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

log = logging.getLogger(__name__)

POST_EVENT_TYPE = "leadcell_scheduled_post"
UPLOAD_STAGE = "upload: "


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


def _metadata(entry: PostLedger, team: Team, part: int) -> dict[str, Any]:
    return {
        "event_type": POST_EVENT_TYPE,
        "event_payload": {
            "kind": entry.kind,
            "team": team.slug,
            "period": entry.period,
            "part": part,
        },
    }


def parts_already_posted(
    client: WebClient, channel: str, entry: PostLedger, team: Team
) -> dict[int, str]:
    """Parts of this post found in the channel's history since it was due: part -> ts."""
    found: dict[int, str] = {}
    oldest = f"{(entry.due_at - timedelta(hours=1)).timestamp():.6f}"
    cursor = None
    while True:
        page = client.conversations_history(
            channel=channel, oldest=oldest, limit=200, include_all_metadata=True, cursor=cursor
        )
        for message in page.get("messages", []):
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == POST_EVENT_TYPE
                and payload.get("kind") == entry.kind
                and payload.get("team") == team.slug
                and payload.get("period") == entry.period
            ):
                found[int(payload.get("part", 0))] = message["ts"]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not page.get("has_more") or not cursor:
            return found


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
    """Claim one due entry and post it. Returns the entry's status afterwards (or 'busy')."""
    with session_scope(engine) as session:
        if not ledger.claim(session, entry_id=entry_id, worker=worker, now=now, lease=lease):
            return "busy"
        entry = session.get_one(PostLedger, entry_id)
        session.refresh(entry)
        team = session.get_one(Team, entry.team_id)
        try:
            post = compose(session, team, entry, now)
        except Exception as exc:
            log.exception("could not compose %s %s for %s", entry.kind, entry.period, team.slug)
            ledger.mark_attempt_failed(
                session,
                entry=entry,
                worker=worker,
                error=f"compose: {type(exc).__name__}: {exc}",
                now=now,
            )
            return ledger.PostStatus.PENDING.value
        if post is None:
            ledger.mark_skipped(session, entry_id=entry_id, worker=worker, now=now)
            return ledger.PostStatus.SKIPPED.value
    stage = "post: "
    try:
        known = (
            parts_already_posted(client, post.channel, entry, team) if entry.attempts > 1 else {}
        )
        first_ts = known.get(0)
        for part, message in enumerate(post.messages):
            if part in known:
                continue
            posted = client.chat_postMessage(
                channel=post.channel,
                text=message["text"],
                blocks=message.get("blocks"),
                metadata=_metadata(entry, team, part),
            )
            first_ts = first_ts or posted["ts"]
        files_pending = not known or (entry.last_error or "").startswith(UPLOAD_STAGE)
        stage = UPLOAD_STAGE
        if post.files and files_pending:
            client.files_upload_v2(
                channel=post.channel,
                thread_ts=first_ts,
                file_uploads=[
                    {"content": f.content, "filename": f.filename, "title": f.title}
                    for f in post.files
                ],
            )
    except (SlackApiError, SlackClientError, OSError) as exc:
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else repr(exc)
        log.warning(
            "posting %s %s for %s failed (try %d): %s",
            entry.kind,
            entry.period,
            team.slug,
            entry.attempts,
            error,
        )
        with session_scope(engine) as session:
            ledger.mark_attempt_failed(
                session, entry=entry, worker=worker, error=f"{stage}{error}", now=now
            )
            return session.get_one(PostLedger, entry_id).status
    with session_scope(engine) as session:
        ledger.mark_sent(
            session,
            entry_id=entry_id,
            worker=worker,
            channel=post.channel,
            ts=first_ts or "",
            now=now,
        )
    log.info(
        "posted %s %s for %s%s",
        entry.kind,
        entry.period,
        team.slug,
        " (late)" if entry.late else "",
    )
    return ledger.PostStatus.SENT.value
