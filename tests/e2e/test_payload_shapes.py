"""Payloads in the shapes Slack documents, posted signed to the real `leadcell web` endpoint.

Each fixture in tests/fixtures/slack/ names the documentation page it follows (its
`_source`). The ids in it are Slack's examples; the tests put the demo team's ids
where the app needs to recognise someone (a user, a lead card), and keep every other
field as Slack sends it.
"""

from __future__ import annotations

import copy
import json
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel

from bot.commands.platform import home_view
from bot.i18n import Reader
from bot.local.fake_slack import FakeSlack, payloads
from models.db import session_scope
from models.tables import Call, Lead, Member
from tests.conftest import AGENT, SALES_ENGINEER, SIGNING_SECRET
from tests.e2e.conftest import Server

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "slack"
LEADS = "C0LEADSFR"
QUIET = 0.5  # seconds to wait for a Web API call that must not come
WAIT = 15


def fixture(name: str) -> dict[str, Any]:
    data = json.loads((FIXTURES / name).read_text())
    assert data.pop("_source").startswith("https://docs.slack.dev/"), name
    return data


def rows(engine: Engine) -> dict[str, int]:
    """How many rows each table holds."""
    with session_scope(engine) as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


def locale_checked(engine: Engine, user_id: str) -> None:
    """Wait until the member's Slack locale was asked and stored."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with session_scope(engine) as session:
            checked = session.execute(
                select(Member.locale_checked_at).where(Member.slack_user_id == user_id)
            ).scalar_one()
        if checked is not None:
            return
        time.sleep(0.05)
    raise AssertionError(f"the locale of {user_id} was never checked")


def post_form(server: Server, fields: dict[str, str]) -> Any:
    return server.signed(urlencode(fields))


def post_interaction(server: Server, payload: dict[str, Any]) -> Any:
    return server.signed(urlencode({"payload": json.dumps(payload)}))


def post_event(server: Server, body: dict[str, Any], headers: dict[str, str] | None = None):
    text = json.dumps(body)
    sent = payloads.event_headers(text, signing_secret=SIGNING_SECRET)
    return server.post(text, {**sent, **(headers or {})})


def hand_a_lead(server: Server, engine: Engine) -> tuple[int, str]:
    """A lead named for the sales engineer: its id and its card's ts."""
    answer = server.command("/lead", f"<@{SALES_ENGINEER}|marc> Acme Corp -- ERP", user=AGENT)
    assert answer.status_code == 200
    server.fake.wait_for("chat.postMessage", count=2, timeout=WAIT)  # the card, the DM
    [card] = [c for c in server.fake.calls("chat.postMessage") if c["args"]["channel"] == LEADS]
    server.fake.clear_calls()
    with session_scope(engine) as session:
        lead_id = session.execute(select(Lead.id)).scalar_one()
    return lead_id, card["response"]["ts"]


@pytest.fixture
def web(web_server: Server, roster: Engine, fake_slack: FakeSlack) -> Server:
    """`leadcell web` with a fresh demo roster and a clean fake Slack."""
    return web_server


def thread_event(name: str, ts: str, **event: Any) -> dict[str, Any]:
    """A message fixture moved into the lead card's thread, with a fresh event_id."""
    body = fixture(name)
    body["event_id"] = f"Ev{uuid.uuid4().hex[:12].upper()}"
    body["event"]["channel"] = LEADS
    for holder in (
        body["event"],
        body["event"].get("message"),
        body["event"].get("previous_message"),
    ):
        if holder and "thread_ts" in holder:
            holder["thread_ts"] = ts
    body["event"].update(event)
    return body


def test_url_verification_answers_the_challenge(web: Server) -> None:
    body = fixture("url_verification.json")
    answer = post_event(web, body)
    assert answer.status_code == 200
    assert answer.json() == {"challenge": body["challenge"]}


def test_a_slash_command_as_slack_sends_it(web: Server, roster: Engine) -> None:
    fields = fixture("slash_command.json")
    fields.update(
        command="/call",
        text="Acme Corp 12m contact",
        user_id=AGENT,
        response_url=web.fake.response_url("shape"),
    )
    answer = post_form(web, fields)
    assert answer.status_code == 200
    assert "Logged a call with *Acme Corp*" in answer.json()["blocks"][0]["text"]["text"]
    with session_scope(roster) as session:
        assert session.execute(select(Call.company)).scalars().all() == ["Acme Corp"]


@pytest.mark.parametrize("name", ["block_actions_message.json", "block_actions_modal.json"])
def test_a_claim_button_as_slack_sends_it(web: Server, roster: Engine, name: str) -> None:
    lead_id, ts = hand_a_lead(web, roster)
    payload = fixture(name)
    payload["user"]["id"] = SALES_ENGINEER
    payload["actions"][0].update(action_id="lead_claim", value=str(lead_id))
    if payload["container"]["type"] == "message":
        payload["container"].update(channel_id=LEADS, message_ts=ts)
        payload["channel"]["id"] = LEADS
        payload["message"]["ts"] = ts
        payload["response_url"] = web.fake.response_url("claim")
    answer = post_interaction(web, payload)
    assert answer.status_code == 200
    web.fake.wait_for("chat.update", timeout=WAIT)
    with session_scope(roster) as session:
        assert session.execute(select(Lead.status)).scalar_one() == "claimed"


def test_a_view_submission_as_slack_sends_it(web: Server, roster: Engine) -> None:
    assert web.command("/call", "", user=AGENT).status_code == 200
    [opened] = web.fake.wait_for("views.open", timeout=WAIT)
    view, view_id = opened["args"]["view"], opened["response"]["view"]["id"]
    typed = payloads.view_submission(
        user_id=AGENT,
        view=view,
        view_id=view_id,
        values={"company": "Umbrella", "duration": "15m", "outcome": "lead"},
    )
    ours = json.loads(dict(parse_qsl(typed))["payload"])  # the typed values, as state
    payload = fixture("view_submission.json")
    payload["user"]["id"] = AGENT
    payload["view"].update(
        id=view_id,
        callback_id=view["callback_id"],
        private_metadata=view.get("private_metadata", ""),
        blocks=view["blocks"],
        state=ours["view"]["state"],
    )
    answer = post_interaction(web, payload)
    assert answer.status_code == 200
    web.fake.wait_for("chat.postEphemeral", timeout=WAIT)
    with session_scope(roster) as session:
        call = session.execute(select(Call)).scalar_one()
    assert (call.company, call.duration_seconds, call.outcome) == ("Umbrella", 900, "lead")


def test_a_closed_modal_is_acknowledged_and_changes_nothing(web: Server, roster: Engine) -> None:
    before = rows(roster)
    payload = fixture("view_closed.json")
    payload["user"]["id"] = AGENT
    answer = post_interaction(web, payload)
    assert answer.status_code == 200
    time.sleep(QUIET)
    assert web.fake.calls() == []
    assert rows(roster) == before


@pytest.mark.parametrize(
    ("name", "event"),
    [
        ("message_changed.json", {}),
        ("message_deleted.json", {}),
        ("message_file_share.json", {"user": SALES_ENGINEER}),
        ("message_channel_join.json", {"user": SALES_ENGINEER}),
        ("message_bot.json", {}),
    ],
)
def test_messages_that_are_not_replies_change_nothing(
    web: Server, roster: Engine, name: str, event: dict[str, Any]
) -> None:
    _, ts = hand_a_lead(web, roster)
    before = rows(roster)
    body = thread_event(name, ts, **event)
    if "message" in body["event"]:
        body["event"]["message"]["user"] = SALES_ENGINEER
    answer = post_event(web, body)
    assert answer.status_code == 200
    time.sleep(QUIET)
    assert web.fake.calls() == []
    assert rows(roster) == before


def test_a_thread_reply_and_its_retry(web: Server, roster: Engine) -> None:
    _, ts = hand_a_lead(web, roster)
    body = thread_event("message_thread_reply.json", ts, user=SALES_ENGINEER, text="claim")
    assert post_event(web, body).status_code == 200
    web.fake.wait_for("chat.update", timeout=WAIT)
    web.fake.wait_for("chat.postMessage", count=2, timeout=WAIT)  # thread reply, agent's DM
    web.fake.clear_calls()
    before = rows(roster)

    headers = fixture("event_retry_headers.json")
    again = post_event(web, copy.deepcopy(body), headers)

    assert again.status_code == 200
    time.sleep(QUIET)
    assert web.fake.calls() == []
    assert rows(roster) == before
    with session_scope(roster) as session:
        assert session.execute(select(Lead.status)).scalar_one() == "claimed"


def test_app_home_opened_shows_the_guide_and_changes_nothing(web: Server, roster: Engine) -> None:
    before = rows(roster)
    body = fixture("app_home_opened.json")
    body["event"]["user"] = AGENT
    assert post_event(web, body).status_code == 200
    [published] = web.fake.wait_for("views.publish", timeout=WAIT)
    assert published["args"]["user_id"] == AGENT
    assert published["args"]["view"] == home_view(Reader("en"))
    assert published["response"]["ok"] is True
    # The first request of a member asks Slack for their locale in the background (bot.locales):
    # let it be stored before the quiet part, so it is not taken for an answer to the second.
    locale_checked(roster, AGENT)

    web.fake.clear_calls()
    body["event"]["tab"] = "messages"
    body["event_id"] = "Ev0MESSAGESTAB"
    assert post_event(web, body).status_code == 200
    time.sleep(QUIET)
    assert web.fake.calls() == []
    assert rows(roster) == before
