"""Real `leadcell worker` processes against the fake Slack: each digest is posted once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.local.fake_slack import FakeSlack
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


def test_a_worker_killed_while_posting_is_replaced_without_a_duplicate(
    database_url: str, due_team: Engine, fake_slack: FakeSlack, workers: list
) -> None:
    # Slack takes 4 s to accept the first message; the worker is killed meanwhile.
    fake_slack.add_fault("chat.postMessage", "delay", seconds=4, count=1)
    first = start_worker(database_url, fake_slack)
    workers.append(first)
    fake_slack.wait_for("chat.postMessage", timeout=30)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    time.sleep(4)  # Slack has now stored the message the dead worker sent
    assert len(digest_posts(fake_slack)) == 1
    workers.append(start_worker(database_url, fake_slack))
    entry = wait_for_status(due_team, "sent", timeout=40)
    parts = [m["metadata"]["event_payload"]["part"] for m in digest_posts(fake_slack)]
    assert sorted(parts) == list(range(len(parts)))  # every part once, part 0 not again
    assert entry.attempts == 2
    restarted = start_worker(database_url, fake_slack)
    workers.append(restarted)
    time.sleep(4)
    assert len(digest_posts(fake_slack)) == len(parts)
