"""Response URLs are redacted whatever their host, and Bolt's and slack_sdk's body lines
keep only their status or URL."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest

from bot.app import create_app
from bot.runtime.logs import RedactSecrets, redact
from bot.runtime.settings import Settings

GOV = "https://hooks.slack-gov.com/commands/T0GOV/1234/AbCdEfGov"
COMMERCIAL = "https://hooks.slack.com/actions/T0COM/5678/AbCdEfCom"
FAKE = "http://127.0.0.1:40123/_fake/response/AbCdEfFake"
ELSEWHERE = "https://proxy.example.org/slack/reply/AbCdEfOther"


@pytest.mark.parametrize("url", [GOV, COMMERCIAL, FAKE])
def test_a_response_url_on_any_known_host_is_redacted_anywhere_in_a_line(url: str) -> None:
    assert redact(f"posting to {url} now") == "posting to [redacted] now"


@pytest.mark.parametrize("url", [GOV, COMMERCIAL, FAKE, ELSEWHERE])
@pytest.mark.parametrize(
    "shape",
    [
        lambda url: json.dumps({"command": "/call", "response_url": url}),
        lambda url: repr({"command": "/call", "response_url": url}),
        lambda url: urlencode({"command": "/call", "response_url": url, "text": "x"}),
        lambda url: urlencode({"payload": json.dumps({"type": "x", "response_url": url})}),
    ],
    ids=["json", "repr", "form", "form payload"],
)
def test_a_response_url_field_is_redacted_whatever_its_host(url: str, shape) -> None:
    line = shape(url)
    redacted = redact(line)
    assert "AbCdEf" not in redacted
    assert "[redacted]" in redacted
    assert "call" in redacted or "%22type%22" in redacted  # the rest stays


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (
            'Responding with status: 200 body: "{\\"text\\": \\"call back 0612345678\\"}" '
            "(4 millis)",
            "Responding with status: 200 (body not logged)",
        ),
        (
            "Responding with listener middleware's response - listener: f, status: 200, "
            "body: call back 0612345678 (3 millis)",
            "Responding with listener middleware's response - listener: f, status: 200 "
            "(body not logged)",
        ),
        (
            "Unhandled request ({'type': None, 'command': '/call', 'text': '0612345678'})",
            "Unhandled request (body not logged)",
        ),
        (
            "Sending a request - url: http://127.0.0.1:9/api/chat.postMessage, query_params: {}, "
            "body_params: {'text': '0612345678'}, files: {}, json_body: None, headers: {}",
            "Sending a request - url: http://127.0.0.1:9/api/chat.postMessage (body not logged)",
        ),
        (
            "Received the following response - status: 200, headers: {}, "
            "body: {'text': '0612345678'}",
            "Received the following response - status: 200 (body not logged)",
        ),
        (
            "Unsuccessful Bolt execution result (status: 500, body: 0612345678)",
            "Unsuccessful Bolt execution result (status: 500, body not logged)",
        ),
    ],
)
def test_body_lines_keep_only_their_status_or_url(line: str, kept: str) -> None:
    record = logging.LogRecord("slack_bolt.App", logging.DEBUG, __file__, 1, "%s", (line,), None)
    assert RedactSecrets().filter(record) is True
    assert record.getMessage() == kept


def test_building_the_app_does_not_warn_that_the_token_will_be_unused(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, engine
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", settings.slack_bot_token or "")
    caplog.set_level(logging.DEBUG)
    create_app(settings, engine)
    assert "will be unused" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
