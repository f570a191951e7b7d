"""The names digests and reports give to lead sources and statuses, translated when shown."""

from __future__ import annotations

from bot.i18n import N_, Reader
from models.leads import Source, Status

#: A source as a category of leads (the report's rows, the chart's legend, the CSV).
SOURCE_NAMES: dict[Source, str] = {
    Source.TELEMARKETING: N_("Telemarketing"),
    Source.SEMINAR: N_("Seminars"),
    Source.TRADE_SHOW: N_("Trade shows"),
    Source.OTHER: N_("Other sources"),
}
#: A lead's source, in a list of leads.
LEAD_SOURCES: dict[Source, str] = {
    Source.TELEMARKETING: N_("telemarketing"),
    Source.SEMINAR: N_("seminar"),
    Source.TRADE_SHOW: N_("trade show"),
    Source.OTHER: N_("other"),
}
#: A lead's status, in a list of leads.
STATUSES: dict[Status, str] = {
    Status.NEW: N_("new"),
    Status.CLAIMED: N_("claimed"),
    Status.QUALIFIED: N_("qualified"),
    Status.REJECTED: N_("rejected"),
    Status.WON: N_("won"),
    Status.LOST: N_("lost"),
}


def source_name(reader: Reader, source: Source) -> str:
    """`Telemarketing`, `Seminars`, `Trade shows`, `Other sources`."""
    return reader._(SOURCE_NAMES[source])


def lead_source(reader: Reader, source: Source) -> str:
    """`telemarketing`, `seminar`, `trade show`, `other`."""
    return reader._(LEAD_SOURCES[source])


def status_name(reader: Reader, status: Status) -> str:
    """`new`, `claimed`, `qualified`, …"""
    return reader._(STATUSES[status])


def source_leads(reader: Reader, source: Source, count: int) -> str:
    """`1 seminar lead`, `2 trade-show leads`: a count of one source's leads."""
    if source == Source.TELEMARKETING:
        return reader.n_("{count} telemarketing lead", "{count} telemarketing leads", count)
    if source == Source.SEMINAR:
        return reader.n_("{count} seminar lead", "{count} seminar leads", count)
    if source == Source.TRADE_SHOW:
        return reader.n_("{count} trade-show lead", "{count} trade-show leads", count)
    return reader.n_("{count} lead from another source", "{count} leads from other sources", count)
