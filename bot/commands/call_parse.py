"""The `/call` quick form: `/call <company> <duration> [<outcome>] [<note>]`."""

from __future__ import annotations

import difflib
import re
from datetime import timedelta

from bot.text import plain_text
from models.calls import CALL_EXAMPLE, NewCall, check_new_call
from models.errors import InvalidInput, quoted
from models.outcomes import DEFAULT_OUTCOME, Outcome, parse_outcome

_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»"}
_DURATIONS: list[tuple[re.Pattern[str], tuple[int, ...]]] = [
    (re.compile(r"(\d+)"), (60,)),
    (re.compile(r"(\d+)\s*(?:m|min|mins|minutes?)"), (60,)),
    (re.compile(r"(\d+)\s*(?:s|sec|secs|seconds?)"), (1,)),
    (re.compile(r"(\d+)h(?:([0-5]?\d)(?:m|min)?)?"), (3600, 60)),
    (re.compile(r"(\d+)m([0-5]?\d)s"), (60, 1)),
    (re.compile(r"(\d+):([0-5]\d)"), (60, 1)),
    (re.compile(r"(\d+):([0-5]\d):([0-5]\d)"), (3600, 60, 1)),
]


def parse_duration(word: str) -> timedelta | None:
    """A call duration: `12m`, `12min`, `1h05`, `1h`, `90s`, `0:12:30`, `12:30` (m:ss), `12`."""
    word = word.strip().lower()
    for pattern, units in _DURATIONS:
        match = pattern.fullmatch(word)
        if match:
            return timedelta(
                seconds=sum(int(g or 0) * u for g, u in zip(match.groups(), units, strict=True))
            )
    return None


def _split_company(text: str) -> tuple[str | None, str]:
    """A leading quoted company and the rest, or (None, text) when it is not quoted."""
    closing = _QUOTES.get(text[:1])
    if closing is None:
        return None, text
    end = text.find(closing, 1)
    if end < 0:
        raise InvalidInput(
            "The company's closing quote is missing.", example='/call "Acme 2000" 12m contact'
        )
    return text[1:end], text[end + 1 :]


def parse_call_text(text: str) -> NewCall:
    """Read the quick form into a NewCall, or raise InvalidInput with an example."""
    text = text.strip()
    company, rest = _split_company(text)
    words = list(re.finditer(r"\S+", rest))
    duration: timedelta | None = None
    position = 0
    for index, word in enumerate(words):
        duration = parse_duration(word.group())
        if duration is not None:
            if company is None:
                company = rest[: word.start()].strip()
            elif index:
                raise InvalidInput(
                    "Put the duration right after the quoted company.",
                    example='/call "Acme 2000" 12m contact',
                )
            position = index + 1
            break
    if duration is None:
        raise InvalidInput(
            "I couldn't find the call's duration. Write it after the company, as `12m`, "
            "`1h05`, `90s` or `0:12:30`.",
            example=CALL_EXAMPLE,
        )
    if not company:
        raise InvalidInput(
            "The company is missing: write it before the duration.", example=CALL_EXAMPLE
        )

    outcome = DEFAULT_OUTCOME
    note_start = words[position].start() if position < len(words) else len(rest)
    if position < len(words):
        candidate = words[position].group()
        parsed = parse_outcome(candidate)
        if parsed is not None:
            outcome = parsed
            note_start = words[position + 1].start() if position + 1 < len(words) else len(rest)
        else:
            _refuse_misspelt_outcome(candidate)
    note = rest[note_start:].strip() or None

    new = NewCall(
        company=plain_text(company.strip(), field="company", example=CALL_EXAMPLE),
        duration=duration,
        outcome=outcome,
        note=plain_text(note, field="note", example=CALL_EXAMPLE) if note else None,
    )
    check_new_call(new)
    return new


def _refuse_misspelt_outcome(word: str) -> None:
    """A word that looks like an outcome but is not one is refused, not taken as the note."""
    names = [o.value for o in Outcome]
    close = difflib.get_close_matches(word.lower(), names, n=1, cutoff=0.75)
    if close:
        raise InvalidInput(
            f"{quoted(word)} is not an outcome. Did you mean `{close[0]}`? "
            f"Outcomes: {', '.join(names)}.",
            example=f"/call Acme Corp 12m {close[0]}",
        )


def format_duration(seconds: int) -> str:
    """`12 min`, `1 h 05`, `45 s`, `2 min 30 s`: how a duration is shown back."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"
