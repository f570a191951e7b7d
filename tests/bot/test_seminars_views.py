"""Seminar texts: every refusal worded in three languages, and the views rendered from facts."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.blocks import LIMITS
from bot.i18n import Reader, reader_for
from bot.views import seminars as views
from bot.views.problems import describe, registry
from models.actors import Person, TeamFacts
from models.attendees import AttendeeProblem, BadRow, EventRef, RowProblem
from models.attribution import Attribution, How
from models.errors import InvalidInput
from models.event_returns import EventReturn, EventYear
from models.followup import Contact, EarlierCall, EarlierLead, QueueItem
from models.leads import Source
from models.timelogs import MonthSplit, SplitBasis

SEMINAR_MODULES = (
    "models.attendees",
    "models.attribution",
    "models.dnc",
    "models.followup",
    "models.privacy",
    "models.seminar_settings",
    "models.timelogs",
    "bot.grammar.attendees_csv",
    "bot.grammar.do_not_call",
    "bot.grammar.phones",
)
PARIS = EventRef(1, 1, "seminar", "Paris Summit", date(2026, 10, 14))
TEAM = TeamFacts(1, "fr", "France", "Europe/Paris", "EUR", "fr", 30)
ENGLISH = reader_for("en", timezone="Europe/Paris")


def seminar_problems() -> list:
    return [p for p in registry() if type(p).__module__ in SEMINAR_MODULES]


def test_every_seminar_problem_is_worded() -> None:
    from models.errors import problem_enums

    worded = set(seminar_problems())  # loads every area first
    declared = {
        member for enum in problem_enums() if enum.__module__ in SEMINAR_MODULES for member in enum
    }
    assert declared and declared == worded


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_every_seminar_refusal_renders_with_an_example(language: str) -> None:
    reader = reader_for(language)
    for problem, registered in registry().items():
        if type(problem).__module__ not in SEMINAR_MODULES:
            continue
        said = registered.wording(reader, dict(registered.sample))
        assert said.message and "{" not in said.message, problem
        assert said.example, problem


def test_bad_rows_are_listed_by_line_with_each_problem() -> None:
    error = InvalidInput(
        AttendeeProblem.ROWS_REFUSED,
        rows=[
            BadRow(3, RowProblem.COMPANY_MISSING, "company"),
            BadRow(4, RowProblem.TOO_LONG, "title", {"length": 230, "limit": 200}),
        ],
        total=25,
        lines=20,
    )
    said = describe(error, ENGLISH)
    assert said.message.splitlines() == [
        "Nothing was imported: 25 problems in the file.",
        "Line 3: the company is empty.",
        "Line 4: the title has 230 characters; the most is 200.",
        "… and 23 more.",
    ]
    assert said.example == "company;person;title;email;phone;status"


def test_the_queue_card_names_the_company_contacts_event_and_history() -> None:
    item = QueueItem(
        id=7,
        team=TEAM,
        company="Acme <Corp>",
        event=PARIS,
        attended=True,
        leased_until=datetime(2026, 10, 15, 9, 30, tzinfo=UTC),
        times_taken=1,
        contacts=(
            Contact("Jane Doe", "CFO", "+33123456789", None, True, PARIS),
            Contact("John Roe", None, None, "john@acme.example", False, PARIS),
        ),
        calls=(
            EarlierCall(
                datetime(2026, 9, 1, 8, 0, tzinfo=UTC),
                Person(1, "U1", "Camille"),
                "callback",
                60,
                None,
            ),
        ),
        leads=(
            EarlierLead(42, "won", "telemarketing", datetime(2025, 3, 3, tzinfo=UTC), "archiving"),
        ),
    )
    answer = views.queue_item_message(item, ENGLISH)
    text = json.dumps(answer["blocks"], ensure_ascii=False)
    assert (
        "Someone from *Acme &lt;Corp&gt;* attended Paris Summit (seminar, 14 October 2026)." in text
    )
    assert "It is yours until 11:30" in text
    assert "• Jane Doe, CFO, +33123456789 (attended)" in text
    assert "• John Roe, john@acme.example (registered)" in text
    assert "Called 1 Sept 10:00 by Camille: callback." in text
    assert "L-0042 handed 3 Mar: archiving" in text
    assert answer["response_type"] == "ephemeral"
    assert all(
        len(b.get("text", {}).get("text", "")) <= LIMITS["section_text"] for b in answer["blocks"]
    )


def test_the_source_line_of_a_card() -> None:
    attended = Attribution(1, 1, "Acme", "telemarketing", datetime.now(UTC), PARIS, How.ATTENDED)
    named = Attribution(1, 1, "Acme", "seminar", datetime.now(UTC), PARIS, How.NAMED)
    plain = Attribution(1, 1, "Acme", "telemarketing", datetime.now(UTC), None, None)
    assert (
        views.source_line(attended, ENGLISH) == "*Source:* seminar Paris Summit (attended 14 Oct)"
    )
    assert views.source_line(named, ENGLISH) == "*Source:* seminar Paris Summit (14 Oct)"
    assert views.source_line(plain, ENGLISH) == "*Source:* telemarketing"
    assert views.source_line(attended, reader_for("fr")).startswith("*Source:* s")


def returned(money: bool) -> EventReturn:
    return EventReturn(
        event=PARIS,
        currency="EUR",
        window_days=90,
        listed=True,
        registered=180,
        attendees=120,
        companies=95,
        companies_called=80,
        companies_reached=61,
        leads=12,
        qualified=5,
        money_shown=money,
        cost=Decimal("12000.00") if money else None,
        won_value=Decimal("95000.00") if money else None,
    )


def test_what_an_event_returned_reads_in_sentences_and_hides_money() -> None:
    lines = views.event_return_lines(returned(True), ENGLISH)
    assert lines[1:] == [
        "180 registered, 120 attended, from 95 companies.",
        "In the 90 days after it: 80 companies called, 61 reached; 12 leads, 5 qualified.",
        "Cost €12,000; won €95,000. Per attendee €100, per lead €1,000, per qualified lead €2,400.",
    ]
    assert len(views.event_return_lines(returned(False), ENGLISH)) == 3
    french = views.event_return_lines(returned(True), reader_for("fr"))
    assert "12\u202f000" in french[-1]


def test_the_year_as_a_table_a_csv_and_a_chart() -> None:
    year = EventYear("France", "EUR", date(2026, 1, 1), date(2026, 12, 31), (returned(True),), True)
    table = views.year_table(year, ENGLISH)
    assert "cost/qualified" in table and "€2,400" in table
    hidden = EventYear(
        "France", "EUR", date(2026, 1, 1), date(2026, 12, 31), (returned(False),), False
    )
    assert "cost" not in views.year_table(hidden, ENGLISH).splitlines()[1]
    assert (
        views.year_csv(year)
        .decode()
        .splitlines()[1]
        .startswith(
            "Paris Summit,2026-10-14,seminar,EUR,12000.00,180,120,95,80,61,12,5,95000.00,100.00,"
        )
    )
    assert views.year_png(year, ENGLISH).startswith(b"\x89PNG")
    assert views.year_png(hidden, ENGLISH).startswith(b"\x89PNG")


def test_the_split_says_which_one_it_used() -> None:
    logged = MonthSplit(
        date(2026, 10, 1),
        SplitBasis.LOGGED_TIME,
        {
            Source.TELEMARKETING: Decimal("93.18"),
            Source.SEMINAR: Decimal("6.82"),
            Source.TRADE_SHOW: Decimal(0),
            Source.OTHER: Decimal(0),
        },
        {Source.SEMINAR: 27 * 3600},
        2 * 22 * 9 * 3600,
        2,
    )
    assert views.split_line(logged, ENGLISH) == (
        "October 2026: no split set, so the cell's cost is split by logged event time (27 of "
        "396 working hours of 2 members): telemarketing 93.18% and seminar 6.82%."
    )


def test_views_speak_the_readers_language() -> None:
    reader: Reader = reader_for("de")
    assert views.event_name(reader, PARIS).startswith("Paris Summit (")
    assert "2026" in views.event_name(reader, PARIS)
