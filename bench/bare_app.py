"""The benchmark's baseline: a bare Bolt app whose `/call` listener only acks.

It runs behind the same front as leadcell (`bot.web.LeadcellWSGI`, so the
request signature and the body's shape are checked the same way and `GET
/healthz` answers) and on the same server: `bot.web.serve`, i.e. gunicorn with
WEB_CONCURRENCY uvicorn workers, each running the WSGI front through
`bot.web.build_asgi` (the whole body read first, then a2wsgi's pool of
WEB_THREADS threads), with `bot.web.build_wsgi` swapped for `build_bare_wsgi`
below. Both stacks therefore share every server option by construction; only
the Bolt app behind the front differs.

Run it on its own (bench/call_http.py does this for you):

    SLACK_BOT_TOKEN=xoxb-bench SLACK_SIGNING_SECRET=secret \
    SLACK_API_URL=http://127.0.0.1:PORT_OF_FAKE/api/ \
    python bench/bare_app.py --port 3001

Settings come from the environment like `leadcell web`; DATABASE_URL is not
used (`/healthz` checks a private in-memory SQLite engine). Like leadcell, the
App calls `auth.test` when it is built, so SLACK_API_URL must point at a
Slack API that answers it: `leadcell fake-slack --port N` does.

`create_wsgi()` returns the WSGI callable for other servers, e.g.
`gunicorn -k gthread --workers 2 --threads 4 --chdir bench 'bare_app:create_wsgi()'`
(bench/README.md compares such servers).
"""

from __future__ import annotations

import argparse
import logging
import sys

from slack_bolt import Ack, App
from slack_sdk import WebClient

import bot.web
from bot.runtime.logs import setup_logging
from bot.runtime.settings import Settings, SettingsError, load_settings
from models.db import make_engine


def build_bare_wsgi(settings: Settings) -> bot.web.LeadcellWSGI:
    """A Bolt App with one `/call` listener that acks with an empty body, behind leadcell's front.

    Same App options as `bot.app.create_app` (process_before_response, signature
    checked in front of Bolt, the token checked with auth.test at build time);
    no database work, no Web API call per request.
    """
    settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    app = App(
        client=WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url),
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=True,
        request_verification_enabled=False,
        token_verification_enabled=True,
        logger=logging.getLogger("bench.bare"),
    )

    @app.command("/call")
    def ack_only(ack: Ack) -> None:
        ack()

    return bot.web.LeadcellWSGI(
        app, engine=make_engine("sqlite://"), signing_secret=settings.slack_signing_secret or ""
    )


def create_wsgi() -> bot.web.LeadcellWSGI:
    """The bare WSGI application, with settings read from the environment."""
    return build_bare_wsgi(load_settings(env_file=None))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, help="port to listen on (default: PORT or 3000)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"bare_app: cannot start:\n{exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level)
    # bot.web.serve() builds each worker's app through the module-level name
    # `build_wsgi`; swapping it keeps every gunicorn option identical to `leadcell web`.
    bot.web.build_wsgi = build_bare_wsgi
    bot.web.serve(settings, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
