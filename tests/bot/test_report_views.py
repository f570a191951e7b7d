"""Digests and reports as Slack messages, terminal text, a PNG chart and a CSV file."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bot.local.fake_slack.limits import MAX_MESSAGE_TEXT, SECTION_TEXT_MAX, check_message_blocks
from bot.reports import duration, money, percent, ratio, waited
from bot.reports.chart import cost_per_lead_png, points
from bot.reports.csv_export import COLUMNS
from bot.reports.digest_view import digest_messages, digest_text
from bot.reports.report_view import report_files, report_messages, report_text
from models.leads import Source
from models.report_queries import LeadCounts
from models.reports import (
    AgentDay,
    CostPerLeadSeries,
    DailyDigest,
    DigestLead,
    MonthlyReport,
    SourceTable,
    TeamInfo,
    source_table,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TEAM = TeamInfo(1, "fr", "France", "Europe/Paris", "EUR", 30)
NOW = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # 18:00 in Paris
DAY = date(2026, 11, 27)


def lead(
    number: int,
    *,
    hours_ago: float = 1,
    company: str | None = None,
    holder: str | None = "Marc Dubois",
    status: str = "new",
) -> DigestLead:
    handed = NOW - timedelta(hours=hours_ago)
    return DigestLead(
        f"L-{number:04d}",
        company or f"Prospect number {number} Industries",
        "telemarketing",
        status,
        handed,
        handed,
        "Camille Martin",
        holder,
        "U0DEMO04" if holder else None,
    )


def agents() -> tuple[AgentDay, ...]:
    return (
        AgentDay(1, "U0DEMO01", "Camille Martin", 31, 15, 2, 905),
        AgentDay(2, "U0DEMO02", "Julien Bernard", 20, 12, 1, 600),
        AgentDay(3, "U0DEMO03", "Sophie Petit", 0, 0, 0, None),
    )


def day(
    *,
    leads: tuple[DigestLead, ...] = (),
    unclaimed: tuple[DigestLead, ...] = (),
    unclaimed_count: int | None = None,
    people: tuple[AgentDay, ...] | None = None,
) -> DailyDigest:
    return DailyDigest(
        TEAM,
        DAY,
        NOW,
        agents() if people is None else people,
        leads,
        unclaimed,
        len(unclaimed) if unclaimed_count is None else unclaimed_count,
    )


def assert_valid_messages(messages: list[dict[str, object]]) -> None:
    assert messages
    for message in messages:
        assert check_message_blocks(message["blocks"]) == [], message
        text = message["text"]
        assert isinstance(text, str) and 0 < len(text) <= MAX_MESSAGE_TEXT
        for block in message["blocks"]:  # type: ignore[attr-defined]
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= SECTION_TEXT_MAX


def all_text(messages: list[dict[str, object]]) -> str:
    return "\n".join(json.dumps(m, ensure_ascii=False) for m in messages)


# --- figures -----------------------------------------------------------------------------------


def test_figures_are_shown_the_way_people_read_them() -> None:
    assert money(Decimal(24000), "EUR") == "24 000 EUR"
    assert money(Decimal("1234567.50"), "GBP") == "1 234 568 GBP"
    assert money(Decimal("0.40"), "EUR") == "0 EUR"
    assert money(None, "EUR", missing="no leads") == "no leads"
    assert ratio(Decimal("4.95")) == "5.0x" and ratio(None) == "—"
    assert percent(Decimal("66.66")) == "66.7%" and percent(Decimal(90), places=0) == "90%"
    assert duration(905) == "15:05" and duration(59) == "0:59" and duration(None) == "—"
    assert waited(timedelta(hours=5, minutes=10)) == "5 h 10 min"
    assert waited(timedelta(days=2, hours=3, minutes=59)) == "2 d 3 h"


# --- the digest --------------------------------------------------------------------------------


def test_digest_shows_agents_totals_leads_and_waiting_leads() -> None:
    digest = day(
        leads=(lead(1, company="Smith & <Sons>", status="claimed"), lead(2, holder=None)),
        unclaimed=(lead(2, hours_ago=5, holder=None), lead(7, hours_ago=50)),
    )
    [message] = digest_messages(digest)
    assert_valid_messages([message])
    blocks = message["blocks"]
    assert blocks[0]["type"] == "header"
    assert "France" in blocks[0]["text"]["text"] and "Fri 27 Nov 2026" in blocks[0]["text"]["text"]
    shown = all_text([message])
    assert "27 / 30, 90%" in shown  # 15 + 12 useful contacts against 30
    assert "Smith &amp; &lt;Sons&gt;" in shown and "<Sons>" not in shown
    assert "5 h 00 min" in shown and "2 d 2 h" in shown
    assert "Unclaimed for 4 h or more (2)" in shown
    assert "27 / 30, 90%" in message["text"] and "3 leads" in message["text"]

    text = digest_text(digest)
    camille = next(line for line in text.splitlines() if line.startswith("Camille Martin"))
    assert camille.split()[2:] == ["31", "15", "2", "13%", "15:05"]
    sophie = next(line for line in text.splitlines() if line.startswith("Sophie Petit"))
    assert sophie.split()[2:] == ["0", "0", "0", "—", "—"]
    team = next(line for line in text.splitlines() if line.startswith("Team"))
    assert team.split()[1:] == ["51", "27", "3", "11%"]
    assert "Smith & <Sons>" in text
    assert "L-0002" in text and "pool" in text


def test_an_empty_day_says_so() -> None:
    quiet = day(people=(AgentDay(3, "U0DEMO03", "Sophie Petit", 0, 0, 0, None),))
    assert quiet.is_empty
    [message] = digest_messages(quiet)
    assert_valid_messages([message])
    assert "Nothing was logged today: no call, no lead." in all_text([message])
    assert "nothing logged" in message["text"]
    assert "Sophie Petit" not in digest_text(quiet)


def test_a_day_with_200_leads_gives_valid_messages() -> None:
    long_name = "Compagnie Générale des Établissements Industriels & Fils <Holding>"
    busy = day(
        leads=tuple(lead(n, company=f"{long_name} {n}") for n in range(1, 201)),
        unclaimed=tuple(lead(n, hours_ago=4 + n / 10) for n in range(1, 101)),
        unclaimed_count=180,
        people=tuple(
            AgentDay(n, f"U0A{n:03d}", f"Agent {n:03d}", 40, 20, 4, 700) for n in range(50)
        ),
    )
    messages = digest_messages(busy)
    assert len(messages) > 1
    assert_valid_messages(messages)
    shown = all_text(messages)
    assert all(f"L-{n:04d}" in shown for n in range(1, 201))
    assert "and 80 more" in shown
    assert "part 2 of" in messages[1]["text"]
    assert messages[1]["blocks"][0]["type"] == "context"
    tables = [
        b["text"]["text"]
        for m in messages
        for b in m["blocks"]
        if b["type"] == "section" and b["text"]["text"].startswith("```")
    ]
    assert len(tables) > 3
    assert all(t.startswith(("```agent", "```lead")) for t in tables)  # headers repeated


# --- the monthly report ------------------------------------------------------------------------

OCTOBER = date(2026, 10, 1)


def month_report() -> MonthlyReport:
    costs = {
        Source.TELEMARKETING: Decimal("16800.00"),
        Source.SEMINAR: Decimal("21000.00"),
        Source.TRADE_SHOW: Decimal("30000.00"),
        Source.OTHER: Decimal("500.00"),
    }
    counts = {
        Source.TELEMARKETING: LeadCounts(8, 3),
        Source.SEMINAR: LeadCounts(2, 1),
        Source.TRADE_SHOW: LeadCounts(1, 0),
    }
    months = tuple(date(2025 + (10 + i) // 12, (10 + i) % 12 + 1, 1) for i in range(12))
    series = CostPerLeadSeries(
        months,
        (
            (Source.TELEMARKETING, (Decimal(2000),) * 11 + (Decimal(2100),)),
            (Source.SEMINAR, (None,) * 10 + (Decimal(9000), Decimal(10500))),
            (Source.TRADE_SHOW, (None,) * 11 + (Decimal(30000),)),
            (Source.OTHER, (None,) * 12),
        ),
    )
    table = source_table(OCTOBER, OCTOBER, costs, counts)
    trailing = source_table(months[0], OCTOBER, costs, counts)
    return MonthlyReport(TEAM, OCTOBER, table, trailing, series)


def test_report_shows_each_source_against_telemarketing() -> None:
    report = month_report()
    messages = report_messages(report)
    assert_valid_messages(messages)
    shown = all_text(messages)
    assert "Cost per lead · France · October 2026" in shown
    text = report_text(report)
    rows = {line.split()[0]: line for line in text.splitlines()[:16] if line[:1].isalpha()}
    assert "16 800 EUR" in rows["telemarketing"] and "2 100 EUR" in rows["telemarketing"]
    assert "10 500 EUR" in rows["seminar"] and "5.0x" in rows["seminar"]
    assert "14.3x" in rows["trade-show"]
    assert "500 EUR" in rows["other"] and "no leads" in rows["other"]
    assert "12 months, Nov 2025 – Oct 2026" in text


def csv_figures(table: SourceTable) -> list[list[object]]:
    def plain(value: object) -> object:
        return "" if value is None else value

    rows = [
        [
            r.source.value,
            r.cost,
            r.leads,
            plain(r.cost_per_lead),
            plain(r.ratio_to_telemarketing),
            plain(r.share_percent),
            r.qualified,
            plain(r.cost_per_qualified),
        ]
        for r in table.rows
    ]
    rows.append(
        [
            "total",
            table.total_cost,
            table.total_leads,
            plain(table.cost_per_lead),
            "",
            Decimal(100) if table.total_leads else "",
            table.total_qualified,
            plain(table.cost_per_qualified),
        ]
    )
    return rows


def test_report_files_are_a_png_chart_and_a_csv_of_the_figures() -> None:
    report = month_report()
    png, table = report_files(report)
    assert png.filename == "cost-per-lead-fr-2026-10.png" and png.mimetype == "image/png"
    assert png.content.startswith(PNG_SIGNATURE)
    assert table.filename == "cost-per-lead-fr-2026-10.csv" and table.mimetype == "text/csv"
    reader = csv.DictReader(io.StringIO(table.content.decode()))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    parsed = list(reader)
    assert [r["period"] for r in parsed] == ["2026-10"] * 5 + ["2025-11..2026-10"] * 5

    def number(text: str) -> object:
        return "" if text == "" else Decimal(text)

    back = [
        [
            r["source"],
            Decimal(r["cost"]),
            int(r["leads"]),
            number(r["cost_per_lead"]),
            number(r["ratio_to_telemarketing"]),
            number(r["share_percent"]),
            int(r["qualified_leads"]),
            number(r["cost_per_qualified_lead"]),
        ]
        for r in parsed
    ]
    assert back[:5] == csv_figures(report.month_table)
    assert back[5:] == csv_figures(report.trailing)
    assert parsed[3]["cost_per_lead"] == "" and parsed[3]["cost"] == "500.00"


def test_a_month_without_leads_is_a_gap_in_the_chart() -> None:
    assert points((Decimal(5), None, Decimal("2.5")))[0] == 5.0
    assert math.isnan(points((Decimal(5), None))[1])
    empty = CostPerLeadSeries((OCTOBER,), tuple((s, (None,)) for s in Source))
    assert cost_per_lead_png(empty, currency="EUR", team_name="France").startswith(PNG_SIGNATURE)
