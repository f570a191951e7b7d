"""Reading Web API parameters that arrive as JSON values or as form strings."""

from __future__ import annotations

from typing import Any

from bot.local.fake_slack.errors import invalid_arguments

Args = dict[str, Any]


def str_param(args: Args, key: str) -> str:
    """A parameter as a string ('' when absent)."""
    value = args.get(key)
    return "" if value is None else str(value)


def int_param(args: Args, key: str, default: int) -> int:
    """A parameter as an int, or ``default`` when absent; invalid_arguments when not a number."""
    value = args.get(key)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid_arguments(f"{key} must be an integer [json-pointer:/{key}]") from None


def float_param(args: Args, key: str, default: float) -> float:
    """A parameter (such as a ts) as a float, or ``default`` when absent."""
    value = args.get(key)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise invalid_arguments(f"{key} must be a timestamp [json-pointer:/{key}]") from None


def flag_param(args: Args, key: str) -> bool:
    """A boolean parameter sent as JSON (true) or as form text ("1", "true")."""
    return args.get(key) in (True, 1, "1", "true", "True")
