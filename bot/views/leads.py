"""What leads look like in Slack: the card, thread replies, direct messages, answers, lists, help.

Cards and thread replies are written for the team's channel (its language:
bot.readers.team_reader); answers and direct messages for their reader
(bot.readers.reader_of). Everything a user typed is escaped (bot.text.escape);
the buttons, the thread words of the card's hint and the help are read from the
transition rules (models.lead_flow.RULES) and the thread verbs (bot.grammar.verbs).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from bot.blocks import Block, actions, button, context, cut, message, section, text_sections
from bot.grammar.verbs import TAKES, verb_word
from bot.i18n import N_, Reader
from bot.text import escape
from models.keys import name_key
from models.lead_flow import RULES, Transition
from models.leads import (
    HandedLead,
    LeadAction,
    LeadFacts,
    LeadPage,
    LeadQuery,
    ListScope,
    Source,
    Status,
)

CARD_EVENT_TYPE = "leadcell_lead_card"
MESSAGE_EVENT_TYPE = "leadcell_outbox"
#: The card's buttons: action id and label of each transition that has one, in card order.
BUTTONS: dict[LeadAction, str] = {
    LeadAction.CLAIM: "lead_claim",
    LeadAction.QUALIFY: "lead_qualify",
    LeadAction.WIN: "lead_win",
    LeadAction.LOSE: "lead_lose",
    LeadAction.REJECT: "lead_reject",
    LeadAction.RELEASE: "lead_release",
}
BUTTON_LABELS: dict[LeadAction, str] = {
    LeadAction.CLAIM: N_("Claim"),
    LeadAction.QUALIFY: N_("Qualify"),
    LeadAction.WIN: N_("Won"),
    LeadAction.LOSE: N_("Lost"),
    LeadAction.REJECT: N_("Reject"),
    LeadAction.RELEASE: N_("Release"),
}
_BUTTON_STYLES = {
    LeadAction.CLAIM: "primary",
    LeadAction.QUALIFY: "primary",
    LeadAction.REJECT: "danger",
}
#: The thread actions, in the order hints and help list them.
THREAD_ACTIONS = (
    LeadAction.CLAIM,
    LeadAction.QUALIFY,
    LeadAction.REJECT,
    LeadAction.WIN,
    LeadAction.LOSE,
    LeadAction.RELEASE,
)
ARGUMENTS = {"reason": N_("reason"), "value": N_("value")}

STATUS_NAMES: dict[Status, str] = {
    Status.NEW: N_("new"),
    Status.CLAIMED: N_("claimed"),
    Status.QUALIFIED: N_("qualified"),
    Status.REJECTED: N_("rejected"),
    Status.WON: N_("won"),
    Status.LOST: N_("lost"),
}
SOURCE_NAMES: dict[Source, str] = {
    Source.TELEMARKETING: N_("Telemarketing"),
    Source.SEMINAR: N_("Seminar"),
    Source.TRADE_SHOW: N_("Trade show"),
    Source.OTHER: N_("Other"),
}
#: The card's status line, by status.
STATUS_LINES: dict[Status, str] = {
    Status.NEW: N_("New, waiting to be claimed"),
    Status.CLAIMED: N_("Claimed by {holder} after {elapsed}"),
    Status.QUALIFIED: N_("Qualified by {holder}"),
    Status.REJECTED: N_("Rejected by {holder}: {reason}"),
    Status.WON: N_("Won by {holder} for {value}"),
    Status.LOST: N_("Lost by {holder}: {reason}"),
}
#: The thread reply of each change.
REPLIES: dict[LeadAction, str] = {
    LeadAction.CLAIM: N_("{actor} claimed {reference} {elapsed} after the hand-off."),
    LeadAction.QUALIFY: N_("{actor} qualified {reference}."),
    LeadAction.REJECT: N_("{actor} rejected {reference}: {reason}"),
    LeadAction.WIN: N_("{actor} marked {reference} won for {value}."),
    LeadAction.LOSE: N_("{actor} marked {reference} lost: {reason}"),
    LeadAction.RELEASE: N_("{actor} passed {reference} on to {to}."),
    LeadAction.REASSIGN: N_("{actor} reassigned {reference} to {to}."),
}
BACK_TO_POOL = N_("{actor} put {reference} back in the pool.")
#: Direct messages, by (action, the recipient's part in it).
DIRECT_MESSAGES: dict[tuple[LeadAction, str], str] = {
    (LeadAction.HAND, "new"): N_("{actor} handed you {subject}: {summary}"),
    (LeadAction.CLAIM, "agent"): N_("{actor} claimed {subject}, {elapsed} after your hand-off."),
    (LeadAction.RELEASE, "new"): N_("{actor} passed {subject} on to you."),
    (LeadAction.REASSIGN, "new"): N_("{actor} handed {subject} to you."),
    (LeadAction.REASSIGN, "previous"): N_("{actor} reassigned {subject}, which you held, to {to}."),
}
TAKEN_TO_POOL = N_("{actor} put {subject}, which you held, back in the pool.")
LIST_TITLES: dict[ListScope, str] = {
    ListScope.MINE: N_("Your open leads"),
    ListScope.OPEN: N_("Open leads of your team"),
    ListScope.POOL: N_("Leads in the pool"),
    ListScope.TODAY: N_("Leads you handed today"),
    ListScope.CLOSED: N_("Closed leads of your team"),
    ListScope.ALL: N_("Leads of your team"),
}


def who(user_id: str) -> str:
    """A person named in a message: a mention, which Slack shows as their name."""
    return f"<@{user_id}>"


def _money(reader: Reader, value: Decimal | None, currency: str) -> str:
    return reader._("not given") if value is None else reader.money(value, currency)


def _source(reader: Reader, lead: LeadFacts) -> str:
    kind = reader._(SOURCE_NAMES[lead.source])
    if lead.event is None:
        return kind
    return reader._(
        "{kind}: {event} ({day})",
        kind=kind,
        event=escape(lead.event.name),
        day=reader.day_month(lead.event.held_on),
    )


def status_line(lead: LeadFacts, reader: Reader) -> str:
    """The card's status, in a sentence."""
    if lead.status == Status.CLAIMED and lead.time_to_claim is None and lead.owner is not None:
        return reader._("Claimed by {holder}", holder=who(lead.owner.user_id))
    return reader._(
        STATUS_LINES[lead.status],
        holder=who(lead.owner.user_id) if lead.owner else reader._("nobody"),
        elapsed=reader.elapsed(lead.time_to_claim) if lead.time_to_claim else "",
        reason=escape(lead.reason or ""),
        value=_money(reader, lead.final_value, lead.currency),
    )


def offered(status: Status, *, handed: bool = True) -> list[LeadAction]:
    """The thread actions a lead offers: those its status allows by the rules, but not
    passing on a lead that nobody has yet (a new lead in the pool)."""
    return [
        action
        for action in THREAD_ACTIONS
        if status in RULES[action].sources
        and not (action == LeadAction.RELEASE and status == Status.NEW and not handed)
    ]


def verb_hint(status: Status, reader: Reader, *, handed: bool = True) -> str:
    """The thread words a lead in `status` answers to, in the reader's language, escaped."""
    words = []
    for action in offered(status, handed=handed):
        word = escape(verb_word(action, reader.language))
        takes = TAKES.get(action)
        if takes:
            word += " &lt;" + escape(reader._(ARGUMENTS[takes])) + "&gt;"
        words.append(word)
    return ", ".join(words)


def card_buttons(lead: LeadFacts, reader: Reader) -> list[dict[str, Any]]:
    """The buttons of the transitions the lead's status allows."""
    return [
        button(
            reader._(BUTTON_LABELS[action]),
            action_id=action_id,
            value=str(lead.id),
            style=_BUTTON_STYLES.get(action),
        )
        for action, action_id in BUTTONS.items()
        if action in offered(lead.status, handed=lead.assigned_to is not None)
    ]


def card(lead: LeadFacts, reader: Reader) -> dict[str, Any]:
    """The lead card: fallback text, blocks, and metadata naming the lead (the shell and the
    outbox's check of the channel read it)."""
    detected = who(lead.detected_by.user_id)
    if lead.call_at is not None:
        detected = reader._(
            "{agent}, from the call of {moment}",
            agent=detected,
            moment=reader.day_and_clock(lead.call_at),
        )
    assigned = (
        who(lead.assigned_to.user_id)
        if lead.assigned_to
        else reader._("the pool: any sales engineer may claim it")
    )
    lines = [f"*{lead.reference} · {escape(lead.company)}*", escape(lead.summary)]
    if lead.contact_name:
        lines.append(reader._("Contact: {name}", name=escape(lead.contact_name)))
    lines += [
        "",
        reader._("*Value:* {value}", value=_money(reader, lead.estimated_value, lead.currency))
        + "   "
        + reader._("*Source:* {source}", source=_source(reader, lead)),
        reader._("*Detected by:* {agent}", agent=detected),
        reader._("*Assigned to:* {engineer}", engineer=assigned),
        reader._("*Status:* {status}", status=status_line(lead, reader)),
    ]
    blocks: list[Block] = [section("\n".join(lines), block_id=f"lead-{lead.id}")]
    handed = reader.day_and_clock(lead.handed_at)
    buttons = card_buttons(lead, reader)
    if buttons:
        blocks.append(actions(*buttons, block_id=f"lead-actions-{lead.id}"))
        blocks.append(
            context(
                reader._(
                    "Handed {moment} · or reply in this thread: {words}",
                    moment=handed,
                    words=verb_hint(lead.status, reader, handed=lead.assigned_to is not None),
                )
            )
        )
    else:
        blocks.append(context(reader._("Handed {moment} · closed", moment=handed)))
    text = reader._(
        "{reference} · {company}: {status}",
        reference=lead.reference,
        company=escape(lead.company),
        status=reader._(STATUS_NAMES[lead.status]),
    )
    metadata = {
        "event_type": CARD_EVENT_TYPE,
        "event_payload": {"lead_id": lead.id, "reference": lead.reference, "version": lead.version},
    }
    return message(text, blocks, metadata=metadata)


def message_metadata(key: str) -> dict[str, Any]:
    """The metadata naming the outbox row a reply or direct message delivers."""
    return {"event_type": MESSAGE_EVENT_TYPE, "event_payload": {"key": key}}


def _moved(facts: dict[str, Any], template: str, pool: str, reader: Reader, **fields: str) -> str:
    to = facts.get("to")
    if to is None:
        return reader._(pool, **fields)
    return reader._(template, to=who(to), **fields)


def reply_text(facts: dict[str, Any], lead: LeadFacts, reader: Reader) -> str:
    """The thread reply that records a change, from the outbox row's facts."""
    action = LeadAction(facts["action"])
    fields = {"actor": who(facts["actor"]), "reference": lead.reference}
    if action in (LeadAction.RELEASE, LeadAction.REASSIGN):
        return _moved(facts, REPLIES[action], BACK_TO_POOL, reader, **fields)
    return reader._(
        REPLIES[action],
        elapsed=reader.elapsed(_seconds(facts.get("elapsed"))),
        reason=escape(str(facts.get("reason") or "")),
        value=_money(reader, _decimal(facts.get("value")), facts.get("currency") or lead.currency),
        **fields,
    )


def direct_message(
    facts: dict[str, Any], lead: LeadFacts, reader: Reader, link: str | None
) -> dict[str, Any]:
    """A direct message about a lead, with a link to its card when there is one."""
    action = LeadAction(facts["action"])
    role = facts.get("role", "new")
    fields = {
        "actor": who(facts["actor"]),
        "subject": f"{lead.reference} · *{escape(lead.company)}*",
        "summary": escape(cut(lead.summary, 200)),
        "elapsed": reader.elapsed(_seconds(facts.get("elapsed"))),
    }
    if (action, role) == (LeadAction.REASSIGN, "previous"):
        said = _moved(facts, DIRECT_MESSAGES[(action, role)], TAKEN_TO_POOL, reader, **fields)
    else:
        said = reader._(DIRECT_MESSAGES[(action, role)], **fields)
    blocks: list[Block] = [section(said)]
    text = said
    if link:
        label = reader._("Open the card")
        blocks.append(context(f"<{link}|{label}>"))
        text = reader._("{message} Open the card: {link}", message=said, link=link)
    return message(text, blocks)


def _seconds(value: Any) -> timedelta:
    return timedelta(seconds=int(value or 0))


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


# --- answers to the person who asked --------------------------------------------------------


def _ephemeral(text: str, blocks: list[Block] | None = None) -> dict[str, Any]:
    return {"response_type": "ephemeral", **message(text, blocks or [section(text)])}


def _holder_phrase(lead: LeadFacts, reader: Reader) -> str:
    if lead.owner is not None:
        return reader._("held by {engineer}", engineer=who(lead.owner.user_id))
    if lead.assigned_to is not None:
        return reader._("handed to {engineer}", engineer=who(lead.assigned_to.user_id))
    return reader._("in the pool")


def handed_answer(handed: HandedLead, reader: Reader) -> dict[str, Any]:
    """The answer to the person who handed a lead (a repeat of the request gets the same)."""
    lead = handed.lead
    fields = {"reference": lead.reference, "company": escape(lead.company)}
    if lead.assigned_to is not None:
        said = reader._(
            "{reference} · *{company}* is handed to {engineer}.",
            engineer=who(lead.assigned_to.user_id),
            **fields,
        )
    else:
        said = reader._(
            "{reference} · *{company}* is in the pool: any sales engineer may claim it.", **fields
        )
    lines = [said]
    if handed.linked_call:
        lines.append(reader._("It is linked to your call with them today."))
    for other in handed.open_duplicates:
        lines.append(
            reader._(
                ":warning: {reference} for *{company}* is still open, {holder}.",
                reference=other.reference,
                company=escape(other.company),
                holder=_holder_phrase(other, reader),
            )
        )
    return _ephemeral(" ".join(lines).replace("\n", " "), [section("\n".join(lines))])


def transition_answer(transition: Transition, reader: Reader) -> dict[str, Any]:
    """The answer to `/lead release` and `/lead reassign` (and an unchanged request)."""
    lead = transition.lead
    if not transition.changed:
        said = reader._(
            "{reference} is unchanged: it is already so ({status}, {holder}).",
            reference=lead.reference,
            status=reader._(STATUS_NAMES[lead.status]),
            holder=_holder_phrase(lead, reader),
        )
        return _ephemeral(said)
    facts = {
        "action": transition.action.value,
        "actor": transition.actor,
        "to": lead.holder.user_id if lead.holder else None,
    }
    return _ephemeral(reply_text(facts, lead, reader))


def show_answer(lead: LeadFacts, reader: Reader) -> dict[str, Any]:
    """`/lead show L-0042`: the card, for the person who asked."""
    shown = card(lead, reader)
    return {"response_type": "ephemeral", "text": shown["text"], "blocks": shown["blocks"]}


def handle(name: str) -> str:
    """How to name a member in a command: `@` and their first name (`@marc`)."""
    return "@" + (name_key(name).split() or [name])[0]


def list_command(query: LeadQuery, page: int, engineer_name: str | None) -> str:
    """The `/lead list …` command that shows `page` of the same list."""
    words = ["/lead", "list"]
    if query.scope is not None:
        words.append(query.scope.value)
    if query.status is not None:
        words.append(query.status.value)
    if engineer_name:
        words.append(handle(engineer_name))
    if query.source is not None:
        words.append(f"source={query.source.value}")
    words.append(f"page={page}")
    return " ".join(words)


def list_answer(page: LeadPage, reader: Reader) -> dict[str, Any]:
    """One page of a list of leads: how many there are, one line each, the next page's command."""
    query = page.query
    assert query.scope is not None
    title = f"*{reader._(LIST_TITLES[query.scope])}*"
    filters = []
    if query.status is not None:
        filters.append(reader._("status {status}", status=reader._(STATUS_NAMES[query.status])))
    if page.engineer is not None:
        filters.append(reader._("held by {engineer}", engineer=who(page.engineer.user_id)))
    if query.source is not None:
        filters.append(reader._("source {source}", source=reader._(SOURCE_NAMES[query.source])))
    lines = [title]
    if filters:
        lines.append(reader._("Filtered by {filters}.", filters=reader.items(filters)))
    if not page.leads:
        lines.append(reader._("There are none."))
        return _ephemeral(" ".join(lines), text_sections(lines))
    lines.append(
        reader._(
            "Showing {first}–{last} of {total}.",
            first=reader.number(page.first),
            last=reader.number(page.last),
            total=reader.number(page.total),
        )
    )
    for lead in page.leads:
        holder = lead.owner or lead.assigned_to
        lines.append(
            reader._(
                "*{reference}* {company} · {status} · {holder} · {value}",
                reference=lead.reference,
                company=escape(lead.company),
                status=reader._(STATUS_NAMES[lead.status]),
                holder=who(holder.user_id) if holder else reader._("pool"),
                value=_money(reader, lead.estimated_value, lead.currency),
            )
        )
    if page.has_next:
        command = list_command(query, page.page + 1, page.engineer.name if page.engineer else None)
        lines.append(reader._("Next page: {command}", command=f"`{escape(command)}`"))
    summary = reader._(
        "{title}: {first}–{last} of {total}",
        title=reader._(LIST_TITLES[query.scope]),
        first=page.first,
        last=page.last,
        total=page.total,
    )
    return _ephemeral(summary, text_sections(lines))


HELP = N_(
    "*Hand a lead*: `/lead [@engineer] <company> -- <summary> [value=…] [source=…] [contact=…]`\n"
    "• Without @engineer the team's rule applies: the pool, or the next sales engineer in "
    "rotation\n"
    '• `value=120k`, `value=120000`, `value="120 000"`, `value=1.2M`, in the team\'s '
    "currency\n"
    '• `source=seminar:"Paris Summit"` takes the latest past seminar of that name (add its date '
    'for another one: `source=seminar:"Paris Summit 2026-10-14"`); also '
    '`source=trade-show:"Big Fair"` and `source=other`. Without a source the lead is from '
    "telemarketing, linked to your call with the same company today\n"
    '• `contact="Jane Doe, CFO"`; `/lead` alone opens a form\n'
    "*Follow leads*: `/lead list [mine|open|pool|today|closed|all] [<status>] [@engineer] "
    "[source=<source>] [page=<n>]`, `/lead show L-0042`, `/lead release L-0042`, "
    "`/lead reassign L-0042 @claire` or `/lead reassign L-0042 pool` (managers)\n"
    "*On the card*: its buttons, or a reply in its thread: {words}\n"
    "Example: `/lead @marc Acme Corp -- invoice capture for 3 plants value=120k`"
)


def help_answer(reader: Reader) -> dict[str, Any]:
    """The answer to `/lead help`, in the reader's language, with their thread words."""
    words = []
    for action in THREAD_ACTIONS:
        word = verb_word(action, reader.language)
        takes = TAKES.get(action)
        words.append(f"{word} <{reader._(ARGUMENTS[takes])}>" if takes else word)
    text = escape(reader._(HELP, words=", ".join(words)))
    return _ephemeral(text.replace("*", ""), [section(text)])
