"""`/leadcell cost list|set|split`: what each lead source cost a team, month by month."""

from __future__ import annotations

from decimal import Decimal

from bot.commands.admin_request import AdminRequest
from bot.grammar.admin_words import parse_source
from bot.grammar.amounts import parse_amount
from bot.grammar.command_line import CommandProblem, Missing
from bot.grammar.dates import parse_month
from bot.grammar.values import parse_percent
from bot.views.costs import cost_list, cost_recorded, split_recorded
from bot.views.leadcell import Answer
from models.costs import CostProblem, set_cost, set_split
from models.costs import cost_list as read_costs
from models.errors import InvalidInput
from models.leads import Source
from models.policy import Action


def list_costs(request: AdminRequest) -> Answer:
    """`cost list [<YYYY-MM>] [team=<slug>]`: for managers and admins (costs are money)."""
    words = request.words
    month_text = words.next_or_none()
    month = parse_month(month_text) if month_text is not None else None
    with request.session() as session:
        team = request.team(session, Action.MONEY_READ)
        words.done()
        found = read_costs(session, actor=request.actor, team_id=team.id, month=month)
    return cost_list(found, request.reader, request.style)


def record_cost(request: AdminRequest) -> Answer:
    """`cost set <YYYY-MM> <source> <amount> [team=<slug>]`; the amount may have spaces."""
    words = request.words
    month = parse_month(words.next(Missing.MONTH))
    source = parse_source(words.next(Missing.SOURCE))
    amount_words = words.rest()
    if not amount_words:
        raise InvalidInput(CommandProblem.MISSING, field="amount", missing=Missing.AMOUNT)
    with request.session() as session:
        team = request.team(session, Action.COST_WRITE)
        amount = parse_amount(" ".join(amount_words), currency=team.currency)
        words.done()
        entry = set_cost(
            session, actor=request.actor, team_id=team.id, month=month, source=source, amount=amount
        )
    return cost_recorded(entry, request.reader, request.style)


def split_cost(request: AdminRequest) -> Answer:
    """`cost split <YYYY-MM> telemarketing=70 seminar=30 [team=<slug>]`."""
    words = request.words
    month = parse_month(words.next(Missing.MONTH))
    with request.session() as session:
        team = request.team(session, Action.COST_WRITE)
        shares: dict[Source, Decimal] = {}
        for key, value in words.other_options():
            source = parse_source(key)
            if source in shares:
                raise InvalidInput(CostProblem.SHARE_TWICE, field="shares", source=source)
            shares[source] = parse_percent(value, field="shares")
        words.done()
        split = set_split(session, actor=request.actor, team_id=team.id, month=month, shares=shares)
    return split_recorded(split, request.reader, request.style)
