"""The words of `/leadcell`: topics, verbs and options with their aliases, roles, languages,
sources, event kinds, and costs files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.grammar.admin_words import (
    RoleEdit,
    parse_channel,
    parse_event_kind,
    parse_language,
    parse_member,
    parse_name,
    parse_role_edit,
    parse_roles,
    parse_routing,
    parse_source,
)
from bot.grammar.command_line import CommandProblem, Missing, Topic, Verb, read_command
from bot.grammar.cost_file import read_cost_file
from bot.grammar.problems import GrammarProblem
from models.actors import Role
from models.costs import CostProblem
from models.errors import DomainError, InvalidInput, NotFound
from models.events import EventProblem
from models.leads import Source
from models.roster import RosterProblem, TeamSettings


def problem_of(call: object) -> object:
    with pytest.raises(DomainError) as refused:
        call()  # type: ignore[operator]
    return refused.value.problem


# --- commands ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "topic", "verb"),
    [
        ("", Topic.HELP, Verb.HELP),
        ("aide", Topic.HELP, Verb.HELP),
        ("team", Topic.TEAM, Verb.LIST),
        ("Équipe liste", Topic.TEAM, Verb.LIST),
        ("teams add uk", Topic.TEAM, Verb.ADD),
        ("mitglied hinzufügen @x", Topic.MEMBER, Verb.ADD),
        ("membre désactiver @x", Topic.MEMBER, Verb.DEACTIVATE),
        ("costs split 2026-10", Topic.COST, Verb.SPLIT),
        ("coût", Topic.COST, Verb.LIST),
        ("événement set x", Topic.EVENT, Verb.SET),
        ("rapport mois", Topic.REPORT, Verb.MONTH),
        ("report", Topic.REPORT, Verb.TODAY),
        ("me language=de", Topic.ME, Verb.SET),
        ("member help", Topic.MEMBER, Verb.HELP),
    ],
)
def test_topics_and_verbs_in_any_language(text: str, topic: Topic, verb: Verb) -> None:
    command = read_command(text)
    assert (command.topic, command.verb) == (topic, verb)


def test_words_and_options_are_read_once() -> None:
    command = read_command(
        "team add uk “United Kingdom” TZ=Europe/London devise=GBP digest_time=9:00"
    )
    words = command.words
    assert words.next(Missing.TEAM_SLUG) == "uk"
    assert words.option("timezone") == "Europe/London"
    assert words.option("currency") == "GBP"
    assert words.option("digest_time") == "9:00"
    assert words.rest() == ["United Kingdom"]
    words.done()


def test_an_amount_option_runs_over_its_groups() -> None:
    words = read_command('event add seminar "X" 2026-10-14 cost=12 000 € attendees=180').words
    assert words.option("cost") == "12 000 €"
    assert words.option("attendees") == "180"
    assert words.rest() == ["seminar", "X", "2026-10-14"]


def test_a_dash_as_macos_types_it_is_a_separator() -> None:
    words = read_command("member roles <@U1|a> —agent").words
    assert words.rest() == ["<@U1|a>", "--", "agent"]


@pytest.mark.parametrize(
    ("text", "problem", "facts"),
    [
        ("frob", CommandProblem.UNKNOWN_TOPIC, {"word": "frob", "suggestion": None}),
        ("membr list", CommandProblem.UNKNOWN_TOPIC, {"suggestion": "member"}),
        ("team remove uk", CommandProblem.UNKNOWN_VERB, {"topic": Topic.TEAM, "word": "remove"}),
        ("member activat x", CommandProblem.UNKNOWN_VERB, {"suggestion": Verb.ACTIVATE}),
        ("cost import x.csv", CommandProblem.UNKNOWN_VERB, {"word": "import"}),
        ('team add "uk', GrammarProblem.QUOTE_UNCLOSED, {}),
    ],
)
def test_words_that_make_no_command(text: str, problem: object, facts: dict[str, object]) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_command(text)
    assert refused.value.problem == problem
    assert facts.items() <= refused.value.facts.items()


def test_missing_leftover_and_repeated_words() -> None:
    words = read_command("team set").words
    assert problem_of(lambda: words.next(Missing.TEAM_SLUG)) == CommandProblem.MISSING
    words = read_command("team list fr").words
    with pytest.raises(InvalidInput) as left:
        words.done()
    assert left.value.facts["words"] == ["fr"]
    words = read_command("team set fr team=a equipe=b").words
    assert problem_of(lambda: words.option("team")) == CommandProblem.OPTION_TWICE


# --- roles, languages, sources, kinds ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("agent", {Role.AGENT}),
        ("se", {Role.SALES_ENGINEER}),
        ("Ingénieur-Commercial", {Role.SALES_ENGINEER}),
        ("agent, se ,", {Role.AGENT, Role.SALES_ENGINEER}),
        ("admin manager agent sales-engineer", set(Role) - {Role.PROVIDER}),
        ("Prestataire, agent", {Role.PROVIDER, Role.AGENT}),
    ],
)
def test_roles(text: str, roles: set[Role]) -> None:
    assert parse_roles(text) == roles


@pytest.mark.parametrize(
    ("words", "edit"),
    [
        (["agent,manager"], RoleEdit(replace=frozenset({Role.AGENT, Role.MANAGER}))),
        (
            ["+agent", "-manager"],
            RoleEdit(add=frozenset({Role.AGENT}), remove=frozenset({Role.MANAGER})),
        ),
        (
            ["+agent,–se"],
            RoleEdit(add=frozenset({Role.AGENT}), remove=frozenset({Role.SALES_ENGINEER})),
        ),
        (["−admin"], RoleEdit(remove=frozenset({Role.ADMIN}))),
    ],
)
def test_role_changes(words: list[str], edit: RoleEdit) -> None:
    assert parse_role_edit(words) == edit


def test_role_mistakes() -> None:
    with pytest.raises(InvalidInput) as unknown:
        parse_roles("agnet")
    assert unknown.value.problem == RosterProblem.ROLE_UNKNOWN
    assert unknown.value.facts["suggestion"] == Role.AGENT
    assert problem_of(lambda: parse_roles(" , ")) == RosterProblem.ROLES_MISSING
    assert problem_of(lambda: parse_role_edit(["agent", "-se"])) == RosterProblem.ROLES_MIXED


def test_languages_sources_kinds_routing() -> None:
    assert [parse_language(w) for w in ("fr", "Français", "english", "DE", "deutsch", "fr-CA")] == [
        "fr",
        "fr",
        "en",
        "de",
        "de",
        "fr",
    ]
    assert parse_language("auto", auto=True) is None
    assert problem_of(lambda: parse_language("auto")) == RosterProblem.LANGUAGE_UNKNOWN
    assert problem_of(lambda: parse_language("es", auto=True)) == RosterProblem.LANGUAGE_UNKNOWN
    assert [parse_source(w) for w in ("tm", "Séminaire", "salon", "Messe", "autres")] == [
        Source.TELEMARKETING,
        Source.SEMINAR,
        Source.TRADE_SHOW,
        Source.TRADE_SHOW,
        Source.OTHER,
    ]
    with pytest.raises(InvalidInput) as radio:
        parse_source("seminr")
    assert (radio.value.problem, radio.value.facts["suggestion"]) == (
        CostProblem.SOURCE_UNKNOWN,
        Source.SEMINAR,
    )
    assert [parse_event_kind(w) for w in ("seminar", "tradeshow", "Salon")] == [
        "seminar",
        "trade-show",
        "trade-show",
    ]
    assert problem_of(lambda: parse_event_kind("other")) == EventProblem.KIND_UNKNOWN
    assert [parse_routing(w) for w in ("pool", "Round_Robin", "rotation")] == [
        "pool",
        "round-robin",
        "round-robin",
    ]


def test_channels_members_names() -> None:
    assert parse_channel("<#C0LEADS|leads>", field="leads") == "C0LEADS"
    assert parse_channel("C0LEADS", field="leads") == "C0LEADS"
    with pytest.raises(InvalidInput) as dm:
        parse_channel("D0DIRECT", field="digest")
    assert dm.value.facts == {"key": "digest", "given": "D0DIRECT"}
    assert parse_member("<@U0NEW1|ada>") == ("U0NEW1", "ada")
    assert parse_member("U0NEW1") == ("U0NEW1", "U0NEW1")
    assert problem_of(lambda: parse_member("ada")) == RosterProblem.USER_INVALID
    assert parse_name(" R&amp;D Lab ", field="name") == "R&D Lab"
    assert (
        problem_of(lambda: parse_name("A\x00B", field="name")) == GrammarProblem.CONTROL_CHARACTER
    )
    assert problem_of(lambda: parse_name("<!here> x", field="name")) == (
        GrammarProblem.BROADCAST_MENTION
    )


# --- costs files ------------------------------------------------------------------------------

FR = TeamSettings(
    1,
    "fr",
    "France",
    "Europe/Paris",
    "EUR",
    "fr",
    None,
    None,
    30,
    "pool",
    "18:00",
    (0,),
    False,
    "09:00",
)
UK = TeamSettings(
    2,
    "uk",
    "UK",
    "Europe/London",
    "GBP",
    "en",
    None,
    None,
    30,
    "pool",
    "18:00",
    (0,),
    False,
    "09:00",
)


def test_a_costs_file_is_read_in_each_team_s_currency() -> None:
    rows = read_cost_file(
        "\ufeffMonth,Source,Amount,Team\n2026-10,telemarketing,24 000 €,fr\n\n"
        "10/2026,séminaire,£1.5k,uk\n",
        teams=[FR, UK],
    )
    assert [(r.line, r.team_id, r.month, r.source, r.amount) for r in rows] == [
        (2, 1, date(2026, 10, 1), Source.TELEMARKETING, Decimal(24000)),
        (4, 2, date(2026, 10, 1), Source.SEMINAR, Decimal(1500)),
    ]


def test_a_costs_file_names_every_bad_line() -> None:
    text = (
        "month,source,amount,team\n"
        "2026-13,telemarketing,1,fr\n"
        "2026-10,radio,1,fr\n"
        "2026-10,telemarketing,$5,fr\n"
        "2026-10,telemarketing,5,xx\n"
        "2026-10,telemarketing,5,\n"
        "2026-10,telemarketing,5,uk\n"
    )
    with pytest.raises(InvalidInput) as refused:
        read_cost_file(text, teams=[FR, UK])
    assert refused.value.problem == CostProblem.FILE_LINES
    assert [(p.line, p.error.problem) for p in refused.value.facts["lines"]] == [
        (2, GrammarProblem.MONTH_UNREADABLE),
        (3, CostProblem.SOURCE_UNKNOWN),
        (4, GrammarProblem.AMOUNT_OTHER_CURRENCY),
        (5, RosterProblem.TEAM_NOT_FOUND),
        (6, CostProblem.FILE_TEAM_MISSING),
    ]
    last_only = "month,source,amount,team\n2026-10,telemarketing,5,uk\n"
    assert len(read_cost_file(last_only, teams=[FR, UK])) == 1


def test_a_costs_file_needs_its_header_rows_and_known_teams() -> None:
    with pytest.raises(InvalidInput) as header:
        read_cost_file("2026-10,telemarketing,24000\n", teams=[FR])
    assert header.value.problem == CostProblem.FILE_HEADER
    assert problem_of(lambda: read_cost_file("month,source,amount\n", teams=[FR])) == (
        CostProblem.FILE_EMPTY
    )
    [row] = read_cost_file("month,source,amount\n2026-10,tm,1\n", teams=[FR])  # the only team
    assert row.team_id == 1
    with pytest.raises(NotFound):
        read_cost_file("month,source,amount\n2026-10,tm,1\n", teams=[FR], default_team="de")
    assert (
        problem_of(lambda: read_cost_file("month,source,amount\n2026-10,tm,1\x00\n", teams=[FR]))
        == GrammarProblem.CONTROL_CHARACTER
    )
