"""The `/call` quick form: `/call <company> <duration> [<outcome>] [<note>]`.

The company is the words before the first duration, or a quoted name followed
by the duration (`/call "Acme 2000" 12m`). The outcome is the phrase right after
the duration, in any language (`no answer`, `pas intéressé`, `Rückruf`); without
one the call is a `contact`. Everything after that is the note.
"""

from __future__ import annotations

import re

from bot.grammar.durations import duration_at
from bot.grammar.outcomes import check_not_misspelt, outcome_at
from bot.grammar.words import check_characters, regular
from bot.text import plain_text
from models.calls import CallProblem, NewCall, check_new_call
from models.errors import InvalidInput
from models.outcomes import DEFAULT_OUTCOME


def _words(text: str) -> tuple[list[str], list[int]]:
    found = list(re.finditer(r"\S+", text))
    return [m.group() for m in found], [m.start() for m in found]


def parse_call_text(text: str, *, language: str = "en") -> NewCall:
    """Read the quick form into a NewCall, or raise InvalidInput naming what is wrong."""
    typed = check_characters(text, field="note").strip()
    text = regular(typed, dashes=False)  # same length: positions cut the typed text
    company: str | None = None
    offset = 0
    if text.startswith('"'):
        end = text.find('"', 1)
        if end < 0:
            raise InvalidInput(CallProblem.DURATION_NOT_AFTER_QUOTE, field="company")
        company, offset = typed[1:end], end + 1
    rest, typed_rest = text[offset:], typed[offset:]
    words, starts = _words(rest)
    if company is None and words and duration_at(words, 0) is not None:
        raise InvalidInput(CallProblem.COMPANY_MISSING, field="company")
    first = 0 if company is not None else 1
    found = None
    for index in range(first, len(words)):
        found = duration_at(words, index)
        if found is not None:
            break
        if company is not None:  # after a quoted company, the duration comes first
            raise InvalidInput(CallProblem.DURATION_NOT_AFTER_QUOTE, field="duration")
    if found is None:
        raise InvalidInput(
            CallProblem.COMPANY_MISSING if not words else CallProblem.DURATION_MISSING,
            field="duration",
        )
    duration, length = found
    if company is None:
        company = typed_rest[: starts[index]].strip()
    position = index + length
    outcome = DEFAULT_OUTCOME
    if position < len(words):
        phrase = outcome_at(words, position)
        if phrase is not None:
            outcome, taken = phrase
            position += taken
        else:
            check_not_misspelt(words[position], language=language)
    note = typed_rest[starts[position] :].strip() if position < len(words) else ""
    new = NewCall(
        company=plain_text(company.strip(), field="company"),
        duration=duration,
        outcome=outcome,
        note=plain_text(note, field="note") or None,
    )
    check_new_call(new)
    return new
