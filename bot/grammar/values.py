"""Small values in options: yes/no, whole numbers and percents."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.grammar.problems import GrammarProblem
from bot.grammar.words import fold
from models.errors import InvalidInput

_YES = {"yes", "y", "true", "on", "1", "oui", "o", "vrai", "ja", "j", "wahr"}
_NO = {"no", "n", "false", "off", "0", "non", "faux", "nein", "falsch"}
_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d{1,2})?)\s*%?")


def parse_yes_no(text: str, *, field: str) -> bool:
    """`yes`/`no` in English, French or German (also true/false, on/off, 1/0)."""
    word = fold(text)
    if word in _YES or word in _NO:
        return word in _YES
    raise InvalidInput(GrammarProblem.YES_NO_UNREADABLE, field=field, text=text)


def parse_whole_number(text: str, *, field: str, low: int, high: int) -> int:
    """A whole number from `low` to `high` (both included)."""
    cleaned = text.strip().replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
    if not cleaned.isdigit() or not low <= int(cleaned) <= high:
        raise InvalidInput(
            GrammarProblem.WHOLE_NUMBER_UNREADABLE, field=field, text=text, low=low, high=high
        )
    return int(cleaned)


def parse_percent(text: str, *, field: str) -> Decimal:
    """A percent from 0 to 100 with at most two decimals: `70`, `70 %`, `33.33`, `33,33%`."""
    match = _PERCENT.fullmatch(text.strip())
    if match is None or Decimal(match.group(1).replace(",", ".")) > 100:
        raise InvalidInput(GrammarProblem.PERCENT_UNREADABLE, field=field, text=text)
    return Decimal(match.group(1).replace(",", "."))
