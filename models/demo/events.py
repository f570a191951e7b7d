"""Demo seminars and trade shows: when they are held, how many come, which leads follow.

About 30 seminars a year for a cell of three agents (none in August), 100 to
300 attendees each, bringing about half as many leads as telemarketing; two
trade shows a year (March and October) bringing a few leads each. A larger
cell runs proportionally more events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from models.demo import text as demo_text
from models.demo.calls import LeadSeed, estimated_value
from models.demo.clock import Clock, add_working_days, is_festive, working_days
from models.periods import add_months

#: Seminars a month for a cell of three agents: 30 a year, none in August.
SEMINARS_BY_MONTH = (3, 3, 3, 3, 3, 3, 2, 0, 3, 2, 3, 2)
TRADE_SHOW_MONTHS = {3: 0, 10: 1}  # month -> show name (index in demo_text.TRADE_SHOWS)
AGENTS_PER_UNIT = 3
SEMINAR_ATTENDEES = (100, 300, 170)  # triangular: low, high, mode
SEMINAR_MEAN_ATTENDEES = sum(SEMINAR_ATTENDEES) / 3
TRADE_SHOW_VISITORS = (200, 450)  # people met on the stand
TRADE_SHOW_LEAD_RATE = 0.03
SEMINAR_LEADS_PER_TELEMARKETING_LEAD = 0.48  # with trade shows: two thirds telemarketing
WORKING_DAYS_A_YEAR = 261


@dataclass
class PlannedEvent:
    """An event to insert; its cost is provisional until calibration."""

    kind: str
    name: str
    held_on: date
    attendees: int
    raw_cost: Decimal
    leads: int
    id: int | None = None
    cost: Decimal | None = field(default=None)


def seminar_lead_rate(useful_per_agent_day: float, lead_share: float = 0.1) -> float:
    """The chance an attendee becomes a lead, so seminars bring half telemarketing's leads."""
    telemarketing = useful_per_agent_day * lead_share * WORKING_DAYS_A_YEAR * AGENTS_PER_UNIT
    seminars = sum(SEMINARS_BY_MONTH) * SEMINAR_MEAN_ATTENDEES
    return SEMINAR_LEADS_PER_TELEMARKETING_LEAD * telemarketing / seminars


def _count(rng: Random, expected: float) -> int:
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


def _binomial(rng: Random, trials: int, chance: float) -> int:
    return sum(rng.random() < chance for _ in range(trials))


def plan_events(
    rng: Random,
    *,
    first_day: date,
    today: date,
    agents: int,
    useful_per_agent_day: float,
) -> list[PlannedEvent]:
    """The events held from `first_day` to `today`, in date order, with unique names."""
    scale = agents / AGENTS_PER_UNIT
    rate = seminar_lead_rate(useful_per_agent_day)
    events: list[PlannedEvent] = []
    names: set[str] = set()
    month = first_day.replace(day=1)
    while month <= today:
        days = working_days(max(month, first_day), min(add_months(month, 1) - timedelta(1), today))
        days = [d for d in days if not is_festive(d)]
        midweek = [d for d in days if d.weekday() in (1, 2, 3)] or days
        for _ in range(_count(rng, SEMINARS_BY_MONTH[month.month - 1] * scale) if midweek else 0):
            held_on = rng.choice(midweek)
            attendees = int(rng.triangular(*SEMINAR_ATTENDEES))
            theme, city = rng.choice(demo_text.SEMINAR_THEMES), rng.choice(demo_text.CITIES)
            cost = Decimal(int((3500 + 42 * attendees) * rng.uniform(0.85, 1.15)))
            leads = _binomial(rng, attendees, rate)
            name = _unique(names, f"{theme}, {city}, {held_on.isoformat()}")
            events.append(PlannedEvent("seminar", name, held_on, attendees, cost, leads))
        show = TRADE_SHOW_MONTHS.get(month.month)
        early = [d for d in midweek if d.day <= 14]  # its leads then mostly come that month
        for _ in range(_count(rng, scale) if show is not None and early else 0):
            held_on = rng.choice(early)
            visitors = rng.randint(*TRADE_SHOW_VISITORS)
            cost = Decimal(rng.randint(18_000, 26_000))
            leads = _binomial(rng, visitors, TRADE_SHOW_LEAD_RATE)
            name = _unique(names, f"{demo_text.TRADE_SHOWS[show or 0]} {month.year}")
            events.append(PlannedEvent("trade-show", name, held_on, visitors, cost, leads))
        month = add_months(month, 1)
    events.sort(key=lambda e: (e.held_on, e.kind, e.name))
    return events


def _unique(names: set[str], name: str) -> str:
    candidate, number = name, 1
    while candidate in names:
        number += 1
        candidate = f"{name} #{number}"
    names.add(candidate)
    return candidate


def event_leads(
    rng: Random,
    clock: Clock,
    event: PlannedEvent,
    *,
    agents: list[int],
    companies: list[tuple[str, str]],
    texts: demo_text.TextPool,
) -> list[LeadSeed]:
    """The leads an event brings: followed up by an agent in the working days after it."""
    seeds = []
    for _ in range(event.leads):
        day = add_working_days(event.held_on, 1 + min(15, int(rng.lognormvariate(0.7, 0.8))))
        has_value = event.kind == "trade-show" or rng.random() < 0.8
        seeds.append(
            LeadSeed(
                created_at=clock.in_office(day, rng.random()),
                day=day,
                source=event.kind,
                agent_id=rng.choice(agents),
                company=rng.choice(companies)[0],
                contact_name=texts.contact(),
                summary=texts.pick("summary", day.year) or "",
                estimated_value=estimated_value(rng) if has_value else None,
                event_id=event.id,
            )
        )
    return seeds
