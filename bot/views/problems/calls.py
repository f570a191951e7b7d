"""Wordings of the call problems."""

from __future__ import annotations

from bot.i18n import Reader
from bot.views.problems import Facts, Said, wording
from models.calls import CallProblem as C

_LENGTH = {"length": 2150, "limit": 2000}


def _example(reader: Reader) -> str:
    return reader._("/call Acme Corp 12m contact spoke to the CFO")


def _quoted_example(reader: Reader) -> str:
    return reader._('/call "Acme 2000" 12m contact')


@wording(C.COMPANY_MISSING)
def _company(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("The company is missing: write it before the duration."), _example(reader))


@wording(C.COMPANY_TOO_LONG, sample={"length": 230, "limit": 200})
def _company_long(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The company name has {length} characters; the most is {limit}.",
            length=reader.number(facts["length"]),
            limit=reader.number(facts["limit"]),
        ),
        _example(reader),
    )


@wording(C.DURATION_MISSING)
def _duration_missing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "I couldn't find the call's duration. Write it after the company, as 12m, 12 min, "
            "1h30, 90s or 0:12:30."
        ),
        _example(reader),
    )


@wording(C.DURATION_NOT_AFTER_QUOTE)
def _after_quote(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Close the company's quotes and put the duration right after them."),
        _quoted_example(reader),
    )


@wording(C.DURATION_ZERO)
def _zero(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("The duration must be more than zero."), _example(reader))


@wording(C.DURATION_TOO_LONG, sample={"seconds": 120000, "limit_seconds": 28800})
def _too_long(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "A call lasts at most {limit}, and this one would last {duration}. If a number "
            "belongs to the company's name, quote the name.",
            limit=reader.duration(facts["limit_seconds"]),
            duration=reader.duration(facts["seconds"]),
        ),
        _quoted_example(reader),
    )


@wording(C.NOTE_TOO_LONG, sample=_LENGTH)
def _note(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The note has {length} characters; the most is {limit}.",
            length=reader.number(facts["length"]),
            limit=reader.number(facts["limit"]),
        ),
        _example(reader),
    )


@wording(C.CONTACT_TOO_LONG, sample={"length": 230, "limit": 200})
def _contact(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The contact's name has {length} characters; the most is {limit}.",
            length=reader.number(facts["length"]),
            limit=reader.number(facts["limit"]),
        ),
        reader._("Jane Doe, CFO"),
    )


@wording(C.PHONE_TOO_LONG, sample={"length": 45, "limit": 40})
def _phone(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The phone number has {length} characters; the most is {limit}.",
            length=reader.number(facts["length"]),
            limit=reader.number(facts["limit"]),
        ),
        reader._("+33 1 23 45 67 89"),
    )


@wording(C.OUTCOME_NOT_OFFERED, sample={"given": "noanswer"})
def _not_offered(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("Pick one of the outcomes the form offers."), None)


@wording(C.NOT_FOUND, sample={"call_id": 42})
def _not_found(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("That call no longer exists."), _example(reader))


@wording(C.UNDO_TOO_LATE, sample={"window_minutes": 10, "company": "Acme"})
def _too_late(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "This call was logged more than {minutes} minutes ago, so it can no longer be "
            "undone; it stays as logged. Log the right one if you need to.",
            minutes=facts["window_minutes"],
        ),
        _example(reader),
    )
