"""`/call` through a real Bolt App: the quick form, the modal, Undo, refusals and repeats."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col, select

from bot.local.fake_slack import FakeSlack
from models.db import session_scope
from models.tables import Call
from tests.conftest import ADMIN, AGENT, AGENT_2, SALES_ENGINEER, SETTINGS_ADMIN, Answer, Slack

QUICK = "Acme Corp 12m contact spoke to the CFO"
MODAL_FIELDS = ["company", "contact", "phone", "duration", "outcome", "note"]


def calls(engine: Engine) -> list[Call]:
    with session_scope(engine) as session:
        return list(session.exec(select(Call).order_by(Call.id)))


def undo_button(answer: Answer) -> dict[str, Any]:
    buttons = [
        element
        for block in answer.body.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
        if element.get("type") == "button"
    ]
    assert len(buttons) == 1, answer.body
    return buttons[0]


def assert_explained(answer: Answer, text: str) -> None:
    """An ephemeral explanation with an example of the right form."""
    assert answer.status == 200, text
    assert answer.body["response_type"] == "ephemeral", text
    assert "Example" in answer.text, text
    assert "call_undo" not in answer.text, text


def open_modal(slack: Slack, fake: FakeSlack, *, channel: str = "C0CALLS") -> dict[str, Any]:
    answer = slack.command("/call", "", user=AGENT, channel=channel)
    assert answer.status == 200
    [opened] = fake.calls("views.open")
    return opened["args"]["view"]


# --- the quick form ---------------------------------------------------------------------------


def test_quick_form_logs_and_confirms_with_an_undo_button(slack: Slack, roster: Engine) -> None:
    answer = slack.command("/call", QUICK, user=AGENT)

    assert answer.status == 200
    assert answer.body["response_type"] == "ephemeral"
    assert "Logged a call with *Acme Corp*" in answer.text
    assert "12 min" in answer.text
    assert "contact" in answer.text
    assert "spoke to the CFO" in answer.text
    assert "*1 useful contact* and *0 leads* (1 dial)" in answer.text
    assert "30 useful contacts a day" in answer.text
    [call] = calls(roster)
    assert (call.company, call.duration_seconds, call.outcome, call.note) == (
        "Acme Corp",
        720,
        "contact",
        "spoke to the CFO",
    )
    assert call.slack_key.startswith("command:")
    button = undo_button(answer)
    assert button["action_id"] == "call_undo"
    assert button["value"] == str(call.id)


def test_quick_form_counts_the_day_so_far(slack: Slack) -> None:
    slack.command("/call", "Globex 4m no-answer", user=AGENT)
    slack.command("/call", "Initech 1h05 lead wants a demo", user=AGENT)
    slack.command("/lead", "Initech -- a demo for 3 plants", user=AGENT)
    slack.command("/call", "Hooli 3m", user=AGENT_2)
    answer = slack.command("/call", '"Acme 2000" 90s callback', user=AGENT)
    assert "Logged a call with *Acme 2000*" in answer.text
    assert "1 min 30 s, callback" in answer.text
    assert "*2 useful contacts* and *1 lead* (3 dials)" in answer.text


def test_call_help_shows_the_grammar(slack: Slack, roster: Engine) -> None:
    answer = slack.command("/call", "help", user=SALES_ENGINEER)
    assert answer.status == 200
    assert answer.body["response_type"] == "ephemeral"
    assert "/call &lt;company&gt; &lt;duration&gt; [&lt;outcome&gt;] [&lt;note&gt;]" in answer.text
    for word in ("12m", "1h05", "90s", "0:12:30", "not-interested", "no-answer", "Examples"):
        assert word in answer.text
    assert calls(roster) == []


BAD_QUICK_FORMS = (
    "12m contact spoke to the CFO",  # no company
    "Acme Corp contact spoke to the CFO",  # no duration
    "Acme Corp 9h contact",  # over 8 hours
    "Acme Corp 12m contcat spoke to the CFO",  # a misspelt outcome
    "Acme Corp 12m contact " + "x" * 2001,  # note too long
    "Acme Corp 12m contact <!channel> call me back",  # a broadcast mention
    "Acme Corp 12m contact ping <!here|here> now",
    '"Acme Corp 12m contact',  # an unclosed quote
)


def test_bad_input_is_explained_with_an_example_and_nothing_is_stored(
    slack: Slack, roster: Engine
) -> None:
    for text in BAD_QUICK_FORMS:
        answer = slack.command("/call", text, user=AGENT)
        assert_explained(answer, text)
    assert calls(roster) == []


def test_a_misspelt_outcome_suggests_the_right_one(slack: Slack) -> None:
    answer = slack.command("/call", "Acme 12m calback", user=AGENT)
    assert "`callback`" in answer.text


def test_the_same_trigger_id_stores_one_call(slack: Slack, roster: Engine) -> None:
    first = slack.command(
        "/call", QUICK, user=AGENT, trigger_id="13345224609.738474920.8088930838d88f008e0"
    )
    again = slack.command(
        "/call", QUICK, user=AGENT, trigger_id="13345224609.738474920.8088930838d88f008e0"
    )

    assert len(calls(roster)) == 1
    assert "Logged a call with *Acme Corp*" in again.text
    assert undo_button(again)["value"] == undo_button(first)["value"]
    assert "(1 dial)" in again.text


@pytest.mark.parametrize("user", [SALES_ENGINEER, "U0STRANGER"])
def test_non_agents_are_refused_and_told_who_the_admins_are(
    slack: Slack, roster: Engine, user: str
) -> None:
    answer = slack.command("/call", QUICK, user=user)
    assert answer.body["response_type"] == "ephemeral"
    assert f"<@{ADMIN}>" in answer.text
    assert f"<@{SETTINGS_ADMIN}>" in answer.text
    assert "call_undo" not in answer.text
    assert calls(roster) == []


def test_an_admin_member_may_log(slack: Slack, roster: Engine) -> None:
    answer = slack.command("/call", QUICK, user=ADMIN)
    assert "Logged a call with *Acme Corp*" in answer.text
    assert len(calls(roster)) == 1


def test_user_text_is_escaped_in_the_blocks(slack: Slack, roster: Engine) -> None:
    # With should_escape, Slack sends &, < and > as entities; the bot stores what was typed.
    answer = slack.command("/call", "&lt;script&gt;&amp; 12m contact a &lt;b&gt; note", user=AGENT)

    [call] = calls(roster)
    assert call.company == "<script>&"
    assert call.note == "a <b> note"
    blocks = json.dumps(answer.body["blocks"])
    assert "*&lt;script&gt;&amp;*" in blocks
    assert "a &lt;b&gt; note" in blocks
    assert "<script>" not in blocks and "<b>" not in blocks
    assert "<script>" not in answer.body["text"]


def test_user_text_typed_raw_is_escaped_too(slack: Slack, roster: Engine) -> None:
    answer = slack.command("/call", "<script>& 12m", user=AGENT)
    assert calls(roster)[0].company == "<script>&"
    assert "&lt;script&gt;&amp;" in json.dumps(answer.body["blocks"])
    assert "<script>" not in json.dumps(answer.body["blocks"])


# --- the modal --------------------------------------------------------------------------------


def test_call_alone_acks_empty_and_opens_the_modal(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    answer = slack.command("/call", "", user=AGENT, trigger_id="T0OPEN.1", channel="C0CALLS")

    assert answer.status == 200
    assert answer.body == {}
    [opened] = fake_slack.calls("views.open")
    assert opened["args"]["trigger_id"] == "T0OPEN.1"
    view = opened["args"]["view"]
    assert view["type"] == "modal"
    assert view["callback_id"] == "call_modal"
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == MODAL_FIELDS
    assert json.loads(view["private_metadata"]) == {"channel_id": "C0CALLS"}
    assert calls(roster) == []


def test_the_modal_is_refused_to_non_agents_without_opening(
    slack: Slack, fake_slack: FakeSlack
) -> None:
    answer = slack.command("/call", "", user=SALES_ENGINEER)
    assert f"<@{ADMIN}>" in answer.text
    assert fake_slack.calls("views.open") == []


def test_a_bad_duration_is_shown_on_its_field_and_nothing_is_stored(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    view = open_modal(slack, fake_slack)
    fake_slack.clear_calls()

    answer = slack.submit(view, {"company": "Umbrella", "duration": "soon"}, user=AGENT)

    assert answer.body["response_action"] == "errors"
    assert set(answer.body["errors"]) == {"duration"}
    assert "12m" in answer.body["errors"]["duration"]
    assert calls(roster) == []
    assert fake_slack.calls("chat.postEphemeral") == []


def test_other_modal_errors_are_shown_on_their_field(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    view = open_modal(slack, fake_slack)
    for values, field in (
        ({"company": "", "duration": "12m"}, "company"),
        ({"company": "Umbrella", "duration": "9h"}, "duration"),
        ({"company": "Umbrella", "duration": "0"}, "duration"),
        ({"company": "Umbrella", "duration": "12m", "note": "hi <!channel>"}, "note"),
        ({"company": "Umbrella", "duration": "12m", "note": "x" * 2001}, "note"),
    ):
        answer = slack.submit(view, values, user=AGENT)
        assert answer.body["response_action"] == "errors", values
        assert field in answer.body["errors"], (values, answer.body)
    assert calls(roster) == []


def test_a_valid_submission_stores_the_call_and_confirms_in_the_channel(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    view = open_modal(slack, fake_slack, channel="C0CALLS")
    fake_slack.clear_calls()

    answer = slack.submit(
        view,
        {
            "company": "Umbrella",
            "contact": "Alice Wesker, CTO",
            "phone": "+44 20 7946 0000",
            "duration": "15m",
            "outcome": "lead",
            "note": "budget in Q3",
        },
        user=AGENT,
        view_id="V0MODAL1",
    )

    assert answer.status == 200
    assert "response_action" not in answer.body
    [call] = calls(roster)
    assert (call.company, call.contact_name, call.phone) == (
        "Umbrella",
        "Alice Wesker, CTO",
        "+44 20 7946 0000",
    )
    assert (call.duration_seconds, call.outcome, call.note) == (900, "lead", "budget in Q3")
    assert call.slack_key == "view:V0MODAL1"
    [posted] = fake_slack.calls("chat.postEphemeral")
    args = posted["args"]
    assert args["channel"] == "C0CALLS"
    assert args["user"] == AGENT
    assert "Logged a call with Umbrella" in args["text"]
    blocks = json.dumps(args["blocks"])
    assert "Alice Wesker, CTO" in blocks and "+44 20 7946 0000" in blocks
    # A call's outcome is not a lead: an agent's leads are the leads they hand with /lead.
    assert "*1 useful contact* and *0 leads*" in blocks
    assert '"action_id": "call_undo"' in blocks


def test_the_outcome_defaults_to_contact_in_the_modal(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    view = open_modal(slack, fake_slack)
    slack.submit(view, {"company": "Umbrella", "duration": "1h"}, user=AGENT)
    [call] = calls(roster)
    assert (call.outcome, call.duration_seconds, call.contact_name, call.phone) == (
        "contact",
        3600,
        None,
        None,
    )


def test_the_same_view_submitted_twice_stores_one_call_and_confirms_once(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    view = open_modal(slack, fake_slack)
    fake_slack.clear_calls()
    values = {"company": "Umbrella", "duration": "15m", "outcome": "lead"}

    first = slack.submit(view, values, user=AGENT, view_id="V0TWICE")
    second = slack.submit(view, values, user=AGENT, view_id="V0TWICE")

    assert first.status == second.status == 200
    assert "response_action" not in second.body
    assert len(calls(roster)) == 1
    assert len(fake_slack.calls("chat.postEphemeral")) == 1


def test_two_different_views_store_two_calls(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    view = open_modal(slack, fake_slack)
    fake_slack.clear_calls()
    values = {"company": "Umbrella", "duration": "15m"}
    slack.submit(view, values, user=AGENT, view_id="V0ONE")
    slack.submit(view, values, user=AGENT, view_id="V0TWO")
    assert len(calls(roster)) == 2
    assert len(fake_slack.calls("chat.postEphemeral")) == 2


def test_a_submission_by_a_non_agent_stores_nothing(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    view = open_modal(slack, fake_slack)
    fake_slack.clear_calls()
    answer = slack.submit(view, {"company": "Umbrella", "duration": "15m"}, user=SALES_ENGINEER)
    assert answer.body["response_action"] == "errors"
    assert f"<@{ADMIN}>" in json.dumps(answer.body["errors"])
    assert calls(roster) == []
    assert fake_slack.calls("chat.postEphemeral") == []


# --- Undo -------------------------------------------------------------------------------------


def logged_call_id(slack: Slack) -> str:
    return undo_button(slack.command("/call", QUICK, user=AGENT))["value"]


def test_undo_replaces_the_confirmation(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    call_id = logged_call_id(slack)
    fake_slack.clear_calls()

    answer = slack.click("call_undo", call_id, user=AGENT)

    assert answer.status == 200
    [posted] = fake_slack.calls("response_url")
    assert posted["args"]["replace_original"] is True
    assert "no longer counts" in posted["args"]["text"]
    assert "Acme Corp" in posted["args"]["text"]
    [call] = calls(roster)
    assert call.undone_at is not None
    again = slack.command("/call", "Globex 4m no-answer", user=AGENT)
    assert "(1 dial)" in again.text
    assert "*0 useful contacts*" in again.text


def test_a_double_clicked_undo_has_one_effect_and_no_error(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    call_id = logged_call_id(slack)
    fake_slack.clear_calls()

    first = slack.click("call_undo", call_id, user=AGENT)
    undone_at = calls(roster)[0].undone_at
    second = slack.click("call_undo", call_id, user=AGENT)

    assert first.status == second.status == 200
    [call] = calls(roster)
    assert call.undone_at is not None
    assert call.undone_at == undone_at
    posts = fake_slack.calls("response_url")
    assert len(posts) == 2
    for post in posts:
        assert post["args"]["replace_original"] is True
        assert "no longer counts" in post["args"]["text"]
        assert ":warning:" not in json.dumps(post["args"])
    assert all(call["status"] == 200 for call in fake_slack.calls())


def test_undo_by_another_agent_is_explained_and_changes_nothing(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    call_id = logged_call_id(slack)
    fake_slack.clear_calls()

    answer = slack.click("call_undo", call_id, user=AGENT_2)

    assert answer.status == 200
    [posted] = fake_slack.calls("response_url")
    assert posted["args"]["replace_original"] is False
    assert posted["args"]["response_type"] == "ephemeral"
    assert "Undoing a call is for admins or the agent who logged it" in posted["args"]["text"]
    assert "no longer counts" not in posted["args"]["text"]
    assert calls(roster)[0].undone_at is None


def test_a_settings_admin_may_undo_from_the_button(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    call_id = logged_call_id(slack)
    fake_slack.clear_calls()
    slack.click("call_undo", call_id, user=SETTINGS_ADMIN)
    [posted] = fake_slack.calls("response_url")
    assert posted["args"]["replace_original"] is True
    assert calls(roster)[0].undone_at is not None


def test_undo_after_ten_minutes_is_explained_without_replacing_the_confirmation(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    call_id = logged_call_id(slack)
    logged_at = calls(roster)[0].created_at
    with roster.begin() as connection:
        connection.execute(
            update(Call)
            .where(col(Call.id) == int(call_id))
            .values(created_at=logged_at - timedelta(minutes=11))
        )
    fake_slack.clear_calls()

    slack.click("call_undo", call_id, user=AGENT)

    [posted] = fake_slack.calls("response_url")
    assert posted["args"]["replace_original"] is False
    assert "10 minutes" in posted["args"]["text"]
    assert calls(roster)[0].undone_at is None
