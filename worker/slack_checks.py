"""What of a scheduled post Slack already holds: its messages in the channel, its files in
the thread. Read before a post is tried again, so a call that reached Slack just
before its worker died (or timed out) is not repeated.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient

POST_EVENT_TYPE = "leadcell_scheduled_post"


def post_metadata(kind: str, team: str, period: str, part: int) -> dict[str, Any]:
    """The Slack message metadata that names a part of a scheduled post."""
    return {
        "event_type": POST_EVENT_TYPE,
        "event_payload": {"kind": kind, "team": team, "period": period, "part": part},
    }


def _pages(call: Any, **args: Any) -> Iterator[dict[str, Any]]:
    cursor = None
    while True:
        page = call(**args, cursor=cursor)
        yield from page.get("messages", [])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not page.get("has_more") or not cursor:
            return


def parts_in_channel(
    client: WebClient, *, channel: str, kind: str, team: str, period: str, since: datetime
) -> dict[int, str]:
    """Parts of this post in the channel since `since` (less an hour): part number -> ts."""
    found: dict[int, str] = {}
    oldest = f"{(since - timedelta(hours=1)).timestamp():.6f}"
    for message in _pages(
        client.conversations_history,
        channel=channel,
        oldest=oldest,
        limit=200,
        include_all_metadata=True,
    ):
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if (
            metadata.get("event_type") == POST_EVENT_TYPE
            and payload.get("kind") == kind
            and payload.get("team") == team
            and payload.get("period") == period
        ):
            found.setdefault(int(payload.get("part", 0)), message["ts"])
    return found


def files_in_thread(client: WebClient, *, channel: str, thread_ts: str) -> dict[str, str]:
    """Files shared in a thread (a file shared with thread_ts is a reply there): name -> id."""
    found: dict[str, str] = {}
    for message in _pages(client.conversations_replies, channel=channel, ts=thread_ts, limit=200):
        for file in message.get("files") or []:
            if file.get("name") and file.get("id"):
                found.setdefault(str(file["name"]), str(file["id"]))
    return found
