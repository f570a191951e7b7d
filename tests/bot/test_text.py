"""Slack text: escaping what the bot echoes, reading what users type."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.grammar.problems import GrammarProblem
from bot.text import channel_id, escape, plain_text, unescape, user_mention
from models.errors import InvalidInput


def test_escape_the_three_entities():
    assert escape("R&D <b>bold</b> > 3") == "R&amp;D &lt;b&gt;bold&lt;/b&gt; &gt; 3"


def test_escape_escapes_an_existing_entity_again():
    assert escape("&lt;") == "&amp;lt;"


def test_escape_makes_mentions_inert():
    assert escape("<!channel> <@U123>") == "&lt;!channel&gt; &lt;@U123&gt;"


def test_unescape_reads_slack_entities():
    assert unescape("AT&amp;T &lt;sales&gt;") == "AT&T <sales>"
    assert unescape("&amp;lt;") == "&lt;"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("&<>;ltgamp x") | st.characters(), max_size=60))
def test_unescape_undoes_escape(text):
    assert unescape(escape(text)) == text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_escaped_text_holds_no_angle_brackets(text):
    escaped = escape(text)
    assert "<" not in escaped
    assert ">" not in escaped


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("ask <@U123|marc>", "ask @marc"),
        ("ask <@U123>", "ask @U123"),
        ("ask <@W0ABC|anne> and <@U9|bob>", "ask @anne and @bob"),
        ("see <#C123|sales>", "see #sales"),
        ("see <#C123>", "see #C123"),
        ("on <https://x.org|site>", "on site (https://x.org)"),
        ("on <https://x.org/a?b=1>", "on https://x.org/a?b=1"),
        ("write <mailto:a@x.org|a@x.org>", "write a@x.org (mailto:a@x.org)"),
        ("AT&amp;T &lt;3", "AT&T <3"),
        ("plain words", "plain words"),
    ],
)
def test_plain_text_makes_markup_readable(raw, shown):
    assert plain_text(raw, field="note") == shown


@pytest.mark.parametrize(
    "raw",
    [
        "<!channel>",
        "hi <!here> there",
        "<!everyone>",
        "<!here|here>",
        "<!subteam^S1|@team>",
        "<!subteam^S0123ABC>",
        "<!CHANNEL>",
    ],
)
def test_plain_text_refuses_broadcast_mentions(raw):
    with pytest.raises(InvalidInput) as caught:
        plain_text(raw, field="note")
    assert caught.value.problem == GrammarProblem.BROADCAST_MENTION
    assert caught.value.field == "note"


def test_plain_text_names_the_field_at_fault():
    with pytest.raises(InvalidInput) as caught:
        plain_text("<!here>", field="company")
    assert caught.value.field == "company"


def test_typed_broadcast_text_is_not_a_mention():
    # A user typing `<!channel>` literally reaches us escaped; it is text, not a ping.
    assert plain_text("&lt;!channel&gt;", field="note") == "<!channel>"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<@U123|marc>", ("U123", "marc")),
        ("<@U123>", ("U123", "U123")),
        ("  <@W0AB|anne>  ", ("W0AB", "anne")),
        ("U0123ABC", ("U0123ABC", "U0123ABC")),
        ("marc", None),
        ("@marc", None),
        ("U1", None),
        ("u0123abc", None),
        ("<#C123|sales>", None),
        ("", None),
    ],
)
def test_user_mention(raw, expected):
    assert user_mention(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<#C123|sales>", "C123"),
        ("<#G0AB>", "G0AB"),
        (" C0123ABC ", "C0123ABC"),
        ("D0123", "D0123"),
        ("#sales", None),
        ("sales", None),
        ("<@U123>", None),
        ("C1", None),
    ],
)
def test_channel_id(raw, expected):
    assert channel_id(raw) == expected
