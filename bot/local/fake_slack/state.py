"""Thread-safe state of the fake Slack: recorded calls, faults, messages, views, files."""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.local.fake_slack.scopes import Grant, fingerprint, grant_for, manifest_scopes

if TYPE_CHECKING:
    from bot.local.fake_slack.socket_mode import SocketModeHub

#: How the fake can misbehave on the next calls of a method (see `FakeSlack.add_fault`).
FAULT_KINDS = ("ratelimit", "server_error", "delay", "drop", "store_then_drop")

# Who the fake workspace and its bot are (auth.test, message authors, views).
TEAM_ID = "T0FAKE"
APP_ID = "A0FAKE"
BOT_ID = "B0BOT"
BOT_USER_ID = "U0BOT"


@dataclass
class Fault:
    """A fault injected into the next ``remaining`` calls of ``method`` (None = forever)."""

    method: str
    kind: str
    remaining: int | None = 1
    retry_after: int = 1
    seconds: float = 0.0
    status: int = 500


def make_fault(
    method: str,
    kind: str,
    *,
    count: int | None = 1,
    retry_after: int = 1,
    seconds: float = 0.0,
    status: int = 500,
) -> Fault:
    """Build a validated Fault; raise ValueError on nonsense arguments."""
    if not isinstance(method, str) or not method:
        raise ValueError("fault method must be a method name or '*'")
    if kind not in FAULT_KINDS:
        raise ValueError(f"fault kind must be one of {', '.join(FAULT_KINDS)}, not {kind!r}")
    if count is not None and (not isinstance(count, int) or count < 1):
        raise ValueError("fault count must be a positive integer or None")
    if not isinstance(retry_after, int) or retry_after < 0:
        raise ValueError("retry_after must be a non-negative integer")
    if not isinstance(seconds, (int, float)) or seconds < 0:
        raise ValueError("seconds must be a non-negative number")
    if not isinstance(status, int) or not 400 <= status <= 599:
        raise ValueError("status must be an HTTP error status (400-599)")
    return Fault(method, kind, count, retry_after, float(seconds), status)


class State:
    """Everything the fake server remembers. Public attributes are guarded by ``lock``."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._changed = threading.Condition(self.lock)
        self.base = "http://127.0.0.1/"
        self._last_ts_us = 0
        self._serial = 0
        self.calls: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.channels: dict[str, list[dict[str, Any]]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, str] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.used_triggers: set[str] = set()
        #: None: the manifest's bot scopes (read on first use); a set: what a test granted.
        self.granted_scopes: frozenset[str] | None = None
        self.refused_tokens: set[str] = set()
        self.channel_types: dict[str, str] = {}
        self.socket: SocketModeHub | None = None

    @property
    def bot_scopes(self) -> frozenset[str]:
        """The scopes every bot token holds: the manifest's unless a test granted others."""
        with self.lock:
            if self.granted_scopes is None:
                self.granted_scopes = manifest_scopes()
            return self.granted_scopes

    def grant_scopes(self, scopes: Iterable[str] | None) -> None:
        """Give bot tokens exactly ``scopes`` (None: back to the manifest's)."""
        with self.lock:
            self.granted_scopes = None if scopes is None else frozenset(scopes)

    def refuse_token(self, token: str) -> None:
        """Answer ``invalid_auth`` to this token from now on (only its digest is kept)."""
        with self.lock:
            self.refused_tokens.add(fingerprint(token))

    def grant_for(self, token: str) -> Grant | None:
        """The kind and scopes of a token, or None when Slack would not know it."""
        with self.lock:
            return grant_for(token, self.bot_scopes, self.refused_tokens)

    def reset(self) -> None:
        """Forget calls, faults, messages, views, files, users, used trigger ids, granted
        scopes, refused tokens and declared channel types.

        Generated ts and ids keep increasing so they never repeat within a process.
        """
        with self.lock:
            self.calls.clear()
            self.faults.clear()
            self.channels.clear()
            self.views.clear()
            self.home_views.clear()
            self.files.clear()
            self.users.clear()
            self.used_triggers.clear()
            self.granted_scopes = None
            self.refused_tokens.clear()
            self.channel_types.clear()

    def next_ts(self) -> str:
        """A unique, increasing message ts close to the current time."""
        with self.lock:
            now_us = int(time.time() * 1_000_000)
            self._last_ts_us = max(now_us, self._last_ts_us + 1)
            seconds, micros = divmod(self._last_ts_us, 1_000_000)
            return f"{seconds}.{micros:06d}"

    def next_id(self, prefix: str) -> str:
        """A Slack-looking id such as ``V0FAKE0001K7Q2ZC``, unique across fake servers.

        Like Slack's, ids never repeat, not even between two runs of the shell on the
        same database (the app keys requests by view id).
        """
        with self.lock:
            self._serial += 1
            return f"{prefix}0FAKE{self._serial:04d}{secrets.token_hex(3).upper()}"

    def record(
        self,
        method: str,
        args: dict[str, Any],
        *,
        authed: bool,
        status: int,
        response: dict[str, Any] | None,
        fault: str | None,
    ) -> None:
        """Append a call (deep-copied) and wake up ``wait_for`` callers."""
        call = {
            "method": method,
            "args": copy.deepcopy(args),
            "authed": authed,
            "status": status,
            "response": copy.deepcopy(response),
            "fault": fault,
            "at": time.time(),
        }
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def get_calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Deep copies of the recorded calls (of one method if given), oldest first."""
        with self.lock:
            found = [c for c in self.calls if method is None or c["method"] == method]
            return copy.deepcopy(found)

    def clear_calls(self) -> None:
        """Forget the recorded calls."""
        with self.lock:
            self.calls.clear()

    def wait_for(self, method: str, count: int, timeout: float) -> list[dict[str, Any]]:
        """Block until ``count`` calls of ``method`` are recorded; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c["method"] == method]
                if len(found) >= count:
                    return copy.deepcopy(found)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c["method"] for c in self.calls]
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {count} call(s) of {method!r}; "
                        f"got {len(found)}; recorded calls: {seen}"
                    )
                self._changed.wait(remaining)

    def add_fault(self, fault: Fault) -> None:
        """Queue a fault; faults are matched in the order they were added."""
        with self.lock:
            self.faults.append(fault)

    def clear_faults(self) -> None:
        """Remove every pending fault."""
        with self.lock:
            self.faults.clear()

    def take_fault(self, method: str) -> Fault | None:
        """Consume one use of the first fault matching ``method`` (or ``*``)."""
        with self.lock:
            for fault in self.faults:
                if fault.method not in (method, "*"):
                    continue
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self.faults.remove(fault)
                return copy.copy(fault)
            return None

    def find_message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The stored message of ``channel`` with this ``ts`` (not a copy)."""
        with self.lock:
            for message in self.channels.get(channel, []):
                if message["ts"] == ts:
                    return message
            return None

    def get_messages(self, channel: str) -> list[dict[str, Any]]:
        """Deep copies of a channel's messages, thread replies included, oldest first."""
        with self.lock:
            return copy.deepcopy(self.channels.get(channel, []))
