"""The words of `/leadcell report …`: which report, when, which team.

    report today [team=fr]
    report day 2026-11-27 [team=fr]
    report month [2026-10] [team=fr]

They are read like every `/leadcell` command (bot.grammar.command_line): the
verbs and the `team=` option in English, French and German whatever the reader's
language (`aujourd'hui`, `heute`, `jour`, `Tag`, `mois`, `Monat`, `équipe=`), a
topic alone meaning its first verb (`report` is today's digest). Days and months
are read by bot.grammar.dates. The terminal's `leadcell report` builds the same
`ReportRequest` from its options.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.grammar.command_line import Command, Missing, Verb
from bot.grammar.dates import parse_day, parse_month


class ReportKind(StrEnum):
    """The two reports: a day's digest and a month's cost-per-lead report."""

    DAY = "day"
    MONTH = "month"


@dataclass(frozen=True)
class ReportRequest:
    """An on-demand report. `day` None means today in the team's time zone; `month` None
    means the current month; `team` None means the requester's own team."""

    kind: ReportKind
    team: str | None = None
    day: date | None = None
    month: date | None = None

    @property
    def verb(self) -> Verb:
        """The `/leadcell report` verb that asks for this report."""
        if self.kind == ReportKind.MONTH:
            return Verb.MONTH
        return Verb.DAY if self.day is not None else Verb.TODAY

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


def read_report(command: Command) -> ReportRequest:
    """A `report` command read by bot.grammar.command_line, as a ReportRequest."""
    words = command.words
    team = words.option("team")
    if command.verb == Verb.DAY:
        request = ReportRequest(ReportKind.DAY, team=team, day=parse_day(words.next(Missing.DAY)))
    elif command.verb == Verb.MONTH:
        month = words.next_or_none()
        request = ReportRequest(
            ReportKind.MONTH, team=team, month=parse_month(month) if month else None
        )
    else:
        request = ReportRequest(ReportKind.DAY, team=team)
    words.done()
    return request
