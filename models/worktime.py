"""Working time: a team's working days and hours, its country's public holidays, its closed days.

Deadlines, reminders and "unclaimed for 4 hours" count working time only. A
`WorkingCalendar` adds working time to an instant and measures the working time
between two instants, in the team's time zone: each working day's hours are
wall-clock hours (09:00 to 18:00 stays 09:00 to 18:00 across daylight-saving
changes), public holidays come from the `holidays` library for the team's
country, and a team may close further days.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

#: Countries whose public holidays leadcell knows: ISO code -> (holidays code, subdivision).
COUNTRIES: dict[str, tuple[str, str | None]] = {
    "FR": ("FR", None),
    "GB": ("GB", "ENG"),
    "UK": ("GB", "ENG"),
    "DE": ("DE", None),
    "BE": ("BE", None),
    "CH": ("CH", None),
    "ES": ("ES", None),
    "IT": ("IT", None),
    "NL": ("NL", None),
    "IE": ("IE", None),
    "AT": ("AT", None),
    "US": ("US", None),
}
#: A search for the next working moment gives up after this many days (a calendar
#: closed for ever is refused when it is set, so this is only a guard).
HORIZON_DAYS = 3 * 366


@cache
def _holidays(country: str, year: int) -> frozenset[date]:
    code, subdivision = COUNTRIES[country]
    return frozenset(holidays.country_holidays(code, subdiv=subdivision, years=year))


def public_holidays(country: str, year: int) -> frozenset[date]:
    """The public holidays of a country (`FR`, `GB`, `DE`…) in a year."""
    return _holidays(country.upper(), year)


@dataclass(frozen=True)
class WorkingCalendar:
    """When a team works: weekdays (Monday 0), daily hours, country, closed days."""

    zone: ZoneInfo
    days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    opens: time = time(9, 0)
    closes: time = time(18, 0)
    country: str | None = None
    closed: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.opens >= self.closes:
            raise ValueError("a working day opens before it closes")
        if not self.days:
            raise ValueError("a calendar needs at least one working weekday")

    def is_working_day(self, day: date) -> bool:
        """True on a working weekday that is neither a public holiday nor a closed day."""
        if day.weekday() not in self.days or day in self.closed:
            return False
        return not (self.country and day in public_holidays(self.country, day.year))

    def hours_of(self, day: date) -> tuple[datetime, datetime]:
        """The UTC instants a working day opens and closes (its wall-clock hours)."""
        opens = datetime.combine(day, self.opens, self.zone).astimezone(UTC)
        closes = datetime.combine(day, self.closes, self.zone).astimezone(UTC)
        return opens, closes

    def _windows(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working windows from `start` on, the first one cut at `start`."""
        day = start.astimezone(self.zone).date()
        for _ in range(HORIZON_DAYS):
            if self.is_working_day(day):
                opens, closes = self.hours_of(day)
                if closes > start:
                    yield max(opens, start), closes
            day += timedelta(days=1)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant `duration` of working time after `start` (UTC).

        A zero duration gives the next working moment at or after `start`.
        """
        remaining = duration
        for opens, closes in self._windows(start.astimezone(UTC)):
            if remaining <= closes - opens:
                return opens + remaining
            remaining -= closes - opens
        raise ValueError("no working time within three years")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The working time from `start` to `end` (zero when `end` is not after `start`)."""
        total = timedelta(0)
        if end <= start:
            return total
        for opens, closes in self._windows(start.astimezone(UTC)):
            if opens >= end:
                break
            total += min(closes, end) - opens
        return total

    def working_days(self, first: date, last: date) -> Iterable[date]:
        """The working days from `first` to `last`, both included."""
        day = first
        while day <= last:
            if self.is_working_day(day):
                yield day
            day += timedelta(days=1)
