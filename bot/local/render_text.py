"""Block Kit as terminal text, the way the local shell shows what Slack would display.

mrkdwn is read as Slack reads it (docs.slack.dev, "Formatting text for app surfaces"):
``&amp;``, ``&lt;`` and ``&gt;`` show as ``&``, ``<`` and ``>``, and a raw ``<…>`` is a
control sequence, never literal text: a user or channel mention, a special mention
(``<!here>``), a date's fallback, or a link (``<https://x|label>``). A raw ``<…>`` that
is none of these, such as an unescaped ``<reason>``, is read as a link Slack cannot
open: its label shows, and without a label nothing shows. plain_text is not parsed
for control sequences. The shell therefore shows what a person would see, including
text the app forgot to escape.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.text import unescape

_EMOJI = {
    "telephone_receiver": "☎",
    "warning": "⚠",
    "leftwards_arrow_with_hook": "↩",
    "white_check_mark": "✅",
    "x": "✖",
    "bar_chart": "📊",
    "tada": "🎉",
}
_CONTROL = re.compile(r"<([^<>]*)>")
_URL = re.compile(r"^(?:https?|mailto|tel|slack):", re.IGNORECASE)
_BROADCASTS = ("here", "channel", "everyone")


def render(
    blocks: list[dict[str, Any]] | None,
    fallback: str = "",
    name_of: Callable[[str], str] = lambda user_id: user_id,
) -> str:
    """Blocks as readable lines (the fallback text when there are none)."""
    if not blocks:
        return _mrkdwn(fallback, name_of)
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = _text(block.get("text"), name_of)
            lines += [title.upper(), "=" * min(len(title), 60)]
        elif kind == "section":
            if block.get("text"):
                lines.append(_text(block["text"], name_of))
            lines += ["  " + _text(f, name_of) for f in block.get("fields", [])]
            if block.get("accessory", {}).get("type") == "button":
                lines.append(_button(block["accessory"], name_of))
        elif kind == "context":
            lines.append(
                "  "
                + " · ".join(_text(e, name_of) for e in block.get("elements", []) if "text" in e)
            )
        elif kind == "actions":
            lines.append("  ".join(_button(e, name_of) for e in block.get("elements", [])))
        elif kind == "divider":
            lines.append("─" * 40)
        elif kind == "input":
            lines.append(_input(block, name_of))
        elif kind == "image":
            lines.append(f"[image: {block.get('alt_text', '')}]")
    return "\n".join(lines)


def _text(obj: dict[str, Any] | None, name_of: Callable[[str], str]) -> str:
    if not obj:
        return ""
    if obj.get("type") == "plain_text":
        return (
            _emoji(unescape(obj.get("text", "")))
            if obj.get("emoji", True)
            else unescape(obj.get("text", ""))
        )
    return _mrkdwn(obj.get("text", ""), name_of)


def _button(element: dict[str, Any], name_of: Callable[[str], str]) -> str:
    return f"[ {_text(element.get('text'), name_of)} ]"


def _input(block: dict[str, Any], name_of: Callable[[str], str]) -> str:
    element = block.get("element", {})
    label = _text(block.get("label"), name_of)
    optional = " (optional)" if block.get("optional") else ""
    if element.get("type") == "static_select":
        options = "/".join(o["value"] for o in element.get("options", []))
        shown = f"one of {options}"
    else:
        shown = _text(element.get("placeholder"), name_of) or "text"
    return f"  {block.get('block_id')}: {label}{optional} — {shown}"


def _mrkdwn(text: str, name_of: Callable[[str], str]) -> str:
    text = text.replace("```", "\n").strip("\n") if text.startswith("```") else text
    text = _CONTROL.sub(lambda m: _control(m.group(1), name_of), text)
    return unescape(_emoji(text))


def _emoji(text: str) -> str:
    return re.sub(r":([a-z_]+):", lambda m: _EMOJI.get(m.group(1), m.group(0)), text)


def _control(inner: str, name_of: Callable[[str], str]) -> str:
    """What Slack shows for the control sequence ``<inner>``."""
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + name_of(target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        word = target[1:]
        if word in _BROADCASTS:
            return "@" + word
        if word.startswith("subteam^"):
            return label or "@" + word.removeprefix("subteam^")
        return label  # <!date^…|fallback> and other commands show their fallback
    if _URL.match(target):
        return f"{label} ({target})" if label else target
    return label  # a link Slack cannot open: its label, or nothing


def render_view(view: dict[str, Any], name_of: Callable[[str], str]) -> str:
    """A modal as text: its title, its fields, and its buttons."""
    title = _text(view.get("title"), name_of)
    submit = _text(view.get("submit"), name_of) or "Submit"
    body = render(view.get("blocks"), "", name_of)
    return f"┌ {title} ┐\n{body}\n[ {submit} ]  [ {_text(view.get('close'), name_of) or 'Cancel'} ]"
