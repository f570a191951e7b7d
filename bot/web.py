"""HTTP mode: `POST /slack/events` and `GET /healthz`, served by gunicorn with uvicorn workers.

The WSGI application (`LeadcellWSGI`) checks, in this order, before Bolt sees a
request: the body size, the request signature, and the outer shape of the body
(bot.envelope). Each refusal is one WARNING line that never holds the body.

The server is gunicorn (process management, `WEB_CONCURRENCY` workers) with
uvicorn's asyncio workers in front of the WSGI application (a2wsgi runs it in a
pool of `WEB_THREADS` threads). A request reaches a thread only once its headers
and its whole body have arrived (`BufferedBody`), so clients that send slowly,
or connect and send nothing, cost an open socket and never a thread; see
bench/README.md for the measurements behind this choice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication
from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy import Engine

from bot.envelope import MAX_BODY_BYTES, body_problem
from bot.health import health_report
from bot.runtime.settings import Settings
from bot.runtime.slack_client import make_web_client
from bot.runtime.slack_identity import BotIdentity, TokenRefused
from bot.signing import signature_problem
from models.db import make_engine

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
#: Seconds a client has to send its whole body once its headers arrived.
BODY_TIMEOUT_SECONDS = 10.0
#: gunicorn's exit status for "a worker failed to boot": it stops the whole server.
WORKER_BOOT_ERROR = 3

_REASONS = {
    200: "200 OK",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    404: "404 Not Found",
    408: "408 Request Timeout",
    413: "413 Content Too Large",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}


class LeadcellWSGI:
    """`POST /slack/events` for Bolt, after the size, signature and shape checks; `GET /healthz`."""

    def __init__(
        self,
        app: App,
        *,
        engine: Engine,
        signing_secret: str,
        identity: BotIdentity | None = None,
    ) -> None:
        self.app = app
        self.engine = engine
        self.signing_secret = signing_secret
        self.identity = identity

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            healthy, report = health_report(self.engine, self.identity)
            return _answer(start_response, 200 if healthy else 503, report)
        if path != EVENTS_PATH or method != "POST":
            return _answer(start_response, 404, {"error": "not found"})
        response = self.events(environ)
        return _answer(start_response, response.status, response.body, response.headers)

    def events(self, environ: WSGIEnvironment) -> BoltResponse:
        """One `POST /slack/events`: refused with a 4xx, or Bolt's answer."""
        headers = _headers(environ)
        body = _read_body(environ)
        if body is None:
            return self._refuse(413, "body larger than 1 MB")
        problem = signature_problem(
            signing_secret=self.signing_secret,
            body=body,
            timestamp=headers.get("x-slack-request-timestamp"),
            signature=headers.get("x-slack-signature"),
        )
        if problem:
            return self._refuse(401, problem, error="invalid request signature")
        problem = body_problem(body, headers.get("content-type", ""))
        if problem:
            return self._refuse(413 if "larger" in problem else 400, problem)
        return self.app.dispatch(
            BoltRequest(
                body=body.decode("utf-8"),
                query=environ.get("QUERY_STRING", ""),
                headers=headers,
            )
        )

    @staticmethod
    def _refuse(status: int, problem: str, *, error: str | None = None) -> BoltResponse:
        log.warning("refused a request to %s: %s", EVENTS_PATH, problem)
        return BoltResponse(status=status, body={"error": error or problem})


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    headers = {}
    for key, value in environ.items():
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            headers[key.lower().replace("_", "-")] = str(value)
        elif key.startswith("HTTP_"):
            headers[key[5:].lower().replace("_", "-")] = str(value)
    return headers


def _read_body(environ: WSGIEnvironment) -> bytes | None:
    """The request body, or None when it is larger than MAX_BODY_BYTES."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    raw_length = str(environ.get("CONTENT_LENGTH") or "").strip()
    if raw_length.isdigit():
        length = int(raw_length)
        if length > MAX_BODY_BYTES:
            return None
        return bytes(stream.read(length))
    body = bytes(stream.read(MAX_BODY_BYTES + 1))  # no length given: read to the end
    return None if len(body) > MAX_BODY_BYTES else body


def _answer(
    start_response: StartResponse,
    status: int,
    body: dict[str, Any] | str,
    headers: dict[str, Any] | None = None,
) -> list[bytes]:
    data = (json.dumps(body) if isinstance(body, dict) else body).encode("utf-8")
    pairs: list[tuple[str, str]] = []
    for name, values in (headers or {}).items():
        if name.lower() == "content-length":
            continue
        for value in values if isinstance(values, list | tuple) else [values]:
            pairs.append((name, str(value)))
    if not any(name.lower() == "content-type" for name, _ in pairs):
        content_type = "application/json" if isinstance(body, dict) else "text/plain"
        pairs.append(("Content-Type", f"{content_type};charset=utf-8"))
    pairs.append(("Content-Length", str(len(data))))
    start_response(_REASONS.get(status, f"{status} Status"), pairs)
    return [data]


# --- ASGI in front of the WSGI application -------------------------------------------------

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BufferedBody:
    """ASGI middleware: the inner app starts only once the whole body has arrived.

    a2wsgi starts the WSGI application as soon as the headers are in and lets it
    read the body as it trickles in, so a client sending its body slowly would
    hold a thread. Here the body is read on the event loop first, within
    `timeout` seconds (else 408) and up to `max_bytes` (else 413).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int = MAX_BODY_BYTES,
        timeout: float = BODY_TIMEOUT_SECONDS,
    ) -> None:
        self.app, self.max_bytes, self.timeout = app, max_bytes, timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await _asgi_refuse(send, 413, "body larger than 1 MB")
            return
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = bytes(message.get("body", b""))
                    size += len(chunk)
                    if size > self.max_bytes:
                        await _asgi_refuse(send, 413, "body larger than 1 MB")
                        return
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            await _asgi_refuse(send, 408, f"body not received within {self.timeout:g} s")
            return
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as a server would

        await self.app(scope, replay, send)


async def _asgi_refuse(send: Send, status: int, problem: str) -> None:
    log.warning("refused a request: %s", problem)
    data = json.dumps({"error": problem}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json;charset=utf-8"),
                (b"content-length", str(len(data)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def build_wsgi(settings: Settings) -> LeadcellWSGI:
    """The WSGI application of `leadcell web`, on its own engine.

    Raises TokenRefused when Slack refuses the bot token for good; when Slack
    does not answer, the application is built anyway and asks again later.
    """
    from bot.app import create_app

    settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    identity = BotIdentity(
        make_web_client(settings, timeout=5, retries=0),
        token=settings.slack_bot_token or "",
        on_refused=_stop_this_worker,
    ).learn()
    engine = make_engine(settings.database_url)
    app = create_app(settings, engine, identity=identity)
    return LeadcellWSGI(
        app,
        engine=engine,
        signing_secret=settings.slack_signing_secret or "",
        identity=identity,
    )


def build_asgi(wsgi: LeadcellWSGI, *, threads: int) -> ASGIApp:
    """The WSGI application behind a2wsgi, with the whole body read first."""
    from a2wsgi import WSGIMiddleware

    return BufferedBody(WSGIMiddleware(wsgi, workers=threads))  # type: ignore[arg-type]


def _stop_this_worker(refusal: TokenRefused) -> None:
    """Slack refused the token after the worker started: stop it gracefully.

    gunicorn starts a new worker, whose start-up check meets the refusal and
    stops the whole server with the message.
    """
    os.kill(os.getpid(), signal.SIGTERM)


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn configured from code; each worker builds its own App and engine."""

    def __init__(self, load: Callable[[], Any], options: dict[str, Any]) -> None:
        self._load = load
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        try:
            return self._load()
        except TokenRefused as refusal:
            log.error("%s", refusal)
            sys.exit(WORKER_BOOT_ERROR)  # gunicorn then stops: "Worker failed to boot."


def check_token_at_start(settings: Settings) -> None:
    """Ask `auth.test` once before serving: raise TokenRefused on a refusal, else go on."""
    identity = BotIdentity(
        make_web_client(settings, timeout=5, retries=0), token=settings.slack_bot_token or ""
    )
    if identity.check_once() == "refused":
        assert identity.refusal is not None
        raise identity.refusal
    if identity.state == "unknown":
        log.warning(
            "Slack did not answer auth.test (%s): starting anyway; Slack calls may fail until "
            "it answers",
            identity.last_error,
        )


def serve(settings: Settings, *, host: str = "0.0.0.0", port: int | None = None) -> None:
    """Run `leadcell web` until stopped: gunicorn, WEB_CONCURRENCY uvicorn workers."""
    from bot.runtime.logs import GUNICORN_LOGGER_CLASS

    settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    check_token_at_start(settings)
    options = {
        "bind": f"{host}:{port or settings.port}",
        "workers": settings.web_concurrency,
        "worker_class": "uvicorn_worker.UvicornWorker",
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": None,
        "loglevel": settings.log_level.lower(),
        "logger_class": GUNICORN_LOGGER_CLASS,
    }
    threads = settings.web_threads
    _Gunicorn(lambda: build_asgi(build_wsgi(settings), threads=threads), options).run()
