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
        env={**clean, "LANG": "C.UTF-8", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The terminal speaks English here, whatever the machine's locale."""
    monkeypatch.delenv("LEADCELL_LANGUAGE", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


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
        "(2 whole months and November 2026 to date, seed 7)"
    ) in out
    assert "3 agents, 15 sales engineers" in out
    assert "useful contacts" in out and "a working day" in out
    assert "Cost per lead, September 2026 to October 2026 (EUR):" in out
    for source in ("telemarketing", "seminars", "trade shows"):
        assert f"  {source} " in out
    assert "Telemarketing's cost per lead is" in out and "lower than seminars'" in out
    # Figures through the one formatter the reports use: grouped the same way.
    calls = out.split("calls: ")[1].split(" ")[0]
    assert "," in calls and calls.replace(",", "").isdigit()
    assert (tmp_path / "demo.db").exists()

    assert in_process(url, "demo-data", "--months", "2", "--today", "2026-11-27") == 1
    refused = capsys.readouterr()
    assert "already has activity" in refused.err
    assert refused.err.rstrip().endswith("Example: leadcell demo-data --team fr --replace")

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
    assert "There is no team `uk`. Teams: `fr`." in capsys.readouterr().err
    assert in_process(url, "demo-data", "--months", "500") == 1
    assert "Demo data covers 1 to 240 months, not 500." in capsys.readouterr().err
    assert in_process(url, "demo-data", "--months", "0", "--replace") == 0
    assert "--months 0: no activity was generated" in capsys.readouterr().out
    assert in_process(url, "shell") is None
