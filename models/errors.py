"""Typed refusals. The domain names what is wrong; the bot words it, in the reader's language.

A refusal carries a problem code (a member of one of the `Problem` enums that
each domain module declares) and structured facts: which member, which lead,
which value, which values are allowed. It never carries a sentence, a Slack
mention or a slash-command example: `bot.views.problems` turns each problem into
a message with a correct example, in French, English or German.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Problem(StrEnum):
    """Base of every problem enum. Members are dotted codes such as `call.too_long`.

    Subclasses live next to the domain code that raises them, so each module
    declares what it may refuse; `problem_enums()` finds them all.
    """


def problem_enums() -> list[type[Problem]]:
    """Every problem enum defined so far (import the modules that declare them first)."""
    found: list[type[Problem]] = []
    pending: list[type[Problem]] = list(Problem.__subclasses__())
    while pending:
        enum = pending.pop()
        found.append(enum)
        pending.extend(enum.__subclasses__())
    return sorted(found, key=lambda enum: f"{enum.__module__}.{enum.__qualname__}")


class DomainError(Exception):
    """A request the domain refuses; nothing was written.

    `problem` says what is wrong, `facts` carry the values a message needs, and
    `field` names the input at fault when there is one (a form shows the error there).
    """

    def __init__(self, problem: Problem, /, *, field: str | None = None, **facts: Any) -> None:
        super().__init__(str(problem))
        self.problem = problem
        self.field = field
        self.facts = facts

    def __repr__(self) -> str:
        facts = ", ".join(f"{key}={value!r}" for key, value in sorted(self.facts.items()))
        return f"{type(self).__name__}({self.problem!s}{', ' if facts else ''}{facts})"


class InvalidInput(DomainError):
    """The request is malformed or out of bounds."""


class NotAllowed(DomainError):
    """The actor may not do this."""


class NotFound(DomainError):
    """What the request names does not exist."""


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, a window that has closed)."""
