"""The `leadcell` command line as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def leadcell(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DATABASE_URL", "LEADCELL_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_web_without_secrets_stops_with_the_variables_and_examples(tmp_path: Path) -> None:
    result = leadcell("web", "--port", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is missing" in result.stderr
    assert "SLACK_BOT_TOKEN=xoxb-<workspace number>-<bot number>-" in result.stderr
    assert "SLACK_SIGNING_SECRET is missing" in result.stderr


def test_a_malformed_setting_from_dotenv_stops_the_start(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=not-a-token\nPORT=eighty\n")
    result = leadcell("worker", cwd=tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN should start with 'xoxb-'" in result.stderr
    assert "PORT='eighty' is not a whole number" in result.stderr
    assert "not-a-token" not in result.stderr


def test_manifest_for_http_and_socket_mode(tmp_path: Path) -> None:
    http = json.loads(leadcell("manifest", "--url", "https://example.org", cwd=tmp_path).stdout)
    commands = {c["command"]: c for c in http["features"]["slash_commands"]}
    assert set(commands) == {"/call", "/lead", "/leadcell"}
    assert all(c["should_escape"] for c in commands.values())
    assert commands["/call"]["url"] == "https://example.org/slack/events"
    assert http["settings"]["interactivity"]["request_url"] == "https://example.org/slack/events"
    socket = json.loads(leadcell("manifest", "--socket-mode", cwd=tmp_path).stdout)
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "url" not in json.dumps(socket["features"])


def test_roster_bootstrap_from_the_terminal(tmp_path: Path) -> None:
    db = {"DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"}
    added = leadcell(
        "team",
        "add",
        "uk",
        "United Kingdom",
        "tz=Europe/London",
        "currency=gbp",
        cwd=tmp_path,
        **db,
    )
    assert added.returncode == 0, added.stderr
    assert "Created team `uk`: United Kingdom, Europe/London, GBP, posting in English." in (
        added.stdout
    )
    assert "leadcell team set uk digest=C0DIGESTUK" in added.stdout  # nothing is posted yet
    member = leadcell(
        "member",
        "add",
        "U0ALICE1",
        "team=uk",
        "roles=agent,se",
        "name=Alice Smith",
        cwd=tmp_path,
        **db,
    )
    assert member.returncode == 0, member.stderr
    assert "Added Alice Smith to `uk` as agent and sales engineer." in member.stdout
    listed = leadcell("member", "list", cwd=tmp_path, **db)
    assert "Alice Smith" in listed.stdout and "U0ALICE1" in listed.stdout
    assert "agent and sales engineer" in listed.stdout
    refused = leadcell(
        "team", "add", "uk", "Again", "tz=Europe/London", "currency=GBP", cwd=tmp_path, **db
    )
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "leadcell: Team `uk` exists already; change its settings with `leadcell team set`. "
        "Example: leadcell team set uk target=30"
    ]


def test_manifest_refuses_a_broken_url_in_one_line(tmp_path: Path) -> None:
    for url in ("example.org", "https://x/slack/events"):
        result = leadcell("manifest", "--url", url, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith(f"leadcell manifest: {url} ")
        assert "for example https://leadcell.example.org" in line
        assert "Traceback" not in result.stderr


def test_version_prints_the_installed_distributions_version(tmp_path: Path) -> None:
    from importlib.metadata import version

    result = leadcell("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"leadcell {version('leadcell')}\n"
