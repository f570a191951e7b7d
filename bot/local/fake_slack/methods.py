"""The Slack Web API methods the fake answers, as functions of (state, args)."""

from __future__ import annotations

import copy
import hashlib
import math
from collections.abc import Callable
from typing import Any

from bot.local.fake_slack import files, views
from bot.local.fake_slack.errors import SlackError
from bot.local.fake_slack.limits import check_message_blocks, truncate_text
from bot.local.fake_slack.params import flag_param, float_param, int_param, str_param
from bot.local.fake_slack.scopes import Grant, channel_type_of, check, fingerprint
from bot.local.fake_slack.state import BOT_ID, BOT_USER_ID, TEAM_ID, State

CURSOR_PREFIX = "fake-offset:"

Args = dict[str, Any]
Result = dict[str, Any]
Handler = Callable[[State, Args], Result]


def _channel(args: Args) -> str:
    """The required ``channel`` parameter."""
    channel = str_param(args, "channel")
    if not channel:
        raise SlackError("channel_not_found")
    return channel


def _content(args: Args) -> tuple[dict[str, Any], bool]:
    """Validated text/blocks/attachments/metadata of a message, and whether text was cut.

    Long text is truncated in ``args`` too, so the recorded call shows what was stored.
    """
    blocks = args.get("blocks")
    text = "" if args.get("text") is None else str(args["text"])
    if not text and not blocks and not args.get("attachments"):
        raise SlackError("no_text")
    content: dict[str, Any] = {}
    if blocks is not None:
        if not isinstance(blocks, list):
            raise SlackError("invalid_blocks_format")
        errors = check_message_blocks(blocks)
        if errors:
            raise SlackError("invalid_blocks", errors)
        content["blocks"] = copy.deepcopy(blocks)
    truncated = False
    if args.get("text") is not None:
        text, truncated = truncate_text(text)
        args["text"] = content["text"] = text
    for key in ("attachments", "metadata"):
        if args.get(key) is not None:
            content[key] = copy.deepcopy(args[key])
    return content, truncated


def _warn(result: Result, truncated: bool) -> Result:
    """Add Slack's truncation warning to a result when needed."""
    if truncated:
        result["warning"] = "message_truncated"
        result["response_metadata"] = {"warnings": ["message_truncated"]}
    return result


def auth_test(state: State, args: Args) -> Result:
    """auth.test: who the bot is."""
    return {
        "url": "https://leadcell-fake.slack.com/",
        "team": "Fake Workspace",
        "user": "leadcell",
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


def chat_post_message(state: State, args: Args) -> Result:
    """chat.postMessage: store the message (a thread reply when thread_ts is given)."""
    channel = _channel(args)
    content, truncated = _content(args)
    message: dict[str, Any] = {
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "text": "",
        "blocks": [],
        **content,
        "ts": state.next_ts(),
    }
    thread_ts = str_param(args, "thread_ts")
    if thread_ts:
        message["thread_ts"] = thread_ts
        parent = state.find_message(channel, thread_ts)
        if parent is not None:
            parent["thread_ts"] = thread_ts
            parent["reply_count"] = parent.get("reply_count", 0) + 1
            parent["latest_reply"] = message["ts"]
            parent["reply_users"] = [BOT_USER_ID]
    state.channels.setdefault(channel, []).append(message)
    result = {"channel": channel, "ts": message["ts"], "message": copy.deepcopy(message)}
    return _warn(result, truncated)


def chat_post_ephemeral(state: State, args: Args) -> Result:
    """chat.postEphemeral: validated and recorded, never stored."""
    _channel(args)
    if not str_param(args, "user"):
        raise SlackError("user_not_in_channel")
    _, truncated = _content(args)
    return _warn({"message_ts": state.next_ts()}, truncated)


def chat_update(state: State, args: Args) -> Result:
    """chat.update: replace the given text/blocks/attachments/metadata of a stored message."""
    channel = _channel(args)
    ts = str_param(args, "ts")
    message = state.find_message(channel, ts) if ts else None
    if message is None:
        raise SlackError("message_not_found")
    content, truncated = _content(args)
    message.update(content)
    message["edited"] = {"user": BOT_USER_ID, "ts": state.next_ts()}
    result = {
        "channel": channel,
        "ts": ts,
        "text": message["text"],
        "message": copy.deepcopy(message),
    }
    return _warn(result, truncated)


def chat_get_permalink(state: State, args: Args) -> Result:
    """chat.getPermalink: a link to a stored message."""
    channel = _channel(args)
    ts = str_param(args, "message_ts")
    if not ts or state.find_message(channel, ts) is None:
        raise SlackError("message_not_found")
    link = f"https://leadcell-fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    return {"channel": channel, "permalink": link}


def _page(items: list[dict[str, Any]], args: Args, default_limit: int) -> Result:
    """One page of messages with Slack's has_more / next_cursor; strips metadata if asked."""
    limit = int_param(args, "limit", default_limit)
    limit = limit if limit > 0 else default_limit
    cursor = str_param(args, "cursor")
    start = 0
    if cursor:
        offset = cursor.removeprefix(CURSOR_PREFIX)
        if offset == cursor or not offset.isdigit():
            raise SlackError("invalid_cursor")
        start = int(offset)
    page = copy.deepcopy(items[start : start + limit])
    if not flag_param(args, "include_all_metadata"):
        for message in page:
            message.pop("metadata", None)
    more = start + limit < len(items)
    next_cursor = f"{CURSOR_PREFIX}{start + limit}" if more else ""
    return {"messages": page, "has_more": more, "response_metadata": {"next_cursor": next_cursor}}


def conversations_history(state: State, args: Args) -> Result:
    """conversations.history: top-level messages, newest first."""
    channel = _channel(args)
    oldest = float_param(args, "oldest", 0.0)
    latest = float_param(args, "latest", math.inf)
    inclusive = flag_param(args, "inclusive")

    def wanted(message: dict[str, Any]) -> bool:
        if message.get("thread_ts", message["ts"]) != message["ts"]:
            return False
        t = float(message["ts"])
        return oldest <= t <= latest if inclusive else oldest < t < latest

    found = [m for m in reversed(state.channels.get(channel, [])) if wanted(m)]
    return {**_page(found, args, 100), "pin_count": 0}


def conversations_replies(state: State, args: Args) -> Result:
    """conversations.replies: the parent, then its replies, oldest first."""
    channel = _channel(args)
    ts = str_param(args, "ts")
    parent = state.find_message(channel, ts) if ts else None
    if parent is None:
        raise SlackError("thread_not_found")
    replies = [
        m for m in state.channels.get(channel, []) if m.get("thread_ts") == ts and m["ts"] != ts
    ]
    return _page([parent, *replies], args, 1000)


def conversations_open(state: State, args: Args) -> Result:
    """conversations.open: a DM channel id that is stable for the same set of users."""
    users = args.get("users")
    if isinstance(users, str):
        ids = [u.strip() for u in users.split(",") if u.strip()]
    elif isinstance(users, list):
        ids = [str(u) for u in users if u]
    else:
        ids = []
    if not ids:
        raise SlackError("users_list_not_supplied")
    digest = hashlib.sha1(",".join(sorted(set(ids))).encode()).hexdigest()[:10].upper()
    return {"no_op": False, "already_open": False, "channel": {"id": "D" + digest}}


DEFAULT_LOCALE = "en-US"


def users_info(state: State, args: Args) -> Result:
    """users.info: a plausible user for any U…/W… id (overridable with set_user).

    Like Slack, the user's ``locale`` (e.g. ``fr-FR``; ``en-US`` unless set) is in the
    answer only when ``include_locale`` is true.
    """
    user_id = str_param(args, "user")
    if not user_id.startswith(("U", "W")):
        raise SlackError("user_not_found")
    is_bot = user_id == BOT_USER_ID
    name = "leadcell" if is_bot else user_id.lower()
    real_name = "leadcell" if is_bot else f"User {user_id}"
    user: dict[str, Any] = {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": name,
        "real_name": real_name,
        "tz": "Europe/Paris",
        "is_bot": is_bot,
        "deleted": False,
        "profile": {"real_name": real_name, "display_name": name},
        "locale": DEFAULT_LOCALE,
    }
    user.update(copy.deepcopy(state.users.get(user_id, {})))
    if not flag_param(args, "include_locale"):
        user.pop("locale", None)
    return {"user": user}


def apps_connections_open(state: State, app: str) -> Result:
    """apps.connections.open: a WebSocket URL for the app whose token digest is ``app``."""
    if state.socket is None:
        raise SlackError("internal_error")
    return {"url": state.socket.open_url(app)}


def response_url_errors(payload: Args) -> list[str]:
    """Errors in the blocks of a response_url payload (empty when fine)."""
    blocks = payload.get("blocks")
    if blocks is None:
        return []
    return check_message_blocks(blocks)


METHODS: dict[str, Handler] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.update": chat_update,
    "chat.getPermalink": chat_get_permalink,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "conversations.open": conversations_open,
    "users.info": users_info,
    "views.open": views.views_open,
    "views.update": views.views_update,
    "views.publish": views.views_publish,
    "files.getUploadURLExternal": files.files_get_upload_url,
    "files.completeUploadExternal": files.files_complete_upload,
}
#: Methods that answer for the app (its app-level token) rather than from arguments.
APP_METHODS: dict[str, Callable[[State, str], Result]] = {
    "apps.connections.open": apps_connections_open,
}


def dispatch(state: State, method: str, args: Args, *, token: str) -> tuple[Result, dict[str, str]]:
    """Run a Web API method as Slack would for this token: its JSON answer and headers.

    The answer is ``ok`` true or false: ``unknown_method``, ``not_authed`` (no token),
    ``invalid_auth`` (a token Slack does not know), ``not_allowed_token_type`` and
    ``missing_scope`` (see `bot.local.fake_slack.scopes`) come before the method runs.
    """
    handler = METHODS.get(method)
    app_handler = APP_METHODS.get(method)
    if handler is None and app_handler is None:
        return {"ok": False, "error": "unknown_method", "req_method": method}, {}
    if not token:
        return {"ok": False, "error": "not_authed"}, {}
    with state.lock:
        grant: Grant | None = state.grant_for(token)
        if grant is None:
            return {"ok": False, "error": "invalid_auth"}, {}
        refusal, accepted = check(
            method, args, grant, lambda c: channel_type_of(c, state.channel_types)
        )
        headers = {
            "X-OAuth-Scopes": ",".join(sorted(grant.scopes)),
            "X-Accepted-OAuth-Scopes": accepted,
        }
        if refusal is not None:
            return refusal, headers
        try:
            if app_handler is not None:
                result = app_handler(state, fingerprint(token))
            else:
                assert handler is not None
                result = handler(state, args)
        except SlackError as exc:
            return exc.response(), headers
    return {"ok": True, **result}, headers
