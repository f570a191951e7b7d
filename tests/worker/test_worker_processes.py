"""Real `leadcell worker` processes against the fake Slack: each digest is posted once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.local.fake_slack import FakeSlack
from models import ledger
from models.db import session_scope
from models.demo.roster import DEMO_DIGEST_CHANNEL
from models.roster import get_team
from models.tables import PostLedger
from tests.conftest import BOT_TOKEN
from worker.posting import POST_EVENT_TYPE


def zone_at_noon() -> str:
    """An IANA zone where it is about noon now, so a digest due minutes ago is today's."""
    offset = 12 - datetime.now(UTC).hour  # Etc/GMT-N is N hours ahead of UTC
    offset = max(-14, min(12, offset))
    return f"Etc/GMT{'-' if offset >= 0 else '+'}{abs(offset)}"


@pytest.fixture
def due_team(roster: Engine) -> Engine:
    """Team `fr` with a digest due two minutes ago, every day of the week."""
    with session_scope(roster) as session:
        team = get_team(session, slug="fr")
        zone = zone_at_noon()
        from zoneinfo import ZoneInfo

        local = datetime.now(ZoneInfo(zone)) - timedelta(minutes=2)
        team.timezone = zone
        team.digest_time = local.strftime("%H:%M")
        team.digest_days = "mon,tue,wed,thu,fri,sat,sun"
        team.created_at = datetime.now(UTC) - timedelta(minutes=30)
        session.add(team)
        session.commit()
    return roster


def start_worker(database_url: str, fake: FakeSlack, lease: int = 3) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": fake.url,
        "WORKER_LEASE_SECONDS": str(lease),
        "LOG_LEVEL": "INFO",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def digest_posts(fake: FakeSlack) -> list[dict]:
    return [
        m
        for m in fake.messages(DEMO_DIGEST_CHANNEL)
        if (m.get("metadata") or {}).get("event_type") == POST_EVENT_TYPE
    ]


def wait_for_status(engine: Engine, status: str, timeout: float = 30) -> PostLedger:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(engine) as session:
            entry = session.exec(select(PostLedger)).first()
        if entry is not None and entry.status == status:
            return entry
        time.sleep(0.2)
    raise AssertionError(f"no post reached {status!r} in {timeout} s (last: {entry})")


def test_three_workers_started_together_post_once(
    database_url: str, due_team: Engine, fake_slack: FakeSlack, workers: list
) -> None:
    if due_team.dialect.name != "postgresql":
        pytest.skip("several worker processes are run on PostgreSQL")
    workers += [start_worker(database_url, fake_slack) for _ in range(3)]
    entry = wait_for_status(due_team, "sent")
    time.sleep(3)  # let every worker finish its first sweep
    parts = [m["metadata"]["event_payload"]["part"] for m in digest_posts(fake_slack)]
    assert sorted(parts) == list(range(len(parts))) and parts
    assert entry.late is True
    with session_scope(due_team) as session:
        assert len(session.exec(select(PostLedger)).all()) == 1


def holder_pid(engine: Engine, timeout: float = 30) -> int:
    """The process id of the worker holding the post (claimed_by is host:pid#claim)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(engine) as session:
            entry = session.exec(select(PostLedger)).first()
        if entry is not None and entry.claimed_by:
            return int(entry.claimed_by.rsplit("#", 1)[0].rsplit(":", 1)[1])
        time.sleep(0.05)
    raise AssertionError("no worker took the post")


def wait_until_fault_taken(fake: FakeSlack, timeout: float = 30) -> None:
    """Until the queued faults are used: the faulted call has reached the fake Slack."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(fake.base + "_fake/faults", timeout=5) as answer:
            if not json.load(answer)["faults"]:
                return
        time.sleep(0.02)
    raise AssertionError("the fault was never used")


def kill(workers: list[subprocess.Popen[str]], pid: int) -> None:
    (process,) = [w for w in workers if w.pid == pid]
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def parts_posted(fake: FakeSlack) -> list[int]:
    return sorted(m["metadata"]["event_payload"]["part"] for m in digest_posts(fake))


def test_a_worker_killed_while_slack_is_slow_to_accept_a_message_is_relieved_once(
    database_url: str, due_team: Engine, fake_slack: FakeSlack, workers: list
) -> None:
    if due_team.dialect.name != "postgresql":
        pytest.skip("several worker processes are run on PostgreSQL")
    # Slack takes 2.5 s to accept the first message (less than a 6 s lease).
    fake_slack.add_fault("chat.postMessage", "delay", seconds=2.5, count=1)
    workers += [start_worker(database_url, fake_slack, lease=6) for _ in range(2)]
    wait_until_fault_taken(fake_slack)
    kill(workers, holder_pid(due_team))  # while Slack holds its message
    entry = wait_for_status(due_team, "sent", timeout=40)
    parts = parts_posted(fake_slack)
    assert parts == list(range(len(parts))) and parts  # every part once, part 0 not again
    assert entry.attempts == 2
    workers.append(start_worker(database_url, fake_slack, lease=6))  # and a restart
    time.sleep(5)
    assert parts_posted(fake_slack) == parts


@pytest.fixture
def report_due(due_team: Engine) -> Engine:
    """Last month's report for team `fr` due now (as `leadcell jobs run` records it)."""
    now = datetime.now(UTC)
    with session_scope(due_team) as session:
        team = get_team(session, slug="fr")
        team.digest_days = "mon"
        team.created_at = now
        session.add(team)
        session.commit()
        ledger.ensure_entry(
            session,
            kind="monthly-report",
            team_id=team.id or 0,
            period=(now.replace(day=1) - timedelta(days=1)).strftime("%Y-%m"),
            due_at=now - timedelta(minutes=1),
            grace_until=now + timedelta(hours=1),
            now=now,
            on_demand=True,
        )
    return due_team


def test_a_worker_killed_between_the_messages_and_the_files_of_a_report_loses_no_file(
    database_url: str, report_due: Engine, fake_slack: FakeSlack, workers: list
) -> None:
    # Slack is slow to hand out the first upload URL: the messages are out, the files not.
    fake_slack.add_fault("files.getUploadURLExternal", "delay", seconds=8, count=1)
    workers.append(start_worker(database_url, fake_slack, lease=4))
    wait_until_fault_taken(fake_slack)
    assert parts_posted(fake_slack)
    kill(workers, holder_pid(report_due))
    workers.append(start_worker(database_url, fake_slack, lease=4))
    entry = wait_for_status(report_due, "sent", timeout=40)
    parts = parts_posted(fake_slack)
    assert parts == list(range(entry.parts_total or 0)) and parts
    shared = sorted(f["name"] for f in fake_slack.files() if f["completed"])
    assert len(shared) == entry.files_total == 2
    assert len(set(shared)) == 2  # each file once
    assert {f["thread_ts"] for f in fake_slack.files() if f["completed"]} == {entry.message_ts}
    assert entry.attempts == 2


def test_a_worker_killed_while_sleeping_in_a_rate_limit_retry_is_relieved_once(
    database_url: str, due_team: Engine, fake_slack: FakeSlack, workers: list
) -> None:
    if due_team.dialect.name != "postgresql":
        pytest.skip("several worker processes are run on PostgreSQL")
    fake_slack.add_fault("chat.postMessage", "ratelimit", retry_after=3, count=1)
    workers += [start_worker(database_url, fake_slack, lease=6) for _ in range(2)]
    fake_slack.wait_for("chat.postMessage", timeout=30)  # the 429: its worker sleeps 3 s
    kill(workers, holder_pid(due_team))
    entry = wait_for_status(due_team, "sent", timeout=40)
    parts = parts_posted(fake_slack)
    assert parts == list(range(entry.parts_total or 0)) and parts
    assert entry.attempts == 2
