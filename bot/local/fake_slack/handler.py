"""HTTP side of the fake Slack: routing, body parsing, fault injection, control endpoints."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import asdict
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

from bot.local.fake_slack.files import store_upload
from bot.local.fake_slack.methods import dispatch, response_url_errors
from bot.local.fake_slack.scopes import fingerprint
from bot.local.fake_slack.state import State, make_fault

logger = logging.getLogger("bot.local.fake_slack")

JSON_ARGS = ("blocks", "attachments", "view", "files", "metadata")
API_PREFIX = "/api/"
RESPONSE_PREFIX = "/_fake/response/"
UPLOAD_PREFIX = "/_fake/upload/"

# status, response to record, body bytes, content type, extra headers
Reply = tuple[int, dict[str, Any], bytes, str, dict[str, str]]


def json_reply(
    status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
) -> Reply:
    """A JSON reply that is also recorded as the call's response."""
    body = json.dumps(payload).encode()
    return status, payload, body, "application/json; charset=utf-8", dict(headers or {})


def text_reply(status: int, text: str, recorded: dict[str, Any]) -> Reply:
    """A plain-text reply (response_url, uploads) recorded as ``recorded``."""
    return status, recorded, text.encode(), "text/plain; charset=utf-8", {}


def parse_multipart(body: bytes, content_type: str) -> list[tuple[str | None, bytes]]:
    """(field name, payload) of each part of a multipart/form-data body."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    payloads = message.get_payload()
    if not message.is_multipart() or not isinstance(payloads, list):
        return []
    parts: list[tuple[str | None, bytes]] = []
    for part in payloads:
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        parts.append((str(name) if name else None, payload if isinstance(payload, bytes) else b""))
    return parts


def parse_args(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    """Merge query string and body (form, JSON or multipart) into one dict of arguments.

    String values of blocks/attachments/view/files/metadata are JSON-decoded when possible.
    Raises ValueError on a JSON body that is not an object.
    """
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";", 1)[0].strip().lower()
    if body and kind == "application/json":
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError("JSON body must be an object")
        args.update(data)
    elif body and kind == "multipart/form-data":
        for name, payload in parse_multipart(body, content_type):
            if name:
                args[name] = payload.decode("utf-8", "replace")
    elif body:
        args.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    for key in JSON_ARGS:
        value = args.get(key)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                args[key] = json.loads(value)
    return args


class FakeHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that carries the fake's State."""

    daemon_threads = True
    #: socketserver's default backlog of 5 resets bursts of concurrent clients.
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], state: State) -> None:
        super().__init__(address, FakeRequestHandler)
        self.state = state


class FakeRequestHandler(BaseHTTPRequestHandler):
    """One HTTP request to the fake Slack."""

    server: FakeHTTPServer
    server_version = "FakeSlack/1.0"

    def do_GET(self) -> None:
        """Handle GET."""
        self._route("GET")

    def do_POST(self) -> None:
        """Handle POST."""
        self._route("POST")

    def do_DELETE(self) -> None:
        """Handle DELETE."""
        self._route("DELETE")

    def log_message(self, format: str, *args: Any) -> None:
        """Send access logs to the debug logger instead of stderr."""
        logger.debug("%s - %s", self.address_string(), format % args)

    @property
    def state(self) -> State:
        """The shared fake state."""
        return self.server.state

    def _route(self, verb: str) -> None:
        """Dispatch by path; a bug answers 500 instead of killing the connection."""
        url = urlsplit(self.path)
        path = url.path
        try:
            body = self._read_body()
            if path.startswith(API_PREFIX) and verb in ("GET", "POST"):
                self._api(path[len(API_PREFIX) :], url.query, body)
            elif path.startswith(RESPONSE_PREFIX) and verb == "POST":
                self._response_url(path[len(RESPONSE_PREFIX) :], body)
            elif path.startswith(UPLOAD_PREFIX) and verb == "POST":
                self._upload(path[len(UPLOAD_PREFIX) :], body)
            else:
                self._control(verb, path, url.query, body)
        except Exception as exc:  # pragma: no cover - defensive
            logger.exception("fake Slack failed on %s %s", verb, self.path)
            self._send(json_reply(500, {"ok": False, "error": f"fake_slack_bug: {exc}"}))

    def _read_body(self) -> bytes:
        """The request body (Content-Length bytes; empty without it)."""
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, reply: Reply, headers: dict[str, str] | None = None) -> None:
        """Write a reply; a client that already went away is not an error."""
        status, _, body, content_type, own_headers = reply
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in {**own_headers, **(headers or {})}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            logger.debug("client closed the connection before the reply")

    def _drop(self) -> None:
        """Close the connection without writing any response."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _with_faults(
        self, method: str, args: dict[str, Any], authed: bool, run: Callable[[], Reply]
    ) -> None:
        """Apply the next matching fault (if any) or ``run`` the call, then record it.

        Fault kinds: ``ratelimit`` (429 with Retry-After, nothing done), ``server_error``
        (the fault's 5xx status, nothing done), ``drop`` (the connection is closed without
        an answer, nothing done), ``store_then_drop`` (the call is performed, so a message
        is stored, then the connection is closed without an answer: "Slack has it, the
        client gave up"), and ``delay`` (the call is performed at once and its answer
        held for the fault's seconds, so a client that times out first still finds the
        effect in place).
        """
        fault = self.state.take_fault(method)
        kind = fault.kind if fault else None
        if kind == "drop":
            self.state.record(method, args, authed=authed, status=0, response=None, fault=kind)
            self._drop()
            return
        if kind == "store_then_drop":
            performed = run()
            self.state.record(
                method, args, authed=authed, status=0, response=performed[1], fault=kind
            )
            self._drop()
            return
        headers: dict[str, str] = {}
        if fault is not None and kind == "ratelimit":
            reply = json_reply(429, {"ok": False, "error": "ratelimited"})
            headers["Retry-After"] = str(fault.retry_after)
        elif fault is not None and kind == "server_error":
            reply = json_reply(fault.status, {"ok": False, "error": "internal_error"})
        else:
            reply = run()
            if fault is not None:  # delay: done already, answered late
                time.sleep(fault.seconds)
        self.state.record(
            method, args, authed=authed, status=reply[0], response=reply[1], fault=kind
        )
        self._send(reply, headers)

    def _token(self, args: dict[str, Any]) -> str:
        """The token from ``Authorization: Bearer`` or a ``token`` argument (always removed)."""
        token = str(args.pop("token", "") or "")
        auth = self.headers.get("Authorization", "")
        if auth.lower().startswith("bearer ") and auth[7:].strip():
            token = auth[7:].strip()
        return token

    def _api(self, method: str, query: str, body: bytes) -> None:
        """A Web API call: ``/api/<method>``."""
        try:
            args = parse_args(query, body, self.headers.get("Content-Type", ""))
            bad_json = False
        except ValueError:
            args, bad_json = dict(parse_qsl(query)), True
        token = self._token(args)

        def run() -> Reply:
            if bad_json:
                return json_reply(200, {"ok": False, "error": "invalid_json"})
            answer, headers = dispatch(self.state, method, args, token=token)
            return json_reply(200, answer, headers)

        self._with_faults(method, args, bool(token), run)

    def _response_url(self, key: str, body: bytes) -> None:
        """A post to a response_url, recorded as method ``response_url``."""
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            payload = None
        args = dict(payload) if isinstance(payload, dict) else {}
        args["key"] = key

        def run() -> Reply:
            if not isinstance(payload, dict):
                return text_reply(400, "invalid_payload", {"ok": False, "error": "invalid_payload"})
            errors = response_url_errors(payload)
            if errors:
                recorded = {"ok": False, "error": "invalid_blocks", "errors": errors}
                return text_reply(400, "invalid_blocks", recorded)
            return text_reply(200, "ok", {"ok": True})

        self._with_faults("response_url", args, False, run)

    def _upload(self, file_id: str, body: bytes) -> None:
        """The upload step of files_upload_v2: keep the raw body (or first multipart part)."""
        content_type = self.headers.get("Content-Type", "")
        content = body
        if content_type.lower().startswith("multipart/form-data"):
            parts = parse_multipart(body, content_type)
            content = parts[0][1] if parts else b""
        if not store_upload(self.state, file_id, content):
            self._send(text_reply(404, "file_not_found", {}))
            return
        self._send(text_reply(200, f"OK - {len(content)}", {}))

    def _control(self, verb: str, path: str, query: str, body: bytes) -> None:
        """The ``/_fake/...`` endpoints used by tests and the demo shell."""
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        state = self.state
        ok = json_reply(200, {"ok": True})
        if (verb, path) == ("GET", "/_fake/calls"):
            self._send(json_reply(200, {"calls": state.get_calls(params.get("method"))}))
        elif (verb, path) == ("DELETE", "/_fake/calls"):
            state.clear_calls()
            self._send(ok)
        elif (verb, path) == ("GET", "/_fake/faults"):
            with state.lock:
                faults = [asdict(f) for f in state.faults]
            self._send(json_reply(200, {"faults": faults}))
        elif (verb, path) == ("POST", "/_fake/faults"):
            self._post_fault(body)
        elif (verb, path) == ("DELETE", "/_fake/faults"):
            state.clear_faults()
            self._send(ok)
        elif (verb, path) == ("POST", "/_fake/reset"):
            state.reset()
            self._send(ok)
        elif (verb, path) == ("GET", "/_fake/messages"):
            messages = state.get_messages(params.get("channel", ""))
            self._send(json_reply(200, {"messages": messages}))
        elif (verb, path) == ("GET", "/_fake/scopes"):
            self._send(json_reply(200, {"scopes": sorted(state.bot_scopes)}))
        elif (verb, path) == ("POST", "/_fake/scopes"):
            self._post_scopes(body)
        elif (verb, path) == ("POST", "/_fake/users"):
            self._post_user(body)
        elif (verb, path) == ("GET", "/_fake/socket/connections"):
            links = state.socket.connections() if state.socket else []
            self._send(json_reply(200, {"connections": links}))
        elif (verb, path) == ("POST", "/_fake/socket/deliver"):
            self._socket_deliver(body)
        elif (verb, path) == ("POST", "/_fake/socket/disconnect"):
            self._socket_disconnect(body)
        else:
            self._send(json_reply(404, {"ok": False, "error": "not_found"}))

    def _json_object(self, body: bytes) -> dict[str, Any] | None:
        """The request body as a JSON object, or None after answering 400."""
        try:
            spec = json.loads(body or b"{}")
        except ValueError:
            spec = None
        if not isinstance(spec, dict):
            self._send(json_reply(400, {"ok": False, "error": "the body must be a JSON object"}))
            return None
        return spec

    def _post_scopes(self, body: bytes) -> None:
        """``POST /_fake/scopes`` ``{"scopes": [...]}`` (``null``: the manifest's)."""
        spec = self._json_object(body)
        if spec is None:
            return
        scopes = spec.get("scopes")
        if scopes is not None and not (
            isinstance(scopes, list) and all(isinstance(x, str) for x in scopes)
        ):
            self._send(json_reply(400, {"ok": False, "error": "scopes must be a list or null"}))
            return
        self.state.grant_scopes(scopes)
        self._send(json_reply(200, {"ok": True}))

    def _post_user(self, body: bytes) -> None:
        """``POST /_fake/users`` ``{"id": "U…", "real_name": …, "locale": …}``."""
        spec = self._json_object(body)
        if spec is None:
            return
        user_id = str(spec.pop("id", ""))
        if not user_id.startswith(("U", "W")):
            self._send(json_reply(400, {"ok": False, "error": "id must be a U… or W… user id"}))
            return
        with self.state.lock:
            self.state.users.setdefault(user_id, {}).update(spec)
        self._send(json_reply(200, {"ok": True}))

    def _socket_deliver(self, body: bytes) -> None:
        """``POST /_fake/socket/deliver`` ``{"type", "payload", "app_token"?, "retry_attempt"?,
        "late_acks"?}``: the envelope's fate and the app's acknowledgement payload."""
        spec = self._json_object(body)
        if spec is None or self.state.socket is None:
            return
        token = str(spec.get("app_token") or "")
        try:
            delivery = self.state.socket.deliver(
                str(spec.get("type", "")),
                spec.get("payload") if isinstance(spec.get("payload"), dict) else {},
                app=fingerprint(token) if token else None,
                retry_attempt=int(spec.get("retry_attempt", 0)),
                retry_reason=str(spec.get("retry_reason", "")),
                late_acks=int(spec.get("late_acks", 0)),
            )
        except (TypeError, ValueError) as exc:
            self._send(json_reply(400, {"ok": False, "error": str(exc)}))
            return
        self._send(json_reply(200, delivery.as_dict()))

    def _socket_disconnect(self, body: bytes) -> None:
        """``POST /_fake/socket/disconnect`` ``{"reason", "close_after"?}``."""
        spec = self._json_object(body)
        if spec is None or self.state.socket is None:
            return
        try:
            told = self.state.socket.disconnect(
                str(spec.get("reason", "")), close_after=float(spec.get("close_after", 1.0))
            )
        except (TypeError, ValueError) as exc:
            self._send(json_reply(400, {"ok": False, "error": str(exc)}))
            return
        self._send(json_reply(200, {"ok": True, "links": told}))

    def _post_fault(self, body: bytes) -> None:
        """``POST /_fake/faults`` with a JSON fault description."""
        try:
            spec = json.loads(body or b"{}")
            if not isinstance(spec, dict):
                raise ValueError("fault must be a JSON object")
            fault = make_fault(
                spec.get("method", ""),
                spec.get("kind", ""),
                count=spec.get("count", 1),
                retry_after=spec.get("retry_after", 1),
                seconds=spec.get("seconds", 0.0),
                status=spec.get("status", 500),
            )
        except ValueError as exc:
            self._send(json_reply(400, {"ok": False, "error": str(exc)}))
            return
        self.state.add_fault(fault)
        self._send(json_reply(200, {"ok": True}))
