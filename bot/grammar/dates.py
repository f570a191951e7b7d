"""Months, days, times of day and lists of weekdays, as people type them.

Months are `2026-10` (also `2026-1`, `10/2026`); days are `2026-11-27`,
`27/11/2026` or `27.11.2026`; times of day are `18:00` or `9:00` (24-hour);
weekdays are names or ranges in English, French or German (`mon-fri`,
`lun,mar`, `Mo-Fr`). Months and days lie between 2000 and 2099: anything else
is a typing slip, and refusing it keeps it out of every report.
"""

from __future__ import annotations

import re
from datetime import date, time

from bot.grammar.problems import GrammarProblem
from bot.grammar.words import fold
from models.errors import InvalidInput

FIRST_YEAR, LAST_YEAR = 2000, 2099
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "lun", "lundi", "mo", "montag"),
        ("tue", "tuesday", "mar", "mardi", "di", "dienstag"),
        ("wed", "wednesday", "mer", "mercredi", "mi", "mittwoch"),
        ("thu", "thursday", "jeu", "jeudi", "do", "donnerstag"),
        ("fri", "friday", "ven", "vendredi", "fr", "freitag"),
        ("sat", "saturday", "sam", "samedi", "sa", "samstag"),
        ("sun", "sunday", "dim", "dimanche", "so", "sonntag"),
    )
):
    for _name in _names:
        _DAY_NAMES[_name] = _index

_MONTH = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})|(?P<m2>\d{1,2})/(?P<y2>\d{4})")
_DAY = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})|(?P<d2>\d{1,2})[/.](?P<m2>\d{1,2})[/.](?P<y2>\d{4})"
)
_CLOCK = re.compile(r"(?P<h>[01]?\d|2[0-3])[:h.](?P<m>[0-5]\d)")


def parse_month(text: str) -> date:
    """A month as its first day: `2026-10` -> date(2026, 10, 1)."""
    match = _MONTH.fullmatch(text.strip())
    if match is None:
        raise InvalidInput(GrammarProblem.MONTH_UNREADABLE, field="month", text=text)
    year = int(match["y"] or match["y2"])
    month = int(match["m"] or match["m2"])
    if not 1 <= month <= 12:
        raise InvalidInput(GrammarProblem.MONTH_UNREADABLE, field="month", text=text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            GrammarProblem.MONTH_OUT_OF_RANGE,
            field="month",
            text=text,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
    return date(year, month, 1)


def parse_day(text: str) -> date:
    """A calendar day: `2026-11-27`, `27/11/2026` or `27.11.2026`."""
    match = _DAY.fullmatch(text.strip())
    if match is None:
        raise InvalidInput(GrammarProblem.DAY_UNREADABLE, field="date", text=text)
    try:
        day = date(
            int(match["y"] or match["y2"]),
            int(match["m"] or match["m2"]),
            int(match["d"] or match["d2"]),
        )
    except ValueError:
        raise InvalidInput(GrammarProblem.DAY_UNREADABLE, field="date", text=text) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(GrammarProblem.DAY_UNREADABLE, field="date", text=text)
    return day


def parse_clock(text: str, *, field: str = "time") -> time:
    """A time of day, 24-hour: `18:00`, `9:00`, `9h30`."""
    match = _CLOCK.fullmatch(text.strip().lower())
    if match is None:
        raise InvalidInput(GrammarProblem.CLOCK_UNREADABLE, field=field, text=text)
    return time(int(match["h"]), int(match["m"]))


def parse_weekdays(text: str, *, field: str = "days") -> tuple[int, ...]:
    """Weekday numbers (Monday 0) from names and ranges: `mon-fri`, `lun,mer`, `Mo-Fr`, `sat`."""
    chosen: set[int] = set()
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        ends = [fold(name).rstrip(".") for name in part.split("-")]
        if len(ends) > 2 or any(name not in _DAY_NAMES for name in ends):
            raise InvalidInput(GrammarProblem.WEEKDAYS_UNREADABLE, field=field, text=text)
        start, end = _DAY_NAMES[ends[0]], _DAY_NAMES[ends[-1]]
        chosen.update(
            range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)]
        )
    if not chosen:
        raise InvalidInput(GrammarProblem.WEEKDAYS_UNREADABLE, field=field, text=text)
    return tuple(sorted(chosen))


def weekday_names(days: tuple[int, ...]) -> str:
    """Stored form of weekday numbers: `mon,tue,wed,thu,fri`."""
    return ",".join(WEEKDAYS[day] for day in days)
