"""The roster: teams, members, roles, and who counts as an admin (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from models.db import session_scope
from models.errors import Conflict, InvalidInput, NotAllowed, NotFound
from models.roster import (
    Role,
    TeamFields,
    add_member,
    create_team,
    get_team,
    is_admin,
    list_members,
    list_teams,
    parse_roles,
    require_admin,
    roles_of,
    set_active,
    set_roles,
    update_team,
    who_can_help,
)
from models.tables import Member, Team
from tests.conftest import ADMIN, AGENT, SALES_ENGINEER, SETTINGS_ADMIN

SETTINGS_ADMINS = frozenset({SETTINGS_ADMIN})
UK = TeamFields(
    name="United Kingdom",
    timezone="Europe/London",
    currency="GBP",
    digest_channel="C0DIGESTUK",
    leads_channel="C0LEADSUK",
    daily_contact_target=25,
)


@pytest.fixture
def session(roster: Engine) -> Iterator[Session]:
    """A session on the demo roster (team `fr` and its 19 members)."""
    with session_scope(roster) as session:
        yield session


@pytest.fixture
def empty_session(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        yield session


def count(session: Session, table: type[Team] | type[Member]) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def fresh_team(engine: Engine, slug: str) -> Team:
    """The team as stored, read in a new session."""
    with session_scope(engine) as session:
        return session.exec(select(Team).where(Team.slug == slug)).one()


def fresh_member(engine: Engine, user_id: str) -> Member:
    with session_scope(engine) as session:
        return session.exec(select(Member).where(Member.slack_user_id == user_id)).one()


# --- teams ------------------------------------------------------------------------------------


def test_create_team_stores_every_field(engine: Engine, empty_session: Session) -> None:
    create_team(empty_session, slug="uk", fields=UK)

    team = fresh_team(engine, "uk")
    assert (team.name, team.timezone, team.currency) == ("United Kingdom", "Europe/London", "GBP")
    assert (team.digest_channel, team.leads_channel) == ("C0DIGESTUK", "C0LEADSUK")
    assert team.daily_contact_target == 25
    assert team.created_at.utcoffset() is not None


def test_create_team_default_target_is_30(engine: Engine, empty_session: Session) -> None:
    fields = TeamFields(name="Deutschland", timezone="Europe/Berlin", currency="EUR")
    create_team(empty_session, slug="de", fields=fields)
    team = fresh_team(engine, "de")
    assert team.daily_contact_target == 30
    assert team.digest_channel is None and team.leads_channel is None


@pytest.mark.parametrize(
    ("slug", "changes", "complaint"),
    [
        ("UK", {}, "is not a team slug"),
        ("-uk", {}, "is not a team slug"),
        ("u k", {}, "is not a team slug"),
        ("u" * 33, {}, "is not a team slug"),
        ("", {}, "is not a team slug"),
        ("uk", {"timezone": "Europe/Londres"}, "is not an IANA time zone"),
        ("uk", {"timezone": "GMT+1 "}, "is not an IANA time zone"),
        ("uk", {"currency": "gbp"}, "three-letter currency"),
        ("uk", {"currency": "POUND"}, "three-letter currency"),
        ("uk", {"leads_channel": "#leads-uk"}, "is not a Slack channel id"),
        ("uk", {"digest_channel": "leads"}, "is not a Slack channel id"),
        ("uk", {"daily_contact_target": -1}, "daily target"),
        ("uk", {"daily_contact_target": 10_001}, "daily target"),
        ("uk", {"name": "   "}, "1 to 100 characters"),
        ("uk", {"name": "x" * 101}, "1 to 100 characters"),
        ("uk", {"name": None}, "needs a name, a time zone and a currency"),
        ("uk", {"timezone": None}, "needs a name, a time zone and a currency"),
        ("uk", {"currency": None}, "needs a name, a time zone and a currency"),
    ],
)
def test_create_team_refuses_bad_fields(
    empty_session: Session, slug: str, changes: dict[str, object], complaint: str
) -> None:
    fields = TeamFields(**{**vars(UK), **changes})  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as refused:
        create_team(empty_session, slug=slug, fields=fields)
    assert complaint in refused.value.message
    assert refused.value.example
    assert count(empty_session, Team) == 0


def test_create_team_echoes_bad_values_escaped(empty_session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        create_team(empty_session, slug="<!channel>", fields=UK)
    assert "<!channel>" not in refused.value.message
    assert "&lt;!channel&gt;" in refused.value.message


def test_duplicate_team_is_a_conflict_and_the_session_stays_usable(
    engine: Engine, empty_session: Session
) -> None:
    create_team(empty_session, slug="uk", fields=UK)
    with pytest.raises(Conflict) as refused:
        create_team(
            empty_session,
            slug="uk",
            fields=TeamFields(name="Other", timezone="UTC", currency="USD"),
        )
    assert "`uk`" in refused.value.message
    assert refused.value.example
    assert fresh_team(engine, "uk").name == "United Kingdom"
    create_team(
        empty_session,
        slug="de",
        fields=TeamFields(name="DE", timezone="Europe/Berlin", currency="EUR"),
    )
    assert count(empty_session, Team) == 2


def test_update_team_changes_only_the_given_fields(roster: Engine, session: Session) -> None:
    update_team(
        session, slug="fr", fields=TeamFields(timezone="Europe/London", daily_contact_target=40)
    )

    team = fresh_team(roster, "fr")
    assert (team.timezone, team.daily_contact_target) == ("Europe/London", 40)
    assert (team.name, team.currency, team.leads_channel) == ("France", "EUR", "C0LEADSFR")


def test_update_team_refuses_bad_values_and_keeps_the_team(
    roster: Engine, session: Session
) -> None:
    with pytest.raises(InvalidInput):
        update_team(session, slug="fr", fields=TeamFields(timezone="Mars/Olympus"))
    with pytest.raises(InvalidInput):
        update_team(session, slug="fr", fields=TeamFields(currency="euro"))
    team = fresh_team(roster, "fr")
    assert (team.timezone, team.currency) == ("Europe/Paris", "EUR")


def test_update_unknown_team_is_not_found_naming_the_teams(session: Session) -> None:
    with pytest.raises(NotFound) as refused:
        update_team(session, slug="uk", fields=TeamFields(daily_contact_target=1))
    assert "`uk`" in refused.value.message
    assert "fr" in refused.value.message


def test_get_team_on_an_empty_database_says_none_yet(empty_session: Session) -> None:
    with pytest.raises(NotFound) as refused:
        get_team(empty_session, slug="fr")
    assert "none yet" in refused.value.message


def test_list_teams_by_slug(session: Session) -> None:
    create_team(session, slug="uk", fields=UK)
    create_team(
        session, slug="de", fields=TeamFields(name="DE", timezone="Europe/Berlin", currency="EUR")
    )
    assert [t.slug for t in list_teams(session)] == ["de", "fr", "uk"]


# --- members ----------------------------------------------------------------------------------


def test_add_member_stores_roles(roster: Engine, session: Session) -> None:
    add_member(
        session,
        slack_user_id="U0NEW1",
        name="  Ada Lovelace ",
        team_slug="fr",
        roles={Role.AGENT, Role.SALES_ENGINEER},
    )
    member = fresh_member(roster, "U0NEW1")
    assert member.name == "Ada Lovelace"
    assert roles_of(member) == {Role.AGENT, Role.SALES_ENGINEER}
    assert member.active
    assert fresh_team(roster, "fr").id == member.team_id


def test_add_member_to_unknown_team_names_the_existing_teams(session: Session) -> None:
    with pytest.raises(NotFound) as refused:
        add_member(session, slack_user_id="U0NEW1", name="Ada", team_slug="uk", roles={Role.AGENT})
    assert "`uk`" in refused.value.message
    assert "teams: fr" in refused.value.message
    assert count(session, Member) == 19


def test_duplicate_member_is_a_conflict(roster: Engine, session: Session) -> None:
    with pytest.raises(Conflict) as refused:
        add_member(
            session,
            slack_user_id=AGENT,
            name="Someone Else",
            team_slug="fr",
            roles={Role.ADMIN},
        )
    assert f"<@{AGENT}>" in refused.value.message
    assert refused.value.example
    member = fresh_member(roster, AGENT)
    assert member.name == "Camille Martin"
    assert not member.is_admin
    assert count(session, Member) == 19


def test_add_member_refuses_bad_input(session: Session) -> None:
    for user_id, name, roles in (
        ("marie", "Marie", {Role.AGENT}),
        ("C0CHANNEL", "Marie", {Role.AGENT}),
        ("U0NEW1", "   ", {Role.AGENT}),
        ("U0NEW1", "x" * 101, {Role.AGENT}),
        ("U0NEW1", "Marie", set()),
    ):
        with pytest.raises(InvalidInput):
            add_member(session, slack_user_id=user_id, name=name, team_slug="fr", roles=roles)
    assert count(session, Member) == 19


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("agent", {Role.AGENT}),
        ("se", {Role.SALES_ENGINEER}),
        ("sales", {Role.SALES_ENGINEER}),
        ("Sales_Engineer", {Role.SALES_ENGINEER}),
        ("agent, se ,", {Role.AGENT, Role.SALES_ENGINEER}),
        ("admin,manager,agent,sales-engineer", set(Role) - {Role.PROVIDER}),
    ],
)
def test_parse_roles(text: str, expected: set[Role]) -> None:
    assert parse_roles(text) == expected


def test_parse_roles_refuses_an_unknown_role_listing_the_roles() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_roles("agent,boss")
    assert "`boss`" in refused.value.message
    for role in Role:
        assert role.value in refused.value.message
    assert refused.value.example


@pytest.mark.parametrize("text", ["", " , ", ","])
def test_parse_roles_needs_a_role(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_roles(text)


def test_set_roles_replaces_them(roster: Engine) -> None:
    with session_scope(roster) as session:
        set_roles(session, slack_user_id=AGENT, roles={Role.SALES_ENGINEER, Role.MANAGER})
    assert roles_of(fresh_member(roster, AGENT)) == {Role.SALES_ENGINEER, Role.MANAGER}
    with session_scope(roster) as session, pytest.raises(InvalidInput):
        set_roles(session, slack_user_id=AGENT, roles=set())
    assert roles_of(fresh_member(roster, AGENT)) == {Role.SALES_ENGINEER, Role.MANAGER}


def test_set_roles_and_set_active_of_unknown_user_are_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        set_roles(session, slack_user_id="U0NOBODY", roles={Role.AGENT})
    with pytest.raises(NotFound):
        set_active(session, slack_user_id="U0NOBODY", active=False)


def test_set_active_deactivates_and_reactivates(roster: Engine, session: Session) -> None:
    set_active(session, slack_user_id=AGENT, active=False)
    assert not fresh_member(roster, AGENT).active
    set_active(session, slack_user_id=AGENT, active=True)
    assert fresh_member(roster, AGENT).active


def test_list_members_by_team_then_name_with_a_team_filter(session: Session) -> None:
    create_team(
        session, slug="de", fields=TeamFields(name="DE", timezone="Europe/Berlin", currency="EUR")
    )
    for user_id, name in (("U0DE1", "Zoe Zimmer"), ("U0DE2", "Anna Arndt")):
        add_member(session, slack_user_id=user_id, name=name, team_slug="de", roles={Role.AGENT})

    everyone = list_members(session)
    assert len(everyone) == 21
    assert [(t.slug, m.name) for m, t in everyone[:2]] == [
        ("de", "Anna Arndt"),
        ("de", "Zoe Zimmer"),
    ]
    french = [m.name for m, t in everyone[2:]]
    assert {t.slug for _m, t in everyone[2:]} == {"fr"}
    assert french == sorted(french)
    assert "Magali Michel" in french

    german = list_members(session, team_slug="de")
    assert [m.slack_user_id for m, _t in german] == ["U0DE2", "U0DE1"]
    assert len(list_members(session, team_slug="fr")) == 19
    with pytest.raises(NotFound):
        list_members(session, team_slug="uk")


def test_list_members_includes_inactive_members(session: Session) -> None:
    set_active(session, slack_user_id=AGENT, active=False)
    members = {m.slack_user_id: m for m, _t in list_members(session)}
    assert not members[AGENT].active


# --- admins -----------------------------------------------------------------------------------


def test_is_admin(session: Session) -> None:
    def admin(user: str) -> bool:
        return is_admin(session, slack_user_id=user, settings_admins=SETTINGS_ADMINS)

    assert admin(SETTINGS_ADMIN)  # from LEADCELL_ADMINS, not on the roster
    assert admin(ADMIN)  # a member with the admin role
    assert not admin(AGENT)
    assert not admin(SALES_ENGINEER)
    assert not admin("U0NOBODY")
    assert not is_admin(session, slack_user_id=SETTINGS_ADMIN, settings_admins=frozenset())


def test_an_inactive_admin_is_not_an_admin(session: Session) -> None:
    set_active(session, slack_user_id=ADMIN, active=False)
    assert not is_admin(session, slack_user_id=ADMIN, settings_admins=SETTINGS_ADMINS)
    with pytest.raises(NotAllowed) as refused:
        require_admin(session, slack_user_id=ADMIN, settings_admins=SETTINGS_ADMINS)
    assert f"<@{ADMIN}>" not in refused.value.message
    assert f"<@{SETTINGS_ADMIN}>" in refused.value.message


def test_require_admin_names_the_admins(session: Session) -> None:
    require_admin(session, slack_user_id=ADMIN, settings_admins=SETTINGS_ADMINS)
    require_admin(session, slack_user_id=SETTINGS_ADMIN, settings_admins=SETTINGS_ADMINS)
    with pytest.raises(NotAllowed) as refused:
        require_admin(session, slack_user_id=AGENT, settings_admins=SETTINGS_ADMINS)
    assert "Only admins" in refused.value.message
    assert f"<@{ADMIN}>" in refused.value.message
    assert f"<@{SETTINGS_ADMIN}>" in refused.value.message


def test_who_can_help(session: Session) -> None:
    assert who_can_help(session, SETTINGS_ADMINS) == (f"Admins: <@{ADMIN}>, <@{SETTINGS_ADMIN}>.")
    assert who_can_help(session, frozenset()) == f"Admins: <@{ADMIN}>."
    set_roles(session, slack_user_id=AGENT, roles={Role.AGENT, Role.ADMIN})
    assert who_can_help(session, frozenset()) == f"Admins: <@{AGENT}>, <@{ADMIN}>."
    set_active(session, slack_user_id=AGENT, active=False)
    set_active(session, slack_user_id=ADMIN, active=False)
    assert "No admin is set yet" in who_can_help(session, frozenset())
    assert "LEADCELL_ADMINS" in who_can_help(session, frozenset())
