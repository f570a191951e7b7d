"""One place that turns errors into what the user sees.

An unexpected error means the request's effect may not have been stored, so it
is never answered as a success. Each kind of request says so in its own way:

| request | answer |
|---|---|
| slash command | an ephemeral "did not work, try again" as the command's answer |
| button or menu on a message | HTTP 200, and the same message through the `response_url` |
| form submission | `response_action: errors` on the form's first input: the form stays open |
| Events API delivery | HTTP 500, so that Slack delivers the event again |
| anything else | HTTP 500 |

A payload that lacks a field leadcell needs, or has it with the wrong type
(`bot.payloads.MalformedPayload`), is not an unexpected error: whatever its kind
it gets HTTP 400 with `X-Slack-No-Retry: 1` (delivering it again cannot help), and
one WARNING line naming the field, never the payload.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import BoltResponse

from bot.payloads import MalformedPayload

log = logging.getLogger(__name__)

UNEXPECTED = (
    "That did not work: leadcell hit an unexpected error and did not finish this request. "
    "Try again in a minute; if it keeps failing, tell an admin, who will find the error "
    "in leadcell's log."
)
FORM_UNEXPECTED = (
    "That did not work: leadcell hit an unexpected error. Submit the form again in a minute; "
    "if it keeps failing, tell an admin."
)
FORM_UNEXPECTED_TITLE = "Did not work"

#: Answers through response_url are sent here, after the HTTP answer, a few at a time.
_responder = ThreadPoolExecutor(max_workers=2, thread_name_prefix="error-respond")


def request_kind(body: dict[str, Any]) -> str:
    """`slash_command`, `event_callback`, or the interactivity payload's `type`."""
    if "command" in body:
        return "slash_command"
    kind = body.get("type")
    return kind if isinstance(kind, str) else "request"


def handle_unexpected(
    error: Exception, body: dict[str, Any], response: BoltResponse | None
) -> BoltResponse | None:
    """Bolt's global error handler: log the failure (never the payload), answer by request kind."""
    kind = request_kind(body)
    if isinstance(error, MalformedPayload):
        log.warning("refused a %s: its payload lacks %s or has it of the wrong type", kind, error)
        if response is None:
            return None
        return BoltResponse(
            status=400,
            body={"error": f"malformed payload: {error}"},
            headers={"X-Slack-No-Retry": "1"},
        )
    log.error(
        "unhandled %s error in a %s: %s",
        type(error).__name__,
        kind,
        error,
        exc_info=(type(error), error, error.__traceback__),
    )
    if response is None:  # a lazy listener: the request was answered already
        return None
    if kind == "slash_command":
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": UNEXPECTED})
    if kind == "block_actions":
        _respond_later(body.get("response_url"))
        return BoltResponse(status=200, body="")
    if kind == "view_submission":
        return BoltResponse(status=200, body=form_did_not_work(body.get("view")))
    return BoltResponse(status=500, body="")


def form_did_not_work(view: Any) -> dict[str, Any]:
    """A view_submission answer that keeps the form open and says it did not work.

    The error sits under the form's first input block; a form without inputs
    gets a small modal pushed on top, so closing it goes back to the form.
    """
    blocks = view.get("blocks") if isinstance(view, dict) else None
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict) and block.get("type") == "input" and block.get("block_id"):
            return {"response_action": "errors", "errors": {block["block_id"]: FORM_UNEXPECTED}}
    return {
        "response_action": "push",
        "view": {
            "type": "modal",
            "title": {"type": "plain_text", "text": FORM_UNEXPECTED_TITLE},
            "close": {"type": "plain_text", "text": "Back"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": FORM_UNEXPECTED}}],
        },
    }


def _respond_later(response_url: Any) -> None:
    """Post the ephemeral apology to `response_url` after the HTTP answer (buttons in modals
    have none: the error is then only in the log)."""
    if not isinstance(response_url, str) or not response_url.startswith(("https://", "http://")):
        return
    _responder.submit(_respond, response_url)


def _respond(response_url: str) -> None:
    from bot.runtime.slack_client import respond

    message = {"response_type": "ephemeral", "replace_original": False, "text": UNEXPECTED}
    try:
        status = respond(response_url, message)
    except Exception as exc:  # the user is not told; the log says why
        log.warning("could not tell the user that a button did not work: %s", exc)
        return
    if status >= 300:
        log.warning("could not tell the user that a button did not work: HTTP %s", status)
