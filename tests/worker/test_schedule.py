"""Due times in each team's zone, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from models.ledger import PostKind
from models.tables import Team
from worker.main import team_triggers
from worker.schedule import daily_occurrence, monthly_occurrence, next_occurrence, occurrences


def team(zone: str, **settings: object) -> Team:
    return Team(id=1, slug="t", name="T", timezone=zone, currency="EUR", **settings)


def test_digest_stays_at_18_local_across_the_october_change() -> None:
    london, berlin = team("Europe/London"), team("Europe/Berlin")
    # Summer time ends on Sunday 2026-10-25 in both zones.
    assert daily_occurrence(london, date(2026, 10, 23)).due_at == datetime(
        2026, 10, 23, 17, tzinfo=UTC
    )
    assert daily_occurrence(london, date(2026, 10, 26)).due_at == datetime(
        2026, 10, 26, 18, tzinfo=UTC
    )
    assert daily_occurrence(berlin, date(2026, 10, 23)).due_at == datetime(
        2026, 10, 23, 16, tzinfo=UTC
    )
    assert daily_occurrence(berlin, date(2026, 10, 26)).due_at == datetime(
        2026, 10, 26, 17, tzinfo=UTC
    )


def test_digest_across_the_march_change_and_grace_until_local_midnight() -> None:
    berlin = team("Europe/Berlin")
    before = daily_occurrence(berlin, date(2026, 3, 27))
    after = daily_occurrence(berlin, date(2026, 3, 30))
    assert before.due_at == datetime(2026, 3, 27, 17, tzinfo=UTC)
    assert after.due_at == datetime(2026, 3, 30, 16, tzinfo=UTC)
    assert after.grace_until == datetime(2026, 3, 30, 22, tzinfo=UTC)
    assert after.period == "2026-03-30"


def test_monthly_report_reports_the_previous_month_with_three_days_grace() -> None:
    paris = team("Europe/Paris")
    due = monthly_occurrence(paris, date(2026, 11, 1))
    assert due.kind == PostKind.MONTHLY_REPORT
    assert due.period == "2026-10"
    assert due.due_at == datetime(2026, 11, 1, 8, tzinfo=UTC)  # 09:00 CET
    assert due.grace_until == datetime(2026, 11, 4, 8, tzinfo=UTC)
    assert monthly_occurrence(paris, date(2027, 1, 1)).period == "2026-12"


def test_occurrences_follow_the_team_days_and_times() -> None:
    weekends = team("Europe/Paris", digest_days="sat,sun", digest_time="10:30")
    found = list(
        occurrences(weekends, datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 12, 2, tzinfo=UTC))
    )
    assert [(o.kind.value, o.period) for o in found] == [
        ("daily-digest", "2026-11-28"),
        ("daily-digest", "2026-11-29"),
        ("monthly-report", "2026-11"),
    ]
    assert found[0].due_at == datetime(2026, 11, 28, 9, 30, tzinfo=UTC)


def test_next_occurrence_and_cron_triggers_agree() -> None:
    london = team("Europe/London")
    after = datetime(2026, 10, 24, 12, tzinfo=UTC)  # a Saturday, before the change
    due = next_occurrence(london, PostKind.DAILY_DIGEST, after)
    assert due is not None and due.period == "2026-10-26"
    trigger = team_triggers(london)["daily-digest:t"]
    assert trigger.get_next_fire_time(None, after) == due.due_at
    monthly = team_triggers(london)["monthly-report:t"]
    assert (
        monthly.get_next_fire_time(None, after)
        == monthly_occurrence(london, date(2026, 11, 1)).due_at
    )
