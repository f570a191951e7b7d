"""Why a Slack call failed, and whether trying again later can help: one policy table.

Transient failures (rate limits, Slack's 5xx and its own "try again" errors,
dropped connections, timeouts) are retried with backoff within the post's grace
window. Every other error Slack answers (channel_not_found, not_in_channel,
is_archived, missing_scope, invalid_auth, account_inactive, invalid_blocks, …)
will be answered again the same way, so the post fails at once with that code.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.error import HTTPError, URLError

from slack_sdk.errors import SlackApiError, SlackClientError, SlackRequestError

#: Slack error codes that mean "not now" rather than "no".
TRANSIENT_ERRORS = frozenset(
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
        "team_added_to_org",
    }
)
#: HTTP statuses of a Slack answer worth another try.
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

#: Exceptions from the network rather than from Slack.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (OSError, http.client.HTTPException)


@dataclass(frozen=True)
class Failure:
    """A failed Slack call: a short code (Slack's own when it gave one) and what to do."""

    code: str
    transient: bool
    #: Seconds Slack asked us to wait (429 Retry-After), if it said.
    retry_after: float | None = None


def classify(exc: BaseException) -> Failure:
    """The code of a failed call and whether a later try may succeed."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        data = response.data if isinstance(response.data, dict) else {}
        status = int(response.status_code or 0)
        code = str(data.get("error") or f"http_{status}")
        retry_after = retry_after_seconds(response.headers) if status == 429 else None
        transient = code in TRANSIENT_ERRORS or status in TRANSIENT_STATUSES
        return Failure(code, transient, retry_after)
    if isinstance(exc, SlackRequestError) and str(exc).startswith("Failed to upload a file"):
        return Failure("upload_failed", True)  # the upload URL answered an error status
    if isinstance(exc, SlackClientError):
        return Failure(type(exc).__name__, False)
    if isinstance(exc, HTTPError):
        return Failure(f"http_{exc.code}", exc.code in TRANSIENT_STATUSES)
    if isinstance(exc, TimeoutError) or (
        isinstance(exc, URLError) and isinstance(exc.reason, TimeoutError)
    ):
        return Failure("timeout", True)
    if isinstance(exc, NETWORK_ERRORS):
        return Failure("connection_error", True)
    return Failure(type(exc).__name__, False)


def retry_after_seconds(headers: object) -> float | None:
    """Retry-After from a response's headers (a dict of str or of lists), in seconds."""
    if not isinstance(headers, dict):
        return None
    for name, value in headers.items():
        if str(name).lower() == "retry-after":
            raw = value[0] if isinstance(value, list) and value else value
            try:
                return max(0.0, float(str(raw)))
            except ValueError:
                return None
    return None
