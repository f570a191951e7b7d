"""A worker's hold on one ledger entry while it posts, renewed before every Slack call.

The rule that keeps a post single: a worker calls Slack only while its lease
covers the whole call, and a lease is only taken over once it has run out. So
before each call the holder renews its lease (a conditional UPDATE that fails
if someone else took the row) far enough to cover the call; the HTTP timeout
of a call is shorter than a lease; and a retry after a rate limit sleeps only
with a lease renewed to cover the sleep and the next call. A worker that lost
its lease stops before posting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from models import ledger
from models.db import session_scope


class LeaseLost(Exception):
    """Another worker holds the post now (or it is finished): stop without calling Slack."""


class RetryLater(Exception):
    """Slack asked for a pause longer than a lease: give the post back until then."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"rate limited for {seconds:g} s")
        self.seconds = seconds


def elapsed_clock(start: datetime) -> Callable[[], datetime]:
    """A clock that starts at `start` and runs at the speed of the real one."""
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


@dataclass
class Lease:
    """One claim on one ledger entry, named `holder` in the ledger."""

    engine: Engine
    entry_id: int
    holder: str
    length: timedelta
    clock: Callable[[], datetime]
    sending: str | None = None

    @property
    def call_timeout(self) -> float:
        """The longest a Slack call may take: half a lease."""
        return self.length.total_seconds() / 2

    def hold(self, sending: str, *, calls: int = 1) -> None:
        """Renew the lease to cover `calls` Slack calls from now, about `sending`."""
        self.sending = sending
        self._renew(timedelta(seconds=self.call_timeout * (calls - 1)))

    def extend(self, pause: float) -> None:
        """Renew the lease to cover a pause of `pause` seconds and the call after it."""
        self._renew(timedelta(seconds=pause))

    def _renew(self, extra: timedelta) -> None:
        until = self.clock() + extra + self.length
        with session_scope(self.engine) as session:
            if not ledger.renew(
                session,
                entry_id=self.entry_id,
                worker=self.holder,
                until=until,
                sending=self.sending,
            ):
                raise LeaseLost(f"{self.holder} no longer holds ledger entry {self.entry_id}")
