"""The `/lead` form, and the small forms behind the Reject, Won and Lost buttons."""

from __future__ import annotations

import json
from typing import Any

from bot.blocks import Block, plain
from bot.commands.lead_parse import parse_value
from bot.text import plain_text
from models.errors import InvalidInput
from models.leads import MAX_REASON_CHARS, MAX_SUMMARY_CHARS, NewLead, Source, check_new_lead
from models.tables import Event

HANDOFF_CALLBACK = "lead_modal"
OUTCOME_CALLBACK = "lead_outcome"


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
        "placeholder": plain(placeholder),
        "max_length": max_length,
    }
    if multiline:
        element["multiline"] = True
    return element


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text[:75]), "value": value}


def handoff_modal(*, channel_id: str, events: list[Event]) -> dict[str, Any]:
    """The `/lead` form; `events` are the team's seminars and trade shows to pick from."""
    sources = [_option(s.value.replace("-", " ").capitalize(), s.value) for s in Source]
    blocks: list[Block] = [
        _input(
            "engineer",
            "Sales engineer (empty: the team's routing rule)",
            {
                "type": "users_select",
                "action_id": "value",
                "placeholder": plain("Pick a sales engineer"),
            },
            optional=True,
        ),
        _input("company", "Company", _text("Acme Corp", max_length=200)),
        _input("contact", "Contact person", _text("Jane Doe, CFO", max_length=200), optional=True),
        _input(
            "summary",
            "Project",
            _text(
                "invoice capture for 3 plants, decision in Q2",
                max_length=MAX_SUMMARY_CHARS,
                multiline=True,
            ),
        ),
        _input("value", "Estimated value", _text("120k", max_length=40), optional=True),
        _input(
            "source",
            "Source",
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
            _option(f"{e.kind} · {e.name} ({e.held_on.isoformat()})", str(e.id))
            for e in events[:100]
        ]
        blocks.append(
            _input(
                "event",
                "Seminar or trade show",
                {"type": "static_select", "action_id": "value", "options": options},
                optional=True,
            )
        )
    return {
        "type": "modal",
        "callback_id": HANDOFF_CALLBACK,
        "title": plain("Hand a lead"),
        "submit": plain("Hand it over"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"channel_id": channel_id}),
        "blocks": blocks,
    }


def _state(view: dict[str, Any], block_id: str) -> str:
    value = view.get("state", {}).get("values", {}).get(block_id, {}).get("value", {})
    kind = value.get("type")
    if kind == "users_select":
        return value.get("selected_user") or ""
    if kind == "static_select":
        return (value.get("selected_option") or {}).get("value", "")
    return (value.get("value") or "").strip()


def read_handoff(view: dict[str, Any]) -> tuple[NewLead | None, dict[str, str]]:
    """The NewLead a submitted form describes, or the errors to show on its fields."""
    errors: dict[str, str] = {}
    texts: dict[str, str | None] = {}
    for field in ("company", "contact", "summary"):
        try:
            texts[field] = plain_text(_state(view, field), field=field) or None
        except InvalidInput as exc:
            errors[field] = exc.message
    value = None
    if _state(view, "value"):
        try:
            value = parse_value(_state(view, "value"))
        except InvalidInput as exc:
            errors["value"] = exc.message
    source = Source(_state(view, "source") or Source.TELEMARKETING.value)
    event_id = _state(view, "event")
    if errors:
        return None, errors
    new = NewLead(
        company=texts["company"] or "",
        summary=texts["summary"] or "",
        assignee=_state(view, "engineer") or None,
        estimated_value=value,
        source=source,
        contact_name=texts["contact"],
        event_id=int(event_id) if event_id else None,
    )
    try:
        check_new_lead(new)
    except InvalidInput as exc:
        field = exc.field or "company"
        blocks = {b.get("block_id") for b in view.get("blocks", [])}
        if field not in blocks:
            field = "source" if field == "event" else "company"  # no event picker: no events
        return None, {field: exc.message}
    return new, {}


def outcome_modal(*, lead_id: int, action: str, reference: str) -> dict[str, Any]:
    """The form behind Reject and Lost (a reason) and Won (the value)."""
    if action == "win":
        block = _input(
            "value",
            "Value won (empty: the estimated value)",
            _text("120k", max_length=40),
            optional=True,
        )
        title, submit = f"Won {reference}", "Mark won"
    else:
        verb = "Reject" if action == "reject" else "Lost"
        block = _input(
            "reason",
            "Why?",
            _text("no budget before 2027", max_length=MAX_REASON_CHARS, multiline=True),
        )
        title, submit = f"{verb} {reference}", "Reject" if action == "reject" else "Mark lost"
    return {
        "type": "modal",
        "callback_id": OUTCOME_CALLBACK,
        "title": plain(title[:24]),
        "submit": plain(submit),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"lead_id": lead_id, "action": action}),
        "blocks": [block],
    }


def read_outcome(view: dict[str, Any]) -> tuple[int, str, str | None, str | None]:
    """(lead id, action, reason, value text) from a submitted outcome form."""
    meta = json.loads(view.get("private_metadata") or "{}")
    reason = _state(view, "reason") or None
    value = _state(view, "value") or None
    return int(meta["lead_id"]), str(meta["action"]), reason, value
