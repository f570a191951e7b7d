"""`/leadcell cost …`, `event add … cost=`, `team set … digest_time=`, `report …`, and the CLI."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.cli import main
from models.db import session_scope
from models.roster import get_team
from models.tables import CostSplit, Event, Lead, Member, MonthlyCost, Team
from tests.conftest import ADMIN, AGENT, SALES_ENGINEER, SETTINGS_ADMIN, Answer, Slack

STRANGER = "U0STRANGER"


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


def refused(answer: Answer, complaint: str) -> None:
    assert ":warning:" in answer.text, answer.text
    assert complaint in answer.text, answer.text
    assert "Example" in answer.text


# --- costs -------------------------------------------------------------------------------------


def test_an_admin_records_costs_and_splits(slack: Slack, roster: Engine) -> None:
    answer = leadcell(slack, "cost set 2026-10 telemarketing 24000")
    assert answer.body["response_type"] == "ephemeral"
    assert "Recorded the telemarketing cost of `fr` for October 2026: 24 000 EUR." in answer.text
    again = leadcell(slack, "cost set 2026-10 telemarketing 25 000 team=fr", SETTINGS_ADMIN)
    assert "25 000 EUR (was 24 000 EUR)" in again.text
    leadcell(slack, "cost set 2026-10 seminar 1.5k")
    assert costs(roster) == [
        (date(2026, 10, 1), "seminar", Decimal("1500.00"), "EUR"),
        (date(2026, 10, 1), "telemarketing", Decimal("25000.00"), "EUR"),
    ]
    split = leadcell(slack, "cost split 2026-10 telemarketing=70 seminar=30%")
    assert "telemarketing 70 %, seminar 30 %" in split.text
    assert split_of(roster) == {"telemarketing": Decimal(70), "seminar": Decimal(30)}
    listed = leadcell(slack, "cost list 2026-10", AGENT)  # anyone on the roster may read
    assert "Costs of `fr` for October 2026" in listed.text
    assert "17 500 EUR" in listed.text  # 25 000 x 70 %
    assert "9 000 EUR" in listed.text  # 25 000 x 30 % + 1 500
    assert (
        "No cost recorded for `fr` for March 2026"
        in leadcell(slack, "cost list 2026-03", SALES_ENGINEER).text
    )


BAD_COST_COMMANDS = (
    ("cost set 2026-13 telemarketing 24000", "`2026-13` is not a month"),
    ("cost set 2026-10 radio 24000", "`radio` is not a lead source"),
    ("cost set 2026-10 telemarketing -5", "not a positive number"),
    ("cost set 2026-10 telemarketing", "The amount is missing"),
    ("cost set 2026-10 telemarketing 5 team=xx", "There is no team `xx`"),
    ("cost split 2026-10 telemarketing=70 seminar=20", "add up to 90 %, not 100 %"),
    ("cost split 2026-10 telemarketing=lots", "is not a percent"),
    ("cost split 2026-10", "Give each source's share"),
    ("cost frobnicate", "`frobnicate` is not a cost command"),
)


def test_bad_cost_commands_are_explained_and_change_nothing(slack: Slack, roster: Engine) -> None:
    for text, complaint in BAD_COST_COMMANDS:
        refused(leadcell(slack, text), complaint)
    assert costs(roster) == [] and split_of(roster) == {}


def test_only_admins_change_costs_and_only_the_roster_reads_them(
    slack: Slack, roster: Engine
) -> None:
    for user in (AGENT, SALES_ENGINEER, STRANGER):
        for text in (
            "cost set 2026-10 telemarketing 1",
            "cost split 2026-10 telemarketing=100",
            'event add seminar "X" 2026-10-01 cost=5',
            "team set fr digest_time=07:00",
        ):
            assert "Only admins" in leadcell(slack, text, user).text, (user, text)
    assert "roster" in leadcell(slack, "cost list", STRANGER).text
    assert costs(roster) == [] and fr(roster).digest_time == "18:00"


# --- events and team settings ------------------------------------------------------------------


def test_events_carry_their_cost_and_attendees(slack: Slack, roster: Engine) -> None:
    added = leadcell(slack, 'event add seminar "Paris Summit" 2026-10-14 cost=12000 attendees=180')
    assert (
        "Added the seminar *Paris Summit* of 2026-10-14 to `fr`, cost 12 000 EUR, 180 attendees."
    ) in added.text
    leadcell(slack, 'event add trade-show "Documation" 2026-10-20')
    updated = leadcell(slack, 'event set trade-show "documation" cost=30k')
    assert "Updated the trade-show *Documation* of 2026-10-20, cost 30 000 EUR." in updated.text
    refused(leadcell(slack, 'event add seminar "Lyon" 2026-10-15 cost=-3'), "not a positive")
    refused(
        leadcell(slack, 'event add seminar "Lyon" 2026-10-15 attendees=many'), "not a whole number"
    )
    refused(leadcell(slack, 'event set seminar "Paris Summit"'), "cost=… or attendees=…")
    with session_scope(roster) as session:
        events = {e.name: (e.cost, e.attendees) for e in session.exec(select(Event))}
    assert events == {"Paris Summit": (Decimal(12000), 180), "Documation": (Decimal(30000), None)}
    listed = leadcell(slack, "event list", AGENT)
    assert "12 000 EUR" in listed.text and "180" in listed.text


def test_team_digest_settings(slack: Slack, roster: Engine) -> None:
    answer = leadcell(
        slack,
        "team set fr digest_time=17:30 digest_days=mon,tue,wed,thu skip_empty=yes report_time=8:00",
    )
    assert "Digest at 17:30 on mon,tue,wed,thu, skipped when nothing happened" in answer.text
    assert "monthly report at 08:00" in answer.text
    team = fr(roster)
    assert (team.digest_time, team.digest_days, team.digest_skip_empty, team.report_time) == (
        "17:30",
        "mon,tue,wed,thu",
        True,
        "08:00",
    )
    leadcell(slack, "team set fr digest_days=mon-fri skip_empty=no")
    team = fr(roster)
    assert (team.digest_days, team.digest_skip_empty) == ("mon,tue,wed,thu,fri", False)
    for text, complaint in (
        ("team set fr digest_time=25:00", "not a time of day"),
        ("team set fr report_time=noon", "not a time of day"),
        ("team set fr digest_days=mon,funday", "not a list of days"),
        ("team set fr skip_empty=maybe", "not yes or no"),
    ):
        refused(leadcell(slack, text), complaint)
    assert fr(roster).digest_time == "17:30"


def test_help_lists_the_new_commands(slack: Slack) -> None:
    shown = leadcell(slack, "help", AGENT).text
    for command in (
        "/leadcell cost set",
        "/leadcell cost split",
        "/leadcell cost list",
        "/leadcell report today",
        "/leadcell report month",
        "cost=12000",
        "digest_time=18:00",
    ):
        assert command in shown, command


# --- the CLI -----------------------------------------------------------------------------------


@pytest.fixture
def cli(roster: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "LEADCELL_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    return tmp_path


def test_cli_imports_costs_all_or_nothing(
    cli: Path, roster: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = cli / "bad.csv"
    bad.write_text("month,source,amount\n2026-10,telemarketing,24000\n2026-10,radio,1\n")
    assert main(["costs", "import", str(bad)]) == 1
    assert "line 3: `radio` is not a lead source" in capsys.readouterr().err
    assert costs(roster) == []
    good = cli / "costs.csv"
    good.write_text(
        "month,source,amount,team\n2026-09,telemarketing,20000,fr\n2026-10,telemarketing,24000,\n"
    )
    assert main(["costs", "import", str(good), "--team", "fr"]) == 0
    out = capsys.readouterr().out
    assert "Imported 2 cost(s)" in out and "24 000 EUR" in out
    assert [c[2] for c in costs(roster)] == [Decimal(20000), Decimal(24000)]
    assert main(["costs", "split", "2026-10", "telemarketing=80", "seminar=20"]) == 0
    assert main(["costs", "list"]) == 0
    assert "19 200 EUR" in capsys.readouterr().out
