"""Which language and time zone each message is written for.

Ephemeral answers and direct messages use the person's language: the one they
chose (`/leadcell me language=de`), else their Slack locale, else their team's.
Channel posts (cards, thread replies, digests, reports) use the team's language.
Times are shown in the team's time zone. Anything unknown reads English.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import DEFAULT_LANGUAGE, Reader, language_of
from models.actors import Actor, TeamFacts


def person_language(chosen: str | None, slack_locale: str | None, team_language: str | None) -> str:
    """The language of a person: chosen, else their Slack locale's, else their team's."""
    return (
        language_of(chosen)
        or language_of(slack_locale)
        or language_of(team_language)
        or DEFAULT_LANGUAGE
    )


def reader_of(actor: Actor) -> Reader:
    """How to speak to the actor in an ephemeral answer or a direct message."""
    team = actor.team
    language = person_language(actor.language, actor.slack_locale, team.language if team else None)
    if team is None:
        return Reader(language)
    return Reader(language, ZoneInfo(team.timezone), team.currency)


def team_reader(team: TeamFacts) -> Reader:
    """How to speak in a team's channels."""
    return Reader(
        language_of(team.language) or DEFAULT_LANGUAGE, ZoneInfo(team.timezone), team.currency
    )
