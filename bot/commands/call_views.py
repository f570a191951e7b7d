"""What `/call` shows: the confirmation, the undo answer, the modal, and the help."""

from __future__ import annotations

import json
from typing import Any

from bot.blocks import Block, actions, button, context, plain, section
from bot.commands.call_parse import format_duration, parse_duration
from bot.text import escape, plain_text
from models.calls import (
    CALL_EXAMPLE,
    MAX_CONTACT_CHARS,
    MAX_NOTE_CHARS,
    MAX_PHONE_CHARS,
    UNDO_WINDOW,
    CallFacts,
    LoggedCall,
    NewCall,
    check_new_call,
)
from models.errors import InvalidInput
from models.outcomes import DEFAULT_OUTCOME, Outcome, parse_outcome
from models.roster import Zoned, timezone_of
from models.tables import Call, Team

UNDO_ACTION = "call_undo"
MODAL_CALLBACK = "call_modal"

HELP = f"""*Log a call*: `/call <company> <duration> [<outcome>] [<note>]`
• The company is the words before the duration, or a quoted name: `/call "Acme 2000" 12m`
• Durations: `12m`, `12min`, `1h05`, `1h`, `90s`, `0:12:30`; a bare number is minutes
• Outcomes: `contact` (the default), `callback`, `lead`, `not-interested` are useful contacts; \
`no-answer` and `wrong-contact` are dials only
• Everything after the outcome is the note (at most {MAX_NOTE_CHARS} characters)
• `/call` alone opens a form with the contact person and phone number too
Examples:
`{CALL_EXAMPLE}`
`/call Globex 4m no-answer`
`/call "Initech SA" 1h05 lead wants a demo for 3 plants`"""


def help_message() -> dict[str, Any]:
    """The ephemeral answer to `/call help`."""
    return {"response_type": "ephemeral", "text": HELP, "blocks": [section(HELP)]}


def _local_time(team: Zoned, call: Call | CallFacts) -> str:
    return call.called_at.astimezone(timezone_of(team)).strftime("%H:%M")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def confirmation(logged: LoggedCall) -> dict[str, Any]:
    """The ephemeral confirmation of a logged call, with its Undo button."""
    call, team, today = logged.call, logged.team, logged.today
    what = (
        f"Logged a call with *{escape(call.company)}* at {_local_time(team, call)}: "
        f"{format_duration(call.duration_seconds)}, {call.outcome}."
    )
    details = [escape(part) for part in (call.contact_name, call.phone) if part]
    if call.note:
        details.append("Note: " + escape(call.note))
    day = (
        f"Today so far: *{_count(today.useful_contacts, 'useful contact')}* and "
        f"*{_count(today.leads, 'lead')}* ({_count(today.dials, 'dial')}); the team aims at "
        f"{team.daily_contact_target} useful contacts a day."
    )
    undo_until = (call.created_at + UNDO_WINDOW).astimezone(timezone_of(team)).strftime("%H:%M")
    blocks: list[Block] = [section(":telephone_receiver: " + what)]
    if details:
        blocks.append(context(" · ".join(details)))
    blocks.append(context(day))
    blocks.append(actions(button("Undo", action_id=UNDO_ACTION, value=str(call.id))))
    blocks.append(context(f"Undo works until {undo_until}."))
    text = (
        f"Logged a call with {escape(call.company)}: {format_duration(call.duration_seconds)}, "
        f"{call.outcome}. Today: {_count(today.useful_contacts, 'useful contact')}, "
        f"{_count(today.leads, 'lead')}."
    )
    return {"response_type": "ephemeral", "text": text, "blocks": blocks}


def undone_message(call: Call, team: Team) -> dict[str, Any]:
    """What replaces the confirmation once its call is undone."""
    text = (
        f"Undone: the call with *{escape(call.company)}* at {_local_time(team, call)} "
        "no longer counts."
    )
    return {
        "replace_original": True,
        "text": text,
        "blocks": [section(":leftwards_arrow_with_hook: " + text)],
    }


# --- the modal ----------------------------------------------------------------------------

_FIELDS = ("company", "contact", "phone", "duration", "outcome", "note")


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
        "placeholder": plain(placeholder),
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


def _outcome_option(outcome: Outcome) -> dict[str, Any]:
    return {"text": plain(outcome.value), "value": outcome.value}


def call_modal(*, channel_id: str) -> dict[str, Any]:
    """The `/call` form. `channel_id` is where the confirmation goes after submission."""
    outcome_select = {
        "type": "static_select",
        "action_id": "value",
        "options": [_outcome_option(o) for o in Outcome],
        "initial_option": _outcome_option(DEFAULT_OUTCOME),
    }
    return {
        "type": "modal",
        "callback_id": MODAL_CALLBACK,
        "title": plain("Log a call"),
        "submit": plain("Log call"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"channel_id": channel_id}),
        "blocks": [
            _text_input("company", "Company", placeholder="Acme Corp", max_length=200),
            _text_input(
                "contact",
                "Contact person",
                placeholder="Jane Doe, CFO",
                optional=True,
                max_length=MAX_CONTACT_CHARS,
            ),
            _text_input(
                "phone",
                "Phone",
                placeholder="+33 1 23 45 67 89",
                optional=True,
                max_length=MAX_PHONE_CHARS,
            ),
            _text_input("duration", "Duration", placeholder="12m, 1h05, 90s or 0:12:30"),
            {
                "type": "input",
                "block_id": "outcome",
                "label": plain("Outcome"),
                "element": outcome_select,
            },
            _text_input(
                "note",
                "Note",
                placeholder="What you learnt",
                optional=True,
                max_length=MAX_NOTE_CHARS,
                multiline=True,
            ),
        ],
    }


def _value(view: dict[str, Any], block_id: str) -> str:
    state = view.get("state", {}).get("values", {}).get(block_id, {}).get("value", {})
    if state.get("type") == "static_select":
        return (state.get("selected_option") or {}).get("value", "")
    return (state.get("value") or "").strip()


def read_call_modal(view: dict[str, Any]) -> tuple[NewCall | None, dict[str, str]]:
    """The NewCall a submitted modal describes, or the errors to show on its fields."""
    values = {field: _value(view, field) for field in _FIELDS}
    errors: dict[str, str] = {}
    cleaned: dict[str, str | None] = {}
    for field in ("company", "contact", "phone", "note"):
        try:
            cleaned[field] = plain_text(values[field], field=field, example="") or None
        except InvalidInput as exc:
            errors[field] = exc.message
    duration = parse_duration(values["duration"])
    if duration is None:
        errors["duration"] = "Write the duration as 12m, 1h05, 90s or 0:12:30."
    outcome = parse_outcome(values["outcome"]) or DEFAULT_OUTCOME
    if not cleaned.get("company") and "company" not in errors:
        errors["company"] = "Which company did you call?"
    if errors or duration is None:
        return None, errors
    new = NewCall(
        company=cleaned["company"] or "",
        duration=duration,
        outcome=outcome,
        note=cleaned["note"],
        contact_name=cleaned["contact"],
        phone=cleaned["phone"],
    )
    try:
        check_new_call(new)
    except InvalidInput as exc:
        return None, {exc.field or "company": exc.message}
    return new, {}


def modal_channel(view: dict[str, Any]) -> str | None:
    """The channel the modal was opened from."""
    try:
        return json.loads(view.get("private_metadata") or "{}").get("channel_id")
    except ValueError:
        return None
