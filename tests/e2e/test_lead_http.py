"""Leads end to end: signed HTTP requests to `leadcell web`, Slack played by the fake."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

import pytest
import requests
from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import select

from bot.local.fake_slack import payloads
from models.db import session_scope
from models.tables import Lead, Member
from tests.conftest import AGENT, SALES_ENGINEER
from tests.e2e.conftest import Server
from tests.lead_helpers import add_person

MARC, CLAIRE = SALES_ENGINEER, "U0DEMO05"
LEADS = "C0LEADSFR"
HAND_OFF = "<@U0DEMO04|marc> Acme Corp -- invoice capture for 3 plants, decision in Q2 value=120k"
QUIET = 0.5  # seconds to wait for a Web API call that must not come
WAIT = 15  # seconds to wait for one that must (the machine may be busy)


def leads(engine: Engine) -> list[Lead]:
    with session_scope(engine) as session:
        return list(session.exec(select(Lead).order_by(Lead.id)))


def member_id(engine: Engine, user: str) -> int:
    with session_scope(engine) as session:
        return session.exec(select(Member.id).where(Member.slack_user_id == user)).one() or 0


def posts(
    server: Server, *, channel: str | None = None, thread_ts: str | None = None
) -> list[dict[str, Any]]:
    return [
        c
        for c in server.fake.calls("chat.postMessage")
        if (channel is None or c["args"]["channel"] == channel)
        and c["args"].get("thread_ts") == thread_ts
    ]


def dm_channel(server: Server, user: str) -> str:
    """The app's direct-message channel with `user` (the fake gives each pair one)."""
    opened = WebClient(token="xoxb-test", base_url=server.fake.url).conversations_open(users=user)
    return str(opened["channel"]["id"])


def hand(server: Server, roster: Engine, text: str = HAND_OFF) -> tuple[dict[str, Any], str]:
    """Hand a lead over HTTP; the ephemeral answer and the card's ts, once Slack has all."""
    response = server.command("/lead", text, user=AGENT)
    assert response.status_code == 200
    named = "<@" in text
    # the card, and the direct message to a named engineer
    server.fake.wait_for("chat.postMessage", count=2 if named else 1, timeout=WAIT)
    if named:  # the direct message links the card
        server.fake.wait_for("chat.getPermalink", timeout=WAIT)
    [card] = posts(server, channel=LEADS)
    ts = card["response"]["ts"]
    wait_until(lambda: leads(roster)[-1].card_ts == ts)  # recorded: its thread now listens
    return response.json(), ts


def press(server: Server, action: str, lead_id: int, user: str) -> requests.Response:
    return server.signed(
        payloads.block_action(
            user_id=user,
            action_id=f"lead_{action}",
            value=str(lead_id),
            channel_id=LEADS,
            message_ts="",
            response_url=server.fake.response_url(user),
        )
    )


def reply(
    server: Server,
    ts: str,
    text: str,
    user: str,
    *,
    event_id: str | None = None,
    retry_num: int | None = None,
    body: str | None = None,
) -> tuple[requests.Response, str]:
    body = body or payloads.message_event(
        channel=LEADS,
        user=user,
        text=text,
        ts=f"{time.time():.6f}",
        thread_ts=ts,
        event_id=event_id,
    )
    return server.event(body, retry_num=retry_num), body


def wait_until(check: Any, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_hand_off_by_the_quick_form(server: Server, roster: Engine) -> None:
    answer, ts = hand(server, roster)

    assert answer["response_type"] == "ephemeral"
    assert f"L-0001 · *Acme Corp* is handed to <@{MARC}>." in answer["text"]
    [card] = server.fake.messages(LEADS)
    assert card["ts"] == ts
    assert card["metadata"]["event_payload"]["reference"] == "L-0001"
    assert "€120,000" in str(card["blocks"])
    [dm] = server.fake.wait_for("chat.postMessage", count=2, timeout=WAIT)[1:]
    assert dm["args"]["channel"] == dm_channel(server, MARC)
    assert (
        f"https://leadcell-fake.slack.com/archives/{LEADS}/p{ts.replace('.', '')}"
        in (dm["args"]["text"])
    )
    [lead] = leads(roster)
    assert (lead.status, lead.assigned_to_id, lead.card_ts, lead.estimated_value) == (
        "new",
        member_id(roster, MARC),
        ts,
        Decimal("120000"),
    )


def test_hand_off_by_the_form(server: Server, roster: Engine) -> None:
    assert server.command("/lead", "", user=AGENT, channel="C0CELL").text == ""
    [opened] = server.fake.wait_for("views.open", timeout=WAIT)
    view, view_id = opened["args"]["view"], opened["response"]["view"]["id"]
    bad = server.signed(
        payloads.view_submission(user_id=AGENT, view=view, view_id=view_id, values={"summary": "x"})
    )
    assert bad.json()["response_action"] == "errors" and "company" in bad.json()["errors"]

    values = {
        "engineer": CLAIRE,
        "company": "Umbrella",
        "summary": "vaccine logistics",
        "value": "80k",
    }
    body = payloads.view_submission(user_id=AGENT, view=view, view_id=view_id, values=values)
    assert server.signed(body).status_code == 200
    [confirmation] = server.fake.wait_for("chat.postEphemeral", timeout=WAIT)
    assert confirmation["args"]["channel"] == "C0CELL"
    assert f"L-0001 · *Umbrella* is handed to <@{CLAIRE}>" in confirmation["args"]["text"]
    server.fake.wait_for("chat.getPermalink", timeout=WAIT)
    [lead] = leads(roster)
    assert (lead.company, lead.estimated_value, lead.assigned_to_id) == (
        "Umbrella",
        Decimal("80000"),
        member_id(roster, CLAIRE),
    )
    assert lead.card_ts == posts(server, channel=LEADS)[0]["response"]["ts"]


def test_claim_by_button(server: Server, roster: Engine) -> None:
    _, ts = hand(server, roster)
    [lead] = leads(roster)
    server.fake.clear_calls()

    assert press(server, "claim", lead.id or 0, MARC).status_code == 200

    [update] = server.fake.wait_for("chat.update", timeout=WAIT)
    assert (update["args"]["channel"], update["args"]["ts"]) == (LEADS, ts)
    assert f"Claimed by <@{MARC}>" in str(server.fake.messages(LEADS)[0]["blocks"])
    # the thread reply and the agent's direct message
    server.fake.wait_for("chat.postMessage", count=2, timeout=WAIT)
    assert posts(server, channel=LEADS, thread_ts=ts)[0]["args"]["text"].startswith(
        f"<@{MARC}> claimed L-0001"
    )
    dm = posts(server, channel=dm_channel(server, AGENT))[0]["args"]["text"]
    assert f"<@{MARC}> claimed L-0001" in dm
    [claimed] = leads(roster)
    assert (claimed.status, claimed.owner_id) == ("claimed", member_id(roster, MARC))


def test_claim_and_follow_up_by_thread_replies(server: Server, roster: Engine) -> None:
    _, ts = hand(server, roster)
    server.fake.clear_calls()

    assert reply(server, ts, "claim", MARC)[0].status_code == 200
    server.fake.wait_for("chat.update", timeout=WAIT)
    assert leads(roster)[0].status == "claimed"
    assert reply(server, ts, "won 95k", MARC)[0].status_code == 200
    server.fake.wait_for("chat.update", count=2, timeout=WAIT)

    [lead] = leads(roster)
    assert (lead.status, lead.final_value) == ("won", Decimal("95000"))
    wait_until(lambda: len(posts(server, channel=LEADS, thread_ts=ts)) == 2)
    texts = [p["args"]["text"] for p in posts(server, channel=LEADS, thread_ts=ts)]
    assert texts[1] == f"<@{MARC}> marked L-0001 won for €95,000."
    assert f"Won by <@{MARC}> for €95,000" in str(server.fake.messages(LEADS)[0]["blocks"])


def test_a_double_clicked_claim_claims_once(server: Server, roster: Engine) -> None:
    _, ts = hand(server, roster)
    [lead] = leads(roster)
    server.fake.clear_calls()
    answers: list[int] = []
    threads = [
        threading.Thread(
            target=lambda: answers.append(press(server, "claim", lead.id or 0, MARC).status_code)
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert answers == [200, 200]
    # the thread reply and the agent's direct message
    server.fake.wait_for("chat.postMessage", count=2, timeout=WAIT)
    time.sleep(QUIET)
    assert len(posts(server, channel=LEADS, thread_ts=ts)) == 1
    assert len(posts(server, channel=dm_channel(server, AGENT))) == 1
    assert server.fake.calls("response_url") == []
    [claimed] = leads(roster)
    assert (claimed.status, claimed.version) == ("claimed", 2)


def test_a_redelivered_event_has_no_second_effect(server: Server, roster: Engine) -> None:
    _, ts = hand(server, roster, "Globex -- a new ERP value=80k")
    server.fake.clear_calls()
    reply(server, ts, "claim", MARC)
    # the thread reply, then the agent's direct message
    server.fake.wait_for("chat.postMessage", count=2, timeout=WAIT)
    server.fake.clear_calls()
    first, body = reply(server, ts, "release", MARC, event_id="Ev0E2ERELEASE")
    assert first.status_code == 200
    # the card update, then the thread reply
    [released] = server.fake.wait_for("chat.postMessage", timeout=WAIT)
    assert released["args"]["thread_ts"] == ts
    assert released["args"]["text"] == f"<@{MARC}> put L-0001 back in the pool."
    assert leads(roster)[0].status == "new"
    server.fake.clear_calls()

    again, _ = reply(server, ts, "", MARC, body=body, retry_num=1)

    assert again.status_code == 200
    time.sleep(QUIET)
    assert server.fake.calls() == []  # no second release, and no refusal either
    [lead] = leads(roster)
    assert (lead.status, lead.version) == ("new", 3)


def test_twenty_simultaneous_claims_have_one_winner(server: Server, roster: Engine) -> None:
    if roster.dialect.name != "postgresql":
        pytest.skip("20 simultaneous claims are checked on PostgreSQL")
    engineers = [f"U0DEMO{n:02d}" for n in range(4, 19)] + [f"U0RACE{n}" for n in range(5)]
    for number, user in enumerate(engineers[15:]):
        add_person(roster, user, f"Racer {number}", is_sales_engineer=True)
    _, _ts = hand(server, roster, "Globex -- a new ERP value=80k")
    [lead] = leads(roster)
    server.fake.clear_calls()
    start = threading.Barrier(len(engineers))
    statuses: dict[str, int] = {}
    lock = threading.Lock()

    def click(user: str) -> None:
        start.wait(timeout=10)
        status = press(server, "claim", lead.id or 0, user).status_code
        with lock:
            statuses[user] = status

    threads = [threading.Thread(target=click, args=(user,)) for user in engineers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == dict.fromkeys(engineers, 200)
    [claimed] = leads(roster)
    assert claimed.status == "claimed" and claimed.version == 2
    with session_scope(roster) as session:
        winner = session.exec(
            select(Member.slack_user_id).where(Member.id == claimed.owner_id)
        ).one()
    answers = server.fake.wait_for("response_url", count=19, timeout=30)
    time.sleep(QUIET)
    answers = server.fake.calls("response_url")
    assert sorted(a["args"]["key"] for a in answers) == sorted(u for u in engineers if u != winner)
    assert {a["args"]["text"] for a in answers} == {
        f"L-0001 is already claimed by <@{winner}>. Example: /lead list pool"
    }
    assert len(server.fake.calls("chat.update")) >= 1
