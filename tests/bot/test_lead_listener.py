"""`/lead`, the card buttons, their forms and thread replies through a real Bolt App."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any

import pytest
from slack_bolt import BoltRequest
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from sqlalchemy import Engine
from sqlmodel import select

from bot.deps import Deps
from bot.lead_cards import refresh_stale_cards
from bot.local.fake_slack import FakeSlack, payloads
from bot.runtime.settings import Settings
from models.db import session_scope
from models.leads import stale_cards
from models.tables import Call, Lead, Member
from tests.conftest import ADMIN, AGENT, AGENT_2, SALES_ENGINEER, Answer, Slack

MARC, CLAIRE, THOMAS = SALES_ENGINEER, "U0DEMO05", "U0DEMO06"
LEADS = "C0LEADSFR"
HAND_OFF = "<@U0DEMO04|marc> Acme Corp -- invoice capture for 3 plants, decision in Q2 value=120k"
POOL_HAND_OFF = "Globex -- a new ERP for 12 sites value=80k"
PERMALINK = "https://leadcell-fake.slack.com/archives/C0LEADSFR/p"


# --- helpers ----------------------------------------------------------------------------------


def stored_leads(engine: Engine) -> list[Lead]:
    with session_scope(engine) as session:
        return list(session.exec(select(Lead).order_by(Lead.id)))


def stored(engine: Engine, lead_id: int) -> Lead:
    with session_scope(engine) as session:
        found = session.get(Lead, lead_id)
        assert found is not None
        return found


def member_id(engine: Engine, user: str) -> int:
    with session_scope(engine) as session:
        return session.exec(select(Member.id).where(Member.slack_user_id == user)).one() or 0


def cards(fake: FakeSlack) -> list[dict[str, Any]]:
    """Top-level posts to the leads channel."""
    return [
        c
        for c in fake.calls("chat.postMessage")
        if c["args"]["channel"] == LEADS and not c["args"].get("thread_ts")
    ]


def thread_replies(fake: FakeSlack, ts: str) -> list[str]:
    return [
        c["args"]["text"]
        for c in fake.calls("chat.postMessage")
        if c["args"].get("thread_ts") == ts
    ]


def direct_messages(fake: FakeSlack, user: str) -> list[str]:
    return [
        c["args"]["text"] for c in fake.calls("chat.postMessage") if c["args"]["channel"] == user
    ]


def card_text(message: dict[str, Any]) -> str:
    return (
        message.get("text", "") + "\n" + json.dumps(message.get("blocks", []), ensure_ascii=False)
    )


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """Button label -> action id on a card."""
    return {
        e["text"]["text"]: e["action_id"]
        for b in message.get("blocks", [])
        if b["type"] == "actions"
        for e in b["elements"]
    }


def hand(slack: Slack, text: str = HAND_OFF, *, user: str = AGENT) -> tuple[Answer, Lead, str]:
    """Hand a lead with the quick form; its answer, the lead as stored, its card's ts."""
    before = {c["response"]["ts"] for c in cards(slack.fake)}
    answer = slack.command("/lead", text, user=user)
    assert answer.status == 200, answer.body
    lead = stored_leads(slack_engine(slack))[-1]
    [ts] = [c["response"]["ts"] for c in cards(slack.fake) if c["response"]["ts"] not in before]
    assert stored(slack_engine(slack), lead.id or 0).card_ts == ts
    return answer, lead, ts


def slack_engine(slack: Slack) -> Engine:
    engine = getattr(slack, "engine", None)
    assert engine is not None
    return engine


@pytest.fixture
def app(slack: Slack, roster: Engine) -> Slack:
    """The `slack` fixture, knowing its database."""
    slack.engine = roster  # type: ignore[attr-defined]
    return slack


def event(
    slack: Slack,
    text: str,
    *,
    user: str,
    thread_ts: str | None,
    channel: str = LEADS,
    event_id: str | None = None,
    subtype: str | None = None,
    bot_id: str | None = None,
    retry_num: int | None = None,
    body: str | None = None,
) -> tuple[int, str]:
    """Deliver an Events API `message`; (HTTP status, the body, for a redelivery)."""
    body = body or payloads.message_event(
        channel=channel,
        user=user,
        text=text,
        ts=next_ts(),
        thread_ts=thread_ts,
        event_id=event_id,
        subtype=subtype,
        bot_id=bot_id,
    )
    response = slack.app.dispatch(
        BoltRequest(body=body, headers=payloads.event_headers(body, retry_num=retry_num))
    )
    return response.status, body


def next_ts() -> str:
    """A message ts as Slack writes them."""
    return f"{time.time():.6f}"


def refusal_text(answer: Answer, *, example: bool = True) -> str:
    """The text of an ephemeral refusal; bad input (not a missing right) shows an example."""
    assert answer.status == 200
    assert answer.body["response_type"] == "ephemeral"
    assert ":warning:" in answer.text
    if example:
        assert "Example" in answer.text, answer.text
    return answer.text


def no_retry_sleep(slack: Slack, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the client's retries, without their back-off sleeps."""
    for handler in slack.app.client.retry_handlers:
        monkeypatch.setattr(handler, "interval_calculator", FixedValueRetryIntervalCalculator(0))


# --- handing a lead with the quick form -------------------------------------------------------


def test_quick_hand_off_answers_posts_the_card_and_tells_the_engineer(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    answer, lead, ts = hand(app)

    assert answer.body["response_type"] == "ephemeral"
    assert f"L-0001 · *Acme Corp* is handed to <@{MARC}>." in answer.text
    [posted] = cards(fake_slack)
    message = posted["args"]
    assert message["metadata"]["event_payload"]["reference"] == "L-0001"
    assert message["metadata"]["event_payload"]["lead_id"] == lead.id
    text = card_text(message)
    for shown in (
        "L-0001 · Acme Corp",
        "invoice capture for 3 plants, decision in Q2",
        "120 000 EUR",
        "Telemarketing",
        f"<@{AGENT}>",
        f"*Assigned to:* <@{MARC}>",
        "New, waiting to be claimed",
    ):
        assert shown in text, shown
    assert buttons(message) == {"Claim": "lead_claim"}
    assert fake_slack.messages(LEADS)[0]["ts"] == ts
    [permalink] = fake_slack.calls("chat.getPermalink")
    assert permalink["args"]["message_ts"] == ts
    [dm] = direct_messages(fake_slack, MARC)
    assert f"<@{AGENT}> handed you L-0001 · *Acme Corp*" in dm
    assert PERMALINK + ts.replace(".", "") in dm
    assert (lead.status, lead.assigned_to_id, lead.card_channel, lead.card_version) == (
        "new",
        member_id(roster, MARC),
        LEADS,
        1,
    )
    with session_scope(roster) as session:
        assert stale_cards(session) == []


def test_a_pool_hand_off_sends_no_direct_message(app: Slack, fake_slack: FakeSlack) -> None:
    answer, lead, _ts = hand(app, POOL_HAND_OFF)
    assert "is handed to the pool of sales engineers" in answer.text
    assert "any sales engineer may claim it" in card_text(cards(fake_slack)[0]["args"])
    assert "80 000 EUR" in card_text(cards(fake_slack)[0]["args"])
    assert [c for c in fake_slack.calls("chat.postMessage") if c["args"]["channel"] != LEADS] == []
    assert lead.assigned_to_id is None


def test_the_hand_off_mentions_the_call_it_came_from(
    app: Slack, roster: Engine, fake_slack: FakeSlack
) -> None:
    app.command("/call", "Acme Corp 12m contact spoke to the CFO", user=AGENT)
    answer, lead, _ts = hand(app)
    assert "linked to your call with them today" in answer.text
    assert "from the call of" in card_text(cards(fake_slack)[0]["args"])
    with session_scope(roster) as session:
        [call] = session.exec(select(Call)).all()
    assert (lead.call_id, call.outcome) == (call.id, "lead")


def test_the_same_command_delivered_twice_hands_one_lead(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    body = payloads.slash_command(
        command="/lead",
        text=HAND_OFF,
        user_id=AGENT,
        trigger_id="1.2.retry",
        response_url=fake_slack.response_url("twice"),
    )
    first, second = app.send(body), app.send(body)
    assert "L-0001" in first.text and "L-0001" in second.text
    assert len(stored_leads(roster)) == 1
    assert len(cards(fake_slack)) == 1
    assert len(direct_messages(fake_slack, MARC)) == 1


BAD_HAND_OFFS = [
    ("Acme Corp invoice capture", "`--`"),
    ("-- invoice capture", "company is missing"),
    ("Acme Corp -- invoice capture value=lots", "is not an amount"),
    ("Acme Corp -- invoice capture value=12k3", "is not an amount"),
    ("Acme Corp -- invoice capture source=radio", "is not a lead source"),
    ("Acme Corp -- invoice capture source=seminar", "names its event"),
    ('Acme Corp -- invoice capture source=seminar:"Nowhere"', "no seminar called"),
    ("<@U0NOBODY|ghost> Acme Corp -- invoice capture", "is not on this team's roster"),
    ("<@U0DEMO02|julien> Acme Corp -- invoice capture", "is not a sales engineer"),
]


def test_bad_hand_offs_are_explained_and_nothing_is_written(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    for text, says in BAD_HAND_OFFS:
        answer = app.command("/lead", text, user=AGENT)
        assert says in refusal_text(answer), (text, answer.text)
    assert stored_leads(roster) == []
    assert fake_slack.calls("chat.postMessage") == []


def test_only_agents_and_managers_hand_leads(app: Slack, roster: Engine) -> None:
    answer = app.command("/lead", HAND_OFF, user=CLAIRE)
    assert answer.body["response_type"] == "ephemeral"
    assert "Only agents, managers and admins hand leads" in answer.text
    assert stored_leads(roster) == []


def test_lead_help_documents_the_forms(app: Slack) -> None:
    answer = app.command("/lead", "help", user=AGENT)
    assert answer.body["response_type"] == "ephemeral"
    for shown in (
        "value=120k",
        "value=1.2M",
        'source=seminar:"Paris Summit"',
        "/lead list pool",
        "/lead reassign L-0042",
        "reject <reason>",
        "Example",
    ):
        assert shown in answer.text, shown


# --- routing and events, set by an admin ------------------------------------------------------


def test_round_robin_set_by_an_admin_routes_successive_leads(app: Slack, roster: Engine) -> None:
    refused = app.command("/leadcell", "team set fr routing=round-robin", user=MARC)
    assert "Changing team settings is for admins" in refused.text
    bad = app.command("/leadcell", "team set fr routing=random", user=ADMIN)
    assert "is not a way to hand leads out" in bad.text
    assert (
        "New leads without a named sales engineer go to round robin"
        in app.command("/leadcell", "team set fr routing=round-robin", user=ADMIN).text
    )

    first, _, _ = hand(app, POOL_HAND_OFF)
    second, _, _ = hand(app, "Initech -- TPS reports")
    assert f"is handed to <@{MARC}>" in first.text
    assert f"is handed to <@{CLAIRE}>" in second.text
    assert [lead.assigned_to_id for lead in stored_leads(roster)] == [
        member_id(roster, MARC),
        member_id(roster, CLAIRE),
    ]


def test_events_added_by_an_admin_are_named_by_seminar_leads(
    app: Slack, roster: Engine, fake_slack: FakeSlack
) -> None:
    added = app.command("/leadcell", 'event add seminar "Paris Summit" 2026-10-14', user=ADMIN)
    assert "Added the seminar *Paris Summit* of 14 October 2026 to `fr`" in added.text
    app.command("/leadcell", 'event add trade-show "Big Fair" 2026-03-02', user=ADMIN)
    assert (
        "Recording events is for admins"
        in app.command("/leadcell", 'event add seminar "Lyon Day" 2026-11-02', user=AGENT).text
    )
    listed = app.command("/leadcell", "event list", user=AGENT)
    assert "2 events of fr" in listed.text
    assert "Paris Summit" in listed.text and "Big Fair" in listed.text

    answer, lead, _ts = hand(app, 'Acme -- demo source=seminar:"paris summit" value=50k')
    assert "L-0001" in answer.text
    assert lead.source == "seminar" and lead.event_id is not None
    assert "Seminar: Paris Summit" in card_text(cards(fake_slack)[0]["args"])
    unknown = app.command("/lead", 'Acme -- demo source=trade-show:"Paris Summit"', user=AGENT)
    assert "There is no trade-show called `Paris Summit`" in refusal_text(unknown)


# --- the hand-off form ------------------------------------------------------------------------


def open_form(slack: Slack, fake: FakeSlack) -> tuple[dict[str, Any], str]:
    answer = slack.command("/lead", "", user=AGENT, channel="C0CELL")
    assert answer.status == 200 and answer.body == {}
    [opened] = fake.calls("views.open")
    return opened["args"]["view"], opened["response"]["view"]["id"]


def test_lead_alone_opens_the_form(app: Slack, fake_slack: FakeSlack) -> None:
    view, _view_id = open_form(app, fake_slack)
    assert view["callback_id"] == "lead_modal"
    elements = {b["block_id"]: b["element"]["type"] for b in view["blocks"] if b["type"] == "input"}
    assert elements["engineer"] == "users_select"
    assert {"company", "summary", "value", "source"} <= set(elements)
    assert elements["source"] == "static_select"
    assert "event" not in elements  # the team has no event yet


def test_the_form_offers_the_teams_events(app: Slack, fake_slack: FakeSlack) -> None:
    app.command("/leadcell", 'event add seminar "Paris Summit" 2026-10-14', user=ADMIN)
    fake_slack.clear_calls()
    view, _ = open_form(app, fake_slack)
    [event_block] = [b for b in view["blocks"] if b["block_id"] == "event"]
    assert event_block["element"]["type"] == "static_select"
    assert "Paris Summit" in json.dumps(event_block["element"]["options"])


def test_a_bad_form_gets_field_errors_and_nothing_is_written(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    view, view_id = open_form(app, fake_slack)  # the team has no event: no event picker
    cases = [
        ({"summary": "invoice capture"}, "company", "company is missing"),
        ({"company": "Acme Corp"}, "summary", "Say what the project is"),
        ({"company": "Acme Corp", "summary": "x", "value": "lots"}, "value", "not an amount"),
        (
            {"company": "Acme Corp", "summary": "x", "source": "seminar"},
            "source",
            "A seminar lead names its event",
        ),
        (
            {"company": "Acme Corp", "summary": "x", "engineer": AGENT_2},
            "engineer",
            "is not a sales engineer",
        ),
        (
            {"company": "Acme Corp", "summary": "x", "engineer": "U0NOBODY"},
            "engineer",
            "is not on this team's roster",
        ),
    ]
    block_ids = {b["block_id"] for b in view["blocks"] if b["type"] == "input"}
    for values, field, says in cases:
        answer = app.submit(view, values, user=AGENT, view_id=view_id)
        assert answer.status == 200
        assert answer.body["response_action"] == "errors", values
        assert list(answer.body["errors"]) == [field], (values, answer.body)
        assert field in block_ids  # Slack shows errors only on the form's own blocks
        assert says in answer.body["errors"][field]
    assert stored_leads(roster) == []
    assert fake_slack.calls("chat.postMessage") == []


def test_a_good_form_hands_the_lead_posts_the_card_and_confirms(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    app.command("/leadcell", 'event add seminar "Paris Summit" 2026-10-14', user=ADMIN)
    fake_slack.clear_calls()
    view, view_id = open_form(app, fake_slack)
    [summit] = [
        o["value"]
        for b in view["blocks"]
        if b["block_id"] == "event"
        for o in b["element"]["options"]
    ]
    values = {
        "engineer": CLAIRE,
        "company": "Umbrella",
        "contact": "Jane Doe",
        "summary": "vaccine logistics",
        "value": "€1.2M",
        "source": "seminar",
        "event": summit,
    }

    answer = app.submit(view, values, user=AGENT, view_id=view_id)
    assert answer.status == 200 and answer.body == {}
    again = app.submit(view, values, user=AGENT, view_id=view_id)  # delivered twice
    assert again.body == {}

    [lead] = stored_leads(roster)
    assert (lead.company, lead.contact_name, lead.summary, lead.estimated_value) == (
        "Umbrella",
        "Jane Doe",
        "vaccine logistics",
        Decimal("1200000"),
    )
    assert (lead.source, lead.event_id, lead.assigned_to_id) == (
        "seminar",
        int(values["event"]),
        member_id(roster, CLAIRE),
    )
    [card] = cards(fake_slack)
    assert "1 200 000 EUR" in card_text(card["args"])
    assert "Seminar: Paris Summit" in card_text(card["args"])
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

    answer = app.click("lead_claim", str(lead.id), user=MARC)

    assert answer.status == 200
    [update] = fake_slack.calls("chat.update")
    assert (update["args"]["channel"], update["args"]["ts"]) == (LEADS, ts)
    assert f"Claimed by <@{MARC}>" in card_text(update["args"])
    assert set(buttons(update["args"])) == {"Qualify", "Won", "Lost", "Reject", "Release"}
    [shown] = [m for m in fake_slack.messages(LEADS) if m["ts"] == ts]
    assert f"Claimed by <@{MARC}>" in card_text(shown)
    [reply] = thread_replies(fake_slack, ts)
    assert reply.startswith(f"<@{MARC}> claimed L-0001")
    [dm] = direct_messages(fake_slack, AGENT)
    assert f"<@{MARC}> claimed L-0001 · *Acme Corp*." in dm
    assert PERMALINK in dm
    assert fake_slack.calls("response_url") == []
    after = stored(roster, lead.id or 0)
    assert (after.status, after.owner_id, after.version, after.card_version) == (
        "claimed",
        member_id(roster, MARC),
        2,
        2,
    )


def test_claim_by_someone_else_is_explained_and_changes_nothing(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, _ts = hand(app)
    fake_slack.clear_calls()

    answer = app.click("lead_claim", str(lead.id), user=CLAIRE)

    assert answer.status == 200
    [explained] = fake_slack.calls("response_url")
    assert f"handed to <@{MARC}>: only they can claim it" in explained["args"]["text"]
    assert explained["args"]["replace_original"] is False
    assert explained["args"]["response_type"] == "ephemeral"
    assert fake_slack.calls("chat.update") == []
    assert fake_slack.calls("chat.postMessage") == []
    assert lead.card_version == 1
    assert stored(roster, lead.id or 0).model_dump() == lead.model_dump()


def test_a_double_click_on_claim_claims_once(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    fake_slack.clear_calls()
    app.click("lead_claim", str(lead.id), user=MARC)
    app.click("lead_claim", str(lead.id), user=MARC)
    assert len(thread_replies(fake_slack, ts)) == 1
    assert len(direct_messages(fake_slack, AGENT)) == 1
    assert fake_slack.calls("response_url") == []
    assert stored(roster, lead.id or 0).version == 2


def test_an_agent_pressing_claim_is_told_why_not(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, _ts = hand(app, POOL_HAND_OFF)
    fake_slack.clear_calls()
    app.click("lead_claim", str(lead.id), user=AGENT)
    [explained] = fake_slack.calls("response_url")
    assert "Only sales engineers claim leads" in explained["args"]["text"]
    assert stored(roster, lead.id or 0).status == "new"


def outcome_form(
    slack: Slack, fake: FakeSlack, lead_id: int, action: str, user: str = MARC
) -> tuple[dict[str, Any], str]:
    fake.clear_calls()
    answer = slack.click(f"lead_{action}", str(lead_id), user=user)
    assert answer.status == 200
    [opened] = fake.calls("views.open")
    return opened["args"]["view"], opened["response"]["view"]["id"]


def test_reject_opens_a_form_that_needs_a_reason(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    app.click("lead_claim", str(lead.id), user=MARC)
    view, view_id = outcome_form(app, fake_slack, lead.id or 0, "reject")
    assert view["callback_id"] == "lead_outcome"
    assert "L-0001" in view["title"]["text"]
    assert stored(roster, lead.id or 0).status == "claimed"  # the button only opens the form

    missing = app.submit(view, {}, user=MARC, view_id=view_id)
    assert missing.body["response_action"] == "errors"
    assert "Say why L-0001 is rejected" in missing.body["errors"]["reason"]
    assert stored(roster, lead.id or 0).status == "claimed"

    fake_slack.clear_calls()
    done = app.submit(view, {"reason": "too small"}, user=MARC, view_id=view_id)
    assert done.body == {}
    after = stored(roster, lead.id or 0)
    assert (after.status, after.reason) == ("rejected", "too small")
    assert after.rejected_at is not None
    [update] = fake_slack.calls("chat.update")
    assert f"Rejected by <@{MARC}>: too small" in card_text(update["args"])
    assert buttons(update["args"]) == {}
    assert thread_replies(fake_slack, ts) == [f"<@{MARC}> marked L-0001 rejected: too small."]


def test_won_opens_a_form_whose_value_defaults_to_the_estimate(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    app.click("lead_claim", str(lead.id), user=MARC)
    view, view_id = outcome_form(app, fake_slack, lead.id or 0, "win")
    bad = app.submit(view, {"value": "lots"}, user=MARC, view_id=view_id)
    assert "is not an amount" in bad.body["errors"]["value"]
    assert stored(roster, lead.id or 0).status == "claimed"

    fake_slack.clear_calls()
    assert app.submit(view, {}, user=MARC, view_id=view_id).body == {}
    after = stored(roster, lead.id or 0)
    assert (after.status, after.final_value) == ("won", Decimal("120000"))
    assert thread_replies(fake_slack, ts) == [f"<@{MARC}> marked L-0001 won for 120 000 EUR."]


def test_lost_by_someone_who_does_not_hold_the_lead_is_refused_on_the_form(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, _ts = hand(app)
    app.click("lead_claim", str(lead.id), user=MARC)
    view, view_id = outcome_form(app, fake_slack, lead.id or 0, "lose", user=CLAIRE)
    answer = app.submit(view, {"reason": "went elsewhere"}, user=CLAIRE, view_id=view_id)
    assert f"Only <@{MARC}>" in answer.body["errors"]["reason"]
    assert stored(roster, lead.id or 0).status == "claimed"
    view, view_id = outcome_form(app, fake_slack, lead.id or 0, "lose", user=MARC)
    assert app.submit(view, {"reason": "went elsewhere"}, user=MARC, view_id=view_id).body == {}
    assert stored(roster, lead.id or 0).status == "lost"


def test_qualify_and_release_buttons(app: Slack, fake_slack: FakeSlack, roster: Engine) -> None:
    _, lead, ts = hand(app)
    app.click("lead_claim", str(lead.id), user=MARC)
    fake_slack.clear_calls()
    app.click("lead_qualify", str(lead.id), user=MARC)
    assert stored(roster, lead.id or 0).status == "qualified"
    assert thread_replies(fake_slack, ts) == [f"<@{MARC}> marked L-0001 qualified."]
    fake_slack.clear_calls()
    app.click("lead_release", str(lead.id), user=CLAIRE)
    assert "You don't hold L-0001" in fake_slack.calls("response_url")[0]["args"]["text"]
    app.click("lead_release", str(lead.id), user=MARC)
    after = stored(roster, lead.id or 0)
    assert (after.status, after.owner_id, after.assigned_to_id) == ("new", None, None)
    assert thread_replies(fake_slack, ts) == [f"<@{MARC}> passed L-0001 on, back to the pool."]


# --- replies in the card's thread -------------------------------------------------------------


def test_thread_replies_claim_qualify_and_win(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    fake_slack.clear_calls()

    assert event(app, "claim", user=MARC, thread_ts=ts)[0] == 200
    assert stored(roster, lead.id or 0).status == "claimed"
    assert [c["args"]["ts"] for c in fake_slack.calls("chat.update")] == [ts]
    assert direct_messages(fake_slack, AGENT)

    event(app, "Qualify: budget confirmed", user=MARC, thread_ts=ts)
    assert stored(roster, lead.id or 0).status == "qualified"

    event(app, "won 95k", user=MARC, thread_ts=ts)
    after = stored(roster, lead.id or 0)
    assert (after.status, after.final_value, after.version) == ("won", Decimal("95000"), 4)
    replies = thread_replies(fake_slack, ts)
    assert replies[0].startswith(f"<@{MARC}> claimed L-0001")
    assert replies[1:] == [
        f"<@{MARC}> marked L-0001 qualified.",
        f"<@{MARC}> marked L-0001 won for 95 000 EUR.",
    ]
    assert f"Won by <@{MARC}> for 95 000 EUR" in card_text(fake_slack.messages(LEADS)[0])


def test_thread_replies_reject_lose_and_release(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, rejected, rejected_ts = hand(app, POOL_HAND_OFF)
    _, lost, lost_ts = hand(app, "Initech -- TPS reports value=20k")
    _, released, released_ts = hand(app, "Hooli -- compression value=1M")
    for ts in (rejected_ts, lost_ts, released_ts):
        event(app, "claim", user=THOMAS, thread_ts=ts)

    event(app, "reject too small", user=THOMAS, thread_ts=rejected_ts)
    event(app, "lost went with a competitor", user=THOMAS, thread_ts=lost_ts)
    event(app, "release", user=THOMAS, thread_ts=released_ts)

    assert (stored(roster, rejected.id or 0).status, stored(roster, rejected.id or 0).reason) == (
        "rejected",
        "too small",
    )
    assert (stored(roster, lost.id or 0).status, stored(roster, lost.id or 0).reason) == (
        "lost",
        "went with a competitor",
    )
    after = stored(roster, released.id or 0)
    assert (after.status, after.owner_id) == ("new", None)
    assert thread_replies(fake_slack, rejected_ts)[-1] == (
        f"<@{THOMAS}> marked L-0001 rejected: too small."
    )
    assert thread_replies(fake_slack, lost_ts)[-1] == (
        f"<@{THOMAS}> marked L-0002 lost: went with a competitor."
    )
    assert thread_replies(fake_slack, released_ts)[-1] == (
        f"<@{THOMAS}> passed L-0003 on, back to the pool."
    )


def test_a_refused_thread_reply_is_explained_to_its_author_only(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    fake_slack.clear_calls()
    event(app, "claim", user=CLAIRE, thread_ts=ts)
    event(app, "reject", user=MARC, thread_ts=ts)  # not claimed yet, and no reason
    event(app, "claim", user=MARC, thread_ts=ts)
    event(app, "reject", user=MARC, thread_ts=ts)
    event(app, "won lots", user=MARC, thread_ts=ts)
    explained = fake_slack.calls("chat.postEphemeral")
    assert [(c["args"]["user"], c["args"]["thread_ts"]) for c in explained] == [
        (CLAIRE, ts),
        (MARC, ts),
        (MARC, ts),
        (MARC, ts),
    ]
    assert f"handed to <@{MARC}>" in explained[0]["args"]["text"]
    assert "Say why L-0001 is rejected" in explained[2]["args"]["text"]
    assert "is not an amount" in explained[3]["args"]["text"]
    assert stored(roster, lead.id or 0).status == "claimed"


IGNORED: list[dict[str, Any]] = [
    {"text": "I'll call them back tomorrow to claim it"},
    {"text": "Claimed by the competitor already?"},
    {"text": "claim", "subtype": "message_changed"},
    {"text": "claim", "bot_id": "B0OTHERBOT"},
    {"text": "claim", "thread_ts": "1.000001"},  # another thread
    {"text": "claim", "thread_ts": None},  # a top-level message
    {"text": "claim", "channel": "C0GENERAL"},  # not a leads channel
]


def test_messages_that_are_not_lead_commands_are_ignored(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app, POOL_HAND_OFF)
    assert (lead.card_ts, lead.card_version) == (ts, 1)
    fake_slack.clear_calls()
    for ignored in IGNORED:
        fields = {"thread_ts": ts, **ignored}
        status, _ = event(app, fields.pop("text"), user=MARC, **fields)
        assert status == 200
        assert fake_slack.calls() == [], ignored
        assert stored(roster, lead.id or 0).model_dump() == lead.model_dump(), ignored
    event(app, "claim", user=MARC, thread_ts=ts)  # and the same thread still listens
    assert stored(roster, lead.id or 0).status == "claimed"


def test_a_redelivered_event_has_no_second_effect(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app, POOL_HAND_OFF)
    event(app, "claim", user=MARC, thread_ts=ts)
    fake_slack.clear_calls()
    _, body = event(app, "release", user=MARC, thread_ts=ts, event_id="Ev0RELEASE1")
    assert stored(roster, lead.id or 0).status == "new"
    assert len(thread_replies(fake_slack, ts)) == 1
    event(app, "claim", user=CLAIRE, thread_ts=ts)
    fake_slack.clear_calls()
    before = stored(roster, lead.id or 0)

    status, _ = event(app, "", user=MARC, thread_ts=ts, body=body, retry_num=1)

    assert status == 200
    assert fake_slack.calls() == []  # not even a refusal: the release was handled already
    assert stored(roster, lead.id or 0).model_dump() == before.model_dump()
    assert before.owner_id == member_id(roster, CLAIRE)


# --- /lead list, show, release, reassign ------------------------------------------------------


def test_lists(app: Slack, roster: Engine) -> None:
    hand(app)  # L-0001 to marc
    hand(app, POOL_HAND_OFF)  # L-0002 in the pool
    hand(app, "<@U0DEMO05|claire> Initech -- TPS reports", user=AGENT_2)  # L-0003 to claire
    app.click("lead_claim", str(stored_leads(roster)[2].id), user=CLAIRE)

    mine = app.command("/lead", "list", user=MARC)
    assert "Your open leads" in mine.text
    assert "L-0001" in mine.text and "L-0002" not in mine.text and "L-0003" not in mine.text
    open_ = app.command("/lead", "list open", user=MARC).text
    assert all(ref in open_ for ref in ("L-0001", "L-0002", "L-0003"))
    assert "120 000 EUR" in open_
    pool = app.command("/lead", "list pool", user=MARC).text
    assert "L-0002" in pool and "L-0001" not in pool and "L-0003" not in pool
    today = app.command("/lead", "list today", user=AGENT).text
    assert "L-0001" in today and "L-0002" in today and "L-0003" not in today
    default_for_agent = app.command("/lead", "list", user=AGENT_2).text
    assert "Leads you handed today" in default_for_agent and "L-0003" in default_for_agent
    assert "none" in app.command("/lead", "list", user=THOMAS).text
    assert "Lists are" in refusal_text(app.command("/lead", "list closed", user=MARC))
    assert "not an active member" in app.command("/lead", "list", user="U0NOBODY").text


def test_show(app: Slack) -> None:
    hand(app)
    shown = app.command("/lead", "show L-0001", user=THOMAS)
    assert shown.body["response_type"] == "ephemeral"
    assert "L-0001 · Acme Corp" in shown.text and "120 000 EUR" in shown.text
    assert "There is no lead `L-0009`" in refusal_text(
        app.command("/lead", "show L-0009", user=THOMAS)
    )
    assert "Name the lead to show" in refusal_text(app.command("/lead", "show", user=THOMAS))


def test_release_by_the_holder_and_no_one_else(
    app: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    _, lead, ts = hand(app)
    app.click("lead_claim", str(lead.id), user=MARC)
    assert "You don't hold L-0001" in refusal_text(
        app.command("/lead", "release L-0001", user=CLAIRE), example=False
    )
    assert stored(roster, lead.id or 0).status == "claimed"
    fake_slack.clear_calls()

    answer = app.command("/lead", "release L-0001", user=MARC)

    assert answer.body["response_type"] == "ephemeral"
    assert f"<@{MARC}> passed L-0001 on, back to the pool." in answer.text
    assert stored(roster, lead.id or 0).status == "new"
    assert [c["args"]["ts"] for c in fake_slack.calls("chat.update")] == [ts]
    assert thread_replies(fake_slack, ts) == [f"<@{MARC}> passed L-0001 on, back to the pool."]


def test_reassign_by_a_manager_only(app: Slack, fake_slack: FakeSlack, roster: Engine) -> None:
    _, lead, ts = hand(app)
    app.click("lead_claim", str(lead.id), user=MARC)
    assert "Only managers and admins reassign leads" in refusal_text(
        app.command("/lead", "reassign L-0001 <@U0DEMO05|claire>", user=MARC), example=False
    )
    assert "Mention the sales engineer" in refusal_text(
        app.command("/lead", "reassign L-0001", user=ADMIN)
    )
    assert "is not a sales engineer" in refusal_text(
        app.command("/lead", "reassign L-0001 <@U0DEMO01|camille>", user=ADMIN)
    )
    assert stored(roster, lead.id or 0).owner_id == member_id(roster, MARC)
    fake_slack.clear_calls()

    answer = app.command("/lead", "reassign L-0001 <@U0DEMO05|claire>", user=ADMIN)

    assert f"<@{ADMIN}> reassigned L-0001 to <@{CLAIRE}>." in answer.text
    after = stored(roster, lead.id or 0)
    assert (after.status, after.owner_id, after.assigned_to_id) == (
        "new",
        None,
        member_id(roster, CLAIRE),
    )
    assert thread_replies(fake_slack, ts) == [f"<@{ADMIN}> reassigned L-0001 to <@{CLAIRE}>."]
    [dm] = direct_messages(fake_slack, CLAIRE)
    assert f"L-0001 · *Acme Corp* is now handed to you by <@{ADMIN}>." in dm
    assert f"*Assigned to:* <@{CLAIRE}>" in card_text(fake_slack.messages(LEADS)[0])


# --- the card and the truth -------------------------------------------------------------------


def test_a_claim_stands_when_the_card_cannot_be_updated(
    app: Slack,
    fake_slack: FakeSlack,
    roster: Engine,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    no_retry_sleep(app, monkeypatch)
    _, lead, ts = hand(app)
    fake_slack.add_fault("chat.update", "server_error", count=None, status=500)
    fake_slack.clear_calls()

    answer = app.click("lead_claim", str(lead.id), user=MARC)

    assert answer.status == 200
    assert len(fake_slack.calls("chat.update")) == 4  # the first try and three retries
    after = stored(roster, lead.id or 0)
    assert (after.status, after.owner_id, after.version, after.card_version) == (
        "claimed",
        member_id(roster, MARC),
        2,
        1,
    )
    assert thread_replies(fake_slack, ts)  # the thread still records the claim
    with session_scope(roster) as session:
        assert stale_cards(session) == [lead.id]
    assert "New, waiting to be claimed" in card_text(fake_slack.messages(LEADS)[0])

    fake_slack.clear_faults()
    fake_slack.clear_calls()
    refreshed = refresh_stale_cards(app.app.client, Deps(roster, settings))

    assert refreshed == (1, 0)
    [update] = fake_slack.calls("chat.update")
    assert update["args"]["ts"] == ts
    assert f"Claimed by <@{MARC}>" in card_text(fake_slack.messages(LEADS)[0])
    with session_scope(roster) as session:
        assert stale_cards(session) == []
    assert refresh_stale_cards(app.app.client, Deps(roster, settings)) == (0, 0)


def test_the_next_change_brings_a_stale_card_up_to_date(
    app: Slack, fake_slack: FakeSlack, roster: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_retry_sleep(app, monkeypatch)
    _, lead, _ts = hand(app)
    fake_slack.add_fault("chat.update", "server_error", count=4, status=500)
    app.click("lead_claim", str(lead.id), user=MARC)
    assert stored(roster, lead.id or 0).card_version == 1
    app.click("lead_qualify", str(lead.id), user=MARC)
    after = stored(roster, lead.id or 0)
    assert (after.status, after.version, after.card_version) == ("qualified", 3, 3)
    assert f"Qualified by <@{MARC}>" in card_text(fake_slack.messages(LEADS)[0])


def test_a_card_that_could_not_be_posted_is_posted_by_the_refresh(
    app: Slack,
    fake_slack: FakeSlack,
    roster: Engine,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    no_retry_sleep(app, monkeypatch)
    fake_slack.add_fault("chat.postMessage", "server_error", count=None, status=500)
    answer = app.command("/lead", HAND_OFF, user=AGENT)
    assert "L-0001" in answer.text  # the lead is handed all the same
    [lead] = stored_leads(roster)
    assert lead.card_ts is None
    fake_slack.clear_faults()
    fake_slack.clear_calls()

    assert refresh_stale_cards(app.app.client, Deps(roster, settings)) == (1, 0)
    [card] = cards(fake_slack)
    assert stored(roster, lead.id or 0).card_ts == card["response"]["ts"]
