"""Which failures a later try can fix, and which calls a worker may repeat at once."""

from __future__ import annotations

from datetime import timedelta
from http.client import RemoteDisconnected
from urllib.error import URLError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.web import SlackResponse
from sqlalchemy import Engine

from bot.local.fake_slack import FakeSlack
from tests.worker.test_posting import DUE, composer, entry_for, load, texts
from worker.failures import Failure, classify
from worker.posting import deliver


def slack_error(code: str, status: int = 200, headers: dict[str, str] | None = None) -> Exception:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={},
        data={"ok": False, "error": code},
        headers=headers or {},
        status_code=status,
    )
    return SlackApiError(f"The request to the Slack API failed: {code}", response)


@pytest.mark.parametrize(
    "code",
    [
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "missing_scope",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "invalid_blocks",
        "msg_too_long",
        "no_text",
    ],
)
def test_errors_no_retry_can_fix_are_permanent(code: str) -> None:
    assert classify(slack_error(code)) == Failure(code, transient=False)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (slack_error("ratelimited", 429, {"Retry-After": "55"}), Failure("ratelimited", True, 55)),
        (slack_error("internal_error", 500), Failure("internal_error", True)),
        (slack_error("service_unavailable", 503), Failure("service_unavailable", True)),
        (slack_error("fatal_error"), Failure("fatal_error", True)),
        (slack_error("request_timeout"), Failure("request_timeout", True)),
        (TimeoutError("timed out"), Failure("timeout", True)),
        (URLError(TimeoutError("timed out")), Failure("timeout", True)),
        (URLError(ConnectionRefusedError(111, "refused")), Failure("connection_error", True)),
        (RemoteDisconnected("closed"), Failure("connection_error", True)),
        (ConnectionResetError(104, "reset"), Failure("connection_error", True)),
        (
            SlackRequestError("Failed to upload a file (status: 500)"),
            Failure("upload_failed", True),
        ),
    ],
)
def test_rate_limits_server_errors_and_network_errors_are_transient(
    error: Exception, expected: Failure
) -> None:
    assert classify(error) == expected


@pytest.fixture
def app_client(fake_slack: FakeSlack) -> WebClient:
    """A client with the retry handlers of the app's own (bot.runtime.slack_client)."""
    return WebClient(
        token="xoxb-test",
        base_url=fake_slack.url,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=3),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=3),
        ],
    )


def test_a_message_whose_connection_dropped_is_not_sent_again_in_the_same_try(
    roster: Engine, fake_slack: FakeSlack, app_client: WebClient
) -> None:
    # Slack may have stored a message whose answer never came: only a later try, which
    # reads the channel first, may send it again.
    entry_id = entry_for(roster)
    fake_slack.add_fault("chat.postMessage", "drop", count=1)
    status = deliver(roster, app_client, entry_id=entry_id, worker="w", compose=composer, now=DUE)
    assert status == "pending"
    assert len(fake_slack.calls("chat.postMessage")) == 1
    assert load(roster, entry_id).last_error == "post:connection_error"
    later = load(roster, entry_id).next_attempt_at
    assert deliver(
        roster, app_client, entry_id=entry_id, worker="w", compose=composer, now=later
    ) == ("sent")
    assert fake_slack.calls("conversations.history")
    assert len(texts(fake_slack)) == 2


def test_reads_are_retried_at_once_after_a_server_error(
    roster: Engine, fake_slack: FakeSlack, app_client: WebClient
) -> None:
    entry_id = entry_for(roster)
    fake_slack.add_fault("chat.postMessage", "server_error", count=1, status=500)
    deliver(roster, app_client, entry_id=entry_id, worker="w", compose=composer, now=DUE)
    fake_slack.clear_calls()
    fake_slack.add_fault("conversations.history", "server_error", count=1, status=503)
    later = load(roster, entry_id).next_attempt_at + timedelta(seconds=1)
    assert deliver(
        roster, app_client, entry_id=entry_id, worker="w", compose=composer, now=later
    ) == ("sent")
    assert [c["status"] for c in fake_slack.calls("conversations.history")] == [503, 200]
    assert len(texts(fake_slack)) == 2
