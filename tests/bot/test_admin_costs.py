"""`/leadcell cost …`, `event …` and `report …` through the real App: one amount grammar,
money for those who may read it, events named by name and date, reports on demand (the
report's words, rights and answers are tested in test_report_command.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.local.fake_slack import FakeSlack
from models.db import session_scope
from models.roster import get_team
from models.tables import CostSplit, Event, Lead, Member, MonthlyCost, Team
from tests.conftest import ADMIN, AGENT, SALES_ENGINEER, SETTINGS_ADMIN, Answer, Slack

STRANGER = "U0STRANGER"
MANAGER = ADMIN  # Magali is the demo team's manager and admin


def leadcell(slack: Slack, text: str, user: str = ADMIN) -> Answer:
    answer = slack.command("/leadcell", text, user=user)
    assert answer.status == 200
    return answer


def costs(engine: Engine) -> list[tuple[date, str, Decimal, str]]:
    with session_scope(engine) as session:
        rows = session.exec(select(MonthlyCost).order_by(MonthlyCost.month, MonthlyCost.source))
        return [(r.month, r.source, r.amount, r.currency) for r in rows]


def split_of(engine: Engine) -> dict[str, Decimal]:
    with session_scope(engine) as session:
        return {r.source: r.percent for r in session.exec(select(CostSplit))}


def events(engine: Engine) -> dict[tuple[str, date], tuple[Decimal | None, int | None]]:
    with session_scope(engine) as session:
        return {(e.name, e.held_on): (e.cost, e.attendees) for e in session.exec(select(Event))}


def fr(engine: Engine) -> Team:
    with session_scope(engine) as session:
        return get_team(session, slug="fr")


def add_leads(engine: Engine, count: int, at: datetime) -> None:
    with session_scope(engine) as session:
        team = get_team(session, slug="fr")
        agent = session.exec(select(Member).where(Member.slack_user_id == AGENT)).one()
        for _ in range(count):
            team.last_lead_number += 1
            session.add(
                Lead(
                    team_id=team.id,
                    number=team.last_lead_number,
                    source="telemarketing",
                    detected_by_id=agent.id,
                    company=f"Prospect {team.last_lead_number} & Co",
                    summary="x",
                    currency="EUR",
                    created_at=at,
                    handed_at=at,
                    slack_key=f"t:{team.last_lead_number}",
                )
            )
        session.add(team)
        session.commit()


def example(answer: Answer) -> str:
    """The example a refusal shows (its context block)."""
    [context] = [b for b in answer.body["blocks"] if b["type"] == "context"]
    return str(context["elements"][0]["text"])


def refused(answer: Answer, *says: str, example_is: str | None = None) -> str:
    assert ":warning:" in answer.text, answer.text
    for words in says:
        assert words in answer.text, (words, answer.text)
    assert example(answer).startswith("Example: `/"), answer.text
    if example_is is not None:
        assert example(answer) == f"Example: `{example_is}`"
    return answer.text


def accepted(answer: Answer, *says: str) -> str:
    assert ":warning:" not in answer.text, answer.text
    for words in says:
        assert words in answer.text, (words, answer.text)
    return answer.text


# --- costs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount", ["24000", "24 000", "24k", "24000€", "€24,000", "24 000 EUR", "EUR 24000", "24.000"]
)
def test_one_amount_grammar_for_cost_set(slack: Slack, roster: Engine, amount: str) -> None:
    accepted(
        leadcell(slack, f"cost set 2026-10 telemarketing {amount}"),
        "Recorded what telemarketing cost `fr` in October 2026: *€24,000*.",
    )
    assert costs(roster) == [(date(2026, 10, 1), "telemarketing", Decimal(24000), "EUR")]


def test_costs_are_recorded_replaced_and_split(slack: Slack, roster: Engine) -> None:
    leadcell(slack, "cost set 2026-10 telemarketing 24000")
    accepted(
        leadcell(slack, "cost set 2026-10 telemarketing 25 000 team=fr", SETTINGS_ADMIN),
        "*€25,000* (was €24,000)",
    )
    leadcell(slack, "cost set 10/2026 séminaire 1.5k")
    assert costs(roster) == [
        (date(2026, 10, 1), "seminar", Decimal("1500.00"), "EUR"),
        (date(2026, 10, 1), "telemarketing", Decimal("25000.00"), "EUR"),
    ]
    accepted(
        leadcell(slack, "cost split 2026-10 telemarketing=70 seminar=30%"),
        "In October 2026, the cell's cost of `fr` goes to telemarketing 70% and seminars 30%.",
    )
    assert split_of(roster) == {"telemarketing": Decimal(70), "seminar": Decimal(30)}
    listed = accepted(
        leadcell(slack, "cost list 2026-10", MANAGER), "Costs of `fr` in October 2026, in EUR."
    )
    assert "€17,500" in listed  # 25 000 x 70 %
    assert "€9,000" in listed  # 25 000 x 30 % + 1 500
    assert "no cost recorded" in listed  # trade shows and other: nothing, not "€0"
    accepted(
        leadcell(slack, "cost list 2026-03"),
        "No cost is recorded for `fr` in March 2026. Record one: "
        "`/leadcell cost set 2026-10 telemarketing 24000`",
    )


BAD_COST_COMMANDS = (
    ("cost set 2026-13 telemarketing 24000", "`2026-13` is not a month like 2026-10."),
    ("cost set 9999-12 telemarketing 24000", "months run from 2000 to 2099"),
    ("cost split 9999-12 telemarketing=100", "months run from 2000 to 2099"),
    ("cost set 2026-10 radio 24000", "`radio` is not a lead source: use"),
    ("cost set 2026-10 seminr 24000", "Did you mean `seminar`?"),
    ("cost set 2026-10 telemarketing -5", "`-5` is not an amount"),
    ("cost set 2026-10 telemarketing $120k", "`$120k` is in USD, but this team counts in EUR."),
    ("cost set 2026-10 telemarketing 12,34.5", "`12,34.5` is not an amount"),
    ("cost set 2026-10 telemarketing 1.2345", "has more decimals than cents"),
    ("cost set 2026-10 telemarketing", "Give the amount, like 24000 or 24 000."),
    ("cost set 2026-10 telemarketing 5 team=xx", "There is no team `xx`"),
    ("cost split 2026-10 telemarketing=70 seminar=20", "The shares add up to 90%, not 100%."),
    ("cost split 2026-10 telemarketing=lots", "`lots` is not a percent"),
    ("cost split 2026-10 tm=50 telemarketing=50", "The share of `telemarketing` is given twice."),
    ("cost split 2026-10", "Give each source's share"),
    ("cost frobnicate", "`frobnicate` is not a `cost` command"),
)


@pytest.mark.parametrize(("text", "says"), BAD_COST_COMMANDS)
def test_bad_cost_commands_are_explained_and_change_nothing(
    slack: Slack, roster: Engine, text: str, says: str
) -> None:
    refused(leadcell(slack, text), says)
    assert costs(roster) == [] and split_of(roster) == {}


def test_costs_are_money_for_managers_and_admins(slack: Slack, roster: Engine) -> None:
    for user in (AGENT, SALES_ENGINEER):
        text = refused(
            leadcell(slack, "cost list", user),
            "Reading costs and cost per lead is for admins or managers.",
        )
        assert "`/leadcell report today`" in text  # what they may read instead
    refused(leadcell(slack, "cost list", STRANGER), "You are not on the leadcell roster")
    for user in (AGENT, SALES_ENGINEER, STRANGER):
        for text in (
            "cost set 2026-10 telemarketing 1",
            "cost split 2026-10 telemarketing=100",
            'event add seminar "X" 2026-10-01 cost=5',
            "team set fr digest_time=07:00",
        ):
            refused(leadcell(slack, text, user), "<@U0DEMO19>")
    assert costs(roster) == [] and fr(roster).digest_time == "18:00"


def test_a_team_admin_records_no_cost_for_another_team(slack: Slack, roster: Engine) -> None:
    leadcell(slack, "team add uk Britain tz=Europe/London currency=GBP", SETTINGS_ADMIN)
    refused(
        leadcell(slack, "cost set 2026-10 telemarketing 24000 team=uk"),
        "Recording costs of another team is for that team's people.",
    )
    refused(
        leadcell(slack, "cost list team=uk"),
        "Reading costs and cost per lead of another team is for that team's people.",
    )
    accepted(leadcell(slack, "cost set 2026-10 telemarketing £18k team=uk", SETTINGS_ADMIN))
    assert costs(roster) == [(date(2026, 10, 1), "telemarketing", Decimal(18000), "GBP")]


# --- events ------------------------------------------------------------------------------------


def test_events_carry_their_cost_and_attendees(slack: Slack, roster: Engine) -> None:
    accepted(
        leadcell(slack, 'event add seminar "Paris Summit" 2026-10-14 cost=12 000 attendees=180'),
        "Added the seminar *Paris Summit* of 14 October 2026 to `fr`: cost €12,000 and "
        "180 attendees.",
    )
    accepted(
        leadcell(slack, "event add salon “Documation” 20/10/2026"),
        "Added the trade show *Documation* of 20 October 2026 to `fr`: no cost or attendance "
        "recorded.",
    )
    accepted(
        leadcell(slack, 'event set trade-show "documation" cost=30k€'),
        "Updated the trade show *Documation* of 20 October 2026: cost €30,000.",
    )
    accepted(
        leadcell(slack, 'event set seminar "Paris Summit" attendees=185'),
        "It had 180 attendees.",
    )
    assert events(roster) == {
        ("Paris Summit", date(2026, 10, 14)): (Decimal(12000), 185),
        ("Documation", date(2026, 10, 20)): (Decimal(30000), None),
    }


def test_event_lists_show_costs_only_to_money_readers(slack: Slack) -> None:
    leadcell(slack, 'event add seminar "Paris Summit" 2026-10-14 cost=12000 attendees=180')
    admin_list = accepted(leadcell(slack, "event list", MANAGER), "1 event of fr, newest first")
    assert "€12,000" in admin_list and "cost" in admin_list
    agent_list = accepted(leadcell(slack, "event list", AGENT), "Paris Summit", "180")
    assert "12,000" not in agent_list and "cost" not in agent_list
    refused(leadcell(slack, "event list", STRANGER), "not on the leadcell roster")


def test_event_names_are_unique_by_date_and_set_asks_which_one(
    slack: Slack, roster: Engine
) -> None:
    leadcell(slack, 'event add seminar "Paris Summit" 2025-10-15')
    leadcell(slack, 'event add seminar "Paris Summit" 2026-10-14')
    refused(
        leadcell(slack, 'event add seminar "paris summit" 2026-10-14'),
        "*Paris Summit* of 14 October 2026 is recorded already",
        example_is='/leadcell event set seminar "Paris Summit" 2026-10-14 attendees=180',
    )
    refused(
        leadcell(slack, 'event set seminar "Paris Summit" cost=1000'),
        "Several events are called `Paris Summit`, held on 2025-10-15 and 2026-10-14: add the "
        "date.",
        example_is='/leadcell event set seminar "Paris Summit" 2026-10-14 cost=12000',
    )
    accepted(leadcell(slack, 'event set seminar "Paris Summit" 2025-10-15 cost=1000'))
    refused(
        leadcell(slack, 'event set seminar "Paris Sumit" cost=1000'),
        "There is no seminar called `Paris Sumit`. Did you mean `Paris Summit`?",
    )
    assert events(roster)[("Paris Summit", date(2025, 10, 15))] == (Decimal(1000), None)
    assert events(roster)[("Paris Summit", date(2026, 10, 14))] == (None, None)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('event add webinar "X" 2026-10-14', "`webinar` is not a kind of event: use"),
        ('event add seminar "X" 2026-02-30', "`2026-02-30` is not a date like 2026-11-27."),
        ('event add seminar "X" 2026-10-14 cost=-3', "`-3` is not an amount"),
        ('event add seminar "X" 2026-10-14 cost=$5k', "`$5k` is in USD"),
        ('event add seminar "X" 2026-10-14 attendees=many', "`many` is not a whole number"),
        ('event add seminar "X"', "Give the day the event is held, like 2026-10-14."),
        ("event add seminar", "Give the event's name"),
        ('event set seminar "X"', "Give the event's cost= or attendees=."),
    ],
)
def test_bad_event_commands_are_explained(
    slack: Slack, roster: Engine, text: str, says: str
) -> None:
    leadcell(slack, 'event add seminar "X" 2026-10-01')
    refused(leadcell(slack, text), says)
    assert events(roster) == {("X", date(2026, 10, 1)): (None, None)}


# --- team settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("team set fr digest_time=25:00", "`25:00` is not a time of day"),
        ("team set fr report_time=noon", "`noon` is not a time of day"),
        ("team set fr digest_days=mon,funday", "`mon,funday` is not a list of days"),
        ("team set fr skip_empty=maybe", "`maybe` is not yes or no"),
    ],
)
def test_bad_schedules_are_explained(slack: Slack, roster: Engine, text: str, says: str) -> None:
    refused(leadcell(slack, text), says)
    assert fr(roster).digest_time == "18:00"


# --- on-demand reports -------------------------------------------------------------------------


def posts(fake: FakeSlack) -> list[dict[str, Any]]:
    return [call["args"] for call in fake.calls("response_url")]


def test_an_organisation_admin_says_which_team(slack: Slack, fake_slack: FakeSlack) -> None:
    leadcell(slack, "team add uk Britain tz=Europe/London currency=GBP", SETTINGS_ADMIN)
    refused(
        leadcell(slack, "cost set 2026-10 telemarketing 1", SETTINGS_ADMIN),
        "Say which team with `team=`: the teams are `fr` and `uk`.",
        example_is="/leadcell cost set 2026-10 telemarketing 24000 team=fr",
    )
    assert posts(fake_slack) == []


def test_a_report_of_the_only_team_for_an_organisation_admin(
    slack: Slack, fake_slack: FakeSlack
) -> None:
    answer = leadcell(slack, "report month 2026-10", SETTINGS_ADMIN)
    assert answer.body.get("text") is None
    assert "Cost per lead · France · October 2026" in str(posts(fake_slack))
