"""Slack request signatures, checked before a request reaches Bolt."""

from __future__ import annotations

import time
from collections.abc import Callable

from slack_sdk.signature import Clock, SignatureVerifier

MAX_SKEW_SECONDS = 300


class _FixedClock(Clock):
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


def signature_problem(
    *,
    signing_secret: str,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    now: Callable[[], float] = time.time,
) -> str | None:
    """Why a request's signature is not acceptable, or None when it is.

    The reason is for the logs; it never contains the body or the signature.
    """
    if not timestamp or not signature:
        return "missing signature headers"
    if not timestamp.isdigit():
        return "non-numeric timestamp header"
    if abs(now() - int(timestamp)) > MAX_SKEW_SECONDS:
        return "timestamp more than 5 minutes away"
    verifier = SignatureVerifier(signing_secret, clock=_FixedClock(now))
    if not verifier.is_valid(body=body, timestamp=timestamp, signature=signature):
        return "signature mismatch"
    return None


def sign(*, signing_secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    """Headers that sign `body` as Slack would (for the shell, tests and benchmarks)."""
    signature = SignatureVerifier(signing_secret).generate_signature(
        timestamp=str(timestamp), body=body
    )
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}
