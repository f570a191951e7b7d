"""The ledger and delivery: each scheduled post once, retried on failure, never duplicated."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import Engine
from sqlmodel import select

from bot.local.fake_slack import FakeSlack
from models import ledger
from models.db import session_scope
from models.roster import get_team
from models.tables import PostLedger, Team
from worker.main import Worker
from worker.posting import POST_EVENT_TYPE, Post, PostFile, deliver

#: Real time: Slack's message timestamps (the fake's too) are the wall clock, and the
#: history check reads messages posted since the post was due.
DUE = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
CHANNEL = "C0DIGESTFR"


def composer(session, team: Team, entry: PostLedger, now: datetime) -> Post:
    return Post(
        channel=CHANNEL,
        messages=[{"text": f"{entry.kind} {entry.period} part {i}"} for i in range(2)],
        files=[PostFile("figures.csv", b"a,b\n1,2\n", "Figures")],
    )


def entry_for(engine: Engine, *, now: datetime = DUE, period: str = "2026-11-27") -> int:
    with session_scope(engine) as session:
        team = get_team(session, slug="fr")
        entry = ledger.ensure_entry(
            session,
            kind="daily-digest",
            team_id=team.id or 0,
            period=period,
            due_at=DUE,
            grace_until=DUE + timedelta(hours=6),
            now=now,
        )
        return entry.id or 0


def load(engine: Engine, entry_id: int) -> PostLedger:
    with session_scope(engine) as session:
        return session.get_one(PostLedger, entry_id)


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:
    return WebClient(
        token="xoxb-test",
        base_url=fake_slack.url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )


def test_an_entry_is_created_once_and_posted_once(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    first, second = entry_for(roster), entry_for(roster)
    assert first == second
    assert deliver(roster, client, entry_id=first, worker="w1", compose=composer, now=DUE) == "sent"
    assert deliver(roster, client, entry_id=first, worker="w2", compose=composer, now=DUE) == "busy"
    posts = fake_slack.calls("chat.postMessage")
    assert [p["args"]["text"] for p in posts] == [
        "daily-digest 2026-11-27 part 0",
        "daily-digest 2026-11-27 part 1",
    ]
    assert posts[0]["args"]["metadata"]["event_type"] == POST_EVENT_TYPE
    assert fake_slack.calls("files.completeUploadExternal")
    entry = load(roster, first)
    assert (entry.status, entry.attempts, entry.channel) == ("sent", 1, CHANNEL)
    assert entry.message_ts == posts[0]["response"]["ts"]
    assert entry.late is False


def test_an_entry_recorded_after_its_due_time_is_late(roster: Engine) -> None:
    entry_id = entry_for(roster, now=DUE + timedelta(minutes=30))
    assert load(roster, entry_id).late is True


def test_a_failed_post_stays_pending_then_succeeds_without_duplicates(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    entry_id = entry_for(roster)
    fake_slack.add_fault("chat.postMessage", "server_error", count=1, status=500)
    # The client here has no server-error retry handler, so the first try fails.
    assert (
        deliver(roster, client, entry_id=entry_id, worker="w", compose=composer, now=DUE)
        == "pending"
    )
    failed = load(roster, entry_id)
    assert failed.attempts == 1
    assert failed.next_attempt_at == DUE + ledger.retry_delay(1)
    assert "internal_error" in (failed.last_error or "")
    # Not due again before its backoff has passed.
    assert (
        deliver(
            roster,
            client,
            entry_id=entry_id,
            worker="w",
            compose=composer,
            now=DUE + timedelta(seconds=5),
        )
        == "busy"
    )
    assert (
        deliver(
            roster,
            client,
            entry_id=entry_id,
            worker="w",
            compose=composer,
            now=DUE + timedelta(minutes=1),
        )
        == "sent"
    )
    assert load(roster, entry_id).attempts == 2
    texts = [m["text"] for m in fake_slack.messages(CHANNEL)]
    assert sorted(texts) == ["daily-digest 2026-11-27 part 0", "daily-digest 2026-11-27 part 1"]


def test_a_crash_after_slack_accepted_does_not_post_twice(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    entry_id = entry_for(roster)
    with session_scope(roster) as session:
        assert ledger.claim(session, entry_id=entry_id, worker="dead", now=DUE)
        entry = session.get_one(PostLedger, entry_id)
    # The dead worker's first message reached Slack; then it died before the ledger commit.
    client.chat_postMessage(
        channel=CHANNEL,
        text="daily-digest 2026-11-27 part 0",
        metadata={
            "event_type": POST_EVENT_TYPE,
            "event_payload": {"kind": entry.kind, "team": "fr", "period": entry.period, "part": 0},
        },
    )
    fake_slack.clear_calls()
    assert (
        deliver(
            roster,
            client,
            entry_id=entry_id,
            worker="w",
            compose=composer,
            now=DUE + timedelta(seconds=30),
        )
        == "busy"
    )  # its lease still runs
    status = deliver(
        roster,
        client,
        entry_id=entry_id,
        worker="w",
        compose=composer,
        now=DUE + ledger.LEASE + timedelta(seconds=1),
    )
    assert status == "sent"
    assert [c["args"]["text"] for c in fake_slack.calls("chat.postMessage")] == [
        "daily-digest 2026-11-27 part 1"
    ]
    assert len(fake_slack.messages(CHANNEL)) == 2


def test_retries_give_up_visibly(roster: Engine, fake_slack: FakeSlack, client: WebClient) -> None:
    entry_id = entry_for(roster)
    fake_slack.add_fault("chat.postMessage", "server_error", count=None, status=500)
    now = DUE
    for _ in range(ledger.MAX_ATTEMPTS + 2):
        if load(roster, entry_id).status != "pending":
            break
        deliver(roster, client, entry_id=entry_id, worker="w", compose=composer, now=now)
        now += ledger.LONGEST_RETRY
    entry = load(roster, entry_id)
    assert entry.status == "failed"
    assert "internal_error" in (entry.last_error or "")
    assert fake_slack.messages(CHANNEL) == []


def test_a_post_never_sent_within_its_grace_is_missed(roster: Engine) -> None:
    entry_id = entry_for(roster)
    with session_scope(roster) as session:
        assert ledger.mark_missed(session, now=DUE + timedelta(hours=5)) == 0
        assert ledger.mark_missed(session, now=DUE + timedelta(hours=7)) == 1
    assert load(roster, entry_id).status == "missed"


def test_concurrent_workers_post_each_entry_once(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    if roster.dialect.name != "postgresql":
        pytest.skip("races between processes are checked on PostgreSQL")
    entry_ids = [entry_for(roster, period=f"2026-11-{day:02d}") for day in range(20, 27)]
    results: list[str] = []

    def work(name: str) -> None:
        for entry_id in entry_ids:
            results.append(
                deliver(roster, client, entry_id=entry_id, worker=name, compose=composer, now=DUE)
            )

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("sent") == len(entry_ids)
    assert len(fake_slack.messages(CHANNEL)) == 2 * len(entry_ids)


def test_a_worker_sweep_records_due_posts_and_delivers_them(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    with session_scope(roster) as session:
        team = get_team(session, slug="fr")
        team.created_at = datetime(2026, 11, 1, tzinfo=UTC)
        session.add(team)
        session.commit()
    clock = [datetime(2026, 11, 27, 17, 30, tzinfo=UTC)]  # Friday 18:30 in Paris
    worker = Worker(roster, client, name="w", clock=lambda: clock[0], composer=composer)
    outcome = worker.sweep()
    with session_scope(roster) as session:
        entries = session.exec(select(PostLedger).order_by(PostLedger.due_at)).all()
    # Monday to Friday digests of the look-back window; older ones are past their grace.
    by_period = {e.period: e.status for e in entries}
    assert by_period["2026-11-27"] == "sent"
    assert by_period["2026-11-26"] == "missed"
    assert outcome == {"missed": sum(1 for s in by_period.values() if s == "missed"), "sent": 1}
    assert worker.sweep() == {}
    assert len(fake_slack.messages(CHANNEL)) == 2
