"""`leadcell demo-data` as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.cli_demo import run
from bot.runtime.settings import Settings


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
        timeout=120,
    )


def in_process(database_url: str, *args: str) -> int | None:
    return run(build_parser().parse_args(list(args)), Settings(database_url=database_url))


def test_demo_data_seeds_generates_refuses_and_replaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/demo.db"
    made = leadcell(
        "demo-data", "--months", "2", "--today", "2026-11-27", cwd=tmp_path, DATABASE_URL=url
    )
    assert made.returncode == 0, made.stderr
    out = made.stdout
    assert "Created the demo team France (fr)" in out
    assert (
        "Demo activity for team fr (France), 2026-09-01 to 2026-11-27 "
        "(2 whole months and November to date, seed 7)"
    ) in out
    assert "3 agents, 15 sales engineers" in out
    assert "useful contacts" in out and "a working day" in out
    assert "Cost per lead, 2026-09 to 2026-10 (EUR):" in out
    for source in ("telemarketing", "seminar", "trade-show"):
        assert f"  {source} " in out
    assert "Telemarketing's cost per lead is" in out and "lower than seminars'" in out
    assert (tmp_path / "demo.db").exists()

    assert in_process(url, "demo-data", "--months", "2", "--today", "2026-11-27") == 1
    refused = capsys.readouterr()
    assert "already has activity" in refused.err
    assert "example: leadcell demo-data --team fr --replace" in refused.err

    code = in_process(url, "demo-data", "--months", "2", "--today", "2026-11-27", "--replace")
    assert code == 0
    again = capsys.readouterr().out
    assert "Created the demo team" not in again
    assert again.splitlines()[1:] == out.splitlines()[2:]  # same data; only timing differs


def test_demo_data_defaults_to_today_and_explains_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/demo.db"
    assert in_process(url, "demo-data", "--months", "1", "--seed", "3") == 0
    assert "(1 whole month and " in capsys.readouterr().out
    assert in_process(url, "demo-data", "--team", "uk") == 1
    assert "There is no team `uk` (teams: fr)" in capsys.readouterr().err
    assert in_process(url, "demo-data", "--months", "0", "--replace") == 1
    assert "Months go from 1 to 240" in capsys.readouterr().err
    assert in_process(url, "shell") is None
