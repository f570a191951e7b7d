"""The daily digest in words: Slack messages and terminal text, in the reader's language.

Channel posts are read with the team's reader (bot.readers.team_reader), on-demand
answers with the person's; times and money are always the team's (`in_team`).
Derived figures (lead rates, average lengths, the share of the target) arrive
exact and are rounded here, once.
"""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from bot.i18n import N_, Reader
from bot.views.report_labels import lead_source, source_leads, status_name
from bot.views.report_pages import (
    NONE,
    Item,
    cell,
    in_team,
    note,
    paragraph,
    table,
    title,
    to_messages,
    to_text,
    unstarred,
    whole_seconds,
)
from models.digest import UNCLAIMED_AFTER, AgentDay, DailyDigest, DigestLead
from models.periods import local_day

#: The columns of the digest's tables (the footnote explains the short ones).
AGENT_HEADERS = (
    N_("agent"),
    N_("dials"),
    N_("useful"),
    N_("leads"),
    N_("lead rate"),
    N_("avg useful"),
)
LEAD_HEADERS = (N_("lead"), N_("company"), N_("source"), N_("sales engineer"), N_("status"))
UNCLAIMED_HEADERS = (N_("lead"), N_("company"), N_("handed"), N_("waiting"), N_("assigned to"))


def digest_title(digest: DailyDigest, reader: Reader) -> str:
    """`Daily digest · France · 27 November 2026` (plain text)."""
    return reader._(
        "Daily digest · {team} · {day}",
        team=digest.team.name,
        day=reader.full_date(digest.day),
    )


def _rate(reader: Reader, agent: AgentDay | DailyDigest) -> str:
    rate = agent.lead_rate
    return NONE if rate is None else reader.percent(rate, decimals=0)


def _average(reader: Reader, agent: AgentDay | DailyDigest) -> str:
    seconds = agent.average_useful_seconds
    return NONE if seconds is None else reader.duration(whole_seconds(seconds))


def _figures(digest: DailyDigest, reader: Reader) -> str:
    """`*Useful contacts:* 27 of 30 (90%) · *Dials:* 51 · *Telemarketing leads:* 3, 11% …`"""
    contacts = reader.number(digest.useful_contacts)
    share = digest.target_share
    if share is None:
        parts = [reader._("*Useful contacts:* {count}", count=contacts)]
    else:
        parts = [
            reader._(
                "*Useful contacts:* {count} of {target} ({share})",
                count=contacts,
                target=reader.number(digest.team.daily_contact_target),
                share=reader.percent(share, decimals=0),
            )
        ]
    parts.append(reader._("*Dials:* {count}", count=reader.number(digest.dials)))
    leads = reader.number(digest.agent_leads)
    if digest.lead_rate is None:
        parts.append(reader._("*Telemarketing leads:* {count}", count=leads))
    else:
        parts.append(
            reader._(
                "*Telemarketing leads:* {count}, {rate} of useful contacts",
                count=leads,
                rate=_rate(reader, digest),
            )
        )
    return " · ".join(parts)


def _agents_table(digest: DailyDigest, reader: Reader) -> str:
    rows: list[tuple[str, ...]] = [
        (
            cell(a.person.name, 24),
            reader.number(a.dials),
            reader.number(a.useful_contacts),
            reader.number(a.leads),
            _rate(reader, a),
            _average(reader, a),
        )
        for a in digest.agents
    ]
    rows.append(
        (
            reader._("Team"),
            reader.number(digest.dials),
            reader.number(digest.useful_contacts),
            reader.number(digest.agent_leads),
            _rate(reader, digest),
            _average(reader, digest),
        )
    )
    return tabulate(
        rows,
        headers=[reader._(h) for h in AGENT_HEADERS],
        colalign=("left", "right", "right", "right", "right", "right"),
        disable_numparse=True,
    )


def _holder(lead: DigestLead, reader: Reader) -> str:
    return cell(lead.holder.name, 22) if lead.holder else reader._("pool")


def _leads_table(leads: tuple[DigestLead, ...], reader: Reader) -> str:
    rows = [
        (
            f"L-{lead.number:04d}",
            cell(lead.company),
            lead_source(reader, lead.source),
            _holder(lead, reader),
            status_name(reader, lead.status),
        )
        for lead in leads
    ]
    return tabulate(rows, headers=[reader._(h) for h in LEAD_HEADERS], disable_numparse=True)


def _unclaimed_table(digest: DailyDigest, reader: Reader) -> str:
    rows = []
    for lead in digest.unclaimed:
        same_day = local_day(reader.zone, lead.handed_at) == digest.day
        rows.append(
            (
                f"L-{lead.number:04d}",
                cell(lead.company),
                reader.clock(lead.handed_at) if same_day else reader.day_and_clock(lead.handed_at),
                reader.elapsed(digest.now - lead.handed_at),
                _holder(lead, reader),
            )
        )
    return tabulate(rows, headers=[reader._(h) for h in UNCLAIMED_HEADERS], disable_numparse=True)


def _nothing(digest: DailyDigest, reader: Reader) -> str:
    if digest.is_today:
        return reader._("Nothing was logged today: no call, no lead.")
    return reader._("Nothing was logged that day: no call, no lead.")


def _other_leads(digest: DailyDigest, reader: Reader) -> str:
    counts = [source_leads(reader, s.source, s.leads) for s in digest.other_leads]
    return reader._(
        "*Leads from seminars, trade shows and other sources:* {leads}. They count in no "
        "agent's figures.",
        leads=reader.items(counts),
    )


def _handed(digest: DailyDigest, reader: Reader) -> str:
    count = reader.number(len(digest.leads))
    if digest.is_today:
        return reader._("*Leads handed today ({count})*", count=count)
    return reader._("*Leads handed that day ({count})*", count=count)


def _none_handed(digest: DailyDigest, reader: Reader) -> str:
    if digest.is_today:
        return reader._("No lead was handed today.")
    return reader._("No lead was handed that day.")


def _unclaimed(digest: DailyDigest, reader: Reader) -> list[Item]:
    delay = reader.elapsed(UNCLAIMED_AFTER)
    if not digest.unclaimed_count:
        return [note(reader._("Every lead handed {delay} ago or more is claimed.", delay=delay))]
    heading = reader._(
        "*Unclaimed for {delay} or more ({count})*",
        delay=delay,
        count=reader.number(digest.unclaimed_count),
    )
    items = [paragraph(":hourglass: " + heading, unstarred(heading))]
    items.append(table(_unclaimed_table(digest, reader)))
    hidden = digest.unclaimed_count - len(digest.unclaimed)
    if hidden > 0:
        items.append(
            note(
                reader.n_(
                    "…and {count} more lead waiting; the oldest are listed above.",
                    "…and {count} more leads waiting; the oldest are listed above.",
                    hidden,
                )
            )
        )
    return items


def _footnote(reader: Reader) -> str:
    return reader._(
        "_useful_: useful contacts. _lead rate_: an agent's leads per useful contact. "
        "_avg useful_: the average length of a useful contact. An agent's leads are the "
        "telemarketing leads they handed. A lead's wait starts when it is handed, and again "
        "when a sales engineer releases it."
    )


def digest_items(digest: DailyDigest, reader: Reader) -> list[Item]:
    """The digest's content, in order."""
    reader = in_team(reader, digest.team)
    items = [title(digest_title(digest, reader))]
    if digest.is_empty:
        items.append(paragraph(_nothing(digest, reader)))
    else:
        figures = _figures(digest, reader)
        items.append(paragraph(figures, unstarred(figures)))
        if digest.agents:
            items.append(table(_agents_table(digest, reader)))
        if digest.other_leads:
            others = _other_leads(digest, reader)
            items.append(paragraph(others, unstarred(others)))
        if digest.leads:
            handed = _handed(digest, reader)
            items.append(paragraph(handed, unstarred(handed)))
            items.append(table(_leads_table(digest.leads, reader)))
        else:
            items.append(paragraph(_none_handed(digest, reader)))
    items += _unclaimed(digest, reader)
    if not digest.is_empty:
        footnote = _footnote(reader)
        items.append(note(footnote, unstarred(footnote)))
    return items


def digest_summary(digest: DailyDigest, reader: Reader) -> str:
    """The digest in one plain line (the messages' fallback text)."""
    reader = in_team(reader, digest.team)
    heading = digest_title(digest, reader)
    if digest.is_empty:
        return reader._("{title}: nothing logged.", title=heading)
    figures = {
        "title": heading,
        "contacts": reader.n_(
            "{count} useful contact", "{count} useful contacts", digest.useful_contacts
        ),
        "dials": reader.n_("{count} dial", "{count} dials", digest.dials),
        "leads": reader.n_("{count} lead", "{count} leads", len(digest.leads)),
    }
    if not digest.unclaimed_count:
        return reader._("{title}: {contacts}, {dials}, {leads}.", **figures)
    waiting = reader.n_(
        "{count} lead unclaimed for {delay} or more",
        "{count} leads unclaimed for {delay} or more",
        digest.unclaimed_count,
        delay=reader.elapsed(UNCLAIMED_AFTER),
    )
    return reader._("{title}: {contacts}, {dials}, {leads}; {waiting}.", waiting=waiting, **figures)


def digest_messages(digest: DailyDigest, reader: Reader) -> list[dict[str, Any]]:
    """The digest as chat.postMessage payloads ({"text", "blocks"}), split to fit Slack."""
    team_reader = in_team(reader, digest.team)
    return to_messages(
        digest_items(digest, reader),
        team_reader,
        heading=digest_title(digest, team_reader),
        summary=digest_summary(digest, reader),
    )


def digest_text(digest: DailyDigest, reader: Reader) -> str:
    """The digest for the terminal (`--dry-run`, `leadcell report today`)."""
    return to_text(digest_items(digest, reader))
