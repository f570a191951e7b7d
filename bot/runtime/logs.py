"""Logging set-up, with a filter that keeps secrets out of every log line."""

from __future__ import annotations

import logging
import re

_SECRETS = re.compile(
    r"xox[abpre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+"
    r"|https://hooks\.slack\.com/[^\s\"']+"
)


class RedactSecrets(logging.Filter):
    """Replaces tokens and response_url addresses in a record with `[redacted]`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRETS.sub("[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _SECRETS.sub("[redacted]", record.exc_text)
        return True


def setup_logging(level: str) -> None:
    """Log to stderr at `level`, every handler behind the redaction filter."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactSecrets())
