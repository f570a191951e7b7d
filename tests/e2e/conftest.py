"""The real `leadcell web` server process, reached over loopback with signed requests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from bot.local.fake_slack import FakeSlack, payloads
from tests.conftest import BOT_TOKEN, SETTINGS_ADMIN, SIGNING_SECRET


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running `leadcell web` and helpers to send it what Slack would."""

    url: str
    fake: FakeSlack

    def post(self, body: str, headers: dict[str, str]) -> requests.Response:
        return requests.post(
            self.url + "/slack/events", data=body.encode(), headers=headers, timeout=10
        )

    def signed(self, body: str) -> requests.Response:
        return self.post(body, payloads.headers(body, signing_secret=SIGNING_SECRET))

    def event(self, body: str, *, retry_num: int | None = None) -> requests.Response:
        """An Events API delivery (JSON), signed; `retry_num` marks a redelivery."""
        return self.post(
            body, payloads.event_headers(body, signing_secret=SIGNING_SECRET, retry_num=retry_num)
        )

    def command(
        self,
        command: str,
        text: str,
        *,
        user: str,
        trigger_id: str | None = None,
        channel: str = "C0GENERAL",
    ) -> requests.Response:
        return self.signed(
            payloads.slash_command(
                command=command,
                text=text,
                user_id=user,
                trigger_id=trigger_id,
                channel_id=channel,
                response_url=self.fake.response_url(uuid.uuid4().hex),
            )
        )


@pytest.fixture(scope="session")
def web_server(database_url: str, fake_slack_server: FakeSlack) -> Iterator[Server]:
    """`python -m bot.cli web` on a free port, on the session's database, Slack faked."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack_server.url,
        "LEADCELL_ADMINS": SETTINGS_ADMIN,
        "WEB_CONCURRENCY": "2",
        "WEB_THREADS": "4",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "web", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                break
        except requests.RequestException:  # not listening yet, or too busy to answer
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            output = process.communicate()[0]
            pytest.fail(f"leadcell web did not start:\n{output}")
        time.sleep(0.1)
    try:
        yield Server(url=url, fake=fake_slack_server)
    finally:
        process.terminate()
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def server(web_server: Server, roster: object, fake_slack: FakeSlack) -> Server:
    """The server with a fresh demo roster and a clean fake Slack for this test."""
    return web_server
