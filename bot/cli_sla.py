"""Command-line subcommands for outsourced cells: the contract and the monthly statement.

leadcell contract operator uk "Northline Contact" [--channel C0123ABCD] | --in-house
leadcell contract import uk contract.toml        all or nothing; refusals name the line
leadcell contract show uk
leadcell sla statement uk 2026-10 [--pdf FILE] [--csv FILE]
leadcell sla verify uk 2026-10                   rebuild an issued statement and compare
leadcell sla sample uk 2026-10                   the month's audit sample and its progress

The terminal acts as the trusted TERMINAL actor. Documents (the statement, its PDF) are in
the team's language; the command's own messages and refusals are in English.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bot.runtime.settings import Settings

#: The terminal's own sentences.
IMPORTED = "Recorded version {number} of the contract of {team}, in force from {start}."
OUTSOURCED = "Team {team} is now run by {operator}."
IN_HOUSE = "Team {team} is in-house again; its contract and statements stay readable."
WROTE = "wrote {path}"
MATCHES = "The statement of {month} as issued matches a rebuild from the records."
DIFFERS = "The statement of {month} as issued differs from a rebuild from the records:"
DIFFERENCE = "  {what} {key}: issued {stored}, rebuilt {rebuilt}"


def add_parsers(sub: Any) -> None:
    """Add `contract` and `sla` to the `leadcell` parser."""
    contract = sub.add_parser("contract", help="an outsourced team's contract: import, show")
    actions = contract.add_subparsers(dest="contract_command", required=True, metavar="ACTION")
    imported = actions.add_parser(
        "import", help="record a contract version from a TOML file (see docs/contract-example.toml)"
    )
    imported.add_argument("team", help="team slug, e.g. uk")
    imported.add_argument("file", type=Path, help="the contract file")
    shown = actions.add_parser("show", help="every version of a team's contract")
    shown.add_argument("team")
    operator = actions.add_parser("operator", help="name the provider running a team")
    operator.add_argument("team")
    operator.add_argument("name", nargs="?", help='the provider, e.g. "Northline Contact"')
    operator.add_argument("--channel", help="the provider's contact channel id, e.g. C0123ABCD")
    operator.add_argument("--in-house", action="store_true", help="the team has no provider")

    sla = sub.add_parser("sla", help="monthly statements of outsourced teams")
    sla_actions = sla.add_subparsers(dest="sla_command", required=True, metavar="ACTION")
    statement = sla_actions.add_parser("statement", help="a month's statement (issued or draft)")
    verify = sla_actions.add_parser("verify", help="rebuild an issued statement and compare")
    sample = sla_actions.add_parser("sample", help="a month's audit sample and its progress")
    for parser in (statement, verify, sample):
        parser.add_argument("team")
        parser.add_argument("month", help="YYYY-MM, e.g. 2026-10")
    statement.add_argument("--pdf", type=Path, metavar="FILE", help="also write it as PDF")
    statement.add_argument("--csv", type=Path, metavar="FILE", help="also write it as CSV")


def run(args: argparse.Namespace, settings: Settings) -> int | None:
    """Run the command if it is one of this module's, else return None."""
    if args.command == "contract":
        work = {"import": _import, "show": _show, "operator": _operator}[args.contract_command]
    elif args.command == "sla":
        work = {"statement": _statement, "verify": _verify, "sample": _sample}[args.sla_command]
    else:
        return None
    return _guarded(settings, lambda session: work(session, args))


def _guarded(settings: Settings, work: Callable[[Session], str]) -> int:
    """Run `work` in a session and print its text; a refusal goes to stderr with exit 1."""
    import logging

    from bot.i18n import Reader
    from bot.views.problems import describe, refusal_text
    from models import migrate
    from models.db import make_engine, session_scope
    from models.errors import DomainError

    logging.getLogger("alembic").setLevel(logging.WARNING)
    migrate.upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            output = work(session)
    except DomainError as error:
        reader = Reader("en")
        said = describe(error, reader)
        text = refusal_text(said, reader).replace("Example: /leadcell ", "Example: leadcell ")
        print(f"leadcell: {text}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"leadcell: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(output, end="" if output.endswith("\n") else "\n")
    return 0


def _team_reader(team: Any) -> Any:
    from bot.i18n import reader_for

    return reader_for(team.language, timezone=team.timezone, currency=team.currency)


def _import(session: Session, args: argparse.Namespace) -> str:
    from bot.grammar.contract_file import read_contract
    from models.actors import TERMINAL
    from models.contracts import import_contract

    terms = read_contract(args.file.read_text(encoding="utf-8"))
    version = import_contract(session, actor=TERMINAL, team_slug=args.team, terms=terms)
    return IMPORTED.format(
        number=version.number, team=args.team, start=version.effective_from.isoformat()
    )


def _show(session: Session, args: argparse.Namespace) -> str:
    from bot.views.sla import contract_text
    from models.actors import TERMINAL
    from models.contracts import show_contract

    facts = show_contract(session, actor=TERMINAL, team_slug=args.team)
    return contract_text(facts, _team_reader(facts.team))


def _operator(session: Session, args: argparse.Namespace) -> str:
    from models.actors import TERMINAL
    from models.contracts import set_operator

    name = None if args.in_house else args.name
    team = set_operator(
        session,
        actor=TERMINAL,
        team_slug=args.team,
        operator=name,
        provider_channel=args.channel,
    )
    if team.operator is None:
        return IN_HOUSE.format(team=team.slug)
    return OUTSOURCED.format(team=team.slug, operator=team.operator)


def _statement(session: Session, args: argparse.Namespace) -> str:
    from bot.grammar.dates import parse_month
    from bot.views.sla import statement_text
    from bot.views.sla_csv import statement_csv
    from bot.views.sla_pdf import statement_pdf
    from models.actors import TERMINAL
    from models.statements import statement_of

    facts = statement_of(
        session, actor=TERMINAL, team_slug=args.team, month=parse_month(args.month)
    )
    reader = _team_reader(facts.team)
    text = statement_text(facts, reader)
    if args.pdf:
        args.pdf.write_bytes(statement_pdf(facts, reader))
        text += WROTE.format(path=args.pdf) + "\n"
    if args.csv:
        args.csv.write_bytes(statement_csv(facts))
        text += WROTE.format(path=args.csv) + "\n"
    return text


def _verify(session: Session, args: argparse.Namespace) -> str:
    from bot.grammar.dates import parse_month
    from models.actors import TERMINAL
    from models.statements import verify_statement

    month = parse_month(args.month)
    _, differences = verify_statement(session, actor=TERMINAL, team_slug=args.team, month=month)
    if not differences:
        return MATCHES.format(month=args.month)
    lines = [DIFFERS.format(month=args.month)]
    lines += [
        DIFFERENCE.format(what=d.what, key=d.key or "", stored=d.stored, rebuilt=d.rebuilt)
        for d in differences
    ]
    return "\n".join(lines)


def _sample(session: Session, args: argparse.Namespace) -> str:
    from bot.grammar.dates import parse_month
    from bot.views.sla import sample_text
    from models.actors import TERMINAL
    from models.audits import audit_sample

    facts = audit_sample(
        session, actor=TERMINAL, team_slug=args.team, month=parse_month(args.month)
    )
    return sample_text(facts, _team_reader(facts.team))
