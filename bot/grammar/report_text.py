"""The words of `/leadcell report …` and `leadcell report …`: which report, when, which team.

    report today [team=fr]
    report day 2026-11-27 [team=fr]
    report month [2026-10] [team=fr]

The report words of English, French and German are understood whatever the
reader's language (`aujourd'hui`, `heute`, `jour`, `Tag`, `mois`, `Monat`), and so
is the team option (`team=`, `équipe=`). Days and months are read by
bot.grammar.dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.grammar.dates import parse_day, parse_month
from bot.grammar.words import fold
from models.errors import InvalidInput
from models.reports import ReportProblem


class ReportKind(StrEnum):
    """The two reports: a day's digest and a month's cost-per-lead report."""

    DAY = "day"
    MONTH = "month"


#: The first word of a report request, in every language, and what it asks for.
_TODAY = ("today", "aujourd'hui", "aujourdhui", "heute")
_DAY = ("day", "date", "jour", "tag")
_MONTH = ("month", "mois", "monat")
_TEAM_KEYS = ("team", "equipe")


@dataclass(frozen=True)
class ReportRequest:
    """An on-demand report. `day` None means today in the team's time zone; `month` None
    means the current month; `team` None means the requester's own team."""

    kind: ReportKind
    team: str | None = None
    day: date | None = None
    month: date | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The request as plain values (it travels to the lazy listener in Bolt's context)."""
        return {
            "kind": self.kind.value,
            "team": self.team,
            "day": self.day.isoformat() if self.day else None,
            "month": self.month.isoformat() if self.month else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str | None]) -> ReportRequest:
        day, month = data.get("day"), data.get("month")
        return cls(
            kind=ReportKind(data.get("kind") or ReportKind.DAY.value),
            team=data.get("team"),
            day=date.fromisoformat(day) if day else None,
            month=date.fromisoformat(month) if month else None,
        )


def parse_report(words: list[str]) -> ReportRequest:
    """The words after `report` (split by bot.grammar.words.split_words) as a ReportRequest."""
    positional: list[str] = []
    team: str | None = None
    extra: list[str] = []
    for word in words:
        key, sep, value = word.partition("=")
        if sep and fold(key) in _TEAM_KEYS and value.strip() and team is None:
            team = value.strip()
        elif sep and key:
            extra.append(word)
        else:
            positional.append(word)
    if not positional:
        raise InvalidInput(ReportProblem.KIND_MISSING, field="report")
    verb, rest = positional[0], positional[1:]
    word = fold(verb)
    if word in _TODAY:
        request = ReportRequest(ReportKind.DAY, team=team)
    elif word in _DAY:
        if not rest:
            raise InvalidInput(ReportProblem.DAY_MISSING, field="date")
        request = ReportRequest(ReportKind.DAY, team=team, day=parse_day(rest.pop(0)))
    elif word in _MONTH:
        month = parse_month(rest.pop(0)) if rest else None
        request = ReportRequest(ReportKind.MONTH, team=team, month=month)
    else:
        raise InvalidInput(ReportProblem.KIND_UNKNOWN, field="report", text=verb)
    if rest or extra:
        raise InvalidInput(ReportProblem.WORDS_LEFT, text=" ".join(rest + extra))
    return request
