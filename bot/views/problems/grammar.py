"""Wordings of the grammar's problems: text that cannot be read as what it should be."""

from __future__ import annotations

from decimal import Decimal

from bot.grammar.problems import GrammarProblem as G
from bot.i18n import Reader
from bot.text import code
from bot.views.problems import Facts, Said, shown, wording


@wording(G.QUOTE_UNCLOSED)
def _quote(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("A quote is not closed."),
        reader._('/leadcell member add @marie team=fr roles=agent name="Marie Curie"'),
    )


@wording(G.BROADCAST_MENTION, sample={"field": "note"})
def _broadcast(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The text contains an @channel, @here, @everyone or user-group mention, which "
            "leadcell does not repeat. Write the name without the @."
        ),
        reader._("/call Acme Corp 12m contact spoke to the CFO"),
    )


@wording(G.CONTROL_CHARACTER)
def _control(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("The text contains an invisible control character; type it again."),
        reader._("/call Acme Corp 12m contact spoke to the CFO"),
    )


@wording(G.DURATION_UNREADABLE, sample={"text": "12 mintues"})
def _duration(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is not a duration. Write it as 12m, 12 min, 1h30, 90s or 0:12:30.",
            text=shown(facts["text"]),
        ),
        reader._("/call Acme Corp 12m contact spoke to the CFO"),
    )


def _amount_example(reader: Reader, currency: str) -> str:
    return reader._(
        "/leadcell cost set 2026-10 telemarketing {amount}", amount=_amount(reader, currency)
    )


def _amount(reader: Reader, currency: str) -> str:
    return {"EUR": "24000€", "GBP": "£24000", "USD": "$24000"}.get(currency, "24000")


@wording(G.AMOUNT_UNREADABLE, sample={"text": "24 thousand", "currency": "EUR"})
def _unreadable(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is not an amount. Write it like 120k, 120000, 120 000 or 1.2M, with the "
            "team's currency ({currency}) if you like.",
            text=shown(facts["text"]),
            currency=facts["currency"],
        ),
        _amount_example(reader, facts["currency"]),
    )


@wording(G.AMOUNT_OTHER_CURRENCY, sample={"text": "$120k", "currency": "EUR", "given": "USD"})
def _other_currency(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is in {given}, but this team counts in {currency}. Give the amount in "
            "{currency}.",
            text=shown(facts["text"]),
            given=facts["given"],
            currency=facts["currency"],
        ),
        _amount_example(reader, facts["currency"]),
    )


@wording(G.AMOUNT_OUT_OF_RANGE, sample={"text": "9999999999999", "currency": "EUR"})
def _out_of_range(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is out of range: an amount is from 0 to less than {limit}.",
            text=shown(facts["text"]),
            limit=reader.money(Decimal(facts.get("limit", 10**12)), facts["currency"]),
        ),
        _amount_example(reader, facts["currency"]),
    )


@wording(G.AMOUNT_SUB_CENT, sample={"text": "12.345,678", "currency": "EUR"})
def _sub_cent(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{text} has more decimals than cents.", text=shown(facts["text"])),
        _amount_example(reader, facts["currency"]),
    )


@wording(G.OUTCOME_UNKNOWN, sample={"word": "no-anwser", "suggestion": "no-answer"})
def _outcome(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{word} is not an outcome. Did you mean {suggestion}? If it starts the note, "
            "put the outcome first.",
            word=shown(facts["word"]),
            suggestion=code(facts["suggestion"]),
        ),
        reader._("/call Acme Corp 12m {outcome} the note", outcome=facts["suggestion"]),
    )


@wording(G.MONTH_UNREADABLE, sample={"text": "2026-13"})
def _month(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{text} is not a month like 2026-10.", text=shown(facts["text"])),
        reader._("/leadcell report month 2026-10"),
    )


@wording(G.MONTH_OUT_OF_RANGE, sample={"text": "9999-12", "first": 2000, "last": 2099})
def _month_range(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is not a month leadcell keeps: months run from {first} to {last}.",
            text=shown(facts["text"]),
            first=facts["first"],
            last=facts["last"],
        ),
        reader._("/leadcell report month 2026-10"),
    )


@wording(G.DAY_UNREADABLE, sample={"text": "31/02/2026"})
def _day(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{text} is not a date like 2026-11-27.", text=shown(facts["text"])),
        reader._("/leadcell report day 2026-11-27"),
    )


@wording(G.CLOCK_UNREADABLE, sample={"text": "25:00", "field": "digest_time"})
def _clock(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{text} is not a time of day like 18:00 (24-hour).", text=shown(facts["text"])),
        reader._("/leadcell team set fr digest_time=18:00"),
    )


@wording(G.WEEKDAYS_UNREADABLE, sample={"text": "mon-frday", "field": "digest_days"})
def _weekdays(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is not a list of days: use mon, tue, wed, thu, fri, sat, sun, or a range "
            "such as mon-fri.",
            text=shown(facts["text"]),
        ),
        reader._("/leadcell team set fr digest_days=mon-fri"),
    )


@wording(G.YES_NO_UNREADABLE, sample={"text": "maybe", "field": "skip_empty"})
def _yes_no(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{text} is not yes or no.", text=shown(facts["text"])),
        reader._("/leadcell team set fr skip_empty=yes"),
    )


@wording(
    G.WHOLE_NUMBER_UNREADABLE,
    sample={"text": "thirty", "field": "target", "low": 0, "high": 10000},
)
def _whole(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is not a whole number from {low} to {high}.",
            text=shown(facts["text"]),
            low=reader.number(facts["low"]),
            high=reader.number(facts["high"]),
        ),
        reader._("/leadcell team set fr target=30"),
    )


@wording(G.PERCENT_UNREADABLE, sample={"text": "170%", "field": "share"})
def _percent(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{text} is not a percent from 0 to 100.", text=shown(facts["text"])),
        reader._("/leadcell cost split 2026-10 telemarketing=70 seminar=30"),
    )
