"""The `/call` quick form: durations, fields, refusals and their examples."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands.call_parse import format_duration, parse_call_text, parse_duration
from models.calls import CALL_EXAMPLE
from models.errors import InvalidInput
from models.outcomes import Outcome


@pytest.mark.parametrize(
    ("word", "seconds"),
    [
        ("12m", 12 * 60),
        ("12min", 12 * 60),
        ("12 min", 12 * 60),
        ("12mins", 12 * 60),
        ("1h05", 3600 + 5 * 60),
        ("1h05m", 3600 + 5 * 60),
        ("1H05", 3600 + 5 * 60),
        ("1h", 3600),
        ("90s", 90),
        ("2m30s", 150),
        ("0:12:30", 12 * 60 + 30),
        ("1:02:03", 3600 + 2 * 60 + 3),
        ("12:30", 12 * 60 + 30),
        ("12", 12 * 60),
        (" 7 ", 7 * 60),
    ],
)
def test_parse_duration_documented_forms(word, seconds):
    assert parse_duration(word) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "word", ["abc", "12x", "", "   ", "m", "h05", "1h2h", "12:3", "-5", "12.5m"]
)
def test_parse_duration_refuses_non_durations(word):
    assert parse_duration(word) is None


@pytest.mark.parametrize("word", ["12:75", "0:75:00", "0:12:60", "1h75", "1m90s"])
def test_parse_duration_refuses_out_of_range_minutes_or_seconds(word):
    # `12:75` is not m:ss; reading it as 13 min 15 s would log a wrong duration silently.
    assert parse_duration(word) is None


def test_company_is_the_words_before_the_duration():
    call = parse_call_text("Acme Corp 12m contact spoke to the CFO")
    assert call.company == "Acme Corp"
    assert call.duration == timedelta(minutes=12)
    assert call.outcome is Outcome.CONTACT
    assert call.note == "spoke to the CFO"


def test_company_keeps_its_inner_spacing_and_loses_the_outer():
    call = parse_call_text("  Acme   Corp   1h05  lead")
    assert call.company == "Acme   Corp"
    assert call.duration == timedelta(hours=1, minutes=5)
    assert call.outcome is Outcome.LEAD
    assert call.note is None


@pytest.mark.parametrize(
    "text",
    ['"Acme 2000" 12m lead big project', "“Acme 2000” 12m lead big project"],
)
def test_quoted_company_may_hold_digits(text):
    call = parse_call_text(text)
    assert call.company == "Acme 2000"
    assert call.duration == timedelta(minutes=12)
    assert call.outcome is Outcome.LEAD
    assert call.note == "big project"


def test_outcome_defaults_to_contact_and_the_rest_is_the_note():
    call = parse_call_text("Acme 0:12:30 left a message with reception")
    assert call.duration == timedelta(minutes=12, seconds=30)
    assert call.outcome is Outcome.CONTACT
    assert call.note == "left a message with reception"


def test_outcome_defaults_to_contact_without_a_note():
    call = parse_call_text("Acme 90s")
    assert (call.company, call.duration, call.outcome, call.note) == (
        "Acme",
        timedelta(seconds=90),
        Outcome.CONTACT,
        None,
    )


@pytest.mark.parametrize(
    ("word", "outcome"),
    [
        ("contact", Outcome.CONTACT),
        ("callback", Outcome.CALLBACK),
        ("lead", Outcome.LEAD),
        ("not-interested", Outcome.NOT_INTERESTED),
        ("Not_Interested", Outcome.NOT_INTERESTED),
        ("no-answer", Outcome.NO_ANSWER),
        ("wrong-contact", Outcome.WRONG_CONTACT),
    ],
)
def test_explicit_outcomes(word, outcome):
    call = parse_call_text(f"Acme Corp 12 {word} budget in June")
    assert call.outcome is outcome
    assert call.duration == timedelta(minutes=12)
    assert call.note == "budget in June"


def test_note_keeps_inner_spacing():
    call = parse_call_text("Acme 12m callback  call  back   Monday 9:00 ")
    assert call.outcome is Outcome.CALLBACK
    assert call.note == "call  back   Monday 9:00"


def test_user_mention_in_note_becomes_a_plain_name():
    call = parse_call_text("Acme 12m lead hand to <@U123|marc> asap")
    assert call.note == "hand to @marc asap"


def test_escaped_entities_are_read_back():
    call = parse_call_text("AT&amp;T 5m contact prefers &lt;email&gt;")
    assert call.company == "AT&T"
    assert call.note == "prefers <email>"


def _refusal(text: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_call_text(text)
    return caught.value


def _assert_example_parses(error: InvalidInput) -> None:
    assert error.example is not None
    assert error.example.startswith("/call ")
    parse_call_text(error.example.removeprefix("/call "))


def test_missing_duration_is_refused_with_an_example():
    error = _refusal("Acme Corp contact spoke to the CFO")
    assert "duration" in error.message
    assert error.example == CALL_EXAMPLE
    _assert_example_parses(error)


def test_missing_company_is_refused_with_an_example():
    error = _refusal("12m contact spoke to the CFO")
    assert "company is missing" in error.message
    _assert_example_parses(error)


def test_empty_text_is_refused():
    error = _refusal("   ")
    _assert_example_parses(error)


@pytest.mark.parametrize("text", ["Acme 2000 12m contact", "Acme 9h", "Acme 8h01"])
def test_duration_over_eight_hours_suggests_quoting(text):
    error = _refusal(text)
    assert "8 hours" in error.message
    assert "quote" in error.message
    assert error.example == '/call "Acme 2000" 12m contact'
    _assert_example_parses(error)
    example_call = parse_call_text(error.example.removeprefix("/call "))
    assert example_call.company == "Acme 2000"


def test_exactly_eight_hours_is_accepted():
    assert parse_call_text("Acme 8h").duration == timedelta(hours=8)


def test_zero_duration_is_refused():
    error = _refusal("Acme 0m")
    assert "more than zero" in error.message
    _assert_example_parses(error)


def test_misspelt_outcome_suggests_the_right_one():
    error = _refusal("Acme 12m no-anwser rang twice")
    assert "`no-anwser` is not an outcome" in error.message
    assert "Did you mean `no-answer`?" in error.message
    _assert_example_parses(error)
    assert parse_call_text(error.example.removeprefix("/call ")).outcome is Outcome.NO_ANSWER


def test_note_over_2000_characters_is_refused():
    error = _refusal("Acme 12m contact " + "x" * 2001)
    assert "2001" in error.message
    assert "2000" in error.message
    _assert_example_parses(error)


def test_note_of_exactly_2000_characters_is_accepted():
    assert parse_call_text("Acme 12m contact " + "x" * 2000).note == "x" * 2000


@pytest.mark.parametrize(
    "note",
    [
        "<!channel> call them",
        "tell <!here>",
        "ping <!subteam^S1|@team> now",
        "<!everyone>",
        "<!here|here> again",
    ],
)
def test_broadcast_mentions_in_note_are_refused(note):
    error = _refusal(f"Acme 12m contact {note}")
    assert "@channel" in error.message
    _assert_example_parses(error)


def test_unclosed_quote_is_refused_with_an_example():
    error = _refusal('"Acme 2000 12m contact')
    assert "closing quote" in error.message
    _assert_example_parses(error)


def test_words_between_quoted_company_and_duration_are_refused():
    error = _refusal('"Acme" Corp 12m contact')
    assert "right after the quoted company" in error.message
    _assert_example_parses(error)


_company = st.text(
    alphabet=st.characters(categories=["L"]) | st.just(" "), min_size=1, max_size=60
).filter(lambda s: s.strip() != "")
_note = st.text(
    alphabet=st.characters(categories=["L", "Nd", "P", "Zs"], exclude_characters="<>&"),
    max_size=120,
)


@settings(max_examples=200, deadline=None)
@given(
    company=_company,
    minutes=st.integers(min_value=1, max_value=480),
    outcome=st.sampled_from(list(Outcome)),
    note=_note,
)
def test_quick_form_round_trips(company, minutes, outcome, note):
    call = parse_call_text(f"{company} {minutes}m {outcome} {note}")
    assert call.company == company.strip()
    assert call.duration == timedelta(minutes=minutes)
    assert call.outcome is outcome
    assert call.note == (note.strip() or None)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (45, "45 s"),
        (60, "1 min"),
        (150, "2 min 30 s"),
        (720, "12 min"),
        (3600, "1 h"),
        (3900, "1 h 05"),
        (5400, "1 h 30"),
        (8 * 3600, "8 h"),
    ],
)
def test_format_duration(seconds, shown):
    assert format_duration(seconds) == shown
