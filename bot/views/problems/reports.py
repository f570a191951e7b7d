"""Wordings of the reports problems: which report, which day, which team."""

from __future__ import annotations

from bot.i18n import Reader
from bot.views.problems import Facts, Said, shown, wording
from models.reports import ReportProblem as R


def _today(reader: Reader) -> str:
    return reader._("/leadcell report today")


def _month(reader: Reader) -> str:
    return reader._("/leadcell report month 2026-10")


def _with_team(reader: Reader, facts: Facts) -> str:
    teams = facts.get("teams") or ["fr"]
    return reader._("/leadcell report today team={team}", team=teams[0])


def _teams(reader: Reader, facts: Facts) -> str:
    return reader.items([f"`{slug}`" for slug in facts.get("teams") or []])


@wording(R.KIND_MISSING)
def _kind_missing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Say which report: `today`, `day 2026-11-27` or `month 2026-10`."),
        _today(reader),
    )


@wording(R.KIND_UNKNOWN, sample={"text": "weekly"})
def _kind_unknown(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is not a report. Ask for `today`, `day 2026-11-27` or `month 2026-10`.",
            text=shown(facts["text"]),
        ),
        _month(reader),
    )


@wording(R.DAY_MISSING)
def _day_missing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Say which day, written like 2026-11-27."),
        reader._("/leadcell report day 2026-11-27"),
    )


@wording(R.WORDS_LEFT, sample={"text": "2026-11 fr"})
def _words_left(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "I don't know what to do with {text}: a report takes a day or a month, and "
            "`team=` to name another team.",
            text=shown(facts["text"]),
        ),
        reader._("/leadcell report month 2026-10 team=fr"),
    )


@wording(R.TEAM_NEEDED, sample={"teams": ["fr", "uk"]})
def _team_needed(reader: Reader, facts: Facts) -> Said:
    if not facts.get("teams"):
        return Said(reader._("There is no team yet, so there is nothing to report."), None)
    return Said(
        reader._("Say which team the report is for: {teams}.", teams=_teams(reader, facts)),
        _with_team(reader, facts),
    )


@wording(R.TEAM_UNKNOWN, sample={"slug": "xx", "teams": ["fr", "uk"]})
def _team_unknown(reader: Reader, facts: Facts) -> Said:
    if not facts.get("teams"):
        slug = shown(facts["slug"])
        return Said(reader._("There is no team {slug}, nor any other yet.", slug=slug))
    return Said(
        reader._(
            "There is no team {slug}. The teams are {teams}.",
            slug=shown(facts["slug"]),
            teams=_teams(reader, facts),
        ),
        _with_team(reader, facts),
    )


@wording(R.TEAM_NOT_FOUND, sample={"team_id": 42})
def _team_not_found(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("That team no longer exists."), _today(reader))
