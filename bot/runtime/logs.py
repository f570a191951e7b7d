"""Logging set-up, with filters that keep secrets and request bodies out of every log line."""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

_SECRETS = re.compile(
    r"xox[abpre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+"
    # Webhook and response_url hosts, commercial and GovSlack.
    r"|https?://hooks\.slack(?:-gov)?\.com/[^\s\"'&,)]+"
    # The fake Slack's response URLs (any host).
    r"|https?://[^\s\"'&,)]+/_fake/response/[^\s\"'&,)]*"
)
#: A response_url as a field, whatever its host: JSON, Python repr, or a form (URL-encoded).
_RESPONSE_URL_FIELD = re.compile(
    r"""(?P<key>["']response_url["']\s*:\s*)(?P<quote>["'])(?:(?!(?P=quote)).)*(?P=quote)"""
    r"|(?P<form>response_url=)[^&\s\"']+"
    # Inside a URL-encoded JSON payload: response_url%22%3A%22…%22
    r"|(?P<encoded>response_url%22%3A(?:%20|\+)*%22)(?:(?!%22).)*%22"
)


def redact(text: str) -> str:
    """`text` with tokens and response URLs replaced by `[redacted]`."""
    text = _RESPONSE_URL_FIELD.sub(_redact_field, text)
    return _SECRETS.sub("[redacted]", text)


def _redact_field(match: re.Match[str]) -> str:
    if match.group("form"):
        return "response_url=[redacted]"
    if match.group("encoded"):
        return f"{match.group('encoded')}[redacted]%22"
    return f"{match.group('key')}{match.group('quote')}[redacted]{match.group('quote')}"


#: Log lines of Bolt and slack_sdk that carry a request or response body: what is kept of each.
_BODY_LINES = [
    (re.compile(r"^(Responding with status: \d+) body: .*", re.S), r"\1 (body not logged)"),
    (
        re.compile(r"^(Responding with listener middleware's response - .*?), body: .*", re.S),
        r"\1 (body not logged)",
    ),
    (re.compile(r"^Unhandled request \(.*", re.S), "Unhandled request (body not logged)"),
    (re.compile(r"^(Sending a request - url: [^,\s]+).*", re.S), r"\1 (body not logged)"),
    (
        re.compile(r"^(Received the following response - status: \d+).*", re.S),
        r"\1 (body not logged)",
    ),
    (
        re.compile(r"^(Unsuccessful Bolt execution result \(status: \d+).*", re.S),
        r"\1, body not logged)",
    ),
    (re.compile(r"^(Sending a message \(session id: [^,]*).*", re.S), r"\1, message not logged)"),
    (re.compile(r"^on_message invoked: .*", re.S), "on_message invoked (message not logged)"),
    (re.compile(r"^Failed to parse a payload .*", re.S), "Failed to parse a payload (not logged)"),
    (re.compile(r"^(Failed to decode Slack API response): .*", re.S), r"\1 (not logged)"),
]


def _without_bodies(message: str) -> str:
    for pattern, replacement in _BODY_LINES:
        if pattern.match(message):
            return pattern.sub(replacement, message, count=1)
    return message


class RedactSecrets(logging.Filter):
    """Keeps secrets and bodies out of a record.

    Tokens and response URLs (whatever the host) become `[redacted]`; the lines
    where Bolt and slack_sdk log a request or response body keep only their
    status or URL. Records are rewritten, never dropped.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(_without_bodies(message))
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def setup_logging(level: str) -> None:
    """Log to stderr at `level`, every handler behind the redaction filter."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactSecrets())


class RedactingGunicornLogger(GunicornLogger):  # type: ignore[misc]
    """gunicorn's logger (and uvicorn's, which reuses its handlers) behind the same filter."""

    def setup(self, cfg: object) -> None:
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            for handler in logger.handlers:
                handler.addFilter(RedactSecrets())


GUNICORN_LOGGER_CLASS = f"{__name__}.RedactingGunicornLogger"
