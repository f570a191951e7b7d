"""Block Kit building blocks, with Slack's limits declared once and applied after escaping.

Text handed to these builders is mrkdwn or plain text that is already escaped
(`bot.text.escape` for anything a user typed). Each builder cuts its text to
Slack's limit for that place, never inside an escape (`&amp;`) or a mention
(`<@U123>`), and marks the cut with `…`, so Slack never refuses a message
because a company name or a summary was long.
"""

from __future__ import annotations

import re
from typing import Any

Block = dict[str, Any]

#: Slack's limits, in characters (or items), for the places leadcell writes to.
LIMITS = {
    "message_text": 40_000,
    "message_blocks": 50,
    "modal_blocks": 100,
    "section_text": 3_000,
    "section_fields": 10,
    "field_text": 2_000,
    "header_text": 150,
    "context_text": 2_000,
    "context_elements": 10,
    "button_text": 75,
    "button_value": 2_000,
    "option_text": 75,
    "options": 100,
    "label": 2_000,
    "placeholder": 150,
    "modal_title": 24,
    "modal_button": 24,
    "private_metadata": 3_000,
    "action_id": 255,
}
SECTION_LIMIT = LIMITS["section_text"]
_UNSPLITTABLE = re.compile(r"&[a-z]+;|<[^<>\s][^<>]*>")


def cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending with `…` when cut.

    The cut never falls inside an escape such as `&amp;` or a `<…>` mention or link.
    """
    if len(text) <= limit:
        return text
    end = limit - 1
    for match in _UNSPLITTABLE.finditer(text, max(0, end - 300), end + 300):
        if match.start() < end < match.end():
            end = match.start()
            break
    return text[:end].rstrip() + "…"


def mrkdwn(text: str, *, limit: int = LIMITS["section_text"]) -> dict[str, str]:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": cut(text, limit)}


def plain(text: str, *, limit: int = LIMITS["label"]) -> dict[str, Any]:
    """A plain_text text object."""
    return {"type": "plain_text", "text": cut(text, limit), "emoji": True}


def section(text: str, *, block_id: str | None = None) -> Block:
    """A section of mrkdwn text."""
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    return block


def header(text: str) -> Block:
    """A header block (plain text)."""
    return {"type": "header", "text": plain(text, limit=LIMITS["header_text"])}


def context(*texts: str) -> Block:
    """A context block: small grey mrkdwn lines."""
    elements = [mrkdwn(t, limit=LIMITS["context_text"]) for t in texts if t]
    return {"type": "context", "elements": elements[: LIMITS["context_elements"]]}


def button(text: str, *, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    """A button element."""
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text, limit=LIMITS["button_text"]),
        "action_id": action_id,
        "value": value[: LIMITS["button_value"]],
    }
    if style:
        element["style"] = style
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    """An actions block holding buttons."""
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def option(text: str, value: str) -> dict[str, Any]:
    """An option of a select menu."""
    return {"text": plain(text, limit=LIMITS["option_text"]), "value": value}


def message(text: str, blocks: list[Block], **extra: Any) -> dict[str, Any]:
    """A message: fallback text and at most 50 blocks, both within Slack's limits."""
    return {
        "text": cut(text, LIMITS["message_text"]),
        "blocks": blocks[: LIMITS["message_blocks"]],
        **extra,
    }


def code_sections(table: str, *, limit: int = LIMITS["section_text"] - 8) -> list[Block]:
    """A preformatted table as sections of at most `limit` characters, split between lines."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in table.splitlines():
        line = line[:limit]
        if current and size + len(line) + 1 > limit:
            chunks.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        chunks.append("\n".join(current))
    return [section(f"```{chunk}```") for chunk in chunks]


def text_sections(lines: list[str], *, limit: int = LIMITS["section_text"]) -> list[Block]:
    """Lines of mrkdwn packed into as few sections as fit, split between lines."""
    blocks: list[Block] = []
    chunk: list[str] = []
    size = 0
    for line in lines:
        line = cut(line, limit)
        if chunk and size + len(line) + 1 > limit:
            blocks.append(section("\n".join(chunk)))
            chunk, size = [], 0
        chunk.append(line)
        size += len(line) + 1
    if chunk:
        blocks.append(section("\n".join(chunk)))
    return blocks
