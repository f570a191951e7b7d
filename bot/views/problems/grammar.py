"""Wordings of the grammar's problems: text that cannot be read as what it should be."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.grammar.command_line import Topic, Verb
from bot.grammar.problems import GrammarProblem as G
from bot.i18n import Reader
from bot.text import code
from bot.views.admin_help import example
from bot.views.leadcell import style_of
from bot.views.problems import Facts, Said, shown, wording


def _command(facts: Facts, default: str) -> str:
    """The example of the `/leadcell` (or terminal) command at fault, else `default`."""
    if facts.get("topic") is None:
        return default
    return example(Topic(facts["topic"]), Verb(facts.get("verb") or Verb.LIST), style_of(facts))


def _team_set(facts: Facts, words: str) -> str:
    return style_of(facts).command(Topic.TEAM, f"set fr {words}")


@wording(G.QUOTE_UNCLOSED)
def _quote(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("A quote is not closed."),
        _command(facts, example(Topic.MEMBER, Verb.ADD, style_of(facts))),
    )


@wording(G.BROADCAST_MENTION, sample={"field": "note"})
def _broadcast(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The text contains an @channel, @here, @everyone or user-group mention, which "
            "leadcell does not repeat. Write the name without the @."
        ),
        _command(facts, reader._("/call Acme Corp 12m contact spoke to the CFO")),
    )


@wording(G.CONTROL_CHARACTER)
def _control(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("The text contains an invisible control character; type it again."),
        _command(facts, reader._("/call Acme Corp 12m contact spoke to the CFO")),
    )


@wording(G.DURATION_UNREADABLE, sample={"text": "12 mintues"})
def _duration(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is not a duration. Write it as 12m, 12 min, 1h30, 90s or 0:12:30.",
            text=shown(facts["text"]),
        ),
        _command(facts, reader._("/call Acme Corp 12m contact spoke to the CFO")),
    )


def _amount_example(reader: Reader, facts: Facts) -> str:
    amount = _amount(reader, facts["currency"])
    default = style_of(facts).command(Topic.COST, f"set 2026-10 telemarketing {amount}")
    if facts.get("topic") == Topic.EVENT:
        return style_of(facts).command(
            Topic.EVENT, f'set seminar "Paris Summit" 2026-10-14 cost={amount}'
        )
    return default


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
        _amount_example(reader, facts),
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
        _amount_example(reader, facts),
    )


@wording(G.AMOUNT_OUT_OF_RANGE, sample={"text": "9999999999999", "currency": "EUR"})
def _out_of_range(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is out of range: an amount is from 0 to less than {limit}.",
            text=shown(facts["text"]),
            limit=reader.money(Decimal(facts.get("limit", 10**12)), facts["currency"]),
        ),
        _amount_example(reader, facts),
    )


@wording(G.AMOUNT_SUB_CENT, sample={"text": "12.345,678", "currency": "EUR"})
def _sub_cent(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{text} has more decimals than cents.", text=shown(facts["text"])),
        _amount_example(reader, facts),
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
        _command(facts, style_of(facts).report(Verb.MONTH, month=date(2026, 10, 1))),
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
        _command(facts, style_of(facts).report(Verb.MONTH, month=date(2026, 10, 1))),
    )


@wording(G.DAY_UNREADABLE, sample={"text": "31/02/2026"})
def _day(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{text} is not a date like 2026-11-27.", text=shown(facts["text"])),
        _command(facts, style_of(facts).report(Verb.DAY, day=date(2026, 11, 27))),
    )


@wording(G.CLOCK_UNREADABLE, sample={"text": "25:00", "field": "digest_time"})
def _clock(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{text} is not a time of day like 18:00 (24-hour).", text=shown(facts["text"])),
        _team_set(facts, "digest_time=18:00"),
    )


@wording(G.WEEKDAYS_UNREADABLE, sample={"text": "mon-frday", "field": "digest_days"})
def _weekdays(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is not a list of days: use mon, tue, wed, thu, fri, sat, sun, or a range "
            "such as mon-fri.",
            text=shown(facts["text"]),
        ),
        _team_set(facts, "digest_days=mon-fri"),
    )


@wording(G.YES_NO_UNREADABLE, sample={"text": "maybe", "field": "skip_empty"})
def _yes_no(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{text} is not yes or no.", text=shown(facts["text"])),
        _team_set(facts, "skip_empty=yes"),
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
        _command(facts, _team_set(facts, "target=30")),
    )


@wording(G.PERCENT_UNREADABLE, sample={"text": "170%", "field": "share"})
def _percent(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{text} is not a percent from 0 to 100.", text=shown(facts["text"])),
        style_of(facts).command(Topic.COST, "split 2026-10 telemarketing=70 seminar=30"),
    )
