"""The `/lead` quick form: `/lead [@engineer] <company> -- <summary> [value=…] [source=…]`."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bot.text import plain_text, user_mention
from models.errors import InvalidInput, quoted
from models.leads import LEAD_EXAMPLE, NewLead, Source, check_new_lead

_QUOTED = r'"[^"]*"|“[^”]*”|«[^»]*»'
_KEY = re.compile(r"(?<!\S)(value|source|contact)=")
_WORD_OR_QUOTED = re.compile(_QUOTED + r"|\S+")
_SOURCE = re.compile(r"[A-Za-z_-]+(?::\s*(?:" + _QUOTED + r"|.*?(?=\s+(?:value|contact)=|$)))?")
_AMOUNT = re.compile(
    r"(?P<pre>[€$£])?\s*"
    r"(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)\s*"
    r"(?P<suffix>[kKmM])?\s*(?P<post>[€$£]|eur|gbp|usd|EUR|GBP|USD)?"
)
_MULTIPLIERS = {"k": Decimal(1000), "m": Decimal(1_000_000)}


def parse_value(text: str) -> Decimal:
    """An amount: `120k`, `120000`, `120 000`, `€120k`, `1.2M`, `120,000`, `95 500,50`."""
    match = _AMOUNT.fullmatch(text.strip())
    if not match:
        raise InvalidInput(
            f"{quoted(text)} is not an amount. Write it like 120k, 120000, 120 000, €120k or 1.2M.",
            example="value=120k",
            field="value",
        )
    number = re.sub(r"[ \u00a0\u202f]", "", match.group("num"))
    suffix = (match.group("suffix") or "").lower()
    separator = re.search(r"[.,](\d+)$", number)
    if separator and len(separator.group(1)) == 3 and not suffix:
        number = number.replace(",", "").replace(".", "")  # 120,000 and 120.000: thousands
    else:
        number = number.replace(",", ".")
    try:
        value = Decimal(number) * _MULTIPLIERS.get(suffix, Decimal(1))
    except InvalidOperation:
        raise InvalidInput(
            f"{quoted(text)} is not an amount.", example="value=120k", field="value"
        ) from None
    return value.quantize(Decimal("0.01"))


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in '"“«' and text[-1] in '"”»':
        return text[1:-1].strip()
    return text


def parse_source(text: str) -> tuple[Source, str | None]:
    """`telemarketing`, `other`, `seminar:<event name>` or `trade-show:<event name>`."""
    kind, _, event = text.partition(":")
    kind = kind.strip().lower().replace("_", "-")
    kind = {"tradeshow": "trade-show", "salon": "trade-show", "phone": "telemarketing"}.get(
        kind, kind
    )
    try:
        source = Source(kind)
    except ValueError:
        raise InvalidInput(
            f"{quoted(kind)} is not a lead source: telemarketing, seminar:<event>, "
            "trade-show:<event> or other.",
            example='source=seminar:"Paris Summit"',
            field="source",
        ) from None
    return source, _unquote(event) or None


def _take_options(text: str) -> tuple[dict[str, str], str]:
    """Pull `value=`, `source=` and `contact=` out of the text, wherever they stand."""
    options: dict[str, str] = {}
    kept: list[str] = []
    position = 0
    while (key := _KEY.search(text, position)) is not None:
        kept.append(text[position : key.start()])
        name, start = key.group(1), key.end()
        pattern = {"value": _AMOUNT, "source": _SOURCE}.get(name, _WORD_OR_QUOTED)
        found = pattern.match(text, start)
        stop = start + len(found.group().rstrip()) if found else start
        inside_word = name == "value" and re.match(r"[\w.*/+-]", text[stop : stop + 1])
        if found is None or stop == start or inside_word:  # `value=12k3`: the whole word
            found = _WORD_OR_QUOTED.match(text, start)
        end = found.end() if found else start
        options[name] = text[start:end]
        position = end
    kept.append(text[position:])
    return options, " ".join(part.strip() for part in kept if part.strip())


def parse_lead_text(text: str) -> NewLead:
    """Read the quick form into a NewLead, or raise InvalidInput with an example."""
    options, rest = _take_options(text)
    assignee = None
    first, _, after = rest.partition(" ")
    if first.startswith("<@"):
        found = user_mention(first)
        if found is None:
            raise InvalidInput(f"{quoted(first)} is not a Slack user.", example=LEAD_EXAMPLE)
        assignee, rest = found[0], after.strip()
    company, separator, summary = rest.partition("--")
    if not separator:
        raise InvalidInput(
            "Separate the company from the project summary with `--`.", example=LEAD_EXAMPLE
        )
    source, event = (
        parse_source(options["source"]) if "source" in options else (Source.TELEMARKETING, None)
    )
    new = NewLead(
        company=plain_text(_unquote(company), field="company"),
        summary=plain_text(summary.strip(), field="summary"),
        assignee=assignee,
        estimated_value=parse_value(_unquote(options["value"])) if "value" in options else None,
        source=source,
        event_name=event,
        contact_name=(
            plain_text(_unquote(options["contact"]), field="contact")
            if "contact" in options
            else None
        ),
    )
    check_new_lead(new)
    return new
