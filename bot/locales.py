"""Each person's Slack locale, asked of users.info once a week and kept on their roster entry.

A request never waits for it: the reader of a request is worked out from what is
stored (bot.readers), and when a member's locale was never asked or was asked
more than a week ago, users.info (`include_locale`) is called in the background
after the answer, for the next request. A Slack locale we don't speak falls back
to the team's language, without an error.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from models.actors import Actor, record_slack_locale
from models.db import utcnow

if TYPE_CHECKING:
    from bot.deps import Deps

log = logging.getLogger(__name__)

#: How long a Slack locale is trusted before users.info is asked again.
FRESH_FOR = timedelta(days=7)


def stale(actor: Actor, now: datetime) -> bool:
    """True when the member's Slack locale was never asked, or asked too long ago."""
    if actor.member_id is None:
        return False
    checked = actor.locale_checked_at
    return checked is None or now - checked > FRESH_FOR


def refresh_locale(deps: Deps, client: WebClient, actor: Actor) -> str | None:
    """Ask users.info for the member's locale and store it; None when Slack did not say."""
    if actor.member_id is None:
        return None
    try:
        answer = client.users_info(user=actor.user_id, include_locale=True)
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.info("could not read the locale of a member: %s", type(exc).__name__)
        return None
    locale = (answer.get("user") or {}).get("locale")
    with deps.engine.connect() as connection:
        record_slack_locale(connection, member_id=actor.member_id, locale=locale, now=utcnow())
    return locale if isinstance(locale, str) else None
