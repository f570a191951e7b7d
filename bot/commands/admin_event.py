"""`/leadcell event list|add|set`: seminars and trade shows, their costs and attendance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.commands.admin_request import AdminRequest
from bot.grammar.admin_words import parse_event_kind, parse_name
from bot.grammar.amounts import parse_amount
from bot.grammar.command_line import Missing, Words
from bot.grammar.dates import parse_day
from bot.grammar.values import parse_whole_number
from bot.views.events import event_added, event_changed, event_list
from bot.views.leadcell import Answer
from models.events import ATTENDEES_LIMIT, create_event, set_event_figures, team_events
from models.policy import Action


def _figures(words: Words, currency: str) -> tuple[Decimal | None, int | None]:
    """`cost=` (an amount in the team's currency) and `attendees=`, when given."""
    cost, attendees = words.option("cost"), words.option("attendees")
    return (
        parse_amount(cost, currency=currency) if cost is not None else None,
        parse_whole_number(attendees, field="attendees", low=0, high=ATTENDEES_LIMIT)
        if attendees is not None
        else None,
    )


def list_events(request: AdminRequest) -> Answer:
    """`event list [<team>]`: a team's events (costs for those who may read money)."""
    words = request.words
    with request.session() as session:
        team = request.team(session, Action.EVENT_READ, words.next_or_none())
        words.done()
        found = team_events(session, actor=request.actor, team_id=team.id)
    return event_list(found, request.reader, request.style)


def add_event(request: AdminRequest) -> Answer:
    """`event add seminar|trade-show "<name>" <YYYY-MM-DD> [cost=…] [attendees=…]`."""
    words = request.words
    kind = parse_event_kind(words.next(Missing.EVENT_KIND))
    name = parse_name(words.next(Missing.EVENT_NAME), field="name")
    held_on = parse_day(words.option("date") or words.next(Missing.EVENT_DATE))
    with request.session() as session:
        team = request.team(session, Action.EVENT_WRITE)
        cost, attendees = _figures(words, team.currency)
        words.done()
        event = create_event(
            session,
            actor=request.actor,
            team_id=team.id,
            kind=kind,
            name=name,
            held_on=held_on,
            cost=cost,
            attendees=attendees,
        )
    return event_added(event, team, request.reader, request.style)


def set_event(request: AdminRequest) -> Answer:
    """`event set seminar|trade-show "<name>" [<YYYY-MM-DD>] cost=… attendees=…`."""
    words = request.words
    kind = parse_event_kind(words.next(Missing.EVENT_KIND))
    name = parse_name(words.next(Missing.EVENT_NAME), field="name")
    day_text = words.option("date") or words.next_or_none()
    held_on: date | None = parse_day(day_text) if day_text is not None else None
    with request.session() as session:
        team = request.team(session, Action.EVENT_WRITE)
        cost, attendees = _figures(words, team.currency)
        words.done()
        change = set_event_figures(
            session,
            actor=request.actor,
            team_id=team.id,
            kind=kind,
            name=name,
            on=held_on,
            cost=cost,
            attendees=attendees,
        )
    return event_changed(change, request.reader, request.style)
