"""`/leadcell time log`: time an agent spent on an event, which shares the cell's cost.

A month's logged event time gives the split of the cell's cost between
telemarketing and events when no split was recorded by hand (models.timelogs).
The request's Slack id keys the entry, so a repeated command logs it once.
"""

from __future__ import annotations

from uuid import uuid4

from bot.commands.admin_request import AdminRequest
from bot.grammar.admin_words import parse_name
from bot.grammar.command_line import Missing
from bot.grammar.dates import parse_day
from bot.grammar.durations import parse_duration
from bot.grammar.problems import GrammarProblem
from bot.views.leadcell import Answer
from bot.views.seminars import time_logged_line
from models.attendees import find_event_on
from models.errors import InvalidInput
from models.policy import Action
from models.timelogs import log_event_time


def log_time(request: AdminRequest) -> Answer:
    """`time log "<event>" <YYYY-MM-DD> <duration> [date=<day worked>]`: the event is named
    by its name and the day it is held; the time counts for today unless `date=` says."""
    words = request.words
    name = parse_name(words.next(Missing.EVENT_NAME), field="name")
    held_on = parse_day(words.next(Missing.EVENT_DATE))
    text = " ".join(words.rest()) or words.next(Missing.DURATION)
    duration = parse_duration(text)
    if duration is None:
        raise InvalidInput(GrammarProblem.DURATION_UNREADABLE, field="duration", text=text)
    worked = words.option("date")
    day = parse_day(worked) if worked is not None else None
    words.done()
    with request.session() as session:
        team = request.team(session, Action.TIME_LOG)
        event = find_event_on(
            session, actor=request.actor, team_id=team.id, name=name, held_on=held_on
        )
        logged = log_event_time(
            session,
            actor=request.actor,
            event_id=event.id,
            duration=duration,
            slack_key=request.key or f"terminal:{uuid4().hex}",
            day=day,
        )
    return Answer([time_logged_line(logged, request.reader)])
