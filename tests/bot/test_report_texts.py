"""A digest and a monthly report, stored, computed and rendered, compared as whole texts.

A small hand-built dataset (team `fr`, Paris, EUR) and the texts a reader gets:
every block's text (Block Kit), the plain fallback, and the CSV. Figures in the
expected texts are computed by hand in the comments. Each language the catalogs
fill gets its own expected texts in EXPECTED (English is the source language).
"""
# The expected texts are whole lines of what readers see, however long: no line-length rule.
# ruff: noqa: E501

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.i18n import reader_for
from bot.local.fake_slack.limits import check_message_blocks
from bot.views.digest import digest_messages, digest_text
from bot.views.report import report_files, report_messages
from models.actors import TERMINAL
from models.db import session_scope
from models.digest import DailyDigest, daily_digest
from models.reports import MonthlyReport, monthly_report
from models.tables import Call, CostSplit, Event, Lead, Member, MonthlyCost, Team

PARIS = ZoneInfo("Europe/Paris")
DAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 18, 0, tzinfo=PARIS)
OCTOBER = date(2026, 10, 1)
_keys = count(1)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


class Data:
    """Writes rows straight into the tables: the dataset, not the commands, is under test."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.team = session.exec(select(Team).where(Team.slug == "fr")).one()

    def member(self, name: str) -> int:
        member = self.session.exec(select(Member).where(Member.name == name)).one()
        assert member.id is not None
        return member.id

    def call(self, name: str, at: datetime, outcome: str, seconds: int) -> None:
        self.session.add(
            Call(
                team_id=self.team.id,
                agent_id=self.member(name),
                called_at=at,
                duration_seconds=seconds,
                company=f"Company {next(_keys)}",
                outcome=outcome,
                slack_key=f"text:{next(_keys)}",
                created_at=at,
            )
        )

    def lead(
        self,
        name: str,
        at: datetime,
        company: str,
        *,
        source: str = "telemarketing",
        status: str = "new",
        holder: str | None = None,
        claimed: bool = False,
        qualified: bool = False,
    ) -> None:
        self.team.last_lead_number += 1
        holder_id = self.member(holder) if holder else None
        self.session.add(self.team)
        self.session.add(
            Lead(
                team_id=self.team.id,
                number=self.team.last_lead_number,
                source=source,
                detected_by_id=self.member(name),
                company=company,
                summary="a project",
                currency="EUR",
                assigned_to_id=holder_id,
                owner_id=holder_id if claimed else None,
                status=status,
                created_at=at,
                handed_at=at,
                qualified_at=at + timedelta(days=1) if qualified else None,
                slack_key=f"text:{next(_keys)}",
            )
        )

    def cost(self, month: date, source: str, amount: str) -> None:
        self.session.add(
            MonthlyCost(
                team_id=self.team.id,
                month=month,
                source=source,
                amount=Decimal(amount),
                currency="EUR",
            )
        )

    def split(self, month: date, **shares: int) -> None:
        for source, percent in shares.items():
            self.session.add(
                CostSplit(
                    team_id=self.team.id, month=month, source=source, percent=Decimal(percent)
                )
            )

    def event(self, kind: str, name: str, held_on: date, cost: str) -> None:
        self.session.add(
            Event(
                team_id=self.team.id,
                kind=kind,
                name=name,
                name_key=name.lower(),
                held_on=held_on,
                cost=Decimal(cost),
            )
        )


@pytest.fixture
def day_data(roster: Engine) -> Engine:
    with session_scope(roster) as session:
        data = Data(session)
        # Camille: 3 dials, 2 useful (600 + 720 s: 11 min on average), 1 lead (Acme & Co).
        data.call("Camille Martin", paris(2026, 11, 27, 9, 0), "contact", 600)
        data.call("Camille Martin", paris(2026, 11, 27, 10, 0), "lead", 720)
        data.call("Camille Martin", paris(2026, 11, 27, 11, 0), "no-answer", 30)
        # Julien: 2 dials, 1 useful of 636 s (10 min 36 s), and a trade-show lead (not his).
        data.call("Julien Bernard", paris(2026, 11, 27, 14, 0), "callback", 636)
        data.call("Julien Bernard", paris(2026, 11, 27, 14, 30), "wrong-contact", 45)
        # L-0001: from Wednesday, still waiting for Marc at 18:00 on Friday: 2 days 9 h.
        data.lead("Camille Martin", paris(2026, 11, 25, 9, 0), "Umbrella", holder="Marc Dubois")
        # L-0002: today's telemarketing lead, claimed by Marc.
        data.lead(
            "Camille Martin",
            paris(2026, 11, 27, 10, 20),
            "Acme & Co",
            status="claimed",
            holder="Marc Dubois",
            claimed=True,
        )
        # L-0003: Magali's seminar lead, in the pool since 13:00: 5 h at 18:00.
        data.lead("Magali Michel", paris(2026, 11, 27, 13, 0), "Initech", source="seminar")
        # L-0004: a trade-show lead for Claire at 15:00: 3 h, not yet "unclaimed".
        data.lead(
            "Julien Bernard",
            paris(2026, 11, 27, 15, 0),
            "Globex",
            source="trade-show",
            holder="Claire Moreau",
        )
        session.commit()
    return roster


@pytest.fixture
def month_data(roster: Engine) -> Engine:
    with session_scope(roster) as session:
        data = Data(session)
        # October: the cell's 46 000 shared half and half: telemarketing 23 000; seminars
        # 23 000 plus the Paris Summit's 5 681 = 28 681; trade shows: Documation's 70 667.50.
        data.cost(OCTOBER, "telemarketing", "46000")
        data.split(OCTOBER, telemarketing=50, seminar=50)
        data.event("seminar", "Paris Summit", date(2026, 10, 14), "5681")
        data.event("trade-show", "Documation", date(2026, 10, 20), "70667.50")
        # September: 20 000, all telemarketing (no split).
        data.cost(date(2026, 9, 1), "telemarketing", "20000")
        ag, se, admin = "Camille Martin", "Marc Dubois", "Magali Michel"
        # October leads: 2 telemarketing (1 won), 2 seminar (1 lost after qualifying),
        # 1 trade show, 3 other (no cost recorded for them).
        data.lead(ag, paris(2026, 10, 5, 10), "T1", status="won", holder=se, claimed=True)
        data.lead(ag, paris(2026, 10, 6, 10), "T2", status="claimed", holder=se, claimed=True)
        data.lead(
            admin, paris(2026, 10, 14, 18), "S1", source="seminar", status="lost", qualified=True
        )
        data.lead(admin, paris(2026, 10, 15, 9), "S2", source="seminar")
        data.lead(admin, paris(2026, 10, 21, 9), "D1", source="trade-show")
        for day in (22, 23, 24):
            data.lead(admin, paris(2026, 10, day, 9), f"O{day}", source="other")
        # September: 4 telemarketing leads.
        for day in (1, 2, 3, 4):
            data.lead(ag, paris(2026, 9, day, 10), f"T-{day}")
        session.commit()
    return roster


def shown(messages: list[dict[str, Any]]) -> str:
    """What a reader sees: every block's text in order, one block a paragraph."""
    parts = []
    for message in messages:
        for block in message["blocks"]:
            if block["type"] in ("header", "section"):
                parts.append(block["text"]["text"])
            elif block["type"] == "context":
                parts.append("\n".join(element["text"] for element in block["elements"]))
    return "\n\n".join(parts) + "\n"


EXPECTED: dict[str, dict[str, str]] = {
    "en": {
        "digest": """\
Daily digest · France · 27 November 2026

*Useful contacts:* 3 of 30 (10%) · *Dials:* 5 · *Telemarketing leads:* 1, 33% of useful contacts

```agent             dials    useful    leads    lead rate    avg useful
--------------  -------  --------  -------  -----------  ------------
Camille Martin        3         2        1          50%        11 min
Julien Bernard        2         1        0           0%   10 min 36 s
Sophie Petit          0         0        0            —             —
Team                  5         3        1          33%   10 min 52 s```

*Leads from seminars, trade shows and other sources:* 1 seminar lead and 1 trade-show lead. They count in no agent's figures.

*Leads handed today (3)*

```lead    company    source         sales engineer    status
------  ---------  -------------  ----------------  --------
L-0002  Acme &amp; Co  telemarketing  Marc Dubois       claimed
L-0003  Initech    seminar        pool              new
L-0004  Globex     trade show     Claire Moreau     new```

:hourglass: *Unclaimed for 4 h or more (2)*

```lead    company    handed        waiting     assigned to
------  ---------  ------------  ----------  -------------
L-0001  Umbrella   25 Nov 09:00  2 days 9 h  Marc Dubois
L-0003  Initech    13:00         5 h         pool```

_useful_: useful contacts. _lead rate_: an agent's leads per useful contact. _avg useful_: the average length of a useful contact. An agent's leads are the telemarketing leads they handed. A lead's wait starts when it is handed, and again when a sales engineer releases it.
""",
        "digest fallback": "Daily digest · France · 27 November 2026: 3 useful contacts, 5 dials, 3 leads; 2 leads unclaimed for 4 h or more.",
        "report": """\
Cost per lead · France · October 2026

*October 2026:* 8 leads for €122,349, €15,294 per lead.
*Telemarketing:* 2 leads, €11,500 per lead.
*Seminars:* 2 leads, €14,341 per lead, 1.2x telemarketing's.
*Trade shows:* 1 lead, €70,668 per lead, 6.1x telemarketing's.
*Other sources:* 3 leads, no cost recorded.

*October 2026*

```source             cost    leads         cost/lead    vs tele    share    qualified    cost/qualified
-------------  --------  -------  ----------------  ---------  -------  -----------  ----------------
Telemarketing   €23,000        2           €11,500       1.0x    25.0%            1           €23,000
Seminars        €28,681        2           €14,341       1.2x    25.0%            1           €28,681
Trade shows     €70,668        1           €70,668       6.1x    12.5%            0                 —
Other sources         —        3  no cost recorded          —    37.5%            0                 —
Total          €122,349        8           €15,294              100.0%            2           €61,174```

*12 months, Nov 2025 – Oct 2026*

```source             cost    leads         cost/lead    vs tele    share    qualified    cost/qualified
-------------  --------  -------  ----------------  ---------  -------  -----------  ----------------
Telemarketing   €43,000        6            €7,167       1.0x    50.0%            1           €43,000
Seminars        €28,681        2           €14,341       2.0x    16.7%            1           €28,681
Trade shows     €70,668        1           €70,668       9.9x     8.3%            0                 —
Other sources         —        3  no cost recorded          —    25.0%            0                 —
Total          €142,349       12           €11,862              100.0%            2           €71,174```

Costs in EUR. Telemarketing's cost is the cell's cost as shared by the month's split (all of it without a split); every other source's cost is its share of the cell's cost, plus its own recorded costs and the costs of its events. _vs tele_: cost per lead against telemarketing's. _qualified_: leads that reached qualified, whatever happened next, or were won; a released lead starts again as new. Amounts, ratios and shares are rounded once, from the exact figures.
""",
        "report fallback": "Cost per lead · France · October 2026: 8 leads for €122,349, €15,294 per lead.",
        "csv": """\
Period,Source,Currency,Cost (to the cent),Leads,"Cost per lead (to the cent, from the exact value)","Ratio to telemarketing's cost per lead (2 decimal places, from the exact value)","Share of leads (percent, 1 decimal place, from the exact value)",Qualified leads,"Cost per qualified lead (to the cent, from the exact value)"
2026-10,Telemarketing,EUR,23000.00,2,11500.00,1.00,25.0,1,23000.00
2026-10,Seminars,EUR,28681.00,2,14340.50,1.25,25.0,1,28681.00
2026-10,Trade shows,EUR,70667.50,1,70667.50,6.15,12.5,0,
2026-10,Other sources,EUR,,3,,,37.5,0,
2026-10,Total,EUR,122348.50,8,15293.56,,100.0,2,61174.25
2025-11..2026-10,Telemarketing,EUR,43000.00,6,7166.67,1.00,50.0,1,43000.00
2025-11..2026-10,Seminars,EUR,28681.00,2,14340.50,2.00,16.7,1,28681.00
2025-11..2026-10,Trade shows,EUR,70667.50,1,70667.50,9.86,8.3,0,
2025-11..2026-10,Other sources,EUR,,3,,,25.0,0,
2025-11..2026-10,Total,EUR,142348.50,12,11862.38,,100.0,2,71174.25
""",
    },
}
LANGUAGES = sorted(EXPECTED)


def digest_of(engine: Engine) -> DailyDigest:
    with session_scope(engine) as session:
        team = session.exec(select(Team).where(Team.slug == "fr")).one()
        return daily_digest(session, actor=TERMINAL, team_id=team.id or 0, day=DAY, now=NOW)


def report_of(engine: Engine) -> MonthlyReport:
    with session_scope(engine) as session:
        team = session.exec(select(Team).where(Team.slug == "fr")).one()
        return monthly_report(session, actor=TERMINAL, team_id=team.id or 0, month=OCTOBER)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_digest_as_a_whole(day_data: Engine, language: str) -> None:
    # By hand: useful contacts 2 + 1 = 3 of 30 (10 %), dials 3 + 2 = 5, telemarketing leads 1
    # (1 of 3 useful contacts: 33 %). Team average: (600 + 720 + 636) / 3 = 652 s.
    expected = EXPECTED[language]
    [message] = digest_messages(digest_of(day_data), reader_for(language))
    assert check_message_blocks(message["blocks"]) == []
    assert shown([message]) == expected["digest"]
    assert message["text"] == expected["digest fallback"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_monthly_report_as_a_whole(month_data: Engine, language: str) -> None:
    # By hand, October: 23 000 + 28 681 + 70 667.50 = 122 348.50 for 8 leads = 15 293.5625;
    # seminars 14 340.50 per lead against 11 500: 1.247 (1.2x, 1.25 in the CSV); trade
    # shows 70 667.50 against 11 500: 6.145 (6.1x, 6.15). Twelve months: telemarketing
    # 43 000 for 6 leads = 7 166.67; seminars 14 340.50 x 6 / 43 000 = 2.001; trade shows
    # 70 667.50 x 6 / 43 000 = 9.861; 142 348.50 for 12 leads = 11 862.375.
    expected = EXPECTED[language]
    report = report_of(month_data)
    reader = reader_for(language)
    [message] = report_messages(report, reader)
    assert check_message_blocks(message["blocks"]) == []
    assert shown([message]) == expected["report"]
    assert message["text"] == expected["report fallback"]
    _, table = report_files(report, reader)
    assert table.content.decode("utf-8") == expected["csv"]


def test_the_terminal_shows_the_same_words(day_data: Engine) -> None:
    text = digest_text(digest_of(day_data), reader_for("en"))
    assert text.splitlines()[:3] == [
        "Daily digest · France · 27 November 2026",
        "=" * len("Daily digest · France · 27 November 2026"),
        "Useful contacts: 3 of 30 (10%) · Dials: 5 · Telemarketing leads: 1, 33% of useful "
        "contacts",
    ]
    assert "L-0002  Acme & Co  " in text  # unescaped in a terminal
