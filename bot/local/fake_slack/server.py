"""FakeSlack: a fake Slack Web API on loopback for tests and the local demo shell."""

from __future__ import annotations

import copy
import threading
import time
from types import TracebackType
from typing import Any

from bot.local.fake_slack.handler import FakeHTTPServer
from bot.local.fake_slack.scopes import fingerprint
from bot.local.fake_slack.socket_mode import Delivery, SocketModeHub
from bot.local.fake_slack.state import State, make_fault


class FakeSlack:
    """A fake Slack Web API server that records calls and can inject faults.

    Use ``WebClient(token="xoxb-any", base_url=fake.url)`` to talk to it. Bot tokens hold
    the manifest's scopes (see `bot.local.fake_slack.scopes`); an app-level token
    (``xapp-…``) opens Socket Mode links (see `bot.local.fake_slack.socket_mode`).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self._state = State()
        self._server: FakeHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._base: str | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        """Bind and serve in a daemon thread (no-op when already running); return self."""
        if self._server is not None:
            return self
        server = FakeHTTPServer((self.host, self.port), self._state)
        host, port = server.server_address[:2]
        public = "127.0.0.1" if host in ("0.0.0.0", "") else str(host)
        self._base = f"http://{public}:{port}/"
        self._state.base = self._base
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-slack-{port}",
            daemon=True,
        )
        self._thread.start()
        self._state.socket = SocketModeHub(public)
        return self

    def stop(self) -> None:
        """Stop serving and close the socket (safe to call twice)."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        if self._state.socket is not None:
            self._state.socket.stop()
            self._state.socket = None
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        """Start serving."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop serving."""
        self.stop()

    @property
    def base(self) -> str:
        """Server root with a trailing slash, e.g. ``http://127.0.0.1:PORT/``."""
        if self._base is None:
            raise RuntimeError("FakeSlack is not started")
        return self._base

    @property
    def url(self) -> str:
        """Web API base URL for ``WebClient(base_url=...)``: ``base + "api/"``."""
        return self.base + "api/"

    def response_url(self, key: str) -> str:
        """A response_url whose posts are recorded as method ``response_url``."""
        return f"{self.base}_fake/response/{key}"

    # -- recorded calls ---------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Recorded calls (of ``method`` if given), oldest first, as copies."""
        return self._state.get_calls(method)

    def clear_calls(self) -> None:
        """Forget the recorded calls."""
        self._state.clear_calls()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Block until ``count`` calls of ``method`` are recorded and return them all.

        Raises AssertionError naming the recorded methods when ``timeout`` passes first.
        """
        return self._state.wait_for(method, count, timeout)

    # -- faults -----------------------------------------------------------------------------

    def add_fault(
        self,
        method: str,
        kind: str,
        *,
        count: int | None = 1,
        retry_after: int = 1,
        seconds: float = 0.0,
        status: int = 500,
    ) -> None:
        """Fault the next ``count`` calls of ``method`` (``"*"``: any; count None: forever).

        kind:

        - ``ratelimit``: HTTP 429 with ``Retry-After: retry_after``; nothing is done.
        - ``server_error``: HTTP ``status`` (500 by default); nothing is done.
        - ``drop``: the connection is closed without an answer; nothing is done.
        - ``store_then_drop``: the call is performed (a message is stored, a view opened)
          and the connection closed without an answer, as when Slack has the card but the
          client gave up.
        - ``delay``: the call is performed at once and its answer held ``seconds``; a client
          whose timeout is shorter gives up, and the effect is in place all the same.
        """
        fault = make_fault(
            method, kind, count=count, retry_after=retry_after, seconds=seconds, status=status
        )
        self._state.add_fault(fault)

    def clear_faults(self) -> None:
        """Remove every pending fault."""
        self._state.clear_faults()

    # -- Socket Mode ------------------------------------------------------------------------

    @property
    def socket(self) -> SocketModeHub:
        """The Socket Mode side (links, envelopes, disconnects)."""
        if self._state.socket is None:
            raise RuntimeError("FakeSlack is not started")
        return self._state.socket

    def socket_deliver(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        app_token: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        late_acks: int = 0,
    ) -> Delivery:
        """Hand ``payload`` to the app connected with ``app_token`` (any app if None) in an
        envelope of type ``kind`` (slash_commands, interactive, events_api) and return what
        its acknowledgement said; see `SocketModeHub.deliver`."""
        return self.socket.deliver(
            kind,
            payload,
            app=fingerprint(app_token) if app_token else None,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
            late_acks=late_acks,
        )

    def socket_disconnect(
        self, reason: str, *, app_token: str | None = None, close_after: float = 1.0
    ) -> int:
        """Send ``disconnect`` (warning, refresh_requested, link_disabled) to the app's links."""
        app = fingerprint(app_token) if app_token else None
        return self.socket.disconnect(reason, app=app, close_after=close_after)

    def socket_connections(self, app_token: str | None = None) -> list[dict[str, Any]]:
        """The open Socket Mode links (of the app with ``app_token`` if given)."""
        return self.socket.connections(fingerprint(app_token) if app_token else None)

    def wait_for_socket_connections(
        self, count: int = 1, *, app_token: str | None = None, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Block until ``count`` links of the app are open; AssertionError on timeout."""
        app = fingerprint(app_token) if app_token else None
        return self.socket.wait_for_connections(count, app=app, timeout=timeout)

    # -- state ------------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget calls, faults, messages, views, files, user overrides, used trigger ids,
        granted scopes (back to the manifest's), refused tokens and channel types."""
        self._state.reset()

    # -- tokens and scopes --------------------------------------------------------------------

    @property
    def bot_scopes(self) -> frozenset[str]:
        """The scopes bot tokens hold: the manifest's (`leadcell manifest`) unless granted."""
        return self._state.bot_scopes

    def grant_scopes(self, scopes: list[str] | None) -> None:
        """Give bot tokens exactly ``scopes`` until the next reset (None: the manifest's)."""
        self._state.grant_scopes(scopes)

    def refuse_token(self, token: str) -> None:
        """Answer ``invalid_auth`` to ``token`` (a revoked or mistyped token) until reset."""
        self._state.refuse_token(token)

    def set_channel_type(self, channel: str, kind: str) -> None:
        """Declare a conversation public, private, im or mpim (default: by its id's letter)."""
        if kind not in ("public", "private", "im", "mpim"):
            raise ValueError("channel type must be public, private, im or mpim")
        with self._state.lock:
            self._state.channel_types[channel] = kind

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Current messages of ``channel`` (after updates, thread replies included), oldest
        first."""
        return self._state.get_messages(channel)

    def views(self) -> list[dict[str, Any]]:
        """Every stored view (modals and App Homes) as Slack returned it last."""
        with self._state.lock:
            return copy.deepcopy(list(self._state.views.values()))

    def files(self) -> list[dict[str, Any]]:
        """Every reserved file: id, name, title, length, content (bytes or None), completed…"""
        with self._state.lock:
            return copy.deepcopy(list(self._state.files.values()))

    def set_user(self, user_id: str, **fields: Any) -> None:
        """Override fields of the ``users.info`` answer for ``user_id`` (e.g. real_name, tz,
        ``locale="de-DE"``, which users.info returns with ``include_locale=true``)."""
        with self._state.lock:
            self._state.users.setdefault(user_id, {}).update(copy.deepcopy(fields))


def serve_forever(host: str = "127.0.0.1", port: int = 0) -> None:
    """Run a FakeSlack in the foreground until Ctrl-C; print its Web API URL once."""
    fake = FakeSlack(host, port).start()
    print(fake.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
