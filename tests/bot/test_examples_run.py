"""Every example the product prints runs, in Slack and in the terminal.

The examples are collected from every wording of bot.views.problems (each
problem rendered in English with its sample facts, for Slack and for the
terminal), from the help texts (`/call help`, `/lead help`, `/leadcell help` and
each topic's help in the terminal) and from the command line's epilogs. Each one
is run where it is shown: a Slack example through the real App as a user allowed
to run it, a thread word (`won 120k`) as a reply in a lead card's thread, a
terminal example through `leadcell`'s entry point, on the demo roster with the
events the examples name. An example passes when it is not refused by the
grammar, as words that make no command, or by the policy (a refusal about the
data, such as a team that exists already, is a fine answer).
New wordings of any area are walked as soon as they are registered.
"""

from __future__ import annotations

import argparse
import re
import shlex
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from slack_bolt.request import BoltRequest
from sqlalchemy import Engine

import bot.terminal
import bot.views.problems
import bot.views.problems.costs
from bot.cli import build_parser, main
from bot.grammar.command_line import CommandProblem, Topic
from bot.grammar.lead_text import LeadTextProblem
from bot.grammar.problems import GrammarProblem
from bot.grammar.verbs import ThreadCommand, VerbProblem, read_reply
from bot.grammar.words import fold
from bot.i18n import Reader
from bot.local.fake_slack import payloads
from bot.text import unescape
from bot.views.admin_help import help_lines
from bot.views.calls import help_message as call_help
from bot.views.leadcell import SLACK, TERMINAL
from bot.views.leads import help_answer as lead_help
from bot.views.problems import registry
from models.actors import TERMINAL as TERMINAL_ACTOR
from models.db import session_scope
from models.demo.roster import ADMIN, AGENTS, SALES_ENGINEERS, demo_user_id
from models.errors import DomainError, Problem
from models.events import create_event
from models.policy import PolicyProblem
from models.roster import get_team
from tests.conftest import ADMIN as DEMO_ADMIN
from tests.conftest import AGENT, SETTINGS_ADMIN, Slack

#: What an example must never be refused for.
UNRUNNABLE = (GrammarProblem, CommandProblem, LeadTextProblem, VerbProblem, PolicyProblem)
_CODE = re.compile(r"`([^`]+)`")
_PLACEHOLDER = re.compile(r"[<\[…]|\|")


def _runnable(text: str) -> bool:
    """A complete command (not a form such as `/call <company> <duration>`)."""
    return text.startswith(("/", "leadcell ")) and not _PLACEHOLDER.search(
        text.replace("/leadcell", "").replace("/lead", "").replace("/call", "")
    )


def _worded_examples() -> set[str]:
    found = set()
    for registered in registry().values():
        for style in (SLACK, TERMINAL):
            said = registered.wording(Reader(), {**registered.sample, **style.facts()})
            if said.example:
                found.add(said.example)
    return found


def _problem_examples() -> set[str]:
    return {example for example in _worded_examples() if _runnable(example)}


def _thread_examples() -> set[str]:
    """Examples that are words to reply in a lead card's thread."""
    return {
        example
        for example in _worded_examples()
        if not _runnable(example) and isinstance(read_reply(example), ThreadCommand)
    }


def _help_examples() -> set[str]:
    texts = [call_help(Reader())["text"], unescape(lead_help(Reader())["text"])]
    for style in (SLACK, TERMINAL):
        for topic in Topic:
            texts += help_lines(Reader(), style, topic)
    return {code for text in texts for code in _CODE.findall(text) if _runnable(code)}


def _epilog_examples() -> set[str]:
    found = set()
    parsers = [build_parser()]
    while parsers:
        parser = parsers.pop()
        for line in (parser.epilog or "").splitlines():
            if line.strip().startswith("leadcell "):
                found.add(re.split(r"\s{2,}", line.strip())[0])
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers += list(action.choices.values())
    return found


EXAMPLES = sorted(_problem_examples() | _help_examples() | _epilog_examples())
THREAD_EXAMPLES = sorted(_thread_examples())
SLACK_EXAMPLES = [e for e in EXAMPLES if e.startswith("/")]
TERMINAL_EXAMPLES = [e for e in EXAMPLES if e.startswith("leadcell ")]
#: Terminal commands that are run; the others (servers, the shell, long generators) are
#: only parsed, which is their grammar.
RUN_IN_TERMINAL = ("team", "member", "event", "costs", "report", "db", "manifest")


def test_examples_are_collected_from_every_source() -> None:
    assert len(SLACK_EXAMPLES) > 30 and len(TERMINAL_EXAMPLES) > 30
    assert "/leadcell team list" in SLACK_EXAMPLES and "leadcell team list" in TERMINAL_EXAMPLES
    assert "/call Acme Corp 12m contact spoke to the CFO" in SLACK_EXAMPLES
    assert "leadcell costs import costs.csv --team fr" in TERMINAL_EXAMPLES
    assert any(e.startswith("leadcell web") for e in TERMINAL_EXAMPLES)  # from the epilog
    assert not [e for e in TERMINAL_EXAMPLES if re.search(r"(^|\s)/leadcell", e)]
    assert "won 120k" in THREAD_EXAMPLES


# --- running them ------------------------------------------------------------------------------


class Seen:
    """The problems of every refusal worded while an example runs."""

    def __init__(self) -> None:
        self.problems: list[Problem | None] = []

    def unrunnable(self) -> list[Problem]:
        return [p for p in self.problems if isinstance(p, UNRUNNABLE)]


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Seen:
    record = Seen()
    real = bot.views.problems.describe

    def describe(error: DomainError, reader: Reader, **extra: Any) -> Any:
        record.problems.append(error.problem)
        return real(error, reader, **extra)

    for module in (bot.views.problems, bot.terminal, bot.views.problems.costs):
        monkeypatch.setattr(module, "describe", describe)
    return record


@pytest.fixture
def world(roster: Engine) -> Engine:
    """The demo roster and the seminar the examples name."""
    with session_scope(roster) as session:
        create_event(
            session,
            actor=TERMINAL_ACTOR,
            team_id=get_team(session, slug="fr").id or 0,
            kind="seminar",
            name="Paris Summit",
            held_on=date(2026, 10, 14),
        )
    return roster


LEADS = "C0LEADSFR"
HANDLES = {
    fold(name.split()[0]): demo_user_id(number)
    for number, name in enumerate([*AGENTS, *SALES_ENGINEERS, ADMIN], start=1)
}


def as_slack_sends(text: str) -> str:
    """The text as Slack sends it with `should_escape`: @names and #channels as ids."""

    def user(match: re.Match[str]) -> str:
        handle = match.group(1)
        return f"<@{HANDLES.get(handle, 'U0' + handle.upper()[:8] + '01')}|{handle}>"

    def channel(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"<#C0{re.sub('[^A-Z0-9]', '', name.upper())[:20]}|{name}>"

    text = re.sub(r"(?<![\w<])@([a-z][\w.-]*)", user, text)
    return re.sub(r"(?<![\w<])#([a-z][\w-]*)", channel, text)


def who_runs(example: str) -> str:
    """Someone allowed to run the example: an agent for their own commands, the team's
    manager for reassigning leads (a lead's reference is its team's), else an admin."""
    command = example.split()[0]
    if command == "/lead":
        return DEMO_ADMIN if " reassign " in example else AGENT
    if command == "/call" or example.startswith(("/leadcell me ", "/leadcell time ")):
        return AGENT
    return SETTINGS_ADMIN


@pytest.mark.parametrize("example", SLACK_EXAMPLES)
def test_every_slack_example_runs(slack: Slack, world: Engine, seen: Seen, example: str) -> None:
    command, _, text = example.partition(" ")
    answer = slack.command(command, as_slack_sends(text), user=who_runs(example))
    assert answer.status == 200, (example, answer.body)
    assert seen.unrunnable() == [], (example, answer.text)


@pytest.mark.parametrize("example", THREAD_EXAMPLES)
def test_every_thread_example_runs(slack: Slack, world: Engine, seen: Seen, example: str) -> None:
    """A thread word, replied on a new lead's card by an admin who is also a manager."""
    before = {m["ts"] for m in slack.fake.messages(LEADS)}
    handed = slack.command("/lead", "Acme Corp -- invoice capture for 3 plants", user=AGENT)
    assert handed.status == 200, handed.body
    [card] = [m["ts"] for m in slack.fake.messages(LEADS) if m["ts"] not in before]
    body = payloads.message_event(
        channel=LEADS, user=DEMO_ADMIN, text=example, ts=f"{time.time():.6f}", thread_ts=card
    )
    answer = slack.app.dispatch(BoltRequest(body=body, headers=payloads.event_headers(body)))
    assert answer.status == 200, (example, answer.body)
    assert seen.unrunnable() == [], (example, seen.problems)


@pytest.fixture
def terminal(
    world: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "LEADCELL_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    (tmp_path / "costs.csv").write_text("month,source,amount\n2026-10,telemarketing,24000\n")
    yield tmp_path


@pytest.mark.parametrize("example", TERMINAL_EXAMPLES)
def test_every_terminal_example_runs(
    terminal: Path, seen: Seen, capsys: pytest.CaptureFixture[str], example: str
) -> None:
    words = shlex.split(example)[1:]
    if words[0] not in RUN_IN_TERMINAL and not words[0].startswith("-"):
        build_parser().parse_args(words)  # exits 2 on words that make no command
        return
    try:
        code = main(words)
    except SystemExit as exit:  # argparse's --help
        code = int(exit.code or 0)
    err = capsys.readouterr().err
    assert code != 2, (example, err)
    assert seen.unrunnable() == [], (example, err)
    assert "Traceback" not in err
