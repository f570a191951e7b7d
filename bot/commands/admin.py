"""`/leadcell`: admins keep teams, the roster, events and costs; anyone reads reports.

/leadcell team add <slug> <name> tz=<IANA zone> currency=<ISO code> [digest=#channel] [leads=#channel] [target=30]
/leadcell team set <slug> [name=…] [tz=…] [currency=…] [digest=#channel] [leads=#channel] [target=…]
/leadcell team set <slug> [digest_time=18:00] [digest_days=mon-fri] [skip_empty=yes|no] [report_time=09:00]
/leadcell team list
/leadcell member add @user team=<slug> roles=agent[,sales-engineer,manager,admin] [name="Full Name"]
/leadcell member roles @user <role>[,<role>…]
/leadcell member deactivate @user   (and activate)
/leadcell member list [<team slug>]
/leadcell event add seminar|trade-show "<name>" <YYYY-MM-DD> [cost=12000] [attendees=180] [team=<slug>]
/leadcell event set seminar|trade-show "<name>" [cost=…] [attendees=…] [team=<slug>]
/leadcell event list [<team slug>]
/leadcell cost set <YYYY-MM> telemarketing|seminar|trade-show|other <amount> [team=<slug>]
/leadcell cost split <YYYY-MM> telemarketing=70 seminar=30 [team=<slug>]
/leadcell cost list [<YYYY-MM>] [team=<slug>]
/leadcell report today [team=<slug>]          (anyone on the roster; only you see it)
/leadcell report day <YYYY-MM-DD> [team=<slug>]
/leadcell report month [<YYYY-MM>] [team=<slug>]
"""  # noqa: E501

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from slack_bolt import Ack, App, BoltContext
from sqlmodel import Session
from tabulate import tabulate

from bot.blocks import Block, code_sections, section
from bot.commands import report
from bot.commands.admin_parse import (
    Words,
    option_any,
    parse_yes_no,
    split_words,
)
from bot.deps import Deps
from bot.errors import refusal
from bot.grammar import words as grammar_words
from bot.refusals import refuse
from bot.text import channel_id, escape, user_mention
from models import roster
from models.costs import (
    COST_EXAMPLE,
    SPLIT_EXAMPLE,
    check_event_figures,
    list_costs,
    parse_amount,
    parse_month,
    parse_source,
    set_cost,
    set_event_figures,
    set_split,
)
from models.errors import DomainError, InvalidInput, NotAllowed, quoted
from models.events import EVENT_EXAMPLE, create_event, find_event, list_events
from models.leads import Source
from models.roster import DIGEST_EXAMPLE, MEMBER_EXAMPLE, TEAM_EXAMPLE, TeamFields
from models.tables import Event, Team

HELP = (__doc__ or "").split("\n\n", 1)[1].strip().replace("    ", "")
ROLES_EXAMPLE = "/leadcell member roles @marie agent,sales-engineer"
EVENT_COST_EXAMPLE = (
    '/leadcell event add seminar "Paris Summit" 2026-10-14 cost=12000 attendees=180'
)
COST_LIST_EXAMPLE = "/leadcell cost list 2026-10"
#: Lists anyone may read; every other change is for admins.
OPEN_LISTS = ("team", "member", "event")


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


def execute(
    session: Session,
    text: str,
    *,
    actor: str | None,
    admins: frozenset[str],
    now: datetime | None = None,
) -> Reply:
    """Run one admin command. `actor` None means the trusted CLI; a Slack user must be an admin,
    except to read lists, costs and reports (anyone on the roster)."""
    words = split_words(text, example="/leadcell help")
    topic = words.positional.pop(0).lower() if words.positional else "help"
    if topic in ("help", "?"):
        return Reply("*leadcell admin commands*", HELP)
    verb = words.positional.pop(0).lower() if words.positional else "list"
    if actor is not None:
        if topic == "cost" and verb == "list":
            require_reader(session, actor=actor, admins=admins)
        elif not (topic in OPEN_LISTS and verb == "list"):
            roster.require_admin(session, slack_user_id=actor, settings_admins=admins)
    if topic == "team":
        return _team(session, verb, words)
    if topic == "member":
        return _member(session, verb, words)
    if topic == "event":
        return _event(session, verb, words, actor=actor)
    if topic == "cost":
        return _cost(session, verb, words, actor=actor)
    raise InvalidInput(f"{quoted(topic)} is not a leadcell command.", example="/leadcell help")


def require_reader(session: Session, *, actor: str, admins: frozenset[str]) -> None:
    """Reports and costs are for active roster members and LEADCELL_ADMINS users."""
    if actor in admins:
        return
    member = roster.get_member(session, slack_user_id=actor)
    if member is None or not member.active:
        raise NotAllowed(
            "Reports are for people on the leadcell roster. "
            + roster.who_can_help(session, admins),
            example=f"/leadcell member add <@{actor}> team=fr roles=agent",
        )


def team_for(session: Session, slug: str | None, actor: str | None, *, example: str) -> Team:
    """The team named by `slug` (`team=`), else the caller's team, else the only team."""
    if slug:
        return roster.get_team(session, slug=slug)
    member = roster.get_member(session, slack_user_id=actor) if actor else None
    if member is not None:
        return session.get_one(Team, member.team_id)
    teams = roster.list_teams(session)
    if len(teams) == 1:
        return teams[0]
    known = ", ".join(t.slug for t in teams) or "none yet"
    raise InvalidInput(
        f"Say which team with team=<slug> (teams: {known}).",
        example=f"{example} team={teams[0].slug if teams else 'fr'}",
    )


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
    digest_time = option_any(words, "digest_time", "digest-time")
    digest_days = option_any(words, "digest_days", "digest-days")
    skip_empty = option_any(words, "skip_empty", "skip-empty", "digest_skip_empty")
    report_time = option_any(words, "report_time", "report-time")
    return TeamFields(
        name=words.option("name") or name,
        timezone=words.option("tz") or words.option("timezone"),
        currency=currency.upper() if currency else None,
        digest_channel=channel_id(channels["digest"]) if channels["digest"] else None,
        leads_channel=channel_id(channels["leads"]) if channels["leads"] else None,
        daily_contact_target=int(target) if target is not None else None,
        lead_routing=(words.option("routing") or "").lower() or None,
        digest_time=roster.parse_clock(digest_time) if digest_time else None,
        digest_days=roster.parse_weekdays(digest_days) if digest_days else None,
        digest_skip_empty=(
            parse_yes_no(skip_empty, example=DIGEST_EXAMPLE) if skip_empty else None
        ),
        report_time=roster.parse_clock(report_time, label="report_time") if report_time else None,
    )


def _schedule(team: Team) -> str:
    skip = ", skipped when nothing happened" if team.digest_skip_empty else ""
    return (
        f"Digest at {team.digest_time} on {team.digest_days}{skip}; monthly report at "
        f"{team.report_time} on the 1st ({team.timezone})."
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
                f"{t.digest_time} {t.digest_days}" + (" skip empty" if t.digest_skip_empty else ""),
                t.report_time,
            )
            for t in roster.list_teams(session)
        ]
        if not rows:
            return Reply(f"No team yet. Create one: `{TEAM_EXAMPLE}`")
        headers = (
            "slug",
            "name",
            "time zone",
            "currency",
            "digest",
            "leads",
            "target",
            "digest at",
            "report at",
        )
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
        scheduled = any(
            v is not None
            for v in (
                fields.digest_time,
                fields.digest_days,
                fields.digest_skip_empty,
                fields.report_time,
            )
        )
        return Reply(f"Updated team `{team.slug}`." + (f" {_schedule(team)}" if scheduled else ""))
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


def _event_figures(words: Words) -> tuple[Decimal | None, int | None]:
    raw_cost, raw_attendees = words.option("cost"), words.option("attendees")
    cost = (
        parse_amount(raw_cost, example=EVENT_COST_EXAMPLE, what="event cost")
        if raw_cost is not None
        else None
    )
    attendees = None
    if raw_attendees is not None:
        if not raw_attendees.strip().isdigit():
            raise InvalidInput(
                f"Attendees {quoted(raw_attendees)} is not a whole number.",
                example=EVENT_COST_EXAMPLE,
            )
        attendees = int(raw_attendees)
    check_event_figures(cost, attendees)
    return cost, attendees


def _event_line(event: Event, team: Team) -> str:
    figures = []
    if event.cost is not None:
        figures.append(f"cost {money(event.cost, team.currency)}")
    if event.attendees is not None:
        figures.append(f"{event.attendees} attendees")
    return ", " + ", ".join(figures) if figures else ""


def _event(session: Session, verb: str, words: Words, *, actor: str | None) -> Reply:
    words.example = EVENT_EXAMPLE
    if verb == "list":
        slug = words.positional.pop(0) if words.positional else None
        if slug:
            words.options["team"] = slug
        team = team_for(session, words.option("team"), actor, example="/leadcell event list")
        words.done()
        rows = [
            (
                e.held_on.isoformat(),
                e.kind,
                e.name,
                money(e.cost, team.currency, missing="-"),
                "-" if e.attendees is None else str(e.attendees),
            )
            for e in list_events(session, team_id=team.id or 0)
        ]
        if not rows:
            return Reply(f"Team `{team.slug}` has no event yet. Add one: `{EVENT_EXAMPLE}`")
        return Reply(
            f"{len(rows)} event(s) of `{team.slug}`",
            tabulate(
                rows, headers=("date", "kind", "name", "cost", "attendees"), disable_numparse=True
            ),
        )
    if verb not in ("add", "set"):
        raise InvalidInput(
            f"{quoted(verb)} is not an event command (add, set, list).", example=EVENT_EXAMPLE
        )
    kind = words.next("event kind (seminar or trade-show)")
    name = words.next("event name")
    if verb == "set":
        words.example = EVENT_COST_EXAMPLE.replace(" add ", " set ").replace(" 2026-10-14", "")
        cost, attendees = _event_figures(words)
        team = team_for(session, words.option("team"), actor, example=words.example)
        words.done()
        source = parse_source(kind, example=words.example)
        if cost is None and attendees is None:
            raise InvalidInput("Give the event's cost=… or attendees=….", example=words.example)
        event = find_event(session, team_id=team.id or 0, kind=source.value, name=name)
        event = set_event_figures(session, event_id=event.id or 0, cost=cost, attendees=attendees)
        return Reply(
            f"Updated the {event.kind} *{escape(event.name)}* of "
            f"{event.held_on.isoformat()}{_event_line(event, team)}."
        )
    when = words.next("event date (YYYY-MM-DD)")
    try:
        held_on = date.fromisoformat(when)
    except ValueError:
        raise InvalidInput(
            f"{quoted(when)} is not a date like 2026-10-14.", example=EVENT_EXAMPLE
        ) from None
    cost, attendees = _event_figures(words)
    team = team_for(session, words.option("team"), actor, example=EVENT_EXAMPLE)
    words.done()
    check_event_figures(cost, attendees)
    event = create_event(
        session,
        team_id=team.id or 0,
        kind=kind,
        name=name,
        held_on=held_on,
        cost=cost,
        attendees=attendees,
    )
    return Reply(
        f"Added the {event.kind} *{escape(event.name)}* of {event.held_on.isoformat()} "
        f"to `{team.slug}`{_event_line(event, team)}."
    )


# --- costs -------------------------------------------------------------------------------------


_PERCENT = re.compile(r"^(\d{1,3}(?:\.\d+)?)\s*%?$")


def _shares(words: Words) -> dict[Source, Decimal]:
    shares: dict[Source, Decimal] = {}
    for key, value in list(words.options.items()):
        source = parse_source(key, example=SPLIT_EXAMPLE)
        match = _PERCENT.match(value.strip())
        if match is None:
            raise InvalidInput(
                f"The share {quoted(key + '=' + value)} is not a percent.", example=SPLIT_EXAMPLE
            )
        if source in shares:
            raise InvalidInput(f"{source} is given twice.", example=SPLIT_EXAMPLE)
        shares[source] = Decimal(match.group(1))
        del words.options[key]
    if not shares:
        raise InvalidInput(
            "Give each source's share of the cell's cost, in percent.", example=SPLIT_EXAMPLE
        )
    return shares


def _cost(session: Session, verb: str, words: Words, *, actor: str | None) -> Reply:
    if verb == "set":
        words.example = COST_EXAMPLE
        month = parse_month(words.next("month (YYYY-MM)"))
        source = parse_source(words.next("source (telemarketing, seminar, trade-show, other)"))
        amount = parse_amount(words.next("amount") + "".join(words.positional))
        words.positional.clear()
        team = team_for(session, words.option("team"), actor, example=COST_EXAMPLE)
        words.done()
        entry = set_cost(session, team_id=team.id or 0, month=month, source=source, amount=amount)
        was = ""
        if entry.previous is not None and entry.previous != entry.amount:
            was = f" (was {money(entry.previous, entry.currency)})"
        return Reply(
            f"Recorded the {source} cost of `{team.slug}` for {month_label(month)}: "
            f"{money(entry.amount, entry.currency)}{was}."
        )
    if verb == "split":
        words.example = SPLIT_EXAMPLE
        month = parse_month(words.next("month (YYYY-MM)"), example=SPLIT_EXAMPLE)
        team = team_for(session, words.option("team"), actor, example=SPLIT_EXAMPLE)
        shares = _shares(words)
        words.done()
        split = set_split(session, team_id=team.id or 0, month=month, shares=shares)
        parts = ", ".join(f"{s} {p.normalize():f} %" for s, p in split.items() if p)
        return Reply(f"From {month_label(month)}'s `{team.slug}` cell cost: {parts}.")
    if verb == "list":
        words.example = COST_LIST_EXAMPLE
        month = (
            parse_month(words.positional.pop(0), example=COST_LIST_EXAMPLE)
            if (words.positional)
            else None
        )
        team = team_for(session, words.option("team"), actor, example=COST_LIST_EXAMPLE)
        words.done()
        return _cost_list(session, team, month)
    raise InvalidInput(
        f"{quoted(verb)} is not a cost command (set, split, list).", example=COST_EXAMPLE
    )


def _cost_list(session: Session, team: Team, month: date | None) -> Reply:
    rows = []
    for costs in list_costs(session, team_id=team.id or 0, month=month):
        for source in Source:
            own = costs.recorded.get(source)
            share = costs.share(source)
            events = costs.events.get(source)
            if own is None and events is None and not costs.split.get(source):
                continue
            rows.append(
                (
                    f"{costs.month:%Y-%m}",
                    source.value,
                    money(own, team.currency, missing="-"),
                    f"{share.normalize():f} %" if share else "-",
                    money(events, team.currency, missing="-"),
                    money(costs.cost(source), team.currency),
                )
            )
    when = f" for {month_label(month)}" if month else ""
    if not rows:
        return Reply(f"No cost recorded for `{team.slug}`{when}. Record one: `{COST_EXAMPLE}`")
    return Reply(
        f"Costs of `{team.slug}`{when}: each source's share of the cell's (telemarketing) cost, "
        "plus its own costs and its events.",
        tabulate(
            rows,
            headers=("month", "source", "recorded", "cell share", "events", "cost"),
            disable_numparse=True,
            colalign=("left", "left", "right", "right", "right", "right"),
        ),
    )


# --- figures (legacy: being replaced by the reader's formatting, bot.format) -------------------


def money(amount: Decimal | None, currency: str, *, missing: str = "—") -> str:
    """`24 000 EUR`: whole units, rounded half up, thousands grouped by spaces."""
    if amount is None:
        return missing
    whole = int(amount.quantize(Decimal(1), ROUND_HALF_UP))
    return f"{whole:,} {currency}".replace(",", " ")


def month_label(month: date) -> str:
    """`October 2026`."""
    return f"{month:%B %Y}"


def register(app: App, deps: Deps) -> None:
    """Attach `/leadcell` to `app`.

    Every subcommand answers in the acknowledgement, except `report …` (bot.commands.report):
    its words are checked there, and the report is computed and sent to the response_url
    afterwards by a lazy listener (reports are slow work).
    """

    def on_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        text = command.get("text") or ""
        if text.split()[:1] and text.split()[0].lower() == "report":
            try:
                words = grammar_words.split_words(text)[1:]
            except DomainError as exc:
                ack(**refuse(exc, context))
                return
            report.acknowledge(ack, command, context, words)
            return
        try:
            with deps.session() as session:
                reply = execute(
                    session, text, actor=command["user_id"], admins=deps.settings.admins
                )
        except DomainError as exc:
            ack(**refusal(exc))
            return
        ack(response_type="ephemeral", text=reply.plain()[:3000], blocks=reply.blocks())

    app.command("/leadcell")(ack=on_command, lazy=[report.send_report])
