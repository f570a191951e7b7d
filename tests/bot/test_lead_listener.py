"""`/lead`, the card's buttons, its forms and thread replies through a real Bolt App, in English."""

from __future__ import annotations

import json
import time
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from slack_bolt import BoltRequest
from sqlalchemy import Engine
from sqlmodel import select

from bot.local.fake_slack import FakeSlack, payloads
from models.db import session_scope
from models.tables import Call, Lead, SlackEvent
from tests.conftest import ADMIN, AGENT, AGENT_2, Answer, Slack
from tests.lead_helpers import (
    CLAIRE,
    MARC,
    THOMAS,
    add_event,
    leads,
    member_id,
    set_member,
    set_team,
    stored,
)

LEADS = "C0LEADSFR"
HAND_OFF = "<@U0DEMO04|marc> Acme Corp -- invoice capture for 3 plants, decision in Q2 value=120k"
POOL_HAND_OFF = "Globex -- a new ERP for 12 sites value=80k"
PERMALINK = "https://leadcell-fake.slack.com/archives/C0LEADSFR/p"


@pytest.fixture
def app(slack: Slack, roster: Engine) -> Slack:
    slack.engine = roster  # type: ignore[attr-defined]
    return slack


def engine_of(slack: Slack) -> Engine:
    return slack.engine  # type: ignore[attr-defined,no-any-return]


def text_of(message: dict[str, Any]) -> str:
    return (
        message.get("text", "") + "\n" + json.dumps(message.get("blocks", []), ensure_ascii=False)
    )


def cards(fake: FakeSlack) -> list[dict[str, Any]]:
    """The lead cards in the leads channel, as Slack holds them now."""
    return [m for m in fake.messages(LEADS) if "thread_ts" not in m or m["thread_ts"] == m["ts"]]


def thread(fake: FakeSlack, ts: str) -> list[str]:
    return [m["text"] for m in fake.messages(LEADS) if m.get("thread_ts") == ts and m["ts"] != ts]


def direct_messages(fake: FakeSlack, user: str) -> list[str]:
    """What the app said to `user` in their direct messages with it."""
    opened = [c for c in fake.calls("conversations.open") if c["args"].get("users") == user]
    if not opened:
        return []
    channel = opened[0]["response"]["channel"]["id"]
    return [text_of(m) for m in fake.messages(channel)]


def buttons(message: dict[str, Any]) -> dict[str, str]:
    return {
        e["text"]["text"]: e["action_id"]
        for b in message.get("blocks", [])
        if b["type"] == "actions"
        for e in b["elements"]
    }


def hand(slack: Slack, text: str = HAND_OFF, *, user: str = AGENT) -> tuple[Answer, Lead, str]:
    before = {m["ts"] for m in cards(slack.fake)}
    answer = slack.command("/lead", text, user=user)
    assert answer.status == 200, answer.body
    lead = leads(engine_of(slack))[-1]
    [ts] = [m["ts"] for m in cards(slack.fake) if m["ts"] not in before]
    assert stored(engine_of(slack), lead.id or 0).card_ts == ts
    return answer, lead, ts


def reply(
    slack: Slack,
    text: str,
    *,
    user: str,
    thread_ts: str | None,
    channel: str = LEADS,
    event_id: str | None = None,
    subtype: str | None = None,
    bot_id: str | None = None,
    body: str | None = None,
) -> tuple[int, str]:
    body = body or payloads.message_event(
        channel=channel,
        user=user,
        text=text,
        ts=f"{time.time():.6f}",
        thread_ts=thread_ts,
        event_id=event_id,
        subtype=subtype,
        bot_id=bot_id,
    )
    response = slack.app.dispatch(BoltRequest(body=body, headers=payloads.event_headers(body)))
    return response.status, body


def refusal(answer: Answer) -> str:
    assert answer.status == 200
    assert answer.body["response_type"] == "ephemeral"
    assert ":warning:" in answer.text and "Example" in answer.text, answer.text
    return answer.text


def explained(fake: FakeSlack) -> str:
    """The one explanation a button press got, through its response_url."""
    [posted] = fake.calls("response_url")
    assert posted["args"]["replace_original"] is False
    assert posted["args"]["response_type"] == "ephemeral"
    return str(posted["args"]["text"])


def no_raw_markup(text: str) -> None:
    """Every `<…>` is a mention or a link Slack understands: the rest was escaped."""
    for chunk in text.split("<")[1:]:
        assert chunk.startswith(("@U", "http", "#C", "!")), text


# --- handing a lead ---------------------------------------------------------------------------


def test_a_quick_hand_off_answers_posts_the_card_and_tells_the_engineer(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    answer, lead, ts = hand(app)

    assert answer.body["response_type"] == "ephemeral"
    assert f"L-0001 · *Acme Corp* is handed to <@{MARC}>." in answer.text
    [card] = cards(fake_slack)
    assert card["metadata"]["event_type"] == "leadcell_lead_card"
    assert card["metadata"]["event_payload"] == {
        "lead_id": lead.id,
        "reference": "L-0001",
        "version": 1,
    }
    shown = text_of(card)
    for part in (
        "*L-0001 · Acme Corp*",
        "invoice capture for 3 plants, decision in Q2",
        "*Value:* €120,000",
        "*Source:* Telemarketing",
        f"*Detected by:* <@{AGENT}>",
        f"*Assigned to:* <@{MARC}>",
        "*Status:* New, waiting to be claimed",
        "or reply in this thread: claim, release",
    ):
        assert part in shown, part
    assert buttons(card) == {"Claim": "lead_claim", "Release": "lead_release"}
    [dm] = direct_messages(fake_slack, MARC)
    assert f"<@{AGENT}> handed you L-0001 · *Acme Corp*: invoice capture for 3 plants" in dm
    # the link stands apart from the summary ("…3 plants Open the card" ran together)
    assert f"Open the card: {PERMALINK}{ts.replace('.', '')}" in dm
    assert f'"<{PERMALINK}{ts.replace(".", "")}|Open the card>"' in dm
    assert "U0DEMO" not in answer.text.replace(f"<@{MARC}>", "")  # people are mentions, not ids
    after = stored(roster, lead.id or 0)
    assert (after.status, after.card_channel, after.card_version) == ("new", LEADS, 1)


def test_a_pool_hand_off_sends_no_direct_message(app: Slack, fake_slack: FakeSlack) -> None:
    answer, lead, _ts = hand(app, POOL_HAND_OFF)
    assert "is in the pool: any sales engineer may claim it" in answer.text
    [card] = cards(fake_slack)
    assert "the pool: any sales engineer may claim it" in text_of(card)
    assert buttons(card) == {"Claim": "lead_claim"}  # nothing to pass on yet
    assert fake_slack.calls("conversations.open") == []
    assert lead.assigned_to_id is None


def test_the_hand_off_mentions_the_call_it_came_from(
    app: Slack, roster: Engine, fake_slack: FakeSlack
) -> None:
    app.command("/call", "Acme Corp 12m contact spoke to the CFO", user=AGENT)
    answer, lead, _ts = hand(app)
    assert "It is linked to your call with them today." in answer.text
    assert "from the call of" in text_of(cards(fake_slack)[0])
    with session_scope(roster) as session:
        [call] = session.exec(select(Call)).all()
    assert (lead.call_id, call.outcome) == (call.id, "lead")


def test_the_same_command_delivered_twice_hands_one_lead(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    body = payloads.slash_command(
        command="/lead", text=HAND_OFF, user_id=AGENT, trigger_id="1.2.retry", response_url=""
    )
    first, second = app.send(body), app.send(body)
    assert "L-0001" in first.text and "L-0001" in second.text
    assert len(leads(roster)) == 1
    assert len(cards(fake_slack)) == 1
    assert len(direct_messages(fake_slack, MARC)) == 1


BAD_HAND_OFFS = [
    ("Acme Corp invoice capture", "Separate the company from the project summary with `--`."),
    ("-- invoice capture", "The company is missing"),
    ("Acme Corp -- invoice capture value=lots", "is not an amount"),
    ("Acme Corp -- invoice capture value=12k3", "is not an amount"),
    ("Acme Corp -- invoice capture value=$12k", "is in USD, but this team counts in EUR"),
    ("Acme Corp -- x value=100000000000000000000000000", "is out of range"),
    ("Acme Corp -- invoice capture source=radio", "`radio` is not a lead source"),
    ("Acme Corp -- invoice capture source=seminar", "Name the seminar the lead comes from"),
    ('Acme Corp -- invoice capture source=seminar:"Nowhere"', "There is no seminar called"),
    ("<@U0NOBODY|ghost> Acme Corp -- invoice capture", "<@U0NOBODY> is not on your team's roster"),
    ("<@U0DEMO02|julien> Acme Corp -- invoice capture", "<@U0DEMO02> is not a sales engineer"),
]


def test_bad_hand_offs_are_explained_and_nothing_is_written(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    for text, says in BAD_HAND_OFFS:
        shown = refusal(app.command("/lead", text, user=AGENT))
        assert says in shown, (text, shown)
        no_raw_markup(shown)
    assert leads(roster) == []
    assert fake_slack.calls("chat.postMessage") == []


def test_an_unrecognised_name_is_refused_with_the_teams_engineers(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    # Slack leaves `@nobdy` as typed when no such person exists: it is not the company.
    shown = refusal(app.command("/lead", "@nobdy Acme -- test", user=AGENT))
    assert "`@nobdy` is not a sales engineer of your team" in shown
    assert f"<@{MARC}>" in shown and f"<@{CLAIRE}>" in shown and f"<@{AGENT}>" not in shown
    assert "Example: `/lead @antoine Acme Corp -- invoice capture for 3 plants`" in shown
    set_member(roster, THOMAS, active=False)
    shown = refusal(app.command("/lead", f"<@{THOMAS}|thomas> Acme -- test", user=AGENT))
    assert f"<@{THOMAS}> is deactivated" in shown
    assert leads(roster) == [] and fake_slack.calls("chat.postMessage") == []
    _, lead, _ = hand(app, "@claire Acme -- test")  # a name that is one of them
    assert lead.assigned_to_id == member_id(roster, CLAIRE)


def test_a_second_open_lead_for_the_company_names_the_first(app: Slack) -> None:
    hand(app)
    app.click("lead_claim", str(leads(engine_of(app))[0].id), user=MARC)
    answer, lead, _ = hand(app, "ACME corp. -- another plant")
    assert "L-0002 · *ACME corp.* is in the pool" in answer.text
    assert f":warning: L-0001 for *Acme Corp* is still open, held by <@{MARC}>." in answer.text
    assert lead.status == "new"


def test_only_agents_managers_and_admins_hand_leads(app: Slack, roster: Engine) -> None:
    answer = app.command("/lead", HAND_OFF, user=CLAIRE)
    assert "Handing leads is for admins, agents, managers or the provider's people" in answer.text
    assert f"<@{ADMIN}>" in answer.text
    assert leads(roster) == []


def test_lead_help_is_escaped_and_lists_the_teams_words(app: Slack) -> None:
    answer = app.command("/lead", "help", user=AGENT)
    [block] = answer.body["blocks"]
    help_text = block["text"]["text"]
    for shown in (
        "value=120k",
        "value=1.2M",
        'source=seminar:"Paris Summit"',
        "/lead list",
        "page=&lt;n&gt;",
        "/lead reassign L-0042 pool",
        "reject &lt;reason&gt;, won &lt;value&gt;, lost &lt;reason&gt;",
        "`/lead [@engineer] &lt;company&gt; -- &lt;summary&gt;",
        "Example:",
    ):
        assert shown in help_text, shown
    no_raw_markup(help_text)
    assert "<" not in answer.body["text"].replace("&lt;", "")


# --- events and the form ----------------------------------------------------------------------


def test_a_seminar_lead_takes_the_latest_past_one_and_near_misses_get_suggestions(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    add_event(roster, "seminar", "Paris Summit", date(2024, 10, 14))
    latest = add_event(roster, "seminar", "Paris Summit", date(2025, 10, 14))
    _, lead, _ = hand(app, 'Acme -- demo source=seminar:"paris summit" value=50k')
    assert lead.event_id == latest
    assert "*Source:* Seminar: Paris Summit (14 Oct)" in text_of(cards(fake_slack)[0])
    shown = refusal(app.command("/lead", 'Acme -- demo source=seminar:"Paris Sumit"', user=AGENT))
    # Found by models.events.find_event and worded with the events' refusals (names only).
    assert "There is no seminar called `Paris Sumit`. Did you mean `Paris Summit`?" in shown
    assert 'Example: /lead Acme Corp -- invoice capture source=seminar:"Paris Summit"' in shown


def open_form(slack: Slack, fake: FakeSlack) -> tuple[dict[str, Any], str]:
    answer = slack.command("/lead", "", user=AGENT, channel="C0CELL")
    assert answer.status == 200 and answer.body == {}
    [opened] = fake.calls("views.open")
    return opened["args"]["view"], opened["response"]["view"]["id"]


def test_the_form_offers_the_teams_events_by_name_and_date(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    view, _ = open_form(app, fake_slack)
    assert "event" not in {b["block_id"] for b in view["blocks"]}  # no event yet
    add_event(roster, "seminar", "Paris Summit", date(2026, 10, 14))
    add_event(roster, "trade-show", "Big Fair", date(2026, 3, 2))
    fake_slack.clear_calls()
    view, _ = open_form(app, fake_slack)
    [picker] = [b for b in view["blocks"] if b["block_id"] == "event"]
    labels = [o["text"]["text"] for o in picker["element"]["options"]]
    assert labels == [
        "Seminar · Paris Summit · 14 October 2026",
        "Trade show · Big Fair · 2 March 2026",
    ]


def test_the_form_is_refused_at_once_to_who_may_not_hand_leads(
    app: Slack, fake_slack: FakeSlack
) -> None:
    answer = app.command("/lead", "", user=MARC)
    assert "Handing leads is for" in answer.text
    assert fake_slack.calls("views.open") == []


def test_a_bad_form_gets_field_errors_and_nothing_is_written(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    view, view_id = open_form(app, fake_slack)
    cases = [
        ({"summary": "invoice capture"}, "company", "The company is missing"),
        ({"company": "Acme Corp"}, "summary", "Say what the project is"),
        ({"company": "Acme Corp", "summary": "x", "value": "lots"}, "value", "is not an amount"),
        (
            {"company": "Acme Corp", "summary": "x", "value": "9999999999999"},
            "value",
            "is out of range",
        ),
        (
            {"company": "Acme Corp", "summary": "x", "source": "seminar"},
            "source",
            "Name the seminar",
        ),
        (
            {"company": "Acme Corp", "summary": "x", "engineer": AGENT_2},
            "engineer",
            "is not a sales engineer",
        ),
        (
            {"company": "Acme Corp", "summary": "x", "engineer": "U0NOBODY"},
            "engineer",
            "is not on your team's roster",
        ),
    ]
    for values, field, says in cases:
        answer = app.submit(view, values, user=AGENT, view_id=view_id)
        assert answer.body["response_action"] == "errors", values
        assert list(answer.body["errors"]) == [field], (values, answer.body)
        assert says in answer.body["errors"][field]
    assert leads(roster) == []
    assert fake_slack.calls("chat.postMessage") == []


def test_a_good_form_hands_the_lead_posts_the_card_and_confirms(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    summit = add_event(roster, "seminar", "Paris Summit", date(2026, 10, 14))
    view, view_id = open_form(app, fake_slack)
    values = {
        "engineer": CLAIRE,
        "company": "Umbrella",
        "contact": "Jane Doe",
        "summary": "vaccine logistics",
        "value": "€1.2M",
        "source": "seminar",
        "event": str(summit),
    }
    assert app.submit(view, values, user=AGENT, view_id=view_id).body == {}
    assert app.submit(view, values, user=AGENT, view_id=view_id).body == {}  # delivered twice
    [lead] = leads(roster)
    assert (lead.company, lead.contact_name, lead.estimated_value, lead.event_id) == (
        "Umbrella",
        "Jane Doe",
        Decimal("1200000.00"),
        summit,
    )
    [card] = cards(fake_slack)
    assert "€1,200,000" in text_of(card) and "Contact: Jane Doe" in text_of(card)
    [confirmation] = fake_slack.calls("chat.postEphemeral")
    assert (confirmation["args"]["channel"], confirmation["args"]["user"]) == ("C0CELL", AGENT)
    assert f"L-0001 · *Umbrella* is handed to <@{CLAIRE}>" in confirmation["args"]["text"]
    assert len(direct_messages(fake_slack, CLAIRE)) == 1


# --- the card's buttons -----------------------------------------------------------------------


def test_claim_by_the_assignee_updates_the_card_replies_and_tells_the_agent(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    fake_slack.clear_calls()

    assert app.click("lead_claim", str(lead.id), user=MARC).status == 200

    [card] = cards(fake_slack)
    assert f"*Status:* Claimed by <@{MARC}> after 0 min" in text_of(card)
    assert set(buttons(card)) == {"Qualify", "Won", "Lost", "Reject", "Release"}
    assert "reply in this thread: qualify, reject &lt;reason&gt;, won &lt;value&gt;" in text_of(
        card
    )
    assert card["metadata"]["event_payload"]["version"] == 2
    assert thread(fake_slack, ts) == [f"<@{MARC}> claimed L-0001 0 min after the hand-off."]
    [dm] = direct_messages(fake_slack, AGENT)
    assert f"<@{MARC}> claimed L-0001 · *Acme Corp*, 0 min after your hand-off." in dm
    assert fake_slack.calls("response_url") == []
    after = stored(roster, lead.id or 0)
    assert (after.status, after.version, after.card_version) == ("claimed", 2, 2)


def test_claim_by_someone_else_is_explained_and_changes_nothing(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, _ts = hand(app)
    fake_slack.clear_calls()
    app.click("lead_claim", str(lead.id), user=CLAIRE)
    assert f"L-0001 is handed to <@{MARC}>: only they can claim it" in explained(fake_slack)
    assert fake_slack.calls("chat.update") == [] and fake_slack.calls("chat.postMessage") == []
    assert stored(roster, lead.id or 0).model_dump() == lead.model_dump()


def test_a_double_click_on_claim_claims_once(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    app.click("lead_claim", str(lead.id), user=MARC)
    app.click("lead_claim", str(lead.id), user=MARC)
    assert len(thread(fake_slack, ts)) == 1
    assert len(direct_messages(fake_slack, AGENT)) == 1
    assert fake_slack.calls("response_url") == []
    assert stored(roster, lead.id or 0).version == 2


def test_an_agent_pressing_claim_is_told_who_may(app: Slack, fake_slack: FakeSlack) -> None:
    _, lead, _ts = hand(app, POOL_HAND_OFF)
    fake_slack.clear_calls()
    app.click("lead_claim", str(lead.id), user=AGENT)
    assert "Claiming leads is for admins or sales engineers" in explained(fake_slack)


def outcome_form(
    slack: Slack, fake: FakeSlack, lead_id: int, action: str, user: str = MARC
) -> tuple[dict[str, Any], str]:
    fake.clear_calls()
    assert slack.click(f"lead_{action}", str(lead_id), user=user).status == 200
    [opened] = fake.calls("views.open")
    return opened["args"]["view"], opened["response"]["view"]["id"]


@pytest.mark.parametrize("action", ["win", "lose", "reject"])
def test_outcome_forms_open_only_for_who_may_decide(
    app: Slack, fake_slack: FakeSlack, action: str
) -> None:
    _, lead, _ts = hand(app)
    fake_slack.clear_calls()
    app.click(f"lead_{action}", str(lead.id), user=MARC)  # not claimed yet
    assert "L-0001 is new: only claimed or qualified leads can be" in explained(fake_slack)
    assert fake_slack.calls("views.open") == []
    app.click("lead_claim", str(lead.id), user=MARC)
    fake_slack.clear_calls()
    app.click(f"lead_{action}", str(lead.id), user=CLAIRE)
    assert f"You don't hold L-0001: <@{MARC}> does" in explained(fake_slack)
    assert fake_slack.calls("views.open") == []


def test_reject_opens_a_form_that_needs_a_reason(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    app.click("lead_claim", str(lead.id), user=MARC)
    view, view_id = outcome_form(app, fake_slack, lead.id or 0, "reject")
    assert view["callback_id"] == "lead_outcome" and view["title"]["text"] == "Reject L-0001"
    missing = app.submit(view, {}, user=MARC, view_id=view_id)
    assert "Say why L-0001 is rejected" in missing.body["errors"]["reason"]
    done = app.submit(view, {"reason": "too small <really>"}, user=MARC, view_id=view_id)
    assert done.body == {}
    after = stored(roster, lead.id or 0)
    assert (after.status, after.reason) == ("rejected", "too small <really>")
    [card] = cards(fake_slack)
    assert f"Rejected by <@{MARC}>: too small &lt;really&gt;" in text_of(card)
    assert buttons(card) == {} and "closed" in text_of(card)
    assert thread(fake_slack, ts)[-1] == f"<@{MARC}> rejected L-0001: too small &lt;really&gt;"


def test_won_opens_a_form_whose_value_defaults_to_the_estimate(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    app.click("lead_claim", str(lead.id), user=MARC)
    view, view_id = outcome_form(app, fake_slack, lead.id or 0, "win")
    assert "empty: the estimate, €120,000" in json.dumps(view, ensure_ascii=False)
    assert (
        "is not an amount"
        in app.submit(view, {"value": "lots"}, user=MARC, view_id=view_id).body["errors"]["value"]
    )
    too_big = app.submit(view, {"value": "1" + "0" * 29}, user=MARC, view_id=view_id)
    assert "is out of range" in too_big.body["errors"]["value"]
    assert stored(roster, lead.id or 0).status == "claimed"
    assert app.submit(view, {}, user=MARC, view_id=view_id).body == {}
    after = stored(roster, lead.id or 0)
    assert (after.status, after.final_value) == ("won", Decimal("120000.00"))
    assert thread(fake_slack, ts)[-1] == f"<@{MARC}> marked L-0001 won for €120,000."


def test_qualify_and_release_buttons(app: Slack, fake_slack: FakeSlack, roster: Engine) -> None:
    _, lead, ts = hand(app)
    app.click("lead_claim", str(lead.id), user=MARC)
    app.click("lead_release", str(lead.id), user=CLAIRE)
    assert f"You don't hold L-0001: <@{MARC}> does" in explained(fake_slack)
    app.click("lead_release", str(lead.id), user=MARC)
    after = stored(roster, lead.id or 0)
    assert (after.status, after.owner_id, after.assigned_to_id) == ("new", None, None)
    assert thread(fake_slack, ts)[-1] == f"<@{MARC}> put L-0001 back in the pool."
    app.click("lead_claim", str(lead.id), user=CLAIRE)
    app.click("lead_qualify", str(lead.id), user=CLAIRE)
    assert thread(fake_slack, ts)[-1] == f"<@{CLAIRE}> qualified L-0001."
    fake_slack.clear_calls()
    app.click("lead_release", str(lead.id), user=CLAIRE)  # a stale card's button
    shown = explained(fake_slack)
    assert "L-0001 is qualified: only new or claimed leads can be passed on." in shown
    assert "A manager can reassign it to another sales engineer." in shown


# --- replies in the card's thread -------------------------------------------------------------


def test_thread_replies_claim_qualify_and_win(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    assert reply(app, "claim", user=MARC, thread_ts=ts)[0] == 200
    reply(app, "Qualify: budget confirmed", user=MARC, thread_ts=ts)
    reply(app, "won 95k", user=MARC, thread_ts=ts)
    after = stored(roster, lead.id or 0)
    assert (after.status, after.final_value, after.version) == ("won", Decimal("95000.00"), 4)
    assert thread(fake_slack, ts)[1:] == [
        f"<@{MARC}> qualified L-0001.",
        f"<@{MARC}> marked L-0001 won for €95,000.",
    ]
    assert f"Won by <@{MARC}> for €95,000" in text_of(cards(fake_slack)[0])


def test_thread_replies_reject_lose_and_release(app: Slack, roster: Engine) -> None:
    _, rejected, rejected_ts = hand(app, POOL_HAND_OFF)
    _, lost, lost_ts = hand(app, "Initech -- TPS reports value=20k")
    _, released, released_ts = hand(app, "Hooli -- compression value=1M")
    for ts in (rejected_ts, lost_ts, released_ts):
        reply(app, "je prends", user=THOMAS, thread_ts=ts)
    reply(app, "reject too small", user=THOMAS, thread_ts=rejected_ts)
    reply(app, "perdu parti chez un concurrent", user=THOMAS, thread_ts=lost_ts)
    reply(app, "freigeben", user=THOMAS, thread_ts=released_ts)
    assert (stored(roster, rejected.id or 0).status, stored(roster, rejected.id or 0).reason) == (
        "rejected",
        "too small",
    )
    assert stored(roster, lost.id or 0).reason == "parti chez un concurrent"
    assert (stored(roster, released.id or 0).status, stored(roster, released.id or 0).owner_id) == (
        "new",
        None,
    )


def test_a_refused_thread_reply_is_explained_to_its_author_only(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    fake_slack.clear_calls()
    reply(app, "claim", user=CLAIRE, thread_ts=ts)
    reply(app, "reject", user=MARC, thread_ts=ts)  # not claimed yet
    reply(app, "claim", user=MARC, thread_ts=ts)
    reply(app, "reject", user=MARC, thread_ts=ts)  # no reason
    reply(app, "won lots", user=MARC, thread_ts=ts)
    reply(app, "won " + "1" + "0" * 29, user=MARC, thread_ts=ts)
    shown = fake_slack.calls("chat.postEphemeral")
    assert [(c["args"]["user"], c["args"]["thread_ts"]) for c in shown] == [
        (CLAIRE, ts),
        (MARC, ts),
        (MARC, ts),
        (MARC, ts),
        (MARC, ts),
    ]
    assert f"handed to <@{MARC}>" in shown[0]["args"]["text"]
    assert (
        "L-0001 is new: only claimed or qualified leads can be rejected. Claim it first."
        in shown[1]["args"]["text"]
    )
    assert "Say why L-0001 is rejected" in shown[2]["args"]["text"]
    assert "is not an amount" in shown[3]["args"]["text"]
    assert "is out of range" in shown[4]["args"]["text"]
    assert stored(roster, lead.id or 0).status == "claimed"


def test_a_near_miss_is_questioned_and_does_nothing(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    reply(app, "claim", user=MARC, thread_ts=ts)
    fake_slack.clear_calls()
    reply(app, "wonn 10k", user=MARC, thread_ts=ts)
    reply(app, "qualifed", user=MARC, thread_ts=ts)
    first, second = fake_slack.calls("chat.postEphemeral")
    assert first["args"]["user"] == MARC and first["args"]["thread_ts"] == ts
    assert (
        "Nothing was done to L-0001: `wonn` is not a word leadcell knows. Did you mean `won 10k`?"
        in first["args"]["text"]
    )
    assert "reject &lt;reason&gt;" in json.dumps(first["args"]["blocks"])
    assert "Did you mean `qualified`?" in second["args"]["text"]
    assert stored(roster, lead.id or 0).status == "claimed"
    assert fake_slack.calls("chat.postMessage") == [] and fake_slack.calls("chat.update") == []


IGNORED: list[dict[str, Any]] = [
    {"text": "I'll call them back tomorrow to claim it"},
    {"text": "Claimed by the competitor already?"},
    {"text": "see you at the demo"},
    {"text": "claim", "subtype": "message_changed"},
    {"text": "claim", "bot_id": "B0OTHERBOT"},
    {"text": "claim", "thread_ts": "1.000001"},  # another thread
    {"text": "claim", "thread_ts": None},  # a top-level message
    {"text": "claim", "channel": "C0GENERAL"},  # not a leads channel
]


def test_ordinary_discussion_is_left_alone(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app, POOL_HAND_OFF)
    fake_slack.clear_calls()
    for ignored in IGNORED:
        fields = {"thread_ts": ts, **ignored}
        status, _ = reply(app, fields.pop("text"), user=MARC, **fields)
        assert status == 200
        assert fake_slack.calls() == [], ignored
        assert stored(roster, lead.id or 0).model_dump() == lead.model_dump(), ignored
    reply(app, "claim", user=MARC, thread_ts=ts)  # and the thread still listens
    assert stored(roster, lead.id or 0).status == "claimed"


def test_a_redelivered_event_has_no_second_effect_nor_answer(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app, POOL_HAND_OFF)
    reply(app, "claim", user=MARC, thread_ts=ts)
    _, body = reply(app, "release", user=MARC, thread_ts=ts, event_id="Ev0RELEASE1")
    _, refused_body = reply(app, "release", user=CLAIRE, thread_ts=ts, event_id="Ev0REFUSED1")
    reply(app, "claim", user=CLAIRE, thread_ts=ts)
    fake_slack.clear_calls()
    before = stored(roster, lead.id or 0)
    for again in (body, refused_body):
        status, _ = reply(app, "", user=MARC, thread_ts=ts, body=again)
        assert status == 200
    assert fake_slack.calls() == []
    assert stored(roster, lead.id or 0).model_dump() == before.model_dump()
    with session_scope(roster) as session:
        recorded = set(session.exec(select(SlackEvent.event_id)).all())
    assert {"Ev0RELEASE1", "Ev0REFUSED1"} <= recorded


def test_an_event_whose_effect_failed_gets_a_500_and_its_redelivery_applies_it(
    app: Slack, roster: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing of a failed delivery is kept, not even its event id (models.deliveries)."""
    from models import lead_flow

    _, lead, ts = hand(app, POOL_HAND_OFF)
    real = lead_flow._messages

    def fails_once(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(lead_flow, "_messages", real)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(lead_flow, "_messages", fails_once)
    status, body = reply(app, "claim", user=MARC, thread_ts=ts, event_id="Ev0CLAIMFAIL")
    assert status == 500
    assert stored(roster, lead.id or 0).status == "new"
    with session_scope(roster) as session:
        assert session.get(SlackEvent, "Ev0CLAIMFAIL") is None
    status, _ = reply(app, "", user=MARC, thread_ts=ts, body=body)  # Slack delivers it again
    assert status == 200
    assert stored(roster, lead.id or 0).status == "claimed"


# --- lists, show, release, reassign -----------------------------------------------------------


def test_lists_say_how_many_page_and_filter(app: Slack, roster: Engine) -> None:
    add_event(roster, "seminar", "Paris Summit", date(2025, 10, 14))
    for number in range(45):
        app.command(
            "/lead", f'<@{MARC}|marc> Lead{number} -- x source=seminar:"Paris Summit"', user=AGENT
        )
    hand(app, POOL_HAND_OFF)
    first = app.command("/lead", "list open @marc source=seminar", user=CLAIRE)
    assert "*Open leads of your team*" in first.text
    assert f"Filtered by held by <@{MARC}> and source Seminar." in first.text
    assert "Showing 1–40 of 45." in first.text
    assert "Next page: `/lead list open @marc source=seminar page=2`" in first.text
    assert "L-0045" in first.text and "L-0005" not in first.text
    second = app.command("/lead", "list open @marc source=seminar page=2", user=CLAIRE)
    assert "Showing 41–45 of 45." in second.text and "Next page" not in second.text
    assert "*L-0001* Lead0 · new · <@U0DEMO04> · not given" in second.text
    assert "There is no page 3: this list has 2 pages." in refusal(
        app.command("/lead", "list open @marc source=seminar page=3", user=CLAIRE)
    )
    pool = app.command("/lead", "list pool", user=MARC)
    assert "Showing 1–1 of 1." in pool.text and "L-0046" in pool.text
    assert "There are none." in app.command("/lead", "list", user=THOMAS).text
    shown = refusal(app.command("/lead", "list opne", user=MARC))
    assert "`opne` is not something a list can show. Did you mean `open`?" in shown
    assert (
        "You are not on the leadcell roster" in app.command("/lead", "list", user="U0NOBODY").text
    )


def test_show(app: Slack) -> None:
    hand(app)
    shown = app.command("/lead", "show L-0001", user=THOMAS)
    assert shown.body["response_type"] == "ephemeral"
    assert "*L-0001 · Acme Corp*" in shown.text and "€120,000" in shown.text
    assert "There is no lead `L-0009` in your team." in refusal(
        app.command("/lead", "show L-0009", user=THOMAS)
    )
    assert "Name the lead, like L-0042." in refusal(app.command("/lead", "show", user=THOMAS))


def test_release_by_the_holder_a_manager_and_no_one_else(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    app.click("lead_claim", str(lead.id), user=MARC)
    assert f"You don't hold L-0001: <@{MARC}> does" in refusal(
        app.command("/lead", "release L-0001", user=CLAIRE)
    )
    answer = app.command("/lead", "release L-0001", user=MARC)
    assert answer.text.startswith(f"<@{MARC}> put L-0001 back in the pool.")
    assert thread(fake_slack, ts)[-1] == f"<@{MARC}> put L-0001 back in the pool."
    app.click("lead_claim", str(lead.id), user=CLAIRE)
    assert app.command("/lead", "release L-0001", user=ADMIN).text.startswith(
        f"<@{ADMIN}> put L-0001 back in the pool."
    )
    app.click("lead_claim", str(lead.id), user=CLAIRE)
    app.command("/lead", "reassign L-0001 pool", user=ADMIN)
    app.click("lead_claim", str(lead.id), user=CLAIRE)
    app.click("lead_win", str(lead.id), user=CLAIRE)
    view = fake_slack.calls("views.open")[-1]
    app.submit(view["args"]["view"], {}, user=CLAIRE, view_id=view["response"]["view"]["id"])
    # release on a won lead used to say "you don't hold it"
    assert "L-0001 is closed: won." in refusal(app.command("/lead", "release L-0001", user=CLAIRE))


def test_reassign_by_a_manager_only(app: Slack, fake_slack: FakeSlack, roster: Engine) -> None:
    _, lead, ts = hand(app)
    app.click("lead_claim", str(lead.id), user=MARC)
    assert (
        "Reassigning leads is for admins or managers"
        in app.command("/lead", "reassign L-0001 <@U0DEMO05|claire>", user=MARC).text
    )
    assert "Mention the sales engineer who takes the lead over, or write pool." in refusal(
        app.command("/lead", "reassign L-0001", user=ADMIN)
    )
    assert "is not a sales engineer" in refusal(
        app.command("/lead", "reassign L-0001 <@U0DEMO01|camille>", user=ADMIN)
    )
    fake_slack.clear_calls()
    answer = app.command("/lead", "reassign L-0001 <@U0DEMO05|claire>", user=ADMIN)
    assert f"<@{ADMIN}> reassigned L-0001 to <@{CLAIRE}>." in answer.text
    after = stored(roster, lead.id or 0)
    assert (after.status, after.owner_id, after.assigned_to_id) == (
        "new",
        None,
        member_id(roster, CLAIRE),
    )
    assert thread(fake_slack, ts)[-1] == f"<@{ADMIN}> reassigned L-0001 to <@{CLAIRE}>."
    assert (
        f"<@{ADMIN}> handed L-0001 · *Acme Corp* to you." in direct_messages(fake_slack, CLAIRE)[-1]
    )
    assert (
        f"reassigned L-0001 · *Acme Corp*, which you held, to <@{CLAIRE}>"
        in direct_messages(fake_slack, MARC)[-1]
    )
    fake_slack.clear_calls()
    same = app.command("/lead", "reassign L-0001 <@U0DEMO05|claire>", user=ADMIN)
    assert "L-0001 is unchanged" in same.text
    assert fake_slack.calls("chat.postMessage") == [] and fake_slack.calls("chat.update") == []


# --- a team that speaks French ----------------------------------------------------------------


def test_a_french_teams_card_shows_its_thread_words_and_its_money(
    app: Slack, fake_slack: FakeSlack
) -> None:
    set_team(engine_of(app), language="fr")
    _, _, ts = hand(app)
    shown = text_of(cards(fake_slack)[0])
    assert "*Value:* 120\u202f000\xa0€" in shown  # French grouping and symbol, from Babel
    assert "je prends, je passe" in shown
    reply(app, "je prends", user=MARC, thread_ts=ts)
    assert "qualifié, rejeté &lt;" in text_of(cards(fake_slack)[0])
