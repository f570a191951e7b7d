"""Tokens and OAuth scopes, enforced the way Slack's Web API enforces them.

Every method the fake answers is in `METHOD_SCOPES`, with the scopes Slack's method
reference lists for it (docs.slack.dev/reference/methods/<method>, "Scopes"):

==============================  ===============================================================
method                          scope(s) the token needs
==============================  ===============================================================
auth.test                       none
chat.postMessage                chat:write
chat.postEphemeral              chat:write
chat.update                     chat:write
chat.getPermalink               none
conversations.history           by channel type: channels:history (public, C…), groups:history
                                (private, G…), im:history (direct message, D…), mpim:history
conversations.replies           as conversations.history
conversations.open              one user: im:write; several: mpim:write
users.info                      users:read
views.open/update/publish       none
files.getUploadURLExternal      files:write
files.completeUploadExternal    files:write
apps.connections.open           an app-level token (xapp-…) with connections:write
==============================  ===============================================================

A bot token (``xoxb-…``) holds the bot scopes of the app's manifest, read from
`bot.manifest.build_manifest` unless a test grants others, so a scope missing from the
manifest fails every test that needs it. A method called without its scope answers
``{"ok": false, "error": "missing_scope", "needed": …, "provided": …}``, with Slack's
``X-OAuth-Scopes`` and ``X-Accepted-OAuth-Scopes`` headers; a token of the wrong kind
answers ``not_allowed_token_type``; an unknown or refused token ``invalid_auth``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Args = dict[str, Any]

BOT = "bot"
APP = "app"
#: The scope of an app-level token that may open Socket Mode connections.
CONNECTIONS_WRITE = "connections:write"

#: Channel types by the first letter of a conversation id.
_TYPE_BY_PREFIX = {"C": "public", "G": "private", "D": "im"}
_HISTORY_SCOPE = {
    "public": "channels:history",
    "private": "groups:history",
    "im": "im:history",
    "mpim": "mpim:history",
}


@dataclass(frozen=True)
class Grant:
    """Who a token is: its kind (bot or app) and the scopes it holds."""

    kind: str
    scopes: frozenset[str]


@dataclass(frozen=True)
class Requirement:
    """What a method asks of a token: its kind, and one of ``any_of`` (empty: no scope)."""

    kind: str
    any_of: tuple[str, ...] = ()


Rule = Requirement | Callable[[Args, Callable[[str], str]], Requirement]


def _history(args: Args, channel_type: Callable[[str], str]) -> Requirement:
    channel = str(args.get("channel") or "")
    return Requirement(BOT, (_HISTORY_SCOPE[channel_type(channel)],))


def _open(args: Args, channel_type: Callable[[str], str]) -> Requirement:
    users = args.get("users")
    ids = users.split(",") if isinstance(users, str) else list(users or [])
    return Requirement(BOT, ("mpim:write",) if len(ids) > 1 else ("im:write",))


METHOD_SCOPES: dict[str, Rule] = {
    "auth.test": Requirement(BOT),
    "chat.postMessage": Requirement(BOT, ("chat:write",)),
    "chat.postEphemeral": Requirement(BOT, ("chat:write",)),
    "chat.update": Requirement(BOT, ("chat:write",)),
    "chat.getPermalink": Requirement(BOT),
    "conversations.history": _history,
    "conversations.replies": _history,
    "conversations.open": _open,
    "users.info": Requirement(BOT, ("users:read",)),
    "views.open": Requirement(BOT),
    "views.update": Requirement(BOT),
    "views.publish": Requirement(BOT),
    "files.getUploadURLExternal": Requirement(BOT, ("files:write",)),
    "files.completeUploadExternal": Requirement(BOT, ("files:write",)),
    "apps.connections.open": Requirement(APP, (CONNECTIONS_WRITE,)),
}


def manifest_scopes() -> frozenset[str]:
    """The bot scopes of the manifest `leadcell manifest` prints."""
    from bot.manifest import build_manifest  # the fake follows the app's own manifest

    return frozenset(build_manifest(socket_mode=True)["oauth_config"]["scopes"]["bot"])


def fingerprint(token: str) -> str:
    """A short digest naming a token without keeping it (tokens are secrets)."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def grant_for(token: str, bot_scopes: Iterable[str], refused: set[str]) -> Grant | None:
    """The grant of a token, or None when Slack would answer ``invalid_auth``."""
    if fingerprint(token) in refused:
        return None
    if token.startswith("xapp-"):
        return Grant(APP, frozenset({CONNECTIONS_WRITE}))
    if token.startswith(("xoxb-", "xoxp-")):
        return Grant(BOT, frozenset(bot_scopes))
    return None


def check(
    method: str, args: Args, grant: Grant, channel_type: Callable[[str], str]
) -> tuple[dict[str, Any] | None, str]:
    """Slack's refusal for this token and method (None when allowed), and the accepted scopes.

    The accepted scopes are what Slack sends in ``X-Accepted-OAuth-Scopes``.
    """
    rule = METHOD_SCOPES.get(method)
    if rule is None:
        return None, ""
    need = rule if isinstance(rule, Requirement) else rule(args, channel_type)
    accepted = ",".join(need.any_of)
    if need.kind != grant.kind:
        return {"ok": False, "error": "not_allowed_token_type"}, accepted
    if need.any_of and not grant.scopes.intersection(need.any_of):
        refusal = {
            "ok": False,
            "error": "missing_scope",
            "needed": accepted,
            "provided": ",".join(sorted(grant.scopes)),
        }
        return refusal, accepted
    return None, accepted


def channel_type_of(channel: str, declared: dict[str, str]) -> str:
    """public, private, im or mpim: declared by a test, else read from the id's first letter."""
    if channel in declared:
        return declared[channel]
    return _TYPE_BY_PREFIX.get(channel[:1], "public")
