"""Command-line subcommands for costs and reports (`leadcell costs …`, `leadcell report …`).

leadcell costs import costs.csv [--team fr]     header month,source,amount[,team]
leadcell costs set 2026-10 telemarketing 24000 team=fr
leadcell costs split 2026-10 telemarketing=70 seminar=30 team=fr
leadcell costs list 2026-10 team=fr
leadcell costs help
leadcell report today [--team fr] [--date 2026-11-27]
leadcell report month 2026-10 [--team fr] [--files DIR]
"""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bot.deps import Deps
from bot.i18n import Reader
from bot.runtime.settings import Settings
from models.costs import CostProblem
from models.errors import InvalidInput


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
        ("set", "record what a source cost in a month: set 2026-10 telemarketing 24000"),
        ("split", "share a month's cell cost: split 2026-10 telemarketing=70 seminar=30"),
        ("list", "what each source cost, month by month: list [2026-10] [team=fr]"),
        ("help", "the costs commands, with examples"),
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
        from bot.terminal import run_in_terminal, run_words

        if args.costs_command == "import":
            return run_in_terminal(settings, lambda deps, reader: _import(deps, reader, args))
        return run_words(settings, shlex.join(["cost", args.costs_command, *args.words]))
    if args.command == "report":
        from bot.grammar.command_line import Topic, Verb
        from bot.terminal import run_in_terminal

        verb = Verb.DAY if getattr(args, "date", None) else Verb.TODAY
        if args.report_kind == "month":
            verb = Verb.MONTH
        return run_in_terminal(
            settings,
            lambda deps, reader: _report(deps, args, reader),
            facts={"topic": Topic.REPORT, "verb": verb},
        )
    return None


def _import(deps: Deps, reader: Reader, args: argparse.Namespace) -> str:
    """`costs import`: every row of the file, or none."""
    from bot.grammar.cost_file import read_cost_file
    from bot.views.costs import costs_imported
    from bot.views.leadcell import TERMINAL as STYLE
    from models.actors import TERMINAL
    from models.costs import import_costs
    from models.roster import TeamSettings, list_teams

    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(CostProblem.FILE_UNREADABLE, file=args.file, reason=str(exc)) from None
    with deps.session() as session:
        teams = [TeamSettings.of(team) for team in list_teams(session)]
        rows = read_cost_file(text, teams=teams, default_team=args.team)
        entries = import_costs(session, actor=TERMINAL, rows=rows)
    return costs_imported(entries, reader, STYLE).text()


# --- leadcell report --------------------------------------------------------------------------


def _report(deps: Deps, args: argparse.Namespace, reader: Reader) -> str:
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
    with deps.session() as session:
        result = build_report(session, request, TERMINAL)
    text = report_as_text(result, reader)
    if isinstance(result, MonthlyReport) and getattr(args, "files", None):
        args.files.mkdir(parents=True, exist_ok=True)
        for file in report_files(result, team_reader(result.team)):
            (args.files / file.filename).write_bytes(file.content)
            text += reader._("Wrote {path}.", path=args.files / file.filename) + "\n"
    return text
