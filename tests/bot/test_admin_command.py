"""`/leadcell`: admins keep teams and the roster; the CLI runs the same words without a user."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.commands.admin import execute
from models.db import session_scope
from models.errors import InvalidInput, NotAllowed, NotFound
from models.roster import Role, roles_of
from models.tables import Member, Team
from tests.conftest import ADMIN, AGENT, SALES_ENGINEER, SETTINGS_ADMIN, Answer, Slack

ADMINS = frozenset({SETTINGS_ADMIN})
NEWBIE = "<@U0NEW1|newbie>"


def team(engine: Engine, slug: str) -> Team | None:
    with session_scope(engine) as session:
        return session.exec(select(Team).where(Team.slug == slug)).first()


def member(engine: Engine, user_id: str) -> Member | None:
    with session_scope(engine) as session:
        return session.exec(select(Member).where(Member.slack_user_id == user_id)).first()


def leadcell(slack: Slack, text: str, user: str) -> Answer:
    answer = slack.command("/leadcell", text, user=user)
    assert answer.status == 200
    assert answer.body["response_type"] == "ephemeral"
    return answer


def assert_refused_with_example(answer: Answer) -> None:
    assert ":warning:" in answer.text
    assert "Example" in answer.text


@pytest.fixture(params=[ADMIN, SETTINGS_ADMIN], ids=["admin member", "settings admin"])
def admin(request: pytest.FixtureRequest) -> str:
    return request.param


# --- teams ------------------------------------------------------------------------------------


def test_team_add_set_and_list(slack: Slack, roster: Engine, admin: str) -> None:
    added = leadcell(
        slack,
        'team add de "Germany GmbH" tz=Europe/Berlin currency=eur '
        "leads=<#C0LEADSDE|leads-de> digest=C0DIGESTDE target=20",
        admin,
    )
    assert "Created team `de`: Germany GmbH, Europe/Berlin, EUR." in added.text
    created = team(roster, "de")
    assert created is not None
    assert (created.name, created.timezone, created.currency) == (
        "Germany GmbH",
        "Europe/Berlin",
        "EUR",
    )
    assert (created.leads_channel, created.digest_channel, created.daily_contact_target) == (
        "C0LEADSDE",
        "C0DIGESTDE",
        20,
    )

    updated = leadcell(slack, 'team set de target=25 name="Deutschland"', admin)
    assert "Updated team `de`" in updated.text
    changed = team(roster, "de")
    assert changed is not None
    assert (changed.name, changed.daily_contact_target, changed.timezone) == (
        "Deutschland",
        25,
        "Europe/Berlin",
    )

    listed = leadcell(slack, "team list", admin)
    assert "2 team(s)" in listed.text
    lines = listed.body["text"].splitlines()
    de_line = next(line for line in lines if line.startswith("de "))
    fr_line = next(line for line in lines if line.startswith("fr "))
    assert lines.index(de_line) < lines.index(fr_line)
    assert "Deutschland" in de_line and "25" in de_line
    assert "France" in fr_line and "Europe/Paris" in fr_line


def test_team_add_with_bad_values_is_explained_and_stores_nothing(
    slack: Slack, roster: Engine
) -> None:
    for text in (
        "team add de Germany tz=Berlin currency=EUR",
        "team add de Germany tz=Europe/Berlin currency=EURO",
        "team add de Germany tz=Europe/Berlin currency=EUR target=lots",
        "team add de Germany tz=Europe/Berlin currency=EUR leads=leads-de",
        "team add de tz=Europe/Berlin currency=EUR",
        "team add DE Germany tz=Europe/Berlin currency=EUR",
        "team add",
    ):
        assert_refused_with_example(leadcell(slack, text, ADMIN))
    with session_scope(roster) as session:
        assert [t.slug for t in session.exec(select(Team))] == ["fr"]


def test_team_add_of_an_existing_team_is_a_conflict(slack: Slack, roster: Engine) -> None:
    answer = leadcell(slack, "team add fr Francia tz=Europe/Rome currency=EUR", ADMIN)
    assert "exists already" in answer.text
    kept = team(roster, "fr")
    assert kept is not None and kept.name == "France"


def test_team_set_of_an_unknown_team_names_the_teams(slack: Slack) -> None:
    answer = leadcell(slack, "team set uk target=10", ADMIN)
    assert "`uk`" in answer.text
    assert "teams: fr" in answer.text


# --- members ----------------------------------------------------------------------------------


def test_member_add_roles_deactivate_activate_and_list(
    slack: Slack, roster: Engine, admin: str
) -> None:
    added = leadcell(slack, f"member add {NEWBIE} team=fr roles=agent,se", admin)
    assert "Added <@U0NEW1> to `fr` as agent, sales-engineer." in added.text
    new = member(roster, "U0NEW1")
    assert new is not None
    assert new.name == "newbie"
    assert roles_of(new) == {Role.AGENT, Role.SALES_ENGINEER}

    changed = leadcell(slack, f"member roles {NEWBIE} manager,admin", admin)
    assert "<@U0NEW1> is now admin, manager." in changed.text
    new = member(roster, "U0NEW1")
    assert new is not None and roles_of(new) == {Role.MANAGER, Role.ADMIN}

    assert "is deactivated" in leadcell(slack, f"member deactivate {NEWBIE}", admin).text
    new = member(roster, "U0NEW1")
    assert new is not None and not new.active
    assert "is activated" in leadcell(slack, f"member activate {NEWBIE}", admin).text
    new = member(roster, "U0NEW1")
    assert new is not None and new.active

    listed = leadcell(slack, "member list", admin)
    assert "20 member(s)" in listed.text
    assert "U0NEW1" in listed.text and "newbie" in listed.text
    assert "Camille Martin" in listed.text


def test_member_add_with_a_full_name(slack: Slack, roster: Engine) -> None:
    leadcell(slack, 'member add <@U0NEW2|ada> team=fr roles=agent name="Ada Lovelace"', ADMIN)
    new = member(roster, "U0NEW2")
    assert new is not None and new.name == "Ada Lovelace"


def test_member_list_of_one_team(slack: Slack) -> None:
    leadcell(slack, "team add de Germany tz=Europe/Berlin currency=EUR", ADMIN)
    leadcell(slack, "member add <@U0DE1|hans> team=de roles=agent", ADMIN)

    german = leadcell(slack, "member list de", ADMIN)
    assert "1 member(s)" in german.text
    assert "hans" in german.text and "Camille Martin" not in german.text
    assert "1 member(s)" in leadcell(slack, "member list team=de", ADMIN).text
    assert "19 member(s)" in leadcell(slack, "member list fr", ADMIN).text
    assert "teams: de, fr" in leadcell(slack, "member list uk", ADMIN).text


def test_member_add_mistakes_are_explained(slack: Slack, roster: Engine) -> None:
    for text, complaint in (
        (f"member add {NEWBIE} team=uk roles=agent", "teams: fr"),
        (f"member add {NEWBIE} team=fr roles=boss", "`boss` is not a role"),
        (f"member add {NEWBIE} roles=agent", "needs a team and roles"),
        (f"member add {NEWBIE} team=fr", "needs a team and roles"),
        ("member add marie team=fr roles=agent", "is not a Slack user"),
        ("member add", "is missing"),
        (f"member add <@{AGENT}|camille> team=fr roles=agent", "on the roster already"),
        ("member roles <@U0NOBODY|nobody> agent", "is not on the roster"),
    ):
        answer = leadcell(slack, text, ADMIN)
        assert complaint in answer.text, (text, answer.text)
        assert_refused_with_example(answer)
    assert member(roster, "U0NEW1") is None


# --- who may do what --------------------------------------------------------------------------


CHANGES = (
    "team add de Germany tz=Europe/Berlin currency=EUR",
    "team set fr target=1",
    f"member add {NEWBIE} team=fr roles=agent",
    f"member roles <@{AGENT}|camille> admin",
    f"member deactivate <@{ADMIN}|magali>",
    f"member activate <@{ADMIN}|magali>",
)


@pytest.mark.parametrize("user", [AGENT, SALES_ENGINEER, "U0STRANGER"])
def test_non_admins_cannot_change_anything(slack: Slack, roster: Engine, user: str) -> None:
    for text in CHANGES:
        answer = leadcell(slack, text, user)
        assert "Only admins" in answer.text, text
        assert f"<@{ADMIN}>" in answer.text and f"<@{SETTINGS_ADMIN}>" in answer.text
    assert team(roster, "de") is None
    fr = team(roster, "fr")
    assert fr is not None and fr.daily_contact_target == 30
    assert member(roster, "U0NEW1") is None
    camille, magali = member(roster, AGENT), member(roster, ADMIN)
    assert camille is not None and not camille.is_admin
    assert magali is not None and magali.active


def test_a_non_admin_may_list(slack: Slack) -> None:
    assert "1 team(s)" in leadcell(slack, "team list", AGENT).text
    assert "19 member(s)" in leadcell(slack, "member list", AGENT).text
    assert "Only admins" not in leadcell(slack, "member list fr", SALES_ENGINEER).text


def test_a_deactivated_admin_member_loses_the_right(slack: Slack, roster: Engine) -> None:
    leadcell(slack, f"member deactivate <@{ADMIN}|magali>", SETTINGS_ADMIN)
    answer = leadcell(slack, "team set fr target=1", ADMIN)
    assert "Only admins" in answer.text
    fr = team(roster, "fr")
    assert fr is not None and fr.daily_contact_target == 30


# --- mistakes and help ------------------------------------------------------------------------


UNKNOWN_WORDS = (
    ("frobnicate now", "`frobnicate` is not a leadcell command"),
    ("team frobnicate fr", "`frobnicate` is not a team command"),
    (f"member promote {NEWBIE}", "`promote` is not a member command"),
    ("team list everything", "I don't know what to do with `everything`"),
    ("member list fr extra", "I don't know what to do with `extra`"),
    ("team set fr target=5 colour=blue", "I don't know what to do with `colour=blue`"),
    (f"member deactivate <@{AGENT}|camille> now", "I don't know what to do with `now`"),
    ('team add de "Germany tz=Europe/Berlin', "A quote is not closed"),
)


def test_unknown_words_are_explained_with_an_example(slack: Slack, roster: Engine) -> None:
    for text, complaint in UNKNOWN_WORDS:
        answer = leadcell(slack, text, ADMIN)
        assert complaint in answer.text, (text, answer.text)
        assert_refused_with_example(answer)
    fr = team(roster, "fr")
    assert fr is not None and fr.daily_contact_target == 30
    assert team(roster, "de") is None
    camille = member(roster, AGENT)
    assert camille is not None and camille.active


def test_help_lists_the_commands(slack: Slack) -> None:
    for text in ("help", "", "?"):
        answer = leadcell(slack, text, AGENT)
        for command in (
            "/leadcell team add",
            "/leadcell team set",
            "/leadcell team list",
            "/leadcell member add",
            "/leadcell member roles",
            "/leadcell member deactivate",
            "/leadcell member list",
        ):
            assert command in answer.text, (text, command)
        assert ":warning:" not in answer.text


# --- the CLI: execute() without a Slack user --------------------------------------------------


def test_execute_without_an_actor_needs_no_admin(roster: Engine) -> None:
    with session_scope(roster) as session:
        reply = execute(
            session,
            "team add uk Britain tz=Europe/London currency=GBP",
            actor=None,
            admins=frozenset(),
        )
    assert "Created team `uk`" in reply.plain()
    with session_scope(roster) as session:
        reply = execute(
            session,
            'member add U0UK1 team=uk roles=agent name="Oliver Smith"',
            actor=None,
            admins=frozenset(),
        )
    assert "Added <@U0UK1> to `uk` as agent." in reply.plain()
    with session_scope(roster) as session:
        listed = execute(session, "member list uk", actor=None, admins=frozenset())
    assert "Oliver Smith" in listed.plain()
    assert listed.table is not None and "U0UK1" in listed.table
    added = member(roster, "U0UK1")
    assert added is not None and roles_of(added) == {Role.AGENT}


def test_execute_with_an_actor_checks_the_admins(roster: Engine) -> None:
    with session_scope(roster) as session, pytest.raises(NotAllowed):
        execute(session, "team set fr target=1", actor=AGENT, admins=ADMINS)
    with session_scope(roster) as session:
        execute(session, "team set fr target=12", actor=SETTINGS_ADMIN, admins=ADMINS)
    fr = team(roster, "fr")
    assert fr is not None and fr.daily_contact_target == 12


def test_execute_raises_typed_errors(roster: Engine) -> None:
    with session_scope(roster) as session, pytest.raises(InvalidInput) as bad:
        execute(session, "team add uk", actor=None, admins=frozenset())
    assert bad.value.example
    with session_scope(roster) as session, pytest.raises(NotFound):
        execute(session, "member deactivate U0NOBODY", actor=None, admins=frozenset())


def test_execute_on_an_empty_database_guides_the_first_steps(engine: Engine) -> None:
    with session_scope(engine) as session:
        teams = execute(session, "team list", actor=None, admins=frozenset())
        members = execute(session, "member list", actor=None, admins=frozenset())
    assert "No team yet" in teams.plain() and "/leadcell team add" in teams.plain()
    assert "Nobody on the roster yet" in members.plain()
