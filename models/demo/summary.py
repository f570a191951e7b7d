"""What `generate_activity` made: counts, cost per lead by source, and the story's ratios."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from models.demo.costs import SourceCost
from models.leads import Source

TELEMARKETING = Source.TELEMARKETING.value


@dataclass(frozen=True)
class ActivitySummary:
    """Counts of the generated activity, and cost per lead over its last (up to) 12 whole months.

    `months` whole months come before the month of `last_day`, which runs up to `last_day`.
    """

    team_slug: str
    team_name: str
    currency: str
    first_day: date
    last_day: date
    months: int
    seed: int
    agents: int
    sales_engineers: int
    working_days: int
    calls: int  # logged and not undone
    useful_contacts: int
    undone_calls: int
    leads_by_source: dict[str, int]
    events_by_kind: dict[str, int]
    seminar_attendees: tuple[int, ...]
    cost_months: tuple[date, date]
    costs: dict[str, SourceCost]
    seconds: float = field(default=0.0, compare=False)

    @property
    def leads(self) -> int:
        return sum(self.leads_by_source.values())

    @property
    def useful_per_working_day(self) -> float:
        return self.useful_contacts / self.working_days if self.working_days else 0.0

    @property
    def lead_share(self) -> float:
        """Telemarketing leads per useful contact."""
        leads = self.leads_by_source.get(TELEMARKETING, 0)
        return leads / self.useful_contacts if self.useful_contacts else 0.0

    @property
    def telemarketing_share(self) -> float:
        """Telemarketing's share of all leads."""
        return self.leads_by_source.get(TELEMARKETING, 0) / self.leads if self.leads else 0.0

    def ratio(self, source: str) -> float | None:
        """A source's cost per lead over telemarketing's, or None when either has no lead."""
        mine, base = self.costs.get(source), self.costs.get(TELEMARKETING)
        if not (mine and base and mine.per_lead and base.per_lead):
            return None
        return float(mine.per_lead / base.per_lead)

    @property
    def seminar_ratio(self) -> float | None:
        """How many times a telemarketing lead's cost a seminar lead costs (the story: ~5)."""
        return self.ratio(Source.SEMINAR.value)

    @property
    def trade_show_ratio(self) -> float | None:
        """How many times a telemarketing lead's cost a trade-show lead costs (the story: ~10)."""
        return self.ratio(Source.TRADE_SHOW.value)
