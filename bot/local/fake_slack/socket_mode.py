"""Slack's side of Socket Mode: WebSocket links, envelopes, acknowledgements, redelivery.

As Slack does (docs.slack.dev, "Using Socket Mode" and "Socket Mode implementation";
envelope shapes as in slack-sdk's tests/slack_sdk/socket_mode/mock_socket_mode_server.py):

- ``apps.connections.open``, called with an app-level token (``xapp-…``, scope
  connections:write), hands out a single-use ``ws://…/link/?ticket=…`` URL.
- A new link is greeted with ``{"type": "hello", "num_connections": …, …}``.
- Deliveries are envelopes ``{"envelope_id", "type", "payload", "accepts_response_payload"}``
  of type ``slash_commands``, ``interactive`` or ``events_api``; an events_api envelope
  also carries ``retry_attempt`` and ``retry_reason``.
- The app acknowledges with ``{"envelope_id": …, "payload": …}`` (payload optional).
- An events_api envelope not acknowledged within `ack_timeout` (3 s, as Slack) is sent
  again as a new envelope with ``retry_attempt`` + 1 and ``retry_reason: "timeout"``, at
  most `MAX_RETRIES` times, on whichever link of the app is open. A slash command or an
  interaction is not redelivered: the person sees Slack's timeout instead.
- ``{"type": "disconnect", "reason": "warning" | "refresh_requested" | "link_disabled"}``
  asks the app to open a new link; Slack closes the old one shortly after.

The WebSocket protocol itself is websockets' (its threaded server), a maintained library,
rather than hand-written framing.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from bot.local.fake_slack.state import APP_ID

logger = logging.getLogger("bot.local.fake_slack.socket_mode")

ENVELOPE_TYPES = ("slash_commands", "interactive", "events_api")
DISCONNECT_REASONS = ("warning", "refresh_requested", "link_disabled")
ACK_TIMEOUT = 3.0
MAX_RETRIES = 3
LINK_PATH = "/link/"


@dataclass(frozen=True)
class Delivery:
    """What became of one payload handed to the app over Socket Mode."""

    envelope_id: str  # of the acknowledged envelope, else of the last one sent
    acked: bool
    payload: dict[str, Any] | None  # the acknowledgement's payload, if any
    attempts: int
    error: str | None = None  # "timeout" or "no_connection" when not acknowledged

    def as_dict(self) -> dict[str, Any]:
        """JSON form for the control endpoint."""
        return {
            "ok": self.acked,
            "envelope_id": self.envelope_id,
            "ack": self.payload,
            "attempts": self.attempts,
            "error": self.error,
        }


@dataclass
class Link:
    """One open WebSocket of an app."""

    id: int
    app: str  # digest of the app-level token that opened it
    connection: ServerConnection
    opened_at: float = field(default_factory=time.time)
    send_lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, message: dict[str, Any]) -> bool:
        """Send one JSON message; False when the link is closed."""
        try:
            with self.send_lock:
                self.connection.send(json.dumps(message))
            return True
        except (ConnectionClosed, OSError):
            return False


@dataclass
class _Waiter:
    """An envelope waiting for its acknowledgement."""

    link: Link
    done: threading.Event = field(default_factory=threading.Event)
    payload: dict[str, Any] | None = None
    acked: bool = False
    ignore: bool = False  # count this ack as late (a test's ``late_acks``)


class SocketModeHub:
    """The Socket Mode server of a fake Slack, on its own loopback port."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.ack_timeout = ACK_TIMEOUT
        self._lock = threading.Condition()
        self._tickets: dict[str, str] = {}
        self._links: dict[int, Link] = {}
        self._waiting: dict[str, _Waiter] = {}
        self._ids = itertools.count(1)
        self._turn = itertools.count()
        self.log: list[dict[str, Any]] = []  # envelopes sent, acks and disconnects
        self._server: Server = serve(
            self._serve_link,
            host,
            0,
            process_request=self._check_ticket,
            ping_interval=None,  # the app pings (slack_sdk does every few seconds)
            close_timeout=1,
        )
        port = self._server.socket.getsockname()[1]
        public = "127.0.0.1" if host in ("0.0.0.0", "") else host
        self.base = f"ws://{public}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"fake-slack-socket-{port}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Close every link and stop listening."""
        with self._lock:
            links = list(self._links.values())
        for link in links:
            with contextlib.suppress(Exception):
                link.connection.close(1001, "fake Slack stopping")
        self._server.shutdown()
        self._thread.join(timeout=5)

    # -- links ------------------------------------------------------------------------------

    def open_url(self, app: str) -> str:
        """apps.connections.open: a single-use WebSocket URL for the app ``app``."""
        ticket = secrets.token_hex(16)
        with self._lock:
            self._tickets[ticket] = app
        return f"{self.base}{LINK_PATH}?ticket={ticket}&app_id={APP_ID}"

    def _ticket_of(self, path: str) -> str:
        return (parse_qs(urlsplit(path).query).get("ticket") or [""])[0]

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        """Refuse a handshake without a fresh ticket, as Slack refuses a stale URL."""
        ticket = self._ticket_of(request.path)
        with self._lock:
            known = urlsplit(request.path).path == LINK_PATH and ticket in self._tickets
        if not known:
            return connection.respond(401, "invalid or used ticket: call apps.connections.open\n")
        return None

    def _serve_link(self, connection: ServerConnection) -> None:
        """One app connection: hello, then acknowledgements until it closes."""
        ticket = self._ticket_of(connection.request.path if connection.request else "")
        with self._lock:
            app = self._tickets.pop(ticket, None)
            if app is None:  # the same ticket used twice at once
                connection.close(1008, "invalid ticket")
                return
            link = Link(next(self._ids), app, connection)
            self._links[link.id] = link
            count = sum(1 for other in self._links.values() if other.app == app)
            self._lock.notify_all()
        link.send(
            {
                "type": "hello",
                "num_connections": count,
                "debug_info": {
                    "host": "applink-fake",
                    "build_number": 1,
                    "approximate_connection_time": 18060,
                },
                "connection_info": {"app_id": APP_ID},
            }
        )
        try:
            for raw in connection:
                self._on_message(raw)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._links.pop(link.id, None)
                for waiter in self._waiting.values():
                    if waiter.link is link:
                        waiter.done.set()  # not acknowledged on this link
                self._lock.notify_all()

    def _on_message(self, raw: str | bytes) -> None:
        """An acknowledgement ``{"envelope_id", "payload"?}`` (anything else is ignored)."""
        try:
            message = json.loads(raw)
        except ValueError:
            return
        if not isinstance(message, dict) or not message.get("envelope_id"):
            return
        envelope_id = str(message["envelope_id"])
        payload = message.get("payload")
        with self._lock:
            waiter = self._waiting.get(envelope_id)
            late = waiter is None or waiter.ignore or waiter.done.is_set()
            self.log.append(
                {"kind": "ack", "envelope_id": envelope_id, "late": late, "at": time.time()}
            )
            if waiter is None or late:
                return
            waiter.payload = payload if isinstance(payload, dict) else None
            waiter.acked = True
            waiter.done.set()

    def connections(self, app: str | None = None) -> list[dict[str, Any]]:
        """The open links (of one app if given): id, app digest, when opened."""
        with self._lock:
            return [
                {"id": link.id, "app": link.app, "opened_at": link.opened_at}
                for link in self._links.values()
                if app is None or link.app == app
            ]

    def wait_for_connections(
        self, count: int = 1, *, app: str | None = None, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Block until ``count`` links (of ``app``) are open; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                links = [x for x in self._links.values() if app is None or x.app == app]
                if len(links) >= count:
                    return self.connections(app)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {count} Socket Mode "
                        f"connection(s); {len(links)} open"
                    )
                self._lock.wait(remaining)

    def _pick(self, app: str | None, timeout: float) -> Link | None:
        """An open link of the app, taken in turn; waits up to ``timeout`` for one."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                links = [x for x in self._links.values() if app is None or x.app == app]
                if links:
                    return links[next(self._turn) % len(links)]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._lock.wait(remaining)

    # -- deliveries ---------------------------------------------------------------------------

    def deliver(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        app: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        late_acks: int = 0,
        connect_timeout: float = 10.0,
    ) -> Delivery:
        """Send ``payload`` to the app in an envelope and wait for its acknowledgement.

        ``late_acks``: how many acknowledgements to count as arriving after the deadline,
        as when the app is slow; an events_api envelope is then redelivered.
        """
        if kind not in ENVELOPE_TYPES:
            raise ValueError(f"envelope type must be one of {', '.join(ENVELOPE_TYPES)}")
        attempts, envelope_id = 0, ""
        while True:
            link = self._pick(app, connect_timeout)
            if link is None:
                return Delivery(envelope_id, False, None, attempts, "no_connection")
            envelope_id = str(uuid.uuid4())
            envelope: dict[str, Any] = {
                "envelope_id": envelope_id,
                "payload": payload,
                "type": kind,
                "accepts_response_payload": kind != "events_api",
            }
            if kind == "events_api":
                envelope["retry_attempt"] = retry_attempt
                envelope["retry_reason"] = retry_reason
            waiter = _Waiter(link, ignore=attempts < late_acks)
            with self._lock:
                self._waiting[envelope_id] = waiter
                self.log.append(
                    {
                        "kind": "envelope",
                        "type": kind,
                        "envelope_id": envelope_id,
                        "link": link.id,
                        "retry_attempt": envelope.get("retry_attempt"),
                        "at": time.time(),
                    }
                )
            attempts += 1
            sent = link.send(envelope)
            if sent:
                waiter.done.wait(self.ack_timeout)
            with self._lock:
                self._waiting.pop(envelope_id, None)
            if waiter.acked:
                return Delivery(envelope_id, True, waiter.payload, attempts)
            link_lost = not sent or (waiter.done.is_set() and not waiter.acked)
            if kind != "events_api":
                if link_lost and attempts <= MAX_RETRIES:  # it never reached the app
                    continue
                return Delivery(envelope_id, False, None, attempts, "timeout")
            if retry_attempt >= MAX_RETRIES:
                return Delivery(envelope_id, False, None, attempts, "timeout")
            retry_attempt += 1
            retry_reason = "timeout"

    def disconnect(self, reason: str, *, app: str | None = None, close_after: float = 1.0) -> int:
        """Send ``disconnect`` to every link (of ``app``) and close them ``close_after`` later.

        Returns how many links were told. ``link_disabled`` closes at once.
        """
        if reason not in DISCONNECT_REASONS:
            raise ValueError(f"disconnect reason must be one of {', '.join(DISCONNECT_REASONS)}")
        with self._lock:
            links = [x for x in self._links.values() if app is None or x.app == app]
            self.log.append({"kind": "disconnect", "reason": reason, "at": time.time()})
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake"}}
        for link in links:
            link.send(message)
        delay = 0.0 if reason == "link_disabled" else close_after

        def close() -> None:
            time.sleep(delay)
            for link in links:
                with contextlib.suppress(Exception):
                    link.connection.close(1000, reason)

        threading.Thread(target=close, name="fake-slack-socket-close", daemon=True).start()
        return len(links)

    def clear_log(self) -> None:
        """Forget the envelope log (links stay open)."""
        with self._lock:
            self.log.clear()
