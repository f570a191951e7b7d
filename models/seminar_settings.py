"""A team's settings for seminars and personal data: its country, attribution window, retention.

- The country reads phone numbers written without `+` and gives the public holidays
  of the automatic cost split; without one chosen, it is the country of the team's
  time zone (Europe/Paris -> FR), from Babel's zone data.
- The attribution window: a lead counts for an event its company attended up to
  this many days before (models.attribution).
- The retention period: personal fields of calls and attendee rows older than
  this many months are cleared by the worker (models.privacy).
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from babel.core import get_global
from sqlmodel import Session

from models.actors import Actor, TeamFacts
from models.db import begin_write
from models.errors import InvalidInput, Problem
from models.policy import Action, require
from models.roster import RosterProblem, get_team, list_teams, team_by_id
from models.tables import Team

DEFAULT_ATTRIBUTION_DAYS = 90
DEFAULT_RETENTION_MONTHS = 36
ATTRIBUTION_DAYS = (1, 730)
RETENTION_MONTHS = (1, 120)


class SettingsProblem(Problem):
    """Why a seminar setting is refused (a team that cannot be found is models.roster's)."""

    COUNTRY_UNKNOWN = "seminars.country_unknown"
    UNKNOWN_SETTING = "seminars.unknown_setting"
    ATTRIBUTION_DAYS = "seminars.attribution_days"
    RETENTION_MONTHS = "seminars.retention_months"


@dataclass(frozen=True)
class SeminarSettings:
    """A team's seminar settings. `country` is None when neither chosen nor known from the zone."""

    team: TeamFacts
    country: str | None
    country_chosen: bool
    attribution_days: int
    retention_months: int


def zone_country(timezone: str) -> str | None:
    """The country of an IANA time zone (`Europe/Paris` -> `FR`), or None (`UTC`)."""
    territory = get_global("zone_territories").get(timezone)
    return territory if territory and territory != "001" else None


def country_of(team: Team) -> str | None:
    """The team's country: the one chosen, else its time zone's."""
    return team.country or zone_country(team.timezone)


def team_facts_of(team: Team) -> TeamFacts:
    """The TeamFacts of a team row."""
    return TeamFacts(
        id=team.id or 0,
        slug=team.slug,
        name=team.name,
        timezone=team.timezone,
        currency=team.currency,
        language=team.language,
        daily_contact_target=team.daily_contact_target,
    )


def team_row(session: Session, team_id: int) -> Team:
    """The team with this id, or NotFound (RosterProblem.TEAM_NOT_FOUND)."""
    return team_by_id(session, team_id)


def find_team(session: Session, *, slug: str | None) -> Team:
    """The team named by its slug; without one, the only team there is.

    Refused as every "which team?" is (models.roster): TEAM_NOT_FOUND, TEAM_NOT_CHOSEN.
    """
    if slug is not None:
        return get_team(session, slug=slug.strip().lower())
    teams = list_teams(session)
    if len(teams) == 1:
        return teams[0]
    raise InvalidInput(RosterProblem.TEAM_NOT_CHOSEN, field="team", known=[t.slug for t in teams])


def _settings(team: Team) -> SeminarSettings:
    return SeminarSettings(
        team=team_facts_of(team),
        country=country_of(team),
        country_chosen=team.country is not None,
        attribution_days=team.attribution_days,
        retention_months=team.retention_months,
    )


def seminar_settings(session: Session, *, actor: Actor, team_id: int) -> SeminarSettings:
    """A team's seminar settings."""
    team = team_row(session, team_id)
    require(actor, Action.TEAM_READ, team_id=team_id)
    return _settings(team)


def set_seminar_settings(
    session: Session,
    *,
    actor: Actor,
    team_id: int,
    country: str | None = None,
    attribution_days: int | None = None,
    retention_months: int | None = None,
) -> SeminarSettings:
    """Change the given settings (None: unchanged). Countries are ISO codes phonenumbers knows."""
    begin_write(session)
    team = team_row(session, team_id)
    require(actor, Action.TEAM_WRITE, team_id=team_id)
    if country is not None:
        code = country.strip().upper()
        if code == "UK":
            code = "GB"
        if code not in phonenumbers.SUPPORTED_REGIONS:
            raise InvalidInput(SettingsProblem.COUNTRY_UNKNOWN, field="country", text=country)
        team.country = code
    if attribution_days is not None:
        low, high = ATTRIBUTION_DAYS
        if not low <= attribution_days <= high:
            raise InvalidInput(
                SettingsProblem.ATTRIBUTION_DAYS,
                field="attribution_days",
                value=attribution_days,
                low=low,
                high=high,
            )
        team.attribution_days = attribution_days
    if retention_months is not None:
        low, high = RETENTION_MONTHS
        if not low <= retention_months <= high:
            raise InvalidInput(
                SettingsProblem.RETENTION_MONTHS,
                field="retention_months",
                value=retention_months,
                low=low,
                high=high,
            )
        team.retention_months = retention_months
    session.add(team)
    session.commit()
    return _settings(team)
