"""Command-line subcommand `leadcell demo-data`: a year of realistic demo activity."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from typing import Any

from bot.runtime.settings import Settings

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
        help="whole months before today's month, which comes too, up to today (default: 12)",
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
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)  # before alembic logs its plugins
    from models import migrate
    from models.db import make_engine, session_scope
    from models.demo.activity import generate_activity
    from models.demo.roster import seed_demo_roster
    from models.errors import DomainError
    from models.roster import get_team, timezone_of

    migrate.upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            if seed_demo_roster(session):
                print("Created the demo team France (fr): 3 agents, 15 sales engineers, 1 admin.")
            today = args.today
            if today is None:
                today = datetime.now(timezone_of(get_team(session, slug=args.team))).date()
            summary = generate_activity(
                session,
                team_slug=args.team,
                months=args.months,
                today=today,
                seed=args.seed,
                agents=args.agents,
                replace=args.replace,
            )
    except DomainError as exc:
        print(f"leadcell: {exc.message}", file=sys.stderr)
        if exc.example:
            print(f"example: {exc.example}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print("\n".join(summary.lines()))
    return 0
