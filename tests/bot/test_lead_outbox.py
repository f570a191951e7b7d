"""Nothing lost, nothing doubled: cards, thread replies and DMs through the outbox, with Slack
failing in every way the fake can (rate limits, server errors, dropped connections, answers
slower than the client waits) and the process dying between the commit and the post."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from datetime import timedelta
from typing import Any

import pytest
from slack_bolt import BoltRequest
from slack_sdk import WebClient
from sqlalchemy import Engine, update
from sqlmodel import col

import bot.publisher as publisher
from bot.app import InlineExecutor, create_app
from bot.cli_leads import refresh_cards
from bot.local.fake_slack import FakeSlack, payloads
from bot.runtime.settings import Settings
from models import outbox
from models.db import session_scope, utcnow
from models.tables import Lead
from tests.conftest import AGENT, Slack
from tests.lead_helpers import CLAIRE, MARC, leads, rows, set_team, stored

LEADS = "C0LEADSFR"
HAND_OFF = "<@U0DEMO04|marc> Acme Corp -- invoice capture for 3 plants value=120k"


class Crash(Executor):
    """Drops every lazy listener: the process died right after the request was answered."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return Future()


def app_with(settings: Settings, engine: Engine, fake: FakeSlack, **kwargs: Any) -> Slack:
    app = create_app(settings, engine, **kwargs)
    fake.clear_calls()
    return Slack(app, fake)


@pytest.fixture
def crashing(settings: Settings, roster: Engine, fake_slack: FakeSlack) -> Slack:
    """The App, whose lazy listeners never run."""
    return app_with(settings, roster, fake_slack, listener_executor=Crash())


def client_of(slack: Slack) -> WebClient:
    return slack.app.client


def sweep(
    slack: Slack, engine: Engine, *, later: timedelta = timedelta(hours=1)
) -> publisher.Delivered:
    """What the worker's sweep does every minute, run as if `later` had passed."""
    return publisher.deliver_pending(
        engine, client_of(slack), worker="sweeper", now=utcnow() + later, lease=outbox.LEASE
    )


def cards(fake: FakeSlack) -> list[dict[str, Any]]:
    return [m for m in fake.messages(LEADS) if m.get("thread_ts", m["ts"]) == m["ts"]]


def replies(fake: FakeSlack, ts: str) -> list[str]:
    return [m["text"] for m in fake.messages(LEADS) if m.get("thread_ts") == ts and m["ts"] != ts]


def dms(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    """The app's direct messages with `user` (the fake gives each pair one channel)."""
    opened = WebClient(token="xoxb-test", base_url=fake.url).conversations_open(users=user)
    return fake.messages(opened["channel"]["id"])


def thread_reply(slack: Slack, ts: str, text: str, user: str) -> int:
    body = payloads.message_event(
        channel=LEADS, user=user, text=text, ts=f"{time.time():.6f}", thread_ts=ts
    )
    return slack.app.dispatch(BoltRequest(body=body, headers=payloads.event_headers(body))).status


def pending(engine: Engine) -> list[outbox.Outbox]:
    return [row for row in rows(engine) if row.status != "sent"]


def assert_all_delivered_once(
    fake: FakeSlack, engine: Engine, *, replies_expected: int, dms_to: dict[str, int]
) -> str:
    """Exactly one card, the replies under it and the DMs, once each; every row sent."""
    [card] = cards(fake)
    assert len(replies(fake, card["ts"])) == replies_expected, replies(fake, card["ts"])
    for user, expected in dms_to.items():
        assert len(dms(fake, user)) == expected, (user, dms(fake, user))
    assert pending(engine) == []
    [lead] = leads(engine)
    assert (lead.card_ts, lead.card_version) == (card["ts"], lead.version)
    assert card["metadata"]["event_payload"]["version"] == lead.version
    return str(card["ts"])


# --- a crash between the commit and the post --------------------------------------------------


def test_a_crash_after_the_commit_is_caught_up_by_the_sweep_once(
    crashing: Slack, slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    answer = crashing.command("/lead", HAND_OFF, user=AGENT)
    assert "L-0001" in answer.text  # the hand-off was stored and answered
    assert fake_slack.messages(LEADS) == []  # and nothing reached Slack
    assert [row.kind for row in pending(roster)] == ["card", "dm"]

    done = sweep(slack, roster)
    assert done["sent"] == 2
    ts = assert_all_delivered_once(fake_slack, roster, replies_expected=0, dms_to={MARC: 1})
    assert sweep(slack, roster)["sent"] == 0  # nothing twice

    assert thread_reply(crashing, ts, "claim", MARC) == 200  # the thread works; crash again
    assert len(pending(roster)) == 3
    sweep(slack, roster)
    assert_all_delivered_once(fake_slack, roster, replies_expected=1, dms_to={MARC: 1, AGENT: 1})
    assert "Claimed by" in str(cards(fake_slack)[0]["blocks"])


@pytest.mark.parametrize("step", ["card_shown", "mark_sent"])
def test_a_crash_after_slack_took_the_message_is_found_in_the_channel_not_reposted(
    slack: Slack,
    fake_slack: FakeSlack,
    roster: Engine,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
) -> None:
    # The process dies between Slack's answer and recording it: the row keeps its lease.
    def dies(*args: Any, **kwargs: Any) -> bool:
        raise SystemExit("killed")

    if step == "mark_sent":
        slack.command("/lead", HAND_OFF, user=AGENT)
        monkeypatch.setattr(outbox, step, dies)
        thread_reply(slack, cards(fake_slack)[0]["ts"], "claim", MARC)
        expected = (1, {MARC: 1, AGENT: 1})
    else:
        monkeypatch.setattr(outbox, step, dies)
        slack.command("/lead", HAND_OFF, user=AGENT)
        expected = (0, {MARC: 1})
    monkeypatch.undo()
    [held] = [row for row in pending(roster) if row.claimed_by]
    assert len(cards(fake_slack)) == 1  # Slack has it
    assert len(replies(fake_slack, cards(fake_slack)[0]["ts"])) == expected[0]
    sweep(slack, roster, later=timedelta(seconds=30))
    assert [row.id for row in pending(roster) if row.claimed_by] == [held.id]  # still leased
    fake_slack.clear_calls()
    sweep(slack, roster)  # the lease ran out: look in Slack, then record rather than send
    assert fake_slack.calls("conversations.history") or fake_slack.calls("conversations.replies")
    ts = assert_all_delivered_once(
        fake_slack, roster, replies_expected=expected[0], dms_to=expected[1]
    )
    assert thread_reply(slack, ts, "qualify" if step == "mark_sent" else "claim", MARC) == 200
    assert pending(roster) == []


def test_a_requests_delivery_also_sends_what_waited_on_its_lead(
    crashing: Slack, slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    crashing.command("/lead", HAND_OFF, user=AGENT)
    publisher.deliver(roster, client_of(slack), [r.id or 0 for r in pending(roster)])
    ts = cards(fake_slack)[0]["ts"]
    thread_reply(crashing, ts, "claim", MARC)
    claim_rows = [r.id or 0 for r in pending(roster)]
    thread_reply(crashing, ts, "qualify", MARC)
    # The claim's delivery finds the qualify's reply waiting behind its own, and sends it too.
    publisher.deliver(roster, client_of(slack), claim_rows)
    assert replies(fake_slack, ts) == [
        f"<@{MARC}> claimed L-0001 0 min after the hand-off.",
        f"<@{MARC}> qualified L-0001.",
    ]
    assert_all_delivered_once(fake_slack, roster, replies_expected=2, dms_to={MARC: 1, AGENT: 1})


# --- Slack failing ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["ratelimit", "server_error", "drop"])
def test_a_failed_post_stays_pending_and_is_posted_once_later(
    slack: Slack, fake_slack: FakeSlack, roster: Engine, kind: str
) -> None:
    fake_slack.add_fault("chat.postMessage", kind, count=1, retry_after=30)
    answer = slack.command("/lead", HAND_OFF, user=AGENT)
    assert "L-0001" in answer.text
    assert cards(fake_slack) == []
    [card_row, dm_row] = pending(roster)
    assert card_row.last_error and card_row.attempts == 1
    assert dm_row.attempts == 0  # a DM links the card: it waits for it
    if kind == "ratelimit":  # Slack's Retry-After is honoured
        assert card_row.next_attempt_at - card_row.last_attempt_at >= timedelta(seconds=30)  # type: ignore[operator]
    assert sweep(slack, roster, later=timedelta(seconds=5))["sent"] == 0  # backing off
    sweep(slack, roster)
    ts = assert_all_delivered_once(fake_slack, roster, replies_expected=0, dms_to={MARC: 1})
    assert thread_reply(slack, ts, "claim", MARC) == 200
    assert_all_delivered_once(fake_slack, roster, replies_expected=1, dms_to={MARC: 1, AGENT: 1})


@pytest.mark.parametrize("method", ["chat.update", "chat.postMessage", "conversations.open"])
def test_a_change_whose_messages_fail_stands_and_its_messages_follow(
    slack: Slack, fake_slack: FakeSlack, roster: Engine, method: str
) -> None:
    slack.command("/lead", HAND_OFF, user=AGENT)
    ts = cards(fake_slack)[0]["ts"]
    fake_slack.add_fault(method, "server_error", count=None, status=503)
    slack.click("lead_claim", str(leads(roster)[0].id), user=MARC)
    assert stored(roster, leads(roster)[0].id or 0).status == "claimed"  # the truth
    assert pending(roster)
    fake_slack.clear_faults()
    sweep(slack, roster)
    assert_all_delivered_once(fake_slack, roster, replies_expected=1, dms_to={MARC: 1, AGENT: 1})
    assert cards(fake_slack)[0]["ts"] == ts


def test_slack_storing_a_card_after_the_client_gave_up_is_not_posted_twice(
    settings: Settings, roster: Engine, fake_slack: FakeSlack
) -> None:
    # chat.postMessage answers after the client's timeout: Slack has the card, we don't know.
    client = WebClient(token=settings.slack_bot_token, base_url=fake_slack.url, timeout=1)
    impatient = app_with(
        settings, roster, fake_slack, client=client, listener_executor=InlineExecutor()
    )
    fake_slack.add_fault("chat.postMessage", "delay", count=1, seconds=2.5)
    impatient.command("/lead", HAND_OFF, user=AGENT)
    [card_row, _dm] = pending(roster)
    assert (
        "timed out" in (card_row.last_error or "").lower()
        or "timeout" in (card_row.last_error or "").lower()
    )
    deadline = time.monotonic() + 10
    while not cards(fake_slack):  # the fake stores the card once its delay is over
        assert time.monotonic() < deadline
        time.sleep(0.1)
    fake_slack.clear_calls()
    sweep(impatient, roster)
    assert fake_slack.calls("conversations.history")  # looked before posting again
    assert [c for c in fake_slack.calls("chat.postMessage") if c["args"]["channel"] == LEADS] == []
    ts = assert_all_delivered_once(fake_slack, roster, replies_expected=0, dms_to={MARC: 1})
    assert thread_reply(impatient, ts, "claim", MARC) == 200  # the first card's thread works
    assert stored(roster, leads(roster)[0].id or 0).status == "claimed"
    assert_all_delivered_once(fake_slack, roster, replies_expected=1, dms_to={MARC: 1, AGENT: 1})


def test_two_sweepers_at_once_deliver_each_message_once(
    crashing: Slack, slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    for number in range(4):
        crashing.command("/lead", f"<@{MARC}|marc> Company{number} -- x", user=AGENT)
    fake_slack.add_fault("*", "delay", count=None, seconds=0.05)
    start = threading.Barrier(2)
    outcomes: list[publisher.Delivered] = []

    def run(name: str) -> None:
        start.wait(timeout=10)
        outcomes.append(
            publisher.deliver_pending(
                roster, client_of(slack), worker=name, now=utcnow(), lease=outbox.LEASE
            )
        )

    threads = [threading.Thread(target=run, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    fake_slack.clear_faults()
    sweep(slack, roster)  # DMs that waited for a card the other sweeper was posting
    assert sum(o["sent"] for o in outcomes) >= 4
    assert len(cards(fake_slack)) == 4
    assert len(dms(fake_slack, MARC)) == 4
    assert pending(roster) == []


# --- definitive failures ----------------------------------------------------------------------


def test_a_definitive_error_fails_the_row_with_its_reason_and_refresh_cards_says_so(
    slack: Slack, fake_slack: FakeSlack, roster: Engine, settings: Settings
) -> None:
    slack.command("/lead", HAND_OFF, user=AGENT)
    lead_id = leads(roster)[0].id or 0
    with roster.begin() as connection:  # someone deleted the card in Slack
        connection.execute(update(Lead).where(col(Lead.id) == lead_id).values(card_ts="1.000001"))
    slack.click("lead_claim", str(lead_id), user=MARC)
    card_row = next(r for r in rows(roster) if r.kind == "card")
    assert (card_row.status, card_row.last_error) == ("failed", "message_not_found")
    assert stored(roster, lead_id).status == "claimed"

    out = io.StringIO()
    assert refresh_cards(settings, out=out) == 1
    report = out.getvalue()
    assert "L-0001 card: failed: message_not_found" in report
    assert "DM" not in report  # the DM went, without its link
    assert "Open the card" not in dms(fake_slack, AGENT)[0]["text"]
    assert "L-0001 thread reply: pending, waiting for its card" not in report  # it has one
    assert "--retry-failed" in report

    with roster.begin() as connection:  # an admin points the lead back at its real card
        connection.execute(
            update(Lead).where(col(Lead.id) == lead_id).values(card_ts=cards(fake_slack)[0]["ts"])
        )
    out = io.StringIO()
    assert refresh_cards(settings, retry_failed=True, out=out) == 0, out.getvalue()
    assert "1 failed message(s) queued again" in out.getvalue()
    assert "Claimed by" in str(cards(fake_slack)[0]["blocks"])


def test_a_team_without_a_leads_channel_fails_its_cards_and_their_dms_go_without_a_link(
    crashing: Slack, slack: Slack, fake_slack: FakeSlack, roster: Engine, settings: Settings
) -> None:
    crashing.command("/lead", HAND_OFF, user=AGENT)
    set_team(roster, leads_channel=None)
    sweep(slack, roster)
    card_row, dm_row = rows(roster)
    assert (card_row.status, card_row.last_error) == ("failed", "no_leads_channel")
    assert dm_row.status == "sent"
    [dm] = dms(fake_slack, MARC)
    assert "handed you L-0001" in dm["text"] and "Open the card" not in dm["text"]
    set_team(roster, leads_channel=LEADS)
    out = io.StringIO()
    assert refresh_cards(settings, retry_failed=True, out=out) == 0
    assert len(cards(fake_slack)) == 1


def test_refresh_cards_queues_stale_cards_from_before_the_outbox(
    slack: Slack, fake_slack: FakeSlack, roster: Engine, settings: Settings
) -> None:
    slack.command("/lead", HAND_OFF, user=AGENT)
    lead_id = leads(roster)[0].id or 0
    with roster.begin() as connection:
        connection.execute(
            update(Lead).where(col(Lead.id) == lead_id).values(version=2, status="claimed")
        )
        connection.execute(update(outbox.Outbox).values(status="sent"))
    out = io.StringIO()
    assert refresh_cards(settings, out=out) == 0
    assert "1 stale card(s) queued" in out.getvalue()
    assert "1 delivered, 0 to retry, 0 failed, 0 not delivered in all" in out.getvalue()
    with session_scope(roster) as session:
        assert session.get_one(Lead, lead_id).card_version == 2
    assert len(cards(fake_slack)) == 1 and CLAIRE  # updated in place
