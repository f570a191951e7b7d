"""Typed, validated settings read from the environment and `.env`.

Every setting has an example value: a missing or malformed setting stops the
start with a message naming the variable and showing that example.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from models.db import DATABASE_DEFAULT

SLACK_API_DEFAULT = "https://slack.com/api/"

EXAMPLES: dict[str, str] = {
    "SLACK_BOT_TOKEN": "xoxb-<workspace number>-<bot number>-<letters and digits>",
    "SLACK_SIGNING_SECRET": "<32 hexadecimal characters>",
    "SLACK_APP_TOKEN": "xapp-<digit>-<app id>-<number>-<letters and digits>",
    "SLACK_API_URL": SLACK_API_DEFAULT,
    "DATABASE_URL": "postgresql://leadcell@127.0.0.1:5432/leadcell",
    "LEADCELL_ADMINS": "U012AB3CD,U045EF6GH",
    "PORT": "3000",
    "WEB_CONCURRENCY": "2",
    "WEB_THREADS": "4",
    "LOG_LEVEL": "INFO",
    "WORKER_LEASE_SECONDS": "120",
}


@dataclass(frozen=True)
class SecretShape:
    """What a Slack credential looks like as Slack issues it, and where to copy it from."""

    kind: str
    pattern: re.Pattern[str]
    where: str
    #: The value .env.example holds, refused as such.
    placeholder: str


SECRETS: dict[str, SecretShape] = {
    "SLACK_BOT_TOKEN": SecretShape(
        "bot token",
        re.compile(r"^xoxb-[0-9]+-[A-Za-z0-9-]+$"),
        "the app's OAuth & Permissions page (Bot User OAuth Token)",
        "xoxb-your-bot-token",
    ),
    "SLACK_SIGNING_SECRET": SecretShape(
        "signing secret",
        re.compile(r"^[0-9a-fA-F]{32}$"),
        "the app's Basic Information page (App Credentials, Signing Secret)",
        "your-signing-secret",
    ),
    "SLACK_APP_TOKEN": SecretShape(
        "app-level token",
        re.compile(r"^xapp-[0-9]-[A-Za-z0-9-]+$"),
        "the app's Basic Information page (App-Level Tokens, scope connections:write)",
        "xapp-your-app-level-token",
    ),
}

#: Values that have the right shape but were published as examples: never a real credential.
KNOWN_EXAMPLE_VALUES = frozenset({"0123456789abcdef0123456789abcdef"})

#: Variables whose Settings field is not simply the variable's name in lower case.
_FIELDS = {"LEADCELL_ADMINS": "admins"}

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class SettingsError(Exception):
    """One or more settings are missing or malformed; the message says which and how."""


@dataclass(frozen=True)
class Settings:
    """Everything leadcell reads from its environment."""

    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str = SLACK_API_DEFAULT
    database_url: str = field(default=DATABASE_DEFAULT, repr=False)  # may hold a password
    admins: frozenset[str] = frozenset()
    port: int = 3000
    web_concurrency: int = 2
    web_threads: int = 4
    log_level: str = "INFO"
    worker_lease_seconds: int = 120

    def require(self, *names: str) -> None:
        """Raise SettingsError unless every named variable (e.g. "SLACK_BOT_TOKEN") is set."""
        missing = [name for name in names if not getattr(self, _FIELDS.get(name, name.lower()))]
        if missing:
            raise SettingsError("\n".join(f"{name} is missing: {_hint(name)}" for name in missing))


def _hint(name: str) -> str:
    return f"set it in the environment or in .env, for example {name}={EXAMPLES[name]}"


def secret_problem(name: str, value: str) -> str | None:
    """Why `value` cannot be the Slack credential `name`, or None; never echoes a real value."""
    shape = SECRETS[name]
    looks = f"a real one looks like {EXAMPLES[name]}, copied from {shape.where}"
    if value == shape.placeholder or value in KNOWN_EXAMPLE_VALUES:
        return f"{name} still holds the placeholder {value!r} of .env.example: {looks}."
    prefix = EXAMPLES[name].split("<", 1)[0]
    if prefix and not value.startswith(prefix):
        return f"{name} should start with {prefix!r}, as a Slack {shape.kind} does: {looks}."
    if not shape.pattern.match(value):
        return f"{name} is not a Slack {shape.kind} as Slack issues it: {looks}."
    return None


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
) -> Settings:
    """Read settings from `environ` (default os.environ) over the values of `env_file`.

    Variables already in the environment win over `.env`, as with python-dotenv.
    """
    values: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    errors: list[str] = []

    def text(name: str) -> str | None:
        raw = values.get(name, "").strip()
        if not raw:
            return None
        problem = secret_problem(name, raw) if name in SECRETS else None
        if problem:
            errors.append(problem)
        return raw

    def number(name: str, default: int, low: int, high: int) -> int:
        raw = values.get(name, "").strip()
        if not raw:
            return default
        if not raw.isdigit() or not low <= int(raw) <= high:
            errors.append(
                f"{name}={raw!r} is not a whole number from {low} to {high}: {_hint(name)}"
            )
            return default
        return int(raw)

    api_url = text("SLACK_API_URL") or SLACK_API_DEFAULT
    if not api_url.startswith(("http://", "https://")):
        errors.append(f"SLACK_API_URL={api_url!r} is not an http(s) URL: {_hint('SLACK_API_URL')}")
    if not api_url.endswith("/"):
        api_url += "/"

    database_url = text("DATABASE_URL") or DATABASE_DEFAULT
    if not database_url.startswith(("sqlite:", "postgres://", "postgresql")):
        errors.append(
            "DATABASE_URL must be an sqlite:/// or postgresql:// URL: " + _hint("DATABASE_URL")
        )

    admins = frozenset(a.strip() for a in values.get("LEADCELL_ADMINS", "").split(",") if a.strip())
    bad_admins = sorted(a for a in admins if not _USER_ID.match(a))
    if bad_admins:
        errors.append(
            f"LEADCELL_ADMINS holds {', '.join(bad_admins)}, which are not Slack user "
            f"ids: {_hint('LEADCELL_ADMINS')}"
        )

    log_level = (values.get("LOG_LEVEL") or "INFO").strip().upper()
    if log_level not in _LOG_LEVELS:
        errors.append(
            f"LOG_LEVEL={log_level!r} is not one of {', '.join(_LOG_LEVELS)}: " + _hint("LOG_LEVEL")
        )

    settings = Settings(
        slack_bot_token=text("SLACK_BOT_TOKEN"),
        slack_signing_secret=text("SLACK_SIGNING_SECRET"),
        slack_app_token=text("SLACK_APP_TOKEN"),
        slack_api_url=api_url,
        database_url=database_url,
        admins=admins,
        port=number("PORT", 3000, 1, 65535),
        web_concurrency=number("WEB_CONCURRENCY", 2, 1, 64),
        web_threads=number("WEB_THREADS", 4, 1, 256),
        log_level=log_level,
        worker_lease_seconds=number("WORKER_LEASE_SECONDS", 120, 1, 3600),
    )
    if errors:
        raise SettingsError("\n".join(errors))
    return settings
