"""Calendar days and months in a time zone, and the UTC instants that bound them.

Months are named by their first day (`date(2026, 10, 1)`). Bounds are computed
with zoneinfo, so a day or a month keeps its local midnight across DST changes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def month_of(day: date) -> date:
    """The month a day is in (its first day)."""
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """The month `count` months after (or before, when negative) `month`."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from `first` to `last`, both included."""
    months, current = [], month_of(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def month_bounds(zone: ZoneInfo, month: date) -> tuple[datetime, datetime]:
    """The start and end (exclusive) of a month in a time zone, DST-safe."""
    start = datetime.combine(month_of(month), time.min, zone)
    end = datetime.combine(add_months(month_of(month), 1), time.min, zone)
    return start, end


def day_bounds(zone: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    """The start and end (exclusive) of a calendar day in a time zone, DST-safe."""
    start = datetime.combine(day, time.min, zone)
    end = datetime.combine(day + timedelta(days=1), time.min, zone)
    return start, end


def local_day(zone: ZoneInfo, moment: datetime) -> date:
    """The calendar day of an aware moment in a time zone."""
    return moment.astimezone(zone).date()
