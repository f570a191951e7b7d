"""What each event returned: attendance, follow-up calls, leads and money, as frozen figures.

For an event of a team, over its attribution window (models.attribution: from
the event's day to `attribution_days` days after):

- attendees: people who attended, from its attendee list; without a list, the
  number recorded with the event (`attendees=180`); registered: people listed;
- companies: companies on the list; called: those the team called in the
  window (calls not undone); reached: those with a useful contact
  (models.outcomes);
- leads: leads that count for the event (models.attribution); qualified: those
  qualified or won; won value: what the won ones were won for;
- cost: the event's recorded cost; cost per attendee, per lead, per qualified
  lead: the cost divided by each, to the cent (None when there is nothing to
  divide by, or no cost).

Money (cost, won value and the costs per …) is shown to those who may read money
(models.policy, MONEY_READ); for others those figures are None. Every count is
one grouped query over the team's events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session, col

from models.actors import Actor
from models.attendees import EventRef, event_ref
from models.attribution import Window, attributed, window_of, windows_table
from models.outcomes import USEFUL_OUTCOMES
from models.policy import Action, allowed, require
from models.seminar_settings import team_row
from models.tables import Attendee, Call, Event, EventCompany, Lead

CENT = Decimal("0.01")
_CALLS = Call.__table__  # type: ignore[attr-defined]
_LEADS = Lead.__table__  # type: ignore[attr-defined]
_COMPANIES = EventCompany.__table__  # type: ignore[attr-defined]
_ATTENDEES = Attendee.__table__  # type: ignore[attr-defined]
QUALIFIED = ("qualified", "won")


def per(amount: Decimal | None, count: int) -> Decimal | None:
    """`amount / count` to the cent; None without an amount or a count."""
    if amount is None or count <= 0:
        return None
    return (amount / Decimal(count)).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class EventReturn:
    """What one event returned (see the module docstring)."""

    event: EventRef
    currency: str
    window_days: int
    listed: bool
    registered: int
    attendees: int | None
    companies: int
    companies_called: int
    companies_reached: int
    leads: int
    qualified: int
    money_shown: bool
    cost: Decimal | None
    won_value: Decimal | None

    @property
    def cost_per_attendee(self) -> Decimal | None:
        return per(self.cost, self.attendees or 0)

    @property
    def cost_per_lead(self) -> Decimal | None:
        return per(self.cost, self.leads)

    @property
    def cost_per_qualified(self) -> Decimal | None:
        return per(self.cost, self.qualified)


@dataclass(frozen=True)
class EventYear:
    """Every event of a team held from `first_day` to `last_day`, compared."""

    team_name: str
    currency: str
    first_day: date
    last_day: date
    events: tuple[EventReturn, ...]
    money_shown: bool

    @property
    def total_cost(self) -> Decimal | None:
        if not self.money_shown:
            return None
        return sum((e.cost or Decimal(0) for e in self.events), Decimal(0))

    @property
    def total_leads(self) -> int:
        return sum(e.leads for e in self.events)

    @property
    def total_qualified(self) -> int:
        return sum(e.qualified for e in self.events)

    @property
    def total_attendees(self) -> int:
        return sum(e.attendees or 0 for e in self.events)


def _returns(
    session: Session, actor: Actor, team_id: int, events: Sequence[Event]
) -> list[EventReturn]:
    team = team_row(session, team_id)
    money = allowed(actor, Action.MONEY_READ, team_id=team_id)
    if not events:
        return []
    zone = ZoneInfo(team.timezone)
    windows = [window_of(EventRef.of(e), zone, team.attribution_days) for e in events]
    table = windows_table(windows)
    assert table is not None
    ids = [e.id for e in events]
    people = {
        row[0]: (int(row[1]), int(row[2] or 0))
        for row in session.execute(
            select(
                _ATTENDEES.c.event_id,
                func.count(),
                func.sum(case((_ATTENDEES.c.attended, 1), else_=0)),
            )
            .where(_ATTENDEES.c.event_id.in_(ids))
            .group_by(_ATTENDEES.c.event_id)
        )
    }
    companies = {
        row[0]: int(row[1])
        for row in session.execute(
            select(_COMPANIES.c.event_id, func.count())
            .where(_COMPANIES.c.event_id.in_(ids))
            .group_by(_COMPANIES.c.event_id)
        )
    }
    useful = _CALLS.c.outcome.in_([o.value for o in USEFUL_OUTCOMES])
    called = {
        row[0]: (int(row[1]), int(row[2]))
        for row in session.execute(
            select(
                table.c.event_id,
                func.count(func.distinct(_COMPANIES.c.company_key)),
                func.count(func.distinct(case((useful, _COMPANIES.c.company_key), else_=None))),
            )
            .join(_COMPANIES, _COMPANIES.c.event_id == table.c.event_id)
            .join(
                _CALLS,
                and_(
                    _CALLS.c.team_id == team_id,
                    _CALLS.c.company_key == _COMPANIES.c.company_key,
                    _CALLS.c.called_at >= table.c.opens,
                    _CALLS.c.called_at < table.c.closes,
                    _CALLS.c.undone_at.is_(None),
                ),
            )
            .group_by(table.c.event_id)
        )
    }
    start = min(w.opens for w in windows)
    end = max(w.closes for w in windows)
    leads = _lead_figures(session, team_id, start, end, windows)
    returns = []
    for event, window in zip(events, windows, strict=True):
        registered, came = people.get(event.id, (0, 0))
        count, qualified, won = leads.get(event.id or 0, (0, 0, Decimal(0)))
        listed = registered > 0
        returns.append(
            EventReturn(
                event=window.event,
                currency=team.currency,
                window_days=team.attribution_days,
                listed=listed,
                registered=registered,
                attendees=came if listed else event.attendees,
                companies=companies.get(event.id, 0),
                companies_called=called.get(event.id, (0, 0))[0],
                companies_reached=called.get(event.id, (0, 0))[1],
                leads=count,
                qualified=qualified,
                money_shown=money,
                cost=Decimal(event.cost).quantize(CENT)
                if money and event.cost is not None
                else None,
                won_value=won.quantize(CENT) if money else None,
            )
        )
    return returns


def _lead_figures(
    session: Session, team_id: int, start: datetime, end: datetime, windows: list[Window]
) -> dict[int, tuple[int, int, Decimal]]:
    """Per event id: leads that count for it, qualified ones, and the value of won ones."""
    found = attributed(team_id, start, end, windows_table(windows)).subquery("found")
    qualified = or_(_LEADS.c.qualified_at.is_not(None), _LEADS.c.status.in_(QUALIFIED))
    rows = session.execute(
        select(
            found.c.event_id,
            func.count(),
            func.sum(case((qualified, 1), else_=0)),
            func.sum(case((_LEADS.c.status == "won", _LEADS.c.final_value), else_=None)),
        )
        .join(_LEADS, _LEADS.c.id == found.c.lead_id)
        .where(found.c.event_id.in_([w.event.id for w in windows]))
        .group_by(found.c.event_id)
    )
    return {int(row[0]): (int(row[1]), int(row[2] or 0), Decimal(str(row[3] or 0))) for row in rows}


def event_return(session: Session, *, actor: Actor, event_id: int) -> EventReturn:
    """What one event returned."""
    ref = event_ref(session, event_id)
    require(actor, Action.EVENT_READ, team_id=ref.team_id)
    event = session.get_one(Event, event_id)
    return _returns(session, actor, ref.team_id, [event])[0]


def event_year(
    session: Session, *, actor: Actor, team_id: int, first_day: date, last_day: date
) -> EventYear:
    """Every event of the team held from `first_day` to `last_day` (both included), by date."""
    team = team_row(session, team_id)
    require(actor, Action.EVENT_READ, team_id=team_id)
    events = list(
        session.scalars(
            select(Event)
            .where(
                col(Event.team_id) == team_id,
                col(Event.held_on) >= first_day,
                col(Event.held_on) <= last_day,
            )
            .order_by(col(Event.held_on), col(Event.id))
        )
    )
    return EventYear(
        team_name=team.name,
        currency=team.currency,
        first_day=first_day,
        last_day=last_day,
        events=tuple(_returns(session, actor, team_id, events)),
        money_shown=allowed(actor, Action.MONEY_READ, team_id=team_id),
    )
