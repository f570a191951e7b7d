"""Wordings of the costs problems: sources, splits, amounts the domain refuses, costs files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.grammar.command_line import Topic, Verb
from bot.i18n import Reader
from bot.views.admin_help import example
from bot.views.leadcell import Style, style_of
from bot.views.problems import Facts, Said, describe, shown, wording
from models.costs import CostProblem as C
from models.costs import LineProblem
from models.errors import InvalidInput
from models.leads import Source
from models.money import MoneyProblem as M

SPLIT = "split 2026-10 telemarketing=70 seminar=30"


def _split(style: Style) -> str:
    return style.command(Topic.COST, SPLIT)


def _cost_set(style: Style) -> str:
    return example(Topic.COST, Verb.SET, style)


#: Costs files are imported in the terminal only.
IMPORT = "leadcell costs import costs.csv --team fr"


@wording(
    C.SOURCE_UNKNOWN,
    sample={"given": "radio", "allowed": [s.value for s in Source], "suggestion": None},
)
def _source(reader: Reader, facts: Facts) -> Said:
    sources = reader.items([f"`{s}`" for s in facts["allowed"]], style="or")
    if facts.get("suggestion"):
        text = reader._(
            "{given} is not a lead source. Did you mean {suggestion}? Use {sources}.",
            given=shown(facts["given"]),
            suggestion=f"`{facts['suggestion']}`",
            sources=sources,
        )
    else:
        text = reader._(
            "{given} is not a lead source: use {sources}.",
            given=shown(facts["given"]),
            sources=sources,
        )
    return Said(text, _cost_set(style_of(facts)))


@wording(C.SHARE_OUT_OF_RANGE, sample={"source": Source.SEMINAR, "percent": Decimal(120)})
def _share_range(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The share of {source} is a percent from 0 to 100, with at most two decimals.",
            source=f"`{facts['source']}`",
        ),
        _split(style_of(facts)),
    )


@wording(C.SHARE_TWICE, sample={"source": Source.SEMINAR})
def _share_twice(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("The share of {source} is given twice.", source=f"`{facts['source']}`"),
        _split(style_of(facts)),
    )


@wording(C.SHARES_MISSING)
def _shares_missing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Give each source's share of the cell's cost, in percent."),
        _split(style_of(facts)),
    )


@wording(C.SHARES_TOTAL, sample={"total": Decimal(90)})
def _shares_total(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The shares add up to {total}, not {hundred}.",
            total=reader.percent(Decimal(facts["total"]) / 100, decimals=0),
            hundred=reader.percent(Decimal(1), decimals=0),
        ),
        _split(style_of(facts)),
    )


@wording(C.FILE_UNREADABLE, sample={"file": "costs.cvs", "reason": "No such file or directory"})
def _unreadable(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The costs file {file} cannot be read ({reason}).",
            file=shown(facts["file"]),
            reason=facts["reason"],
        ),
        IMPORT,
    )


@wording(C.FILE_HEADER, sample={"missing": ["amount"]})
def _header(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The first line of a costs file is its header, month,source,amount, with a team "
            "column when rows name their team; {missing} is missing.",
            missing=reader.items([f"`{m}`" for m in facts["missing"]]),
        ),
        IMPORT,
    )


@wording(C.FILE_EMPTY)
def _empty(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("The costs file has no cost rows after its header."), IMPORT)


@wording(C.FILE_TEAM_MISSING, sample={"known": ["fr", "uk"]})
def _team_missing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "This row names no team, and there are several ({teams}): add a team column, or "
            "give the team of such rows with --team.",
            teams=reader.items([f"`{t}`" for t in facts["known"]]),
        ),
        IMPORT,
    )


@wording(
    C.FILE_LINE_REPEATED,
    sample={
        "first_line": 2,
        "team_slug": "fr",
        "month": date(2026, 10, 1),
        "source": Source.TELEMARKETING,
    },
)
def _repeated(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "It repeats line {first} ({team}, {month}, {source}).",
            first=facts["first_line"],
            team=facts["team_slug"],
            month=reader.month_name(facts["month"]),
            source=facts["source"],
        ),
        IMPORT,
    )


@wording(
    C.FILE_LINES,
    sample={
        "lines": [LineProblem(3, InvalidInput(C.SOURCE_UNKNOWN, given="radio", allowed=[]))],
        "more": 0,
    },
)
def _lines(reader: Reader, facts: Facts) -> Said:
    style = style_of(facts)
    lines = [
        reader._(
            "Line {line}: {problem}",
            line=problem.line,
            problem=describe(problem.error, reader, **style.facts()).message,
        )
        for problem in facts["lines"]
    ]
    if facts.get("more"):
        lines.append(
            reader.n_("…and {count} more line.", "…and {count} more lines.", facts["more"])
        )
    return Said(
        reader._(
            "Nothing was imported; correct these lines and import the file again.\n{lines}",
            lines="\n".join(lines),
        ),
        IMPORT,
    )


@wording(M.OUT_OF_RANGE, sample={"amount": Decimal(-5), "limit": Decimal(10**12)})
def _money_range(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "An amount is from 0 to less than {limit}.",
            limit=reader.number(Decimal(facts["limit"])),
        ),
        _cost_set(style_of(facts)),
    )


@wording(M.SUB_CENT, sample={"amount": Decimal("1.005")})
def _sub_cent(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("An amount has at most two decimals (cents)."), _cost_set(style_of(facts)))
