"""Wordings of the seminar problems: attendee lists, phones, queue, do-not-call, time, privacy.

Attendee lists, do-not-call entries, seminar settings and personal data are
terminal commands (bot.cli_seminars): their examples are terminal commands.
Time on events is logged in Slack only (`/leadcell time log`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.grammar.attendees_csv import FileProblem as F
from bot.grammar.command_line import Topic, Verb
from bot.grammar.do_not_call import DncTextProblem as T
from bot.grammar.phones import PhoneProblem as Ph
from bot.i18n import N_, Reader
from bot.views.admin_help import example
from bot.views.leadcell import SLACK, style_of
from bot.views.problems import Facts, Said, describe, shown, wording
from models.attendees import AttendeeProblem as A
from models.attendees import BadRow, EventRef
from models.attendees import RowProblem as R
from models.attribution import AttributionProblem as At
from models.dnc import DncKind
from models.dnc import DncProblem as D
from models.errors import InvalidInput
from models.followup import FollowupProblem as Q
from models.privacy import PrivacyProblem as P
from models.privacy import SearchBy
from models.seminar_settings import SettingsProblem as S
from models.timelogs import TimeProblem as Ti

HEADER = "company;person;title;email;phone;status"
#: What each column of an attendee file is called in a message.
COLUMNS = {
    "company": N_("company"),
    "person": N_("person"),
    "first_name": N_("first name"),
    "last_name": N_("last name"),
    "title": N_("title"),
    "email": N_("email"),
    "phone": N_("phone"),
    "attended": N_("status"),
    "name": N_("name"),
    "reason": N_("reason"),
}
PARIS = EventRef(1, 1, "seminar", "Paris Summit", date(2026, 10, 14))


def _import(reader: Reader) -> str:
    return reader._('leadcell event attendees import "Paris Summit" 2026-10-14 attendees.csv')


def _dnc(reader: Reader) -> str:
    return reader._("leadcell dnc add +33 1 23 45 67 89 asked not to be called")


def _time(reader: Reader) -> str:
    return example(Topic.TIME, Verb.LOG, SLACK)


def _column(reader: Reader, column: str | None) -> str:
    return reader._(COLUMNS.get(column or "", column or ""))


# --- settings -------------------------------------------------------------------


@wording(S.COUNTRY_UNKNOWN, sample={"text": "France"})
def _country(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is not a country code: write the two letters, such as FR, GB or DE.",
            text=shown(facts["text"]),
        ),
        reader._("leadcell seminars settings fr country=FR"),
    )


@wording(S.UNKNOWN_SETTING, sample={"text": "window=90"})
def _unknown_setting(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is not a seminar setting: they are country, attribution_days and "
            "retention_months.",
            text=shown(facts["text"]),
        ),
        reader._("leadcell seminars settings fr attribution_days=90"),
    )


@wording(S.ATTRIBUTION_DAYS, sample={"value": 1000, "low": 1, "high": 730})
def _window(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The attribution window is a number of days from {low} to {high}, not {value}.",
            low=reader.number(facts["low"]),
            high=reader.number(facts["high"]),
            value=reader.number(facts["value"]),
        ),
        reader._("leadcell seminars settings fr attribution_days=90"),
    )


@wording(S.RETENTION_MONTHS, sample={"value": 0, "low": 1, "high": 120})
def _retention(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The retention period is a number of months from {low} to {high}, not {value}.",
            low=reader.number(facts["low"]),
            high=reader.number(facts["high"]),
            value=reader.number(facts["value"]),
        ),
        reader._("leadcell seminars settings fr retention_months=36"),
    )


# --- attendee lists -------------------------------------------------------------------------


@wording(
    A.EVENT_NOT_FOUND,
    sample={"name": "Paris Sumit", "held_on": date(2026, 10, 14), "known": [PARIS]},
)
def _event(reader: Reader, facts: Facts) -> Said:
    known: list[EventRef] = facts.get("known") or []
    names = [
        reader._("{name} on {day}", name=shown(e.name), day=e.held_on.isoformat()) for e in known
    ]
    if "name" in facts:
        missing = reader._(
            "There is no event {name} on {day}.",
            name=shown(facts["name"]),
            day=facts["held_on"].isoformat(),
        )
    else:
        missing = reader._("That event no longer exists.")
    if not names:
        return Said(
            reader._("{missing} Add it first.", missing=missing),
            example(Topic.EVENT, Verb.ADD, style_of(facts)),
        )
    return Said(
        reader._("{missing} Known: {events}.", missing=missing, events=reader.items(names)),
        _import(reader),
    )


@wording(A.NO_ROWS)
def _no_rows(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("The list has a header but no rows: nothing was imported."),
        HEADER + "\nAcme Corp;Jane Doe;CFO;jane@acme.example;01 23 45 67 89;attended",
    )


@wording(A.TOO_MANY_ROWS, sample={"rows": 100000, "limit": 5000})
def _too_many(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The file has {rows} rows; an attendee list has at most {limit}. Nothing was "
            "imported: check that this is the event's list and not a whole export.",
            rows=reader.number(facts["rows"]),
            limit=reader.number(facts["limit"]),
        ),
        _import(reader),
    )


def _row_text(bad: BadRow, reader: Reader) -> str:
    said = describe(
        InvalidInput(bad.problem, field=bad.column, **{"column": bad.column, **bad.facts}), reader
    )
    return reader._("Line {line}: {problem}", line=bad.line, problem=said.message)


@wording(
    A.ROWS_REFUSED,
    sample={
        "rows": [
            BadRow(3, R.COMPANY_MISSING, "company"),
            BadRow(7, Ph.INVALID, "phone", {"text": "01 23", "country": "FR"}),
        ],
        "total": 2,
        "lines": 2,
    },
)
def _rows(reader: Reader, facts: Facts) -> Said:
    rows: list[BadRow] = facts["rows"]
    lines = [
        reader.n_(
            "Nothing was imported: {count} problem in the file.",
            "Nothing was imported: {count} problems in the file.",
            facts["total"],
        )
    ]
    lines += [_row_text(bad, reader) for bad in rows]
    if facts["total"] > len(rows):
        lines.append(
            reader.n_("… and {count} more.", "… and {count} more.", facts["total"] - len(rows))
        )
    return Said("\n".join(lines), HEADER)


@wording(R.COMPANY_MISSING)
def _company_missing(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("the company is empty."), HEADER)


@wording(R.PERSON_MISSING)
def _person_missing(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("the person's name is empty."), HEADER)


@wording(R.TOO_LONG, sample={"column": "title", "length": 230, "limit": 200})
def _row_too_long(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "the {column} has {length} characters; the most is {limit}.",
            column=_column(reader, facts.get("column")),
            length=reader.number(facts["length"]),
            limit=reader.number(facts["limit"]),
        ),
        HEADER,
    )


@wording(R.EMAIL_INVALID, sample={"text": "jane.acme.example"})
def _email(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{text} is not an email address.", text=shown(facts["text"])),
        HEADER,
    )


@wording(R.STATUS_UNKNOWN, sample={"text": "maybe"})
def _status(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "the status {text} is neither attended nor registered (yes or no, présent or "
            "inscrit, teilgenommen or angemeldet are understood too).",
            text=shown(facts["text"] or " "),
        ),
        HEADER,
    )


@wording(F.WORKBOOK)
def _workbook(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "This is an Excel workbook, not a CSV file. In Excel, use Save As and choose "
            "CSV, then import that file."
        ),
        _import(reader),
    )


@wording(F.UNDECODABLE)
def _undecodable(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The file's characters are neither UTF-8 nor Windows-1252 text, so it cannot be "
            "read. Save it again as CSV (UTF-8 or Windows) and import that file."
        ),
        _import(reader),
    )


@wording(F.TOO_LARGE, sample={"size": 52428800, "limit": 10485760})
def _too_large(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The file is {size} MB; an attendee list is at most {limit} MB.",
            size=reader.number(facts["size"] // (1024 * 1024)),
            limit=reader.number(facts["limit"] // (1024 * 1024)),
        ),
        _import(reader),
    )


@wording(F.EMPTY)
def _empty(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("The file is empty."), HEADER)


@wording(F.COLUMNS_MISSING, sample={"missing": ["attended"], "found": ["Société", "Nom"]})
def _columns(reader: Reader, facts: Facts) -> Said:
    found = [shown(name) for name in facts.get("found") or []]
    return Said(
        reader._(
            "The first line must name the columns; {missing} is missing. Found: {found}. "
            "Columns are company, person (or first name and last name), title, email, phone "
            "and status (attended or registered), in English, French or German.",
            missing=reader.items([_column(reader, c) for c in facts["missing"]]),
            found=reader.items(found) if found else reader._("nothing"),
        ),
        HEADER,
    )


@wording(F.COLUMN_TWICE, sample={"column": "phone", "header": "Mobile"})
def _twice(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Two columns are the {column} (the second is {header}): keep one.",
            column=_column(reader, facts["column"]),
            header=shown(facts["header"]),
        ),
        HEADER,
    )


@wording(F.MALFORMED, sample={"line": 12})
def _malformed(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line} cannot be read as CSV (a quote is not closed?). Nothing was imported.",
            line=facts["line"],
        ),
        HEADER,
    )


# --- phone numbers ----------------------------------------------------------------------------


@wording(Ph.UNREADABLE, sample={"text": "01 23 AB", "country": "FR"})
def _phone_unreadable(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("{text} is not a phone number.", text=shown(facts["text"])), _dnc(reader))


@wording(Ph.INVALID, sample={"text": "01 23 45", "country": "FR"})
def _phone_invalid(reader: Reader, facts: Facts) -> Said:
    if facts.get("country"):
        text = reader._(
            "{text} is not a valid number in {country} or abroad (too short, too long or not "
            "in use).",
            text=shown(facts["text"]),
            country=facts["country"],
        )
    else:
        text = reader._("{text} is not a valid phone number.", text=shown(facts["text"]))
    return Said(text, _dnc(reader))


@wording(Ph.NEEDS_COUNTRY, sample={"text": "01 23 45 67 89"})
def _phone_country(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} has no country code, and the team has no country: write it with +, or "
            "set the team's country.",
            text=shown(facts["text"]),
        ),
        reader._("leadcell seminars settings fr country=FR"),
    )


# --- do not call ------------------------------------------------------------------------------

DNC_KINDS = {
    DncKind.COMPANY: N_("company"),
    DncKind.PERSON: N_("person"),
    DncKind.EMAIL: N_("email"),
    DncKind.PHONE: N_("number"),
}


@wording(D.NAME_MISSING, sample={"kind": DncKind.COMPANY})
def _dnc_name(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Say which {kind} must not be called.", kind=reader._(DNC_KINDS[DncKind(facts["kind"])])
        ),
        reader._('leadcell dnc add company "Acme Corp" asked not to be called'),
    )


@wording(D.LABEL_TOO_LONG, sample={"field": "name", "length": 230, "limit": 200})
def _dnc_label(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The name has {length} characters; the most is {limit}.",
            length=reader.number(facts["length"]),
            limit=reader.number(facts["limit"]),
        ),
        _dnc(reader),
    )


@wording(D.REASON_TOO_LONG, sample={"length": 600, "limit": 500})
def _dnc_reason(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The reason has {length} characters; the most is {limit}.",
            length=reader.number(facts["length"]),
            limit=reader.number(facts["limit"]),
        ),
        _dnc(reader),
    )


@wording(D.NOT_FOUND, sample={"entry_id": 42})
def _dnc_missing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("There is no do-not-call entry #{id}.", id=facts["entry_id"]),
        reader._("leadcell dnc list"),
    )


def _registry(reader: Reader) -> str:
    return reader._("leadcell dnc import bloctel.csv")


@wording(D.NO_NUMBERS)
def _dnc_no_numbers(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("The file has no phone numbers: nothing was imported."), _registry(reader))


@wording(D.TOO_MANY_NUMBERS, sample={"rows": 300000, "limit": 200000})
def _dnc_too_many(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The file has {rows} numbers; one import takes at most {limit}. Split it and "
            "import each part.",
            rows=reader.number(facts["rows"]),
            limit=reader.number(facts["limit"]),
        ),
        _registry(reader),
    )


@wording(
    D.NUMBERS_REFUSED,
    sample={"lines": [(4, "01 23", Ph.INVALID)], "total": 1},
)
def _dnc_refused(reader: Reader, facts: Facts) -> Said:
    lines = [
        reader.n_(
            "Nothing was imported: {count} line is not a phone number.",
            "Nothing was imported: {count} lines are not phone numbers.",
            facts["total"],
        )
    ]
    for line, text, _problem in facts["lines"]:
        lines.append(reader._("Line {line}: {text}", line=line, text=shown(text or " ")))
    return Said("\n".join(lines), _registry(reader))


@wording(T.EMPTY)
def _dnc_empty(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Say which number, email, company or person must not be called."), _dnc(reader)
    )


@wording(T.UNCLEAR, sample={"text": "Acme"})
def _dnc_unclear(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is not a phone number or an email. For a company or a person, start "
            'with company or person: company "Acme Corp", person "Jane Doe" at "Acme Corp".',
            text=shown(facts["text"]),
        ),
        reader._('leadcell dnc add company "Acme Corp" asked not to be called'),
    )


# --- the queue, attribution, time -----------------------------------------------------------


@wording(Q.NOT_FOUND, sample={"item_id": 7})
def _item_missing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("That company is no longer in the follow-up queue."), reader._("/call next")
    )


@wording(Q.NOT_HOLDING, sample={"item_id": 7, "company": "Acme Corp"})
def _not_holding(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "You are not calling {company} any more (someone else took it, or your time ran out).",
            company=shown(facts["company"]),
        ),
        reader._("/call next"),
    )


@wording(At.LEAD_NOT_FOUND, sample={"lead_id": 42})
def _lead_missing(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("That lead no longer exists."), reader._("/lead list"))


@wording(Ti.DURATION_ZERO)
def _time_zero(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("The time spent must be more than zero."), _time(reader))


@wording(Ti.DURATION_TOO_LONG, sample={"seconds": 90000, "limit_seconds": 86400})
def _time_long(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "One entry is at most {limit}, and this one is {duration}: log each day on its own.",
            limit=reader.duration(facts["limit_seconds"]),
            duration=reader.duration(facts["seconds"]),
        ),
        _time(reader),
    )


@wording(Ti.DAY_IN_FUTURE, sample={"day": date(2026, 12, 1), "today": date(2026, 11, 27)})
def _time_future(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{day} is still to come: log time once it is spent.",
            day=reader.full_date(facts["day"]),
        ),
        _time(reader),
    )


@wording(Ti.DAY_TOO_OLD, sample={"day": date(2026, 1, 1), "today": date(2026, 11, 27), "days": 62})
def _time_old(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{day} is more than {days} days ago: its month's costs are settled.",
            day=reader.full_date(facts["day"]),
            days=reader.number(facts["days"]),
        ),
        _time(reader),
    )


@wording(Ti.DAY_FULL, sample={"day": date(2026, 11, 27), "logged_seconds": 72000, "seconds": 18000})
def _time_full(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "You have logged {logged} on {day} already; {more} more would make more than 24 h.",
            logged=reader.duration(facts["logged_seconds"]),
            day=reader.full_date(facts["day"]),
            more=reader.duration(facts["seconds"]),
        ),
        _time(reader),
    )


# --- personal data ----------------------------------------------------------------------------

SEARCHES = {
    SearchBy.PERSON: N_("the name {value}"),
    SearchBy.PHONE: N_("the number {value}"),
    SearchBy.EMAIL: N_("the email {value}"),
}


@wording(P.NAME_TOO_SHORT, sample={"text": "--"})
def _name_short(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} has no letters to look for: give the person's name.", text=shown(facts["text"])
        ),
        'leadcell privacy export --person "Jane Doe"',
    )


@wording(
    P.NOTHING_FOUND,
    sample={"by": SearchBy.PERSON, "text": "Jane Doe", "kept_do_not_call": 0, "members": 0},
)
def _nothing(reader: Reader, facts: Facts) -> Said:
    who: Any = reader._(SEARCHES[SearchBy(facts["by"])], value=shown(facts["text"]))
    return Said(
        reader._(
            "No call, lead or attendee list holds {who}, so there is nothing to erase. Check "
            "the spelling, or search by phone or email.",
            who=who,
        ),
        "leadcell privacy export --phone +33123456789",
    )
