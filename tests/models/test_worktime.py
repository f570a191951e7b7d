"""Working time across nights, weekends, public holidays, closed days and DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.worktime import WorkingCalendar, public_holidays

PARIS, LONDON, BERLIN = (
    ZoneInfo("Europe/Paris"),
    ZoneInfo("Europe/London"),
    ZoneInfo("Europe/Berlin"),
)
FRANCE = WorkingCalendar(PARIS, country="FR")


def local(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone)


def test_within_a_working_day() -> None:
    start = local(PARIS, 2026, 12, 1, 14, 2)  # a Tuesday
    assert FRANCE.add(start, timedelta(minutes=30)) == local(PARIS, 2026, 12, 1, 14, 32)


def test_a_friday_evening_hand_off_is_due_on_monday_morning() -> None:
    friday = local(PARIS, 2026, 12, 4, 17, 50)
    due = FRANCE.add(friday, timedelta(minutes=30))
    assert due == local(PARIS, 2026, 12, 7, 9, 20)
    assert FRANCE.between(friday, due) == timedelta(minutes=30)


def test_outside_hours_the_clock_starts_at_the_next_opening() -> None:
    night = local(PARIS, 2026, 12, 1, 22, 0)
    assert FRANCE.add(night, timedelta(0)) == local(PARIS, 2026, 12, 2, 9, 0)
    assert FRANCE.add(night, timedelta(minutes=30)) == local(PARIS, 2026, 12, 2, 9, 30)


def test_two_working_days() -> None:
    thursday = local(PARIS, 2026, 12, 3, 11, 0)
    assert FRANCE.add(thursday, timedelta(hours=18)) == local(PARIS, 2026, 12, 7, 11, 0)


def test_public_holidays_do_not_count() -> None:
    assert date(2026, 12, 25) in public_holidays("FR", 2026)
    eve = local(PARIS, 2026, 12, 24, 17, 45)  # Thursday; Christmas is a Friday
    assert FRANCE.add(eve, timedelta(minutes=30)) == local(PARIS, 2026, 12, 28, 9, 15)
    uk = WorkingCalendar(LONDON, country="GB")
    assert not uk.is_working_day(date(2026, 12, 28))  # Boxing Day, substitute day
    germany = WorkingCalendar(BERLIN, country="DE")
    assert not germany.is_working_day(date(2026, 5, 1))  # Labour Day, a Friday
    assert germany.is_working_day(date(2026, 5, 8))  # Victory Day is French, not German


def test_closed_days_do_not_count() -> None:
    closed = WorkingCalendar(PARIS, country="FR", closed=frozenset({date(2026, 12, 2)}))
    start = local(PARIS, 2026, 12, 1, 17, 30)
    assert closed.add(start, timedelta(hours=1)) == local(PARIS, 2026, 12, 3, 9, 30)


@pytest.mark.parametrize(
    ("zone", "friday", "monday"),
    [
        (LONDON, date(2026, 3, 27), date(2026, 3, 30)),  # clocks go forward on Sunday 29 March
        (LONDON, date(2026, 10, 23), date(2026, 10, 26)),  # and back on Sunday 25 October
        (BERLIN, date(2026, 3, 27), date(2026, 3, 30)),
        (BERLIN, date(2026, 10, 23), date(2026, 10, 26)),
    ],
)
def test_working_hours_stay_wall_clock_hours_across_dst(zone, friday, monday) -> None:
    calendar = WorkingCalendar(zone)
    start = datetime.combine(friday, time(17, 0), zone)
    due = calendar.add(start, timedelta(hours=2))
    assert due.astimezone(zone).replace(tzinfo=None) == datetime.combine(monday, time(10, 0))
    assert calendar.between(start, due) == timedelta(hours=2)


def test_between_counts_only_working_time() -> None:
    start = local(PARIS, 2026, 12, 4, 17, 0)  # Friday
    end = local(PARIS, 2026, 12, 7, 10, 0)  # Monday
    assert FRANCE.between(start, end) == timedelta(hours=2)
    assert FRANCE.between(end, start) == timedelta(0)


def test_a_calendar_that_makes_no_sense_is_refused() -> None:
    with pytest.raises(ValueError):
        WorkingCalendar(PARIS, opens=time(18, 0), closes=time(9, 0))
    with pytest.raises(ValueError):
        WorkingCalendar(PARIS, days=frozenset())


_moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=200, deadline=None)
@given(start=_moments, minutes=st.integers(min_value=0, max_value=5 * 9 * 60 * 3))
def test_add_and_between_agree(start, minutes) -> None:
    duration = timedelta(minutes=minutes)
    due = FRANCE.add(start, duration)
    assert due >= start
    assert FRANCE.between(start, due) == duration
    assert FRANCE.is_working_day(due.astimezone(PARIS).date())
