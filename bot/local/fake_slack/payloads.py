"""Request bodies as Slack sends them: slash commands and interactivity payloads.

Used by the shell, the tests and the benchmark to play the part of Slack's servers.
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl, urlencode

from bot.signing import sign

TEAM_ID = "T0FAKE"
APP_ID = "A0LEADCELL"
FORM = "application/x-www-form-urlencoded"
_counter = itertools.count(1)


def new_trigger_id() -> str:
    """A fresh trigger id, unique across processes (the app keys requests by it)."""
    return f"{int(time.time())}.{next(_counter)}.{uuid.uuid4().hex[:12]}"


def slash_command(
    *,
    command: str,
    text: str,
    user_id: str,
    user_name: str = "someone",
    channel_id: str = "C0GENERAL",
    response_url: str = "",
    trigger_id: str | None = None,
) -> str:
    """The form body of a slash command."""
    return urlencode(
        {
            "token": "deprecated-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "leadcell-fake",
            "channel_id": channel_id,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "response_url": response_url,
            "trigger_id": trigger_id or new_trigger_id(),
        }
    )


def _interactive(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def block_action(
    *,
    user_id: str,
    action_id: str,
    value: str,
    response_url: str = "",
    channel_id: str = "C0GENERAL",
    message_ts: str = "",
    block_id: str = "actions",
    action_ts: str | None = None,
) -> str:
    """The interactivity body of a button press on a message."""
    return _interactive(
        {
            "type": "block_actions",
            "team": {"id": TEAM_ID},
            "user": {"id": user_id},
            "api_app_id": APP_ID,
            "trigger_id": new_trigger_id(),
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel_id,
                "is_ephemeral": not message_ts,
            },
            "channel": {"id": channel_id},
            "response_url": response_url,
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": value,
                    "action_ts": action_ts or f"{time.time():.6f}",
                }
            ],
        }
    )


def view_submission(
    *, user_id: str, view: dict[str, Any], view_id: str, values: dict[str, str]
) -> str:
    """The interactivity body of a modal submitted with `values` (block id -> typed value)."""
    state: dict[str, Any] = {}
    for block in view.get("blocks", []):
        block_id = block.get("block_id")
        element = block.get("element", {})
        if block.get("type") != "input" or not block_id:
            continue
        typed = values.get(block_id)
        if element.get("type") == "users_select":
            state[block_id] = {
                element["action_id"]: {"type": "users_select", "selected_user": typed or None}
            }
        elif element.get("type") == "static_select":
            chosen = typed or (element.get("initial_option") or {}).get("value")
            option = next((o for o in element.get("options", []) if o["value"] == chosen), None)
            state[block_id] = {
                element["action_id"]: {"type": "static_select", "selected_option": option}
            }
        else:
            state[block_id] = {
                element.get("action_id", "value"): {"type": element.get("type"), "value": typed}
            }
    submitted = {**view, "id": view_id, "state": {"values": state}}
    return _interactive(
        {
            "type": "view_submission",
            "team": {"id": TEAM_ID},
            "user": {"id": user_id},
            "api_app_id": APP_ID,
            "trigger_id": new_trigger_id(),
            "view": submitted,
        }
    )


def headers(
    body: str, *, signing_secret: str | None = None, timestamp: int | None = None
) -> dict[str, str]:
    """HTTP headers of a request from Slack, signed when a secret is given."""
    result = {"Content-Type": FORM}
    if signing_secret is not None:
        result.update(
            sign(
                signing_secret=signing_secret,
                body=body.encode(),
                timestamp=int(time.time()) if timestamp is None else timestamp,
            )
        )
    return result


def message_event(
    *,
    channel: str,
    user: str,
    text: str,
    ts: str,
    thread_ts: str | None = None,
    event_id: str | None = None,
    subtype: str | None = None,
    bot_id: str | None = None,
) -> str:
    """The JSON body of an Events API `message` delivery."""
    event: dict[str, Any] = {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "channel_type": "channel",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    if subtype:
        event["subtype"] = subtype
    if bot_id:
        event["bot_id"] = bot_id
    return json.dumps(
        {
            "token": "deprecated-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:14].upper()}",
            "event_time": int(time.time()),
            "event": event,
        }
    )


def event_headers(
    body: str, *, signing_secret: str | None = None, retry_num: int | None = None
) -> dict[str, str]:
    """Headers of an Events API delivery; `retry_num` marks a redelivery."""
    result = headers(body, signing_secret=signing_secret)
    result["Content-Type"] = "application/json"
    if retry_num is not None:
        result["X-Slack-Retry-Num"] = str(retry_num)
        result["X-Slack-Retry-Reason"] = "http_timeout"
    return result


def envelope_of(body: str, content_type: str) -> tuple[str, dict[str, Any]]:
    """The Socket Mode envelope type and payload Slack sends for a request it would POST.

    A JSON body is an Events API delivery (``events_api``); a form with a ``payload``
    field is an interaction (``interactive``); any other form is a slash command
    (``slash_commands``). Raises ValueError on a body that is none of these.
    """
    if content_type.split(";", 1)[0].strip().lower() == "application/json":
        event = json.loads(body)
        if not isinstance(event, dict):
            raise ValueError("an Events API body is a JSON object")
        return "events_api", event
    fields = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" in fields:
        interaction = json.loads(fields["payload"])
        if not isinstance(interaction, dict):
            raise ValueError("an interaction payload is a JSON object")
        return "interactive", interaction
    if "command" not in fields:
        raise ValueError("a form body is a slash command or carries a payload field")
    return "slash_commands", fields
