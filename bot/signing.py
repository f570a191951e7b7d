"""Slack request signatures, checked before a request reaches Bolt.

The signature is an HMAC-SHA256 of the raw body bytes. slack_sdk's
SignatureVerifier decodes the body as UTF-8 first and raises on any other
bytes, so a signed non-UTF-8 body would crash it: the HMAC is computed here on
the bytes, with the same recipe (`v0:{timestamp}:{body}`).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable

MAX_SKEW_SECONDS = 300


def _signature(signing_secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


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
    if not (timestamp.isascii() and timestamp.isdigit()):
        return "non-numeric timestamp header"
    if abs(now() - int(timestamp)) > MAX_SKEW_SECONDS:
        return "timestamp more than 5 minutes away"
    expected = _signature(signing_secret, timestamp, body).encode()
    if not hmac.compare_digest(expected, signature.encode("utf-8", "replace")):
        return "signature mismatch"
    return None


def sign(*, signing_secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    """Headers that sign `body` as Slack would (for the shell, tests and benchmarks)."""
    signature = _signature(signing_secret, str(timestamp), body)
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}
