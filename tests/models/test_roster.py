"""The roster: teams, members, roles, languages, who may change them, and the last admin."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from models.actors import TERMINAL, Role
from models.db import session_scope
from models.errors import Conflict, InvalidInput, NotAllowed, NotFound
from models.policy import PolicyProblem
from models.roster import (
    RosterProblem,
    TeamFields,
    add_member,
    create_team,
    get_team,
    helpers_for,
    list_teams,
    readable_teams,
    resolve_team,
    roles_of,
    roster_of,
    set_active,
    set_own_language,
    set_roles,
    update_team,
)
from models.tables import Member, Team
from tests.conftest import ADMIN, AGENT, SALES_ENGINEER, SETTINGS_ADMIN, actor_of

ORG = frozenset({SETTINGS_ADMIN})
UK = TeamFields(
    name="United Kingdom",
    timezone="Europe/London",
    currency="GBP",
    digest_channel="C0DIGESTUK",
    leads_channel="C0LEADSUK",
    daily_contact_target=25,
    language="en",
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
    with session_scope(engine) as session:
        return session.exec(select(Team).where(Team.slug == slug)).one()


def fresh_member(engine: Engine, user_id: str) -> Member:
    with session_scope(engine) as session:
        return session.exec(select(Member).where(Member.slack_user_id == user_id)).one()


def with_uk(engine: Engine) -> None:
    """Team `uk` with an admin (U0UKADMIN) and an agent (U0UKAGENT)."""
    with session_scope(engine) as session:
        create_team(session, actor=TERMINAL, slug="uk", fields=UK)
        for user, roles in (("U0UKADMIN", {Role.ADMIN}), ("U0UKAGENT", {Role.AGENT})):
            add_member(
                session, actor=TERMINAL, slack_user_id=user, name=user, team_slug="uk", roles=roles
            )


# --- teams ------------------------------------------------------------------------------------


def test_create_team_stores_every_field(engine: Engine, empty_session: Session) -> None:
    fields = TeamFields(
        **{**vars(UK), "digest_time": time(17, 30), "digest_days": (0, 2, 4), "language": "en"}
    )
    created = create_team(empty_session, actor=TERMINAL, slug="uk", fields=fields)

    team = fresh_team(engine, "uk")
    assert created.id == team.id and created.slug == "uk"
    assert (team.name, team.timezone, team.currency, team.language) == (
        "United Kingdom",
        "Europe/London",
        "GBP",
        "en",
    )
    assert (team.digest_channel, team.leads_channel) == ("C0DIGESTUK", "C0LEADSUK")
    assert (team.daily_contact_target, team.digest_time, team.digest_days) == (
        25,
        "17:30",
        "mon,wed,fri",
    )
    assert created.digest_days == (0, 2, 4) and not created.posts_nothing


def test_a_team_without_a_digest_channel_posts_nothing(empty_session: Session) -> None:
    fields = TeamFields(name="Deutschland", timezone="Europe/Berlin", currency="EUR")
    team = create_team(empty_session, actor=TERMINAL, slug="de", fields=fields)
    assert team.posts_nothing
    assert team.daily_contact_target == 30 and team.language == "en"


@pytest.mark.parametrize(
    ("slug", "changes", "problem", "facts"),
    [
        ("UK", {}, RosterProblem.TEAM_SLUG_INVALID, {"given": "UK"}),
        ("-uk", {}, RosterProblem.TEAM_SLUG_INVALID, {"given": "-uk"}),
        ("u" * 33, {}, RosterProblem.TEAM_SLUG_INVALID, {}),
        (
            "uk",
            {"timezone": "Europe/Londres"},
            RosterProblem.TIMEZONE_UNKNOWN,
            {"given": "Europe/Londres"},
        ),
        ("uk", {"timezone": "london"}, RosterProblem.TIMEZONE_UNKNOWN, {}),
        ("uk", {"currency": "POUND"}, RosterProblem.CURRENCY_INVALID, {"given": "POUND"}),
        ("uk", {"leads_channel": "#leads-uk"}, RosterProblem.CHANNEL_INVALID, {}),
        ("uk", {"daily_contact_target": 10_001}, RosterProblem.TARGET_OUT_OF_RANGE, {}),
        ("uk", {"name": "   "}, RosterProblem.TEAM_NAME_LENGTH, {"limit": 100}),
        ("uk", {"language": "es"}, RosterProblem.LANGUAGE_UNKNOWN, {"allowed": ["fr", "en", "de"]}),
        ("uk", {"lead_routing": "random"}, RosterProblem.ROUTING_UNKNOWN, {}),
        ("uk", {"digest_days": ()}, RosterProblem.DAYS_EMPTY, {}),
        (
            "uk",
            {"timezone": None, "currency": None},
            RosterProblem.TEAM_FIELDS_MISSING,
            {"missing": ["timezone", "currency"]},
        ),
    ],
)
def test_create_team_refuses_bad_fields(
    empty_session: Session, slug: str, changes: dict[str, object], problem: RosterProblem, facts
) -> None:
    fields = TeamFields(**{**vars(UK), **changes})  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as refused:
        create_team(empty_session, actor=TERMINAL, slug=slug, fields=fields)
    assert refused.value.problem == problem
    assert facts.items() <= refused.value.facts.items()
    assert count(empty_session, Team) == 0


@pytest.mark.parametrize(
    ("given", "first"), [("Europe/Londres", "Europe/London"), ("london", "Europe/London")]
)
def test_near_time_zones_are_suggested(empty_session: Session, given: str, first: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        create_team(
            empty_session,
            actor=TERMINAL,
            slug="uk",
            fields=TeamFields(**{**vars(UK), "timezone": given}),
        )
    assert refused.value.facts["suggestions"][0] == first


def test_duplicate_team_is_a_conflict_and_the_session_stays_usable(
    engine: Engine, empty_session: Session
) -> None:
    create_team(empty_session, actor=TERMINAL, slug="uk", fields=UK)
    with pytest.raises(Conflict) as refused:
        create_team(empty_session, actor=TERMINAL, slug="uk", fields=UK)
    assert refused.value.problem == RosterProblem.TEAM_EXISTS
    assert refused.value.facts["slug"] == "uk"
    other = TeamFields(name="DE", timezone="Europe/Berlin", currency="EUR")
    create_team(empty_session, actor=TERMINAL, slug="de", fields=other)
    assert [t.slug for t in list_teams(empty_session)] == ["de", "uk"]


def test_update_team_changes_only_the_given_fields(roster: Engine, session: Session) -> None:
    change = update_team(
        session,
        actor=TERMINAL,
        slug="fr",
        fields=TeamFields(timezone="Europe/London", daily_contact_target=40, report_time=time(8)),
    )
    assert change.changed == {"timezone", "daily_contact_target", "report_time"}
    assert change.schedule_changed
    team = fresh_team(roster, "fr")
    assert (team.timezone, team.daily_contact_target, team.report_time) == (
        "Europe/London",
        40,
        "08:00",
    )
    assert (team.name, team.currency, team.leads_channel) == ("France", "EUR", "C0LEADSFR")


def test_update_team_refuses_bad_values_and_nothing_to_change(
    roster: Engine, session: Session
) -> None:
    with pytest.raises(InvalidInput) as refused:
        update_team(session, actor=TERMINAL, slug="fr", fields=TeamFields(timezone="Mars/Base"))
    assert refused.value.problem == RosterProblem.TIMEZONE_UNKNOWN
    with pytest.raises(InvalidInput) as empty:
        update_team(session, actor=TERMINAL, slug="fr", fields=TeamFields())
    assert empty.value.problem == RosterProblem.NOTHING_TO_CHANGE
    assert fresh_team(roster, "fr").timezone == "Europe/Paris"


def test_unknown_team_is_not_found_naming_the_teams(session: Session) -> None:
    with pytest.raises(NotFound) as refused:
        update_team(session, actor=TERMINAL, slug="uk", fields=TeamFields(daily_contact_target=1))
    assert refused.value.problem == RosterProblem.TEAM_NOT_FOUND
    assert refused.value.facts["slug"] == "uk" and refused.value.facts["known"] == ["fr"]


def test_get_team_on_an_empty_database_knows_no_team(empty_session: Session) -> None:
    with pytest.raises(NotFound) as refused:
        get_team(empty_session, slug="fr")
    assert refused.value.facts["known"] == []


def test_resolve_team_named_own_only_or_ask(roster: Engine, session: Session) -> None:
    agent = actor_of(roster, AGENT)
    org = actor_of(roster, SETTINGS_ADMIN)
    assert resolve_team(session, actor=agent, slug=None).slug == "fr"
    assert resolve_team(session, actor=org, slug=None).slug == "fr"  # the only team
    session.rollback()  # a new transaction sees the team added next
    with_uk(roster)
    assert resolve_team(session, actor=org, slug="uk").slug == "uk"
    with pytest.raises(InvalidInput) as refused:
        resolve_team(session, actor=TERMINAL, slug=None)
    assert refused.value.problem == RosterProblem.TEAM_NOT_CHOSEN
    assert refused.value.facts["known"] == ["fr", "uk"]


# --- who may change teams ---------------------------------------------------------------------


def test_only_organisation_admins_and_the_terminal_create_teams(
    roster: Engine, session: Session
) -> None:
    for user in (ADMIN, AGENT, "U0STRANGER"):
        with pytest.raises(NotAllowed):
            create_team(session, actor=actor_of(roster, user), slug="uk", fields=UK)
    create_team(session, actor=actor_of(roster, SETTINGS_ADMIN), slug="uk", fields=UK)
    assert [t.slug for t in list_teams(session)] == ["fr", "uk"]


def test_a_team_admin_changes_their_own_team_only(roster: Engine, session: Session) -> None:
    with_uk(roster)
    france_admin = actor_of(roster, ADMIN)
    update_team(session, actor=france_admin, slug="fr", fields=TeamFields(daily_contact_target=31))
    with pytest.raises(NotAllowed) as refused:
        update_team(session, actor=france_admin, slug="uk", fields=TeamFields(currency="EUR"))
    assert refused.value.problem == PolicyProblem.OTHER_TEAM
    assert fresh_team(roster, "uk").currency == "GBP"
    org = actor_of(roster, SETTINGS_ADMIN)
    update_team(session, actor=org, slug="uk", fields=TeamFields(daily_contact_target=20))
    assert fresh_team(roster, "uk").daily_contact_target == 20


def test_readable_teams_are_ones_own_or_all_for_organisation_admins(
    roster: Engine, session: Session
) -> None:
    with_uk(roster)
    assert [t.slug for t in readable_teams(session, actor=actor_of(roster, AGENT))] == ["fr"]
    assert [t.slug for t in readable_teams(session, actor=actor_of(roster, "U0UKAGENT"))] == ["uk"]
    org = actor_of(roster, SETTINGS_ADMIN)
    assert [t.slug for t in readable_teams(session, actor=org)] == ["fr", "uk"]
    with pytest.raises(NotAllowed) as stranger:
        readable_teams(session, actor=actor_of(roster, "U0STRANGER"))
    assert stranger.value.problem == PolicyProblem.NOT_ON_ROSTER
    set_active(session, actor=TERMINAL, slack_user_id=AGENT, active=False)
    with pytest.raises(NotAllowed) as gone:
        readable_teams(session, actor=actor_of(roster, AGENT))
    assert gone.value.problem == PolicyProblem.DEACTIVATED


# --- members ----------------------------------------------------------------------------------


def test_add_member_stores_roles(roster: Engine, session: Session) -> None:
    added = add_member(
        session,
        actor=actor_of(roster, ADMIN),
        slack_user_id="U0NEW1",
        name="  Ada Lovelace ",
        team_slug="fr",
        roles={Role.AGENT, Role.SALES_ENGINEER},
    )
    member = fresh_member(roster, "U0NEW1")
    assert added.person.name == member.name == "Ada Lovelace"
    assert roles_of(member) == added.roles == {Role.AGENT, Role.SALES_ENGINEER}
    assert member.active and added.team_slug == "fr"


def test_a_team_admin_adds_to_their_own_team_only(roster: Engine, session: Session) -> None:
    with_uk(roster)
    with pytest.raises(NotAllowed):
        add_member(
            session,
            actor=actor_of(roster, ADMIN),
            slack_user_id="U0NEW1",
            name="Ada",
            team_slug="uk",
            roles={Role.AGENT},
        )
    with pytest.raises(NotAllowed):
        add_member(
            session,
            actor=actor_of(roster, AGENT),
            slack_user_id="U0NEW1",
            name="Ada",
            team_slug="fr",
            roles={Role.AGENT},
        )
    assert count(session, Member) == 21


def test_duplicate_member_is_a_conflict_naming_them(roster: Engine, session: Session) -> None:
    with pytest.raises(Conflict) as refused:
        add_member(
            session,
            actor=TERMINAL,
            slack_user_id=AGENT,
            name="Someone Else",
            team_slug="fr",
            roles={Role.ADMIN},
        )
    assert refused.value.problem == RosterProblem.MEMBER_EXISTS
    assert refused.value.facts["person"].name == "Camille Martin"
    assert refused.value.facts["active"] is True
    member = fresh_member(roster, AGENT)
    assert member.name == "Camille Martin" and not member.is_admin


@pytest.mark.parametrize(
    ("user_id", "name", "roles", "problem"),
    [
        ("marie", "Marie", {Role.AGENT}, RosterProblem.USER_INVALID),
        ("C0CHANNEL", "Marie", {Role.AGENT}, RosterProblem.USER_INVALID),
        ("U0NEW1", "   ", {Role.AGENT}, RosterProblem.MEMBER_NAME_LENGTH),
        ("U0NEW1", "x" * 101, {Role.AGENT}, RosterProblem.MEMBER_NAME_LENGTH),
        ("U0NEW1", "Marie", set(), RosterProblem.ROLES_MISSING),
    ],
)
def test_add_member_refuses_bad_input(
    session: Session, user_id: str, name: str, roles: set[Role], problem: RosterProblem
) -> None:
    with pytest.raises(InvalidInput) as refused:
        add_member(
            session, actor=TERMINAL, slack_user_id=user_id, name=name, team_slug="fr", roles=roles
        )
    assert refused.value.problem == problem
    assert count(session, Member) == 19


def test_roles_are_replaced_or_added_and_removed(roster: Engine, session: Session) -> None:
    change = set_roles(
        session, actor=TERMINAL, slack_user_id=SALES_ENGINEER, add={Role.MANAGER, Role.AGENT}
    )
    assert change.before == {Role.SALES_ENGINEER}
    assert change.member.roles == {Role.SALES_ENGINEER, Role.MANAGER, Role.AGENT}
    set_roles(session, actor=TERMINAL, slack_user_id=SALES_ENGINEER, remove={Role.AGENT})
    assert roles_of(fresh_member(roster, SALES_ENGINEER)) == {Role.SALES_ENGINEER, Role.MANAGER}
    set_roles(session, actor=TERMINAL, slack_user_id=SALES_ENGINEER, roles={Role.AGENT})
    assert roles_of(fresh_member(roster, SALES_ENGINEER)) == {Role.AGENT}
    with pytest.raises(InvalidInput) as refused:
        set_roles(session, actor=TERMINAL, slack_user_id=SALES_ENGINEER, remove={Role.AGENT})
    assert refused.value.problem == RosterProblem.ROLES_MISSING
    assert refused.value.facts["person"].user_id == SALES_ENGINEER
    assert roles_of(fresh_member(roster, SALES_ENGINEER)) == {Role.AGENT}


def test_unknown_members_are_not_found(session: Session) -> None:
    for change in (
        lambda: set_roles(session, actor=TERMINAL, slack_user_id="U0NOBODY", add={Role.AGENT}),
        lambda: set_active(session, actor=TERMINAL, slack_user_id="U0NOBODY", active=False),
    ):
        with pytest.raises(NotFound) as refused:
            change()
        assert refused.value.problem == RosterProblem.MEMBER_NOT_FOUND
        assert refused.value.facts["user_id"] == "U0NOBODY"


def test_set_active_deactivates_reactivates_and_says_when_nothing_changed(
    roster: Engine, session: Session
) -> None:
    assert set_active(session, actor=TERMINAL, slack_user_id=AGENT, active=False).changed
    assert not fresh_member(roster, AGENT).active
    assert not set_active(session, actor=TERMINAL, slack_user_id=AGENT, active=False).changed
    assert set_active(session, actor=TERMINAL, slack_user_id=AGENT, active=True).member.active


# --- the last admin ---------------------------------------------------------------------------


def test_the_last_admin_cannot_deactivate_herself(roster: Engine, session: Session) -> None:
    magali = actor_of(roster, ADMIN, admins=frozenset())
    with pytest.raises(Conflict) as refused:
        set_active(session, actor=magali, slack_user_id=ADMIN, active=False)
    assert refused.value.problem == RosterProblem.LAST_ADMIN
    assert refused.value.facts["person"].user_id == ADMIN
    assert refused.value.facts["team_slug"] == "fr"
    assert fresh_member(roster, ADMIN).active


def test_the_last_admin_cannot_drop_her_admin_role(roster: Engine, session: Session) -> None:
    magali = actor_of(roster, ADMIN, admins=frozenset())
    for change in (
        {"remove": {Role.ADMIN}},
        {"roles": {Role.MANAGER}},
    ):
        with pytest.raises(Conflict) as refused:
            set_roles(session, actor=magali, slack_user_id=ADMIN, **change)  # type: ignore[arg-type]
        assert refused.value.problem == RosterProblem.LAST_ADMIN
    assert fresh_member(roster, ADMIN).is_admin
    # Another role may still change.
    set_roles(session, actor=magali, slack_user_id=ADMIN, remove={Role.MANAGER})
    assert roles_of(fresh_member(roster, ADMIN)) == {Role.ADMIN}


def test_another_admin_or_an_organisation_admin_lifts_the_lock(
    roster: Engine, session: Session
) -> None:
    magali = actor_of(roster, ADMIN, admins=frozenset())
    set_active(session, actor=magali, slack_user_id=ADMIN, active=False, org_admins=ORG)
    assert not fresh_member(roster, ADMIN).active
    set_active(session, actor=TERMINAL, slack_user_id=ADMIN, active=True)
    set_roles(session, actor=TERMINAL, slack_user_id=SALES_ENGINEER, add={Role.ADMIN})
    set_roles(session, actor=magali, slack_user_id=ADMIN, remove={Role.ADMIN})
    assert not fresh_member(roster, ADMIN).is_admin
    # The new admin is now the last one: deactivating her is refused, even by the terminal.
    with pytest.raises(Conflict):
        set_active(session, actor=TERMINAL, slack_user_id=SALES_ENGINEER, active=False)


def test_admins_of_other_teams_do_not_count(roster: Engine, session: Session) -> None:
    with_uk(roster)
    with pytest.raises(Conflict):
        set_active(session, actor=TERMINAL, slack_user_id="U0UKADMIN", active=False)
    with pytest.raises(Conflict):
        set_roles(session, actor=TERMINAL, slack_user_id=ADMIN, remove={Role.ADMIN})


def test_a_deactivated_admin_may_leave_or_lose_the_role(roster: Engine, session: Session) -> None:
    set_roles(session, actor=TERMINAL, slack_user_id=AGENT, add={Role.ADMIN})
    set_active(session, actor=TERMINAL, slack_user_id=AGENT, active=False)
    set_roles(session, actor=TERMINAL, slack_user_id=AGENT, remove={Role.ADMIN})
    assert not fresh_member(roster, AGENT).is_admin


# --- listing the roster -----------------------------------------------------------------------


def test_roster_of_ones_own_team_or_of_all_for_organisation_admins(
    roster: Engine, session: Session
) -> None:
    with_uk(roster)
    own = roster_of(session, actor=actor_of(roster, AGENT))
    assert own.team_slug == "fr" and len(own.members) == 19
    names = [m.person.name for m in own.members]
    assert names == sorted(names)
    everyone = roster_of(session, actor=actor_of(roster, SETTINGS_ADMIN))
    assert everyone.team_slug is None and len(everyone.members) == 21
    assert [m.team_slug for m in everyone.members[:19]] == ["fr"] * 19
    assert len(roster_of(session, actor=TERMINAL, team_slug="uk").members) == 2


def test_the_roster_of_another_team_is_for_its_people(roster: Engine, session: Session) -> None:
    with_uk(roster)
    for user in (AGENT, ADMIN):
        with pytest.raises(NotAllowed) as refused:
            roster_of(session, actor=actor_of(roster, user), team_slug="uk")
        assert refused.value.problem == PolicyProblem.OTHER_TEAM
    assert len(roster_of(session, actor=actor_of(roster, AGENT), team_slug="fr").members) == 19


@pytest.mark.parametrize("deactivated", [False, True])
def test_strangers_and_deactivated_members_read_no_roster(
    roster: Engine, session: Session, deactivated: bool
) -> None:
    user = "U0STRANGER"
    if deactivated:
        set_active(session, actor=TERMINAL, slack_user_id=AGENT, active=False)
        user = AGENT
    actor = actor_of(roster, user)
    for slug in (None, "fr"):
        with pytest.raises(NotAllowed):
            roster_of(session, actor=actor, team_slug=slug)


# --- one's own language -----------------------------------------------------------------------


def test_a_member_sets_her_own_language_and_goes_back_to_slack_s(
    roster: Engine, session: Session
) -> None:
    camille = actor_of(roster, AGENT)
    assert set_own_language(session, actor=camille, language="de").language == "de"
    assert fresh_member(roster, AGENT).language == "de"
    assert set_own_language(session, actor=camille, language=None).language is None
    with pytest.raises(InvalidInput) as refused:
        set_own_language(session, actor=camille, language="es")
    assert refused.value.problem == RosterProblem.LANGUAGE_UNKNOWN
    with pytest.raises(NotAllowed):
        set_own_language(session, actor=actor_of(roster, "U0STRANGER"), language="fr")
    with pytest.raises(NotAllowed):
        set_own_language(session, actor=actor_of(roster, SETTINGS_ADMIN), language="fr")


# --- who can help -----------------------------------------------------------------------------


def test_helpers_are_the_team_admins_then_the_organisation_admins(
    roster: Engine, session: Session
) -> None:
    france = get_team(session, slug="fr").id
    helpers = helpers_for(session, team_id=france, org_admins=ORG)
    assert [p.user_id for p in helpers] == [ADMIN, SETTINGS_ADMIN]
    set_roles(session, actor=TERMINAL, slack_user_id=AGENT, add={Role.ADMIN})
    set_active(session, actor=TERMINAL, slack_user_id=ADMIN, active=False)
    helpers = helpers_for(session, team_id=france, org_admins=frozenset())
    assert [p.user_id for p in helpers] == [AGENT]
