"""Command-line subcommands for costs and reports (`leadcell costs …`, `leadcell report …`)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.settings import Settings


def add_parsers(sub: Any) -> None:
    """Add this module's subcommands to the `leadcell` parser (none yet)."""


def run(args: argparse.Namespace, settings: Settings) -> int | None:
    """Run the command if it is one of this module's, else return None."""
    return None
