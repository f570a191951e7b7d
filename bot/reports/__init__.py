"""Rendering digests and reports: Block Kit messages within Slack's limits, terminal text, files.

The views build a list of `Item`s once; `to_messages` packs them into as many
chat.postMessage payloads as Slack's limits require, and `to_text` prints them.

Public entry points:
- bot.reports.digest_view: `digest_messages(digest)`, `digest_text(digest)`
- bot.reports.report_view: `report_messages(report)`, `report_text(report)`,
  `report_files(report)`
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bot.blocks import Block, code_sections, context, section
from bot.text import escape

#: Slack allows 50 blocks per message; a continuation note takes one.
MAX_BLOCKS = 49
#: Characters of block text per message: beyond this a digest continues in a new message,
#: which keeps each message readable and far below Slack's payload limits.
MESSAGE_CHARS = 12_000
HEADER_CHARS = 150
FALLBACK_CHARS = 3_000
NONE = "—"


@dataclass(frozen=True)
class ReportFile:
    """A file to upload with a report (files_upload_v2: filename, title, content)."""

    filename: str
    title: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Item:
    """One piece of a digest or report: a header, mrkdwn text, a table or a small note.

    `text` is what Slack shows (mrkdwn, except for tables, which are raw and escaped
    when turned into blocks); `plain` is the terminal form (default: `text`).
    """

    kind: str
    text: str
    plain: str | None = None

    @property
    def terminal(self) -> str:
        return self.plain if self.plain is not None else self.text


def header(text: str) -> Item:
    """A header from plain text (escaped for Slack)."""
    return Item("header", escape(text), text)


def paragraph(text: str, plain: str | None = None) -> Item:
    return Item("text", text, plain)


def table(text: str) -> Item:
    return Item("table", text)


def note(text: str, plain: str | None = None) -> Item:
    return Item("note", text, plain)


def _blocks(item: Item) -> list[Block]:
    if item.kind == "header":
        title = item.text if len(item.text) <= HEADER_CHARS else item.text[: HEADER_CHARS - 1] + "…"
        return [{"type": "header", "text": {"type": "plain_text", "text": title, "emoji": True}}]
    if item.kind == "table":
        return _table_sections(item.text)
    if item.kind == "note":
        return [context(item.text[:2000])]
    return [section(item.text[:3000])]


TABLE_CHARS = 2_900


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


def to_messages(items: list[Item], *, title: str, summary: str) -> list[dict[str, Any]]:
    """The items as chat.postMessage payloads ({"text", "blocks"}), split to fit Slack.

    A message holds at most 50 blocks and about MESSAGE_CHARS characters; a table is
    split between lines. Each later message starts with a note naming its part.
    """
    pages: list[list[Block]] = [[]]
    size = 0
    for item in items:
        for block in _blocks(item):
            if pages[-1] and (
                len(pages[-1]) >= MAX_BLOCKS - 1 or size + _size(block) > MESSAGE_CHARS
            ):
                pages.append([])
                size = 0
            pages[-1].append(block)
            size += _size(block)
    count = len(pages)
    messages = []
    for number, blocks in enumerate(pages, start=1):
        if count == 1:
            text = summary
        elif number == 1:
            text = f"{summary} (part 1 of {count})"
        else:
            text = f"{title} (part {number} of {count})"
            blocks = [context(f"*{escape(title)}*, part {number} of {count}"), *blocks]
        messages.append({"text": text[:FALLBACK_CHARS], "blocks": blocks})
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


# --- figures -----------------------------------------------------------------------------------


def group_thousands(value: int) -> str:
    """`24000` as `24 000`."""
    return f"{value:,}".replace(",", " ")


def money(amount: Decimal | None, currency: str, *, missing: str = NONE) -> str:
    """`24 000 EUR`: whole units, rounded half up, thousands grouped by spaces."""
    if amount is None:
        return missing
    whole = int(amount.quantize(Decimal(1), ROUND_HALF_UP))
    return f"{group_thousands(whole)} {currency}"


def count(value: int) -> str:
    return group_thousands(value)


def ratio(value: Decimal | None) -> str:
    """`5.0x`."""
    return NONE if value is None else f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP)}x"


def percent(value: Decimal | None, *, places: int = 1) -> str:
    """`66.7%` (a value already in percent)."""
    if value is None:
        return NONE
    step = Decimal(1).scaleb(-places) if places else Decimal(1)
    return f"{value.quantize(step, ROUND_HALF_UP)}%"


def duration(seconds: int | None) -> str:
    """`12:30` (minutes:seconds)."""
    if seconds is None:
        return NONE
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"


def waited(delta: timedelta) -> str:
    """`5 h 10 min`, `2 d 3 h`."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes:02d} min"


def cell(text: str, width: int = 30) -> str:
    """User text for a table cell: one line, no backticks, at most `width` characters."""
    flat = " ".join(text.replace("`", "'").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def month_label(month: date) -> str:
    """`October 2026` (English whatever the locale)."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def short_month(month: date) -> str:
    """`Oct 2026`."""
    return f"{MONTHS[month.month - 1][:3]} {month.year}"


def day_label(day: date) -> str:
    """`Fri 27 Nov 2026`."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"
