"""Money as the domain stores it: Decimal to the cent, from 0 to less than 10^12.

Amounts reach the domain as `Decimal` read by bot.grammar.amounts in the team's
currency; a float is a programming error (it would store `17500.0` and carry
binary rounding into a Numeric column), refused with TypeError before any write.
"""

from __future__ import annotations

from decimal import Decimal

from models.errors import InvalidInput, Problem

CENT = Decimal("0.01")
#: The largest amount leadcell stores (exclusive): the Numeric(14, 2) columns hold less.
MONEY_LIMIT = Decimal(10**12)


class MoneyProblem(Problem):
    """An amount the domain cannot store."""

    OUT_OF_RANGE = "money.out_of_range"
    SUB_CENT = "money.sub_cent"


def check_money(amount: Decimal, *, field: str = "amount") -> Decimal:
    """The amount to the cent; InvalidInput when out of range or finer than a cent."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be a Decimal, not {type(amount).__name__}")
    if not amount.is_finite() or not Decimal(0) <= amount < MONEY_LIMIT:
        raise InvalidInput(MoneyProblem.OUT_OF_RANGE, field=field, amount=amount, limit=MONEY_LIMIT)
    if amount != amount.quantize(CENT):
        raise InvalidInput(MoneyProblem.SUB_CENT, field=field, amount=amount)
    return amount.quantize(CENT)
