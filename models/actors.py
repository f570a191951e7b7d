"""Who is acting: worked out once at the boundary, then handed to every domain function.

The bot resolves the Slack user behind a request into an `Actor` (their roster
entry, their roles, whether they are an organisation admin) and passes that, not
Slack ids and the admin list, to the domain. The terminal is the trusted `TERMINAL`
actor. What an actor may do is decided by `models.policy`, nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Connection, bindparam, select, update

from models.db import WRITE
from models.tables import Member, Team

_MEMBERS, _TEAMS = Member.__table__, Team.__table__  # type: ignore[attr-defined]


class Role(StrEnum):
    """What a member does in their team. A member may hold several roles."""

    AGENT = "agent"
    SALES_ENGINEER = "sales-engineer"
    MANAGER = "manager"
    ADMIN = "admin"
    PROVIDER = "provider"


#: The Member column that stores each role.
ROLE_COLUMNS: dict[Role, str] = {
    Role.AGENT: "is_agent",
    Role.SALES_ENGINEER: "is_sales_engineer",
    Role.MANAGER: "is_manager",
    Role.ADMIN: "is_admin",
    Role.PROVIDER: "is_provider",
}


@dataclass(frozen=True)
class Person:
    """A member as messages name them: the bot mentions them by `user_id`."""

    member_id: int
    user_id: str
    name: str


@dataclass(frozen=True)
class TeamFacts:
    """What requests need of a team: its zone, currency, language and daily target."""

    id: int
    slug: str
    name: str
    timezone: str
    currency: str
    language: str
    daily_contact_target: int


@dataclass(frozen=True)
class Actor:
    """The person behind a request.

    `member_id` and `team_id` are None for someone who is not on the roster: an
    organisation admin named in the settings, or a stranger. `org_admin` may do
    anything in every team; a member's roles count in their own team only, and
    only while `active`.
    """

    user_id: str
    member_id: int | None = None
    name: str | None = None
    team_id: int | None = None
    roles: frozenset[Role] = frozenset()
    active: bool = False
    org_admin: bool = False
    language: str | None = None
    slack_locale: str | None = None
    locale_checked_at: datetime | None = None
    team: TeamFacts | None = None
    trusted: bool = False

    @property
    def on_roster(self) -> bool:
        """True for an active roster member."""
        return self.member_id is not None and self.active

    def has(self, role: Role) -> bool:
        """True when the actor holds `role` as an active member."""
        return self.active and role in self.roles

    @property
    def person(self) -> Person | None:
        """The actor as messages name them (None off the roster)."""
        if self.member_id is None:
            return None
        return Person(self.member_id, self.user_id, self.name or self.user_id)


#: The terminal (`leadcell team …`, imports, the demo generator): trusted like an org admin.
TERMINAL = Actor(user_id="terminal", org_admin=True, active=True, trusted=True)

_ACTOR = (
    select(
        _MEMBERS.c.id,
        _MEMBERS.c.name,
        _MEMBERS.c.team_id,
        _MEMBERS.c.active,
        _MEMBERS.c.language,
        _MEMBERS.c.slack_locale,
        _MEMBERS.c.locale_checked_at,
        *(_MEMBERS.c[column] for column in ROLE_COLUMNS.values()),
        _TEAMS.c.slug,
        _TEAMS.c.name.label("team_name"),
        _TEAMS.c.timezone,
        _TEAMS.c.currency,
        _TEAMS.c.language.label("team_language"),
        _TEAMS.c.daily_contact_target,
    )
    .join_from(_MEMBERS, _TEAMS, _MEMBERS.c.team_id == _TEAMS.c.id)
    .where(_MEMBERS.c.slack_user_id == bindparam("user"))
)


def resolve_actor(connection: Connection, *, user_id: str, org_admins: frozenset[str]) -> Actor:
    """The actor behind a Slack user id: their roster entry (if any) and their rights."""
    row = connection.execute(_ACTOR, {"user": user_id}).first()
    org_admin = user_id in org_admins
    if row is None:
        return Actor(user_id=user_id, org_admin=org_admin)
    roles = frozenset(role for role, column in ROLE_COLUMNS.items() if getattr(row, column))
    return Actor(
        user_id=user_id,
        member_id=row.id,
        name=row.name,
        team_id=row.team_id,
        roles=roles,
        active=bool(row.active),
        org_admin=org_admin,
        language=row.language,
        slack_locale=row.slack_locale,
        locale_checked_at=row.locale_checked_at,
        team=TeamFacts(
            id=row.team_id,
            slug=row.slug,
            name=row.team_name,
            timezone=row.timezone,
            currency=row.currency,
            language=row.team_language,
            daily_contact_target=row.daily_contact_target,
        ),
    )


def record_slack_locale(
    connection: Connection, *, member_id: int, locale: str | None, now: datetime
) -> None:
    """Remember a member's Slack locale (`fr-FR`) as users.info gave it, and when."""
    with connection.execution_options(**{WRITE: True}).begin():
        connection.execute(
            update(_MEMBERS)
            .where(_MEMBERS.c.id == member_id)
            .values(slack_locale=(locale or None) and locale[:16], locale_checked_at=now)
        )
