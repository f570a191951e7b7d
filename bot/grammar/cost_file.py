"""Costs files: CSV with the header `month,source,amount` and an optional `team` column.

Each row is read with the same grammar as `/leadcell cost set`: months like
2026-10, sources in any language, amounts in the row's team's currency
(`24 000`, `24000€`). A row without a team goes to the default team (`--team`),
or to the only team there is. Every bad line is named, and then nothing is read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot.grammar.admin_words import parse_source
from bot.grammar.amounts import parse_amount
from bot.grammar.dates import parse_month
from bot.grammar.words import check_characters
from models.costs import MAX_REPORTED_LINES, CostLine, CostProblem, LineProblem
from models.errors import DomainError, InvalidInput, NotFound
from models.roster import RosterProblem, TeamSettings

COLUMNS = ("month", "source", "amount")


def read_cost_file(
    text: str, *, teams: Sequence[TeamSettings], default_team: str | None = None
) -> list[CostLine]:
    """The rows of a costs file, read; InvalidInput naming every bad line otherwise."""
    check_characters(text, field="file")
    by_slug = {team.slug: team for team in teams}
    known = sorted(by_slug)
    if default_team is not None and default_team not in by_slug:
        raise NotFound(RosterProblem.TEAM_NOT_FOUND, field="team", slug=default_team, known=known)
    fallback = default_team or (known[0] if len(known) == 1 else None)
    records = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip().lower() for name in records.fieldnames or []]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise InvalidInput(CostProblem.FILE_HEADER, missing=missing)
    records.fieldnames = header
    rows: list[CostLine] = []
    problems: list[LineProblem] = []
    for record in records:
        values = {k: (v or "").strip() for k, v in record.items() if isinstance(v, str)}
        if not any(values.values()):
            continue
        try:
            rows.append(_row(records.line_num, values, by_slug, fallback, known))
        except DomainError as error:
            problems.append(LineProblem(records.line_num, error))
    if problems:
        raise InvalidInput(
            CostProblem.FILE_LINES,
            lines=problems[:MAX_REPORTED_LINES],
            more=max(0, len(problems) - MAX_REPORTED_LINES),
        )
    if not rows:
        raise InvalidInput(CostProblem.FILE_EMPTY)
    return rows


def _row(
    line: int,
    values: dict[str, str],
    teams: dict[str, TeamSettings],
    fallback: str | None,
    known: list[str],
) -> CostLine:
    slug = values.get("team") or fallback
    if slug is None:
        raise InvalidInput(CostProblem.FILE_TEAM_MISSING, field="team", known=known)
    team = teams.get(slug)
    if team is None:
        raise NotFound(RosterProblem.TEAM_NOT_FOUND, field="team", slug=slug, known=known)
    return CostLine(
        line=line,
        team_id=team.id,
        month=parse_month(values.get("month", "")),
        source=parse_source(values.get("source", "")),
        amount=parse_amount(values.get("amount", ""), currency=team.currency),
    )
