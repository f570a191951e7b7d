"""The fake's Socket Mode, driven by slack_sdk's own Socket Mode client (as Bolt uses it)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from bot.local.fake_slack import FakeSlack

APP_TOKEN = "xapp-1-A0FAKE-1-socket-test"
BOT_TOKEN = "xoxb-test-token"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.socket.ack_timeout = 0.5
        yield fake


class App:
    """A Socket Mode app: records every request and the raw messages, acks as told."""

    def __init__(self, fake: FakeSlack, *, ack: bool = True, delay: float = 0.0) -> None:
        self.requests: list[SocketModeRequest] = []
        self.raw: list[dict[str, Any]] = []
        self.ack, self.delay = ack, delay
        self.lock = threading.Lock()
        self.client = SocketModeClient(
            app_token=APP_TOKEN,
            web_client=WebClient(token=BOT_TOKEN, base_url=fake.url),
            ping_interval=1,
            on_message_listeners=[lambda m: self.raw.append(json.loads(m))],
        )
        self.client.socket_mode_request_listeners.append(self.handle)

    def handle(self, client: SocketModeClient, request: SocketModeRequest) -> None:
        with self.lock:
            self.requests.append(request)
        time.sleep(self.delay)
        if self.ack:
            answer = {"text": f"got {request.type}"} if request.accepts_response_payload else None
            client.send_socket_mode_response(
                SocketModeResponse(envelope_id=request.envelope_id, payload=answer)
            )


@pytest.fixture
def app(fake: FakeSlack) -> Iterator[App]:
    app = App(fake)
    app.client.connect()
    fake.wait_for_socket_connections(1)
    yield app
    app.client.close()


def wait_until(check: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_connect_hello_and_an_acknowledged_slash_command(fake: FakeSlack, app: App) -> None:
    [opened] = fake.calls("apps.connections.open")
    assert opened["response"]["url"].startswith(fake.socket.base + "/link/?ticket=")
    assert APP_TOKEN not in json.dumps(fake.calls())
    wait_until(lambda: app.raw)
    hello = app.raw[0]
    assert hello["type"] == "hello" and hello["num_connections"] == 1
    assert hello["connection_info"] == {"app_id": "A0FAKE"}

    delivery = fake.socket_deliver(
        "slash_commands", {"command": "/call", "text": "Acme 12m"}, app_token=APP_TOKEN
    )

    assert (delivery.acked, delivery.attempts, delivery.payload) == (
        True,
        1,
        {"text": "got slash_commands"},
    )
    [request] = app.requests
    assert request.type == "slash_commands" and request.accepts_response_payload is True
    assert request.payload == {"command": "/call", "text": "Acme 12m"}
    assert request.envelope_id == delivery.envelope_id


def test_an_event_whose_ack_is_late_is_redelivered_with_its_retry_attempt(
    fake: FakeSlack, app: App
) -> None:
    event = {"type": "event_callback", "event_id": "Ev0LATE", "event": {"type": "message"}}

    delivery = fake.socket_deliver("events_api", event, late_acks=1)

    assert delivery.acked and delivery.attempts == 2 and delivery.payload is None
    first, second = app.requests
    assert (first.retry_attempt, first.retry_reason) == (0, "")
    assert (second.retry_attempt, second.retry_reason) == (1, "timeout")
    assert first.payload == second.payload == event
    assert first.envelope_id != second.envelope_id
    assert second.accepts_response_payload is False


def test_an_event_never_acknowledged_is_tried_four_times(fake: FakeSlack) -> None:
    silent = App(fake, ack=False)
    silent.client.connect()
    try:
        fake.wait_for_socket_connections(1)
        delivery = fake.socket_deliver("events_api", {"event_id": "Ev0NOACK"})
        assert (delivery.acked, delivery.attempts, delivery.error) == (False, 4, "timeout")
        assert [r.retry_attempt for r in silent.requests] == [0, 1, 2, 3]
    finally:
        silent.client.close()


def test_a_slash_command_acknowledged_too_late_is_not_redelivered(fake: FakeSlack) -> None:
    slow = App(fake, delay=0.8)
    slow.client.connect()
    try:
        fake.wait_for_socket_connections(1)
        delivery = fake.socket_deliver("slash_commands", {"command": "/call"})
        assert (delivery.acked, delivery.attempts, delivery.error) == (False, 1, "timeout")
        wait_until(lambda: any(e["kind"] == "ack" for e in fake.socket.log))
        assert [e["late"] for e in fake.socket.log if e["kind"] == "ack"] == [True]
        assert len(slow.requests) == 1
    finally:
        slow.client.close()


def test_refresh_requested_makes_the_client_reconnect(fake: FakeSlack, app: App) -> None:
    [before] = fake.socket_connections(APP_TOKEN)

    assert fake.socket_disconnect("refresh_requested", app_token=APP_TOKEN) == 1

    fake.wait_for("apps.connections.open", count=2)
    wait_until(lambda: [c["id"] for c in fake.socket_connections()] not in ([], [before["id"]]))
    wait_until(lambda: len(fake.socket_connections()) == 1)
    [after] = fake.socket_connections(APP_TOKEN)
    assert after["id"] != before["id"]
    assert any(m.get("reason") == "refresh_requested" for m in app.raw)
    assert fake.socket_deliver("interactive", {"type": "block_actions"}).acked


def test_apps_connections_open_needs_an_app_token(fake: FakeSlack) -> None:
    bot = WebClient(token=BOT_TOKEN, base_url=fake.url, retry_handlers=[])
    with pytest.raises(SlackApiError) as refused:
        bot.apps_connections_open(app_token=BOT_TOKEN)
    assert refused.value.response["error"] == "not_allowed_token_type"
    fake.refuse_token(APP_TOKEN)
    with pytest.raises(SlackApiError) as revoked:
        bot.apps_connections_open(app_token=APP_TOKEN)
    assert revoked.value.response["error"] == "invalid_auth"


def test_a_websocket_url_works_once(fake: FakeSlack) -> None:
    url = WebClient(base_url=fake.url).apps_connections_open(app_token=APP_TOKEN)["url"]
    with connect(url) as first:
        assert json.loads(first.recv(timeout=5))["type"] == "hello"
        with pytest.raises(InvalidStatus) as again:
            connect(url)
        assert again.value.response.status_code == 401
    with pytest.raises(InvalidStatus):
        connect(fake.socket.base + "/link/?ticket=made-up")


def test_delivery_with_no_app_connected_says_so(fake: FakeSlack) -> None:
    started = time.monotonic()
    delivery = fake.socket.deliver("slash_commands", {}, connect_timeout=0.2)
    assert (delivery.acked, delivery.error) == (False, "no_connection")
    assert time.monotonic() - started < 2


def test_control_endpoints_over_http(fake: FakeSlack, app: App) -> None:
    links = requests.get(fake.base + "_fake/socket/connections", timeout=5).json()
    assert len(links["connections"]) == 1
    answer = requests.post(
        fake.base + "_fake/socket/deliver",
        json={"type": "slash_commands", "payload": {"command": "/lead"}, "app_token": APP_TOKEN},
        timeout=10,
    ).json()
    assert answer["ok"] is True and answer["ack"] == {"text": "got slash_commands"}
    bad = requests.post(fake.base + "_fake/socket/deliver", json={"type": "rtm"}, timeout=5)
    assert bad.status_code == 400
    told = requests.post(
        fake.base + "_fake/socket/disconnect", json={"reason": "warning"}, timeout=5
    ).json()
    assert told == {"ok": True, "links": 1}
    fake.wait_for("apps.connections.open", count=2)
    bad = requests.post(fake.base + "_fake/socket/disconnect", json={"reason": "bye"}, timeout=5)
    assert bad.status_code == 400


def test_link_disabled_closes_the_link_at_once(fake: FakeSlack, app: App) -> None:
    [before] = fake.socket_connections()
    fake.socket_disconnect("link_disabled", close_after=30)
    # closed without the grace a refresh gets; slack_sdk's client opens a new link
    wait_until(lambda: before["id"] not in [c["id"] for c in fake.socket_connections()], 3)
    assert any(m.get("reason") == "link_disabled" for m in app.raw)
    assert [e["reason"] for e in fake.socket.log if e["kind"] == "disconnect"] == ["link_disabled"]
