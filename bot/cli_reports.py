"""Command-line subcommands for costs and reports (`leadcell costs …`, `leadcell report …`).

leadcell costs import costs.csv [--team fr]     header month,source,amount[,team]
leadcell costs set 2026-10 telemarketing 24000 team=fr
leadcell costs split 2026-10 telemarketing=70 seminar=30 team=fr
leadcell costs list [2026-10] [team=fr]
leadcell report today [--team fr] [--date 2026-11-27]
leadcell report month 2026-10 [--team fr] [--files DIR]
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from bot.runtime.settings import Settings

if TYPE_CHECKING:
    from bot.i18n import Reader


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-27") from None


def add_parsers(sub: Any) -> None:
    """Add `costs` and `report` to the `leadcell` parser."""
    costs = sub.add_parser("costs", help="monthly costs: import a CSV file, set, split, list")
    costs_sub = costs.add_subparsers(dest="costs_command", required=True, metavar="ACTION")
    imported = costs_sub.add_parser(
        "import",
        help="record every row of a CSV file (header month,source,amount[,team]), "
        "or none if a row is wrong",
    )
    imported.add_argument("file", help="CSV file, or - for standard input")
    imported.add_argument("--team", help="team of the rows without a team column")
    for verb, text in (
        ("set", "/leadcell cost set … from the terminal"),
        ("split", "/leadcell cost split … from the terminal"),
        ("list", "/leadcell cost list … from the terminal"),
    ):
        words = costs_sub.add_parser(verb, help=text)
        words.add_argument("words", nargs=argparse.REMAINDER)

    report = sub.add_parser("report", help="print a day's digest or a month's cost-per-lead report")
    report_sub = report.add_subparsers(dest="report_kind", required=True, metavar="REPORT")
    today = report_sub.add_parser("today", help="the daily digest (today, or --date)")
    today.add_argument("--team", help="team slug (needed when there are several teams)")
    today.add_argument("--date", type=_day, help="a team-local day, e.g. 2026-11-27")
    month = report_sub.add_parser("month", help="the monthly cost-per-lead report")
    month.add_argument("month", nargs="?", help="YYYY-MM (default: the current month)")
    month.add_argument("--team", help="team slug (needed when there are several teams)")
    month.add_argument(
        "--files",
        type=Path,
        metavar="DIR",
        help="also write the PNG chart and the CSV table into DIR",
    )


def run(args: argparse.Namespace, settings: Settings) -> int | None:
    """Run the command if it is one of this module's, else return None."""
    if args.command == "costs":
        if args.costs_command == "import":
            return _guarded(settings, lambda session: _import(session, args))
        words = shlex.join(["cost", args.costs_command, *args.words])
        return _guarded(settings, lambda session: _execute(session, words))
    if args.command == "report":
        return _run_report(settings, args)
    return None


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    import logging

    from models import migrate
    from models.db import make_engine, session_scope

    logging.getLogger("alembic").setLevel(logging.WARNING)
    migrate.upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def _guarded(settings: Settings, work: Callable[[Session], str]) -> int:
    """Run `work` in a session and print its text; a refusal goes to stderr with exit 1."""
    from models.errors import DomainError

    try:
        with _session(settings) as session:
            output = work(session)
    except DomainError as exc:
        print(f"leadcell: {exc.message}", file=sys.stderr)
        if exc.example:
            print(f"example: {exc.example.replace('/leadcell ', 'leadcell ')}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"leadcell: {exc}", file=sys.stderr)
        return 1
    print(output, end="" if output.endswith("\n") else "\n")
    return 0


def _execute(session: Session, words: str) -> str:
    from bot.commands.admin import execute

    return execute(session, words, actor=None, admins=frozenset()).plain()


def _import(session: Session, args: argparse.Namespace) -> str:
    from tabulate import tabulate

    from bot.commands.admin import money
    from models.costs import import_costs, parse_cost_csv

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    entries = import_costs(session, rows=parse_cost_csv(text), default_team=args.team)
    rows = [
        (
            f"{e.month:%Y-%m}",
            e.team_slug,
            e.source.value,
            money(e.amount, e.currency),
            "new" if e.previous is None else f"was {money(e.previous, e.currency)}",
        )
        for e in entries
    ]
    table = tabulate(
        rows, headers=("month", "team", "source", "amount", "before"), disable_numparse=True
    )
    return f"Imported {len(entries)} cost(s):\n{table}\n"


# --- leadcell report --------------------------------------------------------------------------


def _terminal_reader() -> Reader:
    """The terminal's reader: LEADCELL_LANGUAGE, else the LANG locale, else English."""
    import os

    from bot.i18n import reader_for

    return reader_for(os.environ.get("LEADCELL_LANGUAGE") or os.environ.get("LANG"))


def _report_example(args: argparse.Namespace, teams: list[str] | None) -> str:
    """The report command the user was typing, written so that it runs."""
    team = (teams or [None])[0] or args.team or "fr"
    if args.report_kind == "today":
        return f"leadcell report today --team {team}"
    return f"leadcell report month 2026-10 --team {team}"


def _run_report(settings: Settings, args: argparse.Namespace) -> int:
    """`leadcell report …`: print the report; a refusal is one line and an example on stderr."""
    from bot.views.problems import describe
    from models.errors import DomainError

    reader = _terminal_reader()
    try:
        with _session(settings) as session:
            output = _report(session, args, reader)
    except DomainError as error:
        said = describe(error, reader)
        print(f"leadcell: {said.message}", file=sys.stderr)
        print(f"example: {_report_example(args, error.facts.get('teams'))}", file=sys.stderr)
        return 1
    print(output, end="")
    return 0


def _report(session: Session, args: argparse.Namespace, reader: Reader) -> str:
    """The report as terminal text, read as the trusted terminal; `--files` writes the chart and
    the CSV, in the team's language."""
    from bot.commands.report import build_report, report_as_text
    from bot.grammar.dates import parse_month
    from bot.grammar.report_text import ReportKind, ReportRequest
    from bot.readers import team_reader
    from bot.views.report import report_files
    from models.actors import TERMINAL
    from models.reports import MonthlyReport

    if args.report_kind == "today":
        request = ReportRequest(ReportKind.DAY, team=args.team, day=args.date)
    else:
        month = parse_month(args.month) if args.month else None
        request = ReportRequest(ReportKind.MONTH, team=args.team, month=month)
    result = build_report(session, request, TERMINAL)
    text = report_as_text(result, reader)
    if isinstance(result, MonthlyReport) and getattr(args, "files", None):
        args.files.mkdir(parents=True, exist_ok=True)
        for file in report_files(result, team_reader(result.team)):
            (args.files / file.filename).write_bytes(file.content)
            text += f"wrote {args.files / file.filename}\n"
    return text
