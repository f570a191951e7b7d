"""How numbers, money, dates and times look to a reader, built on Babel.

Every figure the bot shows goes through these functions with the reader's locale
(`fr_FR`, `en_GB`, `de_DE`), so `120 000 €`, `€120,000` and `120.000 €` come from
one place. Derived figures (ratios, shares, averages) are rounded here, once,
from their exact value.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent

#: The Babel locale of each language leadcell speaks. English is British English: the
#: cells are in Europe.
LOCALES = {"fr": "fr_FR", "en": "en_GB", "de": "de_DE"}


def locale_of(language: str) -> Locale:
    """The Babel locale of a language code (`fr`, `en`, `de`)."""
    return Locale.parse(LOCALES.get(language, LOCALES["en"]))


def number(value: int | Decimal, locale: Locale, *, decimals: int = 0) -> str:
    """A number with the locale's grouping: `173 600`, `173,600`, `173.600`."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    exact = Decimal(value) if not isinstance(value, Decimal) else value
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return format_decimal(rounded, format=pattern, locale=locale, decimal_quantization=False)


def money(amount: Decimal, currency: str, locale: Locale) -> str:
    """An amount in a currency: `120 000 €`, `€120,000`, `£1,234.50`; cents only when there are."""
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    if amount == amount.to_integral_value():
        pattern = pattern.replace(".00", "")
        amount = amount.quantize(Decimal(1))
    else:
        amount = amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)


def percent(share: Decimal, locale: Locale, *, decimals: int = 1) -> str:
    """A share (0.098) as a percent to `decimals` places: `9,8 %`, `9.8%`, `9,8 %`."""
    pattern = locale.percent_formats[None].pattern.split(";")[0]
    pattern = pattern.replace("0", "0." + "0" * decimals, 1) if decimals else pattern
    pattern = pattern.replace("0.", "0.", 1)
    exact = (share * 100).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP) / 100
    return format_percent(exact, format=pattern, locale=locale, decimal_quantization=False)


def ratio(value: Decimal, locale: Locale, *, decimals: int = 1) -> str:
    """A ratio rounded once from its exact value: `1,2x`, `1.2x`."""
    return number(value, locale, decimals=decimals) + "x"


def day_month(day: date, locale: Locale) -> str:
    """`27 nov.`, `27 Nov`, `27. Nov.`."""
    return format_date(day, "d MMM", locale=locale)


def full_date(day: date, locale: Locale) -> str:
    """`27 novembre 2026`, `27 November 2026`, `27. November 2026`."""
    return format_date(day, "long", locale=locale)


def weekday_date(day: date, locale: Locale) -> str:
    """`ven. 27 nov.`, `Fri 27 Nov`, `Fr., 27. Nov.`."""
    return format_date(day, "EEE d MMM", locale=locale)


def month_name(month: date, locale: Locale) -> str:
    """`novembre 2026`, `November 2026` (the stand-alone month name and the year)."""
    return format_date(month, "LLLL y", locale=locale)


def short_month(month: date, locale: Locale) -> str:
    """`nov. 2026`, `Nov 2026`."""
    return format_date(month, "LLL y", locale=locale)


def clock(moment: datetime, zone: ZoneInfo, locale: Locale) -> str:
    """The local time of a moment in a zone: `12:42` (24-hour in every language we speak)."""
    return format_time(moment.astimezone(zone), "HH:mm", locale=locale)


def day_and_clock(moment: datetime, zone: ZoneInfo, locale: Locale) -> str:
    """`27 nov. 12:42`, `27 Nov 12:42`."""
    return format_datetime(moment.astimezone(zone), "d MMM HH:mm", locale=locale)


def split_duration(seconds: int) -> tuple[int, int, int]:
    """(hours, minutes, seconds) of a whole number of seconds (negative counts as 0)."""
    hours, rest = divmod(max(int(seconds), 0), 3600)
    minutes, secs = divmod(rest, 60)
    return hours, minutes, secs


def items(values: list[str], locale: Locale, *, style: str = "standard") -> str:
    """`a, b et c`, `a, b and c`, `a, b und c`; `style="or"` for alternatives."""
    return format_list(values, style=style, locale=locale)
