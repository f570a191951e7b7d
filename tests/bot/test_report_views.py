"""Digests and reports as Slack messages, terminal text, a PNG chart and a CSV file.

Built from hand-made facts, rendered in English (and, for figures, in French and German):
the whole-text comparisons on stored data are in test_report_texts.py.
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from bot.i18n import Reader, reader_for
from bot.local.fake_slack.limits import MAX_MESSAGE_TEXT, SECTION_TEXT_MAX, check_message_blocks
from bot.views.digest import digest_messages, digest_text
from bot.views.report import report_files, report_messages, report_text, source_table_text
from bot.views.report_chart import chart_labels, cost_per_lead_png, points
from bot.views.report_csv import COLUMNS
from models.actors import Person, TeamFacts
from models.digest import AgentDay, DailyDigest, DigestLead, SourceLeads
from models.leads import Source, Status
from models.report_queries import LeadCounts
from models.reports import CostPerLeadSeries, MonthlyReport, SourceTable, source_table

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TEAM = TeamFacts(1, "fr", "France", "Europe/Paris", "EUR", "fr", 30)
NOW = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # 18:00 in Paris
DAY = date(2026, 11, 27)
EN = reader_for("en")
MARC = Person(4, "U0DEMO04", "Marc Dubois")


def lead(
    number: int,
    *,
    hours_ago: float = 1,
    company: str | None = None,
    holder: Person | None = MARC,
    status: Status = Status.NEW,
) -> DigestLead:
    handed = NOW - timedelta(hours=hours_ago)
    return DigestLead(
        number,
        company or f"Prospect number {number} Industries",
        Source.TELEMARKETING,
        status,
        handed,
        handed,
        "Camille Martin",
        holder,
    )


def agent(number: int, name: str, dials: int, useful: int, leads: int, seconds: int) -> AgentDay:
    return AgentDay(Person(number, f"U0DEMO{number:02d}", name), dials, useful, leads, seconds)


def agents() -> tuple[AgentDay, ...]:
    return (
        agent(1, "Camille Martin", 31, 15, 2, 15 * 905),
        agent(2, "Julien Bernard", 20, 12, 1, 12 * 600),
        agent(3, "Sophie Petit", 0, 0, 0, 0),
    )


def day(
    *,
    leads: tuple[DigestLead, ...] = (),
    unclaimed: tuple[DigestLead, ...] = (),
    unclaimed_count: int | None = None,
    people: tuple[AgentDay, ...] | None = None,
    others: tuple[SourceLeads, ...] = (),
) -> DailyDigest:
    return DailyDigest(
        TEAM,
        DAY,
        NOW,
        agents() if people is None else people,
        others,
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


def row_of(text: str, first: str) -> list[str]:
    """The cells of the table line that starts with `first` (cells are 2+ spaces apart)."""
    line = next(line for line in text.splitlines() if line.startswith(first + "  "))
    return [cell.strip() for cell in line.split("  ") if cell.strip()]


# --- the digest --------------------------------------------------------------------------------


def test_digest_shows_agents_totals_leads_and_waiting_leads() -> None:
    digest = day(
        leads=(lead(1, company="Smith & <Sons>", status=Status.CLAIMED), lead(2, holder=None)),
        unclaimed=(lead(2, hours_ago=5, holder=None), lead(7, hours_ago=50)),
    )
    [message] = digest_messages(digest, EN)
    assert_valid_messages([message])
    blocks = message["blocks"]
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"] == "Daily digest · France · 27 November 2026"
    shown = all_text([message])
    # 15 + 12 useful contacts against 30; 3 leads for 27 useful contacts is 11 %.
    assert "*Useful contacts:* 27 of 30 (90%)" in shown
    assert "*Telemarketing leads:* 3, 11% of useful contacts" in shown
    assert "Smith &amp; &lt;Sons&gt;" in shown and "<Sons>" not in shown
    assert "5 h" in shown and "2 days 2 h" in shown
    assert "Unclaimed for 4 h or more (2)" in shown
    assert message["text"] == (
        "Daily digest · France · 27 November 2026: 27 useful contacts, 51 dials, 2 leads; "
        "2 leads unclaimed for 4 h or more."
    )

    text = digest_text(digest, EN)
    # The average useful contact lasts 15 min 5 s, shown as such (not `15:05`).
    assert row_of(text, "Camille Martin") == [
        "Camille Martin",
        "31",
        "15",
        "2",
        "13%",
        "15 min 5 s",
    ]
    assert row_of(text, "Sophie Petit") == ["Sophie Petit", "0", "0", "0", "—", "—"]
    # The team: 13 575 + 7 200 seconds over 27 useful contacts = 769.4 s, 12 min 49 s.
    assert row_of(text, "Team") == ["Team", "51", "27", "3", "11%", "12 min 49 s"]
    assert "Smith & <Sons>" in text
    assert "L-0002" in text and "pool" in text


def test_an_average_of_10_min_36_s_reads_so() -> None:
    # 3 useful contacts of 600, 660 and 648 s: 636 s, `10 min 36 s` (it was `10:36`).
    text = digest_text(day(people=(agent(1, "Camille Martin", 3, 3, 0, 1908),)), EN)
    assert row_of(text, "Camille Martin")[-1] == "10 min 36 s"


def test_an_average_is_rounded_once_from_its_exact_value() -> None:
    # 1 001 s over 3 contacts is 333.67 s: 5 min 34 s.
    text = digest_text(day(people=(agent(1, "Julien Bernard", 3, 3, 0, 1001),)), EN)
    assert row_of(text, "Julien Bernard")[-1] == "5 min 34 s"


def test_seminar_and_trade_show_leads_have_their_own_line() -> None:
    digest = day(others=(SourceLeads(Source.SEMINAR, 2), SourceLeads(Source.TRADE_SHOW, 1)))
    shown = digest_text(digest, EN)
    assert (
        "Leads from seminars, trade shows and other sources: 2 seminar leads and 1 trade-show "
        "lead. They count in no agent's figures." in shown
    )
    assert row_of(shown, "Team")[3] == "3"  # the agents' leads only


def test_an_empty_day_says_so() -> None:
    quiet = day(people=(agent(3, "Sophie Petit", 0, 0, 0, 0),))
    assert quiet.is_empty
    [message] = digest_messages(quiet, EN)
    assert_valid_messages([message])
    assert "Nothing was logged today: no call, no lead." in all_text([message])
    assert message["text"] == "Daily digest · France · 27 November 2026: nothing logged."
    assert "Sophie Petit" not in digest_text(quiet, EN)


def test_a_day_with_200_leads_gives_valid_messages() -> None:
    long_name = "Compagnie Générale des Établissements Industriels & Fils <Holding>"
    busy = day(
        leads=tuple(lead(n, company=f"{long_name} {n}") for n in range(1, 201)),
        unclaimed=tuple(lead(n, hours_ago=4 + n / 10) for n in range(1, 101)),
        unclaimed_count=180,
        people=tuple(agent(n, f"Agent {n:03d}", 40, 20, 4, 20 * 700) for n in range(50)),
    )
    messages = digest_messages(busy, EN)
    assert len(messages) > 1
    assert_valid_messages(messages)
    shown = all_text(messages)
    assert all(f"L-{n:04d}" in shown for n in range(1, 201))
    assert "…and 80 more leads waiting; the oldest are listed above." in shown
    assert messages[0]["text"].endswith(f"(part 1 of {len(messages)})")
    assert messages[1]["text"] == (
        f"Daily digest · France · 27 November 2026 (part 2 of {len(messages)})"
    )
    assert messages[1]["blocks"][0]["type"] == "context"
    tables = [
        b["text"]["text"]
        for m in messages
        for b in m["blocks"]
        if b["type"] == "section" and b["text"]["text"].startswith("```")
    ]
    assert len(tables) > 3
    assert all(t.startswith(("```agent", "```lead")) for t in tables)  # headers repeated


def test_a_digest_for_a_person_keeps_the_team_s_clock() -> None:
    """An ephemeral answer is in the person's language, but times are the team's."""
    london = reader_for("en", timezone="Europe/London", currency="GBP")
    digest = day(unclaimed=(lead(2, hours_ago=5),))
    text = digest_text(digest, london)
    assert row_of(text, "L-0002")[2] == "13:00"  # 12:00 UTC is 13:00 in Paris


# --- the monthly report ------------------------------------------------------------------------

OCTOBER = date(2026, 10, 1)
MONTHS = tuple(date(2025 + (10 + i) // 12, (10 + i) % 12 + 1, 1) for i in range(12))


def month_report(
    costs: dict[Source, Decimal] | None = None,
    counts: dict[Source, LeadCounts] | None = None,
    team: TeamFacts = TEAM,
) -> MonthlyReport:
    costs = costs or {
        Source.TELEMARKETING: Decimal("16800.00"),
        Source.SEMINAR: Decimal("21000.00"),
        Source.TRADE_SHOW: Decimal("30000.00"),
        Source.OTHER: Decimal("500.00"),
    }
    counts = counts or {
        Source.TELEMARKETING: LeadCounts(8, 3),
        Source.SEMINAR: LeadCounts(2, 1),
        Source.TRADE_SHOW: LeadCounts(1, 0),
    }
    series = CostPerLeadSeries(
        MONTHS,
        (
            (Source.TELEMARKETING, (Decimal(2000),) * 11 + (Decimal(2100),)),
            (Source.SEMINAR, (None,) * 10 + (Decimal(9000), Decimal(10500))),
            (Source.TRADE_SHOW, (None,) * 11 + (Decimal(30000),)),
            (Source.OTHER, (None,) * 12),
        ),
    )
    table = source_table(OCTOBER, OCTOBER, costs, counts)
    trailing = source_table(MONTHS[0], OCTOBER, costs, counts)
    return MonthlyReport(team, OCTOBER, table, trailing, series)


def test_report_shows_each_source_against_telemarketing() -> None:
    report = month_report()
    messages = report_messages(report, EN)
    assert_valid_messages(messages)
    shown = all_text(messages)
    assert "Cost per lead · France · October 2026" in shown
    text = report_text(report, EN)
    assert row_of(text, "Telemarketing") == [
        "Telemarketing",
        "€16,800",
        "8",
        "€2,100",
        "1.0x",
        "72.7%",
        "3",
        "€5,600",
    ]
    assert row_of(text, "Seminars")[3:5] == ["€10,500", "5.0x"]
    assert row_of(text, "Trade shows")[4] == "14.3x"
    assert row_of(text, "Other sources")[:4] == ["Other sources", "€500", "0", "no leads"]
    assert "12 months, Nov 2025 – Oct 2026" in text
    assert "Seminars: 2 leads, €10,500 per lead, 5.0x telemarketing's." in text


# The figures: each ratio is rounded once, from its exact value.
RATIOS = (
    # telemarketing cost, seminar cost (one lead each), exact ratio, report, CSV
    (Decimal(23000), Decimal(28681), "1.2x", "1.25"),
    (Decimal(2000), Decimal(12290), "6.1x", "6.15"),
    (Decimal(1000), Decimal(2849), "2.8x", "2.85"),
)


@pytest.mark.parametrize(("tele", "seminar", "shown", "written"), RATIOS)
def test_a_ratio_is_rounded_once(tele: Decimal, seminar: Decimal, shown: str, written: str) -> None:
    report = month_report(
        {Source.TELEMARKETING: tele, Source.SEMINAR: seminar},
        {Source.TELEMARKETING: LeadCounts(1, 0), Source.SEMINAR: LeadCounts(1, 0)},
    )
    assert report.month_table.row(Source.SEMINAR).ratio_to_telemarketing == seminar / tele
    assert row_of(report_text(report, EN), "Seminars")[4] == shown
    _, table = report_files(report, EN)
    rows = list(csv.reader(io.StringIO(table.content.decode())))
    assert rows[2][6] == written  # the month's seminar row


def test_a_source_with_leads_and_no_cost_recorded_says_so() -> None:
    report = month_report(
        {Source.TELEMARKETING: Decimal(24000)},
        {Source.TELEMARKETING: LeadCounts(10, 2), Source.OTHER: LeadCounts(3, 0)},
    )
    text = report_text(report, EN)
    assert row_of(text, "Other sources")[:4] == ["Other sources", "—", "3", "no cost recorded"]
    assert "Other sources: 3 leads, no cost recorded." in text
    assert "€0" not in text


def test_figures_follow_the_reader_s_language() -> None:
    report = month_report()
    french = source_table_text(report.month_table, reader_for("fr", currency="EUR"))
    german = source_table_text(report.month_table, reader_for("de", currency="EUR"))
    assert "16\u202f800\xa0€" in french and "72,7\xa0%" in french and "1,0x" in french
    assert "16.800\xa0€" in german and "72,7\xa0%" in german
    assert "16 800" not in french.replace("\u202f", "?")  # no hand-made separators


def csv_figures(table: SourceTable) -> list[list[object]]:
    def plain(value: Decimal | None, places: int = 2) -> object:
        return "" if value is None else round(value, places)

    rows = [
        [
            r.cost,
            r.leads,
            plain(r.cost_per_lead),
            plain(r.ratio_to_telemarketing),
            plain(None if r.share is None else r.share * 100, 1),
            r.qualified,
            plain(r.cost_per_qualified),
        ]
        for r in table.rows
    ]
    rows.append(
        [
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
    png, table = report_files(report, EN)
    assert png.filename == "cost-per-lead-fr-2026-10.png" and png.mimetype == "image/png"
    assert png.title == "Cost per lead by source, 12 months to October 2026"
    assert png.content.startswith(PNG_SIGNATURE)
    assert table.filename == "cost-per-lead-fr-2026-10.csv" and table.mimetype == "text/csv"
    assert table.title == "Cost per lead by source, October 2026"
    rows = list(csv.reader(io.StringIO(table.content.decode())))
    assert tuple(rows[0]) == COLUMNS
    parsed = rows[1:]
    assert [r[0] for r in parsed] == ["2026-10"] * 5 + ["2025-11..2026-10"] * 5
    assert [r[1] for r in parsed[:5]] == [
        "Telemarketing",
        "Seminars",
        "Trade shows",
        "Other sources",
        "Total",
    ]

    def number(text: str) -> object:
        return "" if text == "" else Decimal(text)

    back = [
        [number(r[3]), int(r[4]), *map(number, r[5:8]), int(r[8]), number(r[9])] for r in parsed
    ]
    assert back[:5] == csv_figures(report.month_table)
    assert back[5:] == csv_figures(report.trailing)
    assert parsed[3][5] == "" and parsed[3][3] == "500.00"


def test_files_speak_the_reader_s_language() -> None:
    french = reader_for("fr", currency="EUR")
    labels = chart_labels(month_report().series, french)
    assert labels["months"][0] == "nov. 2025"
    english = chart_labels(month_report().series, EN)
    assert english["title"] == "Cost per lead by source · Nov 2025 – Oct 2026"
    assert english["axis"] == "Cost per lead (EUR)"
    assert english["legend"][Source.TRADE_SHOW] == "Trade shows"


def test_a_month_without_leads_is_a_gap_in_the_chart() -> None:
    assert points((Decimal(5), None, Decimal("2.5")))[0] == 5.0
    assert math.isnan(points((Decimal(5), None))[1])
    empty = CostPerLeadSeries((OCTOBER,), tuple((s, (None,)) for s in Source))
    png = cost_per_lead_png(empty, Reader("de"), team_name="Deutschland")
    assert png.startswith(PNG_SIGNATURE)
