"""One place that turns errors into what the user sees."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltResponse

from bot.blocks import error_blocks, error_text
from models.errors import DomainError

log = logging.getLogger(__name__)

UNEXPECTED = (
    "leadcell hit an unexpected error and did not finish this request. "
    "Try again in a minute; if it happens again, tell an admin."
)


def refusal(exc: DomainError) -> dict[str, Any]:
    """The ephemeral message for a refused request: what was wrong and a correct example."""
    if exc.problem is not None:  # a coded problem: worded by bot.views.problems (English)
        from bot.i18n import Reader
        from bot.views.problems import refusal as worded

        return worded(exc, Reader())
    return {
        "response_type": "ephemeral",
        "text": error_text(exc.message, exc.example),
        "blocks": error_blocks(exc.message, exc.example),
    }


def handle_unexpected(
    error: Exception, body: dict[str, Any], response: BoltResponse | None
) -> BoltResponse | None:
    """Bolt's global error handler: log the failure (never the payload) and answer plainly.

    A slash command gets the apology as its ephemeral answer; other requests get
    an empty 200 so Slack does not retry them into the same failure.
    """
    kind = body.get("type") or ("slash_command" if "command" in body else "request")
    log.error(
        "unhandled %s error in a %s: %s",
        type(error).__name__,
        kind,
        error,
        exc_info=(type(error), error, error.__traceback__),
    )
    if response is None:  # a lazy listener: the request was answered already
        return None
    if "command" in body:
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": UNEXPECTED})
    return BoltResponse(status=200, body="")
