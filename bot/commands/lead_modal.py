"""Reading the lead forms once submitted: the `/lead` hand-off form, and Reject, Won and Lost."""

from __future__ import annotations

from decimal import Decimal

from bot.grammar.amounts import parse_amount
from bot.grammar.words import check_characters
from bot.payloads import FormSubmission, MalformedPayload
from bot.text import plain_text
from bot.views.lead_forms import HANDOFF_FIELDS, OUTCOME_FORMS
from models.errors import DomainError, InvalidInput
from models.leads import LeadAction, LeadProblem, NewLead, Source, check_new_lead


def _typed(form: FormSubmission, field: str) -> str:
    return plain_text(check_characters(form.text(field), field=field), field=field)


def amount(text: str, *, currency: str, field: str = "value") -> Decimal | None:
    """An amount typed in a form field (None when empty), refused on that field."""
    if not text.strip():
        return None
    try:
        return parse_amount(text, currency=currency)
    except DomainError as error:
        error.field = field
        raise


def read_handoff(form: FormSubmission, *, currency: str) -> NewLead:
    """The NewLead a submitted hand-off form describes."""
    try:
        source = Source(form.choice("source") or Source.TELEMARKETING.value)
    except ValueError:
        raise InvalidInput(LeadProblem.EVENT_NOT_OFFERED, field="source", kind="other") from None
    event = form.choice("event")
    new = NewLead(
        company=_typed(form, "company"),
        summary=_typed(form, "summary"),
        engineer=form.user("engineer") or None,
        estimated_value=amount(form.text("value"), currency=currency),
        source=source,
        event_id=int(event) if event.isdigit() else None,
        contact_name=_typed(form, "contact") or None,
    )
    check_new_lead(new, currency=currency)
    return new


def form_fields(form: FormSubmission) -> set[str]:
    """The hand-off form's fields that this form shows (the event picker only with events)."""
    return set(HANDOFF_FIELDS) & form.block_ids


def field_for(error: DomainError, fields: set[str]) -> str:
    """Where a hand-off refusal shows: its field, else the source for an event, else company."""
    if error.field in fields:
        return error.field or "company"
    return "source" if error.field == "event" else "company"


def read_outcome(form: FormSubmission) -> tuple[int, LeadAction]:
    """The lead and the transition an outcome form is for."""
    lead_id = form.metadata.get("lead_id")
    try:
        action = LeadAction(form.meta_text("action"))
    except ValueError:
        raise MalformedPayload("view/private_metadata") from None
    if not isinstance(lead_id, int) or action not in OUTCOME_FORMS:
        raise MalformedPayload("view/private_metadata")
    return lead_id, action


def read_reason(form: FormSubmission) -> str | None:
    """The reason typed in a Reject or Lost form."""
    return _typed(form, "reason") or None
