"""The real `leadcell web` and `leadcell socket` processes, reached as Slack reaches them.

`leadcell web` gets signed requests over loopback; `leadcell socket` gets the same
payloads in Socket Mode envelopes from the fake Slack, which returns the app's
acknowledgement. The `server` fixture runs each end-to-end test over both.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.local.fake_slack import FakeSlack, payloads
from tests.conftest import BOT_TOKEN, SETTINGS_ADMIN, SIGNING_SECRET


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SocketAnswer:
    """The app's acknowledgement of a Socket Mode envelope, read like an HTTP response."""

    status_code: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class Server:
    """A running `leadcell web` or `leadcell socket` and helpers to send it what Slack would."""

    url: str
    fake: FakeSlack
    transport: str = "http"
    app_token: str | None = None
    log: Path | None = None  # where `leadcell socket` writes its output

    def post(self, body: str, headers: dict[str, str]) -> Any:
        """Deliver a request: POST it (HTTP), or hand it over the app's WebSocket (socket).

        Over Socket Mode the answer is the envelope's acknowledgement: status 200 and its
        payload as the text, or 504 when the app did not acknowledge in time.
        """
        if self.transport == "socket":
            kind, payload = payloads.envelope_of(body, headers.get("Content-Type", ""))
            delivery = self.fake.socket_deliver(
                kind,
                payload,
                app_token=self.app_token,
                retry_attempt=int(headers.get("X-Slack-Retry-Num", 0)),
                retry_reason=headers.get("X-Slack-Retry-Reason", ""),
            )
            if not delivery.acked:
                return SocketAnswer(504, delivery.error or "")
            return SocketAnswer(200, json.dumps(delivery.payload) if delivery.payload else "")
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


def server_env(database_url: str, fake: FakeSlack, **extra: str) -> dict[str, str]:
    """The environment of a leadcell process on the test database, Slack faked."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.url,
        "LEADCELL_ADMINS": SETTINGS_ADMIN,
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


@pytest.fixture(scope="session")
def web_server(database_url: str, fake_slack_server: FakeSlack) -> Iterator[Server]:
    """`python -m bot.cli web` on a free port, on the session's database, Slack faked."""
    port = free_port()
    env = server_env(database_url, fake_slack_server, WEB_CONCURRENCY="2", WEB_THREADS="4")
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
        stop(process)


def start_socket_mode(
    database_url: str, fake: FakeSlack, app_token: str, log: Path
) -> subprocess.Popen[str]:
    """`python -m bot.cli socket` with its own app-level token, once its link is open.

    Its output goes to ``log`` (read back when it fails to connect).
    """
    with log.open("a") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "socket"],
            env=server_env(database_url, fake, SLACK_APP_TOKEN=app_token),
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
    deadline = time.monotonic() + 30
    while not fake.socket_connections(app_token):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            pytest.fail(f"leadcell socket did not connect:\n{log.read_text()}")
        time.sleep(0.1)
    return process


@pytest.fixture(scope="session")
def socket_server(
    database_url: str, fake_slack_server: FakeSlack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """`python -m bot.cli socket` connected to the fake Slack, on the session's database."""
    app_token = f"xapp-1-A0FAKE-{uuid.uuid4().hex}"
    log = tmp_path_factory.mktemp("socket") / "leadcell-socket.log"
    process = start_socket_mode(database_url, fake_slack_server, app_token, log)
    try:
        yield Server(
            url="", fake=fake_slack_server, transport="socket", app_token=app_token, log=log
        )
    finally:
        stop(process)


#: Test modules about request signatures, which exist only over HTTP.
HTTP_ONLY = ("test_signing_http",)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses `server` over HTTP and over Socket Mode, except
    the signature tests."""
    if "server" in metafunc.fixturenames:
        module = metafunc.module.__name__.rsplit(".", 1)[-1]
        transports = ["http"] if module in HTTP_ONLY else ["http", "socket"]
        metafunc.parametrize("server", transports, indirect=True)


@pytest.fixture
def server(request: pytest.FixtureRequest, roster: object, fake_slack: FakeSlack) -> Server:
    """`leadcell web` or `leadcell socket` (see pytest_generate_tests), with a fresh demo
    roster and a clean fake Slack for this test."""
    transport = getattr(request, "param", "http")
    return request.getfixturevalue("web_server" if transport == "http" else "socket_server")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failed test over Socket Mode shows the end of `leadcell socket`'s output."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when != "call" or not report.failed:
        return
    funcargs = getattr(item, "funcargs", {})
    server = funcargs.get("server") or funcargs.get("socket_server")
    if isinstance(server, Server) and server.log is not None and server.log.exists():
        tail = "\n".join(server.log.read_text().splitlines()[-60:])
        report.sections.append(("leadcell socket output (last 60 lines)", tail))
