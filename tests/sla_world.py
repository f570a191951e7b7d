"""An outsourced cell for the contract tests: team `uk`, run by Northline Contact, with a
hand-computed October 2026 (see `october`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import count
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.grammar.contract_file import read_contract
from models.actors import TERMINAL, Actor, Role
from models.contracts import import_contract, set_operator
from models.db import session_scope
from models.roster import TeamFields, add_member, create_team
from models.tables import Call, Lead, Member, Team
from tests.conftest import actor_of

LONDON = ZoneInfo("Europe/London")
EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "contract-example.toml"
AMY, BEN, PRIYA = "U0UKAMY", "U0UKBEN", "U0UKPRIYA"  # the provider's people
SAM, MONA, ADA = "U0UKSAM", "U0UKMONA", "U0UKADA"  # sales engineer, manager, admin
_keys = count(1)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def seed_uk(engine: Engine, *, contract: bool = True, text: str | None = None) -> None:
    """Team uk (Europe/London, GBP) run by Northline Contact, its people, and the example
    contract from October 2026."""
    with session_scope(engine) as session:
        create_team(
            session,
            actor=TERMINAL,
            slug="uk",
            fields=TeamFields(
                name="United Kingdom",
                timezone="Europe/London",
                currency="GBP",
                digest_channel="C0DIGESTUK",
                leads_channel="C0LEADSUK",
            ),
        )
        people = [
            (AMY, "Amy Archer", {Role.PROVIDER}),
            (BEN, "Ben Booth", {Role.PROVIDER}),
            (PRIYA, "Priya Patel", {Role.PROVIDER}),
            (SAM, "Sam Stone", {Role.SALES_ENGINEER}),
            (MONA, "Mona Marsh", {Role.MANAGER}),
            (ADA, "Ada Adams", {Role.ADMIN}),
        ]
        for user_id, name, roles in people:
            add_member(
                session,
                actor=TERMINAL,
                slack_user_id=user_id,
                name=name,
                team_slug="uk",
                roles=roles,
            )
    with session_scope(engine) as session:
        set_operator(
            session,
            actor=TERMINAL,
            team_slug="uk",
            operator="Northline Contact",
            provider_channel="C0NORTHLINE",
        )
    if contract:
        with session_scope(engine) as session:
            import_contract(
                session,
                actor=TERMINAL,
                team_slug="uk",
                terms=read_contract(text or EXAMPLE.read_text(encoding="utf-8")),
                now=london(2026, 9, 20, 10, 0),
            )


def member_id(session: Session, user_id: str) -> int:
    member = session.exec(select(Member).where(Member.slack_user_id == user_id)).one()
    return member.id or 0


def team(session: Session, slug: str = "uk") -> Team:
    return session.exec(select(Team).where(Team.slug == slug)).one()


def add_call(
    session: Session,
    user_id: str,
    at: datetime,
    outcome: str = "contact",
    *,
    slug: str = "uk",
    undone: bool = False,
    company: str = "Acme Ltd",
    note: str | None = "spoke to the buyer",
) -> int:
    call = Call(
        team_id=team(session, slug).id or 0,
        agent_id=member_id(session, user_id),
        called_at=at,
        duration_seconds=600,
        company=company,
        company_key=company.lower(),
        contact_name="Jo Bloggs",
        outcome=outcome,
        note=note,
        slack_key=f"test:{next(_keys)}",
        undone_at=at + timedelta(minutes=1) if undone else None,
        created_at=at,
    )
    session.add(call)
    session.commit()
    return call.id or 0


def add_lead(
    session: Session,
    user_id: str,
    at: datetime,
    *,
    slug: str = "uk",
    source: str = "telemarketing",
    contact: str | None = "Jo Bloggs",
    summary: str = "invoice capture",
    status: str = "new",
    **stamps: datetime,
) -> int:
    found = team(session, slug)
    found.last_lead_number += 1
    lead = Lead(
        team_id=found.id or 0,
        number=found.last_lead_number,
        source=source,
        detected_by_id=member_id(session, user_id),
        company="Acme Ltd",
        company_key="acme ltd",
        contact_name=contact,
        summary=summary,
        currency=found.currency,
        status=status,
        created_at=at,
        handed_at=at,
        slack_key=f"lead:{next(_keys)}",
        **stamps,
    )
    session.add(found)
    session.add(lead)
    session.commit()
    return lead.id or 0


@dataclass(frozen=True)
class October:
    """What `october` recorded, for the tests to refer to."""

    amy_calls: list[int]
    ben_calls: list[int]
    leads: dict[str, int]


def october(engine: Engine) -> October:
    """October 2026 of team uk, computed by hand (22 working days, no bank holiday):

    - Amy: 10 useful contacts, 2 no-answers, 1 useful contact undone; Ben: 4 useful
      contacts and 1 wrong contact. Cell: 14 useful contacts, 0.6 a day (14/22); Amy 0.5
      (10/22), Ben 0.2 (4/22).
    - Leads handed (telemarketing): Amy 2 (one without a contact person), Ben 1; Amy also
      hands a seminar lead, which is not hers to count. Lead rate 3/14 = 21.4 % (Amy 20 %,
      Ben 25 %); complete data 2/3 = 66.7 % (Amy 50 %, Ben 100 %).
    - Decisions in October: Amy's first lead qualified, her second rejected, Ben's won, and
      a September lead of Ben's lost: 2 accepted of 4, 50 % (Amy 50 %, Ben 50 %). Ben's
      October lead decided in November would not count (there is none).
    - One complaint lodged (by the tests) makes 33.3 complaints per 100 leads.
    """
    amy, ben = [], []
    with session_scope(engine) as session:
        for day in range(1, 11):  # Thu 1 Oct to Sat 10 Oct: the day does not matter
            amy.append(add_call(session, AMY, london(2026, 10, day, 10, 0)))
        amy.append(add_call(session, AMY, london(2026, 10, 12, 10, 0), "no-answer"))
        amy.append(add_call(session, AMY, london(2026, 10, 12, 11, 0), "no-answer"))
        amy.append(add_call(session, AMY, london(2026, 10, 13, 11, 0), undone=True))
        for day in (14, 15, 20, 27):
            ben.append(add_call(session, BEN, london(2026, 10, day, 10, 0), "lead"))
        ben.append(add_call(session, BEN, london(2026, 10, 28, 10, 0), "wrong-contact"))
        # A call of September and one of November count in neither month's October.
        add_call(session, AMY, london(2026, 9, 30, 23, 30))
        add_call(session, AMY, london(2026, 11, 1, 0, 30))
        leads = {
            "amy-1": add_lead(
                session,
                AMY,
                london(2026, 10, 5, 12, 0),
                status="qualified",
                qualified_at=london(2026, 10, 8, 9, 0),
            ),
            "amy-2": add_lead(
                session,
                AMY,
                london(2026, 10, 6, 12, 0),
                contact=None,
                status="rejected",
                rejected_at=london(2026, 10, 9, 9, 0),
            ),
            "amy-seminar": add_lead(session, AMY, london(2026, 10, 7, 12, 0), source="seminar"),
            "ben-1": add_lead(
                session,
                BEN,
                london(2026, 10, 14, 12, 0),
                status="won",
                won_at=london(2026, 10, 30, 9, 0),
            ),
            "ben-september": add_lead(
                session,
                BEN,
                london(2026, 9, 14, 12, 0),
                status="lost",
                lost_at=london(2026, 10, 2, 9, 0),
            ),
        }
    return October(amy, ben, leads)


def actor(engine: Engine, user_id: str) -> Actor:
    return actor_of(engine, user_id)


CAP = Decimal("2160.00")  # 12 % of 18 000 GBP
