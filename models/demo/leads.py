"""The life of a demo lead: handed, claimed, then qualified or rejected, then won or lost.

Most leads are claimed within minutes to hours of office time; sales engineers
decide within days whether a project is real; B2B cycles then take months.
Anything that would happen after the horizon (the end of `today`) has not
happened yet, so recent leads are still new, claimed or qualified.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from random import Random
from typing import Any

from models.demo import text as demo_text
from models.demo.calls import LeadSeed
from models.demo.clock import OFFICE_SECONDS, Clock
from models.leads import Status

#: Share of leads handed to a named sales engineer (the others go to the pool).
NAMED_SHARE = {"telemarketing": 0.6, "seminar": 0.7, "trade-show": 0.7}
#: Share of claimed leads the sales engineer qualifies (the others are rejected).
QUALIFY_SHARE = {"telemarketing": 0.58, "seminar": 0.45, "trade-show": 0.4}
#: What becomes of a qualified lead: cumulative shares of won, lost, rejected late.
AFTER_QUALIFIED = ((0.15, Status.WON), (0.65, Status.LOST), (0.75, Status.REJECTED))
RELEASE_SHARE = 0.04  # a named sales engineer passes the lead back to the pool
FORGOTTEN_SHARE = 0.03  # a lead nobody looks at for a day or two
CLAIM_MEDIAN_SECONDS = 20 * 60  # a named sales engineer's
POOL_CLAIM_FACTOR = 3  # nobody feels a pool lead is theirs at first
DECISION_MEDIAN_DAYS = 3
CYCLE_MEDIAN_DAYS = 75


class LeadMaker:
    """Turns lead seeds into complete lead rows, with plausible transitions and timestamps."""

    def __init__(
        self,
        rng: Random,
        clock: Clock,
        *,
        team_id: int,
        key_prefix: str,
        currency: str,
        sales_engineers: list[int],
        horizon: datetime,
    ) -> None:
        self.rng, self.clock = rng, clock
        self.team_id, self.key_prefix, self.currency = team_id, key_prefix, currency
        self.sales_engineers = sales_engineers
        self.popularity = list(accumulate(rng.uniform(0.5, 1.5) for _ in sales_engineers))
        self.horizon = horizon

    def _sales_engineer(self) -> int:
        return self.rng.choices(self.sales_engineers, cum_weights=self.popularity)[0]

    def row(self, seed: LeadSeed, *, number: int, call_id: int | None) -> dict[str, Any]:
        """The lead row for `seed`, numbered `number`, as it stands at the horizon."""
        rng = self.rng
        row: dict[str, Any] = {
            "team_id": self.team_id,
            "number": number,
            "source": seed.source,
            "event_id": seed.event_id,
            "call_id": call_id,
            "detected_by_id": seed.agent_id,
            "company": seed.company,
            "contact_name": seed.contact_name,
            "summary": seed.summary,
            "estimated_value": seed.estimated_value,
            "currency": self.currency,
            "assigned_to_id": None,
            "owner_id": None,
            "status": Status.NEW.value,
            "reason": None,
            "final_value": None,
            "created_at": seed.created_at,
            "handed_at": seed.created_at,
            "claimed_at": None,
            "qualified_at": None,
            "rejected_at": None,
            "won_at": None,
            "lost_at": None,
            "card_channel": None,
            "card_ts": None,
            "version": 1,
            "card_version": 1,
            "slack_key": f"{self.key_prefix}:lead:{number:07d}",
        }
        if rng.random() < NAMED_SHARE.get(seed.source, 0.5):
            row["assigned_to_id"] = self._sales_engineer()
            if rng.random() < RELEASE_SHARE:
                released = self.clock.add_office_time(seed.created_at, rng.randint(600, 14_400))
                if released >= self.horizon:
                    return self._shown(row)
                row.update(assigned_to_id=None, handed_at=released, version=row["version"] + 1)
        self._live(row, seed)
        return self._shown(row)

    @staticmethod
    def _shown(row: dict[str, Any]) -> dict[str, Any]:
        row["card_version"] = row["version"]
        return row

    def _step(self, row: dict[str, Any], at: datetime, **values: Any) -> bool:
        """Apply a transition at `at` unless it lies beyond the horizon."""
        if at >= self.horizon:
            return False
        row.update(values, version=row["version"] + 1)
        return True

    def _live(self, row: dict[str, Any], seed: LeadSeed) -> None:
        rng = self.rng
        median = CLAIM_MEDIAN_SECONDS * (1 if row["assigned_to_id"] else POOL_CLAIM_FACTOR)
        delay = median * rng.lognormvariate(0, 1.0)
        delay = min(delay, 2 * OFFICE_SECONDS)
        if rng.random() < FORGOTTEN_SHARE:
            delay += rng.randint(1, 2) * OFFICE_SECONDS
        claimed = self.clock.add_office_time(row["handed_at"], delay)
        owner = row["assigned_to_id"] or self._sales_engineer()
        status = Status.CLAIMED.value
        if not self._step(
            row, claimed, status=status, owner_id=owner, assigned_to_id=owner, claimed_at=claimed
        ):
            return
        days = DECISION_MEDIAN_DAYS * rng.lognormvariate(0, 0.7)
        decided = self.clock.add_office_time(claimed, days * OFFICE_SECONDS)
        if rng.random() >= QUALIFY_SHARE.get(seed.source, 0.5):
            self._step(
                row,
                decided,
                status=Status.REJECTED.value,
                rejected_at=decided,
                reason=rng.choice(demo_text.REJECT_REASONS),
            )
            return
        if not self._step(row, decided, status=Status.QUALIFIED.value, qualified_at=decided):
            return
        self._close(row, decided)

    def _close(self, row: dict[str, Any], qualified: datetime) -> None:
        rng = self.rng
        draw = rng.random()
        fate = next((status for limit, status in AFTER_QUALIFIED if draw < limit), None)
        days = CYCLE_MEDIAN_DAYS * rng.lognormvariate(0, 0.6)
        day = (qualified + timedelta(days=days)).astimezone(self.clock.zone).date()
        closed = self.clock.in_office(day, rng.random())
        if fate == Status.WON:
            value = row["estimated_value"] or Decimal(rng.randint(8, 15) * 10_000)
            final = Decimal(int(value * Decimal(rng.uniform(0.85, 1.1)) / 1000) * 1000)
            self._step(row, closed, status=fate.value, won_at=closed, final_value=final)
        elif fate == Status.LOST:
            reason = rng.choice(demo_text.LOST_REASONS)
            self._step(row, closed, status=fate.value, lost_at=closed, reason=reason)
        elif fate == Status.REJECTED:
            reason = rng.choice(demo_text.REJECT_REASONS)
            self._step(row, closed, status=fate.value, rejected_at=closed, reason=reason)
