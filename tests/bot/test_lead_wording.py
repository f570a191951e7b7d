"""Every lead refusal is worded in every language, with an example that reads; everything the
app writes about leads is escaped."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from bot.grammar.lead_text import LeadTextProblem, parse_hand_off, parse_list, subcommand
from bot.grammar.verbs import ThreadCommand, VerbProblem, read_reply
from bot.i18n import LANGUAGES, Reader, reader_for
from bot.views.lead_forms import handoff_form, outcome_form
from bot.views.leads import card, direct_message, help_answer, reply_text, verb_hint
from bot.views.problems import describe, registry
from models.actors import Person, TeamFacts
from models.errors import InvalidInput
from models.leads import EventFacts, LeadAction, LeadFacts, LeadProblem, Source, Status
from tests.conftest import ADMIN, Slack
from tests.lead_helpers import add_event

LEAD_PROBLEMS = [*LeadProblem, *LeadTextProblem, *VerbProblem]
TEAM = TeamFacts(1, "fr", "France", "Europe/Paris", "EUR", "en", 30)
MARC = Person(4, "U0DEMO04", "Marc Dubois")
NASTY = "<b>Acme & Co</b> <!channel>"


def lead(**fields: object) -> LeadFacts:
    values: dict[str, object] = {
        "id": 7,
        "team": TEAM,
        "leads_channel": "C0LEADSFR",
        "number": 7,
        "source": Source.SEMINAR,
        "event": EventFacts(1, "seminar", "<Summit>", date(2026, 10, 14)),
        "call_at": None,
        "detected_by": Person(1, "U0DEMO01", "Camille Martin"),
        "assigned_to": MARC,
        "owner": MARC,
        "company": NASTY,
        "contact_name": "Jane <Doe>",
        "summary": "a & b <c>",
        "estimated_value": Decimal("120000"),
        "currency": "EUR",
        "status": Status.REJECTED,
        "reason": "too <small> & late",
        "final_value": None,
        "created_at": datetime(2026, 11, 27, 11, 0).astimezone(),
        "handed_at": datetime(2026, 11, 27, 11, 0).astimezone(),
        "claimed_at": None,
        "card_channel": "C0LEADSFR",
        "card_ts": "1.000001",
        "version": 3,
        "card_version": 2,
    }
    values.update(fields)
    return LeadFacts(**values)  # type: ignore[arg-type]


def no_raw_markup(text: str) -> None:
    """Every `<` opens a mention or a link: everything else was escaped."""
    for chunk in text.split("<")[1:]:
        assert chunk.startswith(("@U", "https://")), text
    assert "<!channel>" not in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("problem", LEAD_PROBLEMS, ids=str)
def test_every_lead_problem_is_worded_in_every_language(problem: object, language: str) -> None:
    registered = registry()[problem]  # type: ignore[index]
    said = describe(InvalidInput(problem, **registered.sample), reader_for(language))  # type: ignore[arg-type]
    assert said.message.strip()
    assert "{" not in said.message, said.message  # every placeholder filled
    no_raw_markup(said.message)
    if said.example:
        assert "<" not in said.example and "{" not in said.example


def examples() -> list[str]:
    found = set()
    for problem in LEAD_PROBLEMS:
        registered = registry()[problem]
        said = describe(InvalidInput(problem, **registered.sample), Reader())
        if said.example:
            found.add(said.example)
    return sorted(found)


@pytest.mark.parametrize("example", examples())
def test_every_lead_example_reads(example: str) -> None:
    """Slash-command examples parse as the command they show; the others are thread words."""
    if example.startswith("/leadcell"):
        return  # /leadcell's own grammar, checked with its commands
    if not example.startswith("/lead"):
        assert isinstance(read_reply(example), ThreadCommand), example
        return
    text = example.removeprefix("/lead").strip()
    words = text.split()
    command = subcommand(words[0]) if words and "--" not in text else None
    if command == "list":
        parse_list(words[1:])
    elif command is None:
        parse_hand_off(text, currency="EUR")


def test_hand_off_examples_run_on_the_demo_roster(slack: Slack, roster: Engine) -> None:
    add_event(roster, "seminar", "Paris Summit", date(2026, 10, 14))
    add_event(roster, "trade-show", "Big Fair", date(2026, 3, 2))
    for example in examples():
        text = example.removeprefix("/lead").strip()
        if example.startswith("/lead ") and "--" in text:
            answer = slack.command("/lead", text, user=ADMIN)
            first = answer.body["blocks"][0]["text"]["text"]
            assert not first.startswith(":warning:"), (example, answer.text)  # not refused
            assert "is handed to" in first or "is in the pool" in first


@pytest.mark.parametrize("status", list(Status))
def test_cards_replies_and_dms_escape_what_people_typed(status: Status) -> None:
    reader = Reader()
    shown = card(lead(status=status, final_value=Decimal(95000)), reader)
    for block in shown["blocks"]:
        for part in [block.get("text", {}).get("text", "")] + [
            e.get("text", "") for e in block.get("elements", []) if e.get("type") == "mrkdwn"
        ]:
            no_raw_markup(part)
    assert "&lt;b&gt;Acme &amp; Co&lt;/b&gt; &lt;!channel&gt;" in shown["blocks"][0]["text"]["text"]
    no_raw_markup(shown["text"])
    facts = {"action": "reject", "actor": "U0DEMO04", "reason": "too <small> & late"}
    assert reply_text(facts, lead(), reader) == (
        "<@U0DEMO04> rejected L-0007: too &lt;small&gt; &amp; late"
    )
    dm = direct_message({"action": "hand", "actor": "U0DEMO01"}, lead(), reader, "https://x/p1")
    no_raw_markup(dm["blocks"][0]["text"]["text"])
    assert dm["blocks"][1]["elements"][0]["text"] == "<https://x/p1|Open the card>"


def test_help_hints_and_forms_escape_their_placeholders() -> None:
    for language in LANGUAGES:
        reader = reader_for(language)
        answer = help_answer(reader)
        no_raw_markup(answer["blocks"][0]["text"]["text"])
        assert "&lt;" in answer["blocks"][0]["text"]["text"]
        assert "&lt;" in verb_hint(Status.CLAIMED, reader)
    events = [EventFacts(1, "seminar", "<Summit> & co", date(2026, 10, 14))]
    form = handoff_form(channel_id="C1", events=events, reader=Reader())
    [picker] = [b for b in form["blocks"] if b["block_id"] == "event"]
    assert picker["element"]["options"][0]["text"]["text"] == (
        "Seminar · &lt;Summit&gt; &amp; co · 14 October 2026"
    )
    won = outcome_form(lead=lead(status=Status.CLAIMED), action=LeadAction.WIN, reader=Reader())
    assert won["title"]["text"] == "Won L-0007"


def test_a_french_card_shows_french_thread_words_and_money() -> None:
    reader = reader_for("fr", timezone="Europe/Paris", currency="EUR")
    shown = card(lead(status=Status.CLAIMED, claimed_at=None), reader)
    context = shown["blocks"][-1]["elements"][0]["text"]
    assert "qualifié, rejeté &lt;" in context and "gagné &lt;" in context
    assert "120\u202f000\xa0€" in shown["blocks"][0]["text"]["text"]
