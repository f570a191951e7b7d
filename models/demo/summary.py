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

    def _period(self) -> str:
        first, last = self.cost_months
        return f"{first:%Y-%m}" if first == last else f"{first:%Y-%m} to {last:%Y-%m}"

    def lines(self) -> list[str]:
        """The summary as the CLI prints it."""
        leads = self.leads or 1
        by_source = ", ".join(
            f"{source} {n:,} ({100 * n / leads:.0f} %)"
            for source, n in self.leads_by_source.items()
            if n
        )
        attendees = self.seminar_attendees
        seminars = self.events_by_kind.get("seminar", 0)
        lines = [
            f"Demo activity for team {self.team_slug} ({self.team_name}), {self.first_day} to "
            f"{self.last_day} ({_plural(self.months, 'whole month')} and {self.last_day:%B} "
            f"to date, seed {self.seed}), "
            f"made in {self.seconds:.1f} s",
            f"  {self.agents} agents, {self.sales_engineers} sales engineers, "
            f"{self.working_days} working days",
            f"  calls: {self.calls:,} ({self.useful_contacts:,} useful contacts, "
            f"{self.useful_per_working_day:.1f} a working day; "
            f"{self.calls - self.useful_contacts:,} unanswered dials; "
            f"{self.undone_calls} undone)",
            f"  leads: {self.leads:,}: {by_source or 'none'}; "
            f"{100 * self.lead_share:.1f} % of useful contacts became a lead",
            f"  events: {_plural(seminars, 'seminar')}"
            + (f" ({min(attendees)} to {max(attendees)} attendees)" if attendees else "")
            + f", {_plural(self.events_by_kind.get('trade-show', 0), 'trade show')}",
            f"Cost per lead, {self._period()} ({self.currency}):",
            f"  {'source':<15}{'cost':>12}{'leads':>8}{'per lead':>11}{'vs telemarketing':>18}",
        ]
        for source, cost in self.costs.items():
            ratio = self.ratio(source)
            per_lead = f"{cost.per_lead:,.0f}" if cost.per_lead is not None else "no leads"
            lines.append(
                f"  {source:<15}{cost.cost:>12,.0f}{cost.leads:>8,}{per_lead:>11}"
                + (f"{ratio:>17.1f}x" if ratio is not None else f"{'-':>18}")
            )
        seminar, show = self.seminar_ratio, self.trade_show_ratio
        lines.append(
            "Telemarketing's cost per lead is "
            + " and ".join(
                f"{ratio:.1f}x lower than {name}'"
                for ratio, name in ((seminar, "seminars"), (show, "trade shows"))
                if ratio is not None
            )
            + "."
            if seminar or show
            else "Too few leads for cost-per-lead ratios."
        )
        return lines


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'s' * (count != 1)}"
