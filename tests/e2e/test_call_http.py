"""`/call` end to end: signed HTTP requests to `leadcell web`, Slack played by the fake."""

from __future__ import annotations

import time
import uuid

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.local.fake_slack import payloads
from models.tables import Call
from tests.conftest import AGENT, AGENT_2, SALES_ENGINEER
from tests.e2e.conftest import Server


def stored_calls(engine: Engine) -> list[Call]:
    with Session(engine) as session:
        return list(session.exec(select(Call).order_by(Call.id)))


def test_quick_form_is_logged_and_confirmed_ephemerally(server: Server, roster: Engine) -> None:
    response = server.command("/call", "Acme Corp 12m contact spoke to the CFO", user=AGENT)

    assert response.status_code == 200
    answer = response.json()
    assert answer["response_type"] == "ephemeral"
    assert "Logged a call with *Acme Corp*" in answer["blocks"][0]["text"]["text"]
    assert "12 min, contact" in answer["blocks"][0]["text"]["text"]
    assert "*1 useful contact*" in str(answer["blocks"])
    undo = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"][0]
    assert undo["action_id"] == "call_undo"
    [call] = stored_calls(roster)
    assert (call.company, call.duration_seconds, call.outcome, call.note) == (
        "Acme Corp",
        720,
        "contact",
        "spoke to the CFO",
    )
    assert undo["value"] == str(call.id)
    assert server.fake.calls("chat.postEphemeral") == []  # the answer is the ack itself


def test_modal_opens_after_ack_and_its_submission_is_logged(server: Server, roster: Engine) -> None:
    response = server.command("/call", "", user=AGENT, channel="C0CELL")
    assert response.status_code == 200
    assert response.text == ""
    [opened] = server.fake.wait_for("views.open")
    view, view_id = opened["args"]["view"], opened["response"]["view"]["id"]
    assert view["callback_id"] == "call_modal"

    bad = server.signed(
        payloads.view_submission(
            user_id=AGENT,
            view=view,
            view_id=view_id,
            values={"company": "Umbrella", "duration": "soon"},
        )
    )
    assert bad.json()["response_action"] == "errors"
    assert "duration" in bad.json()["errors"]
    assert stored_calls(roster) == []

    values = {
        "company": "Umbrella",
        "contact": "Jane Doe",
        "phone": "+33 1 23 45 67 89",
        "duration": "1h05",
        "outcome": "lead",
        "note": "wants a demo",
    }
    body = payloads.view_submission(user_id=AGENT, view=view, view_id=view_id, values=values)
    assert server.signed(body).status_code == 200
    assert server.signed(body).status_code == 200  # delivered twice: one call, one confirmation
    [confirmation] = server.fake.wait_for("chat.postEphemeral")
    time.sleep(0.3)
    assert len(server.fake.calls("chat.postEphemeral")) == 1
    assert confirmation["args"]["channel"] == "C0CELL"
    assert confirmation["args"]["user"] == AGENT
    assert "Umbrella" in confirmation["args"]["text"]
    [call] = stored_calls(roster)
    assert (call.contact_name, call.phone, call.duration_seconds, call.outcome) == (
        "Jane Doe",
        "+33 1 23 45 67 89",
        3900,
        "lead",
    )


def test_undo_replaces_the_confirmation_once(server: Server, roster: Engine) -> None:
    answer = server.command("/call", "Globex 4m no-answer", user=AGENT).json()
    call_id = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"][0]["value"]

    for _ in range(2):  # a double click
        click = payloads.block_action(
            user_id=AGENT,
            action_id="call_undo",
            value=call_id,
            response_url=server.fake.response_url(uuid.uuid4().hex),
        )
        assert server.signed(click).status_code == 200
    posts = server.fake.wait_for("response_url", count=2)
    assert all(p["args"]["replace_original"] for p in posts)
    assert all("no longer counts" in p["args"]["text"] for p in posts)
    [call] = stored_calls(roster)
    assert call.undone_at is not None


def test_undo_by_someone_else_is_refused(server: Server, roster: Engine) -> None:
    answer = server.command("/call", "Globex 4m", user=AGENT).json()
    call_id = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"][0]["value"]
    click = payloads.block_action(
        user_id=AGENT_2,
        action_id="call_undo",
        value=call_id,
        response_url=server.fake.response_url("other"),
    )
    assert server.signed(click).status_code == 200
    [post] = server.fake.wait_for("response_url")
    assert post["args"]["replace_original"] is False
    assert "the agent who logged it" in post["args"]["text"]
    assert stored_calls(roster)[0].undone_at is None


def test_only_agents_log_calls(server: Server, roster: Engine) -> None:
    answer = server.command("/call", "Acme 12m", user=SALES_ENGINEER).json()
    assert answer["response_type"] == "ephemeral"
    assert "Logging calls is for admins, agents or the provider's people" in answer["text"]
    assert "Example" in answer["text"]
    unknown = server.command("/call", "Acme 12m", user="U0STRANGER").json()
    assert "not on the leadcell roster" in unknown["text"]
    assert stored_calls(roster) == []


def test_bad_input_is_explained_and_nothing_is_written(server: Server, roster: Engine) -> None:
    for text, expected in [
        ("Acme", "couldn't find the call's duration"),
        ("12m contact", "company is missing"),
        ("Acme 9h", "at most 8 h"),
        ("Acme 12m contactt", "Did you mean `contact`"),
        ("Acme 12m note " + "x" * 2001, "the most is 2,000"),
        ("Acme 12m contact ping <!channel>", "@channel"),
    ]:
        answer = server.command("/call", text, user=AGENT).json()
        assert answer["response_type"] == "ephemeral", text
        assert expected in answer["text"], (text, answer["text"])
        assert "Example: /call" in answer["text"], text
    assert stored_calls(roster) == []


def test_user_text_is_escaped_when_echoed(server: Server, roster: Engine) -> None:
    answer = server.command("/call", "<b>Evil</b> & Co 3m contact a<b", user=AGENT).json()
    shown = answer["blocks"][0]["text"]["text"]
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in shown
    assert "<b>" not in str(answer["blocks"])


def test_same_trigger_id_twice_logs_once(server: Server, roster: Engine) -> None:
    first = server.command("/call", "Acme 12m", user=AGENT, trigger_id="trig-1").json()
    second = server.command("/call", "Acme 12m", user=AGENT, trigger_id="trig-1").json()
    assert first["blocks"][0] == second["blocks"][0]
    assert len(stored_calls(roster)) == 1


def test_ack_does_not_wait_for_a_slow_slack(server: Server, roster: Engine) -> None:
    server.fake.add_fault("*", "delay", seconds=2.0, count=None)
    started = time.monotonic()
    quick = server.command("/call", "Acme 12m", user=AGENT)
    modal = server.command("/call", "", user=AGENT)
    elapsed = time.monotonic() - started
    assert quick.status_code == modal.status_code == 200
    # Both answers came back before one delayed Web API call could have finished.
    assert elapsed < 2.0, elapsed
    server.fake.wait_for("views.open", timeout=10)


def test_a_rate_limited_modal_is_retried(server: Server, roster: Engine) -> None:
    server.fake.add_fault("views.open", "ratelimit", retry_after=1)
    assert server.command("/call", "", user=AGENT).status_code == 200
    calls = server.fake.wait_for("views.open", count=2, timeout=10)
    assert calls[0]["fault"] == "ratelimit"
    assert calls[1]["response"]["ok"] is True


def test_undo_answer_survives_a_server_error_on_the_response_url(
    server: Server, roster: Engine
) -> None:
    answer = server.command("/call", "Globex 4m", user=AGENT).json()
    call_id = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"][0]["value"]
    server.fake.add_fault("response_url", "server_error", status=500)
    click = payloads.block_action(
        user_id=AGENT,
        action_id="call_undo",
        value=call_id,
        response_url=server.fake.response_url("flaky"),
    )
    assert server.signed(click).status_code == 200
    posts = server.fake.wait_for("response_url", count=2, timeout=10)
    assert posts[0]["fault"] == "server_error"
    assert "no longer counts" in posts[1]["args"]["text"]
