"""Helpers of the lead tests: teams, people and events written directly, and leads handed and
moved in their own units of work, as listeners do."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from itertools import count
from typing import Any

from sqlalchemy import Engine, update
from sqlmodel import col, select

from models.db import session_scope
from models.keys import name_key
from models.lead_flow import Transition, act
from models.leads import HandedLead, LeadAction, NewLead, hand_lead
from models.tables import Event, Lead, Member, Outbox, Team
from tests.conftest import AGENT, actor_of

MARC, CLAIRE, THOMAS = "U0DEMO04", "U0DEMO05", "U0DEMO06"
_keys = count(1)


def acme(**fields: Any) -> NewLead:
    values: dict[str, Any] = {
        "company": "Acme Corp",
        "summary": "invoice capture",
        "estimated_value": Decimal("120000"),
    }
    values.update(fields)
    return NewLead(**values)


def hand(
    engine: Engine,
    new: NewLead | None = None,
    *,
    user: str = AGENT,
    key: str | None = None,
    now: datetime | None = None,
) -> HandedLead:
    with session_scope(engine) as session:
        return hand_lead(
            session,
            actor=actor_of(engine, user),
            new=new or acme(),
            slack_key=key or f"test:{next(_keys)}",
            now=now,
        )


def move(engine: Engine, user: str, lead_id: int, action: LeadAction, **asked: Any) -> Transition:
    with session_scope(engine) as session:
        return act(session, actor=actor_of(engine, user), lead_id=lead_id, action=action, **asked)


def stored(engine: Engine, lead_id: int) -> Lead:
    with session_scope(engine) as session:
        return session.get_one(Lead, lead_id)


def leads(engine: Engine) -> list[Lead]:
    with session_scope(engine) as session:
        return list(session.exec(select(Lead).order_by(col(Lead.id))))


def rows(engine: Engine) -> list[Outbox]:
    with session_scope(engine) as session:
        return list(session.exec(select(Outbox).order_by(col(Outbox.id))))


def member_id(engine: Engine, user: str) -> int:
    with session_scope(engine) as session:
        return session.exec(select(Member.id).where(Member.slack_user_id == user)).one() or 0


def add_team(
    engine: Engine,
    slug: str,
    *,
    leads_channel: str | None,
    language: str = "en",
    currency: str = "EUR",
    timezone: str = "Europe/Paris",
) -> int:
    with session_scope(engine) as session:
        team = Team(
            slug=slug,
            name=slug.upper(),
            timezone=timezone,
            currency=currency,
            leads_channel=leads_channel,
            language=language,
        )
        session.add(team)
        session.commit()
        return team.id or 0


def add_person(engine: Engine, user: str, name: str, *, team: str = "fr", **roles: bool) -> int:
    """A roster member; roles as is_agent=True, is_sales_engineer=True, …"""
    with session_scope(engine) as session:
        team_id = session.exec(select(Team.id).where(Team.slug == team)).one()
        member = Member(slack_user_id=user, name=name, team_id=team_id or 0, **roles)
        session.add(member)
        session.commit()
        return member.id or 0


def set_member(engine: Engine, user: str, **values: Any) -> None:
    with engine.begin() as connection:
        connection.execute(update(Member).where(col(Member.slack_user_id) == user).values(**values))


def set_team(engine: Engine, slug: str = "fr", **values: Any) -> None:
    with engine.begin() as connection:
        connection.execute(update(Team).where(col(Team.slug) == slug).values(**values))


def add_event(engine: Engine, kind: str, name: str, held_on: date, *, team: str = "fr") -> int:
    with session_scope(engine) as session:
        team_id = session.exec(select(Team.id).where(Team.slug == team)).one()
        event = Event(
            team_id=team_id or 0, kind=kind, name=name, name_key=name_key(name), held_on=held_on
        )
        session.add(event)
        session.commit()
        return event.id or 0
