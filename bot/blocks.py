"""Block Kit building blocks shared by every command and report."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]


def mrkdwn(text: str) -> dict[str, str]:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> dict[str, Any]:
    """A plain_text text object."""
    return {"type": "plain_text", "text": text, "emoji": True}


def section(text: str, *, block_id: str | None = None) -> Block:
    """A section of mrkdwn text (Slack allows 3 000 characters)."""
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    return block


def context(*texts: str) -> Block:
    """A context block: small grey mrkdwn lines."""
    return {"type": "context", "elements": [mrkdwn(t) for t in texts]}


def button(text: str, *, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    """A button element."""
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text),
        "action_id": action_id,
        "value": value,
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


def error_blocks(message: str, example: str | None) -> list[Block]:
    """An error explained, with a correct example when there is one."""
    blocks = [section(f":warning: {message}")]
    if example:
        blocks.append(context(f"Example: `{example}`"))
    return blocks


def error_text(message: str, example: str | None) -> str:
    """The plain-text fallback of `error_blocks`."""
    return f"{message} Example: {example}" if example else message


SECTION_LIMIT = 3000


def code_sections(table: str, *, limit: int = SECTION_LIMIT - 8) -> list[Block]:
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
