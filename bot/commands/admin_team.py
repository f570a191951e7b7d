"""`/leadcell team list|add|set`: the teams and their settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from bot.commands.admin_request import AdminRequest
from bot.grammar.admin_words import parse_channel, parse_language, parse_name, parse_routing
from bot.grammar.command_line import CommandProblem, Missing, Words
from bot.grammar.dates import parse_clock, parse_weekdays
from bot.grammar.values import parse_whole_number, parse_yes_no
from bot.views.leadcell import Answer
from bot.views.roster import team_changed, team_created, team_list
from models.errors import InvalidInput
from models.roster import TARGET_LIMIT, TeamFields, create_team, readable_teams, update_team


def read_team_fields(words: Words, *, name: str | None = None) -> TeamFields:
    """The settings a command gives (`tz=`, `digest=#channel`, `language=en`, …)."""
    given = {key: words.option(key) for key in _KEYS}
    currency = given["currency"]
    return TeamFields(
        name=parse_name(given["name"], field="name") if given["name"] is not None else name,
        timezone=given["timezone"].strip() if given["timezone"] is not None else None,
        currency=currency.strip().upper() if currency is not None else None,
        digest_channel=_channel(given["digest"], "digest"),
        leads_channel=_channel(given["leads"], "leads"),
        daily_contact_target=(
            parse_whole_number(given["target"], field="target", low=0, high=TARGET_LIMIT)
            if given["target"] is not None
            else None
        ),
        lead_routing=parse_routing(given["routing"]) if given["routing"] is not None else None,
        digest_time=_clock(given["digest_time"], "digest_time"),
        digest_days=(
            parse_weekdays(given["digest_days"], field="digest_days")
            if given["digest_days"] is not None
            else None
        ),
        digest_skip_empty=(
            parse_yes_no(given["skip_empty"], field="skip_empty")
            if given["skip_empty"] is not None
            else None
        ),
        report_time=_clock(given["report_time"], "report_time"),
        language=parse_language(given["language"]) if given["language"] is not None else None,
    )


_KEYS = (
    "name",
    "timezone",
    "currency",
    "digest",
    "leads",
    "target",
    "routing",
    "digest_time",
    "digest_days",
    "skip_empty",
    "report_time",
    "language",
)


def _channel(text: str | None, field: str) -> str | None:
    return parse_channel(text, field=field) if text is not None else None


def _clock(text: str | None, field: str) -> time | None:
    return parse_clock(text, field=field) if text is not None else None


def list_teams(request: AdminRequest) -> Answer:
    """`team list`: the teams the requester may read."""
    request.words.done()
    with request.session() as session:
        teams = readable_teams(session, actor=request.actor)
    return team_list(teams, request.reader, request.style)


def add_team(request: AdminRequest) -> Answer:
    """`team add <slug> <name> tz=… currency=… …`."""
    words = request.words
    slug = words.next(Missing.TEAM_SLUG)
    fields = read_team_fields(words)
    rest = words.rest()
    if rest and fields.name is not None:  # a name twice: `team add uk Britain name=UK`
        raise InvalidInput(CommandProblem.LEFTOVER, words=rest)
    if rest:
        fields = replace(fields, name=parse_name(" ".join(rest), field="name"))
    words.done()
    with request.session() as session:
        team = create_team(session, actor=request.actor, slug=slug, fields=fields)
    return team_created(team, request.reader, request.style)


def set_team(request: AdminRequest) -> Answer:
    """`team set <slug> key=value …`."""
    words = request.words
    slug = words.next(Missing.TEAM_SLUG)
    fields = read_team_fields(words)
    words.done()
    with request.session() as session:
        change = update_team(session, actor=request.actor, slug=slug, fields=fields)
    return team_changed(change, request.reader, request.style)
