"""An outsourced team's monthly statement in the worker's schedule: due on its contract's
statement day at the team's report time, posted once to its channel and the provider's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import Engine, update
from sqlmodel import col, select

from bot.local.fake_slack import FakeSlack
from models.db import session_scope
from models.ledger import PostKind
from models.tables import PostLedger, Team
from tests.sla_world import london, october, seed_uk, team
from worker.main import Worker
from worker.schedule import occurrences
from worker.statements import statement_days

STATEMENTS = {PostKind.TEAM_STATEMENT, PostKind.PROVIDER_STATEMENT}


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def outsourced(engine: Engine) -> None:
    """Team uk, run by Northline Contact since October 2026, its October on record."""
    seed_uk(engine)
    october(engine)
    with session_scope(engine) as session:
        session.execute(
            update(Team)
            .where(Team.slug == "uk")
            .values(created_at=datetime(2026, 10, 1, tzinfo=UTC))
        )
        session.commit()


def test_the_statement_is_due_on_the_contract_s_day_for_both_channels(engine: Engine) -> None:
    outsourced(engine)
    with session_scope(engine) as session:
        uk = team(session)
        november = (london(2026, 11, 1), london(2026, 12, 1))
        due = [
            o
            for o in occurrences(uk, *november, statements=statement_days(session, uk))
            if o.kind in STATEMENTS
        ]
        # Tuesday 3 November is the 2nd working day of November; reports go out at 09:00.
        assert [(o.kind, o.period, o.due_at) for o in due] == [
            (PostKind.TEAM_STATEMENT, "2026-10", london(2026, 11, 3, 9, 0)),
            (PostKind.PROVIDER_STATEMENT, "2026-10", london(2026, 11, 3, 9, 0)),
        ]
        assert due[0].grace_until == london(2026, 11, 6, 9, 0)
        # No statement without the contract's days, nor for a month no version judges.
        assert not [o for o in occurrences(uk, *november) if o.kind in STATEMENTS]
        october_window = (london(2026, 10, 1), london(2026, 11, 1))
        assert not [
            o
            for o in occurrences(uk, *october_window, statements=statement_days(session, uk))
            if o.kind in STATEMENTS
        ]
        uk.provider_channel = None
        kinds = [
            o.kind
            for o in occurrences(uk, *november, statements=statement_days(session, uk))
            if o.kind in STATEMENTS
        ]
        assert kinds == [PostKind.TEAM_STATEMENT]


def test_the_worker_posts_the_statement_once_to_each_channel(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    outsourced(engine)
    client = WebClient(token="xoxb-test", base_url=fake_slack.url)
    clock = Clock(london(2026, 11, 3, 9, 0) + timedelta(seconds=30))
    worker = Worker(engine, client, name="w", clock=clock)
    worker.sweep()
    with session_scope(engine) as session:
        posted = {
            e.kind: (e.period, e.status, e.channel)
            for e in session.exec(select(PostLedger).where(col(PostLedger.kind).in_(STATEMENTS)))
        }
    assert posted == {
        PostKind.TEAM_STATEMENT: ("2026-10", "sent", "C0DIGESTUK"),
        PostKind.PROVIDER_STATEMENT: ("2026-10", "sent", "C0NORTHLINE"),
    }
    for channel in ("C0DIGESTUK", "C0NORTHLINE"):
        shared = [f["name"] for f in fake_slack.files() if f.get("channel_id") == channel]
        assert "statement-uk-2026-10.pdf" in shared and "statement-uk-2026-10.csv" in shared
    clock.now += timedelta(minutes=1)
    before = len(fake_slack.calls("chat.postMessage"))
    worker.sweep()  # a statement goes out once
    assert len(fake_slack.calls("chat.postMessage")) == before
