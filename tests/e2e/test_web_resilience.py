"""`leadcell web` keeps answering Slack: slow clients, Slack down at start or at a worker
restart, a token Slack refuses, and a database whose schema is older than the code."""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.local.fake_slack import FakeSlack, payloads
from models import migrate
from models.db import make_engine, session_scope
from models.demo.roster import seed_demo_roster
from tests.conftest import AGENT, BOT_TOKEN, SIGNING_SECRET
from tests.e2e.conftest import Server, free_port

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _call_body(fake_url: str) -> str:
    return payloads.slash_command(
        command="/call",
        text="Acme 12m contact",
        user_id=AGENT,
        response_url=fake_url + "_fake/response/resilience",
    )


def _signed_call(base: str, fake_url: str, *, timeout: float) -> requests.Response:
    body = _call_body(fake_url)
    return requests.post(
        base + "/slack/events",
        data=body.encode(),
        headers=payloads.headers(body, signing_secret=SIGNING_SECRET),
        timeout=timeout,
    )


# --- slow clients -------------------------------------------------------------------------


def _slow_headers(port: int, stop: threading.Event, opened: list[socket.socket]) -> None:
    """A slowloris client: one header line a second, never the blank line that ends them."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    opened.append(sock)
    try:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: leadcell\r\n")
        line = 0
        while not stop.wait(1.0) and line < 60:  # bounded: at most a minute
            sock.sendall(b"X-Slow-%d: still here\r\n" % line)
            line += 1
    except OSError:  # the server may close it: that is allowed
        pass


def test_twelve_slowloris_clients_do_not_stop_six_signed_calls(
    web_server: Server, roster: object
) -> None:
    stop = threading.Event()
    opened: list[socket.socket] = []
    port = int(web_server.url.rsplit(":", 1)[1])
    slow = [
        threading.Thread(target=_slow_headers, args=(port, stop, opened), daemon=True)
        for _ in range(12)
    ]
    for thread in slow:
        thread.start()
    time.sleep(1.5)  # every slow client connected and sending
    answers: list[Any] = [None] * 6

    def call(index: int) -> None:
        started = time.monotonic()
        try:
            response = _signed_call(web_server.url, web_server.fake.url, timeout=3)
            answers[index] = (response.status_code, time.monotonic() - started, response.text)
        except requests.RequestException as exc:
            answers[index] = (type(exc).__name__, time.monotonic() - started, "")

    try:
        callers = [threading.Thread(target=call, args=(i,)) for i in range(6)]
        for thread in callers:
            thread.start()
        for thread in callers:
            thread.join(timeout=10)
        assert sum(1 for thread in slow if thread.is_alive()) == 12  # still hanging around
    finally:
        stop.set()
        for sock in opened:
            sock.close()
        for thread in slow:
            thread.join(timeout=5)

    for status, seconds, text in answers:
        assert status == 200, answers
        assert seconds < 3
        assert "Logged a call with *Acme*" in text


# --- servers started by the tests below ----------------------------------------------------


@dataclass
class Started:
    process: subprocess.Popen[str]
    url: str
    output: list[str]

    def log(self) -> str:
        return "".join(self.output)


def _database(tmp_path: Path, *, revision: str | None = "head") -> str:
    url = f"sqlite:///{tmp_path / 'leadcell.db'}"
    if revision is not None:
        migrate.upgrade(url, revision)
    if revision == "head":
        engine = make_engine(url)
        with session_scope(engine) as session:
            seed_demo_roster(session)
        engine.dispose()
    return url


@contextmanager
def _web(
    database_url: str,
    slack_api_url: str,
    *,
    workers: int = 1,
    wait: bool = True,
    log_level: str = "INFO",
) -> Iterator[Started]:
    """`leadcell web` in a subprocess; stopped at the end of the block."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "WEB_"))},
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api_url,
        "WEB_CONCURRENCY": str(workers),
        "WEB_THREADS": "2",
        "LOG_LEVEL": log_level,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "web", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout or []), daemon=True)
    reader.start()
    started = Started(process, f"http://127.0.0.1:{port}", output)
    try:
        if wait:
            _wait_until_listening(started)
        yield started
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        reader.join(timeout=5)


def _wait_until_listening(started: Started, timeout: float = 30) -> requests.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if started.process.poll() is not None:
            pytest.fail(f"leadcell web exited ({started.process.returncode}):\n{started.log()}")
        with suppress(requests.RequestException):
            return requests.get(started.url + "/healthz", timeout=2)
        time.sleep(0.1)
    pytest.fail(f"leadcell web did not listen within {timeout} s:\n{started.log()}")


def _health_until(started: Started, check: Any, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        with suppress(requests.RequestException, ValueError):
            response = requests.get(started.url + "/healthz", timeout=2)
            body = {"status": response.status_code, **response.json()}
            if check(body):
                return body
        time.sleep(0.2)
    pytest.fail(f"/healthz never matched; last {body}:\n{started.log()}")


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


# --- Slack down or refusing at start -------------------------------------------------------


@pytest.mark.parametrize("fault", ["server_error", "drop"])
def test_slack_down_at_a_cold_start_does_not_stop_the_server(
    tmp_path: Path, fake_slack: FakeSlack, fault: str
) -> None:
    fake_slack.add_fault("auth.test", fault, count=None, status=503)
    with _web(_database(tmp_path), fake_slack.url, workers=2) as web:
        health = _health_until(web, lambda h: h["status"] == 200)
        assert health["slack"] == "not reached yet, retrying"
        assert health["schema"] == "current"

        answer = _signed_call(web.url, fake_slack.url, timeout=3)

        assert answer.status_code == 200
        assert "Logged a call with *Acme*" in answer.text
        assert web.process.poll() is None

        fake_slack.clear_faults()  # Slack is back: the background check learns the bot's ids
        _health_until(web, lambda h: h.get("slack") == "ok", timeout=15)
    assert "Worker failed to boot" not in web.log()


@pytest.mark.parametrize("fault", ["server_error", "drop"])
def test_slack_down_while_a_worker_restarts_does_not_stop_the_server(
    tmp_path: Path, fake_slack: FakeSlack, fault: str
) -> None:
    with _web(_database(tmp_path), fake_slack.url, workers=1) as web:
        _health_until(web, lambda h: h["status"] == 200 and h["slack"] == "ok")
        [worker] = _worker_pids(web.process.pid)
        fake_slack.add_fault("auth.test", fault, count=None, status=500)

        os.kill(worker, signal.SIGKILL)  # gunicorn starts a new worker while Slack is down

        deadline = time.monotonic() + 30
        while _worker_pids(web.process.pid) in ([], [worker]):
            assert time.monotonic() < deadline, web.log()
            time.sleep(0.1)
        health = _health_until(web, lambda h: h["status"] == 200)
        assert health["slack"] == "not reached yet, retrying"
        answer = _signed_call(web.url, fake_slack.url, timeout=3)
        assert answer.status_code == 200
        assert "Logged a call with *Acme*" in answer.text
        assert web.process.poll() is None
    assert "Worker failed to boot" not in web.log()


class _SwitchableSlack(http.server.ThreadingHTTPServer):
    """A Web API that answers auth.test as the fake does, refuses the token, or is down."""

    refuse = False
    down = False


class _SwitchableHandler(http.server.BaseHTTPRequestHandler):
    server: _SwitchableSlack

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.server.down:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.server.refuse:
            body: dict[str, Any] = {"ok": False, "error": "invalid_auth"}
        else:
            body = {"ok": True, "team_id": "T0FAKE", "user_id": "U0BOT", "bot_id": "B0BOT"}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def switchable_slack() -> Iterator[_SwitchableSlack]:
    server = _SwitchableSlack(("127.0.0.1", 0), _SwitchableHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _api_url(server: _SwitchableSlack) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/api/"


def test_a_refused_token_at_a_cold_start_stops_with_that_message(
    tmp_path: Path, switchable_slack: _SwitchableSlack
) -> None:
    switchable_slack.refuse = True
    with _web(_database(tmp_path), _api_url(switchable_slack), wait=False) as web:
        code = web.process.wait(timeout=30)
    assert code == 2
    assert "leadcell: cannot start:\nSlack refuses SLACK_BOT_TOKEN (invalid_auth)" in web.log()
    assert "Traceback" not in web.log()


def test_a_token_refused_when_a_worker_restarts_stops_the_server_with_that_message(
    tmp_path: Path, switchable_slack: _SwitchableSlack
) -> None:
    with _web(_database(tmp_path), _api_url(switchable_slack), workers=1) as web:
        _health_until(web, lambda h: h["status"] == 200 and h["slack"] == "ok")
        [worker] = _worker_pids(web.process.pid)
        switchable_slack.refuse = True

        os.kill(worker, signal.SIGKILL)

        code = web.process.wait(timeout=30)
    assert code == 3  # gunicorn: a worker failed to boot
    assert "Slack refuses SLACK_BOT_TOKEN (invalid_auth)" in web.log()
    assert "Traceback" not in web.log()


def test_a_token_refused_after_slack_comes_back_stops_the_server_with_that_message(
    tmp_path: Path, switchable_slack: _SwitchableSlack
) -> None:
    switchable_slack.down = True
    with _web(_database(tmp_path), _api_url(switchable_slack), workers=1) as web:
        health = _health_until(web, lambda h: h["status"] == 200)
        assert health["slack"] == "not reached yet, retrying"
        assert health["slack_error"] == "HTTP 503"

        switchable_slack.refuse, switchable_slack.down = True, False  # back, and refusing

        code = web.process.wait(timeout=30)
    assert code == 3
    assert "Slack refuses SLACK_BOT_TOKEN (invalid_auth)" in web.log()
    assert "Traceback" not in web.log()


# --- logs at DEBUG -------------------------------------------------------------------------


def test_the_server_at_debug_logs_no_note_no_response_url_and_no_body(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    secret_path = "debug-response-url-path"
    with _web(_database(tmp_path), fake_slack.url, log_level="DEBUG") as web:
        _health_until(web, lambda h: h["status"] == 200)
        body = payloads.slash_command(
            command="/call",
            text="Acme 12m contact call back on 06 12 34 56 78",
            user_id=AGENT,
            response_url=fake_slack.response_url(secret_path),
        )
        answer = requests.post(
            web.url + "/slack/events",
            data=body.encode(),
            headers=payloads.headers(body, signing_secret=SIGNING_SECRET),
            timeout=5,
        )
        assert answer.status_code == 200
        assert "06 12 34 56 78" in answer.text
        refused = requests.post(
            web.url + "/slack/events",
            data=b"payload={not-json " + secret_path.encode(),
            headers=payloads.headers(
                "payload={not-json " + secret_path, signing_secret=SIGNING_SECRET
            ),
            timeout=5,
        )
        assert refused.status_code == 400
        time.sleep(0.5)  # let the last lines reach the pipe
    output = web.log()
    assert "Responding with status: 200 (body not logged)" in output
    assert "refused a request to /slack/events: form payload is not JSON" in output
    assert "06 12 34 56 78" not in output
    assert secret_path not in output
    assert "Traceback" not in output


# --- a schema older than the code ----------------------------------------------------------


@pytest.mark.parametrize(
    ("revision", "problem"),
    [
        (None, "The database has no leadcell schema yet (the code needs revision"),
        ("0005", "The database schema is at revision 0005, older than the code's"),
    ],
)
def test_a_stale_schema_is_reported_at_start_and_in_healthz_until_upgraded(
    tmp_path: Path, fake_slack: FakeSlack, revision: str | None, problem: str
) -> None:
    database = _database(tmp_path, revision=revision)
    with _web(database, fake_slack.url) as web:
        health = _health_until(web, lambda h: h["status"] == 503)
        assert health["schema"] == "behind"
        assert health["problem"].startswith(problem)
        assert health["problem"].endswith("run `leadcell db upgrade`.")
        assert problem in web.log()

        migrate.upgrade(database)  # what `leadcell db upgrade` does

        health = _health_until(web, lambda h: h["status"] == 200)
        assert health["schema"] == "current"
        assert "problem" not in health


def test_the_worker_refuses_to_start_on_a_stale_schema(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
        "DATABASE_URL": _database(tmp_path, revision="0005"),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "worker"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(
        "leadcell: cannot start:\nThe database schema is at revision 0005, older than the code's"
    )
    assert "run `leadcell db upgrade`." in result.stderr
    assert "Traceback" not in result.stderr
