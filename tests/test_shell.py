"""`leadcell shell` as a new user runs it: the real console script, commands piped on stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from models.db import make_engine, session_scope
from models.tables import Call, Member, Team

FIRST_SESSION = (
    "/call Acme Corp 12m contact spoke to the CFO\n"
    "click undo\n"
    "/call\n"
    "submit company=Umbrella duration=15m outcome=lead\n"
    "as @magali\n"
    "/leadcell team list\n"
)


def run_shell(tmp_path: Path, commands: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "shell", "--demo-months", "0"],
        input=commands,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/shell.db"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result


def database(tmp_path: Path) -> tuple[int, int, list[Call]]:
    """Teams, members and calls stored in the shell's database."""
    engine = make_engine(f"sqlite:///{tmp_path}/shell.db")
    try:
        with session_scope(engine) as session:
            teams = session.exec(select(func.count()).select_from(Team)).one()
            members = session.exec(select(func.count()).select_from(Member)).one()
            calls = list(session.exec(select(Call).order_by(Call.id)))
        return teams, members, calls
    finally:
        engine.dispose()


def position(output: str, text: str, after: int = 0) -> int:
    """Where `text` appears in `output` after `after`; fails naming what is missing."""
    found = output.find(text, after)
    assert found >= 0, f"{text!r} not in the shell output after position {after}:\n{output}"
    return found


def test_a_new_user_pipes_commands_into_the_shell(tmp_path: Path) -> None:
    out = run_shell(tmp_path, FIRST_SESSION).stdout

    at = position(out, "camille> /call Acme Corp 12m contact spoke to the CFO")
    at = position(out, "Logged a call with *Acme Corp*", at)
    position(out, "12 min, contact.", at)
    position(out, "Note: spoke to the CFO", at)
    position(out, "*1 useful contact* and *0 leads* (1 dial)", at)
    at = position(out, "[ Undo ]", at)
    at = position(out, "camille> click undo", at)
    at = position(out, "[replaces the message]", at)
    at = position(out, "Undone: the call with *Acme Corp*", at)
    at = position(out, "no longer counts", at)
    at = position(out, "camille> /call\n", at)
    at = position(out, "[a form opened]", at)
    for field in ("company:", "contact:", "phone:", "duration:", "outcome:", "note:"):
        position(out, field, at)
    at = position(out, "Log a call", at)
    at = position(out, "camille> submit company=Umbrella duration=15m outcome=lead", at)
    at = position(out, "(form submitted and closed)", at)
    at = position(out, "Logged a call with *Umbrella*", at)
    position(out, "15 min, lead.", at)
    at = position(out, "*1 useful contact* and *0 leads* (1 dial)", at)
    at = position(out, "You are now @magali (Magali Michel, admin,manager).", at)
    at = position(out, "magali> /leadcell team list", at)
    at = position(out, "1 team", at)
    team_line = next(line for line in out[at:].splitlines() if line.startswith("fr "))
    assert "France" in team_line and "Europe/Paris" in team_line and "EUR" in team_line
    assert "⚠" not in out

    teams, members, calls = database(tmp_path)
    assert (teams, members) == (1, 19)
    assert [(c.company, c.outcome, c.undone_at is not None) for c in calls] == [
        ("Acme Corp", "contact", True),
        ("Umbrella", "lead", False),
    ]


def test_a_second_run_keeps_the_data_and_does_not_seed_again(tmp_path: Path) -> None:
    run_shell(tmp_path, FIRST_SESSION)
    out = run_shell(tmp_path, "/call Globex 4m no-answer\nwho\n").stdout

    position(out, "Logged a call with *Globex*")
    position(out, "4 min, no-answer.")
    position(out, "@magali")
    assert out.count("Magali Michel") == 1
    teams, members, calls = database(tmp_path)
    assert (teams, members) == (1, 19)
    assert [c.company for c in calls] == ["Acme Corp", "Umbrella", "Globex"]
    assert [c.undone_at is not None for c in calls] == [True, False, False]


def test_unknown_words_and_mistakes_are_explained_with_an_example(tmp_path: Path) -> None:
    out = run_shell(
        tmp_path,
        "frobnicate\nclick undo\nsubmit company=Acme\n/call Acme Corp contact\nhelp\nquit\n"
        "/call Never Logged 3m\n",
    ).stdout

    at = position(out, "Unknown shell command 'frobnicate'")
    assert "help" in out[at:].splitlines()[0]
    assert "for example `/call Acme Corp 12m contact`" in out[at:].splitlines()[0]
    position(out, "No button 'undo' on screen (buttons: none yet). Example: click undo", at)
    position(out, "No form is open. Open one first, for example with `/call`.", at)
    at = position(out, "I couldn't find the call's duration", at)
    position(out, "Example: `/call Acme Corp 12m contact spoke to the CFO`", at)
    position(out, "click <button>", at)
    assert "Never Logged" not in out  # `quit` ends the session
    assert database(tmp_path)[2] == []


def test_a_new_database_gets_a_year_of_demo_activity(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "shell"],
        input="as @magali\n/leadcell report month\n/lead list pool\n",
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/shell.db"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "COST PER LEAD · FRANCE" in result.stdout
    assert "12 months" in result.stdout
    engine = make_engine(f"sqlite:///{tmp_path}/shell.db")
    with session_scope(engine) as session:
        calls = session.exec(select(func.count()).select_from(Call)).one()
    engine.dispose()
    assert calls > 10_000  # about 30 useful contacts and as many dials a working day


def test_forms_in_a_later_run_are_new_requests(tmp_path: Path) -> None:
    form = "/call\nsubmit company=Umbrella duration=15m outcome=lead\n"
    run_shell(tmp_path, form)
    out = run_shell(tmp_path, form.replace("Umbrella", "Initech")).stdout
    position(out, "Logged a call with *Initech*")
    assert [c.company for c in database(tmp_path)[2]] == ["Umbrella", "Initech"]
