"""The `leadcell` command line: every runtime mode, migrations, and roster bootstrapping."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Sequence
from types import ModuleType

from bot.runtime.settings import Settings, SettingsError, load_settings

#: Modules that add subcommands of their own. Each has `add_parsers(subparsers)` and
#: `run(args, settings) -> int | None` (None when the command is not one of its own).
PLUGINS = ("bot.cli_reports", "bot.cli_demo", "worker.cli", "bot.cli_sla")


def _plugins() -> list[ModuleType]:
    return [importlib.import_module(name) for name in PLUGINS]


EPILOG = """examples:
  leadcell shell                              try everything locally (SQLite, fake Slack)
  leadcell db upgrade                         create or migrate the database
  leadcell team add fr France tz=Europe/Paris currency=EUR leads=C0123ABCD
  leadcell member add U012AB3CD team=fr roles=agent name="Camille Martin"
  leadcell event add seminar "Paris Summit" 2026-10-14 team=fr
  leadcell leads refresh-cards                bring lead cards in Slack up to date
  leadcell manifest --url https://leadcell.example.org
  leadcell web --port 3000                    serve Slack over HTTP
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadcell",
        description="Telemarketing calls and leads in Slack.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shell = sub.add_parser(
        "shell", help="the whole product locally: SQLite, a fake Slack, a prompt"
    )
    shell.add_argument(
        "--demo-months",
        type=int,
        default=12,
        metavar="N",
        help="months of demo activity for a new database (default 12; 0: none)",
    )
    web = sub.add_parser("web", help="serve POST /slack/events and GET /healthz (gunicorn)")
    web.add_argument("--port", type=int, help="port to listen on (default: PORT or 3000)")
    web.add_argument("--host", default="0.0.0.0", help="address to bind (default 0.0.0.0)")
    sub.add_parser("socket", help="connect to Slack in Socket Mode")
    sub.add_parser("worker", help="run the scheduler process")
    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply every pending migration")
    revision = db_sub.add_parser("revision", help="autogenerate a new migration (developers)")
    revision.add_argument("-m", "--message", required=True)
    manifest = sub.add_parser("manifest", help="print the Slack app manifest (JSON)")
    mode = manifest.add_mutually_exclusive_group(required=True)
    mode.add_argument("--url", help="public base URL of `leadcell web`, e.g. https://example.org")
    mode.add_argument("--socket-mode", action="store_true", help="for `leadcell socket`")
    fake = sub.add_parser("fake-slack", help="run the fake Slack Web API on loopback")
    fake.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    leads = sub.add_parser("leads", help="lead upkeep")
    leads_sub = leads.add_subparsers(dest="leads_command", required=True, metavar="ACTION")
    leads_sub.add_parser(
        "refresh-cards", help="post missing lead cards and update stale ones in Slack"
    )
    for topic in ("team", "member", "event"):
        admin = sub.add_parser(
            topic,
            help=f"/leadcell {topic} … from the terminal",
            description=f"Same words as `/leadcell {topic} …` in Slack; "
            f"run `leadcell {topic} help` to list them.",
        )
        admin.add_argument("words", nargs=argparse.REMAINDER)
    for plugin in _plugins():
        plugin.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        return _run(args, settings)
    except SettingsError as exc:
        print(f"leadcell: cannot start:\n{exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime.logs import setup_logging

    setup_logging(settings.log_level if args.command != "shell" else "WARNING")
    if args.command != "db":  # migrations run quietly, except when asked for
        logging.getLogger("alembic").setLevel(logging.WARNING)
    for plugin in _plugins():
        result = plugin.run(args, settings)
        if result is not None:
            return int(result)
    if args.command == "shell":
        from bot.local.shell import run_shell

        run_shell(settings, demo_months=args.demo_months)
    elif args.command == "web":
        from bot.web import serve

        serve(settings, host=args.host, port=args.port)
    elif args.command == "socket":
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        from bot.app import create_app
        from models.db import make_engine

        settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
        app = create_app(settings, make_engine(settings.database_url))
        SocketModeHandler(app, settings.slack_app_token).start()
    elif args.command == "worker":
        from worker.main import run_worker

        run_worker(settings)
    elif args.command == "db":
        from models import migrate

        if args.db_command == "upgrade":
            migrate.upgrade(settings.database_url)
            print("database is up to date")
        else:
            migrate.make_revision(settings.database_url, args.message)
    elif args.command == "manifest":
        from bot.manifest import build_manifest

        print(json.dumps(build_manifest(url=args.url, socket_mode=args.socket_mode), indent=2))
    elif args.command == "leads":
        return _refresh_cards(settings)
    elif args.command == "fake-slack":
        from bot.local.fake_slack import serve_forever

        serve_forever("127.0.0.1", args.port)
    else:
        return _admin(args.command, args.words, settings)
    return 0


def _refresh_cards(settings: Settings) -> int:
    from bot.deps import Deps
    from bot.lead_cards import refresh_stale_cards
    from bot.runtime.slack_client import make_web_client
    from models.db import make_engine

    settings.require("SLACK_BOT_TOKEN")
    engine = make_engine(settings.database_url)
    refreshed, failing = refresh_stale_cards(
        make_web_client(settings), Deps(engine=engine, settings=settings)
    )
    engine.dispose()
    print(f"{refreshed} card(s) brought up to date, {failing} still failing")
    return 1 if failing else 0


def _admin(topic: str, words: list[str], settings: Settings) -> int:
    import shlex

    from bot.commands.admin import execute
    from models import migrate
    from models.db import make_engine, session_scope
    from models.errors import DomainError

    migrate.upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            reply = execute(
                session, shlex.join([topic, *words]), actor=None, admins=settings.admins
            )
    except DomainError as exc:
        print(f"leadcell: {exc.message}", file=sys.stderr)
        if exc.example:
            print(f"example: {exc.example.replace('/leadcell ', 'leadcell ')}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(reply.plain())
    return 0


if __name__ == "__main__":
    sys.exit(main())
