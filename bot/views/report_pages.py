"""How a digest or a report is laid out: one list of items, shown in Slack or in a terminal.

A view builds the list of `Item`s once; `to_messages` packs them into as many
chat.postMessage payloads as Slack's limits require (bot.blocks), and `to_text`
prints them. Tables are monospace (tabulate), so they are shown in code blocks.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import LIMITS, Block, code_sections, context, cut, header, section
from bot.i18n import Reader
from bot.text import escape
from models.actors import TeamFacts

#: Slack allows 50 blocks per message; a continuation note takes one.
MAX_BLOCKS = LIMITS["message_blocks"] - 1
#: Characters of block text per message: beyond this a long digest continues in a new
#: message, which keeps each message readable and far below Slack's payload limits.
MESSAGE_CHARS = 12_000
#: A table's section, with its code fences, stays below Slack's section limit.
TABLE_CHARS = LIMITS["section_text"] - 100
FALLBACK_CHARS = 3_000
#: What a table cell shows for a figure that has no meaning (no leads to divide by).
NONE = "—"


def in_team(reader: Reader, team: TeamFacts) -> Reader:
    """The reader, with the team's time zone and currency: a team's figures are in its own."""
    return dataclasses.replace(reader, zone=ZoneInfo(team.timezone), currency=team.currency)


def whole_money(reader: Reader, amount: Decimal) -> str:
    """An amount in the team's currency to the unit, rounded once from its exact value."""
    return reader.money(amount.quantize(Decimal(1), ROUND_HALF_UP))


def whole_seconds(seconds: Decimal) -> int:
    """Exact seconds rounded once to a whole second."""
    return int(seconds.quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class Item:
    """One piece of a digest or report: a header, mrkdwn text, a table or a small note.

    `text` is what Slack shows (mrkdwn, except for headers, which are plain text, and
    tables, which are raw and escaped when turned into blocks); `plain` is the
    terminal form (default: `text`).
    """

    kind: str
    text: str
    plain: str | None = None

    @property
    def terminal(self) -> str:
        return self.plain if self.plain is not None else self.text


def title(text: str) -> Item:
    """A header, from plain text (escaped for Slack)."""
    return Item("header", escape(text), text)


def paragraph(text: str, plain: str | None = None) -> Item:
    """mrkdwn text, with its terminal form when it differs."""
    return Item("text", text, plain)


def table(text: str) -> Item:
    """A monospace table (raw text)."""
    return Item("table", text)


def note(text: str, plain: str | None = None) -> Item:
    """A small grey note (mrkdwn)."""
    return Item("note", text, plain)


def unstarred(text: str) -> str:
    """The terminal form of mrkdwn that holds no user text: no bold, no italics."""
    return text.replace("*", "").replace("_", "")


def cell(text: str, width: int = 30) -> str:
    """User text for a table cell: one line, no backticks, at most `width` characters."""
    flat = " ".join(text.replace("`", "'").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _blocks(item: Item) -> list[Block]:
    if item.kind == "header":
        return [header(item.text)]
    if item.kind == "table":
        return _table_sections(item.text)
    if item.kind == "note":
        return [context(item.text)]
    return [section(item.text)]


def _table_sections(text: str) -> list[Block]:
    """A tabulate table as code sections; a long one is cut between rows, and every
    section repeats the two header lines so each message reads on its own."""
    lines = [escape(line) for line in text.splitlines()]
    head, body = lines[:2], lines[2:]
    chunks: list[list[str]] = [[]]
    size = sum(len(line) + 1 for line in head)
    for line in body:
        if chunks[-1] and size + len(line) + 1 > TABLE_CHARS:
            chunks.append([])
            size = sum(len(h) + 1 for h in head)
        chunks[-1].append(line)
        size += len(line) + 1
    blocks: list[Block] = []
    for chunk in chunks:
        blocks += code_sections("\n".join(head + chunk))
    return blocks


def _size(block: Block) -> int:
    text = block.get("text")
    if isinstance(text, dict):
        return len(str(text.get("text", "")))
    return sum(len(str(e.get("text", ""))) for e in block.get("elements", []))


def to_messages(
    items: list[Item], reader: Reader, *, heading: str, summary: str
) -> list[dict[str, Any]]:
    """The items as chat.postMessage payloads ({"text", "blocks"}), split to fit Slack.

    A message holds at most 50 blocks and about MESSAGE_CHARS characters; a table is
    split between lines. Each later message starts with a note naming its part.
    `heading` is the title and `summary` the fallback text of the first part, both plain
    text (escaped here).
    """
    pages: list[list[Block]] = [[]]
    size = 0
    for item in items:
        for block in _blocks(item):
            if pages[-1] and (len(pages[-1]) >= MAX_BLOCKS or size + _size(block) > MESSAGE_CHARS):
                pages.append([])
                size = 0
            pages[-1].append(block)
            size += _size(block)
    count = len(pages)
    messages = []
    for number, blocks in enumerate(pages, start=1):
        parts = {"number": reader.number(number), "count": reader.number(count)}
        if count == 1:
            text = escape(summary)
        elif number == 1:
            text = reader._(
                "{summary} (part {number} of {count})", summary=escape(summary), **parts
            )
        else:
            text = reader._("{title} (part {number} of {count})", title=escape(heading), **parts)
            part = reader._("*{title}*, part {number} of {count}", title=escape(heading), **parts)
            blocks = [context(part), *blocks]
        messages.append({"text": cut(text, FALLBACK_CHARS), "blocks": blocks})
    return messages


def to_text(items: list[Item]) -> str:
    """The items as terminal text."""
    lines: list[str] = []
    for item in items:
        if item.kind == "header":
            lines += [item.terminal, "=" * min(len(item.terminal), 72)]
        elif item.kind == "table":
            lines += [item.text, ""]
        else:
            lines.append(item.terminal)
    return "\n".join(lines).rstrip() + "\n"
