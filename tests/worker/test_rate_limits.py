"""Rate limits longer than a lease: retries renew the lease or hand the post back."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy import Engine

from bot.local.fake_slack import FakeSlack
from models import ledger
from models.db import session_scope, utcnow
from models.roster import get_team
from models.tables import PostLedger
from tests.worker.test_posting import composer, load, texts
from worker.posting import deliver


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:
    """A client with the retry handlers of the app's own (bot.runtime.slack_client)."""
    return WebClient(
        token="xoxb-test",
        base_url=fake_slack.url,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=3),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=3),
        ],
    )


def due_now(engine: Engine) -> int:
    now = utcnow()
    with session_scope(engine) as session:
        team = get_team(session, slug="fr")
        return (
            ledger.ensure_entry(
                session,
                kind="daily-digest",
                team_id=team.id or 0,
                period="2026-11-27",
                due_at=now - timedelta(minutes=1),
                grace_until=now + timedelta(hours=1),
                now=now,
            ).id
            or 0
        )


def run_two_workers(
    engine: Engine, client: WebClient, entry_id: int, lease: timedelta, seconds: float
) -> list[str]:
    """Worker w1 takes the post; w2 tries it every 0.1 s, as a second process would."""
    results: list[str] = []

    def first() -> None:
        results.append(
            deliver(
                engine,
                client,
                entry_id=entry_id,
                worker="w1",
                compose=composer,
                now=utcnow(),
                lease=lease,
            )
        )

    thread = threading.Thread(target=first)
    thread.start()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if load(engine, entry_id).status != "pending":
            break
        results.append(
            deliver(
                engine,
                client,
                entry_id=entry_id,
                worker="w2",
                compose=composer,
                now=utcnow(),
                lease=lease,
            )
        )
    thread.join()
    return results


def test_a_rate_limit_retried_within_the_lease_renews_it_so_no_one_else_posts(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    # Three 429s of 1 s each: 3 s of retries, with a lease of 2 s.
    entry_id = due_now(roster)
    fake_slack.add_fault("chat.postMessage", "ratelimit", retry_after=1, count=3)
    results = run_two_workers(roster, client, entry_id, timedelta(seconds=2), seconds=15)
    assert results.count("sent") == 1
    assert sorted(texts(fake_slack)) == [
        "daily-digest 2026-11-27 part 0",
        "daily-digest 2026-11-27 part 1",
    ]
    assert len(fake_slack.calls("files.completeUploadExternal")) == 1
    entry = load(roster, entry_id)
    assert (entry.status, entry.attempts) == ("sent", 1)


def test_a_rate_limit_longer_than_the_lease_gives_the_post_back_until_then(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    # Slack asks for 3 s; the lease is 1 s: the post goes back to the ledger for 3 s.
    entry_id = due_now(roster)
    fake_slack.add_fault("chat.postMessage", "ratelimit", retry_after=3, count=1)
    results = run_two_workers(roster, client, entry_id, timedelta(seconds=1), seconds=15)
    assert results[0] == "pending"  # w1 did not sleep: it gave the post back at once
    assert results.count("sent") == 1
    assert sorted(texts(fake_slack)) == [
        "daily-digest 2026-11-27 part 0",
        "daily-digest 2026-11-27 part 1",
    ]
    entry = load(roster, entry_id)
    assert (entry.status, entry.attempts) == ("sent", 2)
    limited = fake_slack.calls("chat.postMessage")[0]
    retried = fake_slack.calls("chat.postMessage")[1]
    assert retried["at"] - limited["at"] > 2.9  # not before Slack said


def test_retry_after_sets_the_next_try_and_the_post_stays_pending(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    entry_id = due_now(roster)
    fake_slack.add_fault("chat.postMessage", "ratelimit", retry_after=600, count=1)
    now = utcnow()
    status = deliver(
        roster, client, entry_id=entry_id, worker="w", compose=composer, now=now, lease=ledger.LEASE
    )
    assert status == "pending"
    entry = load(roster, entry_id)
    assert entry.last_error == "post:ratelimited"
    assert now + timedelta(seconds=600) <= entry.next_attempt_at < now + timedelta(seconds=610)
    assert (entry.claimed_by, entry.claimed_until) == (None, None)
    assert texts(fake_slack) == []


def test_a_worker_that_lost_its_lease_stops_before_posting(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    entry_id = due_now(roster)
    taken = threading.Event()

    def slow_composer(session, team, entry, now):  # type: ignore[no-untyped-def]
        # While this worker composes, its lease runs out and another worker takes the post.
        with session_scope(roster) as other:
            later = utcnow() + timedelta(seconds=5)
            assert ledger.claim(other, entry_id=entry_id, worker="other", now=later)
        taken.set()
        return composer(session, team, entry, now)

    status = deliver(
        roster,
        client,
        entry_id=entry_id,
        worker="w",
        compose=slow_composer,
        now=utcnow(),
        lease=timedelta(seconds=1),
    )
    assert taken.is_set()
    assert status == "busy"
    assert fake_slack.calls("chat.postMessage") == []
    with session_scope(roster) as session:
        entry = session.get_one(PostLedger, entry_id)
    assert entry.claimed_by == "other" and entry.status == "pending"
