"""Months of realistic demo activity for a team: calls, leads, seminars, trade shows, costs.

The figures follow the customer's story (see DESIGN.md, "The customer, in
numbers"): three agents make about 30 useful contacts a working day, one in ten
becomes a lead; seminars bring half as many leads as telemarketing; costs make
a telemarketing lead about 5 times cheaper than a seminar lead and 10 times
cheaper than a trade-show lead. `agents=50, months=120` makes a large operation
for benchmarks: rows are generated a week at a time and written with Core bulk
inserts, so memory stays bounded.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from random import Random
from time import perf_counter
from typing import Any

from sqlalchemy import Engine, Table, delete, func, insert, select, update
from sqlalchemy.sql.expression import bindparam
from sqlmodel import Session, col

from models.db import session_scope
from models.demo import text as demo_text
from models.demo.calls import CallMaker, LeadSeed
from models.demo.clock import Clock, demo_months, is_working_day, working_days
from models.demo.costs import calibrate, cell_cost, cost_per_lead, cost_rows
from models.demo.events import PlannedEvent, event_leads, plan_events
from models.demo.leads import LeadMaker
from models.demo.problems import DemoProblem
from models.demo.roster import demo_workforce
from models.demo.summary import ActivitySummary
from models.errors import Conflict, InvalidInput
from models.events import EVENT_KINDS
from models.keys import name_key
from models.leads import Source
from models.roster import get_team, timezone_of
from models.tables import Call, CostSplit, Event, Lead, MonthlyCost, Team

CHUNK_ROWS = 5_000
COMMIT_ROWS = 200_000
MAX_MONTHS = 240
MAX_AGENTS = 500

_OWNED = (Lead, Call, Event, MonthlyCost, CostSplit)


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def generate_activity(
    session_or_engine: Session | Engine,
    *,
    team_slug: str = "fr",
    months: int = 12,
    today: date,
    seed: int = 7,
    agents: int | None = None,
    useful_per_agent_day: float = 10.0,
    replace: bool = False,
) -> ActivitySummary:
    """Generate activity for a team over `months` whole months and today's month up to `today`.

    Refuses (Conflict) when the team already has calls, leads, events or costs,
    unless `replace`, which deletes them first. `agents` picks (and adds to the
    roster when missing) that many agents, with five sales engineers each.
    Commits; a run larger than COMMIT_ROWS rows commits as it goes.
    """
    if isinstance(session_or_engine, Engine):
        with session_scope(session_or_engine) as session:
            return generate_activity(
                session,
                team_slug=team_slug,
                months=months,
                today=today,
                seed=seed,
                agents=agents,
                useful_per_agent_day=useful_per_agent_day,
                replace=replace,
            )
    _check(months=months, agents=agents, useful_per_agent_day=useful_per_agent_day)
    return _Generator(
        session_or_engine,
        team_slug=team_slug,
        months=months,
        today=today,
        seed=seed,
        agents=agents,
        useful_per_agent_day=useful_per_agent_day,
        replace=replace,
    ).run()


def _check(*, months: int, agents: int | None, useful_per_agent_day: float) -> None:
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidInput(
            DemoProblem.MONTHS_OUT_OF_RANGE, field="months", given=months, low=1, high=MAX_MONTHS
        )
    if agents is not None and not 1 <= agents <= MAX_AGENTS:
        raise InvalidInput(
            DemoProblem.AGENTS_OUT_OF_RANGE, field="agents", given=agents, low=1, high=MAX_AGENTS
        )
    if not 0 < useful_per_agent_day <= 100:
        raise InvalidInput(
            DemoProblem.RATE_OUT_OF_RANGE, field="useful_per_agent_day", given=useful_per_agent_day
        )


def existing_activity(session: Session, *, team_id: int) -> dict[str, int]:
    """How many calls, leads, events, monthly costs and cost splits a team has."""
    counts = {}
    for model in _OWNED:
        table = _table(model)
        counts[table.name] = session.execute(
            select(func.count()).select_from(table).where(table.c.team_id == team_id)
        ).scalar_one()
    return counts


def clear_activity(session: Session, *, team: Team) -> dict[str, int]:
    """Delete a team's calls, leads, events, monthly costs and splits; restart lead numbers."""
    counts = existing_activity(session, team_id=team.id or 0)
    for model in _OWNED:
        table = _table(model)
        session.execute(delete(table).where(table.c.team_id == team.id))
    session.execute(
        update(_table(Team)).where(_table(Team).c.id == team.id).values(last_lead_number=0)
    )
    session.flush()
    return counts


def _refuse_if_active(session: Session, team: Team) -> None:
    counts = existing_activity(session, team_id=team.id or 0)
    if any(counts.values()):
        raise Conflict(
            DemoProblem.TEAM_HAS_ACTIVITY,
            team_slug=team.slug,
            counts={name: n for name, n in counts.items() if n},
        )


class _Generator:
    def __init__(
        self,
        session: Session,
        *,
        team_slug: str,
        months: int,
        today: date,
        seed: int,
        agents: int | None,
        useful_per_agent_day: float,
        replace: bool,
    ) -> None:
        self.session, self.months, self.today, self.seed = session, months, today, seed
        self.useful_per_agent_day, self.started = useful_per_agent_day, perf_counter()
        self.team = get_team(session, slug=team_slug)
        if replace:
            clear_activity(session, team=self.team)
            session.refresh(self.team)
        else:
            _refuse_if_active(session, self.team)
        self.agent_ids, self.engineer_ids = demo_workforce(session, team=self.team, agents=agents)
        self.clock = Clock(timezone_of(self.team))
        self.month_list = demo_months(today, months)
        self.first_day = self.month_list[0]
        self.horizon = self.clock.midnight(today + timedelta(days=1))
        self.rng = Random(seed)
        self.key_prefix = f"demo:{self.team.slug}"
        self.companies = demo_text.company_pool(self.rng, min(20_000, 1500 * len(self.agent_ids)))
        self.texts = demo_text.TextPool(self.rng)
        self.leads_by_month: Counter[tuple[str, date]] = Counter()
        self.number = 0
        self.uncommitted = 0

    def run(self) -> ActivitySummary:
        session, team = self.session, self.team
        n_agents = len(self.agent_ids)
        first_year = self.first_day.year
        cells = {m: cell_cost(m, agents=n_agents, first_year=first_year) for m in self.month_list}
        costs, splits = cost_rows(team.id or 0, team.currency, cells, self.clock)
        self._insert(_table(MonthlyCost), costs)
        self._insert(_table(CostSplit), splits)
        events = plan_events(
            self.rng,
            first_day=self.first_day,
            today=self.today,
            agents=n_agents,
            useful_per_agent_day=self.useful_per_agent_day,
        )
        self._insert_events(events)
        calls = CallMaker(
            self.rng,
            self.clock,
            team_id=team.id or 0,
            key_prefix=self.key_prefix,
            useful_per_agent_day=self.useful_per_agent_day,
            companies=self.companies,
            texts=self.texts,
        )
        leads = LeadMaker(
            self.rng,
            self.clock,
            team_id=team.id or 0,
            key_prefix=self.key_prefix,
            currency=team.currency,
            sales_engineers=self.engineer_ids,
            horizon=self.horizon,
        )
        self._weeks(events, calls, leads)
        calibrate(self.rng, events, cells, self.leads_by_month)
        self._save_event_costs(events)
        self._save_lead_number()
        session.commit()
        window = self.month_list[:-1][-12:]  # whole months, as the monthly report shows
        by_source = cost_per_lead(
            session,
            team_id=team.id or 0,
            clock=self.clock,
            first_month=window[0],
            last_month=window[-1],
        )
        by_source_total: Counter[str] = Counter()
        for (source, _month), count in self.leads_by_month.items():
            by_source_total[source] += count
        return ActivitySummary(
            team_slug=team.slug,
            team_name=team.name,
            currency=team.currency,
            first_day=self.first_day,
            last_day=self.today,
            months=self.months,
            seed=self.seed,
            agents=n_agents,
            sales_engineers=len(self.engineer_ids),
            working_days=len(working_days(self.first_day, self.today)),
            calls=calls.calls,
            useful_contacts=calls.useful,
            undone_calls=calls.undone,
            leads_by_source={s.value: by_source_total[s.value] for s in Source},
            events_by_kind={k: sum(e.kind == k for e in events) for k in EVENT_KINDS},
            seminar_attendees=tuple(e.attendees for e in events if e.kind == "seminar"),
            cost_months=(window[0], window[-1]),
            costs=by_source,
            seconds=perf_counter() - self.started,
        )

    def _weeks(self, events: list[PlannedEvent], calls: CallMaker, leads: LeadMaker) -> None:
        pending: list[tuple[Any, int, LeadSeed]] = []
        serial = 0
        by_day: dict[date, list[PlannedEvent]] = {}
        for event in events:
            by_day.setdefault(event.held_on, []).append(event)
        for week in self._week_starts():
            days = [week + timedelta(days=n) for n in range(7)]
            rows: list[dict[str, Any]] = []
            seeds: list[LeadSeed] = []
            for day in days:
                for event in by_day.get(day, []):
                    for seed in event_leads(
                        self.rng,
                        self.clock,
                        event,
                        agents=self.agent_ids,
                        companies=self.companies,
                        texts=self.texts,
                    ):
                        serial += 1
                        heapq.heappush(pending, (seed.created_at, serial, seed))
                if self.first_day <= day <= self.today and is_working_day(day):
                    day_rows, day_seeds = calls.day(day, self.agent_ids)
                    rows += day_rows
                    seeds += day_seeds
            self._insert(_table(Call), rows)
            end = self.clock.midnight(week + timedelta(days=7))
            while pending and pending[0][0] < end:
                seeds.append(heapq.heappop(pending)[2])
            self._insert_leads(seeds, leads)

    def _week_starts(self) -> Iterator[date]:
        week = self.first_day - timedelta(days=self.first_day.weekday())
        while week <= self.today:
            yield week
            week += timedelta(days=7)

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        for folded, source in (("company_key", "company"), ("name_key", "name")):
            if folded in table.c:
                for row in rows:
                    row[folded] = name_key(row[source])
        for start in range(0, len(rows), CHUNK_ROWS):
            self.session.execute(insert(table), rows[start : start + CHUNK_ROWS])
        self.uncommitted += len(rows)

    def _insert_events(self, events: list[PlannedEvent]) -> None:
        created = self.clock.midnight(self.first_day)
        rows = [
            {
                "team_id": self.team.id,
                "kind": e.kind,
                "name": e.name,
                "held_on": e.held_on,
                "created_at": max(created, self.clock.at(e.held_on - timedelta(days=45), 36_000)),
                "cost": None,
                "attendees": e.attendees,
            }
            for e in events
        ]
        self._insert(_table(Event), rows)
        ids = dict(
            self.session.execute(
                select(_table(Event).c.name, _table(Event).c.id).where(
                    _table(Event).c.team_id == self.team.id
                )
            ).all()
        )
        for event in events:
            event.id = ids[event.name]

    def _insert_leads(self, seeds: list[LeadSeed], maker: LeadMaker) -> None:
        seeds = [s for s in seeds if s.created_at < self.horizon]
        seeds.sort(key=lambda s: s.created_at)
        call_ids = self._call_ids([s.call_key for s in seeds if s.call_key])
        rows = []
        for seed in seeds:
            self.number += 1
            call_id = call_ids[seed.call_key] if seed.call_key else None
            rows.append(maker.row(seed, number=self.number, call_id=call_id))
            self.leads_by_month[(seed.source, seed.day.replace(day=1))] += 1
        self._insert(_table(Lead), rows)
        if self.uncommitted >= COMMIT_ROWS:
            self._save_lead_number()
            self.session.commit()
            self.uncommitted = 0

    def _call_ids(self, keys: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(keys), 500):
            query = select(_table(Call).c.slack_key, _table(Call).c.id).where(
                col(_table(Call).c.slack_key).in_(keys[start : start + 500])
            )
            found.update(self.session.execute(query).all())
        return found

    def _save_event_costs(self, events: list[PlannedEvent]) -> None:
        table = _table(Event)
        rows = [{"event_key": e.id, "new_cost": e.cost} for e in events]
        if rows:
            statement = (
                update(table)
                .where(table.c.id == bindparam("event_key"))
                .values(cost=bindparam("new_cost"))
            )
            self.session.connection().execute(statement, rows)

    def _save_lead_number(self) -> None:
        table = _table(Team)
        self.session.execute(
            update(table).where(table.c.id == self.team.id).values(last_lead_number=self.number)
        )
