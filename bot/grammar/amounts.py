"""Amounts of money, one grammar for every place that takes one.

`value=`, `won <value>`, `cost set`, `cost=` and cost imports all read amounts
here: `120k`, `120000`, `120 000`, `120,000`, `120.000`, `95 500,50`, `1.2M`,
`1,2 M`, `€120k`, `120k€`, `24 000 €`, `EUR 24000`, `24000 EUR`, `£120k` for a team
counting in GBP. A currency symbol or code other than the team's is refused, as
is a sub-cent amount or one outside 0 to 1 000 000 000 000 (not included).

Separators: a `,` or `.` followed by exactly three digits (and no `k`/`M`
suffix) groups thousands; one or two digits after it are the decimals.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bot.grammar.problems import GrammarProblem
from bot.grammar.words import regular
from models.errors import InvalidInput

#: The largest amount leadcell stores (exclusive): the Numeric(14, 2) columns hold less.
AMOUNT_LIMIT = Decimal(10**12)
CENT = Decimal("0.01")
_SYMBOLS = {"€": "EUR", "£": "GBP", "$": "USD", "¥": "JPY", "₣": "CHF"}
_CURRENCY = r"[€£$¥]|[A-Za-z]{3}\b"
_AMOUNT = re.compile(
    rf"(?P<pre>{_CURRENCY})?\s*"
    r"(?P<num>\d{1,3}(?:[ ]\d{3})+(?:[.,]\d{1,2})?|\d[\d.,]*)\s*"
    r"(?P<suffix>[kKmM])?\s*"
    rf"(?P<post>{_CURRENCY})?"
)
_MULTIPLIERS = {"k": Decimal(1000), "m": Decimal(1_000_000)}


def _currency(mark: str | None) -> str | None:
    if not mark:
        return None
    return _SYMBOLS.get(mark, mark.upper())


def _digits(number: str, *, has_suffix: bool) -> str:
    """The number with grouping removed and a `.` before decimals, or '' when unreadable."""
    number = number.replace(" ", "")
    separators = re.findall(r"[.,]", number)
    if not separators:
        return number
    groups = re.split(r"[.,]", number)
    last = groups[-1]
    if len(set(separators)) == 2:  # 1,234.50 or 1.234,50: the last one is the decimal mark
        if len(last) > 2 or any(len(g) != 3 for g in groups[1:-1]):
            return ""
        return "".join(groups[:-1]) + "." + last
    if len(separators) > 1:  # 1.234.567 or 1,234,567: grouping only
        return "".join(groups) if all(len(g) == 3 for g in groups[1:]) else ""
    if len(last) == 3 and not has_suffix:
        return "".join(groups)  # 120,000 and 120.000: thousands
    return groups[0] + "." + last


def parse_amount(text: str, *, currency: str) -> Decimal:
    """An amount in the team's `currency`, to the cent (see the module docstring)."""
    cleaned = regular(text).strip()
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise InvalidInput(GrammarProblem.AMOUNT_UNREADABLE, text=text, currency=currency)
    marks = {c for c in (_currency(match["pre"]), _currency(match["post"])) if c}
    if marks - {currency.upper()}:
        raise InvalidInput(
            GrammarProblem.AMOUNT_OTHER_CURRENCY,
            text=text,
            currency=currency,
            given=sorted(marks - {currency.upper()})[0],
        )
    suffix = (match["suffix"] or "").lower()
    digits = _digits(match["num"], has_suffix=bool(suffix))
    try:
        value = Decimal(digits) * _MULTIPLIERS.get(suffix, Decimal(1))
    except InvalidOperation:
        raise InvalidInput(GrammarProblem.AMOUNT_UNREADABLE, text=text, currency=currency) from None
    return check_amount(value, text=text, currency=currency)


def check_amount(value: Decimal, *, text: str, currency: str) -> Decimal:
    """The amount to the cent, or a refusal when out of range or finer than a cent."""
    if not value.is_finite() or not Decimal(0) <= value < AMOUNT_LIMIT:
        raise InvalidInput(
            GrammarProblem.AMOUNT_OUT_OF_RANGE, text=text, currency=currency, limit=AMOUNT_LIMIT
        )
    if value != value.quantize(CENT):
        raise InvalidInput(GrammarProblem.AMOUNT_SUB_CENT, text=text, currency=currency)
    return value.quantize(CENT)
