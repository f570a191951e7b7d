"""Time for demo activity: months, working days and office hours in a team's time zone.

Office hours are 09:00-12:30 and 14:00-18:00 local, Monday to Friday. An "office
position" counts seconds of office time within a working day (0 to 7.5 hours),
which makes "claimed 40 office minutes later" easy and keeps every generated
moment inside office hours. Local times are converted to aware UTC datetimes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.periods import add_months, month_of

MORNING = (9 * 3600, 12 * 3600 + 1800)
AFTERNOON = (14 * 3600, 18 * 3600)
MORNING_SECONDS = MORNING[1] - MORNING[0]
OFFICE_SECONDS = MORNING_SECONDS + AFTERNOON[1] - AFTERNOON[0]


def demo_months(today: date, months: int) -> list[date]:
    """The first days of the `months` whole months before today's month, then of today's month.

    Demo data fills whole months, so the monthly report of last month and its
    trailing 12 months show real figures, and today's month runs up to today.
    """
    current = month_of(today)
    return [add_months(current, offset) for offset in range(-months, 1)]


#: Days off everywhere the customer works (France, the UK, Germany), whatever the weekday.
HOLIDAYS = frozenset({(1, 1), (12, 25)})


def is_working_day(day: date) -> bool:
    """Monday to Friday, except New Year's Day and Christmas."""
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


def is_festive(day: date) -> bool:
    """The end-of-year weeks, when nobody runs a seminar or a trade show."""
    return (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 6)


def working_days(first: date, last: date) -> list[date]:
    """Every working day from `first` to `last`, both included."""
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if is_working_day(day)]


def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day` (`day` itself first moved to one)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    for _ in range(count):
        day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
    return day


class Clock:
    """Local office time of one team, as aware UTC datetimes."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._offsets: dict[date, timedelta] = {}

    def offset(self, day: date) -> timedelta:
        """The zone's UTC offset during office hours of `day` (DST changes happen at night)."""
        found = self._offsets.get(day)
        if found is None:
            found = datetime.combine(day, time(12), self.zone).utcoffset() or timedelta(0)
            self._offsets[day] = found
        return found

    def at(self, day: date, seconds: float) -> datetime:
        """The UTC moment `seconds` after local midnight of `day` (within office hours)."""
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return midnight + timedelta(seconds=seconds) - self.offset(day)

    def midnight(self, day: date) -> datetime:
        """Local midnight starting `day`, in UTC (exact across DST changes)."""
        return datetime.combine(day, time.min, self.zone).astimezone(UTC)

    @staticmethod
    def local_seconds(position: float) -> float:
        """Seconds after local midnight of an office position."""
        if position < MORNING_SECONDS:
            return MORNING[0] + position
        return AFTERNOON[0] + position - MORNING_SECONDS

    def office_at(self, day: date, position: float) -> datetime:
        """The UTC moment of an office position on a working day."""
        return self.at(day, self.local_seconds(position))

    def to_office(self, moment: datetime) -> tuple[date, float]:
        """The working day and office position of a moment, moved forward into office hours."""
        local = moment.astimezone(self.zone)
        day = local.date()
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        if not is_working_day(day) or seconds >= AFTERNOON[1]:
            return add_working_days(day + timedelta(days=1), 0), 0.0
        if seconds < MORNING[0]:
            return day, 0.0
        if seconds < MORNING[1]:
            return day, float(seconds - MORNING[0])
        if seconds < AFTERNOON[0]:
            return day, float(MORNING_SECONDS)
        return day, float(MORNING_SECONDS + seconds - AFTERNOON[0])

    def add_office_time(self, moment: datetime, seconds: float) -> datetime:
        """The moment `seconds` of office time after `moment` (nights and weekends skipped)."""
        day, position = self.to_office(moment)
        total = position + seconds
        days = int(total // OFFICE_SECONDS)
        return self.office_at(add_working_days(day, days), total - days * OFFICE_SECONDS)

    def in_office(self, day: date, fraction: float) -> datetime:
        """A moment of a day's office hours, `fraction` (0 to 1) of the way through."""
        return self.office_at(add_working_days(day, 0), fraction * OFFICE_SECONDS)
