"""The one factory that builds leadcell's Bolt App, for every runtime mode."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.commands import admin, call, lead, lead_actions, platform
from bot.deps import Deps, attach
from bot.errors import handle_unexpected
from bot.runtime.settings import Settings
from bot.runtime.slack_client import make_web_client
from bot.runtime.slack_identity import BotIdentity

FAMILIES = (call, lead, lead_actions, admin, platform)


class InlineExecutor(Executor):
    """Runs each submitted function at once, so lazy listeners finish before dispatch returns.

    For the local shell and listener tests, where "after the response" may as
    well mean "before the next prompt".
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future
            future.set_exception(exc)
        return future


class _SkipTokenUnusedWarning(logging.Filter):
    """Drops Bolt's "`token` will be unused" warning.

    Bolt reads SLACK_BOT_TOKEN from the environment on its own and warns that it
    ignores it because a client was given; leadcell gives the token through its
    settings and `authorize` on purpose, so the warning says nothing useful.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


BOLT_LOGGER = "leadcell.bolt"
logging.getLogger(BOLT_LOGGER).addFilter(_SkipTokenUnusedWarning())


def create_app(
    settings: Settings,
    engine: Engine,
    *,
    client: WebClient | None = None,
    listener_executor: Executor | None = None,
    identity: BotIdentity | None = None,
) -> App:
    """Build the App: listeners run before the HTTP response, slow work in lazy listeners.

    `process_before_response=True` answers each request as soon as its ack
    function returns; Web API calls happen in lazy listeners afterwards. Request
    signatures are checked in front of Bolt (see bot.web) so that a bad header
    is always a 401 and request bodies never reach the logs.

    The bot token reaches Bolt through `authorize` (bot.runtime.slack_identity),
    so no request ever waits for `auth.test`: the identity is asked once here
    (unless given), a definite refusal of the token raises TokenRefused, and
    Slack not answering only starts background retries.
    """
    settings.require("SLACK_BOT_TOKEN")
    executor = listener_executor or ThreadPoolExecutor(max_workers=5)
    token = settings.slack_bot_token or ""
    client = client or make_web_client(settings)
    if identity is None:
        identity = BotIdentity(_probe_client(client), token=token).learn()
    app = App(
        # Tokenless: Bolt then takes the token from `authorize` for each request.
        client=_tokenless(client),
        authorize=identity.bolt_authorize(),
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=True,
        request_verification_enabled=False,
        listener_executor=executor,
        logger=logging.getLogger(BOLT_LOGGER),
    )
    # Bolt chose its authorization from the tokenless client above; `app.client` is also
    # used outside requests (cards refreshed from the CLI, tests), so it gets the token now.
    app.client.token = token
    deps = Deps(engine=engine, settings=settings, background=executor)
    app.use(attach(deps))
    for family in FAMILIES:
        if len(inspect.signature(family.register).parameters) == 1:
            family.register(app)
        else:  # a family still wired with closures
            family.register(app, deps)
    app.error(handle_unexpected)
    return app


def _tokenless(client: WebClient) -> WebClient:
    """The same client settings (base URL, timeout, retries) without a token."""
    return WebClient(
        token=None,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=dict(client.headers),
        retry_handlers=list(client.retry_handlers),
        logger=client.logger,
    )


def _probe_client(client: WebClient) -> WebClient:
    """A client for `auth.test` at start: a short timeout and no retries of its own."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=min(client.timeout, 5),
        retry_handlers=[],
        logger=client.logger,
    )
