"""The worker's sweep: every scheduled post gets a ledger row, sent, missed or failed."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import select

from bot.local.fake_slack import FakeSlack
from models import ledger
from models.db import session_scope
from models.roster import get_team
from models.tables import PostLedger, Team
from tests.lead_helpers import MARC, acme, hand, rows
from tests.worker.test_posting import composer
from tests.worker.test_worker_processes import zone_at_noon
from worker.main import Worker, schedule_jobs


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake_slack.url)


def team_since(engine: Engine, created: datetime, **settings: object) -> None:
    with session_scope(engine) as session:
        team = get_team(session, slug="fr")
        team.created_at = created
        for name, value in settings.items():
            setattr(team, name, value)
        session.add(team)
        session.commit()


def statuses(engine: Engine) -> dict[str, str]:
    with session_scope(engine) as session:
        entries = session.exec(select(PostLedger).order_by(PostLedger.due_at)).all()
    return {e.period: e.status for e in entries}


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_posts_due_while_no_worker_ran_for_a_week_are_recorded_as_missed(
    roster: Engine, client: WebClient
) -> None:
    team_since(roster, datetime(2026, 11, 1, tzinfo=UTC))
    clock = Clock(datetime(2026, 11, 20, 12, tzinfo=UTC))  # Friday noon, before the digest
    worker = Worker(roster, client, name="w", clock=clock, composer=composer)
    worker.sweep()
    assert statuses(roster)["2026-11-19"] == "missed"
    # No worker runs for a week: Friday's digest, then the next week's, pass unsent.
    clock.now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    outcome = worker.sweep()
    found = statuses(roster)
    week = ["2026-11-20", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"]
    assert [found.get(day) for day in week] == ["missed"] * 5
    assert outcome == {"missed": 5}
    with session_scope(roster) as session:
        entry = ledger.find_entry(
            session,
            kind="daily-digest",
            team_id=get_team(session, slug="fr").id or 0,
            period="2026-11-20",
        )
    assert entry is not None
    assert (entry.late, entry.attempts, entry.last_error) == (True, 0, ledger.GRACE_PASSED)


def test_a_post_run_on_demand_for_a_later_day_does_not_hide_the_days_before(
    roster: Engine, client: WebClient
) -> None:
    team_since(roster, datetime(2026, 11, 1, tzinfo=UTC))
    clock = Clock(datetime(2026, 11, 16, 12, tzinfo=UTC))
    worker = Worker(roster, client, name="w", clock=clock, composer=composer)
    worker.sweep()
    with session_scope(roster) as session:
        team = get_team(session, slug="fr")
        ledger.ensure_entry(  # `leadcell jobs run daily-digest --date 2026-11-27`, on the 17th
            session,
            kind="daily-digest",
            team_id=team.id or 0,
            period="2026-11-27",
            due_at=datetime(2026, 11, 17, 9, tzinfo=UTC),
            grace_until=datetime(2026, 11, 28, tzinfo=UTC),
            now=datetime(2026, 11, 17, 9, tzinfo=UTC),
            on_demand=True,
        )
    clock.now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    worker.sweep()
    found = statuses(roster)
    for day in ("2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"):
        assert found[day] == "missed"


def test_a_new_team_is_looked_back_at_for_a_few_days_only(
    roster: Engine, client: WebClient
) -> None:
    team_since(roster, datetime(2026, 1, 1, tzinfo=UTC))
    clock = Clock(datetime(2026, 11, 27, 12, tzinfo=UTC))
    Worker(roster, client, name="w", clock=clock, composer=composer).sweep()
    assert min(statuses(roster)) == "2026-11-23"


def test_a_sweep_wakes_up_again_when_a_retry_or_a_lease_ends(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    zone = zone_at_noon()
    local = datetime.now(ZoneInfo(zone))
    team_since(
        roster,
        datetime.now(UTC) - timedelta(hours=1),
        timezone=zone,
        digest_time=(local - timedelta(minutes=2)).strftime("%H:%M"),
        digest_days="mon,tue,wed,thu,fri,sat,sun",
    )
    fake_slack.add_fault("chat.postMessage", "server_error", count=1, status=500)
    scheduler = BackgroundScheduler(timezone="UTC")
    worker = Worker(roster, client, name="w", composer=composer, scheduler=scheduler)
    assert worker.sweep() == {"pending": 1}
    with session_scope(roster) as session:
        (entry,) = session.exec(select(PostLedger)).all()
    wake = scheduler.get_job("wake")
    assert wake is not None
    run_at = wake.trigger.run_date
    assert entry.next_attempt_at <= run_at < entry.next_attempt_at + timedelta(seconds=2)


def test_teams_without_a_digest_channel_are_named_in_the_log_once(
    roster: Engine, client: WebClient, caplog: pytest.LogCaptureFixture
) -> None:
    with session_scope(roster) as session:
        session.add(Team(slug="uk", name="UK", timezone="Europe/London", currency="GBP"))
        session.commit()
    scheduler = BackgroundScheduler(timezone="UTC")
    worker = Worker(roster, client, name="w", composer=composer, scheduler=scheduler)
    with caplog.at_level(logging.WARNING, logger="worker.main"):
        schedule_jobs(scheduler, worker)
        schedule_jobs(scheduler, worker)
    warnings = [r.getMessage() for r in caplog.records if "digest channel" in r.getMessage()]
    assert warnings == [
        "team uk has no digest channel, so its digest and monthly report are not posted; "
        "set one with: leadcell team set uk digest=C0123ABCD"
    ]
    assert {job.id for job in scheduler.get_jobs()} == {
        "daily-digest:fr",
        "monthly-report:fr",
        "sweep",
        "retention",
    }


def test_the_sweep_catches_up_lead_cards_and_direct_messages(
    roster: Engine, client: WebClient, fake_slack: FakeSlack
) -> None:
    """A hand-off whose request could not deliver its card and DM: the next sweep does."""
    hand(roster, acme(engineer=MARC))  # now: outbox leases are held in real time
    assert {row.status for row in rows(roster)} == {"pending"}
    worker = Worker(roster, client, name="w", composer=composer)
    worker.sweep()
    assert {(row.kind, row.status) for row in rows(roster)} == {("card", "sent"), ("dm", "sent")}
    [card] = fake_slack.messages("C0LEADSFR")
    assert "Acme Corp" in card["text"]
    worker.sweep()  # nothing is sent twice
    assert len(fake_slack.calls("chat.postMessage")) == 2
