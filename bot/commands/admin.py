"""`/leadcell`: admins keep teams and the roster. The CLI runs the same commands.

/leadcell team add <slug> <name> tz=<IANA zone> currency=<ISO code> [digest=#channel] [leads=#channel] [target=30]
/leadcell team set <slug> [name=…] [tz=…] [currency=…] [digest=#channel] [leads=#channel] [target=…]
/leadcell team list
/leadcell member add @user team=<slug> roles=agent[,sales-engineer,manager,admin] [name="Full Name"]
/leadcell member roles @user <role>[,<role>…]
/leadcell member deactivate @user   (and activate)
/leadcell member list [<team slug>]
"""  # noqa: E501

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_bolt import Ack, App
from sqlmodel import Session
from tabulate import tabulate

from bot.blocks import Block, code_sections, section
from bot.commands.admin_parse import Words, split_words
from bot.deps import Deps
from bot.errors import refusal
from bot.text import channel_id, escape, user_mention
from models import roster
from models.errors import DomainError, InvalidInput, quoted
from models.events import EVENT_EXAMPLE, create_event, list_events
from models.roster import MEMBER_EXAMPLE, TEAM_EXAMPLE, TeamFields
from models.tables import Team

HELP = (__doc__ or "").split("\n\n", 1)[1].strip().replace("    ", "")
ROLES_EXAMPLE = "/leadcell member roles @marie agent,sales-engineer"


@dataclass(frozen=True)
class Reply:
    """What an admin command answers: mrkdwn text, and optionally a table."""

    text: str
    table: str | None = None

    def blocks(self) -> list[Block]:
        """The answer as Block Kit, the table split across sections when long."""
        blocks = [section(self.text)]
        if self.table:
            blocks += code_sections(self.table)
        return blocks[:50]

    def plain(self) -> str:
        """The answer as terminal text."""
        return self.text + ("\n" + self.table if self.table else "")


def execute(session: Session, text: str, *, actor: str | None, admins: frozenset[str]) -> Reply:
    """Run one admin command. `actor` None means the trusted CLI; a Slack user must be an admin."""
    words = split_words(text, example="/leadcell help")
    topic = words.positional.pop(0).lower() if words.positional else "help"
    if topic in ("help", "?"):
        return Reply("*leadcell admin commands*", HELP)
    verb = words.positional.pop(0).lower() if words.positional else "list"
    if actor is not None and not (topic in ("team", "member", "event") and verb == "list"):
        roster.require_admin(session, slack_user_id=actor, settings_admins=admins)
    if topic == "team":
        return _team(session, verb, words)
    if topic == "member":
        return _member(session, verb, words)
    if topic == "event":
        return _event(session, verb, words, actor=actor)
    raise InvalidInput(f"{quoted(topic)} is not a leadcell command.", example="/leadcell help")


def _team_fields(words: Words, *, name: str | None = None) -> TeamFields:
    target = words.option("target")
    if target is not None and not target.isdigit():
        raise InvalidInput(
            f"The target {quoted(target)} is not a whole number.", example="target=30"
        )
    channels = {key: words.option(key) for key in ("digest", "leads")}
    for key, raw in channels.items():
        if raw is not None and channel_id(raw) is None:
            raise InvalidInput(f"{quoted(raw)} is not a channel.", example=f"{key}=#sales-fr")
    currency = words.option("currency")
    return TeamFields(
        name=words.option("name") or name,
        timezone=words.option("tz") or words.option("timezone"),
        currency=currency.upper() if currency else None,
        digest_channel=channel_id(channels["digest"]) if channels["digest"] else None,
        leads_channel=channel_id(channels["leads"]) if channels["leads"] else None,
        daily_contact_target=int(target) if target is not None else None,
        lead_routing=(words.option("routing") or "").lower() or None,
    )


def _team(session: Session, verb: str, words: Words) -> Reply:
    words.example = TEAM_EXAMPLE
    if verb == "list":
        words.done()
        rows = [
            (
                t.slug,
                t.name,
                t.timezone,
                t.currency,
                t.digest_channel or "-",
                t.leads_channel or "-",
                t.daily_contact_target,
            )
            for t in roster.list_teams(session)
        ]
        if not rows:
            return Reply(f"No team yet. Create one: `{TEAM_EXAMPLE}`")
        headers = ("slug", "name", "time zone", "currency", "digest", "leads", "target")
        return Reply(f"{len(rows)} team(s)", tabulate(rows, headers=headers))
    slug = words.next("team slug")
    if verb == "add":
        fields = _team_fields(words, name=words.rest() or None)
        words.done()
        team = roster.create_team(session, slug=slug, fields=fields)
        return Reply(
            f"Created team `{team.slug}`: {escape(team.name)}, {team.timezone}, {team.currency}."
        )
    if verb == "set":
        fields = _team_fields(words)
        words.done()
        team = roster.update_team(session, slug=slug, fields=fields)
        return Reply(f"Updated team `{team.slug}`.")
    raise InvalidInput(
        f"{quoted(verb)} is not a team command (add, set, list).", example=TEAM_EXAMPLE
    )


def _user(words: Words) -> tuple[str, str]:
    raw = words.next("member (an @mention)")
    found = user_mention(raw)
    if found is None:
        raise InvalidInput(
            f"{quoted(raw)} is not a Slack user: mention them with @.", example=words.example
        )
    return found


def _member(session: Session, verb: str, words: Words) -> Reply:
    words.example = MEMBER_EXAMPLE
    if verb == "list":
        team = words.positional.pop(0) if words.positional else words.option("team")
        words.done()
        rows = [
            (
                m.name,
                m.slack_user_id,
                t.slug,
                ", ".join(sorted(roster.roles_of(m))),
                "yes" if m.active else "no",
            )
            for m, t in roster.list_members(session, team_slug=team)
        ]
        if not rows:
            return Reply(f"Nobody on the roster yet. Add someone: `{MEMBER_EXAMPLE}`")
        headers = ("name", "slack id", "team", "roles", "active")
        return Reply(f"{len(rows)} member(s)", tabulate(rows, headers=headers))
    user_id, label = _user(words)
    if verb == "add":
        team = words.option("team")
        roles = words.option("roles") or words.option("role")
        if not team or not roles:
            raise InvalidInput("A new member needs a team and roles.", example=MEMBER_EXAMPLE)
        name = words.option("name") or label
        words.done()
        member = roster.add_member(
            session,
            slack_user_id=user_id,
            name=name,
            team_slug=team,
            roles=roster.parse_roles(roles),
        )
        return Reply(
            f"Added <@{member.slack_user_id}> to `{team}` as "
            f"{', '.join(sorted(roster.roles_of(member)))}."
        )
    if verb == "roles":
        words.example = ROLES_EXAMPLE
        roles = roster.parse_roles(words.option("roles") or words.rest())
        words.done()
        member = roster.set_roles(session, slack_user_id=user_id, roles=roles)
        return Reply(
            f"<@{member.slack_user_id}> is now {', '.join(sorted(roster.roles_of(member)))}."
        )
    if verb in ("deactivate", "activate"):
        words.done()
        member = roster.set_active(session, slack_user_id=user_id, active=verb == "activate")
        return Reply(f"<@{member.slack_user_id}> is {verb}d.")
    raise InvalidInput(
        f"{quoted(verb)} is not a member command (add, roles, deactivate, activate, list).",
        example=MEMBER_EXAMPLE,
    )


def _event_team(session: Session, words: Words, actor: str | None) -> Team:
    slug = words.option("team")
    if slug:
        return roster.get_team(session, slug=slug)
    member = roster.get_member(session, slack_user_id=actor) if actor else None
    if member is None:
        raise InvalidInput("Say which team the event belongs to.", example=EVENT_EXAMPLE +
                           " team=fr")
    return session.get_one(Team, member.team_id)


def _event(session: Session, verb: str, words: Words, *, actor: str | None) -> Reply:
    words.example = EVENT_EXAMPLE
    if verb == "list":
        slug = words.positional.pop(0) if words.positional else None
        if slug:
            words.options["team"] = slug
        team = _event_team(session, words, actor)
        words.done()
        rows = [(e.held_on.isoformat(), e.kind, e.name) for e in
                list_events(session, team_id=team.id or 0)]
        if not rows:
            return Reply(f"Team `{team.slug}` has no event yet. Add one: `{EVENT_EXAMPLE}`")
        return Reply(f"{len(rows)} event(s) of `{team.slug}`",
                     tabulate(rows, headers=("date", "kind", "name")))
    if verb != "add":
        raise InvalidInput(f"{quoted(verb)} is not an event command (add, list).",
                           example=EVENT_EXAMPLE)
    kind = words.next("event kind (seminar or trade-show)")
    name = words.next("event name")
    when = words.next("event date (YYYY-MM-DD)")
    try:
        held_on = date.fromisoformat(when)
    except ValueError:
        raise InvalidInput(f"{quoted(when)} is not a date like 2026-10-14.",
                           example=EVENT_EXAMPLE) from None
    team = _event_team(session, words, actor)
    words.done()
    event = create_event(session, team_id=team.id or 0, kind=kind, name=name, held_on=held_on)
    return Reply(f"Added the {event.kind} *{escape(event.name)}* of {event.held_on.isoformat()} "
                 f"to `{team.slug}`.")


def register(app: App, deps: Deps) -> None:
    """Attach `/leadcell` to `app`."""

    def on_command(ack: Ack, command: dict[str, Any]) -> None:
        try:
            with deps.session() as session:
                reply = execute(
                    session,
                    command.get("text") or "",
                    actor=command["user_id"],
                    admins=deps.settings.admins,
                )
        except DomainError as exc:
            ack(**refusal(exc))
            return
        ack(response_type="ephemeral", text=reply.plain()[:3000], blocks=reply.blocks())

    app.command("/leadcell")(on_command)
