"""An unexpected error is never answered as a success: each kind of request says so its way."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from slack_bolt import Ack, BoltRequest

from bot.errors import FORM_UNEXPECTED, UNEXPECTED
from bot.local.fake_slack import payloads
from tests.conftest import AGENT, Slack


class Broken(RuntimeError):
    """What the failing test listeners raise."""


@pytest.fixture
def broken(slack: Slack) -> Slack:
    """The real App, with one failing listener of each kind registered on it."""
    app = slack.app

    @app.command("/explode")
    def explode_command(ack: Ack) -> None:
        raise Broken("the command failed")

    @app.command("/half")
    def acked_then_failed(ack: Ack) -> None:
        ack("Saved!")  # an answer already given, then the work fails
        raise Broken("after the ack")

    @app.action("explode_button")
    def explode_button(ack: Ack) -> None:
        raise Broken("the button failed")

    @app.view("explode_form")
    def explode_form(ack: Ack) -> None:
        raise Broken("the form failed")

    @app.event("reaction_added")
    def explode_event() -> None:
        raise Broken("the event failed")

    return slack


def _form(*, with_input: bool) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "section", "block_id": "intro", "text": {"type": "mrkdwn", "text": "Log a call"}}
    ]
    if with_input:
        for block_id in ("company", "duration"):
            blocks.append(
                {
                    "type": "input",
                    "block_id": block_id,
                    "label": {"type": "plain_text", "text": block_id},
                    "element": {"type": "plain_text_input", "action_id": "value"},
                }
            )
    return {"type": "modal", "callback_id": "explode_form", "blocks": blocks}


def test_a_failing_command_answers_did_not_work(broken: Slack) -> None:
    answer = broken.command("/explode", "anything", user=AGENT)
    assert answer.status == 200
    assert answer.body == {"response_type": "ephemeral", "text": UNEXPECTED}
    assert "did not work" in UNEXPECTED
    assert "Try again" in UNEXPECTED
    assert "tell an admin" in UNEXPECTED


def test_a_command_that_failed_after_its_ack_is_not_answered_as_a_success(
    broken: Slack,
) -> None:
    answer = broken.command("/half", "anything", user=AGENT)
    assert answer.status == 200
    assert answer.body == {"response_type": "ephemeral", "text": UNEXPECTED}
    assert "Saved!" not in json.dumps(answer.body)


def test_a_failing_button_says_so_through_the_response_url(broken: Slack) -> None:
    answer = broken.click("explode_button", "1", user=AGENT)

    assert answer.status == 200
    [sent] = broken.fake.wait_for("response_url", count=1, timeout=10)
    assert sent["args"]["text"] == UNEXPECTED
    assert sent["args"]["response_type"] == "ephemeral"
    assert sent["args"]["replace_original"] is False


def test_a_failing_form_stays_open_with_the_error_on_its_first_input(broken: Slack) -> None:
    answer = broken.submit(
        _form(with_input=True), {"company": "Acme", "duration": "9999999999999"}, user=AGENT
    )
    assert answer.status == 200
    assert answer.body == {"response_action": "errors", "errors": {"company": FORM_UNEXPECTED}}
    assert FORM_UNEXPECTED.startswith("That did not work")


def test_a_failing_form_without_inputs_gets_a_modal_on_top(broken: Slack) -> None:
    answer = broken.submit(_form(with_input=False), {}, user=AGENT)
    assert answer.status == 200
    assert answer.body["response_action"] == "push"
    assert FORM_UNEXPECTED in json.dumps(answer.body["view"])
    assert len(answer.body["view"]["title"]["text"]) <= 24


def test_a_failing_event_gets_a_500_so_that_slack_delivers_it_again(broken: Slack) -> None:
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": payloads.TEAM_ID,
            "api_app_id": payloads.APP_ID,
            "event_id": f"Ev{uuid.uuid4().hex[:12].upper()}",
            "event_time": 1,
            "event": {
                "type": "reaction_added",
                "user": AGENT,
                "reaction": "tada",
                "item": {"type": "message", "channel": "C0GENERAL", "ts": "1.000001"},
                "event_ts": "1.000002",
            },
        }
    )
    headers = {**payloads.headers(body), "Content-Type": "application/json"}

    response = broken.app.dispatch(BoltRequest(body=body, headers=headers))

    assert response.status == 500
    assert not any(name.lower() == "x-slack-no-retry" for name in response.headers)


def test_the_failure_is_logged_with_its_traceback_and_without_the_payload(
    broken: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("ERROR", logger="bot.errors")
    broken.command("/explode", "secret note 0612345678", user=AGENT)
    [record] = [r for r in caplog.records if r.name == "bot.errors"]
    assert record.getMessage() == "unhandled Broken error in a slash_command: the command failed"
    assert record.exc_info is not None
    assert "0612345678" not in caplog.text
    assert "_fake/response" not in caplog.text


def test_a_malformed_payload_is_a_400_that_slack_need_not_deliver_again(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    """A thread reply whose text is not a string: the listener's payload class refuses it."""
    caplog.set_level("WARNING", logger="bot.errors")
    body = json.loads(
        payloads.message_event(
            channel="C0LEADSFR",
            user=AGENT,
            text="claim",
            ts="1700000001.000200",
            thread_ts="1700000000.000100",
        )
    )
    body["event"]["text"] = 4  # a number where Slack sends text
    raw = json.dumps(body)

    response = slack.app.dispatch(BoltRequest(body=raw, headers=payloads.event_headers(raw)))

    assert response.status == 400
    assert response.headers.get("x-slack-no-retry") == ["1"]
    [record] = [r for r in caplog.records if r.name == "bot.errors"]
    assert record.levelname == "WARNING" and record.exc_info is None
    assert "lacks text" in record.getMessage() and "1700000001" not in caplog.text
