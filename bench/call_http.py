"""Benchmark: the `/call` quick form over HTTP on loopback, leadcell against a bare Bolt app.

    .venv/bin/python bench/call_http.py                      # SQLite in a temp dir, 10 s each
    .venv/bin/python bench/call_http.py --rounds 3 --agents 100
    .venv/bin/python bench/call_http.py --database postgresql://postgres@127.0.0.1:5432/test
    make bench                                               # the same as the first line

Options: --seconds (10), --warmup (3), --connections (4), --database (temp SQLite),
--agents (1), --rounds (1), --stacks (bare,leadcell), --workers/--threads (2/4, for
both stacks), --no-balance, --log-level (WARNING), --keep-logs. See bench/README.md.

What it does, in order:
1. starts the fake Slack Web API (a thread of this process, free loopback port);
2. prepares the database: a fresh SQLite file in a temp dir by default; an
   `sqlite:///` URL is used as given; for a `postgresql://` URL a throwaway database
   `leadcell_bench_<random>` is created on that server (the URL's own database is
   only used to connect) and dropped at exit. Migrations run (`leadcell db upgrade`'s
   code) and the demo roster is seeded, so U0DEMO01 (Camille Martin) is an agent of
   team France (with --agents N, N-1 more agents are added, and removed at exit);
3. for each stack, `bare` then `leadcell` (alternating, --rounds times): starts the
   server as a subprocess in its own process group on a free loopback port
   (`bench/bare_app.py`, and `python -m bot.cli web`, i.e. `leadcell web`: both via
   `bot.web.serve`, so the same gunicorn and uvicorn-worker settings and the same
   signature-checking front), waits for `GET /healthz`, opens the client connections
   (reopened until spread evenly over the workers, unless --no-balance), then runs one
   thread per keep-alive http.client connection, sending signed
   `/call Acme Corp 12m contact spoke to the CFO` slash commands (each with a fresh
   trigger_id, signed at send time) for --warmup seconds unmeasured and --seconds
   measured; every answer must be a 200 with the expected body (leadcell: the
   confirmation; bare: an empty ack), anything else counts as an error;
4. stops the server (also on Ctrl-C or SIGTERM), checks that leadcell stored one call
   per confirmation and called no Web API method, deletes the run's calls, and prints
   one table: requests, req/s, latency percentiles (ms, from sending the request to
   reading the whole answer), errors, connections per worker; then leadcell/bare
   ratios against the issue's targets (p99 <= 20 ms, req/s >= 0.4x bare; stated for
   SQLite) with PASS or MISS, on the medians over rounds.

It checks correctness but asserts nothing about time: it prints figures, it is not a
test (exit status 1 only for failed requests or checks). The client runs on the same
machine as the servers and competes with them for the CPU; it is kept light (one
HMAC per request, http.client, no JSON parsing).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import http.client
import itertools
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere in the tree
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.local.fake_slack import FakeSlack, payloads  # noqa: E402
from models.db import make_engine, normalize_database_url, session_scope  # noqa: E402

HOST = "127.0.0.1"
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
USER_ID = "U0DEMO01"  # Camille Martin, an agent of the demo team France
COMMAND_TEXT = "Acme Corp 12m contact spoke to the CFO"
LEADCELL_EXPECTED = b"Logged a call with Acme Corp"
TARGET_P99_MS = 20.0
TARGET_RATIO = 0.4
TRIGGER_MARK = "BENCHTRIGGERMARK"


# --- signed requests ----------------------------------------------------------------------


class SignedCalls:
    """`/call` bodies with a fresh trigger_id each, signed at send time (one HMAC).

    Each user's body is built once by `payloads.slash_command` around a marker,
    which is replaced by `<run>.<n>.bench`; requests go to the users in turn. The
    result is checked against `payloads` once.
    """

    def __init__(
        self, *, signing_secret: str, response_url: str, run: str, user_ids: list[str]
    ) -> None:
        self.run = run
        self._key = signing_secret.encode()
        self._counter = itertools.count(1)
        self._templates = []
        for user_id in user_ids:
            before, after = self._body(user_id, response_url, TRIGGER_MARK).split(TRIGGER_MARK)
            self._templates.append((before.encode(), after.encode()))
        self._self_check(signing_secret, response_url, user_ids[0])

    @staticmethod
    def _body(user_id: str, response_url: str, trigger_id: str) -> str:
        return payloads.slash_command(
            command="/call",
            text=COMMAND_TEXT,
            user_id=user_id,
            user_name="agent",
            response_url=response_url,
            trigger_id=trigger_id,
        )

    def trigger_id(self, n: int) -> str:
        return f"{self.run}.{n}.bench"

    def next(self) -> tuple[bytes, dict[str, str]]:
        """The next body and its headers (thread-safe: the counter is an itertools.count)."""
        n = next(self._counter)
        return self._signed(n, int(time.time()))

    def _signed(self, n: int, timestamp: int) -> tuple[bytes, dict[str, str]]:
        before, after = self._templates[n % len(self._templates)]
        body = b"%s%s.%d.bench%s" % (before, self.run.encode(), n, after)
        stamp = str(timestamp)
        digest = hmac.new(self._key, b"v0:%s:%s" % (stamp.encode(), body), hashlib.sha256)
        return body, {
            "Content-Type": payloads.FORM,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": "v0=" + digest.hexdigest(),
        }

    def _self_check(self, signing_secret: str, response_url: str, user_id: str) -> None:
        body, headers = self._signed(0, 1_700_000_000)
        expected = self._body(user_id, response_url, self.trigger_id(0))
        if body != expected.encode() or headers != payloads.headers(
            expected, signing_secret=signing_secret, timestamp=1_700_000_000
        ):
            raise RuntimeError("bench request signing disagrees with bot.local.fake_slack.payloads")


# --- the database -------------------------------------------------------------------------


@dataclass
class BenchDatabase:
    """The database under test, the agents sending `/call`, and what to clean up."""

    url: str
    description: str
    agents: list[str]
    added_agents: list[str] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)

    def calls_of_run(self, run: str, *, delete: bool) -> int:
        """Calls stored by one run (their slack_key holds its trigger ids); optionally delete.

        Deleting keeps every round starting from an empty day for the agents (the
        confirmation counts an agent's calls of the day).
        """
        engine = make_engine(self.url)
        key = {"key": f"command:{run}.%"}
        try:
            with engine.begin() as connection:
                count = connection.execute(
                    text("SELECT count(*) FROM call WHERE slack_key LIKE :key"), key
                ).scalar_one()
                if delete:
                    connection.execute(text("DELETE FROM call WHERE slack_key LIKE :key"), key)
                return int(count)
        finally:
            engine.dispose()

    def clean_up(self) -> None:
        """Delete every call and agent the benchmark added (a given database keeps the rest)."""
        engine = make_engine(self.url)
        try:
            with engine.begin() as connection:
                for run in self.runs:
                    connection.execute(
                        text("DELETE FROM call WHERE slack_key LIKE :key"),
                        {"key": f"command:{run}.%"},
                    )
                for user_id in self.added_agents:
                    connection.execute(
                        text("DELETE FROM member WHERE slack_user_id = :user"), {"user": user_id}
                    )
        finally:
            engine.dispose()


@contextlib.contextmanager
def prepared_database(url: str | None, workdir: Path, agents: int) -> Iterator[BenchDatabase]:
    """The database, migrated, with the demo roster and `agents` agents; cleaned up at exit."""
    if url is None or url.startswith("sqlite:"):
        url = url or f"sqlite:///{workdir / 'bench.db'}"
        where = "temp file" if url.startswith(f"sqlite:///{workdir}") else make_url(url).database
        database = BenchDatabase(url, f"SQLite ({where})", [USER_ID])
        _migrate_and_seed(database, agents)
        try:
            yield database
        finally:
            database.clean_up()
        return
    if not url.startswith(("postgres://", "postgresql")):
        raise SystemExit(f"--database: not an sqlite:/// or postgresql:// URL: {url!r}")
    name = f"leadcell_bench_{secrets.token_hex(4)}"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        throwaway = make_url(normalize_database_url(url)).set(database=name)
        server = f"{throwaway.host or 'local'}:{throwaway.port or 5432}"
        database = BenchDatabase(
            throwaway.render_as_string(hide_password=False),
            f"PostgreSQL ({server}, throwaway database {name})",
            [USER_ID],
        )
        try:
            _migrate_and_seed(database, agents)
            yield database
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _migrate_and_seed(database: BenchDatabase, agents: int) -> None:
    """Migrate, seed the demo roster if there is no team, and add agents up to `agents`."""
    from models import migrate
    from models.actors import TERMINAL, resolve_actor
    from models.demo.roster import seed_demo_roster
    from models.errors import DomainError
    from models.policy import Action, require_member
    from models.roster import Role, add_member, get_member
    from models.tables import Team

    migrate.upgrade(database.url)
    engine = make_engine(database.url)
    try:
        with session_scope(engine) as session:
            seed_demo_roster(session)
            session.commit()
        with session_scope(engine) as session:
            try:
                actor = resolve_actor(session.connection(), user_id=USER_ID, org_admins=frozenset())
                require_member(actor, Action.CALL_LOG)
            except DomainError as exc:
                raise SystemExit(f"{USER_ID} cannot log calls in this database: {exc}") from None
            agent = get_member(session, slack_user_id=USER_ID)
            assert agent is not None
            team = session.get_one(Team, agent.team_id)
            for number in range(2, agents + 1):
                user_id = f"U0BENCH{number:04d}"
                if get_member(session, slack_user_id=user_id) is None:
                    add_member(
                        session,
                        actor=TERMINAL,
                        slack_user_id=user_id,
                        name=f"Bench Agent {number}",
                        team_slug=team.slug,
                        roles={Role.AGENT},
                    )
                    database.added_agents.append(user_id)
                database.agents.append(user_id)
            session.commit()
    finally:
        engine.dispose()


# --- the servers --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Server:
    """One server stack as a subprocess in its own process group, stopped on exit."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], workdir: Path) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.workdir = workdir
        self.port = free_port()
        self.log_path = workdir / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [*self.argv, "--host", HOST, "--port", str(self.port)],
                env=self.env,
                cwd=self.workdir,  # no developer `.env` is read
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches us, and we stop the whole group
            )

    def wait_ready(self, *, timeout: float, any_status: bool) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited early:\n{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", HEALTH_PATH)
                status = connection.getresponse().status
                connection.close()
                # bare has no database schema: its /healthz answers 503, yet it serves
                if status == 200 or (any_status and status in (404, 503)):
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(
            f"{self.name} server not ready after {timeout:.0f} s:\n{self.log_tail()}"
        )

    def workers(self, expected: int, timeout: float = 30.0) -> list[int]:
        """The worker pids, once `expected` of them run (or whatever /proc shows by then)."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while True:
            pids = worker_pids(self.proc.pid)
            if len(pids) >= expected or not pids or time.monotonic() >= deadline:
                return pids
            time.sleep(0.05)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # gunicorn: graceful stop of its workers
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


# --- the load -----------------------------------------------------------------------------


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn workers (children of the master), or [] where /proc cannot tell."""
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text()
    except OSError:
        return []
    return sorted(int(pid) for pid in children.split())


def connection_owners(port: int) -> dict[int, int] | None:
    """Client port -> pid of the server process holding the other end (Linux `ss`), or None."""
    try:
        out = subprocess.run(
            ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    owners = {}
    for line in out.splitlines():
        match = re.search(r"\S+:(\d+)\s+users:\(\(\"[^\"]*\",pid=(\d+)", line)
        if match:
            owners[int(match.group(1))] = int(match.group(2))
    return owners


def open_connections(
    port: int, count: int, workers: list[int], *, balance: bool, patience: float = 10.0
) -> tuple[list[http.client.HTTPConnection], list[int] | None]:
    """Open `count` keep-alive connections; return them and how many each worker holds.

    gunicorn's workers share one listening socket and a keep-alive connection stays
    with the worker that accepted it, so 4 connections may land 4+0, 3+1 or 2+2 on
    2 workers. With `balance`, connections are reopened until they are spread evenly
    (what many short connections from Slack would look like).
    """
    deadline = time.monotonic() + patience
    while True:
        connections = [http.client.HTTPConnection(HOST, port, timeout=30) for _ in range(count)]
        for connection in connections:
            connection.connect()
        client_ports = [c.sock.getsockname()[1] for c in connections]
        per_worker = None
        while time.monotonic() < deadline:  # accepted connections show their owner
            owners = connection_owners(port)
            if owners is None:
                break
            if all(p in owners for p in client_ports):
                pids = [owners[p] for p in client_ports]
                per_worker = [pids.count(w) for w in workers or sorted(set(pids))]
                break
            time.sleep(0.01)
        even = per_worker is not None and max(per_worker) - min(per_worker) <= 1
        if not balance or even or per_worker is None or time.monotonic() >= deadline:
            if balance and not even:
                print("  could not spread the connections evenly over the workers", flush=True)
            return connections, per_worker
        for connection in connections:
            connection.close()
        time.sleep(0.02)


@dataclass
class ClientResult:
    latencies: list[float] = field(default_factory=list)  # seconds, measured window only
    errors: int = 0  # measured window
    warmup_requests: int = 0
    warmup_errors: int = 0
    ok_total: int = 0  # 200 + expected body, warmup included (for the stored-calls check)
    reconnects: int = 0
    samples: list[str] = field(default_factory=list)


def client_loop(
    *,
    connection: http.client.HTTPConnection,
    make_request: Callable[[], tuple[bytes, dict[str, str]]],
    is_expected: Callable[[bytes], bool],
    measure_from: float,
    measure_until: float,
    stop: threading.Event,
    result: ClientResult,
) -> None:
    """Send requests back to back on one keep-alive connection until `measure_until`."""
    perf = time.perf_counter
    latencies = result.latencies
    host, port = connection.host, connection.port
    current: http.client.HTTPConnection | None = connection
    while not stop.is_set():
        body, headers = make_request()
        if current is None:
            current = http.client.HTTPConnection(host, port, timeout=30)
            result.reconnects += 1
        started = perf()
        if started >= measure_until:
            break
        problem = None
        try:
            current.request("POST", EVENTS_PATH, body, headers)
            response = current.getresponse()
            data = response.read()
            if response.status != 200 or not is_expected(data):
                problem = f"HTTP {response.status}: {data[:200]!r}"
            if response.will_close:
                current.close()
                current = None
        except (OSError, http.client.HTTPException) as exc:
            problem = f"{type(exc).__name__}: {exc}"
            current.close()
            current = None
        finished = perf()
        if started >= measure_from:
            latencies.append(finished - started)
            result.errors += problem is not None
        else:
            result.warmup_requests += 1
            result.warmup_errors += problem is not None
        if problem is None:
            result.ok_total += 1
        elif len(result.samples) < 3:
            result.samples.append(problem)
    if current is not None:
        current.close()


@dataclass
class StackFigures:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int
    warmup_requests: int
    warmup_errors: int
    ok_total: int
    reconnects: int
    per_worker: list[int] | None
    samples: list[str]
    round: int = 1
    problems: int = 0  # failed checks after the run (stored calls, Web API calls)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in ms (NaN when there are none)."""
        data = self.latencies_ms
        if not data:
            return float("nan")
        rank = max(1, min(len(data), int(-(-p * len(data) // 100))))
        return data[rank - 1]

    @property
    def spread(self) -> str:
        return "+".join(map(str, self.per_worker)) if self.per_worker else "?"


def run_load(
    *,
    connections: list[http.client.HTTPConnection],
    per_worker: list[int] | None,
    make_request: Callable[[], tuple[bytes, dict[str, str]]],
    is_expected: Callable[[bytes], bool],
    warmup: float,
    seconds: float,
    name: str,
) -> StackFigures:
    stop = threading.Event()
    start = time.perf_counter()
    measure_from = start + warmup
    measure_until = measure_from + seconds
    results = [ClientResult() for _ in connections]
    threads = [
        threading.Thread(
            target=client_loop,
            name=f"bench-client-{i}",
            daemon=True,
            kwargs={
                "connection": connection,
                "make_request": make_request,
                "is_expected": is_expected,
                "measure_from": measure_from,
                "measure_until": measure_until,
                "stop": stop,
                "result": result,
            },
        )
        for i, (connection, result) in enumerate(zip(connections, results, strict=True))
    ]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():  # short joins keep Ctrl-C responsive
                thread.join(timeout=0.2)
    finally:
        stop.set()
    latencies = sorted(x * 1000.0 for r in results for x in r.latencies)
    return StackFigures(
        name=name,
        requests=len(latencies),
        seconds=seconds,
        latencies_ms=latencies,
        errors=sum(r.errors for r in results),
        warmup_requests=sum(r.warmup_requests for r in results),
        warmup_errors=sum(r.warmup_errors for r in results),
        ok_total=sum(r.ok_total for r in results),
        reconnects=sum(r.reconnects for r in results),
        per_worker=per_worker,
        samples=[s for r in results for s in r.samples][:3],
    )


# --- report -------------------------------------------------------------------------------


def print_table(figures: list[StackFigures], *, rounds: int) -> None:
    header = f"{'stack':<12} {'requests':>9} {'req/s':>8} {'p50':>7} {'p90':>7} {'p99':>7} "
    header += f"{'max':>8} {'errors':>7}  conns/worker"
    print(header)
    print("-" * len(header))
    for f in figures:
        label = f"{f.name} #{f.round}" if rounds > 1 else f.name
        print(
            f"{label:<12} {f.requests:>9} {f.rps:>8.0f} {f.percentile(50):>7.2f} "
            f"{f.percentile(90):>7.2f} {f.percentile(99):>7.2f} "
            f"{(f.latencies_ms[-1] if f.latencies_ms else float('nan')):>8.2f} {f.errors:>7}  "
            f"{f.spread}"
        )
    print("(latencies in ms, from sending a request to reading its whole answer)")


def print_verdict(figures: list[StackFigures], database: str, *, rounds: int) -> None:
    """leadcell against bare, per round and as medians, with the issue's targets."""
    bare = {f.round: f for f in figures if f.name == "bare"}
    lead = {f.round: f for f in figures if f.name == "leadcell"}
    paired = sorted(set(bare) & set(lead))
    if not paired:
        return
    ratios = [lead[r].rps / bare[r].rps if bare[r].rps else float("nan") for r in paired]
    p99s = [lead[r].percentile(99) for r in paired]
    ratio, p99 = statistics.median(ratios), statistics.median(p99s)
    note = "" if database.startswith("SQLite") else " (the targets are stated for SQLite)"
    if rounds > 1:
        print(
            f"\nper round, leadcell/bare req/s: {', '.join(f'x{x:.3f}' for x in ratios)}; "
            f"leadcell p99: {', '.join(f'{x:.1f}' for x in p99s)} ms"
        )
        what = f"median of {len(paired)} rounds"
    else:
        bare_p99 = bare[paired[0]].percentile(99)
        print(f"\nleadcell/bare: req/s x{ratio:.2f}, p99 x{p99 / bare_p99:.1f}")
        what = "this run"
    print(f"targets ({what}){note}:")
    rows = [
        ("leadcell p99", f"{p99:.2f} ms", f"<= {TARGET_P99_MS:.0f} ms", p99 <= TARGET_P99_MS),
        ("req/s vs bare", f"x{ratio:.3f}", f">= x{TARGET_RATIO}", ratio >= TARGET_RATIO),
    ]
    for label, value, target, ok in rows:
        print(f"  {label:<14} {value:>10}   target {target:<9} {'PASS' if ok else 'MISS'}")


# --- main ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark `/call` (quick form) over HTTP: leadcell against a bare Bolt app.",
        epilog="See the top of bench/call_http.py and bench/README.md.",
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per stack")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds first")
    parser.add_argument("--connections", type=int, default=4, help="keep-alive client connections")
    parser.add_argument(
        "--database",
        help="sqlite:///FILE (used as given) or postgresql://… (a throwaway database is "
        "created on that server and dropped); default: a temp SQLite file",
    )
    parser.add_argument(
        "--agents",
        type=int,
        default=1,
        help=f"agents sending /call in turn (default 1: {USER_ID}); more keep each agent's "
        "day realistic (the confirmation counts the agent's calls of the day)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the stacks this many times, alternating, and judge on medians (default 1)",
    )
    parser.add_argument(
        "--stacks",
        default="bare,leadcell",
        help="which stacks to run, in order (default bare,leadcell)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY") or 2),
        help="gunicorn workers for both stacks (default WEB_CONCURRENCY or 2)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("WEB_THREADS") or 4),
        help="threads per worker for both stacks (default WEB_THREADS or 4)",
    )
    parser.add_argument(
        "--no-balance",
        dest="balance",
        action="store_false",
        help="keep the connections where the workers accepted them (may be 4+0); by default "
        "they are reopened until spread evenly over the workers",
    )
    parser.add_argument(
        "--log-level", default="WARNING", help="servers' LOG_LEVEL (default WARNING)"
    )
    parser.add_argument(
        "--keep-logs", action="store_true", help="keep the temp dir with the server logs"
    )
    args = parser.parse_args(argv)
    args.stacks = [s.strip() for s in args.stacks.split(",") if s.strip()]
    unknown = set(args.stacks) - {"bare", "leadcell"}
    if unknown or not args.stacks:
        parser.error(f"--stacks: use bare and/or leadcell, not {', '.join(sorted(unknown))}")
    if (
        args.seconds <= 0
        or args.warmup < 0
        or args.connections < 1
        or args.rounds < 1
        or args.agents < 1
    ):
        parser.error("--seconds > 0, --warmup >= 0, and 1 or more connections, rounds, agents")
    return args


def _raise_keyboard_interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def _agents(count: int) -> str:
    return f"{USER_ID} sending every /call" if count == 1 else f"{count} agents in turn"


def _load_average() -> str:
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)  # stop the servers on kill too
    workdir = Path(tempfile.mkdtemp(prefix="leadcell-bench-"))
    figures: list[StackFigures] = []
    try:
        with contextlib.ExitStack() as stack:
            fake = stack.enter_context(FakeSlack())
            database = stack.enter_context(prepared_database(args.database, workdir, args.agents))
            signing_secret = secrets.token_hex(16)
            env = {
                **os.environ,
                "DATABASE_URL": database.url,
                "SLACK_BOT_TOKEN": "-".join(("xoxb", "0", "bench")),  # shaped, not real
                "SLACK_SIGNING_SECRET": signing_secret,
                "SLACK_API_URL": fake.url,
                "LEADCELL_ADMINS": "",
                "WEB_CONCURRENCY": str(args.workers),
                "WEB_THREADS": str(args.threads),
                "LOG_LEVEL": args.log_level.upper(),
                "PYTHONUNBUFFERED": "1",
            }
            env.pop("PORT", None)
            print(
                f"leadcell /call benchmark: {os.cpu_count()} CPUs ({_load_average()}), Python "
                f"{sys.version.split()[0]}, {database.description}\n"
                f"bot.web.serve (gunicorn, uvicorn workers), {args.workers} workers x "
                f"{args.threads} threads, "
                f"{args.connections} keep-alive connections"
                f"{' spread evenly' if args.balance else ''}, warmup {args.warmup:g} s, "
                f"measured {args.seconds:g} s per stack, "
                f"{_agents(len(database.agents))}"
                f"{f', {args.rounds} rounds' if args.rounds > 1 else ''}\n",
                flush=True,
            )
            commands = {
                "bare": [sys.executable, str(ROOT / "bench" / "bare_app.py")],
                "leadcell": [sys.executable, "-m", "bot.cli", "web"],
            }
            for round_number in range(1, args.rounds + 1):
                for name in args.stacks:
                    server = Server(name, commands[name], env, workdir)
                    stack.callback(server.stop)
                    result = run_stack(
                        server,
                        args,
                        signing_secret=signing_secret,
                        fake=fake,
                        database=database,
                    )
                    result.round = round_number
                    figures.append(result)
            print(f"\n{_load_average()}\n")
            print_table(figures, rounds=args.rounds)
            print_verdict(figures, database.description, rounds=args.rounds)
    except KeyboardInterrupt:
        print("\ninterrupted: servers stopped", file=sys.stderr)
        return 130
    finally:
        if args.keep_logs:
            print(f"\nserver logs kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if any(f.errors or f.warmup_errors or f.problems for f in figures) else 0


def run_stack(
    server: Server,
    args: argparse.Namespace,
    *,
    signing_secret: str,
    fake: FakeSlack,
    database: BenchDatabase,
) -> StackFigures:
    """Start one stack, load it, stop it, and check what it did."""
    name = server.name
    run = f"{int(time.time())}{secrets.token_hex(3)}"
    database.runs.append(run)
    calls = SignedCalls(
        signing_secret=signing_secret,
        response_url=fake.response_url("bench"),
        run=run,
        user_ids=database.agents,
    )
    fake.clear_calls()
    server.start()
    try:
        server.wait_ready(timeout=60, any_status=name == "bare")
        connections, per_worker = open_connections(
            server.port, args.connections, server.workers(args.workers), balance=args.balance
        )
        spread = "+".join(map(str, per_worker)) if per_worker else "unknown"
        print(
            f"{name}: serving on {HOST}:{server.port}, connections per worker {spread}, running...",
            flush=True,
        )
        result = run_load(
            connections=connections,
            per_worker=per_worker,
            make_request=calls.next,
            is_expected=(lambda data: data == b"")
            if name == "bare"
            else (lambda data: LEADCELL_EXPECTED in data),
            warmup=args.warmup,
            seconds=args.seconds,
            name=name,
        )
    finally:
        server.stop()
    if result.warmup_errors or result.errors:
        print(
            f"  {name}: {result.errors} errors measured, {result.warmup_errors} in warmup; "
            f"first ones: {result.samples}\n  server log:\n{server.log_tail(15)}"
        )
    if result.reconnects:
        print(f"  {name}: {result.reconnects} reconnections during the run")
    if name == "leadcell":
        stored = database.calls_of_run(run, delete=True)
        if stored != result.ok_total:
            result.problems += 1
        verdict = "ok" if stored == result.ok_total else "MISMATCH"
        print(f"  calls stored {stored}, confirmed {result.ok_total}: {verdict}")
    other = [c for c in fake.calls() if c.get("method") != "auth.test"]
    if other:
        result.problems += 1
        print(f"  unexpected Slack Web API calls during the run: {len(other)}")
    return result


if __name__ == "__main__":
    sys.exit(main())
