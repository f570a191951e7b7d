"""The words of every refusal: what was wrong, and a correct example, in the reader's language.

Each problem code of the domain and of the grammar has one wording, registered
with `@wording(...)` in the module of its area; `describe` finds it. Every
wording declares sample facts, so tests can render every refusal in every
language and run every example it shows.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.blocks import Block, context, message, section
from bot.i18n import Reader
from bot.text import code, escape
from models.actors import Person
from models.errors import DomainError, Problem

#: The modules that register wordings, one per area.
AREAS = (
    "grammar",
    "policy",
    "calls",
    "leads",
    "roster",
    "costs",
    "events",
    "seminars",
    "sla",
    "admin",
)


@dataclass(frozen=True)
class Said:
    """A refusal in words: the message (mrkdwn) and a correct example, if any."""

    message: str
    example: str | None = None


Facts = dict[str, Any]
Wording = Callable[[Reader, Facts], Said]


@dataclass(frozen=True)
class Registered:
    """A problem's wording and the sample facts tests render it with."""

    wording: Wording
    sample: Facts


_REGISTRY: dict[Problem, Registered] = {}


def wording(*problems: Problem, sample: Facts | None = None) -> Callable[[Wording], Wording]:
    """Register the wording of one or more problems (with facts to render them in tests)."""

    def register(function: Wording) -> Wording:
        for problem in problems:
            if problem in _REGISTRY:
                raise ValueError(f"{problem} is worded twice")
            _REGISTRY[problem] = Registered(function, dict(sample or {}))
        return function

    return register


def registry() -> dict[Problem, Registered]:
    """Every registered wording, all areas loaded."""
    for area in AREAS:
        importlib.import_module(f"{__name__}.{area}")
    return dict(_REGISTRY)


def shown(value: object, *, limit: int = 80) -> str:
    """A value the user typed, for a message: in backticks, shortened, escaped."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "`" + escape(text).replace("`", "'") + "`"


def mention(person: Person) -> str:
    """A member named in a message."""
    return f"<@{person.user_id}>"


def describe(error: DomainError, reader: Reader, **extra: Any) -> Said:
    """The words of a refusal. `extra` adds facts the boundary knows (who can help)."""
    registered = registry().get(error.problem)
    if registered is None:
        raise LookupError(f"no wording for {error.problem}")
    return registered.wording(reader, {**error.facts, **extra})


def refusal_blocks(said: Said, reader: Reader) -> list[Block]:
    """A refusal as Block Kit: the warning, then the example."""
    blocks = [section(":warning: " + said.message)]
    if said.example:
        blocks.append(context(reader._("Example: {example}", example=code(said.example))))
    return blocks


def refusal_text(said: Said, reader: Reader) -> str:
    """A refusal as one line of text (fallbacks and the terminal)."""
    if not said.example:
        return said.message
    return said.message + " " + reader._("Example: {example}", example=said.example)


def refusal(error: DomainError, reader: Reader, **extra: Any) -> dict[str, Any]:
    """The ephemeral answer to a refused request."""
    said = describe(error, reader, **extra)
    return {
        "response_type": "ephemeral",
        **message(refusal_text(said, reader), refusal_blocks(said, reader)),
    }


def field_errors(
    error: DomainError, reader: Reader, *, fields: set[str], default: str, **extra: Any
) -> dict[str, str]:
    """A refusal shown on a form's field: the one at fault, else `default`."""
    said = describe(error, reader, **extra)
    field = error.field if error.field in fields else default
    return {field: refusal_text(said, reader)[:2000]}
