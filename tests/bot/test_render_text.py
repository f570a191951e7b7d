"""Block Kit rendered as terminal text, as the local shell shows it."""

from __future__ import annotations

from bot.local.render_text import render, render_view

NAMES = {"U123": "marc", "U456": "anne"}


def name_of(user_id):
    return NAMES.get(user_id, "?" + user_id)


def _mrkdwn(text):
    return {"type": "mrkdwn", "text": text}


def _plain(text):
    return {"type": "plain_text", "text": text, "emoji": True}


def _button(text, action_id):
    return {"type": "button", "text": _plain(text), "action_id": action_id, "value": "42"}


def test_a_call_confirmation():
    blocks = [
        {"type": "header", "text": _plain("Call logged")},
        {"type": "section", "text": _mrkdwn(":telephone_receiver: *AT&amp;T*, 12 min, contact.")},
        {"type": "divider"},
        {
            "type": "context",
            "elements": [_mrkdwn("Today: 3 useful contacts"), _mrkdwn("1 lead")],
        },
        {"type": "actions", "elements": [_button("Undo", "call_undo")]},
    ]
    assert render(blocks, "fallback", name_of) == "\n".join(
        [
            "CALL LOGGED",
            "===========",
            "☎ *AT&T*, 12 min, contact.",
            "─" * 40,
            "  Today: 3 useful contacts · 1 lead",
            "[ Undo ]",
        ]
    )


def test_actions_with_two_buttons():
    blocks = [{"type": "actions", "elements": [_button("Claim", "a"), _button("Pass", "b")]}]
    assert render(blocks) == "[ Claim ]  [ Pass ]"


def test_long_header_underline_stops_at_sixty():
    title = "x" * 80
    assert render([{"type": "header", "text": _plain(title)}]) == "X" * 80 + "\n" + "=" * 60


def test_section_fields_and_accessory_button():
    block = {
        "type": "section",
        "text": _mrkdwn("Lead for <@U123>"),
        "fields": [_mrkdwn("*Company*\nAcme"), _mrkdwn("*Owner*\n<@U456|whoever>")],
        "accessory": _button("Claim", "lead_claim"),
    }
    assert render([block], "", name_of) == "\n".join(
        ["Lead for @marc", "  *Company*\nAcme", "  *Owner*\n@anne", "[ Claim ]"]
    )


def test_mentions_go_through_name_of():
    text = "<@U123> handed a lead to <@U456|old-label> and <@U999>"
    block = {"type": "section", "text": _mrkdwn(text)}
    assert render([block], "", name_of) == "@marc handed a lead to @anne and @?U999"


def test_default_name_of_shows_the_id():
    assert render([{"type": "section", "text": _mrkdwn("by <@U123>")}]) == "by @U123"


def test_channels_links_and_emoji():
    text = "See <#C123|sales> and <#C456>, <https://x.org/a|the site> :tada: :unknown_emoji:"
    assert render([{"type": "section", "text": _mrkdwn(text)}]) == (
        "See #sales and #C456, the site (https://x.org/a) 🎉 :unknown_emoji:"
    )


def test_entities_are_unescaped_after_markup_is_read():
    # Text the user typed as `<@U123>` reaches the bot escaped: it shows as typed, not as a name.
    text = "note: &lt;@U123&gt; &amp;lt; R&amp;D &gt; 3"
    assert render([{"type": "section", "text": _mrkdwn(text)}], "", name_of) == (
        "note: <@U123> &lt; R&D > 3"
    )


def test_inputs():
    blocks = [
        {
            "type": "input",
            "block_id": "company",
            "label": _plain("Company"),
            "element": {"type": "plain_text_input", "placeholder": _plain("Acme Corp")},
        },
        {
            "type": "input",
            "block_id": "note",
            "optional": True,
            "label": _plain("Note"),
            "element": {"type": "plain_text_input", "multiline": True},
        },
        {
            "type": "input",
            "block_id": "outcome",
            "label": _plain("Outcome"),
            "element": {
                "type": "static_select",
                "options": [
                    {"text": _plain("Contact"), "value": "contact"},
                    {"text": _plain("Lead"), "value": "lead"},
                ],
            },
        },
    ]
    assert render(blocks) == "\n".join(
        [
            "  company: Company — Acme Corp",
            "  note: Note (optional) — text",
            "  outcome: Outcome — one of contact/lead",
        ]
    )


def test_image_and_unknown_blocks():
    blocks = [
        {"type": "image", "image_url": "https://x.org/c.png", "alt_text": "chart"},
        {"type": "rich_text", "elements": []},
    ]
    assert render(blocks) == "[image: chart]"


def test_no_blocks_shows_the_fallback_text():
    assert render(None, "Logged for <@U123> &amp; co", name_of) == "Logged for @marc & co"
    assert render([], ":warning: careful") == "⚠ careful"


def test_modal():
    view = {
        "type": "modal",
        "title": _plain("Log a call"),
        "submit": _plain("Log"),
        "blocks": [
            {
                "type": "input",
                "block_id": "company",
                "label": _plain("Company"),
                "element": {"type": "plain_text_input"},
            }
        ],
    }
    assert render_view(view, name_of) == (
        "┌ Log a call ┐\n  company: Company — text\n[ Log ]  [ Cancel ]"
    )


def test_a_raw_angle_bracket_word_is_a_control_sequence_not_text():
    # What the lead card's context line says when the app forgets to escape it: Slack
    # reads `<reason>` as a link it cannot open, so the word does not show.
    raw = "or reply in this thread: claim, reject <reason>, won <value>, release"
    assert render([{"type": "context", "elements": [_mrkdwn(raw)]}]) == (
        "  or reply in this thread: claim, reject , won , release"
    )
    escaped = "or reply in this thread: claim, reject &lt;reason&gt;, won &lt;value&gt;"
    assert render([{"type": "context", "elements": [_mrkdwn(escaped)]}]) == (
        "  or reply in this thread: claim, reject <reason>, won <value>"
    )


def test_a_raw_ampersand_and_lone_brackets_show_as_typed():
    assert render([{"type": "section", "text": _mrkdwn("R&D: 3 < 4")}]) == "R&D: 3 < 4"
    assert render([{"type": "section", "text": _mrkdwn("5 > 2")}]) == "5 > 2"
    # but a `<` closed by a later `>` opens a control sequence, as in Slack
    assert render([{"type": "section", "text": _mrkdwn("3 < 4 and 5 > 2")}]) == "3  2"


def test_special_mentions_dates_and_bare_links():
    text = (
        "<!here> <!channel> <!subteam^S123|@sales> <!subteam^S456> "
        "<!date^1392734382^{date_short}|Feb 18, 2014> <https://x.org/a> <mailto:a@b.c|mail> "
        "<not a link|shown label>"
    )
    assert render([{"type": "section", "text": _mrkdwn(text)}]) == (
        "@here @channel @sales @S456 Feb 18, 2014 https://x.org/a mail (mailto:a@b.c) shown label"
    )


def test_plain_text_is_not_parsed_for_control_sequences():
    block = {"type": "header", "text": _plain("Reject &lt;reason&gt; or <reason> :x:")}
    assert render([block]).splitlines()[0] == "REJECT <REASON> OR <REASON> ✖"
    button = {"type": "actions", "elements": [_button("A <b> & c", "x")]}
    assert render([button]) == "[ A <b> & c ]"


def test_the_fallback_text_is_mrkdwn_too():
    assert render(None, "reject <reason> &lt;ok&gt;") == "reject  <ok>"
