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
from worker.compose import compose
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


def texts(fake: FakeSlack) -> list[str]:
    """The messages of the digest channel, without the replies that share files."""
    return [m["text"] for m in fake.messages(CHANNEL) if "files" not in m]


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
    assert entry.posted_parts == {"0": posts[0]["response"]["ts"], "1": posts[1]["response"]["ts"]}
    assert list(entry.shared_files or {}) == ["figures.csv"]
    assert (entry.claimed_by, entry.claimed_until, entry.sending) == (None, None, None)
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
    retry_at = DUE + ledger.retry_delay(1)
    assert retry_at <= failed.next_attempt_at < retry_at + timedelta(seconds=5)
    assert failed.last_error == "post:internal_error"
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
    assert sorted(texts(fake_slack)) == [
        "daily-digest 2026-11-27 part 0",
        "daily-digest 2026-11-27 part 1",
    ]


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
    assert len(texts(fake_slack)) == 2


def test_transient_errors_are_retried_until_the_grace_window_ends(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    entry_id = entry_for(roster)  # sendable for 6 hours
    fake_slack.add_fault("chat.postMessage", "server_error", count=None, status=500)
    now = DUE
    seen = []
    while load(roster, entry_id).status == "pending" and len(seen) < 50:
        entry = load(roster, entry_id)
        now = max(now, entry.next_attempt_at)
        deliver(roster, client, entry_id=entry_id, worker="w", compose=composer, now=now)
        seen.append(now)
    entry = load(roster, entry_id)
    assert entry.status == "failed"
    assert entry.last_error == "post:internal_error"
    # Backoff doubles from 30 s to 30 min, and the last try is the last one within grace.
    assert entry.attempts == len(seen) > 8
    assert seen[-1] + ledger.LONGEST_RETRY > entry.grace_until
    assert seen[-1] <= entry.grace_until
    assert fake_slack.messages(CHANNEL) == []


def many_blocks(session, team: Team, entry: PostLedger, now: datetime) -> Post:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * 51
    return Post(channel=CHANNEL, messages=[{"text": "too long", "blocks": blocks}])


def test_an_error_no_retry_can_fix_fails_the_post_at_once(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    entry_id = entry_for(roster)
    status = deliver(roster, client, entry_id=entry_id, worker="w", compose=many_blocks, now=DUE)
    assert status == "failed"
    entry = load(roster, entry_id)
    assert (entry.status, entry.attempts, entry.last_error) == ("failed", 1, "post:invalid_blocks")
    later = DUE + timedelta(hours=1)
    assert deliver(
        roster, client, entry_id=entry_id, worker="w", compose=many_blocks, now=later
    ) == ("busy")
    assert len(fake_slack.calls("chat.postMessage")) == 1


def test_a_team_without_a_digest_channel_fails_with_that_reason_without_calling_slack(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    with session_scope(roster) as session:
        team = get_team(session, slug="fr")
        team.digest_channel = None
        session.add(team)
        session.commit()
    entry_id = entry_for(roster)
    status = deliver(roster, client, entry_id=entry_id, worker="w", compose=compose, now=DUE)
    assert status == "failed"
    entry = load(roster, entry_id)
    assert (entry.status, entry.last_error) == ("failed", "post:no_digest_channel")
    assert fake_slack.calls() == []


def post_as_dead_worker(client: WebClient, entry_id: int, engine: Engine) -> list[str]:
    """A worker claims the entry, posts both messages, then dies before anything else."""
    with session_scope(engine) as session:
        assert ledger.claim(session, entry_id=entry_id, worker="dead", now=DUE)
        entry = session.get_one(PostLedger, entry_id)
    return [
        client.chat_postMessage(
            channel=CHANNEL,
            text=f"daily-digest 2026-11-27 part {part}",
            metadata={
                "event_type": POST_EVENT_TYPE,
                "event_payload": {
                    "kind": entry.kind,
                    "team": "fr",
                    "period": "2026-11-27",
                    "part": part,
                },
            },
        )["ts"]
        for part in range(2)
    ]


def test_the_files_of_a_post_whose_worker_died_after_the_messages_are_uploaded_once(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    entry_id = entry_for(roster)
    first_ts, _ = post_as_dead_worker(client, entry_id, roster)
    fake_slack.clear_calls()
    later = DUE + ledger.LEASE + timedelta(seconds=1)
    assert deliver(roster, client, entry_id=entry_id, worker="w", compose=composer, now=later) == (
        "sent"
    )
    assert fake_slack.calls("chat.postMessage") == []
    shares = fake_slack.calls("files.completeUploadExternal")
    assert len(shares) == 1
    assert shares[0]["args"]["thread_ts"] == first_ts
    assert [f["name"] for f in fake_slack.files() if f["completed"]] == ["figures.csv"]
    entry = load(roster, entry_id)
    assert entry.message_ts == first_ts
    assert set(entry.shared_files or {}) == {"figures.csv"}


def test_files_already_shared_in_the_thread_are_not_uploaded_again(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    entry_id = entry_for(roster)
    first_ts, _ = post_as_dead_worker(client, entry_id, roster)
    # The dead worker's upload reached Slack too; then it died before the ledger heard of it.
    client.files_upload_v2(
        channel=CHANNEL, thread_ts=first_ts, content=b"a,b\n1,2\n", filename="figures.csv"
    )
    fake_slack.clear_calls()
    later = DUE + ledger.LEASE + timedelta(seconds=1)
    assert deliver(roster, client, entry_id=entry_id, worker="w", compose=composer, now=later) == (
        "sent"
    )
    assert fake_slack.calls("chat.postMessage") == []
    assert fake_slack.calls("files.completeUploadExternal") == []
    assert fake_slack.calls("conversations.replies")  # it looked in the thread first
    assert len([f for f in fake_slack.files() if f["completed"]]) == 1


def test_progress_is_recorded_as_it_happens_and_a_retry_sends_only_what_is_left(
    roster: Engine, fake_slack: FakeSlack, client: WebClient
) -> None:
    entry_id = entry_for(roster)
    fake_slack.add_fault("files.getUploadURLExternal", "server_error", count=None, status=503)
    assert deliver(roster, client, entry_id=entry_id, worker="w", compose=composer, now=DUE) == (
        "pending"
    )
    entry = load(roster, entry_id)
    posted = fake_slack.calls("chat.postMessage")
    assert entry.posted_parts == {str(i): c["response"]["ts"] for i, c in enumerate(posted)}
    assert (entry.parts_total, entry.files_total, entry.shared_files) == (2, 1, None)
    assert entry.last_error == "upload:internal_error"
    fake_slack.clear_faults()
    fake_slack.clear_calls()
    later = entry.next_attempt_at
    assert deliver(roster, client, entry_id=entry_id, worker="w", compose=composer, now=later) == (
        "sent"
    )
    assert fake_slack.calls("chat.postMessage") == []
    assert len(fake_slack.calls("files.completeUploadExternal")) == 1
    assert len(fake_slack.messages(CHANNEL)) == 3  # two messages and the file's reply


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
    assert len(texts(fake_slack)) == 2 * len(entry_ids)


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
    assert len(texts(fake_slack)) == 2
