"""The log filter that keeps tokens and response_url addresses out of every line."""

from __future__ import annotations

import io
import logging
import uuid

import pytest

from bot.runtime.logs import RedactSecrets

# Shaped like real tokens (made up), assembled here so no token-shaped literal sits in the tree.
BOT_TOKEN = "-".join(("xoxb", "1234567890", "0987654321", "AbCdEfGhIjKlMnOp"))
APP_TOKEN = "-".join(("xapp", "1", "A0123ABC", "1234567890", "abcdef0123456789"))
USER_TOKEN = "xoxp-1111-2222-3333-UsErToKeN"
RESPONSE_URL = "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN"


@pytest.fixture
def capture():
    """A private logger whose one handler writes to a StringIO through the filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactSecrets())
    logger = logging.getLogger(f"test.logs.{uuid.uuid4().hex}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield logger, stream
    logger.removeHandler(handler)


@pytest.mark.parametrize("secret", [BOT_TOKEN, APP_TOKEN, USER_TOKEN, RESPONSE_URL])
def test_secret_in_arguments_is_redacted(capture, secret):
    logger, stream = capture
    logger.info("calling Slack with %s now", secret)
    assert stream.getvalue() == "INFO calling Slack with [redacted] now\n"


@pytest.mark.parametrize("secret", [BOT_TOKEN, APP_TOKEN, RESPONSE_URL])
def test_secret_in_the_message_itself_is_redacted(capture, secret):
    logger, stream = capture
    logger.warning(f"token={secret}")
    assert stream.getvalue() == "WARNING token=[redacted]\n"


def test_response_url_inside_a_logged_payload_is_redacted(capture):
    logger, stream = capture
    payload = {"command": "/call", "response_url": RESPONSE_URL, "token": BOT_TOKEN}
    logger.info("unhandled request: %s", payload)
    output = stream.getvalue()
    assert "hooks.slack.com" not in output
    assert "96rGlfmibIGlgcZRskXaIFfN" not in output
    assert "AbCdEfGhIjKlMnOp" not in output
    assert output == (
        "INFO unhandled request: {'command': '/call', 'response_url': '[redacted]', "
        "'token': '[redacted]'}\n"
    )


def test_every_secret_in_one_line_is_redacted(capture):
    logger, stream = capture
    logger.error("%s %s %s", BOT_TOKEN, APP_TOKEN, RESPONSE_URL)
    assert stream.getvalue() == "ERROR [redacted] [redacted] [redacted]\n"


def test_ordinary_lines_are_left_alone(capture):
    logger, stream = capture
    logger.info("logged %d calls for %s (see https://slack.com/api/ docs)", 3, "Acme")
    assert stream.getvalue() == "INFO logged 3 calls for Acme (see https://slack.com/api/ docs)\n"


def test_secret_in_a_logged_exception_is_redacted(capture):
    logger, stream = capture
    try:
        raise RuntimeError(f"could not post to {RESPONSE_URL} with {BOT_TOKEN}")
    except RuntimeError as error:
        logger.error("unhandled %s", type(error).__name__, exc_info=True)
    output = stream.getvalue()
    assert output.startswith("ERROR unhandled RuntimeError\nTraceback")
    assert "RuntimeError: could not post to [redacted] with [redacted]" in output
    assert "hooks.slack.com" not in output
    assert "AbCdEfGhIjKlMnOp" not in output


def test_filter_never_drops_a_record(capture):
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s", (BOT_TOKEN,), None)
    assert RedactSecrets().filter(record) is True
    assert record.getMessage() == "[redacted]"
