"""The `/call` quick form: durations, outcomes in three languages, fields and refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.grammar.call_text import parse_call_text
from bot.grammar.durations import parse_duration
from bot.grammar.problems import GrammarProblem
from models.calls import CallProblem
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
        # Read as durations since they were seen stored as notes (`12 min` logged 12 minutes
        # with the note `min`):
        ("12 mins", 12 * 60),
        ("12 minutes", 12 * 60),
        ("12mn", 12 * 60),
        ("12 mn", 12 * 60),
        ("12.5m", 12 * 60 + 30),
        ("12,5m", 12 * 60 + 30),
        ("1h30", 90 * 60),
        ("1 h 30", 90 * 60),
        ("1 h 30 min", 90 * 60),
        ("1 Std. 30", 90 * 60),
        ("12 Minuten", 12 * 60),
        ("2 min 30 s", 150),
        ("90 sec", 90),
    ],
)
def test_parse_duration_documented_forms(word, seconds):
    assert parse_duration(word) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "word", ["abc", "12x", "", "   ", "m", "h05", "1h2h", "12:3", "-5", "12.5.5m", "1e3"]
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
    call = parse_call_text("Acme 0:12:30 spoke with reception about the CFO")
    assert call.duration == timedelta(minutes=12, seconds=30)
    assert call.outcome is Outcome.CONTACT
    assert call.note == "spoke with reception about the CFO"


@pytest.mark.parametrize(
    ("text", "outcome", "note"),
    [
        # An outcome written with spaces is that outcome, not a contact with a note.
        ("Acme 5m no answer", Outcome.NO_ANSWER, None),
        ("Acme 5m not interested", Outcome.NOT_INTERESTED, None),
        ("Acme 5m wrong contact", Outcome.WRONG_CONTACT, None),
        ("Acme 5m call back Tuesday", Outcome.CALLBACK, "Tuesday"),
        # Words that describe a dial without a conversation are no-answer, never a contact.
        ("Acme 5m voicemail", Outcome.NO_ANSWER, None),
        ("Acme 5m busy", Outcome.NO_ANSWER, None),
        ("Acme 5m engaged", Outcome.NO_ANSWER, None),
        ("Acme 5m left message with reception", Outcome.NO_ANSWER, "with reception"),
        ("Acme 5m noanswer", Outcome.NO_ANSWER, None),
        # The outcome words of every language, whatever the reader's.
        ("Acme 12mn rappel jeudi", Outcome.CALLBACK, "jeudi"),
        ("Acme 12mn pas intéressé du tout", Outcome.NOT_INTERESTED, "du tout"),
        ("Acme 12mn pas-interesse", Outcome.NOT_INTERESTED, None),
        ("Acme 12mn injoignable", Outcome.NO_ANSWER, None),
        ("Acme 12mn mauvais-contact", Outcome.WRONG_CONTACT, None),
        ("Acme 12 Min. Rückruf morgen", Outcome.CALLBACK, "morgen"),
        ("Acme 12 Min. kein Interesse", Outcome.NOT_INTERESTED, None),
        ("Acme 12 Min. nicht-erreicht", Outcome.NO_ANSWER, None),
        ("Acme 12 min contact a parlé au DAF", Outcome.CONTACT, "a parlé au DAF"),
    ],
)
def test_outcomes_in_words_and_languages(text, outcome, note):
    call = parse_call_text(text)
    assert (call.company, call.outcome, call.note) == ("Acme", outcome, note)


def test_a_duration_in_two_words_is_not_half_a_note():
    call = parse_call_text("Acme 12 min")
    assert (call.duration, call.note) == (timedelta(minutes=12), None)
    call = parse_call_text("Acme 1 h 30 lead")
    assert (call.duration, call.outcome) == (timedelta(minutes=90), Outcome.LEAD)


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
        ("NOT-INTERESTED", Outcome.NOT_INTERESTED),
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


def test_missing_duration_is_refused():
    assert _refusal("Acme Corp contact spoke to the CFO").problem == CallProblem.DURATION_MISSING


def test_missing_company_is_refused():
    assert _refusal("12m contact spoke to the CFO").problem == CallProblem.COMPANY_MISSING


def test_empty_text_is_refused():
    assert _refusal("   ").problem == CallProblem.COMPANY_MISSING


@pytest.mark.parametrize("text", ["Acme 2000 12m contact", "Acme 9h", "Acme 8h01"])
def test_duration_over_eight_hours_is_refused(text):
    error = _refusal(text)
    assert error.problem == CallProblem.DURATION_TOO_LONG
    assert error.facts["limit_seconds"] == 8 * 3600


@pytest.mark.parametrize("text", ["Acme 9999999999999", "Acme 9999999999999m", "Acme 999999999h"])
def test_huge_numbers_are_refused_not_crashed_on(text):
    assert _refusal(text).problem in (CallProblem.DURATION_MISSING, CallProblem.DURATION_TOO_LONG)


def test_exactly_eight_hours_is_accepted():
    assert parse_call_text("Acme 8h").duration == timedelta(hours=8)


def test_zero_duration_is_refused():
    assert _refusal("Acme 0m").problem == CallProblem.DURATION_ZERO


def test_misspelt_outcome_suggests_the_right_one():
    error = _refusal("Acme 12m no-anwser rang twice")
    assert error.problem == GrammarProblem.OUTCOME_UNKNOWN
    assert error.facts == {"word": "no-anwser", "suggestion": "no-answer"}
    assert parse_call_text("Acme 12m no-answer rang twice").outcome is Outcome.NO_ANSWER


def test_misspelt_outcome_is_suggested_in_the_reader_s_language():
    error = _refusal_in("Acme 12mn injoignabel", "fr")
    assert error.facts["suggestion"] == "injoignable"


def _refusal_in(text: str, language: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_call_text(text, language=language)
    return caught.value


def test_note_over_2000_characters_is_refused():
    error = _refusal("Acme 12m contact " + "x" * 2001)
    assert error.problem == CallProblem.NOTE_TOO_LONG
    assert error.facts == {"length": 2001, "limit": 2000}


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
    assert _refusal(f"Acme 12m contact {note}").problem == GrammarProblem.BROADCAST_MENTION


def test_unclosed_quote_is_refused():
    assert _refusal('"Acme 2000 12m contact').problem == CallProblem.DURATION_NOT_AFTER_QUOTE


def test_words_between_quoted_company_and_duration_are_refused():
    assert _refusal('"Acme" Corp 12m contact').problem == CallProblem.DURATION_NOT_AFTER_QUOTE


def test_typed_quotes_and_spaces_are_kept_in_the_note():
    call = parse_call_text("“Acme 2000” 12m contact said “maybe”\u00a0in June")
    assert call.company == "Acme 2000"
    assert call.note == "said “maybe”\u00a0in June"


def test_a_nul_character_is_refused():
    assert _refusal("Acme 12m contact a\x00b").problem == GrammarProblem.CONTROL_CHARACTER


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
