"""`/leadcell report …` through the real App, the scheduled posts' words, and `leadcell report`."""

from __future__ import annotations

import csv
import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import select

import bot.commands.report as report_command
from bot.app import create_app
from bot.cli import main
from bot.commands.report import MAX_ANSWERS, report_answers
from bot.grammar.command_line import CommandProblem, read_command
from bot.grammar.report_text import ReportKind, ReportRequest, read_report
from bot.i18n import reader_for
from bot.local.fake_slack import FakeSlack
from bot.local.fake_slack.limits import check_message_blocks
from bot.runtime.settings import Settings
from models.actors import TERMINAL
from models.db import session_scope
from models.digest import DailyDigest
from models.errors import InvalidInput
from models.ledger import PostKind
from models.tables import Lead, Member, MonthlyCost, PostLedger, Team
from tests.conftest import ADMIN, AGENT, SALES_ENGINEER, SETTINGS_ADMIN, Answer, Slack
from worker.compose import compose

STRANGER = "U0STRANGER"


def leadcell(slack: Slack, text: str, user: str = ADMIN) -> Answer:
    answer = slack.command("/leadcell", text, user=user)
    assert answer.status == 200
    return answer


def posts(fake: FakeSlack) -> list[dict[str, Any]]:
    return [call["args"] for call in fake.calls("response_url")]


def refused(answer: Answer | dict[str, Any], complaint: str, example: str | None = None) -> None:
    text = answer.text if isinstance(answer, Answer) else str(answer)
    assert ":warning:" in text, text
    assert complaint in text, text
    if example is not None:
        assert f"Example: `{example}`" in text, text


def team_of(engine: Engine, slug: str = "fr") -> Team:
    with session_scope(engine) as session:
        return session.exec(select(Team).where(Team.slug == slug)).one()


def add_team(engine: Engine, slug: str, language: str = "en") -> None:
    with session_scope(engine) as session:
        session.add(
            Team(
                slug=slug,
                name=slug.upper(),
                timezone="Europe/London",
                currency="GBP",
                language=language,
            )
        )
        session.commit()


def set_cost(engine: Engine, month: date, amount: int, slug: str = "fr") -> None:
    team = team_of(engine, slug)
    with session_scope(engine) as session:
        session.add(
            MonthlyCost(
                team_id=team.id,
                month=month,
                source="telemarketing",
                amount=Decimal(amount),
                currency=team.currency,
            )
        )
        session.commit()


def add_leads(engine: Engine, count: int, at: datetime) -> None:
    with session_scope(engine) as session:
        team = session.exec(select(Team).where(Team.slug == "fr")).one()
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


def set_language(engine: Engine, *, member: str | None = None, team: str | None = None) -> None:
    with session_scope(engine) as session:
        if member is not None:
            session.execute(
                update(Member).where(Member.slack_user_id == ADMIN).values(language=member)
            )
        if team is not None:
            session.execute(update(Team).where(Team.slug == "fr").values(language=team))
        session.commit()


# --- the words ---------------------------------------------------------------------------------


def report_words(text: str) -> ReportRequest:
    return read_report(read_command("report " + text))


def test_report_words_in_every_language() -> None:
    assert report_words("today") == ReportRequest(ReportKind.DAY)
    assert report_words("heute team=uk") == ReportRequest(ReportKind.DAY, team="uk")
    assert report_words("jour 27/11/2026") == ReportRequest(ReportKind.DAY, day=date(2026, 11, 27))
    assert report_words("Monat 2026-10 équipe=fr") == ReportRequest(
        ReportKind.MONTH, team="fr", month=date(2026, 10, 1)
    )
    assert report_words("mois") == ReportRequest(ReportKind.MONTH)
    # Like every /leadcell topic, `report` alone means its first verb: today's digest.
    assert report_words("") == ReportRequest(ReportKind.DAY)
    request = ReportRequest(ReportKind.DAY, team="fr", day=date(2026, 11, 27))
    assert ReportRequest.from_dict(request.as_dict()) == request


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("weekly", CommandProblem.UNKNOWN_VERB),
        ("day", CommandProblem.MISSING),
        ("month 2026-10 fr", CommandProblem.LEFTOVER),
        ("today tz=utc", CommandProblem.LEFTOVER),
    ],
)
def test_report_words_that_are_refused(text: str, problem: CommandProblem) -> None:
    with pytest.raises(InvalidInput) as caught:
        report_words(text)
    assert caught.value.problem == problem


# --- on demand in Slack ------------------------------------------------------------------------


def test_report_month_acks_at_once_and_answers_on_the_response_url(
    settings: Settings, roster: Engine, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_cost(roster, date(2026, 10, 1), 24000)
    add_leads(roster, 8, datetime(2026, 10, 5, 9, tzinfo=UTC))
    release = threading.Event()
    real = report_command.build_report

    def slow_report(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(report_command, "build_report", slow_report)
    with ThreadPoolExecutor(max_workers=2) as pool:
        app = create_app(settings, roster, listener_executor=pool)
        slack = Slack(app, fake_slack)
        fake_slack.clear_calls()
        started = time.monotonic()
        answer = leadcell(slack, "report month 2026-10", ADMIN)
        assert time.monotonic() - started < 1.5
        assert answer.body.get("text") is None  # a bare ack: the report comes afterwards
        assert posts(fake_slack) == []
        release.set()
        fake_slack.wait_for("response_url", 1, timeout=10)
    [message] = posts(fake_slack)
    assert message["response_type"] == "ephemeral" and message["replace_original"] is False
    assert check_message_blocks(message["blocks"]) == []
    assert message["text"] == (
        "Cost per lead · France · October 2026: 8 leads for €24,000, €3,000 per lead."
    )


def test_report_today_for_a_busy_day_comes_in_valid_parts(
    slack: Slack, roster: Engine, fake_slack: FakeSlack
) -> None:
    add_leads(roster, 200, datetime.now(UTC))
    answer = leadcell(slack, "report today", SALES_ENGINEER)
    assert answer.body.get("text") is None
    messages = posts(fake_slack)
    assert 1 < len(messages) <= MAX_ANSWERS
    for message in messages:
        assert check_message_blocks(message["blocks"]) == []
    assert all(f"L-{n:04d}" in str(messages) for n in (1, 100, 200))
    assert all(call["status"] == 200 for call in fake_slack.calls("response_url"))


def test_mistakes_are_answered_in_the_acknowledgement(slack: Slack, fake_slack: FakeSlack) -> None:
    refused(leadcell(slack, "report month 2026-13"), "`2026-13` is not a month like 2026-10.")
    refused(leadcell(slack, "report month 9999-12"), "months run from 2000 to 2099")
    refused(
        leadcell(slack, "report weekly"),
        "`weekly` is not a `report` command. Use `today`, `day`, `month` or `help`.",
        "/leadcell report today",
    )
    refused(leadcell(slack, "report day 31/02/2026"), "`31/02/2026` is not a date like 2026-11-27")
    refused(leadcell(slack, "report day"), "Give the day, like 2026-11-27.")
    refused(
        leadcell(slack, "report month 2026-10 fr"),
        "I don't know what to do with `fr`",
        "/leadcell report month 2026-10",
    )
    assert posts(fake_slack) == []


def test_who_may_read_which_report(slack: Slack, roster: Engine, fake_slack: FakeSlack) -> None:
    # Someone off the roster, at once.
    refused(leadcell(slack, "report today", STRANGER), "You are not on the leadcell roster")
    # An agent reads the team's activity, not its money.
    refused(
        leadcell(slack, "report month 2026-10", AGENT),
        "Reading costs and cost per lead is for admins or managers.",
        "/leadcell report today",
    )
    assert posts(fake_slack) == []
    assert leadcell(slack, "report today", AGENT).body.get("text") is None
    [digest] = posts(fake_slack)
    assert digest["text"].startswith("Daily digest · France · ")
    # A member of one team cannot read another team's cost-per-lead report.
    add_team(roster, "uk")
    fake_slack.clear_calls()
    leadcell(slack, "report month 2026-10 team=uk", ADMIN)
    [message] = posts(fake_slack)
    refused(message, "Reading costs and cost per lead of another team is for that team's people.")
    fake_slack.clear_calls()
    leadcell(slack, "report month 2026-10 team=uk", SETTINGS_ADMIN)
    [message] = posts(fake_slack)
    assert message["text"].startswith("Cost per lead · UK · October 2026")
    fake_slack.clear_calls()
    leadcell(slack, "report today team=xx", SETTINGS_ADMIN)
    [message] = posts(fake_slack)
    refused(
        message,
        "There is no team `xx`. Teams: `fr` and `uk`.",
        "/leadcell team list",
    )
    fake_slack.clear_calls()
    leadcell(slack, "report today", SETTINGS_ADMIN)  # on no team's roster: which team?
    refused(
        posts(fake_slack)[0],
        "Say which team with `team=`: the teams are `fr` and `uk`.",
        "/leadcell report today team=fr",
    )


def test_an_answer_is_in_the_person_s_language(
    slack: Slack, roster: Engine, fake_slack: FakeSlack
) -> None:
    set_cost(roster, date(2026, 10, 1), 24000)
    add_leads(roster, 8, datetime(2026, 10, 5, 9, tzinfo=UTC))
    set_language(roster, member="de")
    leadcell(slack, "report month 2026-10", ADMIN)
    [message] = posts(fake_slack)
    assert "24.000\xa0€" in message["text"] and "3.000\xa0€" in message["text"]


def test_a_long_answer_ends_with_the_terminal_command(roster: Engine) -> None:
    add_leads(roster, 1500, datetime(2026, 11, 27, 9, tzinfo=UTC))
    with session_scope(roster) as session:
        request = ReportRequest(ReportKind.DAY, day=date(2026, 11, 27))
        digest = report_command.build_report(
            session, request, TERMINAL, datetime(2026, 11, 27, 17, tzinfo=UTC)
        )
    assert isinstance(digest, DailyDigest)
    answers = report_answers(digest, reader_for("en"))
    assert len(answers) == MAX_ANSWERS
    assert answers[-1]["text"].endswith(
        "more messages, which do not fit here. The terminal shows the whole report: "
        "`leadcell report today --team fr --date 2026-11-27`"
    )
    assert all(check_message_blocks(a["blocks"]) == [] for a in answers)


# --- scheduled posts ---------------------------------------------------------------------------


def test_scheduled_posts_are_in_the_team_s_language(roster: Engine) -> None:
    set_cost(roster, date(2026, 10, 1), 24000)
    add_leads(roster, 8, datetime(2026, 10, 5, 9, tzinfo=UTC))
    set_language(roster, team="de", member="en")
    now = datetime(2026, 11, 1, 8, tzinfo=UTC)
    with session_scope(roster) as session:
        team = session.exec(select(Team).where(Team.slug == "fr")).one()
        entry = PostLedger(team_id=team.id, kind=PostKind.MONTHLY_REPORT, period="2026-10")
        post = compose(session, team, entry, now)
        digest = compose(
            session,
            team,
            PostLedger(team_id=team.id, kind=PostKind.DAILY_DIGEST, period="2026-10-05"),
            now,
        )
    assert post is not None and digest is not None
    assert "24.000\xa0€" in post.messages[0]["text"]
    assert "Oktober 2026" in post.messages[0]["text"]
    assert "5. Oktober 2026" in digest.messages[0]["text"]
    png, table = post.files
    assert png.filename == "cost-per-lead-fr-2026-10.png"
    rows = list(csv.reader(io.StringIO(table.content.decode())))
    assert rows[1][:4] == ["2026-10", "Telemarketing", "EUR", "24000.00"]


# --- the terminal ------------------------------------------------------------------------------


@pytest.fixture
def cli(roster: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "LEADCELL_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.setenv("LEADCELL_LANGUAGE", "en")
    return tmp_path


def test_cli_prints_reports(cli: Path, roster: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    set_cost(roster, date(2026, 10, 1), 24000)
    add_leads(roster, 6, datetime(2026, 11, 27, 10, tzinfo=UTC))
    assert main(["report", "month", "2026-10", "--team", "fr", "--files", str(cli / "out")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Cost per lead · France · October 2026\n")
    assert "October 2026: no lead, €24,000 of costs." in out
    assert (cli / "out" / "cost-per-lead-fr-2026-10.png").read_bytes().startswith(b"\x89PNG")
    assert (cli / "out" / "cost-per-lead-fr-2026-10.csv").read_text().startswith("Period,Source")
    assert main(["report", "today", "--date", "2026-11-27"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Daily digest · France · 27 November 2026\n") and "L-0006" in out


def test_cli_refusals_are_one_line_with_a_terminal_example(
    cli: Path, roster: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "month", "2026-13"]) == 1
    assert capsys.readouterr().err == (
        "leadcell: `2026-13` is not a month like 2026-10. "
        "Example: leadcell report month 2026-10 --team fr\n"
    )
    add_team(roster, "uk")
    assert main(["report", "today"]) == 1
    assert capsys.readouterr().err == (
        "leadcell: Say which team with `--team`: the teams are `fr` and `uk`. "
        "Example: leadcell report today --team fr\n"
    )
    assert main(["report", "today", "--team", "xx"]) == 1
    err = capsys.readouterr().err
    assert "There is no team `xx`" in err and "Example: leadcell team list" in err
