"""What `/leadcell event …` answers, in Slack or in the terminal."""

from __future__ import annotations

from tabulate import tabulate

from bot.grammar.command_line import Topic, Verb
from bot.i18n import N_, Reader
from bot.views.admin_help import example
from bot.views.leadcell import Answer, Style
from models.events import EventChange, EventFacts, EventList
from models.roster import TeamSettings

#: Kinds of events as answers name them.
KIND_NAMES = {"seminar": N_("seminar"), "trade-show": N_("trade show")}


def kind_name(kind: str, reader: Reader) -> str:
    return reader._(KIND_NAMES.get(kind, kind))


def _figures(event: EventFacts, currency: str, reader: Reader) -> str:
    parts = []
    if event.cost is not None:
        parts.append(reader._("cost {amount}", amount=reader.money(event.cost, currency)))
    if event.attendees is not None:
        parts.append(reader.n_("{count} attendee", "{count} attendees", event.attendees))
    return reader.items(parts) if parts else reader._("no cost or attendance recorded")


def event_added(event: EventFacts, team: TeamSettings, reader: Reader, style: Style) -> Answer:
    """An event recorded."""
    return Answer(
        [
            reader._(
                "Added the {kind} {name} of {day} to {team}: {figures}.",
                kind=kind_name(event.kind, reader),
                name=style.bold(style.typed(event.name)),
                day=reader.full_date(event.held_on),
                team=style.code(team.slug),
                figures=_figures(event, team.currency, reader),
            )
        ]
    )


def event_changed(change: EventChange, reader: Reader, style: Style) -> Answer:
    """An event's cost or attendance changed."""
    event, currency = change.event, change.team.currency
    lines = [
        reader._(
            "Updated the {kind} {name} of {day}: {figures}.",
            kind=kind_name(event.kind, reader),
            name=style.bold(style.typed(event.name)),
            day=reader.full_date(event.held_on),
            figures=_figures(event, currency, reader),
        )
    ]
    if change.cost_before is not None and change.cost_before != event.cost:
        lines.append(
            reader._("Its cost was {amount}.", amount=reader.money(change.cost_before, currency))
        )
    if change.attendees_before is not None and change.attendees_before != event.attendees:
        lines.append(
            reader.n_(
                "It had {count} attendee.", "It had {count} attendees.", change.attendees_before
            )
        )
    return Answer(lines)


def event_list(found: EventList, reader: Reader, style: Style) -> Answer:
    """A team's events, newest first; costs for those who may read money."""
    team = found.team
    if not found.events:
        return Answer(
            [
                reader._(
                    "Team {team} has no event yet. Add one: {command}",
                    team=style.code(team.slug),
                    command=style.code(example(Topic.EVENT, Verb.ADD, style)),
                )
            ]
        )
    headers = [reader._("date"), reader._("kind"), reader._("name")]
    if found.costs_shown:
        headers.append(reader._("cost"))
    headers.append(reader._("attendees"))
    rows = []
    for event in found.events:
        row = [event.held_on.isoformat(), kind_name(event.kind, reader), event.name]
        if found.costs_shown:
            row.append("—" if event.cost is None else reader.money(event.cost, team.currency))
        row.append("—" if event.attendees is None else reader.number(event.attendees))
        rows.append(row)
    title = reader.n_(
        "{count} event of {team}, newest first",
        "{count} events of {team}, newest first",
        len(found.events),
        team=team.slug,
    )
    return Answer([title], tabulate(rows, headers=headers, disable_numparse=True))
