"""Slack payloads parsed once into typed requests with named, validated properties.

Listeners never dig through raw dicts: `SlashCommand.of(body)`, `ButtonPress.of(body)`,
`FormSubmission.of(body)` and `ThreadMessage.of(body)` read what leadcell uses and
raise `MalformedPayload` when a field it needs is missing or of the wrong type,
which the error handler answers with a 400 (Slack never sends such a payload;
a forger might).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


class MalformedPayload(ValueError):
    """A payload lacks a field leadcell needs, or has it with the wrong type."""


def _text(data: Any, *path: str, required: bool = True) -> str:
    value = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise MalformedPayload("/".join(path))
    return value


def _object(data: Any, *path: str) -> dict[str, Any]:
    value = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, dict):
        raise MalformedPayload("/".join(path))
    return value


@dataclass(frozen=True)
class SlashCommand:
    """A slash command: who typed what, where, and where to answer later."""

    command: str
    text: str
    user_id: str
    channel_id: str
    trigger_id: str
    response_url: str

    @classmethod
    def of(cls, body: dict[str, Any]) -> SlashCommand:
        return cls(
            command=_text(body, "command"),
            text=_text(body, "text", required=False).strip(),
            user_id=_text(body, "user_id"),
            channel_id=_text(body, "channel_id", required=False),
            trigger_id=_text(body, "trigger_id"),
            response_url=_text(body, "response_url", required=False),
        )


@dataclass(frozen=True)
class ButtonPress:
    """A button pressed on a message (block_actions)."""

    user_id: str
    action_id: str
    value: str
    trigger_id: str
    response_url: str
    channel_id: str
    message_ts: str

    @classmethod
    def of(cls, body: dict[str, Any]) -> ButtonPress:
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
            raise MalformedPayload("actions")
        action = actions[0]
        return cls(
            user_id=_text(body, "user", "id"),
            action_id=_text(action, "action_id"),
            value=_text(action, "value", required=False),
            trigger_id=_text(body, "trigger_id", required=False),
            response_url=_text(body, "response_url", required=False),
            channel_id=_text(body, "container", "channel_id", required=False)
            or _text(body, "channel", "id", required=False),
            message_ts=_text(body, "container", "message_ts", required=False),
        )

    @property
    def number(self) -> int | None:
        """The button's value as a positive whole number (a record id), else None."""
        return int(self.value) if self.value.isdigit() and len(self.value) < 12 else None


@dataclass(frozen=True)
class FormSubmission:
    """A modal submitted (view_submission): its values by block id, and its metadata."""

    user_id: str
    view_id: str
    callback_id: str
    values: dict[str, Any]
    metadata: dict[str, Any]
    block_ids: frozenset[str]

    @classmethod
    def of(cls, body: dict[str, Any]) -> FormSubmission:
        view = _object(body, "view")
        state = view.get("state") or {}
        values = state.get("values") if isinstance(state, dict) else None
        if not isinstance(values, dict):
            raise MalformedPayload("view/state/values")
        try:
            metadata = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            metadata = {}
        blocks = view.get("blocks") if isinstance(view.get("blocks"), list) else []
        return cls(
            user_id=_text(body, "user", "id"),
            view_id=_text(view, "id"),
            callback_id=_text(view, "callback_id", required=False),
            values=values,
            metadata=metadata if isinstance(metadata, dict) else {},
            block_ids=frozenset(
                b["block_id"] for b in blocks if isinstance(b, dict) and "block_id" in b
            ),
        )

    def _element(self, block_id: str) -> dict[str, Any]:
        block = self.values.get(block_id)
        if not isinstance(block, dict) or not block:
            return {}
        element = next(iter(block.values()))
        return element if isinstance(element, dict) else {}

    def text(self, block_id: str) -> str:
        """A text input's value ('' when empty or absent)."""
        value = self._element(block_id).get("value")
        return value.strip() if isinstance(value, str) else ""

    def choice(self, block_id: str) -> str:
        """A static select's chosen value ('' when none)."""
        option = self._element(block_id).get("selected_option")
        value = option.get("value") if isinstance(option, dict) else None
        return value if isinstance(value, str) else ""

    def user(self, block_id: str) -> str:
        """A users select's chosen user id ('' when none)."""
        value = self._element(block_id).get("selected_user")
        return value if isinstance(value, str) else ""

    def meta_text(self, key: str) -> str:
        """A text value of the private metadata ('' when absent)."""
        value = self.metadata.get(key)
        return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class ThreadMessage:
    """A message event: who wrote what in which channel, and in which thread."""

    event_id: str
    user_id: str
    channel_id: str
    text: str
    ts: str
    thread_ts: str
    subtype: str
    from_bot: bool

    @classmethod
    def of(cls, body: dict[str, Any]) -> ThreadMessage:
        event = _object(body, "event")
        return cls(
            event_id=_text(body, "event_id"),
            user_id=_text(event, "user", required=False),
            channel_id=_text(event, "channel", required=False),
            text=_text(event, "text", required=False),
            ts=_text(event, "ts", required=False),
            thread_ts=_text(event, "thread_ts", required=False),
            subtype=_text(event, "subtype", required=False),
            from_bot=bool(event.get("bot_id")),
        )

    @property
    def is_reply_by_a_person(self) -> bool:
        """A plain reply in a thread, typed by a person (not an edit, a join or a bot)."""
        return bool(
            self.user_id
            and self.thread_ts
            and self.thread_ts != self.ts
            and not self.subtype
            and not self.from_bot
        )
