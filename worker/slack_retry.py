"""The Slack client a worker posts with: retries that never outlive the worker's lease.

slack_sdk's retry handlers sleep in the calling thread; the built-in ones do
not know about leases. These two replace them while a ledger entry is posted:

- a 429 is retried after its Retry-After only when that pause fits in a lease,
  and only after the lease was renewed to cover the pause and the next call;
  a longer pause gives the post back to the ledger until then (RetryLater);
- a 5xx or a dropped connection is retried here only for calls that change
  nothing in Slack (reading history, asking for an upload URL). A message or a
  file share that may have reached Slack is never repeated blindly: the
  attempt fails, and the next one reads the channel first.
"""

from __future__ import annotations

import time

from slack_sdk import WebClient
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from worker.failures import NETWORK_ERRORS, retry_after_seconds
from worker.lease import Lease, RetryLater

#: Slack methods that a worker may repeat without a second effect.
READS = frozenset({"conversations.history", "conversations.replies", "files.getUploadURLExternal"})
#: Tries of one call within one attempt (after the first).
RETRIES = 3


def _method(request: HttpRequest) -> str:
    return request.url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]


class LeasedRateLimitRetry(RetryHandler):
    """Retries a 429 after Retry-After, under a lease renewed to cover the wait."""

    def __init__(self, lease: Lease, max_retry_count: int = RETRIES) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.lease = lease

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code == 429

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        pause = (retry_after_seconds(response.headers) if response is not None else None) or 1.0
        if pause > self.lease.length.total_seconds():
            raise RetryLater(pause)
        self.lease.extend(pause)  # LeaseLost when another worker has the post
        state.next_attempt_requested = True
        time.sleep(pause)
        state.increment_current_attempt()


class LeasedReadRetry(RetryHandler):
    """Retries reads after a 5xx or a dropped connection, with backoff, under the lease."""

    def __init__(self, lease: Lease, max_retry_count: int = RETRIES) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.lease = lease

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if _method(request) not in READS:
            return False
        if response is not None:
            return response.status_code in (500, 502, 503, 504)
        return isinstance(error, NETWORK_ERRORS)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        pause = self.interval_calculator.calculate_sleep_duration(state.current_attempt)
        self.lease.extend(pause)
        state.next_attempt_requested = True
        time.sleep(pause)
        state.increment_current_attempt()


def posting_client(client: WebClient, lease: Lease) -> WebClient:
    """A client like `client` whose calls end within half a lease and retry under it."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=min(client.timeout, lease.call_timeout),  # type: ignore[arg-type]
        headers=dict(client.headers),
        retry_handlers=[LeasedRateLimitRetry(lease), LeasedReadRetry(lease)],
    )
