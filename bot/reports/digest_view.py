"""The daily digest as Slack messages and as terminal text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tabulate import tabulate

from bot.reports import (
    NONE,
    Item,
    cell,
    count,
    day_label,
    duration,
    header,
    note,
    paragraph,
    percent,
    table,
    to_messages,
    to_text,
    waited,
)
from bot.text import escape
from models.reports import UNCLAIMED_AFTER, DailyDigest, DigestLead, local_date

_HOURS = int(UNCLAIMED_AFTER.total_seconds() // 3600)


def digest_title(digest: DailyDigest) -> str:
    """`Daily digest · France · Fri 27 Nov 2026`."""
    return f"Daily digest · {digest.team.name} · {day_label(digest.day)}"


def _target(digest: DailyDigest) -> str:
    """`27 / 30, 90%`, or the bare count when the team has no target."""
    if digest.target_percent is None:
        return count(digest.useful_contacts)
    return (
        f"{count(digest.useful_contacts)} / {count(digest.team.daily_contact_target)}, "
        f"{digest.target_percent}%"
    )


def _rate(leads: int, contacts: int) -> str:
    if not contacts:
        return NONE
    return percent(Decimal(100 * leads) / contacts, places=0)


def _agents_table(digest: DailyDigest) -> str:
    rows: list[tuple[str, ...]] = [
        (
            cell(a.name, 24),
            count(a.dials),
            count(a.useful_contacts),
            count(a.leads),
            _rate(a.leads, a.useful_contacts),
            duration(a.average_useful_seconds),
        )
        for a in digest.agents
    ]
    rows.append(
        (
            "Team",
            count(digest.dials),
            count(digest.useful_contacts),
            count(digest.lead_count),
            _rate(digest.lead_count, digest.useful_contacts),
            "",
        )
    )
    return tabulate(
        rows,
        headers=("agent", "dials", "useful", "leads", "lead rate", "avg useful"),
        colalign=("left", "right", "right", "right", "right", "right"),
        disable_numparse=True,
    )


def _holder(lead: DigestLead) -> str:
    return cell(lead.holder, 22) if lead.holder else "pool"


def _leads_table(leads: tuple[DigestLead, ...]) -> str:
    rows = [
        (lead.reference, cell(lead.company), lead.source, _holder(lead), lead.status)
        for lead in leads
    ]
    return tabulate(
        rows,
        headers=("lead", "company", "source", "sales engineer", "status"),
        disable_numparse=True,
    )


def _unclaimed_table(digest: DailyDigest) -> str:
    zone = digest.team.zone
    rows = []
    for lead in digest.unclaimed:
        handed = lead.handed_at.astimezone(zone)
        when = f"{handed:%H:%M}" if handed.date() == digest.day else f"{handed:%Y-%m-%d %H:%M}"
        rows.append(
            (
                lead.reference,
                cell(lead.company),
                when,
                waited(digest.now - lead.handed_at),
                _holder(lead),
            )
        )
    return tabulate(
        rows, headers=("lead", "company", "handed", "waiting", "assigned to"), disable_numparse=True
    )


def digest_items(digest: DailyDigest) -> list[Item]:
    """The digest's content, in order."""
    today = local_date(digest.team, digest.now) == digest.day
    when = "today" if today else "that day"
    figures = (
        f"Useful contacts: {_target(digest)} · Dials: {count(digest.dials)} · "
        f"Leads: {count(digest.lead_count)}"
    )
    items = [header(digest_title(digest))]
    if digest.is_empty:
        items.append(paragraph(f"Nothing was logged {when}: no call, no lead."))
    else:
        items.append(
            paragraph(
                f"*Useful contacts:* {_target(digest)}   *Dials:* {count(digest.dials)}   "
                f"*Leads:* {count(digest.lead_count)}",
                figures,
            )
        )
    if digest.agents and not digest.is_empty:
        items.append(table(_agents_table(digest)))
    if digest.leads:
        items.append(
            paragraph(
                f"*Leads handed {when}* ({count(len(digest.leads))})",
                f"Leads handed {when} ({count(len(digest.leads))})",
            )
        )
        items.append(table(_leads_table(digest.leads)))
    elif not digest.is_empty:
        items.append(paragraph(f"No lead was handed {when}."))
    if digest.unclaimed_count:
        title = f"Unclaimed for {_HOURS} h or more ({count(digest.unclaimed_count)})"
        items.append(paragraph(f":hourglass: *{title}*", title))
        items.append(table(_unclaimed_table(digest)))
        hidden = digest.unclaimed_count - len(digest.unclaimed)
        if hidden > 0:
            items.append(
                note(
                    f"… and {count(hidden)} more, older ones first above. "
                    "`/lead list pool` shows the pool."
                )
            )
    else:
        items.append(note(f"Every lead handed {_HOURS} h ago or more has been claimed."))
    return items


def _summary(digest: DailyDigest) -> str:
    if digest.is_empty:
        return f"{digest_title(digest)}: nothing logged."
    text = (
        f"{digest_title(digest)}: {_target(digest)} useful contacts, "
        f"{count(digest.dials)} dials, {count(digest.lead_count)} leads"
    )
    if digest.unclaimed_count:
        text += f", {count(digest.unclaimed_count)} unclaimed for {_HOURS} h or more"
    return escape(text + ".")


def digest_messages(digest: DailyDigest) -> list[dict[str, Any]]:
    """The digest as chat.postMessage payloads ({"text", "blocks"}), split to fit Slack."""
    return to_messages(digest_items(digest), title=digest_title(digest), summary=_summary(digest))


def digest_text(digest: DailyDigest) -> str:
    """The digest for the terminal (`--dry-run`, `leadcell report today`)."""
    return to_text(digest_items(digest))
