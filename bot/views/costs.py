"""What `/leadcell cost …` and `leadcell costs …` answer, in Slack or in the terminal."""

from __future__ import annotations

from decimal import Decimal

from tabulate import tabulate

from bot.grammar.command_line import Topic, Verb
from bot.i18n import N_, Reader
from bot.views.admin_help import example
from bot.views.leadcell import Answer, Style
from models.costs import CostEntry, CostList, SplitEntry
from models.leads import Source

#: Lead sources as answers name them.
SOURCE_NAMES: dict[Source, str] = {
    Source.TELEMARKETING: N_("telemarketing"),
    Source.SEMINAR: N_("seminars"),
    Source.TRADE_SHOW: N_("trade shows"),
    Source.OTHER: N_("other"),
}


def source_name(source: Source, reader: Reader) -> str:
    return reader._(SOURCE_NAMES[Source(source)])


def cost_recorded(entry: CostEntry, reader: Reader, style: Style) -> Answer:
    """A monthly cost recorded."""
    fields = {
        "source": source_name(entry.source, reader),
        "team": style.code(entry.team_slug),
        "month": reader.month_name(entry.month),
        "amount": style.bold(reader.money(entry.amount, entry.currency)),
    }
    if entry.previous is not None and entry.previous != entry.amount:
        text = reader._(
            "Recorded what {source} cost {team} in {month}: {amount} (was {before}).",
            before=reader.money(entry.previous, entry.currency),
            **fields,
        )
    else:
        text = reader._("Recorded what {source} cost {team} in {month}: {amount}.", **fields)
    return Answer([text])


def split_recorded(split: SplitEntry, reader: Reader, style: Style) -> Answer:
    """A month's split of the cell's cost recorded."""
    parts = [
        reader._(
            "{source} {share}",
            source=source_name(source, reader),
            share=reader.percent(share / 100, decimals=0 if share == share.to_integral() else 2),
        )
        for source, share in split.shares.items()
        if share
    ]
    return Answer(
        [
            reader._(
                "In {month}, the cell's cost of {team} goes to {parts}.",
                month=reader.month_name(split.month),
                team=style.code(split.team.slug),
                parts=reader.items(parts),
            )
        ]
    )


def _money(amount: Decimal | None, currency: str, reader: Reader) -> str:
    return "—" if amount is None else reader.money(amount, currency)


def cost_list(found: CostList, reader: Reader, style: Style) -> Answer:
    """A team's costs, month by month and source by source."""
    team, currency = found.team, found.team.currency
    months = [m for m in found.months if not m.is_empty]
    if not months:
        if found.month is not None:
            text = reader._(
                "No cost is recorded for {team} in {month}. Record one: {command}",
                team=style.code(team.slug),
                month=reader.month_name(found.month),
                command=style.code(example(Topic.COST, Verb.SET, style)),
            )
        else:
            text = reader._(
                "No cost is recorded for {team} yet. Record one: {command}",
                team=style.code(team.slug),
                command=style.code(example(Topic.COST, Verb.SET, style)),
            )
        return Answer([text])
    rows = []
    for costs in months:
        for source in Source:
            share = costs.share(source)
            own, events = costs.recorded.get(source), costs.events.get(source)
            recorded = own is not None or share or events is not None
            rows.append(
                (
                    reader.short_month(costs.month),
                    source_name(source, reader),
                    _money(own, currency, reader),
                    reader.percent(share / 100, decimals=0) if share else "—",
                    _money(events, currency, reader),
                    reader.money(costs.cost(source), currency)
                    if recorded
                    else reader._("no cost recorded"),
                )
            )
    headers = [
        reader._("month"),
        reader._("source"),
        reader._("recorded"),
        reader._("cell share"),
        reader._("events"),
        reader._("cost"),
    ]
    if found.month is not None:
        title = reader._(
            "Costs of {team} in {month}, in {currency}.",
            team=style.code(team.slug),
            month=reader.month_name(found.month),
            currency=currency,
        )
    else:
        title = reader._(
            "Costs of {team}, in {currency}, newest month first.",
            team=style.code(team.slug),
            currency=currency,
        )
    note = reader._(
        "A source's cost is its share of the cell's cost (what telemarketing recorded, shared "
        "by cost split), plus its own recorded costs and the costs of its events that month."
    )
    table = tabulate(
        rows,
        headers=headers,
        disable_numparse=True,
        colalign=("left", "left", "right", "right", "right", "right"),
    )
    return Answer([title], table, [note])


def costs_imported(entries: list[CostEntry], reader: Reader, style: Style) -> Answer:
    """The rows of a costs file, recorded."""
    rows = [
        (
            reader.short_month(e.month),
            e.team_slug,
            source_name(e.source, reader),
            reader.money(e.amount, e.currency),
            reader._("new") if e.previous is None else reader.money(e.previous, e.currency),
        )
        for e in entries
    ]
    headers = [
        reader._("month"),
        reader._("team"),
        reader._("source"),
        reader._("amount"),
        reader._("before"),
    ]
    return Answer(
        [reader.n_("Imported {count} cost.", "Imported {count} costs.", len(entries))],
        tabulate(rows, headers=headers, disable_numparse=True),
    )
