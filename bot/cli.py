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
PLUGINS = ("bot.cli_reports", "bot.cli_demo", "worker.cli", "bot.cli_seminars", "bot.cli_sla")


def _plugins() -> list[ModuleType]:
    return [importlib.import_module(name) for name in PLUGINS]


EPILOG = """examples:
  leadcell shell                              try everything locally (SQLite, fake Slack)
  leadcell db upgrade                         create or migrate the database
  leadcell team add fr France tz=Europe/Paris currency=EUR leads=C0123ABCD
  leadcell member add U012AB3CD team=fr roles=agent name="Camille Martin"
  leadcell event add seminar "Paris Summit" 2026-10-14 team=fr
  leadcell leads refresh-cards                deliver lead cards, replies and DMs still owed
  leadcell manifest --url https://leadcell.example.org
  leadcell web --port 3000                    serve Slack over HTTP
"""


def _installed_version() -> str:
    """The version of the installed `leadcell` distribution."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("leadcell")
    except PackageNotFoundError:
        return "(not installed: run `make .venv/.installed`)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadcell",
        description="Telemarketing calls and leads in Slack.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_installed_version()}")
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
    refresh = leads_sub.add_parser(
        "refresh-cards",
        help="deliver every lead card, thread reply and DM still owed to Slack, now",
    )
    refresh.add_argument(
        "--retry-failed", action="store_true", help="also retry messages that failed for good"
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
    from bot.runtime.slack_identity import TokenRefused

    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(words)
    args.typed = words  # the command as typed: a refusal's example may repeat it
    try:
        settings = load_settings()
        return _run(args, settings)
    except (SettingsError, TokenRefused, StaleSchema) as exc:
        print(f"leadcell: cannot start:\n{exc}", file=sys.stderr)
        return 2


class StaleSchema(Exception):
    """The database's schema does not match the code; the message says what to run."""


def _schema_problem(settings: Settings) -> str | None:
    """What is wrong with the database's schema for this code, or None."""
    from bot.health import schema_problem
    from models.db import make_engine
    from models.migrate import schema_status

    engine = make_engine(settings.database_url)
    try:
        return schema_problem(schema_status(engine))
    finally:
        engine.dispose()


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

        problem = _schema_problem(settings)
        if problem:  # served anyway: /healthz answers 503 until the schema is upgraded
            logging.getLogger("leadcell.web").error("%s", problem)
        serve(settings, host=args.host, port=args.port)
    elif args.command == "socket":
        from bot.socket_mode import run_socket_mode

        return run_socket_mode(settings)
    elif args.command == "worker":
        from worker.main import run_worker

        problem = _schema_problem(settings)
        if problem:
            raise StaleSchema(problem)
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

        try:
            manifest = build_manifest(url=args.url, socket_mode=args.socket_mode)
        except ValueError as exc:
            print(f"leadcell manifest: {exc}", file=sys.stderr)
            return 2
        print(json.dumps(manifest, indent=2))
    elif args.command == "leads":
        from bot.cli_leads import refresh_cards

        return refresh_cards(settings, retry_failed=args.retry_failed)
    elif args.command == "fake-slack":
        from bot.local.fake_slack import serve_forever

        serve_forever("127.0.0.1", args.port)
    else:
        return _admin(args.command, args.words, settings)
    return 0


def _admin(topic: str, words: list[str], settings: Settings) -> int:
    """`leadcell team|member|event …`: `/leadcell`'s words, run as the terminal."""
    import shlex

    from bot.terminal import run_words

    return run_words(settings, shlex.join([topic, *words]))


if __name__ == "__main__":
    sys.exit(main())
