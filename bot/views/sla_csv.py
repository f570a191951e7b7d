"""The monthly statement as CSV: one row per line, then the totals; figures as plain numbers
(shares as fractions, money to the cent), names as the contract file writes them."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from models.statements import LineFacts, StatementFacts

COLUMNS = (
    "month",
    "kind",
    "key",
    "metric",
    "per_agent",
    "comparison",
    "target",
    "measured",
    "state",
    "breaches",
    "penalty",
    "currency",
    "contest",
)


def number(value: Decimal | int | None) -> str:
    """A figure as a plain number (`0.093`, `540.00`, `3`); empty when it has none."""
    if value is None:
        return ""
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def _line(facts: StatementFacts, line: LineFacts) -> list[str]:
    return [
        f"{facts.month:%Y-%m}",
        line.kind.value,
        line.key,
        line.metric.value if line.metric else "",
        "yes" if line.per_agent else "no",
        line.comparison.value if line.comparison else "",
        number(line.target),
        number(line.measured),
        line.state.value,
        number(line.breaches),
        number(line.penalty),
        facts.currency,
        line.contest.status.value if line.contest else "",
    ]


def statement_csv(facts: StatementFacts) -> bytes:
    """The lines and totals of a statement, UTF-8 with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for line in (*facts.lines, *facts.adjustment_lines):
        writer.writerow(_line(facts, line))
    month = f"{facts.month:%Y-%m}"
    totals = (
        ("penalties-before-cap", facts.penalties_before_cap),
        ("cap", facts.cap),
        ("penalties-after-cap", facts.penalties_after_cap),
        ("adjustments", facts.adjustments),
        ("monthly-fee", facts.monthly_fee),
        ("fee-less-penalties", facts.fee_less_penalties),
    )
    for key, amount in totals:
        writer.writerow(
            [month, "total", key, "", "", "", "", "", "", "", number(amount), facts.currency, ""]
        )
    return buffer.getvalue().encode("utf-8")
