"""Command-line subcommands for outsourced cells: the contract and the monthly statement.

leadcell contract operator uk "Northline Contact" [--channel C0123ABCD] | --in-house
leadcell contract import uk contract.toml        all or nothing; refusals name the line
leadcell contract show uk
leadcell sla statement uk 2026-10 [--pdf FILE] [--csv FILE]
leadcell sla verify uk 2026-10                   rebuild an issued statement and compare
leadcell sla sample uk 2026-10                   the month's audit sample and its progress

The terminal acts as the trusted TERMINAL actor. Documents (the statement, its PDF) are in
the team's language; the command's own messages and refusals in the terminal's
(bot.terminal: LEADCELL_LANGUAGE, else LANG, else English).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bot.deps import Deps
from bot.i18n import Reader
from bot.runtime.settings import Settings


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
    from bot.terminal import run_in_terminal, typed_command
    from bot.views.leadcell import TYPED_FACT

    if args.command == "contract":
        work = {"import": _import, "show": _show, "operator": _operator}[args.contract_command]
    elif args.command == "sla":
        work = {"statement": _statement, "verify": _verify, "sample": _sample}[args.sla_command]
    else:
        return None

    def in_session(deps: Deps, reader: Reader) -> str:
        with deps.session() as session:
            return work(session, args, reader)

    facts = {TYPED_FACT: typed_command(getattr(args, "typed", []))}
    return run_in_terminal(settings, in_session, facts=facts)


def _team_reader(team: Any) -> Any:
    from bot.i18n import reader_for

    return reader_for(team.language, timezone=team.timezone, currency=team.currency)


def _import(session: Session, args: argparse.Namespace, reader: Reader) -> str:
    from bot.grammar.contract_file import read_contract
    from models.actors import TERMINAL
    from models.contracts import import_contract

    terms = read_contract(args.file.read_text(encoding="utf-8"))
    version = import_contract(session, actor=TERMINAL, team_slug=args.team, terms=terms)
    return reader._(
        "Recorded version {number} of the contract of {team}, in force from {start}.",
        number=version.number,
        team=args.team,
        start=version.effective_from.isoformat(),
    )


def _show(session: Session, args: argparse.Namespace, reader: Reader) -> str:
    from bot.views.sla import contract_text
    from models.actors import TERMINAL
    from models.contracts import show_contract

    facts = show_contract(session, actor=TERMINAL, team_slug=args.team)
    return contract_text(facts, _team_reader(facts.team))


def _operator(session: Session, args: argparse.Namespace, reader: Reader) -> str:
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
        return reader._(
            "Team {team} is in-house again; its contract and statements stay readable.",
            team=team.slug,
        )
    return reader._("Team {team} is now run by {operator}.", team=team.slug, operator=team.operator)


def _statement(session: Session, args: argparse.Namespace, reader: Reader) -> str:
    from bot.grammar.dates import parse_month
    from bot.views.sla import statement_text
    from bot.views.sla_csv import statement_csv
    from bot.views.sla_pdf import statement_pdf
    from models.actors import TERMINAL
    from models.statements import statement_of

    facts = statement_of(
        session, actor=TERMINAL, team_slug=args.team, month=parse_month(args.month)
    )
    document = _team_reader(facts.team)
    text = statement_text(facts, document)
    if args.pdf:
        args.pdf.write_bytes(statement_pdf(facts, document))
        text += reader._("Wrote {path}.", path=args.pdf) + "\n"
    if args.csv:
        args.csv.write_bytes(statement_csv(facts))
        text += reader._("Wrote {path}.", path=args.csv) + "\n"
    return text


def _verify(session: Session, args: argparse.Namespace, reader: Reader) -> str:
    from bot.grammar.dates import parse_month
    from models.actors import TERMINAL
    from models.statements import verify_statement

    month = parse_month(args.month)
    _, differences = verify_statement(session, actor=TERMINAL, team_slug=args.team, month=month)
    if not differences:
        return reader._(
            "The statement of {month} as issued matches a rebuild from the records.",
            month=args.month,
        )
    lines = [
        reader._(
            "The statement of {month} as issued differs from a rebuild from the records:",
            month=args.month,
        )
    ]
    lines += [
        "  "
        + reader._(
            "{what} {key}: issued {stored}, rebuilt {rebuilt}",
            what=d.what,
            key=d.key or "",
            stored=d.stored,
            rebuilt=d.rebuilt,
        )
        for d in differences
    ]
    return "\n".join(lines)


def _sample(session: Session, args: argparse.Namespace, reader: Reader) -> str:
    from bot.grammar.dates import parse_month
    from bot.views.sla import sample_text
    from models.actors import TERMINAL
    from models.audits import audit_sample

    facts = audit_sample(
        session, actor=TERMINAL, team_slug=args.team, month=parse_month(args.month)
    )
    return sample_text(facts, _team_reader(facts.team))
