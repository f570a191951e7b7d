"""What `/leadcell team …`, `member …` and `me …` answer, in Slack or in the terminal."""

from __future__ import annotations

from tabulate import tabulate

from bot.grammar.command_line import Topic
from bot.i18n import N_, Reader
from bot.views.admin_help import example_of, usages
from bot.views.leadcell import Answer, Style
from models.actors import Role
from models.roster import (
    ActiveChange,
    MemberFacts,
    MemberList,
    RolesChange,
    TeamChange,
    TeamSettings,
)

#: Roles as answers name them.
ROLE_NAMES: dict[Role, str] = {
    Role.AGENT: N_("agent"),
    Role.SALES_ENGINEER: N_("sales engineer"),
    Role.MANAGER: N_("manager"),
    Role.ADMIN: N_("admin"),
    Role.PROVIDER: N_("provider"),
}
#: The languages leadcell speaks, by their own names (a reader finds their own).
LANGUAGE_NAMES = {"fr": "français", "en": "English", "de": "Deutsch"}
ROUTING_NAMES = {"pool": N_("the pool"), "round-robin": N_("round robin")}


def roles_text(roles: frozenset[Role], reader: Reader) -> str:
    """`agent and manager`, in the roster's order of roles."""
    return reader.items([reader._(ROLE_NAMES[r]) for r in Role if r in roles])


def weekdays_text(days: tuple[int, ...], reader: Reader) -> str:
    """`Mon–Fri`, `Mon, Wed and Fri`: the locale's short day names, runs as ranges."""
    names = reader.locale.days["format"]["abbreviated"]
    parts: list[str] = []
    run: list[int] = []
    for day in [*sorted(days), None]:
        if day is not None and (not run or day == run[-1] + 1):
            run.append(day)
            continue
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}–{names[run[-1]]}")
        else:
            parts += [names[d] for d in run]
        run = [day] if day is not None else []
    return reader.items(parts)


def _channel(channel: str | None) -> str:
    return channel if channel else "—"


def _no_posts(team: TeamSettings, reader: Reader, style: Style) -> str:
    words = (
        f"set {team.slug} digest=C0DIGEST{team.slug.upper()}"
        if style.terminal
        else f"set {team.slug} digest=#digest-{team.slug}"
    )
    return reader._(
        "No digest or report will be posted for {team} until it has a digest channel: {command}",
        team=style.code(team.slug),
        command=style.code(style.command(Topic.TEAM, words)),
    )


def schedule_text(team: TeamSettings, reader: Reader) -> str:
    """When the worker posts for a team."""
    if team.digest_skip_empty:
        return reader._(
            "Digest at {time} on {days}, skipped when nothing happened; monthly report at "
            "{report} on the 1st ({zone}).",
            time=team.digest_time,
            days=weekdays_text(team.digest_days, reader),
            report=team.report_time,
            zone=team.timezone,
        )
    return reader._(
        "Digest at {time} on {days}; monthly report at {report} on the 1st ({zone}).",
        time=team.digest_time,
        days=weekdays_text(team.digest_days, reader),
        report=team.report_time,
        zone=team.timezone,
    )


def team_list(teams: list[TeamSettings], reader: Reader, style: Style) -> Answer:
    """The teams, one row each."""
    if not teams:
        add = next(u for u in usages(style, Topic.TEAM) if u.verb.value == "add")
        return Answer(
            [
                reader._(
                    "No team yet. Create one: {command}",
                    command=style.code(example_of(add, style)),
                )
            ]
        )
    rows = [
        (
            t.slug,
            t.name,
            t.timezone,
            t.currency,
            LANGUAGE_NAMES.get(t.language, t.language),
            _channel(t.digest_channel),
            _channel(t.leads_channel),
            reader.number(t.daily_contact_target),
            reader._(ROUTING_NAMES.get(t.lead_routing, t.lead_routing)),
            f"{t.digest_time} {weekdays_text(t.digest_days, reader)}",
            t.report_time,
        )
        for t in teams
    ]
    headers = [
        reader._("team"),
        reader._("name"),
        reader._("time zone"),
        reader._("currency"),
        reader._("language"),
        reader._("digest channel"),
        reader._("leads channel"),
        reader._("daily target"),
        reader._("leads go to"),
        reader._("digest at"),
        reader._("report at"),
    ]
    notes = [_no_posts(t, reader, style) for t in teams if t.posts_nothing]
    return Answer(
        [reader.n_("{count} team", "{count} teams", len(teams))],
        tabulate(rows, headers=headers, disable_numparse=True),
        notes,
    )


def team_created(team: TeamSettings, reader: Reader, style: Style) -> Answer:
    """A team created."""
    lines = [
        reader._(
            "Created team {slug}: {name}, {zone}, {currency}, posting in {language}.",
            slug=style.code(team.slug),
            name=style.bold(style.typed(team.name)),
            zone=team.timezone,
            currency=team.currency,
            language=LANGUAGE_NAMES.get(team.language, team.language),
        )
    ]
    if team.posts_nothing:
        lines.append(_no_posts(team, reader, style))
    return Answer(lines)


def team_changed(change: TeamChange, reader: Reader, style: Style) -> Answer:
    """A team's settings changed."""
    team = change.team
    lines = [reader._("Updated team {slug}.", slug=style.code(team.slug))]
    if "language" in change.changed:
        lines.append(
            reader._(
                "Its channel posts are in {language} from now on.",
                language=LANGUAGE_NAMES.get(team.language, team.language),
            )
        )
    if "lead_routing" in change.changed:
        lines.append(
            reader._(
                "New leads without a named sales engineer go to {routing}.",
                routing=reader._(ROUTING_NAMES.get(team.lead_routing, team.lead_routing)),
            )
        )
    if change.schedule_changed:
        lines.append(schedule_text(team, reader))
    if team.posts_nothing:
        lines.append(_no_posts(team, reader, style))
    return Answer(lines)


def member_list(found: MemberList, reader: Reader, style: Style) -> Answer:
    """The roster, one row a member."""
    if not found.members:
        add = next(u for u in usages(style, Topic.MEMBER) if u.verb.value == "add")
        return Answer(
            [
                reader._(
                    "Nobody is on the roster yet. Add someone: {command}",
                    command=style.code(example_of(add, style)),
                )
            ]
        )
    rows = [
        (
            m.person.name,
            m.person.user_id,
            m.team_slug,
            roles_text(m.roles, reader),
            reader._("yes") if m.active else reader._("no"),
        )
        for m in found.members
    ]
    headers = [
        reader._("name"),
        reader._("Slack id"),
        reader._("team"),
        reader._("roles"),
        reader._("active"),
    ]
    count = len(found.members)
    if found.team_slug:
        title = reader.n_(
            "{count} member in {team}", "{count} members in {team}", count, team=found.team_slug
        )
    else:
        title = reader.n_("{count} member", "{count} members", count)
    return Answer([title], tabulate(rows, headers=headers, disable_numparse=True))


def member_added(member: MemberFacts, reader: Reader, style: Style) -> Answer:
    """Someone put on the roster."""
    return Answer(
        [
            reader._(
                "Added {who} to {team} as {roles}.",
                who=style.person(member.person),
                team=style.code(member.team_slug),
                roles=roles_text(member.roles, reader),
            )
        ]
    )


def roles_changed(change: RolesChange, reader: Reader, style: Style) -> Answer:
    """A member's roles changed."""
    member = change.member
    if member.roles == change.before:
        text = reader._(
            "{who} is {roles} already; nothing changed.",
            who=style.person(member.person),
            roles=roles_text(member.roles, reader),
        )
    else:
        text = reader._(
            "{who} is now {roles} (was {before}).",
            who=style.person(member.person),
            roles=roles_text(member.roles, reader),
            before=roles_text(change.before, reader),
        )
    return Answer([text])


def active_changed(change: ActiveChange, reader: Reader, style: Style) -> Answer:
    """A member deactivated or activated again."""
    who = style.person(change.member.person)
    if change.member.active:
        if change.changed:
            text = reader._("{who} is active again.", who=who)
        else:
            text = reader._("{who} is active already; nothing changed.", who=who)
    elif change.changed:
        text = reader._(
            "{who} is deactivated: they can no longer use leadcell; their calls and leads stay.",
            who=who,
        )
    else:
        text = reader._("{who} is deactivated already; nothing changed.", who=who)
    return Answer([text])


def own_settings(member: MemberFacts, reader: Reader, style: Style) -> Answer:
    """A member's own settings, after `/leadcell me …`. `reader` speaks their new language."""
    if member.language is None:
        text = reader._(
            "Your answers and messages follow your Slack language (now {language}).",
            language=LANGUAGE_NAMES.get(reader.language, reader.language),
        )
    else:
        text = reader._(
            "Your answers and messages are in {language} from now on.",
            language=LANGUAGE_NAMES.get(member.language, member.language),
        )
    return Answer([text])
