"""Slack text handling: escaping what we echo, and reading what users type."""

from __future__ import annotations

import re

from bot.grammar.problems import GrammarProblem
from models.errors import InvalidInput

_BROADCAST = re.compile(r"<!(channel|here|everyone|subteam\^[^>]*)(\|[^>]*)?>", re.IGNORECASE)
_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto|tel):[^|>]+)(?:\|([^>]*))?>")


def escape(text: str) -> str:
    """Escape user text for mrkdwn and plain_text so it shows as typed (Slack's three entities)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Undo Slack's escaping of &, < and > in text it sends us."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def plain_text(text: str, *, field: str) -> str:
    """User text with Slack markup made readable, refusing broadcast mentions.

    `<@U123|marc>` becomes `@marc`, `<#C123|sales>` becomes `#sales`, links keep
    their address. `<!channel>`, `<!here>`, `<!everyone>` and user-group mentions
    are refused: a note must never ping a whole channel when the bot echoes it.
    """
    if _BROADCAST.search(text):
        raise InvalidInput(GrammarProblem.BROADCAST_MENTION, field=field)
    text = _USER.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    return unescape(text)


def user_mention(text: str) -> tuple[str, str] | None:
    """The (user id, label) of a mention such as `<@U123|marc>` or a bare `U123`, else None."""
    match = _USER.fullmatch(text.strip())
    if match:
        return match.group(1), match.group(2) or match.group(1)
    if re.fullmatch(r"[UW][A-Z0-9]{2,}", text.strip()):
        return text.strip(), text.strip()
    return None


def channel_id(text: str) -> str | None:
    """The channel id of `<#C123|sales>` or a bare `C123`, else None."""
    match = _CHANNEL.fullmatch(text.strip())
    if match:
        return match.group(1)
    if re.fullmatch(r"[CGD][A-Z0-9]{2,}", text.strip()):
        return text.strip()
    return None


def code(text: str) -> str:
    """Text shown as inline code in mrkdwn: `like this`."""
    return "`" + text.replace("`", "'") + "`"
