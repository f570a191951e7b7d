"""What `/call` shows: the confirmation, the undo answer, the form and the help."""

from __future__ import annotations

import json
from typing import Any

from bot.blocks import (
    LIMITS,
    Block,
    actions,
    button,
    context,
    message,
    option,
    plain,
    section,
)
from bot.grammar.outcomes import OUTCOME_WORDS, outcome_word
from bot.i18n import Reader
from bot.text import code, escape
from models.calls import (
    MAX_CONTACT_CHARS,
    MAX_NOTE_CHARS,
    MAX_PHONE_CHARS,
    UNDO_WINDOW,
    LoggedCall,
    UndoneCall,
)
from models.outcomes import DEFAULT_OUTCOME, USEFUL_OUTCOMES, Outcome

UNDO_ACTION = "call_undo"
FORM_CALLBACK = "call_modal"
FORM_FIELDS = ("company", "contact", "phone", "duration", "outcome", "note")


def _outcome(reader: Reader, value: str) -> str:
    try:
        return outcome_word(Outcome(value), reader.language)
    except ValueError:
        return value


def confirmation(logged: LoggedCall, reader: Reader) -> dict[str, Any]:
    """The ephemeral confirmation of a logged call, with its Undo button."""
    call, team, today = logged.call, logged.team, logged.today
    fields = {
        "company": escape(call.company),
        "time": reader.clock(call.called_at),
        "duration": reader.duration(call.duration_seconds),
        "outcome": _outcome(reader, call.outcome),
    }
    what = reader._("Logged a call with *{company}* at {time}: {duration}, {outcome}.", **fields)
    details = [escape(part) for part in (call.contact_name, call.phone) if part]
    if call.note:
        details.append(reader._("Note: {note}", note=escape(call.note)))
    counts = {
        "contacts": reader.n_(
            "*{count} useful contact*", "*{count} useful contacts*", today.useful_contacts
        ),
        "leads": reader.n_("*{count} lead*", "*{count} leads*", today.leads),
        "dials": reader.n_("{count} dial", "{count} dials", today.dials),
    }
    day = reader.n_(
        "Today so far: {contacts} and {leads} ({dials}); the team aims at {count} useful "
        "contact a day.",
        "Today so far: {contacts} and {leads} ({dials}); the team aims at {count} useful "
        "contacts a day.",
        team.daily_contact_target,
        **counts,
    )
    undo_until = reader.clock(call.created_at + UNDO_WINDOW)
    blocks: list[Block] = [section(":telephone_receiver: " + what)]
    if details:
        blocks.append(context(" · ".join(details)))
    blocks.append(context(day))
    blocks.append(actions(button(reader._("Undo"), action_id=UNDO_ACTION, value=str(call.id))))
    blocks.append(context(reader._("Undo works until {time}.", time=undo_until)))
    text = reader._(
        "Logged a call with {company}: {duration}, {outcome}. Today: {contacts}, {leads}.",
        **{**fields, **counts},
    ).replace("*", "")
    return {"response_type": "ephemeral", **message(text, blocks)}


def undone_message(undone: UndoneCall, reader: Reader) -> dict[str, Any]:
    """What replaces the confirmation once its call is undone."""
    call = undone.call
    text = reader._(
        "Undone: the call with *{company}* at {time} no longer counts.",
        company=escape(call.company),
        time=reader.clock(call.called_at),
    )
    blocks = [section(":leftwards_arrow_with_hook: " + text)]
    if undone.lead_number is not None:
        lead = reader._(
            "L-{number} was handed from this call and stays open: release or reject it if it "
            "was a mistake.",
            number=str(undone.lead_number).zfill(4),
        )
        blocks.append(context(lead))
        text += " " + lead
    return {"replace_original": True, **message(text, blocks)}


def help_message(reader: Reader) -> dict[str, Any]:
    """The ephemeral answer to `/call help`, with the outcome words of the reader's language."""
    words = OUTCOME_WORDS.get(reader.language, OUTCOME_WORDS["en"])
    useful = [code(words[o]) for o in Outcome if o in USEFUL_OUTCOMES]
    dials = [code(words[o]) for o in Outcome if o not in USEFUL_OUTCOMES]
    text = reader._(
        "*Log a call*: {usage}\n"
        '• The company is the words before the duration, or a quoted name: `/call "Acme 2000" '
        "12m`\n"
        "• Durations: `12m`, `12 min`, `12mn`, `1h30`, `1 h 30`, `90s`, `0:12:30`, `12.5m`; a "
        "bare number is minutes; at most 8 hours\n"
        "• Outcomes: {useful} are useful contacts ({default} is the default); {dials} are dials "
        "only. Outcome words of French, English and German are all understood; words such as "
        "`voicemail`, `busy` or `left message` mean {no_answer}\n"
        "• Everything after the outcome is the note (at most {note_limit} characters)\n"
        "• `/call` alone opens a form with the contact person and phone number too\n"
        "Examples:\n"
        "`/call Acme Corp 12m contact spoke to the CFO`\n"
        "`/call Globex 4m no-answer`\n"
        '`/call "Initech SA" 1h05 lead wants a demo for 3 plants`',
        usage=code(escape(reader._("/call <company> <duration> [<outcome>] [<note>]"))),
        useful=reader.items(useful),
        default=code(words[DEFAULT_OUTCOME]),
        dials=reader.items(dials),
        no_answer=code(words[Outcome.NO_ANSWER]),
        note_limit=reader.number(MAX_NOTE_CHARS),
    )
    return {"response_type": "ephemeral", **message(text, [section(text)])}


# --- the form ---------------------------------------------------------------------------


def _text_input(
    block_id: str,
    label: str,
    *,
    placeholder: str,
    optional: bool = False,
    max_length: int | None = None,
    multiline: bool = False,
) -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "placeholder": plain(placeholder, limit=LIMITS["placeholder"]),
    }
    if max_length:
        element["max_length"] = max_length
    if multiline:
        element["multiline"] = True
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }


def call_form(*, channel_id: str, reader: Reader) -> dict[str, Any]:
    """The `/call` form. `channel_id` is where the confirmation goes after submission."""
    options = [option(outcome_word(o, reader.language), o.value) for o in Outcome]
    default = next(o for o in options if o["value"] == DEFAULT_OUTCOME.value)
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "title": plain(reader._("Log a call"), limit=LIMITS["modal_title"]),
        "submit": plain(reader._("Log call"), limit=LIMITS["modal_button"]),
        "close": plain(reader._("Cancel"), limit=LIMITS["modal_button"]),
        "private_metadata": json.dumps({"channel_id": channel_id}),
        "blocks": [
            _text_input(
                "company", reader._("Company"), placeholder=reader._("Acme Corp"), max_length=200
            ),
            _text_input(
                "contact",
                reader._("Contact person"),
                placeholder=reader._("Jane Doe, CFO"),
                optional=True,
                max_length=MAX_CONTACT_CHARS,
            ),
            _text_input(
                "phone",
                reader._("Phone"),
                placeholder=reader._("+33 1 23 45 67 89"),
                optional=True,
                max_length=MAX_PHONE_CHARS,
            ),
            _text_input(
                "duration",
                reader._("Duration"),
                placeholder=reader._("12m, 1h05, 90s or 0:12:30"),
            ),
            {
                "type": "input",
                "block_id": "outcome",
                "label": plain(reader._("Outcome")),
                "element": {
                    "type": "static_select",
                    "action_id": "value",
                    "options": options,
                    "initial_option": default,
                },
            },
            _text_input(
                "note",
                reader._("Note"),
                placeholder=reader._("What you learnt"),
                optional=True,
                max_length=MAX_NOTE_CHARS,
                multiline=True,
            ),
        ],
    }
