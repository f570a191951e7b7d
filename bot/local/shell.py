"""`leadcell shell`: the whole product on one machine, with a fake Slack and a text prompt.

You type slash commands as a chosen roster member and see what Slack would show:
the ephemeral answers, the messages the bot posts, and the modals it opens.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import sys
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import count
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from slack_bolt import App, BoltRequest
from sqlalchemy import Engine, make_url

from bot.app import InlineExecutor, create_app
from bot.local.fake_slack import FakeSlack, payloads
from bot.local.fake_slack.methods import response_url_errors
from bot.local.render_text import render, render_view
from bot.runtime.settings import Settings
from models import migrate
from models.db import make_engine, session_scope
from models.demo.activity import generate_activity
from models.demo.roster import seed_demo_roster
from models.roster import list_members, roles_of

DEMO_MONTHS = 12
SHELL_HELP = """Type what you would type in Slack, plus a few shell commands:
  /call Acme Corp 12m contact spoke to the CFO   log a call (try /call help)
  /call                                          open the call form; fill it with `submit`
  submit company="Acme Corp" duration=12m outcome=lead note="…"
  /leadcell help                                 admin commands (as an admin: `as @magali`)
  click <button>                                 press a button the bot showed, e.g. `click undo`
  /lead @marc Acme Corp -- invoice capture value=120k   hand a lead (try /lead help)
  click L-0001 claim                             press a button on a lead card
  reply L-0001 won 95k                           reply in a lead card's thread
  as @<name>                                     act as another roster member
  who                                            the roster and who you are
  person add @marie "Marie Curie" locale=fr-FR   a person in the fake workspace, who can
                                                 then be added: /leadcell member add @marie
  help, quit"""
PERSON_EXAMPLE = 'person add @marie "Marie Curie" locale=fr-FR'
PERSON_USAGE = "Write `{example}`: a @handle, the full name in quotes, and optionally locale=."
PERSON_TAKEN = "@{handle} is already in the workspace ({name}). Example: {example}"
PERSON_ADDED = "@{handle} ({name}, {locale}) is in the workspace as {user_id}; not on the roster."
PERSON_OPTION = "{option!r} is not an option of `person add`: only locale= is. Example: {example}"
PERSON_LOCALE = "{locale!r} is not a locale such as fr-FR, en-GB or de-DE. Example: {example}"
REFUSED = "[{where}: Slack refused it ({error}), so nobody sees it]"
REFUSED_FORM = "[Slack refused the form ({error}), so it did not open]"
BANNER = "leadcell shell on {database}{created}"
BANNER_PIPED = (
    "leadcell shell on {database}{created}, as @{handle}, reading commands from standard input"
)
CREATED = " (demo team France created, with {months} months of activity)"
NOTHING_READ = (
    "No command was read from standard input. Pipe commands in, for example: "
    "printf '/call Acme 12m\\n' | leadcell shell"
)
NOT_ON_ROSTER = "not on the roster"


#: Where each kind of call shows in Slack, for saying what was refused.
SHOWN = {
    "views.open": "a form",
    "chat.postMessage": "#{channel}",
    "chat.update": "#{channel} (card update)",
    "chat.postEphemeral": "only you would see this",
    "response_url": "the answer to your click or command",
}


@dataclass(frozen=True)
class Person:
    """A roster member as the shell addresses them."""

    slack_user_id: str
    name: str
    handle: str
    roles: str


@dataclass(frozen=True)
class Button:
    """A button the bot showed, and where a press of it reports to."""

    action_id: str
    value: str
    response_url: str
    channel_id: str
    message_ts: str


def workspace_user_id(handle: str) -> str:
    """A Slack-looking user id for a person added in the shell, the same in every run."""
    return "U0" + hashlib.sha1(handle.encode()).hexdigest()[:8].upper()


def handle_of(name: str) -> str:
    """`Céline Fournier` -> `celine`."""
    first = name.split()[0] if name.split() else name
    return unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode().lower()


class Shell:
    """Plays Slack's part: builds requests, dispatches them to the App, prints what comes back."""

    def __init__(self, *, app: App, engine: Engine, fake: FakeSlack, out: TextIO) -> None:
        self.app, self.engine, self.fake, self.out = app, engine, fake, out
        self.buttons: dict[str, Button] = {}
        self.open_view: tuple[dict[str, Any], str] | None = None
        self.cards: dict[str, tuple[str, str, dict[str, Button]]] = {}
        self.workspace: dict[str, Person] = {}  # people added with `person add`, by handle
        self._ids = count(1)
        agents = [p for p in self.people() if "agent" in p.roles]
        self.user: Person | None = agents[0] if agents else next(iter(self.people()), None)

    # --- roster ---------------------------------------------------------------------------
    def people(self) -> list[Person]:
        """Active roster members, then the workspace's other people (added in the shell)."""
        with session_scope(self.engine) as session:
            roster = [
                Person(m.slack_user_id, m.name, handle_of(m.name), ",".join(sorted(roles_of(m))))
                for m, _team in list_members(session)
                if m.active
            ]
        ids = {p.slack_user_id for p in roster}
        return roster + [p for p in self.workspace.values() if p.slack_user_id not in ids]

    def add_person(self, text: str) -> None:
        """`person add @marie "Marie Curie" [locale=fr-FR]`: someone users.info knows."""
        try:
            words = shlex.split(text)
        except ValueError:
            words = []
        if len(words) < 3 or words[0] != "add" or not re.fullmatch(r"@[a-z][a-z0-9._-]*", words[1]):
            self.say(PERSON_USAGE.format(example=PERSON_EXAMPLE))
            return
        handle, name, options = words[1][1:], words[2], words[3:]
        locale = "en-US"
        for option in options:
            key, _, value = option.partition("=")
            if key != "locale":
                self.say(PERSON_OPTION.format(option=option, example=PERSON_EXAMPLE))
                return
            if not re.fullmatch(r"[a-z]{2}-[A-Z]{2}", value):
                self.say(PERSON_LOCALE.format(locale=value, example=PERSON_EXAMPLE))
                return
            locale = value
        known = next((p for p in self.people() if p.handle == handle), None)
        if known is not None:
            self.say(PERSON_TAKEN.format(handle=handle, name=known.name, example=PERSON_EXAMPLE))
            return
        user_id = workspace_user_id(handle)
        self.fake.set_user(
            user_id,
            name=handle,
            real_name=name,
            locale=locale,
            profile={"real_name": name, "display_name": handle},
        )
        self.workspace[handle] = Person(user_id, name, handle, NOT_ON_ROSTER)
        self.say(PERSON_ADDED.format(handle=handle, name=name, locale=locale, user_id=user_id))

    def name_of(self, user_id: str) -> str:
        return next((p.handle for p in self.people() if p.slack_user_id == user_id), user_id)

    def escape_mentions(self, text: str) -> str:
        """Escape like Slack with `should_escape`: `@marc` -> `<@U…|marc>`, `@here` -> `<!here>`."""
        people = {p.handle: p for p in self.people()}

        def user(match: re.Match[str]) -> str:
            word = match.group(1)
            if word in ("channel", "here", "everyone"):
                return f"<!{word}>"
            person = people.get(word.lower())
            return f"<@{person.slack_user_id}|{person.handle}>" if person else match.group(0)

        def channel(match: re.Match[str]) -> str:
            name = match.group(1)
            return f"<#C{''.join(ch for ch in name.upper() if ch.isalnum())}|{name}>"

        text = re.sub(r"(?<![\w<])@([A-Za-z][\w.-]*)", user, text)
        return re.sub(r"(?<![\w<&])#([a-z0-9][a-z0-9_-]*)", channel, text)

    # --- the prompt -----------------------------------------------------------------------
    def run(self, lines: Iterable[str], *, echo: bool) -> int:
        """Execute each line until the end or `quit`; how many commands were read."""
        read = 0
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            read += 1
            if echo:
                self.say(f"{self.prompt()}{line}")
            if line in ("quit", "exit"):
                return read
            self.execute(line)
        return read

    def prompt(self) -> str:
        return f"{self.user.handle if self.user else 'nobody'}> "

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def execute(self, line: str) -> None:
        word, _, rest = line.partition(" ")
        if word.startswith("/"):
            self.slash(word, rest.strip())
        elif word == "as":
            self.switch(rest.strip())
        elif word == "who":
            self.who()
        elif word == "click":
            self.click(rest.strip())
        elif word == "submit":
            self.submit(rest.strip())
        elif word == "reply":
            self.reply(rest.strip())
        elif word == "person":
            self.add_person(rest.strip())
        elif word in ("help", "?"):
            self.say(SHELL_HELP)
        else:
            self.say(
                f"Unknown shell command {word!r}. Type `help` for the list, for example "
                "`/call Acme Corp 12m contact`."
            )

    def switch(self, who: str) -> None:
        target = who.lstrip("@").lower()
        match = next(
            (p for p in self.people() if target in (p.handle, p.slack_user_id.lower())), None
        )
        if match is None:
            self.say(f"No active member {who!r}. Type `who` to see the roster; example: as @marc")
            return
        self.user = match
        self.say(f"You are now @{match.handle} ({match.name}, {match.roles}).")

    def who(self) -> None:
        for person in self.people():
            me = "  <- you" if self.user and person.slack_user_id == self.user.slack_user_id else ""
            self.say(f"  @{person.handle:<10} {person.name:<20} {person.roles}{me}")

    # --- requests -------------------------------------------------------------------------
    def dispatch(self, body: str) -> dict[str, Any] | None:
        self.fake.clear_calls()
        response = self.app.dispatch(BoltRequest(body=body, headers=payloads.headers(body)))
        if response.status != 200:
            self.say(f"(the app answered HTTP {response.status})")
        answer = json.loads(response.body) if response.body.startswith("{") else None
        return answer

    def slash(self, command: str, text: str) -> None:
        if self.user is None:
            self.say("Nobody is on the roster: add someone with `leadcell member add`.")
            return
        response_url = self.fake.response_url(f"shell-{next(self._ids)}")
        body = payloads.slash_command(
            command=command,
            text=self.escape_mentions(text),
            user_id=self.user.slack_user_id,
            user_name=self.user.handle,
            response_url=response_url,
        )
        answer = self.dispatch(body)
        if answer:
            errors = response_url_errors(answer)
            if errors:
                self.refused("only you would see this", "invalid_blocks", errors)
            else:
                self.show("only you can see this", answer, response_url=response_url)
        self.show_web_api_calls()

    def click(self, label: str) -> None:
        first, _, rest = label.partition(" ")
        card = self.cards.get(first.upper())
        button = card[2].get(rest.strip().lower()) if card else self.buttons.get(label.lower())
        if button is None or self.user is None:
            shown = ", ".join(self.buttons) or "none yet"
            self.say(f"No button {label!r} on screen (buttons: {shown}). Example: click undo")
            return
        response_url = self.fake.response_url(f"shell-{next(self._ids)}")
        body = payloads.block_action(
            user_id=self.user.slack_user_id,
            action_id=button.action_id,
            value=button.value,
            response_url=response_url,
            channel_id=button.channel_id,
            message_ts=button.message_ts,
        )
        self.dispatch(body)
        self.show_web_api_calls()

    def reply(self, text: str) -> None:
        reference, _, words = text.partition(" ")
        card = self.cards.get(reference.upper())
        if card is None or self.user is None or not words.strip():
            known = ", ".join(self.cards) or "none yet"
            self.say(
                f"No lead card {reference!r} on screen (cards: {known}). "
                "Example: reply L-0001 claim"
            )
            return
        channel, ts, _buttons = card
        body = payloads.message_event(
            channel=channel,
            user=self.user.slack_user_id,
            text=self.escape_mentions(words.strip()),
            ts=f"{time.time():.6f}",
            thread_ts=ts,
        )
        self.fake.clear_calls()
        self.app.dispatch(BoltRequest(body=body, headers=payloads.event_headers(body)))
        self.show_web_api_calls()

    def submit(self, text: str) -> None:
        if self.open_view is None or self.user is None:
            self.say("No form is open. Open one first, for example with `/call`.")
            return
        try:
            values = dict(w.partition("=")[::2] for w in shlex.split(text))
            people = {p.handle: p.slack_user_id for p in self.people()}
            values = {
                k: people.get(v[1:].lower(), v) if v.startswith("@") else v
                for k, v in values.items()
            }
        except ValueError:
            self.say('A quote is not closed. Example: submit company="Acme Corp" duration=12m')
            return
        view, view_id = self.open_view
        answer = self.dispatch(
            payloads.view_submission(
                user_id=self.user.slack_user_id, view=view, view_id=view_id, values=values
            )
        )
        if answer and answer.get("response_action") == "errors":
            for field, message in answer.get("errors", {}).items():
                self.say(f"  ⚠ {field}: {message}")
            self.say("The form stays open: `submit` again with the fields corrected.")
            return
        self.open_view = None
        self.say("(form submitted and closed)")
        self.show_web_api_calls()

    # --- output ---------------------------------------------------------------------------
    def show(
        self,
        where: str,
        message: dict[str, Any],
        *,
        response_url: str,
        channel_id: str = "C0GENERAL",
        ts: str = "",
    ) -> None:
        """Print a message and remember its buttons (and, for a lead card, the card)."""
        self.say(f"[{where}]")
        self.say(render(message.get("blocks"), message.get("text", ""), self.name_of))
        buttons: dict[str, Button] = {}
        for block in message.get("blocks") or []:
            for element in block.get("elements", []):
                if element.get("type") == "button":
                    label = element["text"]["text"].lower()
                    buttons[label] = Button(
                        element["action_id"], element.get("value", ""), response_url, channel_id, ts
                    )
        self.buttons.update(buttons)
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        if payload.get("reference") and ts:
            self.cards[payload["reference"]] = (channel_id, ts, buttons)

    def refused(self, where: str, error: str, details: list[str]) -> None:
        """Say that Slack refused a message, with Slack's error and details."""
        self.say(REFUSED.format(where=where, error=error))
        for detail in details:
            self.say(f"  {detail}")

    def show_web_api_calls(self) -> None:
        """Print what Slack accepted of the app's Web API calls since the last request,
        and what it refused, with Slack's error."""
        for call in self.fake.calls():
            method, args = call["method"], call["args"]
            response = call.get("response") or {}
            if method in SHOWN and response.get("ok") is False:
                error = str(response.get("error") or f"HTTP {call.get('status')}")
                if method == "views.open":
                    self.say(REFUSED_FORM.format(error=error))
                else:
                    where = SHOWN[method].format(channel=args.get("channel", ""))
                    self.refused(where, error, list(response.get("errors") or []))
                continue
            if method == "views.open":
                self.open_view = (args["view"], response.get("view", {}).get("id", "V0"))
                self.say("[a form opened]")
                self.say(render_view(args["view"], self.name_of))
                fields = [
                    b["block_id"]
                    for b in args["view"].get("blocks", [])
                    if b.get("type") == "input"
                ]
                self.say("Fill it with: submit " + " ".join(f"{f}=…" for f in fields))
            elif method in ("chat.postMessage", "chat.update"):
                where = f"#{args.get('channel')}"
                if method == "chat.update":
                    where += " (card updated)"
                elif args.get("thread_ts"):
                    where += " (in the thread)"
                self.show(
                    where,
                    args,
                    response_url=self.fake.response_url(f"shell-{next(self._ids)}"),
                    channel_id=args.get("channel", ""),
                    ts=response.get("ts", ""),
                )
            elif method == "chat.postEphemeral":
                self.show(
                    "only you can see this",
                    args,
                    response_url=self.fake.response_url(f"shell-{next(self._ids)}"),
                    channel_id=args.get("channel", ""),
                )
            elif method == "response_url":
                verb = (
                    "replaces the message"
                    if args.get("replace_original")
                    else "only you can see this"
                )
                self.show(
                    verb, args, response_url=self.fake.response_url(f"shell-{next(self._ids)}")
                )


def run_shell(
    settings: Settings,
    *,
    demo_months: int = DEMO_MONTHS,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
) -> None:
    """Migrate and seed the database, start the fake Slack, and read commands until EOF."""
    migrate.upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        seeded = seed_demo_roster(session)
    if seeded and demo_months > 0:  # a new database: the demo team's past, for real reports
        today = datetime.now(ZoneInfo("Europe/Paris")).date()
        generate_activity(engine, months=demo_months, today=today)
    with FakeSlack() as fake:
        local = replace(
            settings,
            slack_bot_token="xoxb-local-shell",
            slack_signing_secret="local-shell",
            slack_api_url=fake.url,
        )
        app = create_app(local, engine, listener_executor=InlineExecutor())
        shell = Shell(app=app, engine=engine, fake=fake, out=out)
        database = make_url(settings.database_url).render_as_string(hide_password=True)
        created = CREATED.format(months=demo_months) if seeded else ""
        handle = shell.user.handle if shell.user else "nobody"
        if stdin.isatty():
            shell.say(BANNER.format(database=database, created=created))
            shell.say(f"You are @{handle}. Type `help`.")
            shell.run(_prompted(shell), echo=False)
        else:
            shell.say(BANNER_PIPED.format(database=database, created=created, handle=handle))
            if shell.run(stdin, echo=True) == 0:
                shell.say(NOTHING_READ)
    engine.dispose()


def _prompted(shell: Shell) -> Iterable[str]:
    while True:
        try:
            yield input(shell.prompt())
        except EOFError:
            return
