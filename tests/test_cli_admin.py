"""`leadcell team|member|event|costs …` in the terminal: `/leadcell`'s words, as the terminal,
answers on stdout, refusals as one line on stderr with a terminal example, exit 1 or 2."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.cli import main
from models.db import session_scope
from models.roster import get_team
from models.tables import Lead, Member, MonthlyCost


@pytest.fixture
def cli(roster: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The terminal on the demo roster: no Slack settings, English, no organisation admin."""
    monkeypatch.chdir(tmp_path)
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "LEADCELL_ADMINS",
        "LEADCELL_LANGUAGE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *words: str) -> tuple[int, str, str]:
    code = main(list(words))
    out, err = capsys.readouterr()
    return code, out, err


def refusal(capsys: pytest.CaptureFixture[str], *words: str, code: int = 1) -> str:
    """The one line a refused command prints; its example is a terminal command."""
    got, out, err = run(capsys, *words)
    assert got == code, (words, out, err)
    assert out == ""
    [line] = err.splitlines()
    assert line.startswith("leadcell: ")
    assert "/leadcell" not in line and "<@" not in line and "&lt;" not in line
    assert " Example: leadcell " in line, line
    return line


def stored_costs(engine: Engine) -> list[tuple[str, Decimal, str]]:
    with session_scope(engine) as session:
        rows = session.exec(select(MonthlyCost).order_by(MonthlyCost.month, MonthlyCost.source))
        return [(f"{r.month:%Y-%m}", r.amount, r.currency) for r in rows]


# --- help and usage ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("topic", "shows"),
    [
        ("team", "leadcell team add <slug> <name> tz=<zone> currency=<code> [digest=<channel id>]"),
        ("member", "leadcell member roles <user id> +<role> -<role>"),
        ("event", 'Example: `leadcell event add seminar "Paris Summit" 2026-10-14'),
        ("costs", "Example: `leadcell costs import costs.csv --team fr`"),
    ],
)
def test_each_topic_has_its_help(
    cli: Path, capsys: pytest.CaptureFixture[str], topic: str, shows: str
) -> None:
    code, out, err = run(capsys, topic, "help")
    assert (code, err) == (0, "")
    assert shows in out
    assert "/leadcell" not in out and "leadcell me " not in out


def test_words_that_make_no_command_are_a_usage_error(
    cli: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = refusal(capsys, "team", "frobnicate", code=2)
    assert line.endswith("Example: leadcell team list")
    line = refusal(capsys, "member", "add", code=2)
    assert "Say who" in line and "Slack user id" in line
    assert line.endswith(
        'Example: leadcell member add U0MARIE01 team=fr roles=agent name="Marie Curie"'
    )
    refusal(capsys, "costs", "list", "2026-10", "extra", code=2)


@pytest.mark.parametrize(
    ("words", "says", "example"),
    [
        (
            ("costs", "set", "2026-10", "radio", "5"),
            "`radio` is not a lead source",
            "leadcell costs set 2026-10 telemarketing 24000",
        ),
        (
            ("costs", "set", "2026-10", "telemarketing", "$120k"),
            "`$120k` is in USD, but this team counts in EUR.",
            "leadcell costs set 2026-10 telemarketing 24000€",
        ),
        (
            ("costs", "split", "9999-12", "telemarketing=100"),
            "months run from 2000 to 2099",
            "leadcell costs split 2026-10 telemarketing=70 seminar=30",
        ),
        (
            ("team", "set", "fr", "digest_time=25:00"),
            "`25:00` is not a time of day",
            "leadcell team set fr digest_time=18:00",
        ),
        (
            ("team", "set", "fr", "leads=#leads-fr"),
            "`#leads-fr` is not a channel id",
            "leadcell team set fr leads=C0LEADSFR",
        ),
        (
            ("member", "add", "marie", "team=fr", "roles=agent"),
            "`marie` is not a Slack user id",
            'leadcell member add U0MARIE01 team=fr roles=agent name="Marie Curie"',
        ),
        (
            ("member", "roles", "U0DEMO19", "-admin"),
            "Magali Michel is the last admin of `fr`",
            "leadcell member roles U0DEMO04 +admin",
        ),
        (
            ("event", "set", "seminar", "Paris Summit", "cost=5"),
            "There is no seminar called `Paris Summit`",
            "leadcell event list",
        ),
        (
            ("team", "add", "uk", "Britain"),
            "A new team needs a time zone (tz=) and a currency (currency=).",
            'leadcell team add uk "United Kingdom" tz=Europe/London currency=GBP '
            "digest=C0DIGESTUK leads=C0LEADSUK language=en",
        ),
    ],
)
def test_refusals_are_one_line_with_a_terminal_example(
    cli: Path, capsys: pytest.CaptureFixture[str], words: tuple[str, ...], says: str, example: str
) -> None:
    line = refusal(capsys, *words)
    assert says in line
    assert line.endswith(f"Example: {example}")


# --- answers ----------------------------------------------------------------------------------


def test_people_are_named_in_the_terminal(
    cli: Path, roster: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "member", "deactivate", "U0DEMO02")
    assert code == 0
    assert out.startswith("Julien Bernard is deactivated")
    code, out, _ = run(capsys, "member", "roles", "U0DEMO04", "+manager")
    assert out.strip() == "Marc Dubois is now sales engineer and manager (was sales engineer)."


def test_costs_set_split_and_list_in_the_terminal(
    cli: Path, roster: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "costs", "set", "2026-10", "telemarketing", "24", "000")
    assert code == 0 and "€24,000" in out
    assert run(capsys, "costs", "split", "2026-10", "telemarketing=80", "seminar=20")[0] == 0
    code, out, _ = run(capsys, "costs", "list")
    assert "€19,200" in out and "no cost recorded" in out
    assert stored_costs(roster) == [("2026-10", Decimal(24000), "EUR")]


@pytest.mark.parametrize(
    ("env", "value", "shown"),
    [
        ({"LEADCELL_LANGUAGE": "fr"}, "LANG", "24\u202f000\xa0€"),
        ({"LANG": "de_DE.UTF-8"}, None, "24.000\xa0€"),
        ({"LEADCELL_LANGUAGE": "en", "LANG": "fr_FR.UTF-8"}, None, "€24,000"),
    ],
)
def test_the_terminal_speaks_leadcell_language_else_lang(
    cli: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    value: str | None,
    shown: str,
) -> None:
    for name, setting in env.items():
        monkeypatch.setenv(name, setting)
    run(capsys, "costs", "set", "2026-10", "telemarketing", "24000")
    code, out, _ = run(capsys, "costs", "list", "2026-10")
    assert code == 0 and shown in out, out


def test_costs_import_all_or_nothing(
    cli: Path, roster: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = cli / "bad.csv"
    bad.write_text("month,source,amount\n2026-10,telemarketing,24000\n2026-10,radio,1\n")
    line = refusal(capsys, "costs", "import", str(bad))
    assert "Nothing was imported" in line and "Line 3: `radio` is not a lead source" in line
    assert stored_costs(roster) == []
    good = cli / "costs.csv"
    good.write_text(
        "month,source,amount,team\n2026-09,telemarketing,20 000,fr\n2026-10,telemarketing,24000€,\n"
    )
    code, out, err = run(capsys, "costs", "import", str(good), "--team", "fr")
    assert code == 0, err
    assert "Imported 2 costs." in out and "€24,000" in out and "new" in out
    assert stored_costs(roster) == [
        ("2026-09", Decimal(20000), "EUR"),
        ("2026-10", Decimal(24000), "EUR"),
    ]
    line = refusal(capsys, "costs", "import", str(cli / "missing.csv"))
    assert "`" + str(cli / "missing.csv") + "` cannot be read" in line


def test_costs_import_with_several_teams_asks_for_the_team(
    cli: Path, roster: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "team", "add", "uk", "UK", "tz=Europe/London", "currency=GBP")[0] == 0
    rows = cli / "costs.csv"
    rows.write_text("month,source,amount\n2026-10,telemarketing,24000\n")
    line = refusal(capsys, "costs", "import", str(rows))
    assert "give the team of such rows with --team" in line
    assert line.endswith("Example: leadcell costs import costs.csv --team fr")
    assert run(capsys, "costs", "import", str(rows), "--team", "uk")[0] == 0
    assert stored_costs(roster) == [("2026-10", Decimal(24000), "GBP")]


# --- reports ----------------------------------------------------------------------------------


def test_reports_in_the_terminal(
    cli: Path, roster: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    with session_scope(roster) as session:
        team = get_team(session, slug="fr")
        agent = session.exec(select(Member).where(Member.slack_user_id == "U0DEMO01")).one()
        team.last_lead_number = 6
        for number in range(1, 7):
            at = datetime(2026, 10, 5, 9, tzinfo=UTC)
            session.add(
                Lead(
                    team_id=team.id,
                    number=number,
                    source="telemarketing",
                    detected_by_id=agent.id,
                    company="Acme",
                    summary="x",
                    currency="EUR",
                    created_at=at,
                    handed_at=at,
                    slack_key=f"t:{number}",
                )
            )
        session.add(team)
        session.commit()
    run(capsys, "costs", "set", "2026-10", "telemarketing", "24000")
    code, out, err = run(capsys, "report", "month", "2026-10", "--team", "fr")
    assert code == 0, err
    assert "Cost per lead · France · October 2026" in out
    code, out, err = run(capsys, "report", "today", "--date", "2026-10-05", "--team", "fr")
    assert code == 0 and "L-0006" in out
    line = refusal(capsys, "report", "month", "9999-12")
    assert "months run from 2000 to 2099" in line
    assert line.endswith("Example: leadcell report month 2026-10 --team fr")
    assert run(capsys, "team", "add", "uk", "UK", "tz=Europe/London", "currency=GBP")[0] == 0
    line = refusal(capsys, "report", "today")
    assert "Say which team with `--team`: the teams are `fr` and `uk`." in line
    assert line.endswith("Example: leadcell report today --team fr")
