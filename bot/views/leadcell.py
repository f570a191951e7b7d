"""How `/leadcell` and the `leadcell` terminal commands speak: answers, and example commands.

The same words run in Slack (`/leadcell team list`) and in the terminal
(`leadcell team list`). A `Style` writes for one of the two: Slack gets mrkdwn,
mentions and channel links, which it shows as names; the terminal gets plain
text with people's names and channel ids. Refusals learn which one they are
written for from the `surface` fact (`Style.facts()`), so every example they show
is a command that runs where it is shown.

Examples are commands, not prose: their words are the same in every language
(every language's aliases are accepted) and the names in them are the demo
data's (team `fr`, the seminar "Paris Summit"), so they are not translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from bot.blocks import code_sections, message, text_sections
from bot.grammar.command_line import Topic, Verb
from bot.text import escape
from models.actors import Person

SURFACE_FACT = "surface"
#: The fact naming a terminal command at fault as typed, without its `--team` (bot.terminal):
#: a refusal that needs a team shows that command again with one.
TYPED_FACT = "typed"


class Surface(StrEnum):
    """Where a command was typed and its answer is read."""

    SLACK = "slack"
    TERMINAL = "terminal"


#: Terminal subcommands whose name differs from the `/leadcell` topic.
TERMINAL_TOPICS = {Topic.COST: "costs"}


@dataclass(frozen=True)
class Style:
    """Writing for Slack (mrkdwn) or for the terminal (plain text)."""

    surface: Surface = Surface.SLACK

    @property
    def terminal(self) -> bool:
        return self.surface == Surface.TERMINAL

    def facts(self) -> dict[str, Any]:
        """The fact that tells refusal wordings where they are read."""
        return {SURFACE_FACT: self.surface}

    # --- text ---------------------------------------------------------------------------
    def bold(self, text: str) -> str:
        return text if self.terminal else f"*{text}*"

    def code(self, text: str) -> str:
        """Text shown as a command or a value: in backticks, escaped for Slack (`<slug>` would
        otherwise be read as a link and vanish)."""
        return f"`{text}`" if self.terminal else f"`{escape(text)}`"

    def typed(self, text: str) -> str:
        """Text a user typed, safe to show (escaped for Slack)."""
        return text if self.terminal else escape(text)

    def person(self, person: Person) -> str:
        """A member: a mention Slack shows as their name, or their name."""
        return person.name if self.terminal else f"<@{person.user_id}>"

    def user(self, user_id: str) -> str:
        return user_id if self.terminal else f"<@{user_id}>"

    def channel(self, channel_id: str) -> str:
        return channel_id if self.terminal else f"<#{channel_id}>"

    # --- commands -----------------------------------------------------------------------
    def command(self, topic: Topic, words: str = "") -> str:
        """A complete command: `/leadcell cost list 2026-10`, `leadcell costs list 2026-10`."""
        if self.terminal:
            head = "leadcell " + TERMINAL_TOPICS.get(topic, topic.value)
        else:
            head = "/leadcell " + topic.value
        return f"{head} {words}".rstrip()

    def help_command(self, topic: Topic | None = None) -> str:
        """How to ask for help: `/leadcell help`, `/leadcell team help`, `leadcell team help`."""
        if topic is None or topic == Topic.HELP:
            return "leadcell --help" if self.terminal else "/leadcell help"
        return self.command(topic, "help")

    def report(
        self,
        kind: Verb,
        *,
        day: date | None = None,
        month: date | None = None,
        team: str | None = None,
    ) -> str:
        """A report command: `/leadcell report day 2026-11-27 team=fr` or its terminal form."""
        if self.terminal:
            words = ["leadcell", "report", "month" if kind == Verb.MONTH else "today"]
            if month is not None:
                words.append(f"{month:%Y-%m}")
            if day is not None:
                words += ["--date", day.isoformat()]
            if team:
                words += ["--team", team]
            return " ".join(words)
        words = ["/leadcell", "report", kind.value]
        if month is not None:
            words.append(f"{month:%Y-%m}")
        if day is not None:
            words.append(day.isoformat())
        if team:
            words.append(f"team={team}")
        return " ".join(words)


def style_of(facts: dict[str, Any]) -> Style:
    """The style a refusal is written in, from its facts (Slack unless told otherwise)."""
    return Style(Surface(facts.get(SURFACE_FACT) or Surface.SLACK))


SLACK = Style(Surface.SLACK)
TERMINAL = Style(Surface.TERMINAL)


@dataclass(frozen=True)
class Answer:
    """What a command answers: lines of text in the style it was written in, and a table."""

    lines: list[str]
    table: str | None = None
    notes: list[str] = field(default_factory=list)

    def slack(self) -> dict[str, Any]:
        """The ephemeral answer in Slack: the lines, the table as code, the notes last."""
        blocks = text_sections(self.lines)
        if self.table:
            blocks += code_sections(escape(self.table))
        if self.notes:
            blocks += text_sections(self.notes)
        fallback = "\n".join(self.lines)
        return {"response_type": "ephemeral", **message(fallback, blocks)}

    def text(self) -> str:
        """The answer as terminal text."""
        parts = [*self.lines]
        if self.table:
            parts.append(self.table)
        parts += self.notes
        return "\n".join(parts)
