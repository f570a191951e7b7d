"""Call durations as people type them, in French, English and German.

`12m`, `12 min`, `12 mins`, `12 minutes`, `12mn` (French), `12 Min.`, `12.5m` and
`12,5m` (12 min 30 s), `1h30`, `1 h 30`, `1h30m`, `1 h 30 min`, `1 Std. 30`,
`90s`, `90 sec`, `2 min 30 s`, `0:12:30`, `12:30` (minutes:seconds), and a bare
number, which is minutes. A duration may span several words (`1 h 30 min`);
`duration_at` finds the longest one starting at a given word.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation

_HOURS = r"(?:h|hr|hrs|hour|hours|heure|heures|std|stunde|stunden)\.?"
_MINUTES = r"(?:m|min|mins|minute|minutes|mn|minuten)\.?"
_SECONDS = r"(?:s|sec|secs|second|seconds|seconde|secondes|sek|sekunde|sekunden)\.?"
_NUMBER = r"\d{1,9}(?:[.,]\d{1,3})?"
_PATTERNS = [
    # 1h, 1h30, 1 h 30, 1h30m, 1 h 30 min, 1 Std. 30
    re.compile(rf"(?P<h>\d{{1,9}})\s?{_HOURS}(?:\s?(?P<m>[0-5]?\d)(?:\s?{_MINUTES})?)?"),
    # 12m, 12 min, 12.5m, 12,5 min, 2 min 30 s, 12m30s
    re.compile(rf"(?P<m>{_NUMBER})\s?{_MINUTES}(?:\s?(?P<s>[0-5]?\d)(?:\s?{_SECONDS})?)?"),
    # 90s, 90 sec
    re.compile(rf"(?P<s>{_NUMBER})\s?{_SECONDS}"),
    # 0:12:30, 12:30 (minutes:seconds)
    re.compile(r"(?P<h>\d{1,9}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)"),
    re.compile(r"(?P<m>\d{1,9}):(?P<s>[0-5]\d)"),
    # 12: minutes
    re.compile(r"(?P<m>\d{1,9})"),
]
#: A duration is at most this many words (`1 h 30 min`).
MAX_WORDS = 4


def _number(text: str | None) -> Decimal:
    if not text:
        return Decimal(0)
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the patterns admit digits only
        return Decimal(0)


def parse_duration(text: str) -> timedelta | None:
    """The duration a text names (see the module docstring), or None; whole seconds."""
    text = " ".join(text.split()).lower()
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        seconds = (
            _number(parts.get("h")) * 3600 + _number(parts.get("m")) * 60 + _number(parts.get("s"))
        )
        return timedelta(seconds=int(seconds.to_integral_value()))
    return None


def duration_at(words: list[str], start: int) -> tuple[timedelta, int] | None:
    """The longest duration made of `words[start:start + n]`: (duration, n), or None."""
    for count in range(min(MAX_WORDS, len(words) - start), 0, -1):
        found = parse_duration(" ".join(words[start : start + count]))
        if found is not None:
            return found, count
    return None
