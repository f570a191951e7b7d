"""The `/lead` words: the hand-off quick form, sources and events, list filters, targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.grammar.lead_text import (
    LeadTextProblem,
    Target,
    is_hand_off,
    parse_hand_off,
    parse_list,
    parse_source,
    parse_target,
    subcommand,
)
from bot.grammar.problems import GrammarProblem
from models.errors import InvalidInput
from models.leads import LeadProblem, LeadQuery, ListScope, NewLead, Source, Status

ISSUE_EXAMPLE = (
    "<@U0DEMO04|marc> Acme Corp -- invoice capture for 3 plants, decision in Q2 value=120k"
)


def read(text: str, currency: str = "EUR") -> NewLead:
    return parse_hand_off(text, currency=currency)


def refused(text: str, problem: object, *, currency: str = "EUR") -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        read(text, currency)
    assert caught.value.problem == problem, caught.value
    return caught.value


def test_the_issue_example_reads_mention_company_summary_and_value() -> None:
    assert read(ISSUE_EXAMPLE) == NewLead(
        company="Acme Corp",
        summary="invoice capture for 3 plants, decision in Q2",
        engineer="U0DEMO04",
        estimated_value=Decimal("120000.00"),
        source=Source.TELEMARKETING,
    )


def test_without_a_mention_the_lead_names_no_sales_engineer() -> None:
    new = read("Globex -- a new ERP for 12 sites")
    assert (new.engineer, new.engineer_name, new.company) == (None, None, "Globex")
    assert (new.estimated_value, new.source, new.event_name) == (None, Source.TELEMARKETING, None)


def test_a_leading_word_slack_did_not_turn_into_a_mention_is_a_name_not_the_company() -> None:
    new = read("@nobdy Acme -- test")
    assert (new.engineer, new.engineer_name, new.company) == (None, "nobdy", "Acme")
    assert read("<@nobody> Acme -- demo").engineer_name == "nobody"
    assert read("U0DEMO05 Initech -- TPS reports").company == "U0DEMO05 Initech"  # not a mention
    assert read('"@Home Inc" -- a smart building').company == "@Home Inc"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("120k", "120000"),
        ("120 000", "120000"),
        ('"120 000"', "120000"),
        ("120\u00a0000", "120000"),
        ("€120k", "120000"),
        ("120k€", "120000"),
        ("120 000 EUR", "120000"),
        ("1.2M", "1200000"),
        ("1,2M", "1200000"),
        ("120,000", "120000"),
        ("95 500,50", "95500.50"),
        ("0", "0"),
    ],
)
def test_values_in_every_documented_form(typed: str, expected: str) -> None:
    new = read(f"Acme -- demo value={typed} source=other")
    assert new.estimated_value == Decimal(expected)
    assert (new.summary, new.source) == ("demo", Source.OTHER)


def test_values_are_in_the_teams_currency() -> None:
    assert read("Acme -- demo value=£120k", currency="GBP").estimated_value == Decimal("120000")
    error = refused("Acme -- demo value=$120k", GrammarProblem.AMOUNT_OTHER_CURRENCY)
    assert (error.field, error.facts["given"]) == ("value", "USD")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("lots", GrammarProblem.AMOUNT_UNREADABLE),
        ("12k3", GrammarProblem.AMOUNT_UNREADABLE),
        ("2000000M", GrammarProblem.AMOUNT_OUT_OF_RANGE),
        ("100000000000000000000000000", GrammarProblem.AMOUNT_OUT_OF_RANGE),
        ("1.2.3", GrammarProblem.AMOUNT_UNREADABLE),
    ],
)
def test_bad_values_are_refused_on_the_value_field(value: str, problem: GrammarProblem) -> None:
    assert refused(f"Acme Corp -- invoice value={value}", problem).field == "value"


def test_options_may_stand_anywhere_with_typographic_quotes_and_dashes() -> None:
    new = read("Acme — demo source=seminar:“Paris Summit” value=€1.2M contact=«Jane Doe, CFO»")
    assert (new.company, new.summary) == ("Acme", "demo")
    assert (new.source, new.event_name, new.estimated_value, new.contact_name) == (
        Source.SEMINAR,
        "Paris Summit",
        Decimal("1200000"),
        "Jane Doe, CFO",
    )
    new = read("value=50k Acme source=trade-show:Big Fair -- a kiosk for 3 halls")
    assert (new.company, new.summary, new.event_name) == ("Acme", "a kiosk for 3 halls", "Big Fair")


def test_option_names_and_sources_in_three_languages() -> None:
    new = read('Acme -- démo valeur=10k source=séminaire:"Paris Summit"')
    assert (new.estimated_value, new.source) == (Decimal("10000"), Source.SEMINAR)
    new = read("Acme -- Demo Wert=10k Quelle=Messe:Hannover Kontakt=Jan")
    assert (new.source, new.event_name, new.contact_name) == (Source.TRADE_SHOW, "Hannover", "Jan")


@pytest.mark.parametrize(
    ("text", "source", "event", "day"),
    [
        ("telemarketing", Source.TELEMARKETING, None, None),
        ("other", Source.OTHER, None, None),
        ('seminar:"Paris Summit"', Source.SEMINAR, "Paris Summit", None),
        ("seminar:Paris Summit 2026-10-14", Source.SEMINAR, "Paris Summit", date(2026, 10, 14)),
        ('seminar:"Paris Summit 14/10/2026"', Source.SEMINAR, "Paris Summit", date(2026, 10, 14)),
        ("tradeshow:Big Fair", Source.TRADE_SHOW, "Big Fair", None),
        ("salon:Big Fair", Source.TRADE_SHOW, "Big Fair", None),
    ],
)
def test_sources_their_events_and_dates(
    text: str, source: Source, event: str | None, day: date | None
) -> None:
    assert parse_source(text) == (source, event, day)


def test_a_quoted_company_keeps_its_dashes() -> None:
    assert read('"Acme -- 2000" -- project').company == "Acme -- 2000"


def test_slack_markup_in_the_summary_becomes_readable_text() -> None:
    new = read(
        "Acme -- ask <@U0DEMO05|claire> about <https://acme.test|the RFP> &amp; &lt;more&gt;"
    )
    assert new.summary == "ask @claire about the RFP (https://acme.test) & <more>"


def test_the_text_is_refused_with_a_problem_code() -> None:
    refused("Acme Corp invoice capture value=120k", LeadTextProblem.SEPARATOR_MISSING)
    assert refused("-- invoice capture", LeadProblem.COMPANY_MISSING).field == "company"
    assert refused("Acme Corp -- value=120k", LeadProblem.SUMMARY_MISSING).field == "summary"
    error = refused("Acme -- demo source=radio", LeadTextProblem.SOURCE_UNKNOWN)
    assert (error.field, error.facts["text"]) == ("source", "radio")
    assert refused("Acme -- demo source=seminar", LeadProblem.EVENT_MISSING).field == "event"
    refused("Acme -- call <!channel> now", GrammarProblem.BROADCAST_MENTION)
    refused("Acme -- call\x00 now", GrammarProblem.CONTROL_CHARACTER)


def test_subcommands_and_hand_offs() -> None:
    assert [subcommand(w) for w in ("list", "Liste", "aide", "hilfe", "zeigen", "réattribuer")] == [
        "list",
        "list",
        "help",
        "help",
        "show",
        "reassign",
    ]
    assert subcommand("Acme") is None
    assert is_hand_off("List Corp -- a new ERP") and not is_hand_off("list open")


def test_list_filters() -> None:
    assert parse_list([]) == LeadQuery()
    assert parse_list(["open", "<@U0DEMO04|marc>", "source=seminar", "page=2"]) == LeadQuery(
        scope=ListScope.OPEN, engineer="U0DEMO04", source=Source.SEMINAR, page=2
    )
    assert parse_list(["gagnés", "@claire"]) == LeadQuery(status=Status.WON, engineer_name="claire")
    assert parse_list(["offen"]).scope == ListScope.OPEN
    error = refused_list(["opne"], LeadTextProblem.LIST_WORD_UNKNOWN)
    assert (error.facts["word"], error.facts["suggestion"]) == ("opne", "open")
    refused_list(["page=two"], LeadTextProblem.PAGE_UNREADABLE)
    refused_list(["page=0"], LeadTextProblem.PAGE_UNREADABLE)


def refused_list(words: list[str], problem: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_list(words)
    assert caught.value.problem == problem
    return caught.value


def test_reassign_targets() -> None:
    assert parse_target("<@U0DEMO05|claire>") == Target(user_id="U0DEMO05")
    assert parse_target("@claire") == Target(name="claire")
    assert parse_target("pool") == Target(pool=True)
    for word in (None, "claire", "U0DEMO05"):
        with pytest.raises(InvalidInput) as caught:
            parse_target(word)
        assert caught.value.problem == LeadTextProblem.TARGET_UNREADABLE
