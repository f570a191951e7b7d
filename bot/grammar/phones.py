"""Phone numbers as people type them, read with Google's libphonenumber (`phonenumbers`).

A number is read for the team's country (`01 23 45 67 89` in France, `020 7946
0958` in the UK), or in international form whatever the country (`+33 1 23 45
67 89`, `0033 1 23 45 67 89`), and stored in E.164 (`+33123456789`). The library
knows every country's numbering plan, so a number too short, too long or in an
unassigned range is refused, not stored wrong.
"""

from __future__ import annotations

import re

import phonenumbers

from models.errors import InvalidInput, Problem

#: Characters a typed number may hold besides digits.
_NUMBER_CHARS = re.compile(r"[\d\s+().\-/\u00a0\u202f]+")
MAX_PHONE_CHARS = 40


class PhoneProblem(Problem):
    """A phone number that cannot be read."""

    UNREADABLE = "phone.unreadable"
    INVALID = "phone.invalid"
    NEEDS_COUNTRY = "phone.needs_country"


def parse_phone(text: str, *, country: str | None, field: str = "phone") -> str:
    """The number in E.164, read for `country` (ISO code) when it has no `+`."""
    typed = text.strip()
    if not typed or len(typed) > MAX_PHONE_CHARS or not _NUMBER_CHARS.fullmatch(typed):
        raise InvalidInput(PhoneProblem.UNREADABLE, field=field, text=text, country=country)
    region = country.upper() if country else None
    if region is None and not typed.startswith(("+", "00")):
        raise InvalidInput(PhoneProblem.NEEDS_COUNTRY, field=field, text=text)
    if typed.startswith("00"):
        typed = "+" + typed[2:]
    try:
        number = phonenumbers.parse(typed, region)
    except phonenumbers.NumberParseException:
        raise InvalidInput(
            PhoneProblem.UNREADABLE, field=field, text=text, country=country
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(PhoneProblem.INVALID, field=field, text=text, country=country)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(word: str) -> bool:
    """True for a word made of digits and number punctuation, with at least one digit."""
    return bool(_NUMBER_CHARS.fullmatch(word)) and any(ch.isdigit() for ch in word)


def phone_at_start(words: list[str], *, country: str | None) -> tuple[str, int] | None:
    """The number written by the first words (`+33 1 23 45 67 89 asked…`): (E.164, words
    used), or None when the first word is no part of a number. A run of number-like words
    that is not a valid number is refused (it is meant as one)."""
    count = 0
    while count < len(words) and looks_like_phone(words[count]):
        count += 1
    if count == 0:
        return None
    # The longest valid prefix of the run: `+33 1 23 45 67 89 2` keeps the trailing `2` out.
    for end in range(count, 0, -1):
        try:
            return parse_phone(" ".join(words[:end]), country=country), end
        except InvalidInput:
            continue
    return parse_phone(" ".join(words[:count]), country=country), count


def read_number_list(data: bytes, *, country: str | None) -> list[tuple[int, str, str | None]]:
    """The numbers of a registry file (one per line, first column; a header line is
    skipped): (line, text, E.164 or None when unreadable). The encoding is found as for
    attendee lists (bot.grammar.attendees_csv.decode)."""
    from bot.grammar.attendees_csv import decode

    text, _ = decode(data)
    found: list[tuple[int, str, str | None]] = []
    for line, raw in enumerate(text.splitlines(), start=1):
        cell = re.split(r"[;,\t]", raw, maxsplit=1)[0].strip().strip('"').strip()
        if not cell or (line == 1 and not any(ch.isdigit() for ch in cell)):
            continue
        try:
            found.append((line, cell, parse_phone(cell, country=country)))
        except InvalidInput:
            found.append((line, cell, None))
    return found
