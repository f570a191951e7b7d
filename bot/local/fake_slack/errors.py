"""Slack-style API errors raised by the fake's method handlers."""

from __future__ import annotations

from typing import Any


class SlackError(Exception):
    """A Web API failure: ``{"ok": false, "error": error}`` plus optional detail messages."""

    def __init__(self, error: str, messages: list[str] | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.messages = list(messages or [])

    def response(self) -> dict[str, Any]:
        """The JSON body Slack would answer with."""
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["errors"] = list(self.messages)
            body["response_metadata"] = {"messages": [f"[ERROR] {m}" for m in self.messages]}
        return body


def invalid_arguments(*messages: str) -> SlackError:
    """An ``invalid_arguments`` error carrying messages that name the bad fields."""
    return SlackError("invalid_arguments", list(messages))
