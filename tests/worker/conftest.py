"""Fixtures of the worker tests.

Slack shows a file shared with `thread_ts` as a reply in that thread (a message
with a `files` list), which is how a worker that takes a post over finds the
files already shared. The fake Slack records shares without that reply, so the
worker tests add it, as Slack does, for every share.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from bot.local.fake_slack import methods
from bot.local.fake_slack.state import BOT_ID, BOT_USER_ID, State


def _share_in_thread(state: State, args: dict[str, Any]) -> dict[str, Any]:
    result = original_complete(state, args)
    channel, thread_ts = args.get("channel_id"), args.get("thread_ts")
    if channel and thread_ts and state.find_message(str(channel), str(thread_ts)) is not None:
        files = [{"id": f["id"], "name": f["name"], "title": f["title"]} for f in result["files"]]
        reply = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "text": "",
            "upload": True,
            "files": copy.deepcopy(files),
            "ts": state.next_ts(),
            "thread_ts": str(thread_ts),
        }
        parent = state.find_message(str(channel), str(thread_ts))
        assert parent is not None
        parent["thread_ts"] = str(thread_ts)
        parent["reply_count"] = parent.get("reply_count", 0) + 1
        state.channels.setdefault(str(channel), []).append(reply)
    return result


original_complete = methods.METHODS["files.completeUploadExternal"]


@pytest.fixture(autouse=True)
def files_shared_as_thread_replies(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """File shares in a thread show up in conversations.replies, as in Slack."""
    monkeypatch.setitem(methods.METHODS, "files.completeUploadExternal", _share_in_thread)
    yield
