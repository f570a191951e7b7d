"""The outer shape of a Slack request body, checked before Bolt parses it.

Slack sends slash commands as a form, interactivity as a form whose `payload`
field is a JSON object, and Events API deliveries as a JSON object. Bolt
assumes these shapes (and the types of the fields it reads to route a request),
so a body that breaks them would crash it outside any error handling. This
module says what is wrong with such a body, in a short reason for the logs that
never quotes the body.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

MAX_BODY_BYTES = 1024 * 1024
FORM = "application/x-www-form-urlencoded"

_STRING = (str,)
_STRING_OR_OBJECT = (str, dict)
_OBJECT = (dict,)
_LIST = (list,)
_BOOL = (bool,)

#: Fields Bolt reads from a payload, an event or a message to route a request, with their types.
_ROUTING_FIELDS: dict[str, tuple[type, ...]] = {
    "type": _STRING,
    "subtype": _STRING,
    "team_id": _STRING,
    "user_id": _STRING,
    "channel_id": _STRING,
    "enterprise_id": _STRING,
    "context_team_id": _STRING,
    "context_enterprise_id": _STRING,
    "user_team": _STRING,
    "api_app_id": _STRING,
    "event_id": _STRING,
    "thread_ts": _STRING,
    "ts": _STRING,
    "command": _STRING,
    "text": _STRING,
    "trigger_id": _STRING,
    "response_url": _STRING,
    "callback_id": _STRING,
    "challenge": _STRING,
    "function_execution_id": _STRING,
    "bot_id": _STRING,
    "is_enterprise_install": _BOOL,
    "is_ext_shared_channel": _BOOL,
    "enterprise": _STRING_OR_OBJECT,
    "team": _STRING_OR_OBJECT,
    "user": _STRING_OR_OBJECT,
    "channel": _STRING_OR_OBJECT,
    "event": _OBJECT,
    "view": _OBJECT,
    "message": _OBJECT,
    "previous_message": _OBJECT,
    "item": _OBJECT,
    "assistant_thread": _OBJECT,
    "container": _OBJECT,
    "function_data": _OBJECT,
    "workflow_step": _OBJECT,
    "actions": _LIST,
    "authorizations": _LIST,
}
#: Nested objects that Bolt reads with the same field names.
_NESTED = ("event", "message", "previous_message", "item", "assistant_thread")
#: Fields of `enterprise`, `team`, `user`, `channel` objects, and of a view.
_ID_FIELDS = ("id", "team_id", "enterprise_id", "name")
_VIEW_FIELDS: dict[str, tuple[type, ...]] = {
    "id": _STRING,
    "team_id": _STRING,
    "app_installed_team_id": _STRING,
    "callback_id": _STRING,
    "private_metadata": _STRING,
    "external_id": _STRING,
    "hash": _STRING,
    "type": _STRING,
    "blocks": _LIST,
    "state": _OBJECT,
}
_ACTION_FIELDS: dict[str, tuple[type, ...]] = {
    "type": _STRING,
    "action_id": _STRING,
    "block_id": _STRING,
    "value": _STRING,
    "action_ts": _STRING,
}


def body_problem(body: bytes, content_type: str) -> str | None:
    """Why `body` is not a Slack request Bolt can route, or None when its shape is right."""
    if len(body) > MAX_BODY_BYTES:
        return "body larger than 1 MB"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8"
    if content_type.split(";", 1)[0].strip().lower() == "application/json" or text.startswith("{"):
        return _json_object_problem(text, "JSON body")
    try:
        form = parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return "form is not UTF-8 once decoded"
    if "payload" in form:
        if len(form["payload"]) != 1:
            return "form has more than one payload"
        return _json_object_problem(form["payload"][0], "form payload")
    return None


def _json_object_problem(text: str, what: str) -> str | None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return f"{what} is not JSON"
    if not isinstance(value, dict):
        return f"{what} is not a JSON object"
    return _fields_problem(value, what) or _required_problem(value, what)


def _required_problem(payload: dict[str, Any], where: str) -> str | None:
    """Fields Slack always sends with a kind of payload, and Bolt indexes without checking."""
    kind = payload.get("type")
    if kind in ("block_actions", "interactive_message") and not payload.get("actions"):
        return f"{where}: {kind} without actions"
    if kind == "block_actions":
        for action in payload["actions"]:
            if not (
                isinstance(action.get("action_id"), str) and isinstance(action.get("block_id"), str)
            ):
                return f"{where}: block_actions with an action without action_id or block_id"
    if kind in ("view_submission", "view_closed"):
        view = payload.get("view")
        if not isinstance(view, dict) or not isinstance(view.get("callback_id"), str):
            return f"{where}: {kind} without a view and its callback_id"
        if not isinstance(view.get("type"), str):
            return f"{where}: {kind} without the view's type"
        if view["type"] == "workflow_step" and not isinstance(payload.get("workflow_step"), dict):
            return f"{where}: workflow step view without its workflow_step"
    if kind == "workflow_step_edit" and not isinstance(payload.get("workflow_step"), dict):
        return f"{where}: workflow_step_edit without its workflow_step"
    return None


def _fields_problem(payload: dict[str, Any], where: str, depth: int = 0) -> str | None:
    for name, types in _ROUTING_FIELDS.items():
        value = payload.get(name)
        if value is not None and not isinstance(value, types):
            return f"{where}: {name} has the wrong type"
    for name in ("enterprise", "team", "user", "channel"):
        value = payload.get(name)
        if isinstance(value, dict):
            problem = _typed(value, dict.fromkeys(_ID_FIELDS, _STRING), f"{where}.{name}")
            if problem:
                return problem
    view = payload.get("view")
    if isinstance(view, dict):
        problem = _typed(view, _VIEW_FIELDS, f"{where}.view")
        if problem:
            return problem
    for name, fields in (("actions", _ACTION_FIELDS), ("authorizations", None)):
        for item in payload.get(name) or []:
            if not isinstance(item, dict):
                return f"{where}: {name} holds something other than objects"
            problem = (
                _fields_problem(item, f"{where}.{name}", depth + 1) if fields is None else None
            )
            problem = problem or (_typed(item, fields, f"{where}.{name}") if fields else None)
            if problem:
                return problem
    if depth < 3:
        for name in _NESTED:
            value = payload.get(name)
            if isinstance(value, dict):
                problem = _fields_problem(value, f"{where}.{name}", depth + 1)
                if problem:
                    return problem
    return None


def _typed(value: dict[str, Any], fields: dict[str, tuple[type, ...]], where: str) -> str | None:
    for name, types in fields.items():
        field = value.get(name)
        if field is not None and not isinstance(field, types):
            return f"{where}: {name} has the wrong type"
    return None
