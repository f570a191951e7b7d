"""`leadcell jobs …`: clear answers, the lease setting, reasons for what did not go out."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.cli import build_parser
from bot.local.fake_slack import FakeSlack
from bot.runtime.settings import Settings
from models import ledger
from models.db import session_scope
from models.demo.roster import DEMO_DIGEST_CHANNEL
from models.roster import get_team
from models.tables import Team
from tests.sla_world import seed_uk
from worker import cli


def jobs(settings: Settings, *words: str) -> int:
    code = cli.run(build_parser().parse_args(["jobs", *words]), settings)
    assert code is not None
    return code


def without_digest_channel(engine: Engine, slug: str = "fr") -> None:
    with session_scope(engine) as session:
        team = get_team(session, slug=slug)
        team.digest_channel = None
        session.add(team)
        session.commit()


@pytest.mark.parametrize(
    ("words", "problem", "example"),
    [
        (
            ["run", "daily-digest", "--team", "fr", "--date", "27/11"],
            "`27/11` is not a day like 2026-11-27.",
            "leadcell jobs run daily-digest --team fr --date 2026-11-27",
        ),
        (
            ["run", "monthly-report", "--team", "fr", "--month", "2026-13"],
            "`2026-13` is not a month like 2026-10.",
            "leadcell jobs run monthly-report --team fr --month 2026-10",
        ),
        (
            ["run", "daily-digest", "--team", "zz"],
            "There is no team `zz` (teams: fr).",
            "leadcell jobs run daily-digest --team fr --date 2026-11-27",
        ),
        (
            ["run", "daily-digest"],
            "Say which team with --team.",
            "leadcell jobs run daily-digest --team fr --date 2026-11-27",
        ),
        (
            ["run", "monthly-report", "--team", "fr", "--date", "2026-11-27"],
            "--date is for a daily digest; a monthly report takes --month.",
            "leadcell jobs run monthly-report --team fr --month 2026-10",
        ),
        (
            ["run", "weekly-digest", "--team", "fr"],
            "Argument job: invalid choice: 'weekly-digest' (choose from daily-digest, "
            "monthly-report).",
            "leadcell jobs run daily-digest --team fr --date 2026-11-27",
        ),
    ],
)
def test_a_wrong_jobs_run_gets_one_line_with_an_example_and_exit_code_2(
    database_url: str, roster: Engine, tmp_path: Path, words: list[str], problem: str, example: str
) -> None:
    if roster.dialect.name != "sqlite":
        pytest.skip("command-line wording is checked once")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))},
        "DATABASE_URL": database_url,
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "jobs", *words],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"leadcell jobs run: {problem.split(' (choose')[0]}")
    assert lines[0].endswith(f"Example: {example}")
    assert result.stdout == ""


def test_jobs_run_holds_the_post_for_worker_lease_seconds(
    roster: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    leases: list[timedelta] = []

    def deliver(*args: object, lease: timedelta, **kwargs: object) -> str:
        leases.append(lease)
        return "busy"

    monkeypatch.setattr("worker.posting.deliver", deliver)
    settings = dataclasses.replace(settings, worker_lease_seconds=7)
    jobs(settings, "run", "daily-digest", "--team", "fr", "--date", "2026-11-27")
    assert leases == [timedelta(seconds=7)]


def test_jobs_run_posts_once_then_says_it_is_sent_already(
    roster: Engine, settings: Settings, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    words = ("run", "daily-digest", "--team", "fr", "--date", "2026-11-27")
    assert jobs(settings, *words) == 0
    assert capsys.readouterr().out == (
        f"Posted daily-digest 2026-11-27 of team fr to {DEMO_DIGEST_CHANNEL}.\n"
    )
    assert jobs(settings, *words) == 0
    assert "daily-digest 2026-11-27 of team fr is sent already" in capsys.readouterr().out
    assert len(fake_slack.calls("chat.postMessage")) == 1


def test_jobs_run_to_a_team_without_a_digest_channel_fails_with_the_reason_then_can_run_again(
    roster: Engine, settings: Settings, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    without_digest_channel(roster)
    words = ("run", "daily-digest", "--team", "fr", "--date", "2026-11-27")
    assert jobs(settings, *words) == 1
    assert capsys.readouterr().out.splitlines() == [
        "daily-digest 2026-11-27 of team fr failed while posting the messages.",
        "Reason: Team fr has no digest channel; set one with "
        "`leadcell team set fr digest=C0123ABCD`.",
    ]
    assert fake_slack.calls("chat.postMessage") == []
    with session_scope(roster) as session:
        team = get_team(session, slug="fr")
        team.digest_channel = DEMO_DIGEST_CHANNEL
        session.add(team)
        session.commit()
    assert jobs(settings, *words) == 0
    assert capsys.readouterr().out.startswith("Posted daily-digest 2026-11-27 of team fr")


def test_jobs_list_says_which_teams_are_not_scheduled_and_why(
    roster: Engine, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    with session_scope(roster) as session:
        session.add(Team(slug="uk", name="UK", timezone="Europe/London", currency="GBP"))
        session.commit()
    assert jobs(settings, "list") == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if ":" in line.split()[0]}
    assert "not scheduled: no digest channel" in rows["daily-digest:uk"]
    assert "not scheduled: no digest channel" in rows["monthly-report:uk"]
    assert "(Europe/Paris)" in rows["daily-digest:fr"]
    assert out.splitlines()[-1] == (
        "Team uk has no digest channel, so its digest and monthly report are not posted; "
        "set one with `leadcell team set uk digest=C0123ABCD`."
    )


def test_jobs_status_shows_missed_and_failed_posts_with_their_reason(
    roster: Engine, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    due = datetime(2026, 11, 26, 17, tzinfo=UTC)
    with session_scope(roster) as session:
        team_id = get_team(session, slug="fr").id or 0
        for period in ("2026-11-26", "2026-11-27"):
            entry = ledger.ensure_entry(
                session,
                kind="daily-digest",
                team_id=team_id,
                period=period,
                due_at=due,
                grace_until=due + timedelta(hours=6),
                now=due,
            )
        assert ledger.claim(session, entry_id=entry.id or 0, worker="w", now=due)
        ledger.record_post(
            session, entry_id=entry.id or 0, worker="w", channel="C0GONE", parts=2, files=0
        )
        ledger.record_part(session, entry_id=entry.id or 0, worker="w", part=0, ts="1.000001")
        ledger.mark_failed(session, entry_id=entry.id or 0, worker="w", error="post:not_in_channel")
        assert ledger.mark_missed(session, now=due + timedelta(days=1)) == 1
        dead = ledger.ensure_entry(  # its worker died while Slack held its second message
            session,
            kind="monthly-report",
            team_id=team_id,
            period="2026-10",
            due_at=due,
            grace_until=due + timedelta(days=3),
            now=due,
        )
        assert ledger.claim(session, entry_id=dead.id or 0, worker="dead", now=due)
        ledger.record_post(
            session, entry_id=dead.id or 0, worker="dead", channel="C0X", parts=2, files=2
        )
        ledger.record_part(session, entry_id=dead.id or 0, worker="dead", part=0, ts="1.000002")
        ledger.renew(session, entry_id=dead.id or 0, worker="dead", until=due, sending="part 1")
    assert jobs(settings, "status") == 1  # something failed
    out = capsys.readouterr().out
    rows = {line.split()[2]: line for line in out.splitlines()[2:]}
    missed, failed, pending = rows["2026-11-26"], rows["2026-11-27"], rows["2026-10"]
    assert " pending " in pending
    assert "1/2 messages, 0/2 files; last call: part 1" in pending
    assert " missed " in missed
    assert missed.endswith("No worker posted it before its grace window ended.")
    assert " failed " in failed
    assert "1/2 messages, 0/0 files" in failed
    assert failed.endswith("The app is not a member of C0GONE; invite it there with /invite.")


def test_an_outsourced_team_s_statement_is_listed_and_run_like_the_other_posts(
    roster: Engine, settings: Settings, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_uk(roster)
    assert jobs(settings, "list") == 0
    listed = capsys.readouterr().out
    assert "sla-statement:uk" in listed and "sla-statement-provider:uk" in listed
    assert "sla-statement:fr" not in listed  # in-house: no statement
    assert jobs(settings, "run", "sla-statement", "--team", "uk", "--month", "2026-10") == 0
    assert capsys.readouterr().out == "Posted sla-statement 2026-10 of team uk to C0DIGESTUK.\n"
    words = ("run", "sla-statement-provider", "--team", "uk", "--month", "2026-10")
    assert jobs(settings, *words) == 0
    assert capsys.readouterr().out == (
        "Posted sla-statement-provider 2026-10 of team uk to C0NORTHLINE.\n"
    )
    with pytest.raises(SystemExit) as refused:
        jobs(settings, "run", "sla-statement", "--team", "uk", "--month", "2026-09")
    assert refused.value.code == 2
    assert "Team uk has no contract version for 2026-09, so it has no statement." in (
        capsys.readouterr().err
    )
