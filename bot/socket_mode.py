"""`leadcell socket`: the App under Bolt's Socket Mode handler, for workspaces without a URL.

Slack hands the app each slash command, interaction and event over a WebSocket that
the app opens with its app-level token (``SLACK_APP_TOKEN``, scope connections:write);
Bolt acknowledges each envelope with the listener's answer, and slack_sdk's client
opens a new link when Slack asks for it (``disconnect``) or the link drops.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.runtime.settings import Settings
from models.db import make_engine

log = logging.getLogger(__name__)

#: Bolt's handler runs this many envelopes at once (slack_sdk's default is 10).
CONCURRENCY = 10

BAD_BOT_TOKEN = (
    "leadcell socket: Slack refused SLACK_BOT_TOKEN ({error}): copy the Bot User OAuth Token "
    "of the installed app, for example SLACK_BOT_TOKEN=xoxb-your-bot-token"
)
BAD_APP_TOKEN = (
    "leadcell socket: Slack refused SLACK_APP_TOKEN ({error}): create an app-level token "
    "with the connections:write scope, for example SLACK_APP_TOKEN=xapp-your-app-level-token"
)
UNREACHABLE = (
    "leadcell socket: could not reach Slack at {url} ({error}); check the network and "
    "SLACK_API_URL, for example SLACK_API_URL=https://slack.com/api/"
)


def run_socket_mode(settings: Settings, *, stop: threading.Event | None = None) -> int:
    """Connect in Socket Mode and serve until SIGTERM, SIGINT or ``stop``; the exit code.

    A refused token or an unreachable Slack is one line on stderr and exit code 2.
    """
    settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    from bot.app import create_app

    engine = make_engine(settings.database_url)
    handler: SocketModeHandler | None = None
    try:
        try:
            app = create_app(settings, engine)
        except BoltError as exc:
            print(BAD_BOT_TOKEN.format(error=_slack_error(exc)), file=sys.stderr)
            return 2
        except (SlackClientError, OSError) as exc:
            print(UNREACHABLE.format(url=settings.slack_api_url, error=exc), file=sys.stderr)
            return 2
        client_log = logging.getLogger("leadcell.socket")
        handler = SocketModeHandler(
            app, settings.slack_app_token, logger=client_log, concurrency=CONCURRENCY
        )
        client_log.disabled = True  # a refusal at start is reported below, in one line
        try:
            handler.connect()
        except SlackApiError as exc:
            print(BAD_APP_TOKEN.format(error=exc.response.get("error")), file=sys.stderr)
            return 2
        except (SlackClientError, OSError) as exc:
            print(UNREACHABLE.format(url=settings.slack_api_url, error=exc), file=sys.stderr)
            return 2
        finally:
            client_log.disabled = False
        log.info("connected to Slack in Socket Mode")
        _wait(stop or threading.Event())
        return 0
    finally:
        if handler is not None:
            handler.close()
        engine.dispose()


def _slack_error(exc: BoltError) -> str:
    """The Web API error code in Bolt's auth.test failure message (never the token)."""
    text = str(exc)
    for code in ("invalid_auth", "not_authed", "account_inactive", "token_revoked"):
        if code in text:
            return code
    return "auth.test failed"


def _wait(stop: threading.Event) -> None:
    """Block until ``stop`` is set or the process is asked to end."""

    def ask_to_stop(signum: int, frame: FrameType | None) -> None:
        log.info("stopping Socket Mode (signal %s)", signum)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, ask_to_stop)
        signal.signal(signal.SIGINT, ask_to_stop)
    stop.wait()
