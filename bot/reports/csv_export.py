"""The monthly report's tables as CSV: Decimal figures written as plain numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from models.reports import MonthlyReport, SourceTable

COLUMNS = (
    "period",
    "source",
    "currency",
    "cost",
    "leads",
    "cost_per_lead",
    "ratio_to_telemarketing",
    "share_percent",
    "qualified_leads",
    "cost_per_qualified_lead",
)


def number(value: Decimal | int | None) -> str:
    """A figure as a plain number (`24000.00`, `5.00`, `37`); empty when it has no value."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def period_of(table: SourceTable) -> str:
    """`2026-10`, or `2025-11..2026-10` for several months."""
    if table.first_month == table.last_month:
        return f"{table.last_month:%Y-%m}"
    return f"{table.first_month:%Y-%m}..{table.last_month:%Y-%m}"


def _rows(table: SourceTable, currency: str) -> list[list[str]]:
    period = period_of(table)
    rows = [
        [
            period,
            row.source.value,
            currency,
            number(row.cost),
            number(row.leads),
            number(row.cost_per_lead),
            number(row.ratio_to_telemarketing),
            number(row.share_percent),
            number(row.qualified),
            number(row.cost_per_qualified),
        ]
        for row in table.rows
    ]
    share = Decimal("100.0") if table.total_leads else None
    rows.append(
        [
            period,
            "total",
            currency,
            number(table.total_cost),
            number(table.total_leads),
            number(table.cost_per_lead),
            "",
            number(share),
            number(table.total_qualified),
            number(table.cost_per_qualified),
        ]
    )
    return rows


def report_csv(report: MonthlyReport) -> bytes:
    """The month's table, then the trailing 12 months' table, one row per source and a total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_rows(report.month_table, report.team.currency))
    writer.writerows(_rows(report.trailing, report.team.currency))
    return out.getvalue().encode("utf-8")
