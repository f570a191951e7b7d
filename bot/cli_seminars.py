"""Command-line subcommands for seminars, do-not-call and personal data.

leadcell event attendees import "Paris Summit" 2026-10-14 FILE.csv [--team fr]
leadcell event attendees show "Paris Summit" 2026-10-14 [--team fr]
leadcell event returns [2026] [--team fr] [--files DIR]
leadcell dnc add +33 1 23 45 67 89 asked not to be called [--team fr]
leadcell dnc list [--team fr] | dnc remove ID | dnc import FILE [--origin Bloctel]
leadcell privacy export --person "Jane Doe" | --phone +33123456789 | --email jane@acme.example
leadcell privacy erase --person "Jane Doe" [--yes]
leadcell privacy retention                      clear what is older than each team's period
leadcell seminars settings [fr] [country=FR] [attribution_days=90] [retention_months=36]
leadcell seminars queue [--team fr]
leadcell seminars split 2026-10 [--team fr]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bot.deps import Deps
from bot.i18n import Reader
from bot.runtime.settings import Settings

EXAMPLES = """examples:
  leadcell event attendees import "Paris Summit" 2026-10-14 attendees.csv
  leadcell event returns 2026 --files reports/
  leadcell dnc add +33 1 23 45 67 89 asked not to be called
  leadcell dnc import bloctel.csv --origin "Bloctel 2026-10"
  leadcell privacy export --person "Jane Doe"
  leadcell privacy erase --phone "+33 1 23 45 67 89"
  leadcell seminars settings fr country=FR attribution_days=90 retention_months=36
"""
CONFIRM_WORD = "erase"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-10-14") from None


def _month(text: str) -> date:
    try:
        return date.fromisoformat(text + "-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month like 2026-10") from None


def _person_options(parser: argparse.ArgumentParser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", help="a name: every word of it, in any order, case aside")
    who.add_argument("--phone", help="a number (read for the team's country without +)")
    who.add_argument("--email", help="an email address")


def add_parsers(sub: Any) -> None:
    """Add `dnc`, `privacy` and `seminars` (`event attendees|returns` reuse `event`)."""
    dnc = sub.add_parser("dnc", help="the do-not-call list: add, list, remove, import numbers")
    dnc_sub = dnc.add_subparsers(dest="dnc_command", required=True, metavar="ACTION")
    add = dnc_sub.add_parser("add", help="a number, an email, company NAME or person NAME")
    add.add_argument("words", nargs="+")
    add.add_argument("--team", help="team slug (needed when there are several teams)")
    listed = dnc_sub.add_parser("list", help="the team's list, newest first")
    listed.add_argument("--team")
    remove = dnc_sub.add_parser("remove", help="take an entry off the list, by its #")
    remove.add_argument("entry", type=int)
    imported = dnc_sub.add_parser(
        "import", help="numbers from a registry file (one per line), all or none"
    )
    imported.add_argument("file", help="CSV or text file, or - for standard input")
    imported.add_argument("--team")
    imported.add_argument("--origin", help="where the list comes from (default: the file name)")
    imported.add_argument("--reason", help="the reason shown with each number")

    privacy = sub.add_parser("privacy", help="a person's data: export, erase; the retention period")
    privacy_sub = privacy.add_subparsers(dest="privacy_command", required=True, metavar="ACTION")
    export = privacy_sub.add_parser("export", help="print every stored item about a person")
    _person_options(export)
    erase = privacy_sub.add_parser(
        "erase", help="erase a person's name, phone, email and notes (asks to confirm)"
    )
    _person_options(erase)
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    privacy_sub.add_parser("retention", help="clear personal data older than each team's period")

    seminars = sub.add_parser(
        "seminars",
        help="seminar settings, the follow-up queue, the month's cost split",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    seminars_sub = seminars.add_subparsers(dest="seminars_command", required=True, metavar="WHAT")
    settings = seminars_sub.add_parser("settings", help="show or change a team's settings")
    settings.add_argument("team", nargs="?")
    settings.add_argument("changes", nargs="*", metavar="NAME=VALUE")
    queue = seminars_sub.add_parser("queue", help="what is left in the follow-up queue")
    queue.add_argument("--team")
    split = seminars_sub.add_parser("split", help="the split of a month's cell cost")
    split.add_argument("month", type=_month)
    split.add_argument("--team")


def _event_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leadcell event", epilog=EXAMPLES)
    sub = parser.add_subparsers(dest="topic", required=True)
    attendees = sub.add_parser("attendees", help="an event's attendee list")
    verbs = attendees.add_subparsers(dest="verb", required=True)
    imported = verbs.add_parser("import", help="import a CSV list (all or nothing)")
    imported.add_argument("name")
    imported.add_argument("day", type=_day)
    imported.add_argument("file")
    imported.add_argument("--team")
    show = verbs.add_parser("show", help="the list and what the event returned")
    show.add_argument("name")
    show.add_argument("day", type=_day)
    show.add_argument("--team")
    returns = sub.add_parser("returns", help="every event of a year compared")
    returns.add_argument("year", type=int, nargs="?")
    returns.add_argument("--team")
    returns.add_argument("--files", type=Path, metavar="DIR", help="write the CSV and PNG here")
    return parser


def run(args: argparse.Namespace, settings: Settings) -> int | None:
    """Run the command if it is one of this module's, else return None."""
    from bot.terminal import run_in_terminal, typed_command
    from bot.views.leadcell import TYPED_FACT

    facts = {TYPED_FACT: typed_command(getattr(args, "typed", []))}
    if args.command == "event" and args.words and args.words[0] in ("attendees", "returns"):
        event_args = _event_parser().parse_args(args.words)
        return run_in_terminal(settings, _in_session(_event, event_args), facts=facts)
    handlers: dict[str, Handler] = {"dnc": _dnc, "privacy": _privacy, "seminars": _seminars}
    handler = handlers.get(args.command)
    if handler is None:
        return None
    return run_in_terminal(settings, _in_session(handler, args), facts=facts)


Handler = Callable[[Session, Reader, argparse.Namespace], str]


def _in_session(handler: Handler, args: argparse.Namespace) -> Callable[[Deps, Reader], str]:
    """The handler, run in one session of the terminal's database."""

    def work(deps: Deps, reader: Reader) -> str:
        with deps.session() as session:
            return handler(session, reader, args)

    return work


def _read(file: str) -> bytes:
    return sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()


def _team_reader(reader: Reader, team: Any) -> Reader:
    """The terminal's language, with the team's time zone and currency."""
    from bot.i18n import reader_for

    return reader_for(reader.language, timezone=team.timezone, currency=team.currency)


# --- event attendees and returns ----------------------------------------------------------


def _event(session: Session, reader: Reader, args: argparse.Namespace) -> str:
    from bot.grammar.attendees_csv import read_attendees
    from bot.views.seminars import (
        attendance_lines,
        event_return_lines,
        import_lines,
        plain,
        year_csv,
        year_png,
        year_table,
    )
    from models.actors import TERMINAL
    from models.attendees import attendance, find_event_on, import_attendees
    from models.event_returns import event_return, event_year
    from models.seminar_settings import country_of, find_team

    team = find_team(session, slug=args.team)
    reader = _team_reader(reader, team)
    if args.topic == "returns":
        year = args.year or datetime.now(reader.zone).year
        figures = event_year(
            session,
            actor=TERMINAL,
            team_id=team.id or 0,
            first_day=date(year, 1, 1),
            last_day=date(year, 12, 31),
        )
        text = year_table(figures, reader) + "\n"
        if args.files:
            args.files.mkdir(parents=True, exist_ok=True)
            for name, content in (
                (f"events-{team.slug}-{year}.csv", year_csv(figures)),
                (f"events-{team.slug}-{year}.png", year_png(figures, reader)),
            ):
                (args.files / name).write_bytes(content)
                text += reader._("Wrote {path}.", path=args.files / name) + "\n"
        return text
    event = find_event_on(
        session, actor=TERMINAL, team_id=team.id or 0, name=args.name, held_on=args.day
    )
    if args.verb == "show":
        lines = attendance_lines(attendance(session, actor=TERMINAL, event_id=event.id), reader)
        figures = event_return(session, actor=TERMINAL, event_id=event.id)
        lines += event_return_lines(figures, reader)[2 if figures.listed else 1 :]
        return plain(lines)
    read = read_attendees(_read(args.file), country=country_of(team))
    result = import_attendees(session, actor=TERMINAL, event_id=event.id, rows=read.rows)
    return plain(import_lines(result, reader))


# --- do not call ------------------------------------------------------------------------------


def _dnc(session: Session, reader: Reader, args: argparse.Namespace) -> str:
    from bot.grammar.do_not_call import parse_dnc
    from bot.grammar.phones import read_number_list
    from bot.views.seminars import dnc_added_line, dnc_entry_line, dnc_import_line, plain
    from models.actors import TERMINAL
    from models.dnc import NumberLine, add_entry, import_numbers, list_entries, remove_entry
    from models.seminar_settings import country_of, find_team

    if args.dnc_command == "remove":
        entry = remove_entry(session, actor=TERMINAL, entry_id=args.entry)
        return reader._(
            "Removed from the do-not-call list: {entry}",
            entry=plain([dnc_entry_line(entry, reader)]),
        )
    team = find_team(session, slug=args.team)
    reader = _team_reader(reader, team)
    if args.dnc_command == "add":
        new = parse_dnc(" ".join(args.words), country=country_of(team))
        return plain(
            [
                dnc_added_line(
                    add_entry(session, actor=TERMINAL, team_id=team.id or 0, new=new), reader
                )
            ]
        )
    if args.dnc_command == "list":
        entries = list_entries(session, actor=TERMINAL, team_id=team.id or 0)
        if not entries:
            return reader._("The do-not-call list of {team} is empty.", team=team.name)
        return plain([dnc_entry_line(entry, reader) for entry in entries])
    found = read_number_list(_read(args.file), country=country_of(team))
    result = import_numbers(
        session,
        actor=TERMINAL,
        team_id=team.id or 0,
        lines=[NumberLine(line, number, text) for line, text, number in found],
        origin=args.origin or Path(args.file).name,
        reason=args.reason,
    )
    return plain([dnc_import_line(result, reader)])


# --- personal data ----------------------------------------------------------------------------


def _query(session: Session, args: argparse.Namespace) -> Any:
    from bot.grammar.phones import parse_phone
    from models.errors import DomainError
    from models.privacy import PersonQuery, SearchBy
    from models.seminar_settings import country_of, find_team

    if args.person is not None:
        return PersonQuery(SearchBy.PERSON, args.person)
    if args.email is not None:
        return PersonQuery(SearchBy.EMAIL, args.email.strip())
    try:
        country = country_of(find_team(session, slug=None))
    except DomainError:  # several teams (or none): the number must carry its country code
        session.rollback()
        country = None
    return PersonQuery(SearchBy.PHONE, parse_phone(args.phone, country=country))


def _privacy(session: Session, reader: Reader, args: argparse.Namespace) -> str:
    from bot.terminal import Declined
    from bot.views.seminars import erasure_lines, erasure_preview, personal_data_lines, plain
    from models.actors import TERMINAL
    from models.errors import NotFound
    from models.privacy import PrivacyProblem, erase_person, find_person
    from worker.retention import apply_retention

    if args.privacy_command == "retention":
        cleared = apply_retention(session.get_bind())  # type: ignore[arg-type]
        return "\n".join(
            reader._(
                "{team}: cleared {calls} and {rows} older than {day}.",
                team=c.team_slug,
                calls=reader.n_("{count} call", "{count} calls", c.calls),
                rows=reader.n_("{count} attendee row", "{count} attendee rows", c.attendees),
                day=c.before.isoformat(),
            )
            for c in cleared
        )
    query = _query(session, args)
    data = find_person(session, actor=TERMINAL, query=query)
    if args.privacy_command == "export":
        return plain(personal_data_lines(data, reader))
    if not data.erasable:
        raise NotFound(
            PrivacyProblem.NOTHING_FOUND,
            by=query.by,
            text=query.value,
            kept_do_not_call=len(data.do_not_call),
            members=len(data.members),
        )
    if not args.yes:
        print(plain([erasure_preview(data, reader)]), file=sys.stderr)
        print(reader._("Type {word} to confirm: ", word=CONFIRM_WORD), end="", file=sys.stderr)
        sys.stderr.flush()
        answer = sys.stdin.readline().strip().lower()
        if answer != CONFIRM_WORD:
            raise Declined(reader._("Nothing was erased."))
    session.rollback()  # the search ran in a read transaction; the erasure takes the write lock
    return plain(erasure_lines(erase_person(session, actor=TERMINAL, query=query), reader))


# --- settings, queue, split -------------------------------------------------------------------


def _seminars(session: Session, reader: Reader, args: argparse.Namespace) -> str:
    from bot.grammar.values import parse_whole_number
    from bot.views.seminars import plain, queue_overview_lines, settings_lines, split_line
    from models.actors import TERMINAL
    from models.errors import InvalidInput
    from models.followup import queue_overview
    from models.seminar_settings import (
        SettingsProblem,
        find_team,
        seminar_settings,
        set_seminar_settings,
    )
    from models.timelogs import month_split

    if args.seminars_command == "settings":
        slug, changes = args.team, list(args.changes)
        if slug is not None and "=" in slug:
            slug, changes = None, [slug, *changes]
        team = find_team(session, slug=slug)
        reader = _team_reader(reader, team)
        values: dict[str, Any] = {}
        for change in changes:
            name, _, value = change.partition("=")
            if name == "country":
                values["country"] = value
            elif name in ("attribution_days", "retention_months"):
                values[name] = parse_whole_number(value, field=name, low=0, high=100_000)
            else:
                raise InvalidInput(SettingsProblem.UNKNOWN_SETTING, field=name, text=change)
        if values:
            found = set_seminar_settings(session, actor=TERMINAL, team_id=team.id or 0, **values)
        else:
            found = seminar_settings(session, actor=TERMINAL, team_id=team.id or 0)
        return plain(settings_lines(found, reader))
    team = find_team(session, slug=args.team)
    reader = _team_reader(reader, team)
    if args.seminars_command == "queue":
        overview = queue_overview(session, actor=TERMINAL, team_id=team.id or 0)
        return plain(queue_overview_lines(overview, reader)[1:])
    return plain(
        [
            split_line(
                month_split(session, actor=TERMINAL, team_id=team.id or 0, month=args.month), reader
            )
        ]
    )
