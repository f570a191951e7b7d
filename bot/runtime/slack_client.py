"""The Slack Web API client, with slack_sdk's retry handlers."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from bot.runtime.settings import Settings

RETRIES = 3


def make_web_client(settings: Settings, *, timeout: int = 10, retries: int = RETRIES) -> WebClient:
    """A WebClient on SLACK_API_URL that retries rate limits, 5xx and dropped connections.

    `retries=0` gives a client that tries once (for checks that retry on their own terms).
    """
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        retry_handlers=_retry_handlers(retries),
    )


def _retry_handlers(retries: int = RETRIES) -> list[Any]:
    if retries == 0:
        return []
    return [
        ConnectionErrorRetryHandler(max_retry_count=retries),
        RateLimitErrorRetryHandler(max_retry_count=retries),
        ServerErrorRetryHandler(max_retry_count=retries),
    ]


def respond(response_url: str, message: dict[str, Any], *, timeout: int = 10) -> int:
    """Post to an interaction's `response_url` with the same retries as the Web API client.

    Bolt's own `respond()` has no retry handlers; this one does. Returns the HTTP status.
    """
    client = WebhookClient(response_url, timeout=timeout, retry_handlers=_retry_handlers())
    return client.send_dict(message).status_code
