"""The help of `/leadcell` and of the `leadcell` terminal commands, and their examples.

One table, `USAGES`, lists every command: its form, what it does, the action of
models.policy that decides who may run it (so the help says exactly who may),
and an example that runs on the demo data, for Slack and for the terminal.
Refusals take their examples from here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.blocks import message, text_sections
from bot.grammar.command_line import Topic, Verb
from bot.i18n import N_, Reader
from bot.views.leadcell import Style
from bot.views.problems.policy import ROLES
from models.actors import Role
from models.policy import EVERYONE, POLICY, Action


@dataclass(frozen=True)
class Usage:
    """One command: its form after the topic, what it does, who may, and an example.

    `terminal` and `terminal_example` are the terminal's forms where they differ
    (channels and members are given by id there); `slack_only` commands have none.
    """

    topic: Topic
    verb: Verb
    form: str
    what: str
    action: Action
    example: str
    terminal: str | None = None
    terminal_example: str | None = None
    slack_only: bool = False
    terminal_only: bool = False


USAGES: tuple[Usage, ...] = (
    Usage(
        Topic.TEAM,
        Verb.LIST,
        "list",
        N_("the teams you may read, with their channels and schedules"),
        Action.TEAM_READ,
        "list",
    ),
    Usage(
        Topic.TEAM,
        Verb.ADD,
        "add <slug> <name> tz=<zone> currency=<code> [digest=#channel] "
        "[leads=#channel] [target=30] [language=en]",
        N_("create a team; its digest and reports are posted to the digest channel"),
        Action.TEAM_CREATE,
        'add uk "United Kingdom" tz=Europe/London currency=GBP digest=#digest-uk '
        "leads=#leads-uk language=en",
        terminal="add <slug> <name> tz=<zone> currency=<code> [digest=<channel id>] "
        "[leads=<channel id>] [target=30] [language=en]",
        terminal_example='add uk "United Kingdom" tz=Europe/London currency=GBP '
        "digest=C0DIGESTUK leads=C0LEADSUK language=en",
    ),
    Usage(
        Topic.TEAM,
        Verb.SET,
        "set <slug> [name=…] [tz=…] [currency=…] [digest=#channel] [leads=#channel] "
        "[target=…] [routing=pool|round-robin] [language=fr|en|de]",
        N_("change a team's settings; its language is the one of its channel posts"),
        Action.TEAM_WRITE,
        "set fr routing=round-robin target=30 digest=#digest-fr",
        terminal="set <slug> [name=…] [tz=…] [currency=…] [digest=<channel id>] "
        "[leads=<channel id>] [target=…] [routing=pool|round-robin] [language=fr|en|de]",
        terminal_example="set fr routing=round-robin target=30 digest=C0DIGESTFR",
    ),
    Usage(
        Topic.TEAM,
        Verb.SET,
        "set <slug> [digest_time=18:00] [digest_days=mon-fri] [skip_empty=yes|no] "
        "[report_time=09:00]",
        N_("when the worker posts the daily digest and the monthly report"),
        Action.TEAM_WRITE,
        "set fr digest_time=18:00 digest_days=mon-fri skip_empty=yes report_time=09:00",
    ),
    Usage(
        Topic.MEMBER,
        Verb.LIST,
        "list [<team>]",
        N_("the roster of your team (organisation admins: of every team)"),
        Action.ROSTER_READ,
        "list fr",
    ),
    Usage(
        Topic.MEMBER,
        Verb.ADD,
        'add @user team=<slug> roles=<role>[,<role>…] [name="Full Name"]',
        N_("put someone on the roster; roles: agent, sales-engineer (se), manager, admin"),
        Action.ROSTER_WRITE,
        'add @marie team=fr roles=agent name="Marie Curie"',
        terminal='add <user id> team=<slug> roles=<role>[,<role>…] name="Full Name"',
        terminal_example='add U0MARIE01 team=fr roles=agent name="Marie Curie"',
    ),
    Usage(
        Topic.MEMBER,
        Verb.ROLES,
        "roles @user +<role> -<role>",
        N_("add or remove roles, keeping the others"),
        Action.ROSTER_WRITE,
        "roles @marc +manager",
        terminal="roles <user id> +<role> -<role>",
        terminal_example="roles U0DEMO04 +manager",
    ),
    Usage(
        Topic.MEMBER,
        Verb.ROLES,
        "roles @user <role>[,<role>…]",
        N_("give exactly these roles"),
        Action.ROSTER_WRITE,
        "roles @marc sales-engineer,manager",
        terminal="roles <user id> <role>[,<role>…]",
        terminal_example="roles U0DEMO04 sales-engineer,manager",
    ),
    Usage(
        Topic.MEMBER,
        Verb.DEACTIVATE,
        "deactivate @user",
        N_("take someone off duty; their calls and leads stay"),
        Action.ROSTER_WRITE,
        "deactivate @marie",
        terminal="deactivate <user id>",
        terminal_example="deactivate U0MARIE01",
    ),
    Usage(
        Topic.MEMBER,
        Verb.ACTIVATE,
        "activate @user",
        N_("put someone back on duty"),
        Action.ROSTER_WRITE,
        "activate @marie",
        terminal="activate <user id>",
        terminal_example="activate U0MARIE01",
    ),
    Usage(
        Topic.EVENT,
        Verb.LIST,
        "list [<team>]",
        N_("seminars and trade shows, with their costs for those who may read costs"),
        Action.EVENT_READ,
        "list",
    ),
    Usage(
        Topic.EVENT,
        Verb.ADD,
        'add seminar|trade-show "<name>" <YYYY-MM-DD> [cost=…] [attendees=…] [team=<slug>]',
        N_("record a seminar or trade show that leads may come from"),
        Action.EVENT_WRITE,
        'add seminar "Paris Summit" 2026-10-14 cost=12000 attendees=180',
    ),
    Usage(
        Topic.EVENT,
        Verb.SET,
        'set seminar|trade-show "<name>" [<YYYY-MM-DD>] [cost=…] [attendees=…] [team=<slug>]',
        N_("record an event's cost or attendance; give the date when several have that name"),
        Action.EVENT_WRITE,
        'set seminar "Paris Summit" 2026-10-14 cost=12500 attendees=185',
    ),
    Usage(
        Topic.COST,
        Verb.LIST,
        "list [<YYYY-MM>] [team=<slug>]",
        N_("what each lead source cost, month by month"),
        Action.MONEY_READ,
        "list 2026-10",
    ),
    Usage(
        Topic.COST,
        Verb.SET,
        "set <YYYY-MM> telemarketing|seminar|trade-show|other <amount> [team=<slug>]",
        N_("record what a source cost in a month, in the team's currency"),
        Action.COST_WRITE,
        "set 2026-10 telemarketing 24000",
    ),
    Usage(
        Topic.COST,
        Verb.SPLIT,
        "split <YYYY-MM> telemarketing=<percent> seminar=<percent> … [team=<slug>]",
        N_("share the cell's cost of a month between sources (default: all telemarketing)"),
        Action.COST_WRITE,
        "split 2026-10 telemarketing=70 seminar=30",
    ),
    Usage(
        Topic.COST,
        Verb.IMPORT,
        "import <file.csv> [--team <slug>]",
        N_(
            "record every row of a CSV file with the header month,source,amount[,team], or none "
            "if a row is wrong; rows without a team go to --team"
        ),
        Action.COST_WRITE,
        "",
        terminal="import <file.csv> [--team <slug>]",
        terminal_example="import costs.csv --team fr",
        terminal_only=True,
    ),
    Usage(
        Topic.REPORT,
        Verb.TODAY,
        "today [team=<slug>]",
        N_("today's digest: calls, useful contacts and leads, only for you to see"),
        Action.ACTIVITY_READ,
        "today",
        terminal="today [--team <slug>] [--date <YYYY-MM-DD>]",
        terminal_example="today --team fr",
    ),
    Usage(
        Topic.REPORT,
        Verb.DAY,
        "day <YYYY-MM-DD> [team=<slug>]",
        N_("the digest of a past day"),
        Action.ACTIVITY_READ,
        "day 2026-11-27",
        terminal="today --date <YYYY-MM-DD> [--team <slug>]",
        terminal_example="today --date 2026-11-27",
    ),
    Usage(
        Topic.REPORT,
        Verb.MONTH,
        "month [<YYYY-MM>] [team=<slug>]",
        N_("the cost-per-lead report of a month"),
        Action.MONEY_READ,
        "month 2026-10",
        terminal="month [<YYYY-MM>] [--team <slug>] [--files <folder>]",
        terminal_example="month 2026-10 --team fr",
    ),
    Usage(
        Topic.TIME,
        Verb.LOG,
        'log "<event>" <YYYY-MM-DD> <duration> [date=<YYYY-MM-DD>]',
        N_(
            "the time you spent on an event (named by its name and the day it is held), today "
            "or on the day given; it shares the cell's cost when no split is recorded"
        ),
        Action.TIME_LOG,
        'log "Paris Summit" 2026-10-14 6h',
        slack_only=True,
    ),
    Usage(
        Topic.ME,
        Verb.SET,
        "language=fr|en|de|auto",
        N_("the language of your own answers and messages (auto: your Slack language)"),
        Action.OWN_SETTINGS,
        "language=de",
        slack_only=True,
    ),
)

#: Who may, as the help names them: from the roles of models.policy.
_WHO: dict[frozenset[Role], str] = {
    frozenset(EVERYONE): N_("everyone on the roster"),
    frozenset(): N_("organisation admins"),
    frozenset({Role.MANAGER, Role.ADMIN}): N_("managers and admins"),
    frozenset({Role.ADMIN}): N_("admins"),
}


def who_may(action: Action, reader: Reader) -> str:
    """Who may take an action, by the policy table."""
    label = _WHO.get(POLICY[action].roles)
    if label is None:  # a rule the help does not name yet: list the roles
        return reader.items([reader._(ROLES[r]) for r in sorted(POLICY[action].roles)])
    return reader._(label)


def form_of(usage: Usage, style: Style) -> str:
    """A command's form as typed where the reader is."""
    words = usage.terminal if style.terminal and usage.terminal else usage.form
    return style.command(usage.topic, words)


def example_of(usage: Usage, style: Style) -> str:
    """A command's example, as typed where the reader is."""
    words = usage.terminal_example if style.terminal and usage.terminal_example else usage.example
    return style.command(usage.topic, words)


def example(topic: Topic, verb: Verb, style: Style) -> str:
    """The first example of a command (a topic's first verb when the verb has none here)."""
    shown = [u for u in usages(style) if u.topic == topic]
    for usage in shown:
        if usage.verb == verb:
            return example_of(usage, style)
    if shown:
        return example_of(shown[0], style)
    return style.help_command()


def usages(style: Style, topic: Topic | None = None) -> list[Usage]:
    """The commands there are where the reader is, of one topic or of all."""
    skip = "slack_only" if style.terminal else "terminal_only"
    return [
        u
        for u in USAGES
        if not getattr(u, skip) and (topic in (None, Topic.HELP) or u.topic == topic)
    ]


def help_lines(reader: Reader, style: Style, topic: Topic | None = None) -> list[str]:
    """The help: each command's form, what it does, who may, and its example."""
    title = (
        reader._("leadcell commands in the terminal")
        if style.terminal
        else reader._("leadcell commands")
    )
    lines = [style.bold(title)]
    for usage in usages(style, topic):
        lines.append(
            reader._(
                "• {form}: {what}. For {who}. Example: {example}",
                form=style.code(form_of(usage, style)),
                what=reader._(usage.what),
                who=who_may(usage.action, reader),
                example=style.code(example_of(usage, style)),
            )
        )
    lines.append(
        reader._(
            "Amounts: 24000, 24 000, 24k, 1.2M, with the team's currency if you like (24000€). "
            "Months: 2026-10. Dates: 2026-10-14. Without team=, a command is about your own team."
        )
    )
    return lines


def help_message(reader: Reader, style: Style, topic: Topic | None = None) -> dict[str, Any]:
    """The ephemeral answer to `/leadcell help` (or `/leadcell team help`, …)."""
    lines = help_lines(reader, style, topic)
    return {"response_type": "ephemeral", **message("\n".join(lines), text_sections(lines))}
