"""The WSGI front of `leadcell web`: hostile bodies get a 4xx, one WARNING line and no
traceback; logs at DEBUG carry no body, no call note and no response_url."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from bot.envelope import MAX_BODY_BYTES
from bot.local.fake_slack import payloads
from bot.runtime.logs import RedactSecrets
from bot.signing import sign
from bot.web import LeadcellWSGI
from tests.conftest import AGENT, SIGNING_SECRET, Slack

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def front(slack: Slack, roster: Engine) -> LeadcellWSGI:
    """The real WSGI front around the real App (database and fake Slack of the test)."""
    return LeadcellWSGI(slack.app, engine=roster, signing_secret=SIGNING_SECRET)


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """Every log line at DEBUG, through the same filter as production's handlers."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def post(front: LeadcellWSGI, body: bytes, content_type: str = FORM) -> tuple[int, bytes]:
    """Send `body`, signed now, to POST /slack/events; return the status and the answer."""
    headers = sign(signing_secret=SIGNING_SECRET, body=body, timestamp=int(time.time()))
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": headers["X-Slack-Request-Timestamp"],
        "HTTP_X_SLACK_SIGNATURE": headers["X-Slack-Signature"],
    }
    seen: list[str] = []
    answer = b"".join(front(environ, lambda status, _headers: seen.append(status)))
    return int(seen[0].split()[0]), answer


# --- named hostile bodies ----------------------------------------------------------------

HOSTILE = {
    "payload not JSON": (b"payload={not-json", FORM, 400, "form payload is not JSON"),
    "payload a list": (b"payload=" + quote("[1,2]").encode(), FORM, 400, "not a JSON object"),
    "payload truncated": (
        b"payload=" + quote('{"type": "block_actions", "user": {"id": "U1"').encode(),
        FORM,
        400,
        "form payload is not JSON",
    ),
    "not UTF-8": (b"command=%2Fcall&text=\xff\xfe\xfa", FORM, 400, "body is not UTF-8"),
    "JSON body a list": (b"[1, 2]", "application/json", 400, "JSON body is not a JSON object"),
    "JSON body truncated": (b'{"type": "event_callback", "ev', "application/json", 400, "JSON"),
    "team is a number": (
        b"payload=" + quote(json.dumps({"type": "block_actions", "team": 7})).encode(),
        FORM,
        400,
        "team has the wrong type",
    ),
    "actions not objects": (
        b"payload=" + quote(json.dumps({"type": "block_actions", "actions": [1]})).encode(),
        FORM,
        400,
        "actions holds something other than objects",
    ),
    "event is a string": (
        json.dumps({"type": "event_callback", "event": "message"}).encode(),
        "application/json",
        400,
        "event has the wrong type",
    ),
    "oversized": (b"text=" + b"a" * MAX_BODY_BYTES, FORM, 413, "body larger than 1 MB"),
    # Bolt indexes view["type"] when it builds an error handler's arguments: a crash, then a 500.
    "view without its type": (
        b"payload="
        + quote(
            json.dumps({"type": "view_submission", "view": {"callback_id": "call_modal"}})
        ).encode(),
        FORM,
        400,
        "view_submission without the view's type",
    ),
    "an action without action_id": (
        b"payload="
        + quote(json.dumps({"type": "block_actions", "actions": [{"value": "1"}]})).encode(),
        FORM,
        400,
        "an action without action_id or block_id",
    ),
    "block actions without actions": (
        b"payload=" + quote(json.dumps({"type": "block_actions", "actions": []})).encode(),
        FORM,
        400,
        "block_actions without actions",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_bodies_get_a_4xx_and_one_warning_without_the_body(
    front: LeadcellWSGI, logs: io.StringIO, case: str
) -> None:
    body, content_type, expected, reason = HOSTILE[case]

    status, answer = post(front, body, content_type)

    assert status == expected
    assert reason in json.loads(answer)["error"]
    lines = logs.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("WARNING bot.web: refused a request to /slack/events: ")
    assert reason in lines[0]
    assert "Traceback" not in logs.getvalue()


# --- random bodies (hypothesis) -----------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
ENVELOPE_KEYS = [
    "type",
    "team",
    "user",
    "channel",
    "enterprise",
    "event",
    "view",
    "actions",
    "authorizations",
    "message",
    "container",
    "team_id",
    "user_id",
    "is_enterprise_install",
    "is_ext_shared_channel",
    "command",
    "trigger_id",
    "response_url",
    "challenge",
    "event_id",
]
envelopes = st.dictionaries(
    st.sampled_from(ENVELOPE_KEYS) | st.text(max_size=8), json_values, max_size=6
)
KINDS = ["block_actions", "view_submission", "event_callback", "url_verification", "shortcut"]
typed_envelopes = st.builds(
    lambda kind, rest: {**rest, "type": kind}, st.sampled_from(KINDS), envelopes
)
VIEW_KEYS = ["callback_id", "type", "id", "state", "blocks", "private_metadata", "hash"]
# Payloads of the kinds Bolt indexes into, with some of their fields, of any type.
partial_payloads = st.builds(
    lambda kind, view, actions, rest: {**rest, "type": kind, "view": view, "actions": actions},
    st.sampled_from(
        [
            "view_submission",
            "view_closed",
            "block_actions",
            "interactive_message",
            "shortcut",
            "workflow_step_edit",
            "block_suggestion",
            "message_action",
        ]
    ),
    st.dictionaries(
        st.sampled_from(VIEW_KEYS), st.sampled_from(["call_modal", "modal"]) | json_values
    ),
    st.lists(
        st.dictionaries(st.sampled_from(["action_id", "value", "block_id", "type"]), json_values),
        max_size=2,
    ),
    st.dictionaries(st.sampled_from(["callback_id", "workflow_step", "user", "team"]), json_values),
)
random_bodies = st.one_of(
    partial_payloads.map(lambda v: (urlencode({"payload": json.dumps(v)}).encode(), FORM)),
    st.binary(max_size=300).map(lambda b: (b, FORM)),
    st.binary(max_size=300).map(lambda b: (b, "application/json")),
    st.text(max_size=200).map(lambda t: (b"payload=" + quote(t).encode(), FORM)),
    json_values.map(lambda v: (b"payload=" + quote(json.dumps(v)).encode(), FORM)),
    typed_envelopes.map(lambda v: (urlencode({"payload": json.dumps(v)}).encode(), FORM)),
    typed_envelopes.map(lambda v: (json.dumps(v).encode(), "application/json")),
    st.tuples(typed_envelopes, st.integers(min_value=1, max_value=200)).map(
        lambda p: (urlencode({"payload": json.dumps(p[0])[: p[1]]}).encode(), FORM)
    ),
    st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=5).map(
        lambda form: (urlencode(form).encode(), FORM)
    ),
)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sent=random_bodies)
def test_random_signed_bodies_never_get_a_5xx_nor_a_traceback(
    front: LeadcellWSGI, logs: io.StringIO, sent: tuple[bytes, str]
) -> None:
    body, content_type = sent
    logs.seek(0)
    logs.truncate()

    status, _ = post(front, body, content_type)

    assert status < 500, logs.getvalue()
    assert "Traceback" not in logs.getvalue()
    assert "unhandled" not in logs.getvalue()


# --- logs at DEBUG ------------------------------------------------------------------------


def test_debug_logs_hold_no_body_no_note_and_no_response_url(
    front: LeadcellWSGI, logs: io.StringIO, slack: Slack
) -> None:
    response_url = slack.fake.response_url("debug-secret-path")
    body = payloads.slash_command(
        command="/call",
        text="Acme 12m contact call back on 06 12 34 56 78",
        user_id=AGENT,
        response_url=response_url,
    )

    status, answer = post(front, body.encode())

    assert status == 200
    assert b"06 12 34 56 78" in answer  # the note is in the answer…
    output = logs.getvalue()
    assert "Responding with status: 200 (body not logged)" in output  # …and Bolt said so
    assert "06 12 34 56 78" not in output  # …but not in the logs
    assert "debug-secret-path" not in output
    assert "/_fake/response/" not in output


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [("１７００", "v0=abc"), ("1700000000", "v0=é"), (str(int(time.time())), "v0=\u2603")],
)
def test_odd_signature_headers_are_a_401(
    front: LeadcellWSGI, timestamp: str, signature: str
) -> None:
    body = b"command=%2Fcall&text=Acme+12m"
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "CONTENT_TYPE": FORM,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp,
        "HTTP_X_SLACK_SIGNATURE": signature,
    }
    seen: list[str] = []
    b"".join(front(environ, lambda status, _headers: seen.append(status)))
    assert seen == ["401 Unauthorized"]
