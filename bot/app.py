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


def create_app(
    settings: Settings,
    engine: Engine,
    *,
    client: WebClient | None = None,
    listener_executor: Executor | None = None,
) -> App:
    """Build the App: listeners run before the HTTP response, slow work in lazy listeners.

    `process_before_response=True` answers each request as soon as its ack
    function returns; Web API calls happen in lazy listeners afterwards. Request
    signatures are checked in front of Bolt (see bot.web) so that a bad header
    is always a 401 and request bodies never reach the logs. The bot token is
    checked with `auth.test` when the App is built, so a wrong token stops the start.
    """
    settings.require("SLACK_BOT_TOKEN")
    executor = listener_executor or ThreadPoolExecutor(max_workers=5)
    app = App(
        client=client or make_web_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=True,
        request_verification_enabled=False,
        token_verification_enabled=True,
        listener_executor=executor,
        logger=logging.getLogger("leadcell.bolt"),
    )
    deps = Deps(engine=engine, settings=settings, background=executor)
    app.use(attach(deps))
    for family in FAMILIES:
        if len(inspect.signature(family.register).parameters) == 1:
            family.register(app)
        else:  # a family still wired with closures
            family.register(app, deps)
    app.error(handle_unexpected)
    return app
