"""One working day of demo calls: useful contacts and unanswered dials, spread over office hours.

Each agent makes about `useful_per_agent_day` useful contacts (10 to 15 minutes
on average) and about as many unanswered dials (short), laid out one after the
other between 09:00 and 18:00 with a lunch break. About one useful contact in
ten is a lead: its call has the outcome `lead` and yields a `LeadSeed`.
"""

from __future__ import annotations

from bisect import bisect
from collections import deque
from datetime import date, datetime, timedelta
from decimal import Decimal
from random import Random
from typing import Any, NamedTuple

from models.demo import text as demo_text
from models.demo.clock import OFFICE_SECONDS, Clock
from models.outcomes import Outcome

#: Useful outcomes with their cumulative probability: one contact in ten is a lead.
USEFUL_CUMULATIVE = (
    (0.10, Outcome.LEAD.value),
    (0.53, Outcome.CONTACT.value),
    (0.78, Outcome.CALLBACK.value),
    (1.00, Outcome.NOT_INTERESTED.value),
)
_USEFUL_LIMITS = [limit for limit, _ in USEFUL_CUMULATIVE]
_USEFUL = [outcome for _, outcome in USEFUL_CUMULATIVE]
_LEAD, _CALLBACK = Outcome.LEAD.value, Outcome.CALLBACK.value
_WRONG, _NO_ANSWER = Outcome.WRONG_CONTACT.value, Outcome.NO_ANSWER.value
#: Median and spread (log-normal sigma) of a call's duration in seconds, by outcome.
DURATIONS = {
    Outcome.LEAD.value: (17 * 60, 0.4),
    Outcome.CONTACT.value: (14 * 60, 0.45),
    Outcome.CALLBACK.value: (7 * 60, 0.5),
    Outcome.NOT_INTERESTED.value: (5 * 60, 0.5),
}
UNANSWERED_PER_USEFUL = 0.95
WRONG_CONTACT_SHARE = 0.2
ABSENCE = 0.04  # an agent's day off (leave, sickness, training)
UNDONE_SHARE = 0.004  # a call logged twice by mistake, the copy undone
CALLBACK_PICKUP = 0.35  # share of useful contacts that are a call back promised earlier
LEAD_VALUE_MEDIAN = 90_000


class LeadSeed(NamedTuple):
    """A lead about to be created; numbered and given a life by `demo_leads`."""

    created_at: datetime
    day: date
    source: str
    agent_id: int
    company: str
    contact_name: str | None
    summary: str
    estimated_value: Decimal | None
    call_key: str | None = None
    event_id: int | None = None


def estimated_value(rng: Random) -> Decimal:
    """A project's value: about 100 000 on average, rounded to 5 000."""
    value = max(20_000, rng.lognormvariate(0, 0.45) * LEAD_VALUE_MEDIAN)
    return Decimal(int(round(value / 5000) * 5000))


class CallMaker:
    """Makes the calls of the team's agents, day after day, and counts them."""

    def __init__(
        self,
        rng: Random,
        clock: Clock,
        *,
        team_id: int,
        key_prefix: str,
        useful_per_agent_day: float,
        companies: list[tuple[str, str]],
        texts: demo_text.TextPool,
    ) -> None:
        self.rng, self.clock, self.texts = rng, clock, texts
        self.team_id, self.key_prefix = team_id, key_prefix
        self.useful_mean = useful_per_agent_day / (1 - ABSENCE)
        self.companies = companies
        self.callbacks: dict[int, deque[tuple[str, str, str]]] = {}
        self.serial = 0
        self.calls = self.useful = self.undone = 0

    def day(self, day: date, agent_ids: list[int]) -> tuple[list[dict[str, Any]], list[LeadSeed]]:
        """The day's call rows (all agents) and the leads their calls detected."""
        rows: list[dict[str, Any]] = []
        seeds: list[LeadSeed] = []
        for agent_id in agent_ids:
            if self.rng.random() < ABSENCE:
                continue
            self._agent_day(day, agent_id, rows, seeds)
        return rows, seeds

    def _outcomes(self) -> list[str]:
        rng = self.rng
        useful = max(0, round(rng.gauss(self.useful_mean, 2.0)))
        dials = max(0, round(rng.gauss(self.useful_mean * UNANSWERED_PER_USEFUL, 2.5)))
        outcomes = [_USEFUL[bisect(_USEFUL_LIMITS, rng.random())] for _ in range(useful)]
        outcomes += [
            _WRONG if rng.random() < WRONG_CONTACT_SHARE else _NO_ANSWER for _ in range(dials)
        ]
        rng.shuffle(outcomes)
        return outcomes

    def _duration(self, outcome: str) -> int:
        rng = self.rng
        shape = DURATIONS.get(outcome)
        if shape is None:
            low, high = (30, 150) if outcome == _WRONG else (15, 60)
            return low + int(rng.random() * (high - low))
        median, sigma = shape
        return int(min(75 * 60, max(60, median * rng.lognormvariate(0, sigma))))

    def _agent_day(
        self, day: date, agent_id: int, rows: list[dict[str, Any]], seeds: list[LeadSeed]
    ) -> None:
        random = self.rng.random
        outcomes = self._outcomes()
        durations = [self._duration(o) for o in outcomes]
        wrapups = [
            (120 + int(random() * 240)) if o in DURATIONS else (20 + int(random() * 40))
            for o in outcomes
        ]
        free = max(0.0, OFFICE_SECONDS - sum(durations) - sum(wrapups))
        gaps = [random() for _ in range(len(outcomes) + 1)]
        scale = free / (sum(gaps) or 1.0)
        position = gaps[0] * scale
        pending = self.callbacks.setdefault(agent_id, deque(maxlen=40))
        for index, outcome in enumerate(outcomes):
            called_at = self.clock.office_at(day, position)
            duration = durations[index]
            position += duration + wrapups[index] + gaps[index + 1] * scale
            row = self._row(day, agent_id, outcome, called_at, duration, pending)
            row["created_at"] = called_at + timedelta(seconds=duration + wrapups[index] // 2)
            rows.append(row)
            self.calls += 1
            if outcome in DURATIONS:
                self.useful += 1
            if outcome == _LEAD:
                seeds.append(self._lead(day, agent_id, row))
            elif random() < UNDONE_SHARE:
                rows.append(self._undone_copy(row))

    def _row(
        self,
        day: date,
        agent_id: int,
        outcome: str,
        called_at: datetime,
        duration: int,
        pending: deque[tuple[str, str, str]],
    ) -> dict[str, Any]:
        random = self.rng.random
        useful = outcome in DURATIONS
        if useful and pending and random() < CALLBACK_PICKUP:
            company, contact_name, phone = pending.popleft()
        else:
            company, phone = self.companies[int(random() * len(self.companies))]
            contact_name = self.texts.contact()
        if outcome == _CALLBACK:
            pending.append((company, contact_name, phone))
        self.serial += 1
        return {
            "team_id": self.team_id,
            "agent_id": agent_id,
            "called_at": called_at,
            "duration_seconds": duration,
            "company": company,
            "contact_name": contact_name if useful else None,
            "phone": phone,
            "outcome": outcome,
            "note": None if outcome == _LEAD else self.texts.pick(outcome, day.year),
            "slack_key": f"{self.key_prefix}:call:{self.serial:09d}",
            "undone_at": None,
            "created_at": called_at,
        }

    def _lead(self, day: date, agent_id: int, row: dict[str, Any]) -> LeadSeed:
        summary = self.texts.pick("summary", day.year) or ""
        row["note"] = f"Project detected: {summary}"
        created = row["created_at"] + timedelta(seconds=60 + int(self.rng.random() * 420))
        return LeadSeed(
            created_at=created,
            day=day,
            source="telemarketing",
            agent_id=agent_id,
            company=row["company"],
            contact_name=row["contact_name"],
            summary=summary,
            estimated_value=estimated_value(self.rng),
            call_key=row["slack_key"],
        )

    def _undone_copy(self, row: dict[str, Any]) -> dict[str, Any]:
        self.serial += 1
        self.undone += 1
        logged = row["created_at"] + timedelta(seconds=5 + int(self.rng.random() * 35))
        undone = logged + timedelta(seconds=30 + int(self.rng.random() * 270))
        return {
            **row,
            "slack_key": f"{self.key_prefix}:call:{self.serial:09d}",
            "created_at": logged,
            "undone_at": undone,
        }
