"""`leadcell leads refresh-cards`: deliver every lead card, thread reply and direct message
still owed to Slack, now, and say what is left and why."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.publisher import deliver_pending, worker_name
from bot.runtime.settings import Settings
from bot.runtime.slack_client import make_web_client
from models import outbox
from models.db import make_engine, session_scope, utcnow
from models.leads import lead_facts

KIND_NAMES = {outbox.Kind.CARD: "card", outbox.Kind.REPLY: "thread reply", outbox.Kind.DM: "DM"}


def refresh_cards(
    settings: Settings, *, retry_failed: bool = False, out: TextIO = sys.stdout
) -> int:
    """Catch up now (backoff ignored); 0 when nothing is left undelivered, else 1."""
    settings.require("SLACK_BOT_TOKEN")
    engine = make_engine(settings.database_url)
    try:
        now = utcnow()
        with session_scope(engine) as session:
            armed = outbox.arm_stale_cards(session, now=now)
            revived = outbox.retry_failed(session, now=now) if retry_failed else 0
        done = deliver_pending(
            engine, make_web_client(settings), worker=worker_name(), now=now, due_only=False
        )
        with session_scope(engine) as session:
            left = outbox.unsent(session)
            references = {
                row.lead_id: lead_facts(session, lead_id=row.lead_id).reference
                for row in left
                if row.lead_id is not None
            }
    finally:
        engine.dispose()
    if armed:
        print(f"{armed} stale card(s) queued", file=out)
    if revived:
        print(f"{revived} failed message(s) queued again", file=out)
    print(
        f"{done['sent']} delivered, {done['retrying']} to retry, {done['failed']} failed, "
        f"{len(left)} not delivered in all",
        file=out,
    )
    for row in left:
        what = f"{references.get(row.lead_id, '?')} {KIND_NAMES[row.kind]}"
        if row.status == outbox.RowStatus.FAILED:
            print(f"  {what}: failed: {row.last_error}", file=out)
        elif row.last_error:
            at = row.next_attempt_at.strftime("%Y-%m-%d %H:%M UTC")
            print(f"  {what}: pending, next try {at}: {row.last_error}", file=out)
        else:
            print(f"  {what}: pending, waiting for its card", file=out)
    if any(row.status == outbox.RowStatus.FAILED for row in left):
        print(
            "Fix what the errors name (the leads channel, the app's access to it), then run "
            "`leadcell leads refresh-cards --retry-failed`.",
            file=out,
        )
    return 1 if left else 0
