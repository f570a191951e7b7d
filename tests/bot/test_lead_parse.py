"""The `/lead` quick form: mention, company, `--` summary, value, source and contact options."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.commands.lead_parse import parse_lead_text, parse_source, parse_value
from bot.commands.lead_views import HELP
from bot.grammar.problems import GrammarProblem
from models.errors import InvalidInput
from models.leads import LEAD_EXAMPLE, NewLead, Source

ISSUE_EXAMPLE = (
    "<@U0DEMO04|marc> Acme Corp -- invoice capture for 3 plants, decision in Q2 value=120k"
)


def test_the_issue_example_reads_mention_company_summary_and_value() -> None:
    assert parse_lead_text(ISSUE_EXAMPLE) == NewLead(
        company="Acme Corp",
        summary="invoice capture for 3 plants, decision in Q2",
        assignee="U0DEMO04",
        estimated_value=Decimal("120000.00"),
        source=Source.TELEMARKETING,
    )


def test_without_a_mention_the_lead_names_no_sales_engineer() -> None:
    new = parse_lead_text("Globex -- a new ERP for 12 sites")
    assert (new.assignee, new.company, new.summary) == (None, "Globex", "a new ERP for 12 sites")
    assert new.estimated_value is None
    assert (new.source, new.event_name, new.contact_name) == (Source.TELEMARKETING, None, None)


def test_a_bare_user_id_counts_as_a_mention() -> None:
    assert parse_lead_text("U0DEMO05 Initech -- TPS reports").assignee is None  # not `<@…>`
    assert parse_lead_text("<@U0DEMO05> Initech -- TPS reports").assignee == "U0DEMO05"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("120k", "120000"),
        ("120K", "120000"),
        ("120000", "120000"),
        ("120 000", "120000"),
        ("120\u00a0000", "120000"),  # a no-break space, as French keyboards type it
        ("€120k", "120000"),
        ("€ 120k", "120000"),
        ("120k€", "120000"),
        ("120 000 EUR", "120000"),
        ("1.2M", "1200000"),
        ("1,2M", "1200000"),
        ("120,000", "120000"),
        ("120.000", "120000"),
        ("95 500,50", "95500.50"),
        ("99.5", "99.50"),
        ("0", "0"),
    ],
)
def test_values_in_every_documented_form(typed: str, expected: str) -> None:
    assert parse_value(typed) == Decimal(expected)
    assert parse_lead_text(f"Acme Corp -- invoice capture value={typed}").estimated_value == (
        Decimal(expected)
    )


def test_the_quoted_value_the_help_shows_is_accepted() -> None:
    assert 'value="120 000"' in HELP
    new = parse_lead_text('Acme Corp -- invoice capture value="120 000"')
    assert new.estimated_value == Decimal("120000")
    assert new.summary == "invoice capture"


def test_options_may_stand_anywhere_and_leave_the_summary_intact() -> None:
    new = parse_lead_text(
        'value=1.2M <@U0DEMO06|thomas> Umbrella -- vaccine logistics contact="Jane Doe, CFO"'
    )
    assert (new.assignee, new.company, new.summary) == ("U0DEMO06", "Umbrella", "vaccine logistics")
    assert new.estimated_value == Decimal("1200000")
    assert new.contact_name == "Jane Doe, CFO"


@pytest.mark.parametrize(
    ("text", "source", "event"),
    [
        ('Acme -- demo source=seminar:"Paris Summit"', Source.SEMINAR, "Paris Summit"),
        ('Acme -- demo source=seminar:"Paris Summit" value=50k', Source.SEMINAR, "Paris Summit"),
        ("Acme -- demo source=trade-show:Big Fair", Source.TRADE_SHOW, "Big Fair"),
        ("Acme -- demo source=trade-show:Big Fair value=10k", Source.TRADE_SHOW, "Big Fair"),
        ("Acme -- demo source=tradeshow:“Big Fair”", Source.TRADE_SHOW, "Big Fair"),
        ("Acme -- demo source=other", Source.OTHER, None),
        ("Acme -- demo source=telemarketing", Source.TELEMARKETING, None),
    ],
)
def test_sources_and_their_events(text: str, source: Source, event: str | None) -> None:
    new = parse_lead_text(text)
    assert (new.source, new.event_name) == (source, event)
    assert (new.company, new.summary) == ("Acme", "demo")


def test_the_value_after_a_trade_show_name_is_not_part_of_the_name() -> None:
    new = parse_lead_text("Acme -- demo source=trade-show:Big Fair value=10k")
    assert new.event_name == "Big Fair"
    assert new.estimated_value == Decimal("10000")


def test_a_contact_is_quoted_or_one_word() -> None:
    assert parse_lead_text('Acme -- demo contact="Jane Doe"').contact_name == "Jane Doe"
    assert parse_lead_text("Acme -- demo contact=Jane").contact_name == "Jane"


def test_a_quoted_company_is_unquoted() -> None:
    assert parse_lead_text('"Acme 2000" -- demo').company == "Acme 2000"


def test_slack_markup_in_the_summary_becomes_readable_text() -> None:
    new = parse_lead_text("Acme -- ask <@U0DEMO05|claire> about <https://acme.test|the RFP>")
    assert new.summary == "ask @claire about the RFP (https://acme.test)"


def assert_refused(text: str, *, says: str, example: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_lead_text(text)
    assert says in caught.value.message, caught.value.message
    assert caught.value.example == example
    return caught.value


def test_without_the_double_dash_the_form_is_explained() -> None:
    assert_refused("Acme Corp invoice capture value=120k", says="`--`", example=LEAD_EXAMPLE)


def test_a_missing_company_is_explained() -> None:
    error = assert_refused("-- invoice capture", says="company is missing", example=LEAD_EXAMPLE)
    assert error.field == "company"
    error = assert_refused(
        "<@U0DEMO04|marc> -- invoice capture", says="company is missing", example=LEAD_EXAMPLE
    )
    assert error.field == "company"


def test_a_missing_summary_is_explained() -> None:
    error = assert_refused("Acme Corp -- value=120k", says="after `--`", example=LEAD_EXAMPLE)
    assert error.field == "summary"


@pytest.mark.parametrize("value", ["lots", "k", "€", "12k3", "120x", "1.2.3M", "-5k", "10**12"])
def test_a_malformed_value_is_explained(value: str) -> None:
    error = assert_refused(
        f"Acme Corp -- invoice capture value={value}", says="not an amount", example="value=120k"
    )
    assert error.field == "value"


def test_an_absurd_value_is_refused() -> None:
    error = assert_refused(
        "Acme -- demo value=2000000M", says="between 0 and", example="value=120k"
    )
    assert error.field == "value"


def test_an_unknown_source_is_explained() -> None:
    error = assert_refused(
        "Acme -- demo source=radio",
        says="`radio` is not a lead source",
        example='source=seminar:"Paris Summit"',
    )
    assert error.field == "source"
    with pytest.raises(InvalidInput):
        parse_source("webinar:Spring")


@pytest.mark.parametrize("kind", ["seminar", "trade-show"])
def test_a_seminar_or_trade_show_without_its_event_is_explained(kind: str) -> None:
    error = assert_refused(
        f"Acme -- demo source={kind}",
        says=f"A {kind} lead names its event",
        example=f'source={kind}:"Paris Summit"',
    )
    assert error.field == "event"


def test_a_malformed_mention_is_explained() -> None:
    assert_refused("<@nobody> Acme -- demo", says="is not a Slack user", example=LEAD_EXAMPLE)


def test_broadcast_mentions_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_lead_text("Acme -- call <!channel> now")
    assert caught.value.problem == GrammarProblem.BROADCAST_MENTION
