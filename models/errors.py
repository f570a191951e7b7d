"""Typed domain errors. The bot maps each to an ephemeral message in one place."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses.

    `message` is user-facing mrkdwn, `example` shows a correct form, and `field`
    names the input at fault when there is one (a modal shows the error there).
    """

    def __init__(
        self, message: str, *, example: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.example = example
        self.field = field


class InvalidInput(DomainError):
    """The request is malformed or out of bounds; nothing was written."""


class NotAllowed(DomainError):
    """The user may not do this."""


class NotFound(DomainError):
    """What the request names does not exist."""


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, an expired window)."""


def quoted(value: object, *, limit: int = 80) -> str:
    """A user-supplied value for an error message: in backticks, shortened, `&<>` escaped.

    Messages are Slack mrkdwn, so an echoed value must not be able to mention or link.
    """
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "'")
    return f"`{text}`"
