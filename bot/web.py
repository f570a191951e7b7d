"""HTTP mode: Bolt's WSGI adapter behind signature checks and `/healthz`, served by gunicorn."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from sqlalchemy import Engine

from bot.runtime.settings import Settings
from bot.signing import signature_problem
from models.db import database_answers, make_engine

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


class LeadcellWSGI(SlackRequestHandler):
    """`POST /slack/events` for Bolt, after the signature check; `GET /healthz`."""

    def __init__(self, app: App, *, engine: Engine, signing_secret: str) -> None:
        super().__init__(app, path=EVENTS_PATH)
        self.engine = engine
        self.signing_secret = signing_secret

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        body = request.get_body()
        headers = request.get_headers()
        problem = signature_problem(
            signing_secret=self.signing_secret,
            body=body.encode(),
            timestamp=_first(headers, "x-slack-request-timestamp"),
            signature=_first(headers, "x-slack-signature"),
        )
        if problem:
            log.warning("refused a request to %s: %s", EVENTS_PATH, problem)
            return BoltResponse(status=401, body={"error": "invalid request signature"})
        return self.app.dispatch(
            BoltRequest(body=body, query=request.query_string, headers=headers)
        )

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH:
            healthy = database_answers(self.engine)
            body = json.dumps({"ok": healthy, "database": "ok" if healthy else "unreachable"})
            start_response(
                "200 OK" if healthy else "503 Service Unavailable",
                [("Content-Type", "application/json")],
            )
            return [body.encode()]
        return super().__call__(environ, start_response)


def _first(headers: dict[str, Any], name: str) -> str | None:
    value = headers.get(name)
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value


def build_wsgi(settings: Settings) -> LeadcellWSGI:
    """The WSGI application of `leadcell web`, on its own engine."""
    from bot.app import create_app

    settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    engine = make_engine(settings.database_url)
    app = create_app(settings, engine)
    return LeadcellWSGI(app, engine=engine, signing_secret=settings.slack_signing_secret or "")


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn configured from code; each worker builds its own App and engine."""

    def __init__(self, load: Callable[[], LeadcellWSGI], options: dict[str, Any]) -> None:
        self._load = load
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> LeadcellWSGI:
        return self._load()


def serve(settings: Settings, *, host: str = "0.0.0.0", port: int | None = None) -> None:
    """Run `leadcell web`: gunicorn with threaded workers until stopped."""
    settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    options = {
        "bind": f"{host}:{port or settings.port}",
        "workers": settings.web_concurrency,
        "worker_class": "gthread",
        "threads": settings.web_threads,
        "timeout": 30,
        "graceful_timeout": 10,
        "accesslog": None,
        "loglevel": settings.log_level.lower(),
    }
    _Gunicorn(lambda: build_wsgi(settings), options).run()
