"""Words of `/leadcell` admin commands: positional words and `key=value` options."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import date

from models.costs import parse_month
from models.errors import InvalidInput, quoted


@dataclass
class Words:
    """A command split into positional words and options, consumed as it is read."""

    positional: list[str]
    options: dict[str, str] = field(default_factory=dict)
    example: str = "/leadcell help"

    def next(self, what: str) -> str:
        """The next positional word, or an error saying `what` is missing."""
        if not self.positional:
            raise InvalidInput(f"The {what} is missing.", example=self.example)
        return self.positional.pop(0)

    def rest(self) -> str:
        """All remaining positional words, joined."""
        words, self.positional = self.positional, []
        return " ".join(words)

    def option(self, key: str) -> str | None:
        """Take an option's value, if given."""
        return self.options.pop(key, None)

    def done(self) -> None:
        """Refuse anything left unread."""
        leftovers = self.positional + [f"{k}={v}" for k, v in self.options.items()]
        if leftovers:
            raise InvalidInput(
                f"I don't know what to do with {quoted(' '.join(leftovers))}.", example=self.example
            )


def split_words(text: str, *, example: str) -> Words:
    """Split on spaces, honouring quotes (`name="Marie Curie"`), into a `Words`."""
    normalized = text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    try:
        tokens = shlex.split(normalized)
    except ValueError:
        raise InvalidInput("A quote is not closed.", example=example) from None
    words = Words(positional=[], example=example)
    for token in tokens:
        key, sep, value = token.partition("=")
        if sep and key and key.replace("-", "").replace("_", "").isalnum():
            words.options[key.lower()] = value
        else:
            words.positional.append(token)
    return words


def option_any(words: Words, *keys: str) -> str | None:
    """The value of the first option given among `keys` (`digest_time`, `digest-time`, …)."""
    found = None
    for key in keys:
        value = words.option(key)
        if value is not None and found is None:
            found = value
    return found


_YES = ("yes", "y", "true", "on", "1")
_NO = ("no", "n", "false", "off", "0")


def parse_yes_no(text: str, *, example: str) -> bool:
    """`yes`/`no` (also true/false, on/off) as a bool."""
    word = text.strip().lower()
    if word in _YES or word in _NO:
        return word in _YES
    raise InvalidInput(f"{quoted(text)} is not yes or no.", example=example)


REPORT_EXAMPLE = "/leadcell report month 2026-10"
REPORT_KINDS = ("day", "month")


@dataclass(frozen=True)
class ReportRequest:
    """An on-demand report: a day's digest or a month's cost-per-lead report.

    `day` None means today in the team's time zone; `month` None means the current month.
    """

    kind: str
    team: str | None = None
    day: date | None = None
    month: date | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "kind": self.kind,
            "team": self.team,
            "day": self.day.isoformat() if self.day else None,
            "month": self.month.isoformat() if self.month else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str | None]) -> ReportRequest:
        return cls(
            kind=data["kind"] or "day",
            team=data.get("team"),
            day=date.fromisoformat(data["day"]) if data.get("day") else None,
            month=date.fromisoformat(data["month"]) if data.get("month") else None,
        )


def parse_day(text: str, *, example: str) -> date:
    """`2026-11-27` as a date, or InvalidInput."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{quoted(text)} is not a date like 2026-11-27.", example=example
        ) from None


def parse_report(words: Words) -> ReportRequest:
    """`today`, `day 2026-11-27` or `month [2026-10]`, with an optional `team=fr`."""
    words.example = REPORT_EXAMPLE
    verb = words.positional.pop(0).lower() if words.positional else ""
    team = words.option("team")
    if verb == "today":
        request = ReportRequest("day", team=team)
    elif verb == "day":
        request = ReportRequest(
            "day",
            team=team,
            day=parse_day(
                words.next("date (YYYY-MM-DD)"), example="/leadcell report day 2026-11-27"
            ),
        )
    elif verb == "month":
        month = (
            parse_month(words.positional.pop(0), example=REPORT_EXAMPLE)
            if (words.positional)
            else None
        )
        request = ReportRequest("month", team=team, month=month)
    else:
        raise InvalidInput(
            (f"{quoted(verb)} is not a report" if verb else "Say which report")
            + ": today, day YYYY-MM-DD, or month YYYY-MM.",
            example=REPORT_EXAMPLE,
        )
    words.done()
    return request
