"""The monthly cost-per-lead report as Slack messages, terminal text, and files."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from bot.reports import (
    NONE,
    Item,
    ReportFile,
    count,
    header,
    money,
    month_label,
    note,
    paragraph,
    percent,
    ratio,
    short_month,
    table,
    to_messages,
    to_text,
)
from bot.reports.chart import cost_per_lead_png
from bot.reports.csv_export import report_csv
from bot.text import escape
from models.leads import Source
from models.reports import MonthlyReport, SourceTable

NO_LEADS = "no leads"
HEADERS = (
    "source",
    "cost",
    "leads",
    "cost/lead",
    "vs tele",
    "share",
    "qualified",
    "cost/qualified",
)


def report_title(report: MonthlyReport) -> str:
    """`Cost per lead · France · October 2026`."""
    return f"Cost per lead · {report.team.name} · {month_label(report.month)}"


def source_table_text(figures: SourceTable, currency: str) -> str:
    """A period's figures by source, with a total row, as a monospace table."""
    rows = [
        (
            row.source.value,
            money(row.cost, currency),
            count(row.leads),
            money(row.cost_per_lead, currency, missing=NO_LEADS),
            ratio(row.ratio_to_telemarketing),
            percent(row.share_percent),
            count(row.qualified),
            money(row.cost_per_qualified, currency),
        )
        for row in figures.rows
    ]
    rows.append(
        (
            "total",
            money(figures.total_cost, currency),
            count(figures.total_leads),
            money(figures.cost_per_lead, currency, missing=NO_LEADS),
            "",
            "100%" if figures.total_leads else NONE,
            count(figures.total_qualified),
            money(figures.cost_per_qualified, currency),
        )
    )
    return tabulate(rows, headers=HEADERS, disable_numparse=True, colalign=("left", *["right"] * 7))


def _highlights(report: MonthlyReport) -> tuple[str, str]:
    """One line comparing each source's cost per lead with telemarketing's (mrkdwn, plain)."""
    figures, currency = report.month_table, report.team.currency
    parts = []
    for row in figures.rows:
        if row.cost == 0 and row.leads == 0:
            continue
        cpl = money(row.cost_per_lead, currency, missing=NO_LEADS)
        versus = (
            f" ({ratio(row.ratio_to_telemarketing)})"
            if row.source != Source.TELEMARKETING and row.ratio_to_telemarketing
            else ""
        )
        parts.append((row.source.value, f"{cpl}{versus}"))
    total = (
        f"{count(figures.total_leads)} leads for {money(figures.total_cost, currency)}, "
        f"{money(figures.cost_per_lead, currency)} per lead"
    )
    if not figures.total_leads:
        total = f"no lead, {money(figures.total_cost, currency)} of costs"
    if not parts:
        return "No cost and no lead recorded this month.", "No cost and no lead recorded."
    rich = f"*{month_label(report.month)}:* {total}.\n" + " · ".join(
        f"*{name}* {text}" for name, text in parts
    )
    plain = f"{month_label(report.month)}: {total}.\n" + " · ".join(
        f"{name} {text}" for name, text in parts
    )
    return rich, plain


def report_items(report: MonthlyReport) -> list[Item]:
    """The report's content, in order."""
    currency = report.team.currency
    trailing = (
        f"12 months, {short_month(report.trailing.first_month)} – "
        f"{short_month(report.trailing.last_month)}"
    )
    rich, plain = _highlights(report)
    return [
        header(report_title(report)),
        paragraph(rich, plain),
        paragraph(f"*{month_label(report.month)}*", month_label(report.month)),
        table(source_table_text(report.month_table, currency)),
        paragraph(f"*{trailing}*", trailing),
        table(source_table_text(report.trailing, currency)),
        note(
            f"Costs in {currency}: each source's share of the cell's cost, plus its own "
            "costs and its events. _vs tele_: cost per lead against telemarketing's. "
            "_qualified_: qualified or won."
        ),
    ]


def _summary(report: MonthlyReport) -> str:
    figures, currency = report.month_table, report.team.currency
    return escape(
        f"{report_title(report)}: {count(figures.total_leads)} leads, "
        f"{money(figures.total_cost, currency)}, "
        f"{money(figures.cost_per_lead, currency, missing=NO_LEADS)} per lead."
    )


def report_messages(report: MonthlyReport) -> list[dict[str, Any]]:
    """The report as chat.postMessage payloads ({"text", "blocks"}), split to fit Slack."""
    return to_messages(report_items(report), title=report_title(report), summary=_summary(report))


def report_text(report: MonthlyReport) -> str:
    """The report for the terminal (`--dry-run`, `leadcell report month`)."""
    return to_text(report_items(report))


def report_files(report: MonthlyReport) -> list[ReportFile]:
    """The chart (PNG, cost per lead by source over 12 months) and the tables (CSV)."""
    stem = f"cost-per-lead-{report.team.slug}-{report.period}"
    png = cost_per_lead_png(
        report.series, currency=report.team.currency, team_name=report.team.name
    )
    return [
        ReportFile(
            f"{stem}.png",
            f"Cost per lead by source, 12 months to {month_label(report.month)}",
            png,
            "image/png",
        ),
        ReportFile(
            f"{stem}.csv",
            f"Cost per lead by source, {month_label(report.month)}",
            report_csv(report),
            "text/csv",
        ),
    ]
