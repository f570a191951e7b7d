"""The monthly cost-per-lead report in words: Slack messages, terminal text, and its files.

Channel posts are read with the team's reader, on-demand answers with the
person's; money is always in the team's currency (`in_team`). Every derived
figure (cost per lead, the ratio to telemarketing, the share of leads) arrives
exact and is rounded here, once: amounts to the unit, ratios to one decimal
(`1.247` shows as `1.2x`), shares to one decimal of a percent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tabulate import tabulate

from bot.i18n import N_, Reader
from bot.views.report_chart import cost_per_lead_png
from bot.views.report_csv import report_csv
from bot.views.report_labels import source_name
from bot.views.report_pages import (
    NONE,
    Item,
    in_team,
    note,
    paragraph,
    table,
    title,
    to_messages,
    to_text,
    unstarred,
    whole_money,
)
from models.leads import Source
from models.reports import TRAILING_MONTHS, MonthlyReport, SourceFigures, SourceTable

#: The columns of the report's tables (the footnote explains the short ones).
TABLE_HEADERS = (
    N_("source"),
    N_("cost"),
    N_("leads"),
    N_("cost/lead"),
    N_("vs tele"),
    N_("share"),
    N_("qualified"),
    N_("cost/qualified"),
)


@dataclass(frozen=True)
class ReportFile:
    """A file to upload with a report (files_upload_v2: filename, title, content)."""

    filename: str
    title: str
    content: bytes
    mimetype: str


def report_title(report: MonthlyReport, reader: Reader) -> str:
    """`Cost per lead · France · October 2026` (plain text)."""
    return reader._(
        "Cost per lead · {team} · {month}",
        team=report.team.name,
        month=reader.month_name(report.month),
    )


def _cost(reader: Reader, cost: Decimal, recorded: bool) -> str:
    return whole_money(reader, cost) if recorded else NONE


def _per_lead(reader: Reader, value: Decimal | None, leads: int, recorded: bool) -> str:
    if not leads:
        return reader._("no leads")
    if not recorded or value is None:
        return reader._("no cost recorded")
    return whole_money(reader, value)


def _ratio(reader: Reader, value: Decimal | None) -> str:
    return NONE if value is None else reader.ratio(value)


def _optional_money(reader: Reader, value: Decimal | None) -> str:
    return NONE if value is None else whole_money(reader, value)


def source_table_text(figures: SourceTable, reader: Reader) -> str:
    """A period's figures by source, with a total row, as a monospace table."""
    rows = [
        (
            source_name(reader, row.source),
            _cost(reader, row.cost, row.cost_recorded),
            reader.number(row.leads),
            _per_lead(reader, row.cost_per_lead, row.leads, row.cost_recorded),
            _ratio(reader, row.ratio_to_telemarketing),
            NONE if row.share is None else reader.percent(row.share, decimals=1),
            reader.number(row.qualified),
            _optional_money(reader, row.cost_per_qualified),
        )
        for row in figures.rows
    ]
    rows.append(
        (
            reader._("Total"),
            _cost(reader, figures.total_cost, figures.cost_recorded),
            reader.number(figures.total_leads),
            _per_lead(reader, figures.cost_per_lead, figures.total_leads, figures.cost_recorded),
            "",
            reader.percent(Decimal(1), decimals=1) if figures.total_leads else NONE,
            reader.number(figures.total_qualified),
            _optional_money(reader, figures.cost_per_qualified),
        )
    )
    return tabulate(
        rows,
        headers=[reader._(h) for h in TABLE_HEADERS],
        disable_numparse=True,
        colalign=("left", *["right"] * 7),
    )


def _source_line(row: SourceFigures, reader: Reader) -> str | None:
    """One source's month in a sentence, or None when it had neither cost nor leads."""
    source = source_name(reader, row.source)
    leads = reader.n_("{count} lead", "{count} leads", row.leads)
    if row.leads == 0:
        if not row.cost_recorded:
            return None
        return reader._(
            "*{source}:* {cost} of costs and no lead.",
            source=source,
            cost=whole_money(reader, row.cost),
        )
    if row.cost_per_lead is None:
        return reader._("*{source}:* {leads}, no cost recorded.", source=source, leads=leads)
    if row.ratio_to_telemarketing is None or row.source == Source.TELEMARKETING:
        return reader._(
            "*{source}:* {leads}, {cost} per lead.",
            source=source,
            leads=leads,
            cost=whole_money(reader, row.cost_per_lead),
        )
    return reader._(
        "*{source}:* {leads}, {cost} per lead, {ratio} telemarketing's.",
        source=source,
        leads=leads,
        cost=whole_money(reader, row.cost_per_lead),
        ratio=reader.ratio(row.ratio_to_telemarketing),
    )


def _month_line(report: MonthlyReport, reader: Reader) -> str:
    """The month's totals in a sentence."""
    figures, month = report.month_table, reader.month_name(report.month)
    if report.is_empty:
        return reader._("No cost and no lead recorded for {month}.", month=month)
    leads = reader.n_("{count} lead", "{count} leads", figures.total_leads)
    if not figures.total_leads:
        cost = whole_money(reader, figures.total_cost)
        return reader._("*{month}:* no lead, {cost} of costs.", month=month, cost=cost)
    if figures.cost_per_lead is None:
        return reader._("*{month}:* {leads}, no cost recorded.", month=month, leads=leads)
    return reader._(
        "*{month}:* {leads} for {cost}, {cost_per_lead} per lead.",
        month=month,
        leads=leads,
        cost=whole_money(reader, figures.total_cost),
        cost_per_lead=whole_money(reader, figures.cost_per_lead),
    )


def _highlights(report: MonthlyReport, reader: Reader) -> str:
    lines = [_month_line(report, reader)]
    if not report.is_empty:
        lines += [line for row in report.month_table.rows if (line := _source_line(row, reader))]
    return "\n".join(lines)


def _footnote(report: MonthlyReport, reader: Reader) -> str:
    return reader._(
        "Costs in {currency}. Telemarketing's cost is the cell's cost as shared by the month's "
        "split (all of it without a split); every other source's cost is its share of the "
        "cell's cost, plus its own recorded costs and the costs of its events. _vs tele_: cost per "
        "lead against telemarketing's. _qualified_: leads that reached qualified, whatever "
        "happened next, or were won; a released lead starts again as new. Amounts, ratios "
        "and shares are rounded once, from the exact figures.",
        currency=report.team.currency,
    )


def _trailing_heading(report: MonthlyReport, reader: Reader) -> str:
    return reader.n_(
        "*{count} month, {first} – {last}*",
        "*{count} months, {first} – {last}*",
        TRAILING_MONTHS,
        first=reader.short_month(report.trailing.first_month),
        last=reader.short_month(report.trailing.last_month),
    )


def report_items(report: MonthlyReport, reader: Reader) -> list[Item]:
    """The report's content, in order."""
    reader = in_team(reader, report.team)
    highlights = _highlights(report, reader)
    month = f"*{reader.month_name(report.month)}*"
    trailing = _trailing_heading(report, reader)
    footnote = _footnote(report, reader)
    return [
        title(report_title(report, reader)),
        paragraph(highlights, unstarred(highlights)),
        paragraph(month, unstarred(month)),
        table(source_table_text(report.month_table, reader)),
        paragraph(trailing, unstarred(trailing)),
        table(source_table_text(report.trailing, reader)),
        note(footnote, unstarred(footnote)),
    ]


def report_summary(report: MonthlyReport, reader: Reader) -> str:
    """The report in one plain line (the messages' fallback text)."""
    reader = in_team(reader, report.team)
    figures, heading = report.month_table, report_title(report, reader)
    leads = reader.n_("{count} lead", "{count} leads", figures.total_leads)
    if report.is_empty:
        return reader._("{title}: no cost and no lead recorded.", title=heading)
    if not figures.total_leads:
        cost = whole_money(reader, figures.total_cost)
        return reader._("{title}: no lead, {cost} of costs.", title=heading, cost=cost)
    if figures.cost_per_lead is None:
        return reader._("{title}: {leads}, no cost recorded.", title=heading, leads=leads)
    return reader._(
        "{title}: {leads} for {cost}, {cost_per_lead} per lead.",
        title=heading,
        leads=leads,
        cost=whole_money(reader, figures.total_cost),
        cost_per_lead=whole_money(reader, figures.cost_per_lead),
    )


def report_messages(report: MonthlyReport, reader: Reader) -> list[dict[str, Any]]:
    """The report as chat.postMessage payloads ({"text", "blocks"}), split to fit Slack."""
    team_reader = in_team(reader, report.team)
    return to_messages(
        report_items(report, reader),
        team_reader,
        heading=report_title(report, team_reader),
        summary=report_summary(report, reader),
    )


def report_text(report: MonthlyReport, reader: Reader) -> str:
    """The report for the terminal (`--dry-run`, `leadcell report month`)."""
    return to_text(report_items(report, reader))


def report_files(report: MonthlyReport, reader: Reader) -> list[ReportFile]:
    """The chart (PNG, cost per lead by source over 12 months) and the tables (CSV).

    Files are the team's: read them with the team's reader.
    """
    reader = in_team(reader, report.team)
    stem = f"cost-per-lead-{report.team.slug}-{report.period}"
    month = reader.month_name(report.month)
    return [
        ReportFile(
            f"{stem}.png",
            reader.n_(
                "Cost per lead by source, {count} month to {month}",
                "Cost per lead by source, {count} months to {month}",
                TRAILING_MONTHS,
                month=month,
            ),
            cost_per_lead_png(report.series, reader, team_name=report.team.name),
            "image/png",
        ),
        ReportFile(
            f"{stem}.csv",
            reader._("Cost per lead by source, {month}", month=month),
            report_csv(report, reader),
            "text/csv",
        ),
    ]
