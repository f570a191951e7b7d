"""The shell shows what Slack accepted and refused, greets piped input, and knows new people."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.app import InlineExecutor, create_app
from bot.local.fake_slack import FakeSlack
from bot.local.shell import Shell, workspace_user_id
from bot.runtime.settings import Settings
from tests.conftest import BOT_TOKEN


def shell_for(settings: Settings, roster: Engine, fake: FakeSlack) -> tuple[Shell, io.StringIO]:
    out = io.StringIO()
    app = create_app(settings, roster, listener_executor=InlineExecutor())
    return Shell(app=app, engine=roster, fake=fake, out=out), out


def run_piped(tmp_path: Path, commands: str) -> subprocess.CompletedProcess[str]:
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
    return result


def test_piped_input_gets_a_banner_and_an_empty_pipe_says_so(tmp_path: Path) -> None:
    out = run_piped(tmp_path, "").stdout.splitlines()
    assert out == [
        f"leadcell shell on sqlite:///{tmp_path}/shell.db (demo team France created, with 0 "
        "months of activity), as @camille, reading commands from standard input",
        "No command was read from standard input. Pipe commands in, for example: "
        "printf '/call Acme 12m\\n' | leadcell shell",
    ]
    again = run_piped(tmp_path, "who\n").stdout.splitlines()
    assert again[0] == (
        f"leadcell shell on sqlite:///{tmp_path}/shell.db, as @camille, reading commands "
        "from standard input"
    )
    assert again[1] == "camille> who"
    assert "No command was read" not in "\n".join(again)


def test_a_message_slack_refuses_shows_as_refused(
    settings: Settings, roster: Engine, fake_slack: FakeSlack
) -> None:
    shell, out = shell_for(settings, roster, fake_slack)
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.url, retry_handlers=[])
    fake_slack.clear_calls()
    too_many = [{"type": "divider"}] * 51
    with pytest.raises(SlackApiError):
        client.api_call("chat.postMessage", json={"channel": "C0LEADSFR", "blocks": too_many})
    client.api_call("chat.postMessage", json={"channel": "C0LEADSFR", "text": "accepted"})

    shell.show_web_api_calls()

    lines = out.getvalue().splitlines()
    assert lines[0] == "[#C0LEADSFR: Slack refused it (invalid_blocks), so nobody sees it]"
    assert lines[1] == "  no more than 50 blocks allowed (got 51) [json-pointer:/blocks]"
    assert lines[-2:] == ["[#C0LEADSFR]", "accepted"]


def test_a_card_refused_for_a_missing_scope_is_not_shown_as_posted(
    settings: Settings, roster: Engine, fake_slack: FakeSlack
) -> None:
    shell, out = shell_for(settings, roster, fake_slack)
    fake_slack.grant_scopes(["commands"])

    shell.execute("/lead @marc Acme Corp -- invoice capture value=120k")

    shown = out.getvalue()
    assert "is handed to @marc" in shown  # the answer to the command itself
    assert "[#C0LEADSFR: Slack refused it (missing_scope), so nobody sees it]" in shown
    assert "[#C0LEADSFR]" not in shown
    assert "L-0001" not in shell.cards


def test_an_answer_with_invalid_blocks_shows_as_refused(
    settings: Settings, roster: Engine, fake_slack: FakeSlack
) -> None:
    shell, out = shell_for(settings, roster, fake_slack)
    shell.dispatch = lambda body: {"blocks": [{"type": "divider"}] * 51}  # type: ignore[method-assign]
    shell.slash("/call", "help")
    lines = out.getvalue().splitlines()
    assert (
        lines[0]
        == "[only you would see this: Slack refused it (invalid_blocks), so nobody sees it]"
    )
    assert "[only you can see this]" not in lines


def test_person_add_makes_someone_the_workspace_knows(
    settings: Settings, roster: Engine, fake_slack: FakeSlack
) -> None:
    shell, out = shell_for(settings, roster, fake_slack)
    shell.execute('person add @hans "Hans Becker" locale=de-DE')
    hans = workspace_user_id("hans")
    assert out.getvalue().splitlines()[-1] == (
        f"@hans (Hans Becker, de-DE) is in the workspace as {hans}; not on the roster."
    )
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.url)
    user = client.users_info(user=hans, include_locale=True)["user"]
    assert (user["real_name"], user["name"], user["locale"]) == ("Hans Becker", "hans", "de-DE")
    assert shell.escape_mentions("hello @hans") == f"hello <@{hans}|hans>"
    assert workspace_user_id("hans") == hans  # the same id in every run

    shell.execute("as @magali")
    shell.execute("/leadcell member add @hans team=fr roles=agent")
    shell.execute("as @hans")
    shell.execute("/call Acme Corp 12m contact")
    assert "Logged a call with *Acme Corp*" in out.getvalue()


def test_person_add_refusals_have_examples(
    settings: Settings, roster: Engine, fake_slack: FakeSlack
) -> None:
    shell, out = shell_for(settings, roster, fake_slack)
    for line in (
        "person add marie",
        'person add @marie "Marie Curie" tz=Europe/Paris',
        'person add @marie "Marie Curie" locale=french',
        'person add @marc "Marc Again"',
    ):
        shell.execute(line)
    said = out.getvalue().splitlines()
    assert said == [
        'Write `person add @marie "Marie Curie" locale=fr-FR`: a @handle, the full name in '
        "quotes, and optionally locale=.",
        "'tz=Europe/Paris' is not an option of `person add`: only locale= is. Example: "
        'person add @marie "Marie Curie" locale=fr-FR',
        "'french' is not a locale such as fr-FR, en-GB or de-DE. Example: "
        'person add @marie "Marie Curie" locale=fr-FR',
        '@marc is already in the workspace (Marc Dubois). Example: person add @marie "Marie '
        'Curie" locale=fr-FR',
    ]
