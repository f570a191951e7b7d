"""Contract files: one contract version written in TOML, read into `ContractTerms`.

TOML is read by the standard library (`tomllib`); this module gives each value its
meaning and remembers the line it came from, so a refusal can name it. The form
(see docs/contract-example.toml):

    team = "uk"                        # optional: the team the file is for
    effective = 2026-10-01             # the first day of the first month it judges
    until = 2027-09-30                 # optional: the last day of the last month
    monthly_fee = "18 000 GBP"         # every amount carries its currency
    at_risk = "12 %"                   # a month's penalties are capped at this share of the fee
    complaint_answer_days = 3          # optional (3): working days to answer a complaint
    contest_days = 5                   # optional (5): working days to contest a statement
    statement_day = 2                  # optional (2): the working day statements are posted

    [audit]                            # optional
    calls_per_agent = 5
    checklist = ["presented the company", "agreed a next step"]

    [[criterion]]                      # one table per criterion
    key = "lead-rate"                  # its name in statements and contests
    metric = "lead-rate"               # from models.sla_metrics.Metric
    per = "cell"                       # or "agent": judged for each agent
    at_least = "9 %"                   # or at_most; shares are percents
    weight = "25 %"                    # of the amount at risk, or penalty = "500 GBP" per breach

    [termination]                      # optional
    same_criterion_months = 3          # the same criterion missed 3 months running
    penalty_share = "10 %"             # penalties over 10 % of the fee ...
    penalty_share_months = 2           # ... 2 months running

Percents are `"12 %"`, `"12%"` or a plain number (12 means 12 %). Dates are TOML dates
or text such as `"2026-10-01"`. Amounts are read by bot.grammar.amounts.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.grammar.amounts import parse_amount
from bot.grammar.dates import parse_day
from bot.grammar.problems import GrammarProblem
from models.contracts import (
    DEFAULT_COMPLAINT_ANSWER_DAYS,
    DEFAULT_CONTEST_DAYS,
    DEFAULT_STATEMENT_DAY,
    ContractProblem,
    ContractTerms,
    CriterionTerms,
    Money,
)
from models.errors import InvalidInput
from models.sla_metrics import Comparison

TOP_KEYS = (
    "team",
    "effective",
    "until",
    "monthly_fee",
    "at_risk",
    "complaint_answer_days",
    "contest_days",
    "statement_day",
    "audit",
    "criterion",
    "termination",
)
TABLE_KEYS = {
    "audit": ("calls_per_agent", "checklist"),
    "criterion": ("key", "metric", "per", "at_least", "at_most", "penalty", "weight"),
    "termination": ("same_criterion_months", "penalty_share", "penalty_share_months"),
}
REQUIRED = ("effective", "monthly_fee", "at_risk")
#: What `per` may say, and whether it means per agent.
SCOPES = {"cell": False, "team": False, "agent": True, "agents": True}
#: The ISO code for "no currency": an amount read with it has no currency of its own.
NO_CURRENCY = "XXX"

_HEADER = re.compile(r"\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]|\s*\[\s*([A-Za-z0-9_-]+)\s*\]")
_ASSIGN = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=")
_POSITION = re.compile(r"at line (\d+), column (\d+)")
_PERCENT = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*")


def value_lines(text: str) -> dict[str, int]:
    """The line of each key and table: `monthly_fee`, `audit`, `criterion.1`, `criterion.1.metric`.

    A plain reading of the lines (tables, arrays of tables, `key =` at a line's start),
    enough for the form above; a value not found is reported at its table's line.
    """
    lines: dict[str, int] = {}
    table = ""
    arrays: dict[str, int] = {}
    in_text = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count('"""') % 2:
            in_text = not in_text
            if not in_text:
                continue
        if in_text:
            continue
        header = _HEADER.match(line)
        if header and not _ASSIGN.match(line):
            if header.group(1):
                index = arrays.get(header.group(1), -1) + 1
                arrays[header.group(1)] = index
                table = f"{header.group(1)}.{index}"
            else:
                table = header.group(2)
            lines.setdefault(table, number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            lines.setdefault(f"{table}.{assign.group(1)}" if table else assign.group(1), number)
    return lines


class _Reader:
    """Reads the values of one parsed file, refusing with the line of the value at fault."""

    def __init__(self, lines: dict[str, int]) -> None:
        self.lines = lines

    def line(self, path: str) -> int:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rpartition(".")[0]
        return 1

    def refuse(self, problem: ContractProblem, path: str, **facts: Any) -> InvalidInput:
        key = path.rpartition(".")[2]
        return InvalidInput(problem, field=key, line=self.line(path), key=key, **facts)

    def wrong_type(self, path: str, expected: str, value: object) -> InvalidInput:
        return self.refuse(ContractProblem.VALUE_TYPE, path, expected=expected, text=str(value))

    def keys(self, table: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                path = f"{prefix}.{key}" if prefix else key
                raise self.refuse(ContractProblem.KEY_UNKNOWN, path, allowed=list(allowed))

    def text(self, value: object, path: str) -> str:
        if not isinstance(value, str):
            raise self.wrong_type(path, "text", value)
        return value.strip()

    def whole(self, value: object, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.wrong_type(path, "whole-number", value)
        return value

    def day(self, value: object, path: str) -> date:
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        if isinstance(value, str):
            try:
                return parse_day(value)
            except InvalidInput:
                pass
        raise self.wrong_type(path, "date", value)

    def number(self, value: object, path: str) -> tuple[Decimal, bool]:
        """A number, or a percent written with `%`: (value, whether it had the sign)."""
        if isinstance(value, bool):
            raise self.refuse(ContractProblem.PERCENT_UNREADABLE, path, text=str(value))
        if isinstance(value, int | float):
            return Decimal(str(value)), False
        match = _PERCENT.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            raise self.refuse(ContractProblem.PERCENT_UNREADABLE, path, text=str(value))
        try:
            return Decimal(match.group(1).replace(",", ".")), bool(match.group(2))
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            raise self.refuse(ContractProblem.PERCENT_UNREADABLE, path, text=value) from None

    def percent(self, value: object, path: str) -> Decimal:
        return self.number(value, path)[0]

    def money(self, value: object, path: str) -> Money:
        """An amount with its currency: `"18 000 GBP"`, `"£18,000"`, `"500 EUR"`."""
        if not isinstance(value, str):
            raise self.refuse(ContractProblem.AMOUNT_WITHOUT_CURRENCY, path, text=str(value))
        try:
            parse_amount(value, currency=NO_CURRENCY)
        except InvalidInput as refused:
            if refused.problem is GrammarProblem.AMOUNT_OTHER_CURRENCY:
                currency = str(refused.facts["given"])
                try:
                    return Money(parse_amount(value, currency=currency), currency)
                except InvalidInput:
                    pass
            raise self.refuse(ContractProblem.AMOUNT_UNREADABLE, path, text=value) from None
        raise self.refuse(ContractProblem.AMOUNT_WITHOUT_CURRENCY, path, text=value)

    def checklist(self, value: object, path: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.wrong_type(path, "list-of-text", value)
        return tuple(item.strip() for item in value)

    def table(self, document: dict[str, Any], name: str) -> dict[str, Any]:
        value = document.get(name, {})
        if not isinstance(value, dict):
            raise self.wrong_type(name, "table", value)
        self.keys(value, TABLE_KEYS[name], name)
        return value


def read_contract(text: str) -> ContractTerms:
    """The terms of a contract file, or InvalidInput naming the line at fault."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        position = _POSITION.search(str(error))
        line, column = (int(position[1]), int(position[2])) if position else (1, 1)
        raise InvalidInput(
            ContractProblem.FILE_SYNTAX, field="file", line=line, column=column
        ) from None
    reader = _Reader(value_lines(text))
    reader.keys(document, TOP_KEYS, "")
    for key in REQUIRED:
        if key not in document:
            raise InvalidInput(ContractProblem.KEY_MISSING, field=key, line=1, key=key)
    audit = reader.table(document, "audit")
    termination = reader.table(document, "termination")
    raw_criteria = document.get("criterion", [])
    if not isinstance(raw_criteria, list) or not all(isinstance(c, dict) for c in raw_criteria):
        raise reader.wrong_type("criterion", "table-array", raw_criteria)
    criteria = tuple(_criterion(reader, raw, index) for index, raw in enumerate(raw_criteria))

    def whole(table: dict[str, Any], key: str, prefix: str, default: int | None) -> int | None:
        if key not in table:
            return default
        return reader.whole(table[key], f"{prefix}.{key}" if prefix else key)

    share = termination.get("penalty_share")
    return ContractTerms(
        team=reader.text(document["team"], "team") if "team" in document else None,
        effective_from=reader.day(document["effective"], "effective"),
        effective_until=reader.day(document["until"], "until") if "until" in document else None,
        monthly_fee=reader.money(document["monthly_fee"], "monthly_fee"),
        at_risk=reader.percent(document["at_risk"], "at_risk"),
        complaint_answer_days=whole(
            document, "complaint_answer_days", "", DEFAULT_COMPLAINT_ANSWER_DAYS
        )
        or 0,
        contest_days=whole(document, "contest_days", "", DEFAULT_CONTEST_DAYS) or 0,
        statement_day=whole(document, "statement_day", "", DEFAULT_STATEMENT_DAY) or 0,
        audit_calls_per_agent=whole(audit, "calls_per_agent", "audit", 0) or 0,
        audit_checklist=(
            reader.checklist(audit["checklist"], "audit.checklist") if "checklist" in audit else ()
        ),
        criteria=criteria,
        same_criterion_months=whole(termination, "same_criterion_months", "termination", None),
        penalty_share=(
            reader.percent(share, "termination.penalty_share") if share is not None else None
        ),
        penalty_share_months=whole(termination, "penalty_share_months", "termination", None),
        source=text,
        lines=reader.lines,
    )


def _criterion(reader: _Reader, raw: dict[str, Any], index: int) -> CriterionTerms:
    path = f"criterion.{index}"
    reader.keys(raw, TABLE_KEYS["criterion"], path)
    for key in ("key", "metric"):
        if key not in raw:
            raise InvalidInput(
                ContractProblem.KEY_MISSING, field=key, line=reader.line(path), key=key
            )
    per = reader.text(raw.get("per", "cell"), f"{path}.per").lower()
    if per not in SCOPES:
        raise reader.refuse(ContractProblem.PER_AGENT_UNREADABLE, f"{path}.per", text=per)
    comparison, target, percent = None, None, False
    for key, kind in (("at_least", Comparison.AT_LEAST), ("at_most", Comparison.AT_MOST)):
        if key in raw:
            target, percent = reader.number(raw[key], f"{path}.{key}")
            comparison = kind
    return CriterionTerms(
        key=reader.text(raw["key"], f"{path}.key"),
        metric=reader.text(raw["metric"], f"{path}.metric"),
        per_agent=SCOPES[per],
        comparison=comparison,
        target=target,
        percent=percent,
        penalty=reader.money(raw["penalty"], f"{path}.penalty") if "penalty" in raw else None,
        weight=reader.percent(raw["weight"], f"{path}.weight") if "weight" in raw else None,
        two_targets="at_least" in raw and "at_most" in raw,
        index=index,
    )
