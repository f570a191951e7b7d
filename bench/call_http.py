"""Benchmark: the `/call` quick form over HTTP on loopback, leadcell against a bare Bolt app.

    .venv/bin/python bench/call_http.py                      # SQLite in a temp dir, 10 s each
    .venv/bin/python bench/call_http.py --seconds 20 --warmup 5
    .venv/bin/python bench/call_http.py --database postgresql://postgres@127.0.0.1:5432/test
    make bench                                               # the same as the first line

What it does, in order:
1. starts the fake Slack Web API (in this process, on a free loopback port);
2. prepares the database: a fresh SQLite file in a temp dir by default; an
   `sqlite:///` URL is used as given (its file keeps the benchmark's calls); for a
   `postgresql://` URL a throwaway database `leadcell_bench_<random>` is created on
   that server (the URL's own database is only used to connect) and dropped at exit.
   Migrations run (`leadcell db upgrade`'s code) and the demo roster is seeded, so
   U0DEMO01 (Camille Martin) is an agent of team France;
3. for each stack, `bare` then `leadcell`: starts the server as a subprocess on a free
   loopback port (`bench/bare_app.py`, and `python -m bot.cli web`, i.e. `leadcell
   web`: the same gunicorn gthread server, same workers and threads, the same
   signature-checking front), waits for `GET /healthz`, then runs N client threads,
   each on one keep-alive http.client connection, sending signed
   `/call Acme Corp 12m contact spoke to the CFO` slash commands (each with a fresh
   trigger_id, signed at send time) for `--warmup` seconds unmeasured and `--seconds`
   measured; every answer must be a 200 with the expected body (leadcell: the
   confirmation; bare: an empty ack), anything else counts as an error;
4. stops the server (also on Ctrl-C or SIGTERM) and prints one table: requests,
   req/s, latency percentiles (ms, from sending the request to reading the whole
   answer), errors; then leadcell/bare ratios against the issue's targets (p99 <= 20 ms,
   req/s >= 0.4x bare; the targets are stated for SQLite) with PASS or MISS.

It checks correctness (status, body, one stored call per confirmed request) but
asserts nothing about time: it prints figures, it is not a test. The client runs
on the same machine as the servers and competes with them for the CPU; it is kept
light (one HMAC per request, http.client, no JSON parsing).
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

from bot.fake_slack import FakeSlack, payloads  # noqa: E402
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

    The body is built once by `payloads.slash_command` around a marker, which is
    replaced by `<run>.<n>.bench`; the result is checked against `payloads` once.
    """

    def __init__(self, *, signing_secret: str, response_url: str, run: str) -> None:
        self.run = run
        self._key = signing_secret.encode()
        self._counter = itertools.count(1)
        template = payloads.slash_command(
            command="/call",
            text=COMMAND_TEXT,
            user_id=USER_ID,
            user_name="camille",
            response_url=response_url,
            trigger_id=TRIGGER_MARK,
        )
        before, after = template.split(TRIGGER_MARK)
        self._before, self._after = before.encode(), after.encode()
        self._self_check(signing_secret, response_url)

    def trigger_id(self, n: int) -> str:
        return f"{self.run}.{n}.bench"

    def next(self) -> tuple[bytes, dict[str, str]]:
        """The next body and its headers (thread-safe: the counter is an itertools.count)."""
        n = next(self._counter)
        return self._signed(n, int(time.time()))

    def _signed(self, n: int, timestamp: int) -> tuple[bytes, dict[str, str]]:
        body = b"%s%s.%d.bench%s" % (self._before, self.run.encode(), n, self._after)
        stamp = str(timestamp)
        digest = hmac.new(self._key, b"v0:%s:%s" % (stamp.encode(), body), hashlib.sha256)
        return body, {
            "Content-Type": payloads.FORM,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": "v0=" + digest.hexdigest(),
        }

    def _self_check(self, signing_secret: str, response_url: str) -> None:
        body, headers = self._signed(0, 1_700_000_000)
        expected = payloads.slash_command(
            command="/call",
            text=COMMAND_TEXT,
            user_id=USER_ID,
            user_name="camille",
            response_url=response_url,
            trigger_id=self.trigger_id(0),
        )
        if body != expected.encode() or headers != payloads.headers(
            expected, signing_secret=signing_secret, timestamp=1_700_000_000
        ):
            raise RuntimeError("bench request signing disagrees with bot.fake_slack.payloads")


# --- the database -------------------------------------------------------------------------


@contextlib.contextmanager
def prepared_database(url: str | None, workdir: Path) -> Iterator[tuple[str, str]]:
    """Yield (database URL, description) with migrations applied and the demo roster seeded."""
    if url is None:
        url = f"sqlite:///{workdir / 'bench.db'}"
        _migrate_and_seed(url)
        yield url, "SQLite (temp file)"
        return
    if url.startswith("sqlite:"):
        _migrate_and_seed(url)
        yield url, f"SQLite ({make_url(url).database})"
        return
    if not url.startswith(("postgres://", "postgresql")):
        raise SystemExit(f"--database: not an sqlite:/// or postgresql:// URL: {url!r}")
    name = f"leadcell_bench_{secrets.token_hex(4)}"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        throwaway = make_url(normalize_database_url(url)).set(database=name)
        bench_url = throwaway.render_as_string(hide_password=False)
        try:
            _migrate_and_seed(bench_url)
            server = f"{throwaway.host or 'local'}:{throwaway.port or 5432}"
            yield bench_url, f"PostgreSQL ({server}, throwaway database {name})"
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _migrate_and_seed(url: str) -> None:
    from models import migrate
    from models.calls import check_caller
    from models.demo import seed_demo_roster

    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            seed_demo_roster(session)
            session.commit()
        with session_scope(engine) as session:
            check_caller(session, slack_user_id=USER_ID, settings_admins=frozenset())
    finally:
        engine.dispose()


def count_calls(url: str, run: str) -> int:
    """Calls stored by one stack's run (their slack_key holds the run's trigger ids)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    text("SELECT count(*) FROM call WHERE slack_key LIKE :key"),
                    {"key": f"command:{run}.%"},
                ).scalar_one()
            )
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
                if status == 200 or (any_status and status in (200, 404)):
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


def print_table(figures: list[StackFigures]) -> None:
    header = f"{'stack':<10} {'requests':>9} {'req/s':>8} {'p50':>7} {'p90':>7} {'p99':>7} "
    header += f"{'max':>7} {'errors':>7}  {'conns/worker':<12}"
    print(header)
    print("-" * len(header))
    for f in figures:
        print(
            f"{f.name:<10} {f.requests:>9} {f.rps:>8.0f} {f.percentile(50):>7.2f} "
            f"{f.percentile(90):>7.2f} {f.percentile(99):>7.2f} "
            f"{(f.latencies_ms[-1] if f.latencies_ms else float('nan')):>7.2f} {f.errors:>7}  "
            f"{f.spread:<12}"
        )
    print("(latencies in ms)")


def print_verdict(leadcell: StackFigures, bare: StackFigures, database: str) -> None:
    ratio = leadcell.rps / bare.rps if bare.rps else float("nan")
    p99 = leadcell.percentile(99)
    note = "" if database.startswith("SQLite") else "  (targets are stated for SQLite)"
    print(f"\nleadcell / bare: req/s x{ratio:.2f}, p99 x{p99 / bare.percentile(99):.1f}{note}")
    rows = [
        ("leadcell p99", f"{p99:.2f} ms", f"<= {TARGET_P99_MS:.0f} ms", p99 <= TARGET_P99_MS),
        ("req/s vs bare", f"x{ratio:.2f}", f">= x{TARGET_RATIO}", ratio >= TARGET_RATIO),
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
    if args.seconds <= 0 or args.warmup < 0 or args.connections < 1:
        parser.error("--seconds > 0, --warmup >= 0 and --connections >= 1, please")
    return args


def _raise_keyboard_interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)  # stop the servers on kill too
    workdir = Path(tempfile.mkdtemp(prefix="leadcell-bench-"))
    figures: list[StackFigures] = []
    try:
        with contextlib.ExitStack() as stack:
            fake = stack.enter_context(FakeSlack())
            database_url, database = stack.enter_context(prepared_database(args.database, workdir))
            signing_secret = secrets.token_hex(16)
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "SLACK_BOT_TOKEN": "xoxb-bench",
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
                f"leadcell /call benchmark: {os.cpu_count()} CPUs, Python "
                f"{sys.version.split()[0]}, {database}\n"
                f"gunicorn gthread, {args.workers} workers x {args.threads} threads, "
                f"{args.connections} keep-alive connections, warmup {args.warmup:g} s, "
                f"measured {args.seconds:g} s per stack\n",
                flush=True,
            )
            commands = {
                "bare": [sys.executable, str(ROOT / "bench" / "bare_app.py")],
                "leadcell": [sys.executable, "-m", "bot.cli", "web"],
            }
            for name in args.stacks:
                run = f"{int(time.time())}{secrets.token_hex(3)}"
                calls = SignedCalls(
                    signing_secret=signing_secret,
                    response_url=fake.response_url("bench"),
                    run=run,
                )
                server = Server(name, commands[name], env, workdir)
                stack.callback(server.stop)
                server.start()
                server.wait_ready(timeout=60, any_status=name == "bare")
                workers = server.workers(args.workers)
                connections, per_worker = open_connections(
                    server.port, args.connections, workers, balance=args.balance
                )
                spread = "+".join(map(str, per_worker)) if per_worker else "unknown"
                print(
                    f"{name}: serving on {HOST}:{server.port}; connections per worker: "
                    f"{spread}; running...",
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
                server.stop()
                figures.append(result)
                _report_checks(result, server, database_url, run, fake)
            print()
            print_table(figures)
            by_name = {f.name: f for f in figures}
            if "bare" in by_name and "leadcell" in by_name:
                print_verdict(by_name["leadcell"], by_name["bare"], database)
    except KeyboardInterrupt:
        print("\ninterrupted: servers stopped", file=sys.stderr)
        return 130
    finally:
        if args.keep_logs:
            print(f"\nserver logs kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if any(f.errors or f.warmup_errors for f in figures) else 0


def _report_checks(
    result: StackFigures, server: Server, database_url: str, run: str, fake: FakeSlack
) -> None:
    if result.warmup_errors or result.errors:
        print(
            f"  {result.name}: {result.errors} errors measured, {result.warmup_errors} in "
            f"warmup; first ones: {result.samples}\n  server log:\n{server.log_tail(15)}"
        )
    if result.name == "leadcell":
        stored = count_calls(database_url, run)
        sent = result.ok_total
        verdict = "ok" if stored == sent else "MISMATCH"
        print(f"  calls stored {stored}, confirmed {sent}: {verdict}")
        other = [c for c in fake.calls() if c.get("method") != "auth.test"]
        if other:
            print(f"  unexpected Web API calls during the run: {len(other)}")


if __name__ == "__main__":
    sys.exit(main())
