"""Teams and members: the roster, its roles and languages, and the admins it must keep.

Every function that changes or reads the roster for someone takes the `Actor`
and asks models.policy first. A team admin acts in their own team; an
organisation admin (LEADCELL_ADMINS) in every team, and only they create teams.
A change that would leave a team without any admin (its last active admin
deactivated or losing the role while no organisation admin exists) is refused:
nobody could use `/leadcell` on that team afterwards.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.actors import ROLE_COLUMNS, Actor, Person, Role
from models.db import begin_write
from models.errors import Conflict, InvalidInput, NotFound, Problem
from models.policy import Action, allowed, require, require_member
from models.tables import Member, Team

#: The languages leadcell speaks (a team's channel posts, a member's own answers).
LANGUAGES = ("fr", "en", "de")
ROUTINGS = ("pool", "round-robin")
#: Stored weekday names, Monday first (`digest_days` holds them comma-separated).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TARGET_LIMIT = 10_000
NAME_LIMIT = 100

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_CHANNEL = re.compile(r"[CG][A-Z0-9]{2,31}")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,31}")


class RosterProblem(Problem):
    """Why a change to teams or members is refused."""

    TEAM_SLUG_INVALID = "roster.team_slug_invalid"
    TEAM_FIELDS_MISSING = "roster.team_fields_missing"
    TEAM_NAME_LENGTH = "roster.team_name_length"
    TIMEZONE_UNKNOWN = "roster.timezone_unknown"
    CURRENCY_INVALID = "roster.currency_invalid"
    CHANNEL_INVALID = "roster.channel_invalid"
    ROUTING_UNKNOWN = "roster.routing_unknown"
    TARGET_OUT_OF_RANGE = "roster.target_out_of_range"
    LANGUAGE_UNKNOWN = "roster.language_unknown"
    DAYS_EMPTY = "roster.days_empty"
    NOTHING_TO_CHANGE = "roster.nothing_to_change"
    TEAM_EXISTS = "roster.team_exists"
    TEAM_NOT_FOUND = "roster.team_not_found"
    TEAM_NOT_CHOSEN = "roster.team_not_chosen"
    USER_INVALID = "roster.user_invalid"
    MEMBER_NAME_LENGTH = "roster.member_name_length"
    MEMBER_EXISTS = "roster.member_exists"
    MEMBER_NOT_FOUND = "roster.member_not_found"
    ROLE_UNKNOWN = "roster.role_unknown"
    ROLES_MISSING = "roster.roles_missing"
    ROLES_MIXED = "roster.roles_mixed"
    LAST_ADMIN = "roster.last_admin"


# --- facts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamFields:
    """Team settings given when creating or changing a team (None: not given, unchanged)."""

    name: str | None = None
    timezone: str | None = None
    currency: str | None = None
    digest_channel: str | None = None
    leads_channel: str | None = None
    daily_contact_target: int | None = None
    lead_routing: str | None = None
    digest_time: time | None = None
    digest_days: tuple[int, ...] | None = None
    digest_skip_empty: bool | None = None
    report_time: time | None = None
    language: str | None = None

    def given(self) -> dict[str, object]:
        """The settings given, by name."""
        return {key: value for key, value in vars(self).items() if value is not None}


#: What changes the worker's schedule.
SCHEDULE_FIELDS = frozenset({"digest_time", "digest_days", "digest_skip_empty", "report_time"})


@dataclass(frozen=True)
class TeamSettings:
    """A team as lists and confirmations show it."""

    id: int
    slug: str
    name: str
    timezone: str
    currency: str
    language: str
    digest_channel: str | None
    leads_channel: str | None
    daily_contact_target: int
    lead_routing: str
    digest_time: str
    digest_days: tuple[int, ...]
    digest_skip_empty: bool
    report_time: str

    @classmethod
    def of(cls, team: Team) -> TeamSettings:
        return cls(
            id=team.id or 0,
            slug=team.slug,
            name=team.name,
            timezone=team.timezone,
            currency=team.currency,
            language=team.language,
            digest_channel=team.digest_channel,
            leads_channel=team.leads_channel,
            daily_contact_target=team.daily_contact_target,
            lead_routing=team.lead_routing,
            digest_time=team.digest_time,
            digest_days=weekday_numbers(team.digest_days),
            digest_skip_empty=team.digest_skip_empty,
            report_time=team.report_time,
        )

    @property
    def posts_nothing(self) -> bool:
        """No digest channel: the worker posts neither the digest nor the monthly report."""
        return not self.digest_channel


@dataclass(frozen=True)
class TeamChange:
    """A team after a change, and which settings the change named."""

    team: TeamSettings
    changed: frozenset[str]

    @property
    def schedule_changed(self) -> bool:
        return bool(self.changed & SCHEDULE_FIELDS)


@dataclass(frozen=True)
class MemberFacts:
    """A roster entry as lists and confirmations show it."""

    person: Person
    team_id: int
    team_slug: str
    roles: frozenset[Role]
    active: bool
    language: str | None

    @classmethod
    def of(cls, member: Member, team: Team) -> MemberFacts:
        return cls(
            person=Person(member.id or 0, member.slack_user_id, member.name),
            team_id=team.id or 0,
            team_slug=team.slug,
            roles=roles_of(member),
            active=member.active,
            language=member.language,
        )


@dataclass(frozen=True)
class RolesChange:
    """A member's roles before and after a change."""

    member: MemberFacts
    before: frozenset[Role]


@dataclass(frozen=True)
class ActiveChange:
    """A member (de)activated; `changed` is False when they already were."""

    member: MemberFacts
    changed: bool


@dataclass(frozen=True)
class MemberList:
    """Members of one team (`team_slug`) or of every team (None), by team then name."""

    team_slug: str | None
    members: tuple[MemberFacts, ...]


# --- reading ----------------------------------------------------------------------------------


def weekday_numbers(stored: str) -> tuple[int, ...]:
    """`mon,tue,wed` as (0, 1, 2)."""
    return tuple(WEEKDAYS.index(day) for day in stored.split(",") if day in WEEKDAYS)


def _clock(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def roles_of(member: Member) -> frozenset[Role]:
    """The roles a member holds."""
    return frozenset(role for role, column in ROLE_COLUMNS.items() if getattr(member, column))


def list_teams(session: Session) -> list[Team]:
    """Every team, by slug (for trusted callers: the worker, the demo generator)."""
    return list(session.exec(select(Team).order_by(Team.slug)))


def get_team(session: Session, *, slug: str) -> Team:
    """The team with this slug, or NotFound naming the existing ones."""
    team = session.exec(select(Team).where(Team.slug == slug)).first()
    if team is None:
        raise NotFound(
            RosterProblem.TEAM_NOT_FOUND,
            field="team",
            slug=slug,
            known=[t.slug for t in list_teams(session)],
        )
    return team


def team_by_id(session: Session, team_id: int) -> Team:
    """The team with this id, or NotFound naming the existing ones."""
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(
            RosterProblem.TEAM_NOT_FOUND,
            field="team",
            slug=None,
            team_id=team_id,
            known=[t.slug for t in list_teams(session)],
        )
    return team


def resolve_team(session: Session, *, actor: Actor, slug: str | None) -> TeamSettings:
    """The team a command is about: the one named, else the actor's own, else the only one.

    Says nothing about rights: the function that acts on the team asks the policy.
    """
    if slug:
        return TeamSettings.of(get_team(session, slug=slug))
    if actor.team_id is not None:
        return TeamSettings.of(team_by_id(session, actor.team_id))
    teams = list_teams(session)
    if len(teams) == 1:
        return TeamSettings.of(teams[0])
    raise InvalidInput(RosterProblem.TEAM_NOT_CHOSEN, field="team", known=[t.slug for t in teams])


def readable_teams(session: Session, *, actor: Actor) -> list[TeamSettings]:
    """The teams the actor may read: their own, or every team for organisation admins."""
    require(actor, Action.TEAM_READ, team_id=actor.team_id)
    return [
        TeamSettings.of(team)
        for team in list_teams(session)
        if allowed(actor, Action.TEAM_READ, team_id=team.id)
    ]


def roster_of(session: Session, *, actor: Actor, team_slug: str | None = None) -> MemberList:
    """Members of a team (default: the actor's own; organisation admins: every team)."""
    query = select(Member, Team).join(Team, col(Member.team_id) == col(Team.id))
    if team_slug is not None:
        team = get_team(session, slug=team_slug)
        require(actor, Action.ROSTER_READ, team_id=team.id)
        query = query.where(Team.id == team.id)
    elif not (actor.org_admin or actor.trusted):
        require(actor, Action.ROSTER_READ, team_id=actor.team_id)
        query = query.where(Team.id == actor.team_id)
        team_slug = actor.team.slug if actor.team else None
    rows = session.exec(query.order_by(Team.slug, Member.name)).all()
    return MemberList(team_slug, tuple(MemberFacts.of(m, t) for m, t in rows))


def list_members(session: Session, *, team_slug: str | None = None) -> list[tuple[Member, Team]]:
    """Every member with their team, by team then name, for trusted local tools (the shell).

    Asks no policy: whatever answers a person uses `roster_of`.
    """
    query = select(Member, Team).join(Team, col(Member.team_id) == col(Team.id))
    if team_slug is not None:
        query = query.where(Team.id == get_team(session, slug=team_slug).id)
    return list(session.exec(query.order_by(Team.slug, Member.name)).all())


def get_member(session: Session, *, slack_user_id: str) -> Member | None:
    """The roster entry of a Slack user, active or not, or None."""
    return session.exec(select(Member).where(Member.slack_user_id == slack_user_id)).first()


class Zoned(Protocol):
    """Anything that has a team's IANA time zone name (a Team, a TeamFacts)."""

    @property
    def timezone(self) -> str: ...


def timezone_of(team: Zoned) -> ZoneInfo:
    """The team's time zone."""
    try:
        return ZoneInfo(team.timezone)
    except ZoneInfoNotFoundError:  # pragma: no cover - validated on write
        return ZoneInfo("UTC")


# --- teams ------------------------------------------------------------------------------------


def _zone_suggestions(given: str) -> list[str]:
    zones = sorted(available_timezones())
    by_key = {zone.casefold(): zone for zone in zones}
    if given.casefold() in by_key:
        return [by_key[given.casefold()]]
    cities = {zone.rsplit("/", 1)[-1].casefold(): zone for zone in zones if "/" in zone}
    close = difflib.get_close_matches(given.casefold(), list(by_key), n=3, cutoff=0.7)
    close += difflib.get_close_matches(given.casefold(), list(cities), n=3, cutoff=0.7)
    found = [by_key.get(key) or cities[key] for key in close]
    return list(dict.fromkeys(found))[:3]


def check_team_fields(fields: TeamFields) -> None:
    """Raise InvalidInput naming the first setting out of bounds."""
    if fields.name is not None and not 0 < len(fields.name.strip()) <= NAME_LIMIT:
        raise InvalidInput(
            RosterProblem.TEAM_NAME_LENGTH,
            field="name",
            length=len(fields.name.strip()),
            limit=NAME_LIMIT,
        )
    if fields.timezone is not None and fields.timezone not in available_timezones():
        raise InvalidInput(
            RosterProblem.TIMEZONE_UNKNOWN,
            field="timezone",
            given=fields.timezone,
            suggestions=_zone_suggestions(fields.timezone),
        )
    if fields.currency is not None and not _CURRENCY.fullmatch(fields.currency):
        raise InvalidInput(RosterProblem.CURRENCY_INVALID, field="currency", given=fields.currency)
    for field, channel in (("digest", fields.digest_channel), ("leads", fields.leads_channel)):
        if channel is not None and not _CHANNEL.fullmatch(channel):
            raise InvalidInput(RosterProblem.CHANNEL_INVALID, field=field, key=field, given=channel)
    if fields.lead_routing is not None and fields.lead_routing not in ROUTINGS:
        raise InvalidInput(
            RosterProblem.ROUTING_UNKNOWN,
            field="routing",
            given=fields.lead_routing,
            allowed=list(ROUTINGS),
        )
    target = fields.daily_contact_target
    if target is not None and not 0 <= target <= TARGET_LIMIT:
        raise InvalidInput(
            RosterProblem.TARGET_OUT_OF_RANGE,
            field="target",
            given=target,
            low=0,
            high=TARGET_LIMIT,
        )
    if fields.language is not None and fields.language not in LANGUAGES:
        raise InvalidInput(
            RosterProblem.LANGUAGE_UNKNOWN,
            field="language",
            given=fields.language,
            allowed=list(LANGUAGES),
        )
    days = fields.digest_days
    if days is not None and (not days or any(day not in range(7) for day in days)):
        raise InvalidInput(RosterProblem.DAYS_EMPTY, field="digest_days")


def _stored(fields: TeamFields) -> dict[str, object]:
    """The given settings as the Team columns hold them."""
    values = fields.given()
    if isinstance(fields.name, str):
        values["name"] = fields.name.strip()
    for key in ("digest_time", "report_time"):
        if isinstance(values.get(key), time):
            values[key] = _clock(values[key])  # type: ignore[arg-type]
    if fields.digest_days is not None:
        values["digest_days"] = ",".join(WEEKDAYS[day] for day in sorted(set(fields.digest_days)))
    return values


def create_team(session: Session, *, actor: Actor, slug: str, fields: TeamFields) -> TeamSettings:
    """Create a team (organisation admins and the terminal). Name, zone and currency needed."""
    require(actor, Action.TEAM_CREATE)
    begin_write(session)
    if not _SLUG.fullmatch(slug):
        raise InvalidInput(RosterProblem.TEAM_SLUG_INVALID, field="slug", given=slug)
    missing = [
        key for key in ("name", "timezone", "currency") if getattr(fields, key) in (None, "")
    ]
    if missing:
        raise InvalidInput(RosterProblem.TEAM_FIELDS_MISSING, missing=missing, slug=slug)
    check_team_fields(fields)
    if session.exec(select(Team.id).where(Team.slug == slug)).first() is not None:
        raise Conflict(RosterProblem.TEAM_EXISTS, field="slug", slug=slug)
    team = Team(slug=slug, **_stored(fields))
    session.add(team)
    try:
        session.commit()
    except IntegrityError:  # created meanwhile by someone else
        session.rollback()
        raise Conflict(RosterProblem.TEAM_EXISTS, field="slug", slug=slug) from None
    return TeamSettings.of(team)


def update_team(session: Session, *, actor: Actor, slug: str, fields: TeamFields) -> TeamChange:
    """Change the given settings of a team (its admins, organisation admins, the terminal)."""
    begin_write(session)
    team = get_team(session, slug=slug)
    require(actor, Action.TEAM_WRITE, team_id=team.id)
    values = _stored(fields)
    if not values:
        raise InvalidInput(RosterProblem.NOTHING_TO_CHANGE, slug=slug)
    check_team_fields(fields)
    for key, value in values.items():
        setattr(team, key, value)
    session.add(team)
    session.commit()
    return TeamChange(TeamSettings.of(team), frozenset(values))


# --- members ----------------------------------------------------------------------------------


def _member_row(session: Session, slack_user_id: str) -> tuple[Member, Team]:
    found = session.exec(
        select(Member, Team)
        .join(Team, col(Member.team_id) == col(Team.id))
        .where(Member.slack_user_id == slack_user_id)
    ).first()
    if found is None:
        raise NotFound(RosterProblem.MEMBER_NOT_FOUND, field="member", user_id=slack_user_id)
    return found[0], found[1]


def _apply_roles(member: Member, roles: frozenset[Role]) -> None:
    for role, column in ROLE_COLUMNS.items():
        setattr(member, column, role in roles)


def add_member(
    session: Session,
    *,
    actor: Actor,
    slack_user_id: str,
    name: str,
    team_slug: str,
    roles: Iterable[Role],
) -> MemberFacts:
    """Put a Slack user on the roster of a team with the given roles (at least one)."""
    begin_write(session)
    team = get_team(session, slug=team_slug)
    require(actor, Action.ROSTER_WRITE, team_id=team.id)
    if not _USER_ID.fullmatch(slack_user_id):
        raise InvalidInput(RosterProblem.USER_INVALID, field="member", given=slack_user_id)
    name = name.strip()
    if not 0 < len(name) <= NAME_LIMIT:
        raise InvalidInput(
            RosterProblem.MEMBER_NAME_LENGTH, field="name", length=len(name), limit=NAME_LIMIT
        )
    chosen = frozenset(roles)
    if not chosen:
        raise InvalidInput(RosterProblem.ROLES_MISSING, field="roles")
    earlier = get_member(session, slack_user_id=slack_user_id)
    if earlier is not None:
        raise Conflict(
            RosterProblem.MEMBER_EXISTS,
            field="member",
            person=Person(earlier.id or 0, earlier.slack_user_id, earlier.name),
            team_slug=team_by_id(session, earlier.team_id).slug,
            active=earlier.active,
        )
    member = Member(slack_user_id=slack_user_id, name=name, team_id=team.id or 0)
    _apply_roles(member, chosen)
    session.add(member)
    try:
        session.commit()
    except IntegrityError:  # added meanwhile by someone else
        session.rollback()
        raise Conflict(
            RosterProblem.MEMBER_EXISTS,
            field="member",
            person=Person(0, slack_user_id, name),
            team_slug=team.slug,
            active=True,
        ) from None
    return MemberFacts.of(member, team)


def _admins_left(session: Session, team: Team, member: Member, org_admins: frozenset[str]) -> int:
    """Who could still act as an admin of `team` once `member` is no admin there."""
    team_admins = session.exec(
        select(func.count())
        .select_from(Member)
        .where(
            Member.team_id == team.id,
            col(Member.is_admin),
            col(Member.active),
            Member.id != member.id,
        )
    ).one()
    return int(team_admins) + len(org_admins)


def _keep_an_admin(
    session: Session, team: Team, member: Member, org_admins: frozenset[str]
) -> None:
    if _admins_left(session, team, member, org_admins) == 0:
        raise Conflict(
            RosterProblem.LAST_ADMIN,
            field="member",
            person=Person(member.id or 0, member.slack_user_id, member.name),
            team_slug=team.slug,
            team_id=team.id,
        )


def set_roles(
    session: Session,
    *,
    actor: Actor,
    slack_user_id: str,
    roles: Iterable[Role] | None = None,
    add: Iterable[Role] = (),
    remove: Iterable[Role] = (),
    org_admins: frozenset[str] = frozenset(),
) -> RolesChange:
    """Replace a member's roles (`roles`), or add and remove some (`add`, `remove`).

    A member keeps at least one role, and a team keeps an admin: taking the role
    from its last active admin is refused while no organisation admin exists
    (`org_admins`: the LEADCELL_ADMINS user ids).
    """
    begin_write(session)
    member, team = _member_row(session, slack_user_id)
    require(actor, Action.ROSTER_WRITE, team_id=team.id)
    before = roles_of(member)
    after = frozenset(roles) if roles is not None else (before | frozenset(add)) - frozenset(remove)
    if not after:
        raise InvalidInput(
            RosterProblem.ROLES_MISSING,
            field="roles",
            person=Person(member.id or 0, member.slack_user_id, member.name),
            before=sorted(before),
        )
    if member.active and Role.ADMIN in before and Role.ADMIN not in after:
        _keep_an_admin(session, team, member, org_admins)
    _apply_roles(member, after)
    session.add(member)
    session.commit()
    return RolesChange(MemberFacts.of(member, team), before)


def set_active(
    session: Session,
    *,
    actor: Actor,
    slack_user_id: str,
    active: bool,
    org_admins: frozenset[str] = frozenset(),
) -> ActiveChange:
    """Deactivate a member (they keep their history) or activate them again.

    Deactivating a team's last active admin is refused while no organisation admin exists.
    """
    begin_write(session)
    member, team = _member_row(session, slack_user_id)
    require(actor, Action.ROSTER_WRITE, team_id=team.id)
    if member.active == active:
        return ActiveChange(MemberFacts.of(member, team), changed=False)
    if not active and member.is_admin:
        _keep_an_admin(session, team, member, org_admins)
    member.active = active
    session.add(member)
    session.commit()
    return ActiveChange(MemberFacts.of(member, team), changed=True)


def set_own_language(session: Session, *, actor: Actor, language: str | None) -> MemberFacts:
    """The language of the actor's own answers and direct messages (None: their Slack locale's)."""
    require_member(actor, Action.OWN_SETTINGS)
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(
            RosterProblem.LANGUAGE_UNKNOWN,
            field="language",
            given=language,
            allowed=list(LANGUAGES),
        )
    begin_write(session)
    member, team = _member_row(session, actor.user_id)
    member.language = language
    session.add(member)
    session.commit()
    return MemberFacts.of(member, team)


# --- who can help -----------------------------------------------------------------------------


def helpers_for(
    session: Session, *, team_id: int | None, org_admins: frozenset[str]
) -> list[Person]:
    """Who can give a member a role or fix a setting: the team's active admins, then the
    organisation admins on the roster (by name), and the other organisation admins."""
    query = select(Member).where(col(Member.is_admin), col(Member.active))
    if team_id is not None:
        query = query.where(Member.team_id == team_id)
    found = {
        m.slack_user_id: Person(m.id or 0, m.slack_user_id, m.name)
        for m in session.exec(query.order_by(Member.name))
    }
    for user_id in sorted(org_admins - set(found)):
        member = get_member(session, slack_user_id=user_id)
        found[user_id] = Person(
            member.id or 0 if member else 0, user_id, member.name if member else user_id
        )
    return list(found.values())
