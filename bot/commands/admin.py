"""`/leadcell`: teams, the roster, events, costs, time spent on events, one's own settings,
and reports on demand.

The words are read once (bot.grammar.command_line) and dispatched by lookup in
`HANDLERS`; each handler reads its own words, calls one domain function with the
requester's actor (models.policy decides who may), and words the answer in the
requester's language (bot.views). The terminal (`leadcell team …`, `member …`,
`event …`, `costs …`) runs the same words through `execute`, as the terminal.

Every subcommand answers in the acknowledgement, except `report …`: its words and
the right to read it are checked there, and the report is computed and sent to
the response_url afterwards by a lazy listener (reports are slow work).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.commands import admin_cost, admin_event, admin_member, admin_team, admin_time, report
from bot.commands.admin_request import AdminRequest
from bot.deps import Deps, deps_of, requester_of
from bot.grammar.command_line import Command, Topic, Verb, read_command
from bot.grammar.words import check_characters
from bot.i18n import Reader
from bot.payloads import SlashCommand
from bot.refusals import refuse
from bot.views.admin_help import help_lines
from bot.views.leadcell import SLACK, Answer, Style
from models.actors import Actor
from models.errors import DomainError

Handler = Callable[[AdminRequest], Answer]

#: Every subcommand but `report` and `help`, by topic and verb.
HANDLERS: dict[tuple[Topic, Verb], Handler] = {
    (Topic.TEAM, Verb.LIST): admin_team.list_teams,
    (Topic.TEAM, Verb.ADD): admin_team.add_team,
    (Topic.TEAM, Verb.SET): admin_team.set_team,
    (Topic.MEMBER, Verb.LIST): admin_member.list_members,
    (Topic.MEMBER, Verb.ADD): admin_member.add_to_roster,
    (Topic.MEMBER, Verb.ROLES): admin_member.change_roles,
    (Topic.MEMBER, Verb.DEACTIVATE): admin_member.deactivate,
    (Topic.MEMBER, Verb.ACTIVATE): admin_member.activate,
    (Topic.EVENT, Verb.LIST): admin_event.list_events,
    (Topic.EVENT, Verb.ADD): admin_event.add_event,
    (Topic.EVENT, Verb.SET): admin_event.set_event,
    (Topic.COST, Verb.LIST): admin_cost.list_costs,
    (Topic.COST, Verb.SET): admin_cost.record_cost,
    (Topic.COST, Verb.SPLIT): admin_cost.split_cost,
    (Topic.TIME, Verb.LOG): admin_time.log_time,
    (Topic.ME, Verb.SET): admin_member.own_settings_of,
}


def with_command(error: DomainError, command: Command | None) -> DomainError:
    """The refusal, knowing which command it is about (its wording shows that command)."""
    if command is not None and command.topic != Topic.HELP:
        error.facts.setdefault("topic", command.topic)
        error.facts.setdefault("verb", command.verb)
    return error


def run(
    command: Command,
    *,
    deps: Deps,
    actor: Actor,
    reader: Reader,
    style: Style,
    key: str | None = None,
) -> Answer:
    """Run a command read from `/leadcell` or the terminal (not `report`); `key` is the
    Slack id of the request."""
    if command.topic == Topic.HELP or command.verb == Verb.HELP:
        command.words.done()
        return Answer(help_lines(reader, style, command.topic))
    handler = HANDLERS[(command.topic, command.verb)]
    try:
        return handler(AdminRequest(deps, actor, reader, style, command.words, key))
    except DomainError as error:
        raise with_command(error, command) from None


def read(text: str) -> Command:
    """`/leadcell` words read, with no control character anywhere in them."""
    command = read_command(text)
    try:
        check_characters(text, field="command")
    except DomainError as error:
        raise with_command(error, command) from None
    return command


def execute(text: str, *, deps: Deps, actor: Actor, reader: Reader, style: Style) -> Answer:
    """Read and run `/leadcell` words (not `report`): the answer, or a DomainError."""
    return run(read(text), deps=deps, actor=actor, reader=reader, style=style)


# --- Slack --------------------------------------------------------------------------------------


def answer(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """`/leadcell …`: answer in the acknowledgement; a report only gets its words checked."""
    slash = SlashCommand.of(body)
    requester = requester_of(context, slash.user_id)
    deps = deps_of(context)
    command: Command | None = None
    try:
        command = read(slash.text)
        if command.topic == Topic.REPORT and command.verb != Verb.HELP:
            report.acknowledge(ack, context, command, user_id=slash.user_id)
            return
        shown = run(
            command,
            deps=deps,
            actor=requester.actor,
            reader=requester.reader,
            style=SLACK,
            key=f"command:{slash.trigger_id}",
        )
    except DomainError as error:
        ack(**refuse(with_command(error, command), context))
        return
    ack(**shown.slack())


def register(app: App) -> None:
    """Attach `/leadcell` to `app`."""
    app.command("/leadcell")(ack=answer, lazy=[report.send_report])
