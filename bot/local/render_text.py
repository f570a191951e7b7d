"""Block Kit as terminal text, the way the local shell shows what Slack would display."""

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
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<([^@#!][^|>]*)\|([^>]*)>")


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
    text = _MENTION.sub(lambda m: "@" + name_of(m.group(1)), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = re.sub(r":([a-z_]+):", lambda m: _EMOJI.get(m.group(1), m.group(0)), text)
    return unescape(text)


def render_view(view: dict[str, Any], name_of: Callable[[str], str]) -> str:
    """A modal as text: its title, its fields, and its buttons."""
    title = _text(view.get("title"), name_of)
    submit = _text(view.get("submit"), name_of) or "Submit"
    body = render(view.get("blocks"), "", name_of)
    return f"┌ {title} ┐\n{body}\n[ {submit} ]  [ {_text(view.get('close'), name_of) or 'Cancel'} ]"
