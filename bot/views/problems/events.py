"""Wordings of the events problems: kinds, names, dates and which event is meant."""

from __future__ import annotations

from datetime import date

from bot.grammar.command_line import Topic, Verb
from bot.i18n import Reader
from bot.views.admin_help import example
from bot.views.leadcell import style_of
from bot.views.problems import Facts, Said, shown, wording
from bot.views.problems.leads import with_event
from models.events import EventProblem as E

SUMMIT = {"kind": "seminar", "name": "Paris Summit"}


def _quoted(name: str) -> str:
    """An event's name in a command, quoted."""
    return '"' + name.replace('"', "'") + '"'


def _dates(reader: Reader, days: list[date], *, style: str = "standard") -> str:
    return reader.items([day.isoformat() for day in days], style=style)


@wording(E.KIND_UNKNOWN, sample={"given": "webinar", "allowed": ["seminar", "trade-show"]})
def _kind(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{given} is not a kind of event: use {kinds}.",
            given=shown(facts["given"]),
            kinds=reader.items([f"`{k}`" for k in facts["allowed"]], style="or"),
        ),
        example(Topic.EVENT, Verb.ADD, style_of(facts)),
    )


@wording(E.NAME_LENGTH, sample={"length": 230, "limit": 200})
def _name(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "An event's name has 1 to {limit} characters; this one has {length}.",
            limit=facts["limit"],
            length=facts["length"],
        ),
        example(Topic.EVENT, Verb.ADD, style_of(facts)),
    )


@wording(E.ATTENDEES_OUT_OF_RANGE, sample={"given": 2_000_000, "low": 0, "high": 1_000_000})
def _attendees(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Attendees are a number of people from {low} to {high}.",
            low=reader.number(facts["low"]),
            high=reader.number(facts["high"]),
        ),
        example(Topic.EVENT, Verb.SET, style_of(facts)),
    )


@wording(E.NOTHING_TO_CHANGE, sample=SUMMIT)
def _nothing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Give the event's cost= or attendees=."),
        style_of(facts).command(
            Topic.EVENT, f"set {facts['kind']} {_quoted(facts['name'])} cost=12000"
        ),
    )


@wording(E.EXISTS, sample={**SUMMIT, "held_on": date(2026, 10, 14)})
def _exists(reader: Reader, facts: Facts) -> Said:
    day: date = facts["held_on"]
    style = style_of(facts)
    return Said(
        reader._(
            "{name} of {day} is recorded already; change its cost or attendance with event set.",
            name=style.bold(style.typed(facts["name"])),
            day=reader.full_date(day),
        ),
        style.command(
            Topic.EVENT,
            f"set {facts['kind']} {_quoted(facts['name'])} {day.isoformat()} attendees=180",
        ),
    )


def _for_lead(reader: Reader, facts: Facts, name: str) -> str | None:
    """A hand-off naming the event, when the event was looked for as a lead's source."""
    if not facts.get("for_lead"):
        return None
    return with_event(reader, facts["kind"], name)


@wording(E.NOT_FOUND, sample={**SUMMIT, "name": "Paris Sumit", "suggestions": ["Paris Summit"]})
def _not_found(reader: Reader, facts: Facts) -> Said:
    style = style_of(facts)
    if facts.get("held_on") is not None:
        dates: list[date] = facts.get("dates") or []
        return Said(
            reader._(
                "{name} was not held on {day}; it was held on {dates}.",
                name=shown(facts["name"]),
                day=facts["held_on"].isoformat(),
                dates=_dates(reader, dates),
            ),
            _for_lead(reader, facts, f"{facts['name']} {dates[0].isoformat()}" if dates else "")
            or style.command(Topic.EVENT, "list"),
        )
    suggestions = facts.get("suggestions") or []
    if suggestions:
        text = reader._(
            "There is no {kind} called {name}. Did you mean {suggestions}?",
            kind=facts["kind"],
            name=shown(facts["name"]),
            suggestions=reader.items([shown(s) for s in suggestions], style="or"),
        )
        return Said(
            text,
            _for_lead(reader, facts, suggestions[0])
            or style.command(
                Topic.EVENT, f"set {facts['kind']} {_quoted(suggestions[0])} cost=12000"
            ),
        )
    text = reader._(
        "There is no {kind} called {name}; the list of events shows their names.",
        kind=facts["kind"],
        name=shown(facts["name"]),
    )
    return Said(text, style.command(Topic.EVENT, "list"))


@wording(E.AMBIGUOUS, sample={**SUMMIT, "dates": [date(2025, 10, 15), date(2026, 10, 14)]})
def _ambiguous(reader: Reader, facts: Facts) -> Said:
    dates: list[date] = facts["dates"]
    return Said(
        reader._(
            "Several events are called {name}, held on {dates}: add the date.",
            name=shown(facts["name"]),
            dates=_dates(reader, dates),
        ),
        style_of(facts).command(
            Topic.EVENT,
            f"set {facts['kind']} {_quoted(facts['name'])} {dates[-1].isoformat()} cost=12000",
        ),
    )


@wording(E.NOT_HELD_YET, sample={**SUMMIT, "dates": [date(2027, 10, 13)]})
def _not_held(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{name} is held on {dates}, not yet: leads come from events already held.",
            name=shown(facts["name"]),
            dates=_dates(reader, facts["dates"]),
        ),
        style_of(facts).command(Topic.EVENT, "list"),
    )
