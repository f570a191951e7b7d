"""Command-line subcommand `leadcell demo-data`: a year of realistic demo activity."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tabulate import tabulate

from bot.deps import Deps
from bot.i18n import Reader
from bot.runtime.settings import Settings
from bot.views.costs import source_name
from models.demo.summary import ActivitySummary
from models.leads import Source

EXAMPLES = """examples:
  leadcell demo-data --months 12               a year (and this month) for the demo team France
  leadcell demo-data --months 12 --replace     throw the team's activity away and start again
  leadcell demo-data --months 120 --agents 50  a large operation, for benchmarks
"""


def add_parsers(sub: Any) -> None:
    """Add `demo-data` to the `leadcell` parser."""
    demo = sub.add_parser(
        "demo-data",
        help="generate months of realistic calls, leads, events and costs for a team",
        description="Migrate the database, create the demo team France (3 agents, 15 sales "
        "engineers) when there is no team yet, and generate its activity: about 30 useful "
        "contacts a working day, one in ten a lead, seminars and trade shows, and costs "
        "that make telemarketing's cost per lead about 5x lower than seminars' and 10x "
        "lower than trade shows'.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.add_argument(
        "--months",
        type=int,
        default=12,
        help="whole months before today's month, which comes too, up to today (default: 12; "
        "0: the demo roster only, no activity)",
    )
    demo.add_argument("--team", default="fr", help="team slug (default: fr, the demo team)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")
    demo.add_argument(
        "--today",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="last day of activity (default: today in the team's time zone)",
    )
    demo.add_argument(
        "--agents",
        type=int,
        metavar="N",
        help="agents to generate for, added to the roster when missing, with "
        "five sales engineers each (default: the team's agents)",
    )
    demo.add_argument(
        "--replace",
        action="store_true",
        help="delete the team's calls, leads, events and costs first",
    )


def run(args: argparse.Namespace, settings: Settings) -> int | None:
    """Run `demo-data`; None for any other command."""
    if args.command != "demo-data":
        return None
    from bot.terminal import run_in_terminal

    return run_in_terminal(settings, lambda deps, reader: _generate(deps, reader, args))


def _generate(deps: Deps, reader: Reader, args: argparse.Namespace) -> str:
    from models.demo.activity import generate_activity
    from models.demo.roster import seed_demo_roster
    from models.roster import get_team, timezone_of

    lines: list[str] = []
    with deps.session() as session:
        if seed_demo_roster(session):
            lines.append(
                reader._(
                    "Created the demo team France (fr): 3 agents, 15 sales engineers, 1 admin."
                )
            )
        team = get_team(session, slug=args.team)
        if args.months == 0:
            lines.append(
                reader._(
                    "--months 0: no activity was generated; team {team} keeps what it has.",
                    team=team.slug,
                )
            )
            return "\n".join(lines)
        today = args.today or datetime.now(timezone_of(team)).date()
        summary = generate_activity(
            session,
            team_slug=args.team,
            months=args.months,
            today=today,
            seed=args.seed,
            agents=args.agents,
            replace=args.replace,
        )
    return "\n".join(lines + summary_lines(summary, reader))


def summary_lines(summary: ActivitySummary, reader: Reader) -> list[str]:
    """What the generator made, as the terminal prints it; figures through the reader."""
    number, currency = reader.number, summary.currency
    leads = summary.leads or 1
    by_source = [
        reader._(
            "{source} {count} ({share})",
            source=source_name(Source(source), reader),
            count=number(n),
            share=reader.percent(Decimal(n) / leads, decimals=0),
        )
        for source, n in summary.leads_by_source.items()
        if n
    ]
    first, last = summary.cost_months
    period = (
        reader.month_name(first)
        if first == last
        else reader._(
            "{first} to {last}", first=reader.month_name(first), last=reader.month_name(last)
        )
    )
    attendees = summary.seminar_attendees
    seminars = reader.n_(
        "{count} seminar", "{count} seminars", summary.events_by_kind.get("seminar", 0)
    )
    if attendees:
        seminars = reader._(
            "{seminars} ({low} to {high} attendees)",
            seminars=seminars,
            low=number(min(attendees)),
            high=number(max(attendees)),
        )
    lines = [
        reader.n_(
            "Demo activity for team {team} ({name}), {first} to {last} ({count} whole month "
            "and {month} to date, seed {seed}), made in {seconds} s",
            "Demo activity for team {team} ({name}), {first} to {last} ({count} whole months "
            "and {month} to date, seed {seed}), made in {seconds} s",
            summary.months,
            team=summary.team_slug,
            name=summary.team_name,
            first=summary.first_day.isoformat(),
            last=summary.last_day.isoformat(),
            month=reader.month_name(summary.last_day),
            seed=summary.seed,
            seconds=number(Decimal(str(summary.seconds)), decimals=1),
        ),
        "  "
        + reader._(
            "{agents}, {engineers}, {days}",
            agents=reader.n_("{count} agent", "{count} agents", summary.agents),
            engineers=reader.n_(
                "{count} sales engineer", "{count} sales engineers", summary.sales_engineers
            ),
            days=reader.n_("{count} working day", "{count} working days", summary.working_days),
        ),
        "  "
        + reader._(
            "calls: {calls} ({useful} useful contacts, {per_day} a working day; {dials} "
            "unanswered dials; {undone} undone)",
            calls=number(summary.calls),
            useful=number(summary.useful_contacts),
            per_day=number(Decimal(str(summary.useful_per_working_day)), decimals=1),
            dials=number(summary.calls - summary.useful_contacts),
            undone=number(summary.undone_calls),
        ),
        "  "
        + reader._(
            "leads: {count}: {sources}; {share} of useful contacts became a lead",
            count=number(summary.leads),
            sources=reader.items(by_source) if by_source else reader._("none"),
            share=reader.percent(Decimal(str(summary.lead_share))),
        ),
        "  "
        + reader._(
            "events: {seminars}, {shows}",
            seminars=seminars,
            shows=reader.n_(
                "{count} trade show",
                "{count} trade shows",
                summary.events_by_kind.get("trade-show", 0),
            ),
        ),
        reader._("Cost per lead, {period} ({currency}):", period=period, currency=currency),
    ]
    rows = []
    for source, cost in summary.costs.items():
        ratio = summary.ratio(source)
        rows.append(
            (
                source_name(Source(source), reader),
                reader.money(cost.cost, currency),
                number(cost.leads),
                reader.money(cost.per_lead.quantize(Decimal(1)), currency)
                if cost.per_lead is not None
                else reader._("no leads"),
                reader.ratio(Decimal(str(ratio))) if ratio is not None else "—",
            )
        )
    headers = [
        reader._("source"),
        reader._("cost"),
        reader._("leads"),
        reader._("per lead"),
        reader._("vs telemarketing"),
    ]
    table = tabulate(
        rows,
        headers=headers,
        disable_numparse=True,
        colalign=("left", "right", "right", "right", "right"),
    )
    lines += ["  " + line for line in table.splitlines()]
    seminar, show = summary.seminar_ratio, summary.trade_show_ratio
    if seminar and show:
        lines.append(
            reader._(
                "Telemarketing's cost per lead is {seminar} lower than seminars' and {show} "
                "lower than trade shows'.",
                seminar=reader.ratio(Decimal(str(seminar))),
                show=reader.ratio(Decimal(str(show))),
            )
        )
    elif seminar or show:
        lines.append(
            reader._(
                "Telemarketing's cost per lead is {ratio} lower than {others}'.",
                ratio=reader.ratio(Decimal(str(seminar or show))),
                others=reader._("seminars") if seminar else reader._("trade shows"),
            )
        )
    else:
        lines.append(reader._("Too few leads for cost-per-lead ratios."))
    return lines
