"""The reader's language: gettext catalogs for the words, Babel for the figures.

Every text the bot shows is written with a `Reader`: `reader._("Logged a call with
*{company}*.", company=...)` looks the English message up in the reader's catalog
(French, English or German, compiled from bot/locale/*/LC_MESSAGES/leadcell.po) and
fills its named placeholders; `reader.money(...)`, `reader.day_month(...)` and the
other figures go through bot.format with the reader's locale.

Messages are marked for extraction by the method names `_` (a message) and `n_`
(singular, plural, count), and by `N_` for text declared at import time and
translated later (see `make catalogs`).
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale

from bot import format as fmt

LANGUAGES = ("fr", "en", "de")
DEFAULT_LANGUAGE = "en"
DOMAIN = "leadcell"
LOCALE_DIR = Path(__file__).parent / "locale"


def N_(message: str) -> str:
    """Mark a message for extraction without translating it now."""
    return message


def language_of(code: str | None) -> str | None:
    """The language leadcell speaks for a language or Slack locale code, else None.

    `fr`, `fr-FR`, `fr_CA` -> `fr`; `de-AT` -> `de`; `en-US` -> `en`; `es-ES` -> None.
    """
    if not code:
        return None
    language = code.replace("_", "-").split("-")[0].strip().lower()
    return language if language in LANGUAGES else None


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog of a language (a missing one falls back to the English text)."""
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


@dataclass(frozen=True)
class Reader:
    """One reader: their language, the time zone times are shown in, and their team's currency."""

    language: str = DEFAULT_LANGUAGE
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    currency: str = "EUR"

    @property
    def locale(self) -> Locale:
        return fmt.locale_of(self.language)

    # --- words ------------------------------------------------------------------------
    def _(self, message: str, /, **fields: Any) -> str:
        """The message in the reader's language, its `{placeholders}` filled from `fields`."""
        text = catalog(self.language).gettext(message)
        return text.format(**fields) if fields else text

    def n_(self, singular: str, plural: str, count: int, /, **fields: Any) -> str:
        """The singular or plural form for `count` in the reader's language.

        `{count}` in the message is the count written with the locale's grouping.
        """
        text = catalog(self.language).ngettext(singular, plural, count)
        return text.format(count=self.number(count), **fields)

    # --- figures ----------------------------------------------------------------------
    def number(self, value: int | Decimal, *, decimals: int = 0) -> str:
        return fmt.number(value, self.locale, decimals=decimals)

    def money(self, amount: Decimal, currency: str | None = None) -> str:
        return fmt.money(amount, currency or self.currency, self.locale)

    def percent(self, share: Decimal, *, decimals: int = 1) -> str:
        return fmt.percent(share, self.locale, decimals=decimals)

    def ratio(self, value: Decimal) -> str:
        return fmt.ratio(value, self.locale)

    def duration(self, seconds: int) -> str:
        """A call's length, exact to the second: `12 min`, `1 h 5 min`, `10 min 36 s`."""
        hours, minutes, secs = fmt.split_duration(seconds)
        parts = [self.n_("{count} h", "{count} h", hours)] if hours else []
        if minutes:
            parts.append(self.n_("{count} min", "{count} min", minutes))
        if secs or not parts:
            parts.append(self.n_("{count} s", "{count} s", secs))
        return " ".join(parts)

    def elapsed(self, delta: timedelta) -> str:
        """A waiting time to the minute: `14 min`, `2 h 5 min`, `3 days 4 h`."""
        hours, minutes, _ = fmt.split_duration(int(delta.total_seconds()))
        days, hours = divmod(hours, 24)
        if days:
            parts = [self.n_("{count} day", "{count} days", days)]
            return " ".join(parts + ([self.n_("{count} h", "{count} h", hours)] if hours else []))
        parts = [self.n_("{count} h", "{count} h", hours)] if hours else []
        if minutes or not parts:
            parts.append(self.n_("{count} min", "{count} min", minutes))
        return " ".join(parts)

    def clock(self, moment: datetime) -> str:
        return fmt.clock(moment, self.zone, self.locale)

    def day_and_clock(self, moment: datetime) -> str:
        return fmt.day_and_clock(moment, self.zone, self.locale)

    def day_month(self, day: date) -> str:
        return fmt.day_month(day, self.locale)

    def full_date(self, day: date) -> str:
        return fmt.full_date(day, self.locale)

    def weekday_date(self, day: date) -> str:
        return fmt.weekday_date(day, self.locale)

    def month_name(self, month: date) -> str:
        return fmt.month_name(month, self.locale)

    def short_month(self, month: date) -> str:
        return fmt.short_month(month, self.locale)

    def items(self, values: list[str], *, style: str = "standard") -> str:
        return fmt.items(values, self.locale, style=style)


def reader_for(language: str | None, *, timezone: str = "UTC", currency: str = "EUR") -> Reader:
    """A Reader for a language code (anything unknown reads English)."""
    return Reader(language_of(language) or DEFAULT_LANGUAGE, ZoneInfo(timezone), currency)
