"""`leadcell socket` through Slack's reconnects, late acknowledgements and bad tokens."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from bot.local.fake_slack import FakeSlack, payloads
from models.db import session_scope
from models.tables import Call, Lead
from tests.conftest import AGENT, SALES_ENGINEER
from tests.e2e.conftest import Server, server_env

LEADS = "C0LEADSFR"
WAIT = 15


def calls_logged(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        return [c.company for c in session.exec(select(Call).order_by(Call.id))]


def test_requests_keep_working_through_a_refresh_requested_disconnect(
    socket_server: Server, roster: Engine, fake_slack: FakeSlack
) -> None:
    token = socket_server.app_token
    [before] = fake_slack.socket_connections(token)
    assert socket_server.command("/call", "Acme 12m", user=AGENT).status_code == 200

    assert fake_slack.socket_disconnect("refresh_requested", app_token=token) == 1

    fake_slack.wait_for("apps.connections.open", timeout=WAIT)
    deadline = time.monotonic() + WAIT
    while [c["id"] for c in fake_slack.socket_connections(token)] in ([], [before["id"]]):
        assert time.monotonic() < deadline, "leadcell socket did not open a new link"
        time.sleep(0.05)
    answer = socket_server.command("/call", "Globex 4m no-answer", user=AGENT)
    assert answer.status_code == 200
    assert "Logged a call with *Globex*" in answer.json()["blocks"][0]["text"]["text"]
    assert calls_logged(roster) == ["Acme", "Globex"]
    deadline = time.monotonic() + WAIT
    while len(fake_slack.socket_connections(token)) != 1:  # the old link is closed by Slack
        assert time.monotonic() < deadline, fake_slack.socket_connections(token)
        time.sleep(0.05)


def test_an_event_acknowledged_late_is_redelivered_and_has_no_second_effect(
    socket_server: Server, roster: Engine, fake_slack: FakeSlack
) -> None:
    handed = socket_server.command("/lead", "Globex -- a new ERP value=80k", user=AGENT)
    assert handed.status_code == 200
    [card] = fake_slack.wait_for("chat.postMessage", timeout=WAIT)
    ts = card["response"]["ts"]
    card_recorded(roster, ts)  # the hand-off's delivery is over (a pool lead has no DM)
    fake_slack.clear_calls()
    claim = payloads.message_event(
        channel=LEADS, user=SALES_ENGINEER, text="claim", ts=f"{time.time():.6f}", thread_ts=ts
    )
    kind, payload = payloads.envelope_of(claim, "application/json")

    delivery = fake_slack.socket_deliver(
        kind, payload, app_token=socket_server.app_token, late_acks=1
    )

    assert delivery.acked and delivery.attempts == 2
    retries = [e["retry_attempt"] for e in fake_slack.socket.log if e["kind"] == "envelope"]
    assert retries[-2:] == [0, 1]
    fake_slack.wait_for("chat.update", timeout=WAIT)
    # the thread reply and the agent's direct message, once each
    fake_slack.wait_for("chat.postMessage", count=2, timeout=WAIT)
    time.sleep(0.5)
    thread = [c for c in fake_slack.calls("chat.postMessage") if c["args"].get("thread_ts") == ts]
    assert len(thread) == 1
    assert len(fake_slack.calls("chat.update")) == 1
    with session_scope(roster) as session:
        [lead] = session.exec(select(Lead)).all()
    assert (lead.status, lead.version) == ("claimed", 2)


def card_recorded(engine: Engine, ts: str) -> None:
    """Wait until the outbox recorded the lead's card as posted."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with session_scope(engine) as session:
            if session.exec(select(Lead.card_ts)).first() == ts:
                return
        time.sleep(0.05)
    raise AssertionError("the lead card was never recorded as posted")


def run_socket(
    database_url: str, fake: FakeSlack, **env: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run `leadcell socket` to its end: its result and the Web API methods it called.

    The token refusals are lifted afterwards."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli", "socket"],
            env=server_env(database_url, fake, **env),
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result, [c["method"] for c in fake.calls()]
    finally:
        fake.reset()  # the session's other leadcell processes use the same tokens


def test_a_refused_app_token_stops_the_start_in_one_line(
    database_url: str, fake_slack: FakeSlack
) -> None:
    token = f"xapp-1-A0FAKE-{uuid.uuid4().hex}"
    fake_slack.refuse_token(token)
    result, called = run_socket(database_url, fake_slack, SLACK_APP_TOKEN=token)
    assert called == ["auth.test", "apps.connections.open"]
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = [x for x in result.stderr.splitlines() if "SLACK_APP_TOKEN" in x]
    assert line == (
        "leadcell socket: Slack refused SLACK_APP_TOKEN (invalid_auth): create an app-level "
        "token with the connections:write scope, for example "
        "SLACK_APP_TOKEN=xapp-your-app-level-token"
    )
    assert token not in result.stderr + result.stdout
    assert "Failed to retrieve WSS URL" not in result.stderr


def test_a_refused_bot_token_stops_the_start_in_one_line(
    database_url: str, fake_slack: FakeSlack
) -> None:
    from tests.conftest import BOT_TOKEN

    fake_slack.refuse_token(BOT_TOKEN)
    result, called = run_socket(database_url, fake_slack, SLACK_APP_TOKEN="xapp-1-A0FAKE-unused")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Slack refuses SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token" in (
        result.stderr
    )
    assert BOT_TOKEN not in result.stderr
    assert called == ["auth.test"]


def test_socket_mode_without_an_app_token_names_the_setting(tmp_path: Path) -> None:
    from tests.conftest import BOT_TOKEN

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "socket"],
        env={**env, "SLACK_BOT_TOKEN": BOT_TOKEN, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN is missing" in result.stderr
    assert "SLACK_APP_TOKEN=xapp-" in result.stderr
