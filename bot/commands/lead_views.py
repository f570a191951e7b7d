"""How leads look in Slack: the card, thread replies, lists and the help."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from bot.blocks import Block, actions, button, context, section
from bot.text import escape
from models.lead_flow import Transition
from models.leads import LEAD_EXAMPLE, LeadView, Status
from models.roster import timezone_of

CARD_EVENT_TYPE = "leadcell_lead_card"
ACTIONS = {
    "claim": "lead_claim",
    "qualify": "lead_qualify",
    "reject": "lead_reject",
    "win": "lead_win",
    "lose": "lead_lose",
    "release": "lead_release",
}
THREAD_VERBS = "claim, qualify, reject <reason>, won <value>, lost <reason>, release"

HELP = f"""*Hand a lead*: `/lead [@engineer] <company> -- <summary> [value=…] [source=…]`
• Without `@engineer` the team's rule applies: the pool, or the next sales engineer in rotation
• `value=120k`, `value=120000`, `value="120 000"`, `value=€120k`, `value=1.2M`
• `source=seminar:"Paris Summit"`, `source=trade-show:"Big Fair"`, `source=other` \
(default: telemarketing, linked to your call with the same company today)
• `contact="Jane Doe, CFO"`; `/lead` alone opens a form
*Follow leads*: `/lead list` (yours), `/lead list open`, `/lead list pool`, `/lead list today`, \
`/lead show L-0042`, `/lead release L-0042`, `/lead reassign L-0042 @engineer` (managers)
*On the card*: buttons, or reply in its thread: {THREAD_VERBS}
Example: `{LEAD_EXAMPLE}`"""


def money(value: Decimal | None, currency: str) -> str:
    """`120 000 EUR`; cents only when there are some."""
    if value is None:
        return "not given"
    shown = f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"
    return f"{shown.replace(',', ' ')} {currency}"


def duration(delta: timedelta) -> str:
    """`14 min`, `2 h 05`, `3 days 4 h`."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} day{'s' if days > 1 else ''} {hours} h"


def _source(view: LeadView) -> str:
    if view.event is not None:
        return f"{view.lead.source.replace('-', ' ').capitalize()}: {escape(view.event.name)}"
    return view.lead.source.capitalize()


def _status(view: LeadView) -> str:
    lead, owner = view.lead, view.owner
    if lead.status == Status.NEW:
        return "New, waiting to be claimed"
    if lead.status == Status.CLAIMED and owner:
        claimed = f" after {duration(view.time_to_claim)}" if view.time_to_claim else ""
        return f"Claimed by <@{owner.slack_user_id}>{claimed}"
    text = lead.status.capitalize()
    if owner:
        text += f" by <@{owner.slack_user_id}>"
    if lead.reason:
        text += f": {escape(lead.reason)}"
    if lead.status == Status.WON:
        text += f" for {money(lead.final_value, lead.currency)}"
    return text


def _buttons(view: LeadView) -> list[dict[str, Any]]:
    value, status = str(view.lead.id), view.lead.status
    if status == Status.NEW:
        return [button("Claim", action_id=ACTIONS["claim"], value=value, style="primary")]
    if status not in (Status.CLAIMED, Status.QUALIFIED):
        return []
    buttons = []
    if status == Status.CLAIMED:
        buttons.append(
            button("Qualify", action_id=ACTIONS["qualify"], value=value, style="primary")
        )
    buttons += [
        button("Won", action_id=ACTIONS["win"], value=value),
        button("Lost", action_id=ACTIONS["lose"], value=value),
        button("Reject", action_id=ACTIONS["reject"], value=value, style="danger"),
        button("Release", action_id=ACTIONS["release"], value=value),
    ]
    return buttons


def card(view: LeadView) -> dict[str, Any]:
    """The lead card: text, blocks and metadata naming the lead."""
    lead, team = view.lead, view.team
    zone = timezone_of(team)
    assigned = (
        f"<@{view.assigned_to.slack_user_id}>"
        if view.assigned_to
        else "the pool: any sales engineer may claim it"
    )
    detected = f"<@{view.detected_by.slack_user_id}>"
    if view.call is not None:
        called = view.call.called_at.astimezone(zone).strftime("%d %b %H:%M")
        detected += f", from the call of {called}"
    lines = [
        f"*{view.reference} · {escape(lead.company)}*",
        escape(lead.summary),
        "",
        f"*Value:* {money(lead.estimated_value, lead.currency)}   *Source:* {_source(view)}",
        f"*Detected by:* {detected}",
        f"*Assigned to:* {assigned}",
        f"*Status:* {_status(view)}",
    ]
    if lead.contact_name:
        lines.insert(2, f"Contact: {escape(lead.contact_name)}")
    blocks: list[Block] = [section("\n".join(lines), block_id=f"lead-{lead.id}")]
    handed = lead.handed_at.astimezone(zone).strftime("%d %b %H:%M")
    if _buttons(view):
        blocks.append(actions(*_buttons(view), block_id=f"lead-actions-{lead.id}"))
        blocks.append(context(f"Handed {handed} · or reply in this thread: {THREAD_VERBS}"))
    else:
        blocks.append(context(f"Handed {handed} · closed"))
    text = (
        f"{view.reference} {lead.company}: {lead.status}, "
        f"assigned to {view.assigned_to.name if view.assigned_to else 'the pool'}"
    )
    return {
        "text": text,
        "blocks": blocks,
        "metadata": {
            "event_type": CARD_EVENT_TYPE,
            "event_payload": {
                "lead_id": lead.id,
                "reference": view.reference,
                "version": lead.version,
            },
        },
    }


def transition_reply(transition: Transition) -> str:
    """The thread reply recording a transition."""
    view, who = transition.view, f"<@{transition.actor.slack_user_id}>"
    ref, lead = view.reference, view.lead
    if transition.action == "claimed":
        after = f" {duration(view.time_to_claim)} after the hand-off" if view.time_to_claim else ""
        return f"{who} claimed {ref}{after}."
    if transition.action == "released":
        to = f"to <@{view.assigned_to.slack_user_id}>" if view.assigned_to else "back to the pool"
        return f"{who} passed {ref} on, {to}."
    if transition.action == "reassigned":
        return (
            f"{who} reassigned {ref} to <@{view.assigned_to.slack_user_id}>."
            if (view.assigned_to)
            else f"{who} reassigned {ref}."
        )
    detail = ""
    if lead.reason and transition.action in ("rejected", "lost"):
        detail = f": {escape(lead.reason)}"
    if transition.action == "won":
        detail = f" for {money(lead.final_value, lead.currency)}"
    return f"{who} marked {ref} {transition.action}{detail}."


def handed_message(view: LeadView) -> dict[str, Any]:
    """The ephemeral answer to the agent who handed a lead."""
    to = (
        f"<@{view.assigned_to.slack_user_id}>"
        if view.assigned_to
        else "the pool of sales engineers"
    )
    linked = " It is linked to your call with them today." if view.call else ""
    text = f"{view.reference} · *{escape(view.lead.company)}* is handed to {to}.{linked}"
    return {"response_type": "ephemeral", "text": text, "blocks": [section(text)]}


def list_message(title: str, views: list[LeadView]) -> dict[str, Any]:
    """An ephemeral list of leads, one line each."""
    if not views:
        text = f"{title}: none."
        return {"response_type": "ephemeral", "text": text, "blocks": [section(text)]}
    lines = []
    for view in views:
        who = (
            f"<@{view.owner.slack_user_id}>"
            if view.owner
            else f"<@{view.assigned_to.slack_user_id}>"
            if view.assigned_to
            else "pool"
        )
        lines.append(
            f"*{view.reference}* {escape(view.lead.company)} · {view.lead.status} · "
            f"{who} · {money(view.lead.estimated_value, view.lead.currency)}"
        )
    blocks: list[Block] = [section(f"*{title}*")]
    chunk: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in chunk) + len(line) > 2900:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    blocks.append(section("\n".join(chunk)))
    return {"response_type": "ephemeral", "text": f"{title}: {len(views)}", "blocks": blocks[:50]}
