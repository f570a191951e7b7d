"""`/leadcell team …`, `member …`, `me …` and `help` through the real App, answers in English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.app import InlineExecutor, create_app
from bot.local.fake_slack import FakeSlack
from bot.runtime.settings import Settings
from bot.text import unescape
from models.db import session_scope
from models.roster import roles_of
from models.tables import Member, Team
from tests.conftest import (
    ADMIN,
    AGENT,
    SALES_ENGINEER,
    SETTINGS_ADMIN,
    Answer,
    Slack,
    make_settings,
)

NEWBIE = "<@U0NEW1|newbie>"
MARC = "<@U0DEMO04|marc>"
STRANGER = "U0STRANGER"


def team(engine: Engine, slug: str) -> Team | None:
    with session_scope(engine) as session:
        return session.exec(select(Team).where(Team.slug == slug)).first()


def member(engine: Engine, user_id: str) -> Member | None:
    with session_scope(engine) as session:
        return session.exec(select(Member).where(Member.slack_user_id == user_id)).first()


def leadcell(slack: Slack, text: str, user: str = ADMIN) -> Answer:
    answer = slack.command("/leadcell", text, user=user)
    assert answer.status == 200
    assert answer.body["response_type"] == "ephemeral"
    return answer


def refused(answer: Answer, *says: str) -> str:
    """A refusal: the warning, what it says, and an example to type."""
    assert ":warning:" in answer.text, answer.text
    for words in says:
        assert words in answer.text, (words, answer.text)
    assert "Example: `/leadcell " in answer.text, answer.text
    return answer.text


def accepted(answer: Answer, *says: str) -> str:
    assert ":warning:" not in answer.text, answer.text
    for words in says:
        assert words in answer.text, (words, answer.text)
    return answer.text


@pytest.fixture(params=[ADMIN, SETTINGS_ADMIN], ids=["team admin", "organisation admin"])
def admin(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def lonely(database_url: str, roster: Engine, fake_slack: FakeSlack) -> Iterator[Slack]:
    """The App with no organisation admin: Magali is the only admin there is."""
    settings: Settings = make_settings(database_url, fake_slack)
    settings = Settings(**{**vars(settings), "admins": frozenset()})
    yield Slack(create_app(settings, roster, listener_executor=InlineExecutor()), fake_slack)


def add_uk(slack: Slack) -> None:
    accepted(
        leadcell(
            slack,
            'team add uk "United Kingdom" tz=Europe/London currency=GBP digest=C0DIGESTUK',
            SETTINGS_ADMIN,
        )
    )
    accepted(leadcell(slack, "member add <@U0UK1|oliver> team=uk roles=admin", SETTINGS_ADMIN))


# --- teams ------------------------------------------------------------------------------------


def test_an_organisation_admin_adds_a_team(slack: Slack, roster: Engine) -> None:
    added = leadcell(
        slack,
        "team add de “Germany GmbH” tz=Europe/Berlin currency=eur language=deutsch "
        "leads=<#C0LEADSDE|leads-de> digest=C0DIGESTDE target=20 routing=rotation",
        SETTINGS_ADMIN,
    )
    accepted(
        added,
        "Created team `de`: *Germany GmbH*, Europe/Berlin, EUR, posting in Deutsch.",
    )
    assert "No digest" not in added.text
    created = team(roster, "de")
    assert created is not None
    assert (created.name, created.timezone, created.currency, created.language) == (
        "Germany GmbH",
        "Europe/Berlin",
        "EUR",
        "de",
    )
    assert (created.leads_channel, created.digest_channel, created.daily_contact_target) == (
        "C0LEADSDE",
        "C0DIGESTDE",
        20,
    )
    assert created.lead_routing == "round-robin"


def test_a_team_without_a_digest_channel_is_told_nothing_will_be_posted(slack: Slack) -> None:
    added = leadcell(slack, "team add de Germany tz=Europe/Berlin currency=EUR", SETTINGS_ADMIN)
    accepted(
        added,
        "No digest or report will be posted for `de` until it has a digest channel: "
        "`/leadcell team set de digest=#digest-de`",
    )
    changed = leadcell(slack, "team set de target=25", SETTINGS_ADMIN)
    accepted(changed, "Updated team `de`.", "No digest or report will be posted for `de`")
    listed = leadcell(slack, "team list", SETTINGS_ADMIN)
    accepted(listed, "2 teams", "No digest or report will be posted for `de`")
    set_channel = leadcell(slack, "team set de digest=<#C0DIGESTDE|digest-de>", SETTINGS_ADMIN)
    assert "No digest" not in set_channel.text


def test_a_team_s_language_is_set_and_only_fr_en_de_are_offered(
    slack: Slack, roster: Engine, admin: str
) -> None:
    refused(
        leadcell(slack, "team set fr language=es", admin),
        "`es` is not a language leadcell speaks: use `fr`, `en` or `de`.",
    )
    accepted(
        leadcell(slack, "team set fr language=fr", admin),
        "Its channel posts are in français from now on.",
    )
    fr = team(roster, "fr")
    assert fr is not None and fr.language == "fr"


def test_team_settings_and_schedule(slack: Slack, roster: Engine, admin: str) -> None:
    answer = leadcell(
        slack,
        "team set fr digest_time=17:30 digest-days=mon,tue,wed,thu skip_empty=oui "
        "report_time=8:00 name='France SAS'",
        admin,
    )
    accepted(
        answer,
        "Digest at 17:30 on Mon–Thu, skipped when nothing happened; monthly report at 08:00 "
        "on the 1st (Europe/Paris).",
    )
    fr = team(roster, "fr")
    assert fr is not None
    assert (fr.digest_time, fr.digest_days, fr.digest_skip_empty, fr.report_time, fr.name) == (
        "17:30",
        "mon,tue,wed,thu",
        True,
        "08:00",
        "France SAS",
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("team add de Germany tz=Berlin currency=EUR", "Did you mean `Europe/Berlin`?"),
        ("team add de Germany tz=Europe/Berlin currency=EURO", "`EURO` is not a currency"),
        ("team add de Germany tz=Europe/Berlin currency=EUR target=lots", "`lots` is not a whole"),
        ("team add de Germany tz=Europe/Berlin currency=EUR leads=leads-de", "is not a channel"),
        ("team add de tz=Europe/Berlin currency=EUR", "A new team needs a name."),
        ("team add de Germany", "A new team needs a time zone (tz=) and a currency"),
        ("team add DE Germany tz=Europe/Berlin currency=EUR", "`DE` is not a team's short name"),
        ("team add", "Say which team, by its short name such as fr."),
        ("team add de Germany tz=Europe/Berlin currency=EUR <!channel>", "@channel"),
    ],
)
def test_bad_team_words_are_explained_and_store_nothing(
    slack: Slack, roster: Engine, text: str, says: str
) -> None:
    refused(leadcell(slack, text, SETTINGS_ADMIN), says)
    assert team(roster, "de") is None


def test_existing_and_unknown_teams(slack: Slack, roster: Engine) -> None:
    refused(
        leadcell(slack, "team add fr Francia tz=Europe/Rome currency=EUR", SETTINGS_ADMIN),
        "Team `fr` exists already",
        "Example: `/leadcell team set fr target=30`",
    )
    fr = team(roster, "fr")
    assert fr is not None and fr.name == "France"
    refused(leadcell(slack, "team set uk target=10"), "There is no team `uk`. Teams: `fr`.")


def test_teams_are_created_by_organisation_admins_and_changed_by_their_own_admins(
    slack: Slack, roster: Engine
) -> None:
    refused(
        leadcell(slack, "team add de Germany tz=Europe/Berlin currency=EUR", ADMIN),
        "Creating teams is for organisation admins. Ask <@U0DEMO19> or <@U0SETADMIN>.",
    )
    add_uk(slack)
    text = refused(
        leadcell(slack, "team set uk currency=EUR", ADMIN), "Changing team settings of another"
    )
    assert "`/leadcell help`" in text
    uk = team(roster, "uk")
    assert uk is not None and uk.currency == "GBP"
    accepted(leadcell(slack, "team set uk target=12", "U0UK1"), "Updated team `uk`.")


def test_teams_are_listed_for_their_own_people(slack: Slack) -> None:
    add_uk(slack)
    own = accepted(leadcell(slack, "team list", AGENT), "1 team")
    assert "France" in own and "United Kingdom" not in own
    every = accepted(leadcell(slack, "team", SETTINGS_ADMIN), "2 teams")
    assert "France" in every and "United Kingdom" in every
    refused(
        leadcell(slack, "team list", STRANGER),
        "You are not on the leadcell roster",
        "Ask <@U0DEMO19>, <@U0UK1> or <@U0SETADMIN>.",  # every admin can add someone
    )


# --- members ----------------------------------------------------------------------------------


def test_member_add_roles_deactivate_activate_and_list(
    slack: Slack, roster: Engine, admin: str
) -> None:
    accepted(
        leadcell(slack, f"member add {NEWBIE} team=fr roles=agent,se", admin),
        "Added <@U0NEW1> to `fr` as agent and sales engineer.",
    )
    new = member(roster, "U0NEW1")
    assert new is not None and new.name == "newbie"
    accepted(
        leadcell(slack, f"member roles {NEWBIE} +manager -se", admin),
        "<@U0NEW1> is now agent and manager (was agent and sales engineer).",
    )
    accepted(
        leadcell(slack, f"member roles {NEWBIE} admin", admin),
        "<@U0NEW1> is now admin (was agent and manager).",
    )
    accepted(
        leadcell(slack, f"member deactivate {NEWBIE}", admin),
        "<@U0NEW1> is deactivated: they can no longer use leadcell; their calls and leads stay.",
    )
    new = member(roster, "U0NEW1")
    assert new is not None and not new.active and new.is_admin
    accepted(leadcell(slack, f"member activate {NEWBIE}", admin), "<@U0NEW1> is active again.")
    listed = accepted(leadcell(slack, "member list", admin), "20 members")
    assert "U0NEW1" in listed and "Camille Martin" in listed


def test_adding_roles_keeps_the_others(slack: Slack, roster: Engine) -> None:
    accepted(
        leadcell(slack, f"member roles {MARC} +manager"),
        "<@U0DEMO04> is now sales engineer and manager (was sales engineer).",
    )
    marc = member(roster, "U0DEMO04")
    assert marc is not None and roles_of(marc) == {"sales-engineer", "manager"}


def test_a_member_add_without_team_goes_to_the_requester_s_team(slack: Slack) -> None:
    accepted(
        leadcell(slack, 'member add <@U0NEW2|ada> roles=agent name="Ada Lovelace"'),
        "Added <@U0NEW2> to `fr` as agent.",
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (f"member add {NEWBIE} team=uk roles=agent", "There is no team `uk`. Teams: `fr`."),
        (f"member add {NEWBIE} team=fr roles=boss", "`boss` is not a role. Roles:"),
        (f"member add {NEWBIE} team=fr roles=agnet", "Did you mean `agent`?"),
        (f"member add {NEWBIE} team=fr", "Give the roles: agent, sales-engineer"),
        ("member add marie team=fr roles=agent", "`marie` is not a Slack user: mention them"),
        ("member add", "Say who: mention them with @"),
        (f"member add <@{AGENT}|camille> team=fr roles=agent", "is on the roster of `fr` already"),
        ("member roles <@U0NOBODY|nobody> agent", "<@U0NOBODY> is not on the roster."),
        (f"member roles {MARC} agent -manager", "but not both at once"),
        (f"member roles {MARC} -se", "<@U0DEMO04> would have no role left"),
        (f"member roles {MARC}", "Give the roles"),
    ],
)
def test_member_mistakes_are_explained(slack: Slack, roster: Engine, text: str, says: str) -> None:
    refused(leadcell(slack, text), says)
    assert member(roster, "U0NEW1") is None
    marc = member(roster, "U0DEMO04")
    assert marc is not None and roles_of(marc) == {"sales-engineer"}


def test_a_duplicate_member_is_offered_roles_not_a_second_entry(slack: Slack) -> None:
    text = refused(
        leadcell(slack, f"member add <@{AGENT}|camille> team=fr roles=manager"),
        "<@U0DEMO01> is on the roster of `fr` already: add or remove roles instead.",
    )
    assert "Example: `/leadcell member roles @camille +manager`" in text


CHANGES = (
    "team add de Germany tz=Europe/Berlin currency=EUR",
    "team set fr target=1",
    f"member add {NEWBIE} team=fr roles=agent",
    f"member roles <@{AGENT}|camille> +admin",
    f"member deactivate <@{ADMIN}|magali>",
)


@pytest.mark.parametrize("user", [AGENT, SALES_ENGINEER, STRANGER])
def test_non_admins_are_told_whom_to_ask_not_to_run_admin_commands(
    slack: Slack, roster: Engine, user: str
) -> None:
    for text in CHANGES:
        answer = refused(leadcell(slack, text, user), "<@U0DEMO19>", "<@U0SETADMIN>")
        assert "member roles" not in answer and "member add" not in answer
        assert "Example: `/leadcell help`" in answer
    assert team(roster, "de") is None
    fr = team(roster, "fr")
    assert fr is not None and fr.daily_contact_target == 30
    assert member(roster, "U0NEW1") is None
    camille, magali = member(roster, AGENT), member(roster, ADMIN)
    assert camille is not None and not camille.is_admin
    assert magali is not None and magali.active


def test_the_roster_is_read_by_the_team_s_active_members(slack: Slack) -> None:
    add_uk(slack)
    accepted(leadcell(slack, "member list", AGENT), "19 members in fr")
    accepted(leadcell(slack, "member list fr", SALES_ENGINEER), "19 members in fr")
    refused(
        leadcell(slack, "member list uk", AGENT),
        "Reading the roster of another team is for that team's people.",
    )
    accepted(leadcell(slack, "member list uk", SETTINGS_ADMIN), "1 member in uk")
    refused(leadcell(slack, "member list", STRANGER), "You are not on the leadcell roster")
    leadcell(slack, f"member deactivate <@{AGENT}|camille>")
    refused(leadcell(slack, "member list", AGENT), "Your leadcell roster entry is deactivated.")
    refused(leadcell(slack, "team list", AGENT), "Your leadcell roster entry is deactivated.")


def test_the_last_admin_cannot_lock_everyone_out(lonely: Slack, roster: Engine) -> None:
    for text in (
        f"member deactivate <@{ADMIN}|magali>",
        f"member roles <@{ADMIN}|magali> -admin",
        f"member roles <@{ADMIN}|magali> manager",
    ):
        refused(
            leadcell(lonely, text, ADMIN),
            "<@U0DEMO19> is the last admin of `fr`: without an admin, nobody could change "
            "its roster or settings. Make someone else an admin first.",
            "Example: `/leadcell member roles @marc +admin`",
        )
    magali = member(roster, ADMIN)
    assert magali is not None and magali.active and magali.is_admin
    accepted(leadcell(lonely, f"member roles {MARC} +admin", ADMIN))
    accepted(leadcell(lonely, f"member roles <@{ADMIN}|magali> -admin", ADMIN))
    accepted(leadcell(lonely, "team set fr target=31", "U0DEMO04"), "Updated team `fr`.")


def test_a_deactivated_admin_loses_the_right(slack: Slack, roster: Engine) -> None:
    leadcell(slack, f"member deactivate <@{ADMIN}|magali>", SETTINGS_ADMIN)
    refused(leadcell(slack, "team set fr target=1", ADMIN), "roster entry is deactivated")
    fr = team(roster, "fr")
    assert fr is not None and fr.daily_contact_target == 30


# --- one's own settings -----------------------------------------------------------------------


def test_a_member_chooses_her_language_and_goes_back_to_slack_s(
    slack: Slack, roster: Engine
) -> None:
    accepted(
        leadcell(slack, "me language=deutsch", AGENT),
        "Your answers and messages are in Deutsch from now on.",
    )
    camille = member(roster, AGENT)
    assert camille is not None and camille.language == "de"
    accepted(
        leadcell(slack, "me language=auto", AGENT),
        "Your answers and messages follow your Slack language",
    )
    camille = member(roster, AGENT)
    assert camille is not None and camille.language is None
    refused(
        leadcell(slack, "me language=es", AGENT),
        "`es` is not a language leadcell speaks: use `fr`, `en` or `de`, or auto",
        "Example: `/leadcell me language=de`",
    )
    refused(leadcell(slack, "me language=fr", STRANGER), "not on the leadcell roster")


# --- words, help ------------------------------------------------------------------------------


UNKNOWN_WORDS = (
    ("frobnicate now", "`frobnicate` is not a leadcell command. Commands:"),
    ("membr list", "Did you mean `member`?"),
    ("team frobnicate fr", "`frobnicate` is not a `team` command. Use"),
    (f"member promote {NEWBIE}", "`promote` is not a `member` command"),
    ("member activat x", "Did you mean `activate`?"),
    ("team list everything", "I don't know what to do with `everything`"),
    ("member list fr extra", "I don't know what to do with `extra`"),
    ("team set fr target=5 colour=blue", "I don't know what to do with `colour=blue`"),
    ("team set fr target=5 target=6", "`target=` is given twice"),
    (f"member deactivate <@{AGENT}|camille> now", "I don't know what to do with `now`"),
    ('team add de "Germany tz=Europe/Berlin', "A quote is not closed"),
    ("team set fr name=Bad\x00Name", "invisible control character"),
)


@pytest.mark.parametrize(("text", "says"), UNKNOWN_WORDS)
def test_words_that_make_no_command_are_explained_with_an_example(
    slack: Slack, roster: Engine, text: str, says: str
) -> None:
    refused(leadcell(slack, text), says)
    fr = team(roster, "fr")
    assert fr is not None and fr.daily_contact_target == 30 and fr.name == "France"
    assert team(roster, "de") is None
    camille = member(roster, AGENT)
    assert camille is not None and camille.active


def test_a_typed_dash_and_typographic_quotes_are_read(slack: Slack, roster: Engine) -> None:
    accepted(leadcell(slack, "team set fr name=‘France SA’ target=28"), "Updated team `fr`.")
    fr = team(roster, "fr")
    assert fr is not None and (fr.name, fr.daily_contact_target) == ("France SA", 28)


def test_help_lists_every_command_with_who_may_run_it(slack: Slack) -> None:
    for text in ("help", "", "?", "aide"):
        shown = unescape(accepted(leadcell(slack, text, AGENT)))  # as Slack shows it
        for words in (
            "`/leadcell team add <slug> <name> tz=<zone> currency=<code>",
            "For organisation admins.",
            "`/leadcell member roles @user +<role> -<role>`: add or remove roles, keeping the "
            "others. For admins.",
            "`/leadcell cost list [<YYYY-MM>] [team=<slug>]`: what each lead source cost, month "
            "by month. For managers and admins.",
            "`/leadcell report today [team=<slug>]`",
            "For everyone on the roster.",
            "`/leadcell me language=fr|en|de|auto`",
            'Example: `/leadcell event add seminar "Paris Summit" 2026-10-14 cost=12000 '
            "attendees=180`",
        ):
            assert words in shown, (text, words)
        assert "costs import" not in shown  # a terminal command


def test_a_topic_s_help_lists_its_commands(slack: Slack) -> None:
    shown = accepted(leadcell(slack, "member help", AGENT), "/leadcell member add")
    assert "/leadcell team" not in shown and "/leadcell cost" not in shown
    shown = accepted(leadcell(slack, "cost aide", AGENT), "/leadcell cost split")
    assert "/leadcell member" not in shown
