"""Teams and members: the roster, its roles, and who may do what."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.actors import ROLE_COLUMNS, Person, Role
from models.db import begin_write
from models.errors import Conflict, InvalidInput, NotAllowed, NotFound, quoted
from models.tables import Member, Team

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_CHANNEL = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")

TEAM_EXAMPLE = "/leadcell team add fr France tz=Europe/Paris currency=EUR leads=#leads-fr"
MEMBER_EXAMPLE = "/leadcell member add @marie team=fr roles=agent"


_ROLE_ALIASES = {"se": Role.SALES_ENGINEER, "sales": Role.SALES_ENGINEER}
_ROLE_COLUMNS = ROLE_COLUMNS


def parse_roles(text: str) -> frozenset[Role]:
    """Roles from a comma-separated list such as `agent,sales-engineer` (alias `se`)."""
    roles: set[Role] = set()
    for word in (w.strip().lower().replace("_", "-") for w in text.split(",")):
        if not word:
            continue
        role = _ROLE_ALIASES.get(word)
        if role is None:
            try:
                role = Role(word)
            except ValueError:
                raise InvalidInput(
                    f"{quoted(word)} is not a role. Roles are: {', '.join(r.value for r in Role)}.",
                    example="roles=agent,sales-engineer",
                ) from None
        roles.add(role)
    if not roles:
        raise InvalidInput("Give at least one role.", example="roles=agent")
    return frozenset(roles)


def roles_of(member: Member) -> frozenset[Role]:
    """The roles a member holds."""
    return frozenset(role for role, column in _ROLE_COLUMNS.items() if getattr(member, column))


@dataclass(frozen=True)
class TeamFields:
    """Team settings an admin may give when creating or changing a team (None: unchanged)."""

    name: str | None = None
    timezone: str | None = None
    currency: str | None = None
    digest_channel: str | None = None
    leads_channel: str | None = None
    daily_contact_target: int | None = None
    lead_routing: str | None = None
    digest_time: str | None = None
    digest_days: str | None = None
    digest_skip_empty: bool | None = None
    report_time: str | None = None


ROUTINGS = ("pool", "round-robin")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
DIGEST_EXAMPLE = (
    "/leadcell team set fr digest_time=18:00 digest_days=mon,tue,wed,thu,fri skip_empty=yes "
    "report_time=09:00"
)


def parse_clock(text: str, *, label: str = "digest_time") -> str:
    """A time of day as `HH:MM` (`9:00` becomes `09:00`), or InvalidInput."""
    value = text.strip()
    if re.fullmatch(r"\d:\d\d", value):
        value = "0" + value
    if not _CLOCK.match(value):
        raise InvalidInput(
            f"{quoted(text)} is not a time of day like 18:00 (24-hour HH:MM).",
            example=f"{label}=18:00" if label == "digest_time" else f"{label}=09:00",
        )
    return value


def parse_weekdays(text: str) -> str:
    """Day names such as `mon,tue,wed`, `monday` or `mon-fri`, as `mon,tue,wed,thu,fri`."""
    chosen: set[int] = set()
    for word in (w.strip().lower() for w in text.replace(" ", ",").split(",")):
        if not word:
            continue
        names = [name.strip()[:3] for name in word.split("-")]
        if len(names) > 2 or any(name not in WEEKDAYS for name in names):
            raise InvalidInput(
                f"{quoted(text)} is not a list of days: use mon, tue, wed, thu, fri, sat, sun.",
                example="digest_days=mon,tue,wed,thu,fri",
            )
        start, end = WEEKDAYS.index(names[0]), WEEKDAYS.index(names[-1])
        span = range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)]
        chosen.update(span)
    if not chosen:
        raise InvalidInput("Give at least one day.", example="digest_days=mon,tue,wed,thu,fri")
    return ",".join(WEEKDAYS[i] for i in sorted(chosen))


def _check_team_fields(fields: TeamFields) -> None:
    if fields.name is not None and not 0 < len(fields.name.strip()) <= 100:
        raise InvalidInput("A team name has 1 to 100 characters.", example=TEAM_EXAMPLE)
    if fields.timezone is not None and fields.timezone not in available_timezones():
        raise InvalidInput(
            f"{quoted(fields.timezone)} is not an IANA time zone.", example="tz=Europe/London"
        )
    if fields.currency is not None and not _CURRENCY.match(fields.currency):
        raise InvalidInput(
            f"{quoted(fields.currency)} is not a three-letter currency code.",
            example="currency=GBP",
        )
    for label, channel in (("digest", fields.digest_channel), ("leads", fields.leads_channel)):
        if channel is not None and not _CHANNEL.match(channel):
            raise InvalidInput(
                f"{quoted(channel)} is not a Slack channel id.", example=f"{label}=#sales"
            )
    if fields.lead_routing is not None and fields.lead_routing not in ROUTINGS:
        raise InvalidInput(
            f"{quoted(fields.lead_routing)} is not a lead routing rule: pool or round-robin.",
            example="routing=round-robin",
        )
    for label, clock in (("digest_time", fields.digest_time), ("report_time", fields.report_time)):
        if clock is not None and parse_clock(clock, label=label) != clock:
            raise InvalidInput(
                f"{quoted(clock)} is not a time like 18:00.", example=f"{label}=18:00"
            )
    if fields.digest_days is not None and parse_weekdays(fields.digest_days) != fields.digest_days:
        raise InvalidInput(
            f"{quoted(fields.digest_days)} is not a list of days like mon,tue,wed,thu,fri.",
            example="digest_days=mon,tue,wed,thu,fri",
        )
    target = fields.daily_contact_target
    if target is not None and not 0 <= target <= 10_000:
        raise InvalidInput(
            "The daily target is a number of useful contacts from 0 to 10000.", example="target=30"
        )


def create_team(session: Session, *, slug: str, fields: TeamFields) -> Team:
    """Create a team. Name, time zone and currency are required."""
    if not _SLUG.match(slug):
        raise InvalidInput(
            f"{quoted(slug)} is not a team slug: use 1 to 32 lowercase letters, digits or dashes.",
            example=TEAM_EXAMPLE,
        )
    if fields.name is None or fields.timezone is None or fields.currency is None:
        raise InvalidInput(
            "A new team needs a name, a time zone and a currency.", example=TEAM_EXAMPLE
        )
    _check_team_fields(fields)
    team = Team(slug=slug, **{k: v for k, v in vars(fields).items() if v is not None})
    session.add(team)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            f"Team {quoted(slug)} exists already.", example=f"/leadcell team set {slug} target=30"
        ) from None
    return team


def update_team(session: Session, *, slug: str, fields: TeamFields) -> Team:
    """Change the given settings of a team."""
    begin_write(session)
    _check_team_fields(fields)
    team = get_team(session, slug=slug)
    for key, value in vars(fields).items():
        if value is not None:
            setattr(team, key, value)
    session.add(team)
    session.commit()
    return team


def get_team(session: Session, *, slug: str) -> Team:
    """The team with this slug, or NotFound naming the existing ones."""
    team = session.exec(select(Team).where(Team.slug == slug)).first()
    if team is None:
        known = ", ".join(t.slug for t in list_teams(session)) or "none yet"
        raise NotFound(f"There is no team {quoted(slug)} (teams: {known}).", example=TEAM_EXAMPLE)
    return team


def list_teams(session: Session) -> list[Team]:
    """Every team, by slug."""
    return list(session.exec(select(Team).order_by(Team.slug)))


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


def add_member(
    session: Session, *, slack_user_id: str, name: str, team_slug: str, roles: Iterable[Role]
) -> Member:
    """Put a Slack user on the roster of a team with the given roles."""
    begin_write(session)
    if not _USER_ID.match(slack_user_id):
        raise InvalidInput(f"{quoted(slack_user_id)} is not a Slack user.", example=MEMBER_EXAMPLE)
    name = name.strip()
    if not 0 < len(name) <= 100:
        raise InvalidInput("A member's name has 1 to 100 characters.", example=MEMBER_EXAMPLE)
    team = get_team(session, slug=team_slug)
    member = Member(slack_user_id=slack_user_id, name=name, team_id=team.id)
    _apply_roles(member, frozenset(roles))
    session.add(member)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            f"<@{slack_user_id}> is on the roster already.",
            example=f"/leadcell member roles <@{slack_user_id}> agent",
        ) from None
    return member


def _apply_roles(member: Member, roles: frozenset[Role]) -> None:
    if not roles:
        raise InvalidInput("Give at least one role.", example="roles=agent")
    for role, column in _ROLE_COLUMNS.items():
        setattr(member, column, role in roles)


def get_member(session: Session, *, slack_user_id: str) -> Member | None:
    """The roster entry of a Slack user, active or not, or None."""
    return session.exec(select(Member).where(Member.slack_user_id == slack_user_id)).first()


def _require_member(session: Session, slack_user_id: str) -> Member:
    member = get_member(session, slack_user_id=slack_user_id)
    if member is None:
        raise NotFound(f"<@{slack_user_id}> is not on the roster.", example=MEMBER_EXAMPLE)
    return member


def set_roles(session: Session, *, slack_user_id: str, roles: Iterable[Role]) -> Member:
    """Replace a member's roles."""
    begin_write(session)
    member = _require_member(session, slack_user_id)
    _apply_roles(member, frozenset(roles))
    session.add(member)
    session.commit()
    return member


def set_active(session: Session, *, slack_user_id: str, active: bool) -> Member:
    """Deactivate a member (they keep their history) or activate them again."""
    begin_write(session)
    member = _require_member(session, slack_user_id)
    member.active = active
    session.add(member)
    session.commit()
    return member


def list_members(session: Session, *, team_slug: str | None = None) -> list[tuple[Member, Team]]:
    """Members with their team, by team then name; one team's when a slug is given."""
    query = select(Member, Team).join(Team, col(Member.team_id) == col(Team.id))
    if team_slug is not None:
        query = query.where(Team.slug == get_team(session, slug=team_slug).slug)
    return list(session.exec(query.order_by(Team.slug, Member.name)).all())


def is_admin(session: Session, *, slack_user_id: str, settings_admins: frozenset[str]) -> bool:
    """Admins are the LEADCELL_ADMINS users and the active members with the admin role."""
    if slack_user_id in settings_admins:
        return True
    member = get_member(session, slack_user_id=slack_user_id)
    return bool(member and member.active and member.is_admin)


def admin_ids(session: Session, *, settings_admins: frozenset[str]) -> list[str]:
    """Slack ids of everyone who can change the roster."""
    rows = session.exec(
        select(Member.slack_user_id).where(col(Member.is_admin), col(Member.active))
    ).all()
    return sorted(set(rows) | settings_admins)


def require_admin(session: Session, *, slack_user_id: str, settings_admins: frozenset[str]) -> None:
    """Raise NotAllowed unless the user is an admin, saying who is."""
    if not is_admin(session, slack_user_id=slack_user_id, settings_admins=settings_admins):
        raise NotAllowed(
            "Only admins can change teams and the roster. "
            + who_can_help(session, settings_admins),
            example="/leadcell team list (anyone may list)",
        )


def who_can_help(session: Session, settings_admins: frozenset[str]) -> str:
    """A sentence naming the admins, for 'ask someone' messages."""
    admins = admin_ids(session, settings_admins=settings_admins)
    if not admins:
        return "No admin is set yet: list Slack user ids in LEADCELL_ADMINS."
    return "Admins: " + ", ".join(f"<@{a}>" for a in admins) + "."


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
