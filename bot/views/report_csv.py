"""The monthly report's tables as CSV: headers and names in the reader's language, figures
as plain numbers.

Figures are written the same way in every language (a dot for decimals, no
grouping), so a spreadsheet or a script reads the file whatever the team's
language; each header says how its figure is rounded. Derived figures are rounded
once, from their exact value: a ratio of 1.247 is written 1.25.
"""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

from bot.i18n import N_, Reader
from bot.views.report_labels import source_name
from models.reports import MonthlyReport, SourceTable

COLUMNS = (
    N_("Period"),
    N_("Source"),
    N_("Currency"),
    N_("Cost (to the cent)"),
    N_("Leads"),
    N_("Cost per lead (to the cent, from the exact value)"),
    N_("Ratio to telemarketing's cost per lead (2 decimal places, from the exact value)"),
    N_("Share of leads (percent, 1 decimal place, from the exact value)"),
    N_("Qualified leads"),
    N_("Cost per qualified lead (to the cent, from the exact value)"),
)


def rounded(value: Decimal | int | None, places: int = 2) -> str:
    """A figure as a plain number to `places` decimals (`24000.00`, `1.25`); empty for None."""
    if value is None:
        return ""
    exact = Decimal(value)
    return f"{exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):f}"


def percent(share: Decimal | None) -> str:
    """A share of 1 as a percent to one decimal (`0.7272…` -> `72.7`); empty for None."""
    return "" if share is None else rounded(share * 100, 1)


def period_of(table: SourceTable) -> str:
    """`2026-10`, or `2025-11..2026-10` for several months."""
    if table.first_month == table.last_month:
        return f"{table.last_month:%Y-%m}"
    return f"{table.first_month:%Y-%m}..{table.last_month:%Y-%m}"


def _rows(table: SourceTable, currency: str, reader: Reader) -> list[list[str]]:
    period = period_of(table)
    rows = [
        [
            period,
            source_name(reader, row.source),
            currency,
            rounded(row.cost) if row.cost_recorded else "",
            str(row.leads),
            rounded(row.cost_per_lead),
            rounded(row.ratio_to_telemarketing),
            percent(row.share),
            str(row.qualified),
            rounded(row.cost_per_qualified),
        ]
        for row in table.rows
    ]
    rows.append(
        [
            period,
            reader._("Total"),
            currency,
            rounded(table.total_cost) if table.cost_recorded else "",
            str(table.total_leads),
            rounded(table.cost_per_lead),
            "",
            percent(Decimal(1) if table.total_leads else None),
            str(table.total_qualified),
            rounded(table.cost_per_qualified),
        ]
    )
    return rows


def report_csv(report: MonthlyReport, reader: Reader) -> bytes:
    """The month's table, then the trailing 12 months' table, one row per source and a total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([reader._(column) for column in COLUMNS])
    writer.writerows(_rows(report.month_table, report.team.currency, reader))
    writer.writerows(_rows(report.trailing, report.team.currency, reader))
    return out.getvalue().encode("utf-8")
