"""The forms of leads: the `/lead` hand-off form, and those behind Reject, Won and Lost."""

from __future__ import annotations

import json
from typing import Any

from bot.blocks import LIMITS, Block, cut, option, plain
from bot.i18n import N_, Reader
from bot.text import escape
from bot.views.leads import SOURCE_NAMES
from models.leads import (
    MAX_CONTACT_CHARS,
    MAX_REASON_CHARS,
    MAX_SUMMARY_CHARS,
    EventFacts,
    LeadAction,
    LeadFacts,
    Source,
)

HANDOFF_CALLBACK = "lead_modal"
OUTCOME_CALLBACK = "lead_outcome"
HANDOFF_FIELDS = ("engineer", "company", "contact", "summary", "value", "source", "event")
#: The transitions that need a form: what it asks for, and its title and submit label.
OUTCOME_FORMS: dict[LeadAction, tuple[str, str, str]] = {
    LeadAction.REJECT: ("reason", N_("Reject {reference}"), N_("Reject")),
    LeadAction.WIN: ("value", N_("Won {reference}"), N_("Mark won")),
    LeadAction.LOSE: ("reason", N_("Lost {reference}"), N_("Mark lost")),
}
EVENT_KINDS = {Source.SEMINAR.value: Source.SEMINAR, Source.TRADE_SHOW.value: Source.TRADE_SHOW}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }


def _text(placeholder: str, *, max_length: int, multiline: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "placeholder": plain(placeholder, limit=LIMITS["placeholder"]),
        "max_length": max_length,
    }
    if multiline:
        element["multiline"] = True
    return element


def event_label(event: EventFacts, reader: Reader) -> str:
    """An event as the picker shows it: its kind, its name and its date."""
    return reader._(
        "{kind} · {name} · {day}",
        kind=reader._(SOURCE_NAMES[EVENT_KINDS.get(event.kind, Source.OTHER)]),
        name=escape(event.name),
        day=reader.full_date(event.held_on),
    )


def handoff_form(*, channel_id: str, events: list[EventFacts], reader: Reader) -> dict[str, Any]:
    """The `/lead` form; `events` are the team's seminars and trade shows, newest first."""
    sources = [option(reader._(SOURCE_NAMES[s]), s.value) for s in Source]
    blocks: list[Block] = [
        _input(
            "engineer",
            reader._("Sales engineer (empty: the team's routing rule)"),
            {
                "type": "users_select",
                "action_id": "value",
                "placeholder": plain(reader._("Pick a sales engineer")),
            },
            optional=True,
        ),
        _input("company", reader._("Company"), _text(reader._("Acme Corp"), max_length=200)),
        _input(
            "contact",
            reader._("Contact person"),
            _text(reader._("Jane Doe, CFO"), max_length=MAX_CONTACT_CHARS),
            optional=True,
        ),
        _input(
            "summary",
            reader._("Project"),
            _text(
                reader._("invoice capture for 3 plants, decision in Q2"),
                max_length=MAX_SUMMARY_CHARS,
                multiline=True,
            ),
        ),
        _input(
            "value",
            reader._("Estimated value ({currency})", currency=reader.currency),
            _text(reader._("120k"), max_length=40),
            optional=True,
        ),
        _input(
            "source",
            reader._("Source"),
            {
                "type": "static_select",
                "action_id": "value",
                "options": sources,
                "initial_option": sources[0],
            },
        ),
    ]
    if events:
        options = [
            option(cut(event_label(e, reader), LIMITS["option_text"]), str(e.id))
            for e in events[: LIMITS["options"]]
        ]
        blocks.append(
            _input(
                "event",
                reader._("Seminar or trade show"),
                {"type": "static_select", "action_id": "value", "options": options},
                optional=True,
            )
        )
    return {
        "type": "modal",
        "callback_id": HANDOFF_CALLBACK,
        "title": plain(reader._("Hand a lead"), limit=LIMITS["modal_title"]),
        "submit": plain(reader._("Hand it over"), limit=LIMITS["modal_button"]),
        "close": plain(reader._("Cancel"), limit=LIMITS["modal_button"]),
        "private_metadata": json.dumps({"channel_id": channel_id}),
        "blocks": blocks,
    }


def outcome_form(*, lead: LeadFacts, action: LeadAction, reader: Reader) -> dict[str, Any]:
    """The form behind Reject and Lost (a reason) and Won (the value)."""
    asks, title, submit = OUTCOME_FORMS[action]
    if asks == "value":
        estimate = (
            reader.money(lead.estimated_value, lead.currency)
            if lead.estimated_value is not None
            else None
        )
        label = (
            reader._("Value won (empty: the estimate, {value})", value=estimate)
            if estimate
            else reader._("Value won")
        )
        block = _input(
            "value",
            label,
            _text(reader._("120k"), max_length=40),
            optional=estimate is not None,
        )
    else:
        block = _input(
            "reason",
            reader._("Why?"),
            _text(reader._("no budget before 2027"), max_length=MAX_REASON_CHARS, multiline=True),
        )
    return {
        "type": "modal",
        "callback_id": OUTCOME_CALLBACK,
        "title": plain(reader._(title, reference=lead.reference), limit=LIMITS["modal_title"]),
        "submit": plain(reader._(submit), limit=LIMITS["modal_button"]),
        "close": plain(reader._("Cancel"), limit=LIMITS["modal_button"]),
        "private_metadata": json.dumps({"lead_id": lead.id, "action": action.value}),
        "blocks": [block],
    }
