#!/usr/bin/env python
"""Throughput of the change-of-representative process, end to end, with a real Celery worker.

What it measures: N complete representative changes run through the whole Viewflow flow
(``workflows.flows.RepresentativeChange``) exactly as the portal and the staff pages drive it,
with the pre-check job and the OCR pipeline running in a real ``celery worker`` (prefork):

1. start    ``services.start_representative_change`` (channel portal, actor = the
            representative's login);
2. upload   ``services.add_request_document`` of a one-page text-layer PDF naming the customer
            and the new person (``tests/workflows/paperwork.power_of_attorney``; built before
            the clock starts);
3. submit   ``services.submit_documents`` -- then the worker runs the CeleryJob ``run_precheck``,
            which reads the text layer and assesses it inside the job (pages that need OCR would
            go to ``plan_precheck_task`` and ``read_page_task`` on queue ``ocr``) and completes;
4. precheck from the end of submit until the request's ``verify`` task exists (its ``created``
            time in the database; the driver polls the database to find it);
5. decide   ``services.decide(decision="approve")`` as a verifier (group ``verifiers``), which
            also runs ``apply`` and ``notify``; a request whose pre-check is not "clear" also gets
            ``services.second_decision`` from a supervisor (counted in this step).

Printed: processes per minute = N / wall minutes (first start to last applied) against the target
(600/min), p50/p95/max of each step in ms (and the client thread's CPU per step), the pre-check
broken down from database timestamps (queue latency of each worker task, OCR time per page), the
CPU used by the driver, the worker, PostgreSQL and Redis per request (hence the most this machine
could do if idle), pg_stat_database counters per request (new connections, commits), what the
database's backends were waiting on and how often the audit chain's advisory lock was held, the
e-mails the worker sent, and the load average. Exit status 0 only if every request ended "applied"
exactly once: outcome applied, process DONE, exactly one active representative grant per customer
and it is the new person, exactly one ``grant.create`` audit event for the new representative with
the request's reference, one ``request.apply`` event, and the audit hash chain verifies. Whether the
throughput target is met does not change the exit status.

Driving: K client threads (``--clients``) take jobs from one queue -- "start+upload+submit a
request" and "decide a request whose verify task appeared" (decisions first) -- with at most
``--max-inflight`` requests between start and applied; one poller thread looks for verify tasks.
``--warmup`` requests go through the same pipeline first (warming the worker's processes) and
are verified but not timed.

Environment: DATABASE_URL (PostgreSQL, its name must contain "bench") and CELERY_BROKER_URL
(Redis with its own non-zero database number, or another broker) are required. THE DATABASE IS
DROPPED, RECREATED AND MIGRATED ON EVERY RUN and the Redis database is FLUSHED: use dedicated ones.
The benchmark starts ``.venv/bin/celery -A backoffice worker -Q celery,ocr,mail -c C -P prefork``
itself with the same environment (DEBUG off, CELERY_TASK_ALWAYS_EAGER off, documents and the
file e-mail backend in a temporary directory) and stops it at the end, on errors and on Ctrl-C.

Diagnostics and experiments (not needed for the figures above):
``--probe`` records CPU and wall time of every task inside the worker (``benchmarks/flow_probe.py``);
``--settings benchmarks.flow_settings`` with FLOW_BENCH_* variables changes settings (e.g.
FLOW_BENCH_DB_REUSE_MAX=1000 sets CELERY_DB_REUSE_MAX); ``--patch NAME`` applies a candidate code
change from ``benchmarks/flow_patches.py`` in the driver and the worker; ``--worker-arg`` passes
options to ``celery worker`` (e.g. ``--worker-arg=--prefetch-multiplier=4``). Any of these is
printed as EXPERIMENT with the figures.

Run from the project root::

    createdb -h 127.0.0.1 -U postgres bench_flow    # once; the benchmark recreates it anyway
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_flow \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python benchmarks/flow_bench.py --requests 200 --workers 2

    # the same with a candidate change (benchmarks/flow_patches.py) and a setting overridden
    FLOW_BENCH_DB_REUSE_MAX=0 DATABASE_URL=... CELERY_BROKER_URL=... \\
        .venv/bin/python benchmarks/flow_bench.py --requests 200 --workers 2 --settings benchmarks.flow_settings \\
        --patch no-acks-late
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import queue
import random
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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_flow"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/5"
sys.path.insert(0, str(BASE_DIR))

from benchmarks import common  # noqa: E402
from benchmarks.common import fail, percentile  # noqa: E402

TARGET_PER_MINUTE = 600.0
STEPS = ("start", "upload", "submit", "precheck", "decide")
EXPECTED_MAILS_PER_REQUEST = 4  # request_received, role_granted, representative_replaced, request_outcome


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "Requires DATABASE_URL (PostgreSQL; the database is dropped, recreated and migrated on every run,\n"
            "so its name must contain 'bench') and CELERY_BROKER_URL (flushed before the run), e.g.\n"
            f"  DATABASE_URL={DEFAULT_DATABASE_URL} CELERY_BROKER_URL={DEFAULT_BROKER_URL} \\\n"
            "      .venv/bin/python benchmarks/flow_bench.py --requests 200 --workers 2"
        ),
    )
    parser.add_argument("--requests", type=int, required=True, help="timed representative changes (N)")
    parser.add_argument(
        "--workers", type=int, default=2, help="celery worker concurrency, prefork processes (default 2)"
    )
    parser.add_argument("--clients", type=int, default=4, help="client threads driving the services (default 4)")
    parser.add_argument(
        "--max-inflight",
        type=int,
        default=32,
        help="most requests between start and applied at a time (default 32; 0 = no limit)",
    )
    parser.add_argument("--warmup", type=int, default=None, help="untimed requests run first (default 2 x workers)")
    parser.add_argument("--seed", type=int, default=1, help="seed for names and document layouts (default 1)")
    parser.add_argument(
        "--four-eyes",
        type=int,
        default=0,
        metavar="K",
        help="mark every K-th customer sensitive, so its request needs a supervisor's second approval (default 0: none)",
    )
    parser.add_argument(
        "--poll-ms",
        type=float,
        default=100.0,
        help="how often the driver looks for verify tasks (default 100 ms: one query for all the requests waiting)",
    )
    parser.add_argument(
        "--timeout", type=float, default=600.0, help="seconds a request may wait for its pre-check (default 600)"
    )
    parser.add_argument(
        "--worker-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for `celery worker` (repeatable), e.g. --worker-arg=--prefetch-multiplier=4",
    )
    parser.add_argument(
        "--settings",
        default="backoffice.settings",
        help="DJANGO_SETTINGS_MODULE for the driver and the worker (default backoffice.settings)",
    )
    parser.add_argument(
        "--probe",
        action="store_true",
        help="record CPU and wall time of every task in the worker (benchmarks/flow_probe.py; implies "
        "--settings benchmarks.flow_settings)",
    )
    parser.add_argument(
        "--patch",
        action="append",
        default=[],
        metavar="NAME",
        help="apply a candidate code change from benchmarks/flow_patches.py in the driver and the worker "
        "(repeatable; implies --settings benchmarks.flow_settings)",
    )
    parser.add_argument(
        "--keep-logs", action="store_true", help="keep the temporary directory (worker log, e-mails, documents)"
    )
    args = parser.parse_args()
    if args.requests < 1 or args.workers < 1 or args.clients < 1:
        parser.error("--requests, --workers and --clients must be at least 1")
    if args.warmup is None:
        args.warmup = 2 * args.workers
    if (args.probe or args.patch) and args.settings == "backoffice.settings":
        args.settings = "benchmarks.flow_settings"
    return args


# -- environment -------------------------------------------------------------------------------


def check_database_url() -> str:
    url = common.check_database_url(DEFAULT_DATABASE_URL)
    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name:
        fail(
            f"refusing to drop and recreate database {name!r}: the benchmark needs a database of its own "
            f"whose name contains 'bench', e.g. {DEFAULT_DATABASE_URL}"
        )
    return url


def check_broker_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url:
        fail(
            f"CELERY_BROKER_URL is not set. This benchmark needs a real broker, e.g.\n  CELERY_BROKER_URL={DEFAULT_BROKER_URL}"
        )
    parts = urlsplit(url)
    if parts.scheme in {"filesystem", "memory", ""}:
        fail(
            f"CELERY_BROKER_URL={url} is not a broker a separate worker process can share at speed; use Redis, "
            f"e.g. {DEFAULT_BROKER_URL}"
        )
    if parts.scheme in {"redis", "rediss"}:
        db = parts.path.lstrip("/")
        if not db.isdigit() or int(db) == 0:
            fail(
                f"the Redis database in CELERY_BROKER_URL is flushed before each run: give the benchmark its own "
                f"non-zero database number, e.g. {DEFAULT_BROKER_URL}"
            )
    return url


def reset_database(url: str) -> float:
    """Drop and recreate the benchmark's database (refused by the server while others are connected)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    started = time.perf_counter()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        try:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        except psycopg.errors.ObjectInUse as error:
            fail(
                f"cannot drop database {name}: it is in use by another session ({error}). "
                "Is another benchmark (or a stale worker) still connected?"
            )
        conn.execute(f'CREATE DATABASE "{name}"')
    return time.perf_counter() - started


def bench_env(args: argparse.Namespace, database_url: str, broker_url: str, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCUMENTS_S3_")}
    env.update(
        {
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DJANGO_SETTINGS_MODULE": args.settings,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            # One machine on purpose: local documents, links to 127.0.0.1, no proxy (backoffice/production.py).
            "PRODUCTION_ALLOW_LOCAL_DOCUMENTS": "true",
            "PRODUCTION_ALLOW_INSECURE_SITE_URL": "true",
            "TRUSTED_PROXY_COUNT": "0",
            "BACKOFFICE_VAR_DIR": str(tmp / "var"),
            "DOCUMENTS_ROOT": str(tmp / "documents"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",  # EMAIL_FILE_PATH = <var>/mail
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if args.patch:
        env["FLOW_BENCH_PATCHES"] = ",".join(args.patch)
    if args.probe:
        (tmp / "probe").mkdir(parents=True, exist_ok=True)
        env["FLOW_BENCH_PROBE_DIR"] = str(tmp / "probe")
    return env


def migrate(env: dict[str, str]) -> float:
    return common.manage(env, "migrate", "--noinput", "-v", "0")[0]


def purge_broker(broker_url: str) -> str:
    from backoffice.celery import app

    if urlsplit(broker_url).scheme in {"redis", "rediss"}:
        import redis

        client = redis.Redis.from_url(broker_url)
        keys = client.dbsize()
        client.flushdb()
        client.close()
        return f"flushed Redis database {urlsplit(broker_url).path.lstrip('/')} ({keys} keys)"
    return f"purged {app.control.purge()} messages"


# -- CPU accounting from /proc (Linux) ------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(ppid, cpu seconds user+system) of a live process, or None."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK


def _all_pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def tree_cpu(root: int) -> dict[int, float]:
    """CPU seconds of ``root`` and its live descendants, per pid."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for pid in _all_pids():
        stat = _proc_stat(pid)
        if stat:
            parents[pid], cpu[pid] = stat
    members, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in members:
                members.add(pid)
                frontier.append(pid)
    return {pid: cpu[pid] for pid in members if pid in cpu}


def postgres_cpu(dbname: str) -> tuple[dict[int, float], dict[int, float]]:
    """CPU seconds of the PostgreSQL server: (backends connected to ``dbname``, every server process).

    The second includes, on the postmaster, the CPU of backends that have exited (its reaped
    children) -- the worker opens a connection per task -- and other databases' load.
    """
    ours, server = {}, {}
    needle = f" {dbname} ".encode()
    for pid in _all_pids():
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        try:
            raw = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if raw[raw.index("(") + 1 : raw.rindex(")")] != "postgres":
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        own = (int(fields[11]) + int(fields[12])) / _TICK
        server[pid] = own + ((int(fields[13]) + int(fields[14])) / _TICK if not title.startswith(b"postgres:") else 0.0)
        if needle in title.replace(b"\0", b" ") + b" ":
            ours[pid] = own
    return ours, server


def named_cpu(name: str) -> dict[int, float]:
    """CPU seconds of the processes whose command name is ``name`` (e.g. redis-server)."""
    result = {}
    for pid in _all_pids():
        try:
            raw = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if raw[raw.index("(") + 1 : raw.rindex(")")] == name:
            fields = raw[raw.rindex(")") + 2 :].split()
            result[pid] = (int(fields[11]) + int(fields[12])) / _TICK
    return result


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / _TICK, total / _TICK


@dataclass
class CpuSnapshot:
    driver: float
    worker: dict[int, float]
    postgres: dict[int, float]
    server: dict[int, float]
    redis: dict[int, float]
    busy: float
    total: float

    @classmethod
    def take(cls, worker_pid: int, dbname: str) -> CpuSnapshot:
        times = os.times()
        busy, total = machine_busy()
        return cls(
            times.user + times.system,
            tree_cpu(worker_pid),
            *postgres_cpu(dbname),
            named_cpu("redis-server"),
            busy,
            total,
        )


def _delta(after: dict[int, float], before: dict[int, float]) -> float:
    # A process that appeared meanwhile started from zero; one that ended took its CPU with it.
    return sum(after[pid] - before.get(pid, 0.0) for pid in after)


# -- the worker ----------------------------------------------------------------------------------


class Worker:
    def __init__(self, env: dict[str, str], concurrency: int, extra: list[str], log_path: Path) -> None:
        self.env, self.concurrency, self.extra, self.log_path = env, concurrency, extra, log_path
        self.node = f"flowbench{os.getpid()}@{socket.gethostname()}"
        self.process: subprocess.Popen | None = None
        self.log = None

    @property
    def command(self) -> list[str]:
        celery = str(Path(sys.executable).with_name("celery"))
        return [
            celery,
            "-A",
            "backoffice",
            "worker",
            "-Q",
            "celery,ocr,mail",
            "-c",
            str(self.concurrency),
            "-P",
            "prefork",
            "-n",
            self.node,
            "-l",
            "warning",
            *self.extra,
        ]

    def start(self, timeout: float = 90.0) -> float:
        from backoffice.celery import app

        started = time.perf_counter()
        self.log = open(self.log_path, "w")
        # Its own session: Ctrl-C in the terminal reaches only the driver, which stops the worker cleanly.
        self.process = subprocess.Popen(
            self.command, cwd=BASE_DIR, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"the celery worker exited with {self.process.returncode}:\n{self.log_path.read_text()}")
            if app.control.ping(destination=[self.node], timeout=0.5):
                return time.perf_counter() - started
        fail(f"the celery worker did not answer a ping within {timeout:.0f} s:\n{self.log_path.read_text()}")
        return 0.0

    def children(self) -> int:
        return max(0, len(tree_cpu(self.process.pid)) - 1) if self.process else 0

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown: running tasks finish
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                print("flow_bench: the worker did not stop within 30 s; killing its process group", file=sys.stderr)
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)  # the group of the worker we started
                except ProcessLookupError:
                    pass
                self.process.wait()
        if self.log:
            self.log.close()
        self.process = None


# -- the data ------------------------------------------------------------------------------------


@dataclass
class Case:
    index: int
    customer_id: int
    tax_id: str
    customer_name: str
    rep_person_id: int
    rep_user_id: int
    new_nif: str
    new_name: str
    new_email: str
    pdf: bytes = b""
    timed: bool = True
    process_id: int | None = None
    reference: str = ""
    verify_task_id: int | None = None
    second_approval: bool = False
    error: str = ""
    # time.perf_counter() marks, and the wall clock of the end of submit (to compare with database times)
    t_start: float = 0.0
    t_uploaded: float = 0.0
    t_submitted: float = 0.0
    wall_submitted: float = 0.0
    t_seen: float = 0.0
    t_decide_begin: float = 0.0
    t_applied: float = 0.0
    precheck_s: float | None = None
    steps: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of the client thread per step


def prepare_data(total: int, seed: int, four_eyes: int = 0) -> tuple[list[Case], int, int, float]:
    """``total`` customers, each with a representative who has a login; a verifier and a supervisor."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction

    from accounts.models import Customer, Grant, Person, User
    from backoffice.demo import make_cif, make_nif
    from tests.ocr.corpus import COMPANY_A, COMPANY_B, FIRST, FORMS, LAST

    started = time.perf_counter()
    rng = random.Random(seed)
    with transaction.atomic():
        customers = Customer.objects.bulk_create(
            [
                Customer(
                    kind="company",
                    tax_id=make_cif("B", 3_000_000 + i),
                    name=f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)} {i + 1} {rng.choice(FORMS)}",
                    sensitive=bool(four_eyes) and i % four_eyes == four_eyes - 1,
                )
                for i in range(total)
            ]
        )
        users = User.objects.bulk_create(
            [User(username=make_nif(20_000_000 + i), password=make_password(None)) for i in range(total)]
        )
        reps = Person.objects.bulk_create(
            [
                Person(
                    id_type="nif",
                    id_number=make_nif(20_000_000 + i),
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}",
                    email=f"rep{i}@example.com",
                    language="es",
                    user=users[i],
                )
                for i in range(total)
            ]
        )
        Grant.objects.bulk_create(
            [Grant(customer=c, person=p, role=Grant.Role.REPRESENTATIVE) for c, p in zip(customers, reps)]
        )
        verifier = User.objects.create(username="bench-verifier", password=make_password(None), is_staff=True)
        verifier.groups.add(Group.objects.get(name="verifiers"))
        supervisor = User.objects.create(username="bench-supervisor", password=make_password(None), is_staff=True)
        supervisor.groups.add(Group.objects.get(name="supervisors"))
    cases = [
        Case(
            index=i,
            customer_id=c.pk,
            tax_id=c.tax_id,
            customer_name=c.name,
            rep_person_id=p.pk,
            rep_user_id=p.user_id,
            new_nif=make_nif(30_000_000 + i),
            new_name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}",
            new_email=f"new{i}@example.com",
        )
        for i, (c, p) in enumerate(zip(customers, reps))
    ]
    return cases, verifier.pk, supervisor.pk, time.perf_counter() - started


def build_documents(cases: list[Case], seed: int) -> float:
    from tests.workflows.paperwork import power_of_attorney

    started = time.perf_counter()
    for case in cases:
        customer = type("C", (), {"name": case.customer_name, "tax_id": case.tax_id})
        case.pdf = power_of_attorney(customer, nif=case.new_nif, name=case.new_name, seed=seed * 100_003 + case.index)
    return time.perf_counter() - started


def database_counters(dbname: str) -> dict[str, float]:
    """pg_stat_database counters of the benchmark's database (sessions opened, commits, time active in SQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT sessions, xact_commit, xact_rollback, active_time, tup_inserted, tup_updated "
            "FROM pg_stat_database WHERE datname = %s",
            [dbname],
        )
        row = cursor.fetchone()
    return dict(zip(("sessions", "commits", "rollbacks", "active_ms", "inserted", "updated"), map(float, row)))


class ActivitySampler:
    """Samples pg_stat_activity of the benchmark's database: how many backends are active, and waiting on what."""

    def __init__(self, dbname: str, interval: float = 0.2) -> None:
        self.dbname, self.interval = dbname, interval
        self.samples = 0
        self.active = 0
        self.waits: dict[str, int] = {}
        self.thread_cpu = 0.0
        self.advisory_held = 0  # samples in which some transaction held the audit chain's advisory lock
        self.first_cpu: dict[int, float] = {}  # backend pid -> CPU seconds when first seen (0 if born meanwhile)
        self.last_cpu: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, name="pg-sampler", daemon=True)

    def start(self, baseline: dict[int, float]) -> None:
        self.first_cpu = dict(baseline)
        self.thread.start()

    def backend_cpu(self) -> float:
        """CPU seconds our database's backends used while sampled (a backend that lived less than
        one interval is missed; one that ended keeps the CPU seen at its last sample)."""
        return sum(cpu - self.first_cpu.get(pid, 0.0) for pid, cpu in self.last_cpu.items())

    def finish(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)

    def run(self) -> None:
        from django.db import connections

        try:
            with connections["default"].cursor() as cursor:
                while not self.stop.wait(self.interval):
                    self.thread_cpu = time.thread_time()
                    cursor.execute(
                        "SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-'), count(*) "
                        "FROM pg_stat_activity WHERE datname = %s AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1",
                        [self.dbname],
                    )
                    self.samples += 1
                    for what, count in cursor.fetchall():
                        self.active += count
                        self.waits[what] = self.waits.get(what, 0) + count
                    cursor.execute(
                        "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                        "WHERE l.locktype = 'advisory' AND l.granted AND d.datname = %s",
                        [self.dbname],
                    )
                    self.advisory_held += 1 if cursor.fetchone()[0] else 0
                    cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.dbname])
                    for (pid,) in cursor.fetchall():
                        stat = _proc_stat(pid)
                        if stat:
                            self.last_cpu[pid] = stat[1]
        finally:
            connections.close_all()

    def report(self) -> str:
        if not self.samples:
            return "  (no samples)"
        parts = sorted(self.waits.items(), key=lambda kv: -kv[1])
        lines = [
            f"  active backends on average: {self.active / self.samples:.2f} ({self.samples} samples every {self.interval * 1000:.0f} ms)"
        ]
        lines += [f"    {what:<34} {count / self.samples:6.2f}" for what, count in parts[:10]]
        lines.append(
            f"  audit chain advisory lock (accounts/audit.py pg_advisory_xact_lock) held in {100 * self.advisory_held / self.samples:.0f}% "
            "of the samples"
        )
        return "\n".join(lines)


def read_probe(probe_dir: Path, since: float, until: float) -> dict[str, list[tuple[float, float]]]:
    """Task name -> [(cpu seconds, wall seconds)] for the tasks that started in [since, until]."""
    out: dict[str, list[tuple[float, float]]] = {}
    for path in probe_dir.glob("*.tsv"):
        for line in path.read_text().splitlines():
            name, start, cpu, wall = line.split("\t")
            if since <= float(start) <= until:
                out.setdefault(name, []).append((float(cpu), float(wall)))
    return out


def others_load(seconds: float = 3.0) -> float:
    """Share of the machine's CPU busy over ``seconds`` before the benchmark starts anything (others' load)."""
    busy0, total0 = machine_busy()
    time.sleep(seconds)
    busy1, total1 = machine_busy()
    return (busy1 - busy0) / (total1 - total0) if total1 > total0 else 0.0


# -- the driver ----------------------------------------------------------------------------------

SUBMIT, DECIDE, STOP = 1, 0, 9  # queue priorities: decisions before new requests


class Driver:
    """K client threads run the services; one poller thread finds the verify tasks."""

    def __init__(self, cases: list[Case], args: argparse.Namespace, verifier_id: int, supervisor_id: int) -> None:
        self.cases, self.args = cases, args
        self.verifier_id, self.supervisor_id = verifier_id, supervisor_id
        self.jobs: queue.PriorityQueue = queue.PriorityQueue()
        self.seq = itertools.count()
        limit = args.max_inflight if args.max_inflight > 0 else len(cases)
        self.slots = threading.BoundedSemaphore(limit)
        self.pending: dict[int, Case] = {}  # process id -> case, submitted and waiting for its verify task
        self.lock = threading.Lock()
        self.finished = 0
        self.all_done = threading.Event()
        self.abort = threading.Event()
        self.t_first: float | None = None
        self.t_last: float = 0.0
        self.max_inflight_seen = 0
        self.inflight = 0
        self.polls = 0
        self.poller_cpu = 0.0

    def put(self, priority: int, case: Case | None) -> None:
        self.jobs.put((priority, next(self.seq), case))

    # each case ends here exactly once
    def finish(self, case: Case) -> None:
        with self.lock:
            self.finished += 1
            self.inflight -= 1
            if self.finished == len(self.cases):
                self.all_done.set()
        self.slots.release()

    def run(self, on_done=None) -> float:
        """Drive every case to its end; ``on_done()`` runs once all are finished, before the threads close their connections."""
        threads = [
            threading.Thread(target=self.client, name=f"client-{k}", daemon=True) for k in range(self.args.clients)
        ]
        threads.append(threading.Thread(target=self.poller, name="poller", daemon=True))
        threads.append(threading.Thread(target=self.feeder, name="feeder", daemon=True))
        for thread in threads:
            thread.start()
        try:
            while not self.all_done.wait(0.5):
                pass
            if on_done is not None:
                on_done()
        finally:
            self.abort.set()
            for _ in range(self.args.clients):
                self.put(STOP, None)
            deadline = time.monotonic() + 30  # a client may be in the middle of a service call
            for thread in threads:
                thread.join(timeout=max(0.1, deadline - time.monotonic()))
        return self.t_last - (self.t_first or self.t_last)

    def feeder(self) -> None:
        for case in self.cases:
            while not self.slots.acquire(timeout=0.5):
                if self.abort.is_set():
                    return
            with self.lock:
                self.inflight += 1
                self.max_inflight_seen = max(self.max_inflight_seen, self.inflight)
            self.put(SUBMIT, case)

    def client(self) -> None:
        from django.db import connections

        from accounts.audit import Actor
        from accounts.models import User

        verifier = User.objects.get(pk=self.verifier_id)
        supervisor = User.objects.get(pk=self.supervisor_id)
        staff = {
            "verifier": (verifier, Actor(user=verifier, ip="127.0.0.1", label="staff")),
            "supervisor": (supervisor, Actor(user=supervisor, ip="127.0.0.1", label="staff")),
        }
        try:
            while True:
                priority, _, case = self.jobs.get()
                if priority == STOP or self.abort.is_set():
                    return
                try:
                    if priority == SUBMIT:
                        self.submit(case)
                    else:
                        self.decide(case, staff)
                except Exception as error:  # noqa: BLE001 - recorded on the case, reported at the end
                    case.error = case.error or f"{type(error).__name__}: {error}"
                    with self.lock:
                        self.pending.pop(case.process_id, None)
                    self.finish(case)
        finally:
            connections.close_all()

    def submit(self, case: Case) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from accounts.audit import Actor
        from accounts.models import Customer, Person, User
        from workflows import services

        user = User.objects.get(pk=case.rep_user_id)
        actor = Actor(user=user, ip="127.0.0.1", label="customer")
        customer = Customer(pk=case.customer_id, kind="company", tax_id=case.tax_id, name=case.customer_name)
        requested_by = Person.objects.get(pk=case.rep_person_id)
        case.t_start = time.perf_counter()
        with self.lock:
            if self.t_first is None and case.timed:
                self.t_first = case.t_start
        c0 = time.thread_time()
        process = services.start_representative_change(
            customer=customer,
            new_id_number=case.new_nif,
            new_name=case.new_name,
            new_email=case.new_email,
            outgoing="authorised_full",
            contact_email=f"rep{case.index}@example.com",
            language="es",
            requested_by=requested_by,
            actor=actor,
            channel="portal",
        )
        t1 = time.perf_counter()
        c1 = time.thread_time()
        case.process_id, case.reference = process.pk, process.reference
        services.add_request_document(
            process=process,
            uploaded=SimpleUploadedFile("poder.pdf", case.pdf, "application/pdf"),
            original_name="poder.pdf",
            actor=actor,
        )
        case.t_uploaded = time.perf_counter()
        c2 = time.thread_time()
        with self.lock:  # poll for it from now on: the job can finish before submit_documents returns
            self.pending[process.pk] = case
        services.submit_documents(process=process, actor=actor)
        case.t_submitted = time.perf_counter()
        case.cpu.update(start=c1 - c0, upload=c2 - c1, submit=time.thread_time() - c2)
        case.wall_submitted = time.time()
        case.steps.update(
            start=t1 - case.t_start, upload=case.t_uploaded - t1, submit=case.t_submitted - case.t_uploaded
        )

    def decide(self, case: Case, staff: dict) -> None:
        from workflows import services
        from workflows.flows import RepresentativeChange
        from workflows.models import RepresentativeChangeProcess

        case.t_decide_begin = time.perf_counter()
        c0 = time.thread_time()
        verifier, actor = staff["verifier"]
        process = services.decide(task_id=case.verify_task_id, user=verifier, decision="approve", actor=actor)
        if process.outcome != "applied" and process.is_open:
            task = services.active_task(process, RepresentativeChange.second_approval)
            if task is None:
                raise RuntimeError(
                    f"{process.reference}: neither applied nor waiting for a second approval after the decision"
                )
            case.second_approval = True
            supervisor, actor = staff["supervisor"]
            process = services.second_decision(task_id=task.pk, user=supervisor, approve=True, actor=actor)
        case.t_applied = time.perf_counter()
        case.cpu["decide"] = time.thread_time() - c0
        case.steps["decide"] = case.t_applied - case.t_decide_begin
        if not isinstance(process, RepresentativeChangeProcess) or process.outcome != "applied":
            case.error = f"{process.reference}: outcome {process.outcome!r} after the decision"
        with self.lock:
            if case.timed:
                self.t_last = max(self.t_last, case.t_applied)
        self.finish(case)

    def poller(self) -> None:
        from django.db import connections
        from viewflow.workflow.status import STATUS

        from documents.models import Precheck
        from workflows.flows import RepresentativeChange
        from workflows.models import RepresentativeChangeProcess

        task_model = RepresentativeChange.task_class
        interval = self.args.poll_ms / 1000
        last_health = time.monotonic()
        try:
            while not self.abort.is_set():
                with self.lock:
                    ids = list(self.pending)
                if ids:
                    self.polls += 1
                    found = list(
                        task_model.objects.filter(
                            process_id__in=ids, flow_task=RepresentativeChange.verify, status=STATUS.NEW
                        ).values_list("process_id", "pk", "created")
                    )
                    now = time.perf_counter()
                    for process_id, task_id, created in found:
                        with self.lock:
                            case = self.pending.pop(process_id, None)
                        if case is None:
                            continue
                        case.verify_task_id, case.t_seen = task_id, now
                        case.precheck_s = (
                            max(0.0, created.timestamp() - case.wall_submitted) if case.wall_submitted else None
                        )
                        self.put(DECIDE, case)
                    if time.monotonic() - last_health > 1.0:
                        last_health = time.monotonic()
                        self.check_stuck(ids, task_model, Precheck, RepresentativeChangeProcess, STATUS)
                time.sleep(interval)
        finally:
            self.poller_cpu = time.thread_time()
            connections.close_all()

    def check_stuck(self, ids, task_model, Precheck, Process, STATUS) -> None:
        """Give up on requests with a task in ERROR or a FAILED pre-check, or that waited longer than --timeout."""
        failed = dict(
            task_model.objects.filter(process_id__in=ids, status=STATUS.ERROR).values_list("process_id", "flow_task")
        )
        failed_prechecks = set(
            Process.objects.filter(pk__in=ids, precheck__status=Precheck.Status.FAILED).values_list("pk", flat=True)
        )
        now = time.perf_counter()
        for process_id in ids:
            with self.lock:
                case = self.pending.get(process_id)
            if case is None:
                continue
            reason = ""
            if process_id in failed:
                reason = f"task {failed[process_id]} in ERROR"
            elif process_id in failed_prechecks:
                reason = "pre-check FAILED"
            elif case.t_submitted and now - case.t_submitted > self.args.timeout:
                reason = f"no verify task {self.args.timeout:.0f} s after submit"
            if reason:
                with self.lock:
                    if self.pending.pop(process_id, None) is None:
                        continue
                case.error = f"{case.reference}: {reason}"
                self.finish(case)


# -- checks --------------------------------------------------------------------------------------


def verify(cases: list[Case]) -> list[str]:
    """Every request applied exactly once; returns the problems found."""
    from viewflow.workflow.status import PROCESS

    from accounts.models import AuditEvent, Grant
    from workflows.models import RepresentativeChangeProcess

    problems = [f"request {c.index} ({c.reference or 'not started'}): {c.error}" for c in cases if c.error]
    by_pk = {
        p.pk: p
        for p in RepresentativeChangeProcess.objects.filter(pk__in=[c.process_id for c in cases if c.process_id])
    }
    grants: dict[int, list[Grant]] = {}
    for grant in Grant.objects.filter(
        customer_id__in=[c.customer_id for c in cases], role=Grant.Role.REPRESENTATIVE, revoked_at__isnull=True
    ).select_related("person"):
        grants.setdefault(grant.customer_id, []).append(grant)
    refs = [c.reference for c in cases if c.reference]
    creates: dict[str, list[AuditEvent]] = {}
    for event in AuditEvent.objects.filter(action="grant.create", request_ref__in=refs):
        creates.setdefault(event.request_ref, []).append(event)
    applies: dict[str, int] = {}
    for ref in AuditEvent.objects.filter(action="request.apply", request_ref__in=refs).values_list(
        "request_ref", flat=True
    ):
        applies[ref] = applies.get(ref, 0) + 1
    for case in cases:
        if case.error:
            continue
        label = f"request {case.index} ({case.reference})"
        process = by_pk.get(case.process_id)
        if process is None:
            problems.append(f"{label}: no process row")
            continue
        if process.outcome != "applied" or process.applied_at is None:
            problems.append(f"{label}: outcome {process.outcome!r}, applied_at {process.applied_at}")
        if process.status != PROCESS.DONE:
            problems.append(f"{label}: process status {process.status}, not DONE")
        active = grants.get(case.customer_id, [])
        if len(active) != 1 or active[0].person.id_number != case.new_nif:
            problems.append(
                f"{label}: active representative grants {[(g.pk, g.person.id_number) for g in active]}, "
                f"expected exactly one for {case.new_nif}"
            )
            continue
        grant = active[0]
        # Every grant.create for the new person under this request (whatever the role), and every one for a representative.
        for_new = [
            e
            for e in creates.get(case.reference, [])
            if (e.after or {}).get("person") == grant.person_id
            or (e.after or {}).get("role") == Grant.Role.REPRESENTATIVE
        ]
        if (
            len(for_new) != 1
            or for_new[0].target_id != str(grant.pk)
            or (for_new[0].after or {}).get("role") != Grant.Role.REPRESENTATIVE
        ):
            problems.append(
                f"{label}: {len(for_new)} grant.create audit events for the new representative with this request_ref "
                f"(targets {[e.target_id for e in for_new]}), expected exactly one, for grant {grant.pk}"
            )
        if applies.get(case.reference, 0) != 1:
            problems.append(f"{label}: {applies.get(case.reference, 0)} request.apply audit events, expected 1")
    from accounts.audit import verify_chain

    problems += [
        f"audit chain broken at event {brk.event_id}: {brk.problem}" for brk in itertools.islice(verify_chain(), 10)
    ]
    return problems


def pipeline_breakdown(cases: list[Case]) -> dict[str, list[float]]:
    """The pre-check step split by database timestamps (seconds), for the timed requests."""
    from documents.models import PrecheckPage
    from workflows.flows import RepresentativeChange
    from workflows.models import RepresentativeChangeProcess

    task_model = RepresentativeChange.task_class
    by_process = {c.process_id: c for c in cases if c.process_id and not c.error}
    processes = {
        p.pk: p for p in RepresentativeChangeProcess.objects.filter(pk__in=list(by_process)).select_related("precheck")
    }
    jobs = {
        t.process_id: t
        for t in task_model.objects.filter(process_id__in=list(by_process), flow_task=RepresentativeChange.precheck)
    }
    verifies = {
        t.process_id: t
        for t in task_model.objects.filter(process_id__in=list(by_process), flow_task=RepresentativeChange.verify)
    }
    pages: dict[int, list[PrecheckPage]] = {}
    for page in PrecheckPage.objects.filter(
        precheck_id__in=[p.precheck_id for p in processes.values() if p.precheck_id]
    ).defer("text"):
        pages.setdefault(page.precheck_id, []).append(page)
    out: dict[str, list[float]] = {
        k: []
        for k in (
            "submit -> job task started (run_precheck queue wait)",
            "job started -> pre-check finished (text layers read in the job)",
            "job started -> first page queued (pages needing OCR)",
            "page queued -> pre-check finished (read_page_task)",
            "  of which reading a page (ocr.read_page)",
            "pre-check finished -> verify task (job completes)",
            "verify task -> seen by the driver (polling)",
            "seen -> decision begins (client busy)",
        )
    }
    keys = list(out)
    for pid, case in by_process.items():
        process, job, verify_task = processes.get(pid), jobs.get(pid), verifies.get(pid)
        if not (process and process.precheck and job and job.started and verify_task and process.precheck.finished_at):
            continue
        rows = pages.get(process.precheck_id, [])
        queued = [p.queued_at for p in rows if p.queued_at]
        finished = process.precheck.finished_at.timestamp()
        out[keys[0]].append(job.started.timestamp() - case.wall_submitted)
        if queued:  # some page went through the OCR queue
            out[keys[2]].append(min(queued).timestamp() - job.started.timestamp())
            out[keys[3]].append(finished - min(queued).timestamp())
        else:
            out[keys[1]].append(finished - job.started.timestamp())
        out[keys[4]].extend(p.seconds for p in rows if p.seconds is not None)
        out[keys[5]].append(verify_task.created.timestamp() - finished)
        out[keys[6]].append(case.t_seen - case.t_submitted - (case.precheck_s or 0.0))
        out[keys[7]].append(case.t_decide_begin - case.t_seen)
    return out


# -- report --------------------------------------------------------------------------------------


def row(label: str, seconds: list[float], width: int = 58) -> str:
    ms = [s * 1000 for s in seconds]
    if not ms:
        return f"{label:<{width}} {'-':>8}"
    return f"{label:<{width}} {percentile(ms, 50):>8.1f} {percentile(ms, 95):>8.1f} {max(ms):>8.1f} {statistics.fmean(ms):>8.1f} {len(ms):>6}"


def count_mails(mail_dir: Path) -> int:
    """Messages written by the file backend (one file can hold several: it names files by time and object id)."""
    if not mail_dir.exists():
        return 0
    return sum(path.read_bytes().count(b"\nMessage-ID: ") for path in mail_dir.iterdir())


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main() -> int:
    args = parse_args()
    # Ctrl-C and SIGTERM (e.g. from `timeout`) both end the run through the clean-up below, which stops
    # the worker; installed explicitly because a shell's background job inherits SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    database_url = check_database_url()
    broker_url = check_broker_url()
    os.chdir(BASE_DIR)
    tmp = Path(tempfile.mkdtemp(prefix="flow_bench_"))
    env = bench_env(args, database_url, broker_url, tmp)
    os.environ.update(env)
    dbname = urlsplit(database_url).path.lstrip("/")

    load_start = os.getloadavg()
    idle_busy = others_load()
    print(
        f"Load average before: {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f} on {os.cpu_count()} CPUs; "
        f"machine {100 * idle_busy:.0f}% busy over 3 s before the benchmark started anything (other users' load)."
    )
    seconds = reset_database(database_url)
    seconds += migrate(env)
    print(f"Database {dbname}: dropped, recreated and migrated in {seconds:.1f} s.")

    import django

    django.setup()
    if args.patch:
        from benchmarks import flow_patches

        flow_patches.apply(",".join(args.patch))
    import celery
    import django as dj
    from django.db import connection

    from backoffice.celery import app

    print(
        f"Broker {urlsplit(broker_url).scheme}://{urlsplit(broker_url).hostname}{urlsplit(broker_url).path}: {purge_broker(broker_url)}."
    )
    others = app.control.ping(timeout=1.0)
    if others:
        fail(
            f"workers already consume from this broker: {[next(iter(r)) for r in others]}; stop them or use another "
            "Redis database number"
        )

    total = args.warmup + args.requests
    cases, verifier_id, supervisor_id, seconds = prepare_data(total, args.seed, args.four_eyes)
    print(
        f"Data: {total} customers, each with a representative who has a login ({args.warmup} warm-up + {args.requests} timed), "
        f"a verifier and a supervisor, in {seconds:.1f} s."
    )
    seconds = build_documents(cases, args.seed)
    print(
        f"Documents: {total} one-page text-layer PDFs (power of attorney naming the customer and the new person), "
        f"{statistics.fmean(len(c.pdf) for c in cases) / 1024:.1f} KiB each, built in {seconds:.1f} s (not timed)."
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    connection.close()

    worker = Worker(env, args.workers, args.worker_arg, tmp / "worker.log")
    exit_code = 1
    try:
        seconds = worker.start()
        print(
            f"Worker: {' '.join(worker.command[1:])}\n  up in {seconds:.1f} s (pid {worker.process.pid}, "
            f"{worker.children()} pool processes); acks_late={app.conf.task_acks_late}, "
            f"prefetch_multiplier={app.conf.worker_prefetch_multiplier}.",
            flush=True,
        )
        print(
            f"Stack: Python {platform.python_version()}, Django {dj.get_version()}, Celery {celery.__version__}, "
            f"PostgreSQL {pg_version}, {os.cpu_count()} CPUs; settings {args.settings}, DEBUG=false, "
            f"OCR_PAGES_PER_WAVE={os.environ.get('OCR_PAGES_PER_WAVE', '2 (default)')}."
        )
        experiments = {
            k: v for k, v in os.environ.items() if k.startswith("FLOW_BENCH_") and k != "FLOW_BENCH_PROBE_DIR"
        }
        if experiments:
            print(
                f"EXPERIMENT (not the application as shipped): {' '.join(f'{k}={v}' for k, v in sorted(experiments.items()))}"
            )

        warm, timed = cases[: args.warmup], cases[args.warmup :]
        if warm:
            for case in warm:
                case.timed = False
            started = time.perf_counter()
            Driver(warm, args, verifier_id, supervisor_id).run()
            print(
                f"Warm-up: {len(warm)} requests in {time.perf_counter() - started:.1f} s "
                f"({sum(1 for c in warm if not c.error)} applied).",
                flush=True,
            )

        mail_dir = tmp / "var" / "mail"
        load_before = os.getloadavg()
        cpu_before = CpuSnapshot.take(worker.process.pid, dbname)
        wall_before = time.time()
        counters_before = database_counters(dbname)
        sampler = ActivitySampler(dbname)
        sampler.start(cpu_before.postgres)
        print(
            f"\nRunning {args.requests} requests: {args.clients} client threads, at most "
            f"{args.max_inflight or 'unlimited'} in flight, worker concurrency {args.workers} ...",
            flush=True,
        )
        driver = Driver(timed, args, verifier_id, supervisor_id)
        snapshots: list[CpuSnapshot] = []
        wall = driver.run(on_done=lambda: snapshots.append(CpuSnapshot.take(worker.process.pid, dbname)))
        cpu_after = snapshots[0]
        wall_after = time.time()
        sampler.finish()
        time.sleep(0.6)  # pg_stat counters reach the shared stats within ~0.5 s
        counters = {k: v - counters_before[k] for k, v in database_counters(dbname).items()}
        load_after = os.getloadavg()

        # E-mails are sent by the worker after the last commit; wait (briefly) for the queue to drain.
        expected_mails = EXPECTED_MAILS_PER_REQUEST * len(cases)
        deadline = time.monotonic() + 60
        while count_mails(mail_dir) < expected_mails and time.monotonic() < deadline:
            time.sleep(0.5)
        all_mails = count_mails(mail_dir)
        mail_lag = time.perf_counter() - driver.t_last

        problems = verify(cases)
        breakdown = pipeline_breakdown(timed)

        # -- figures
        ok_cases = [c for c in timed if not c.error and c.t_applied]
        print(
            f"\nResults: N={args.requests} requests, worker concurrency C={args.workers} (prefork), "
            f"{args.clients} client threads, max in flight {args.max_inflight or 'unlimited'} (reached {driver.max_inflight_seen})."
        )
        per_minute = len(ok_cases) / (wall / 60) if wall > 0 else float("nan")
        print(f"Wall time first start -> last applied: {wall:.2f} s")
        print(
            f"THROUGHPUT: {per_minute:.0f} complete processes per minute ({per_minute / 60:.2f}/s) "
            f"- target >= {TARGET_PER_MINUTE:.0f}: {'MET' if per_minute >= TARGET_PER_MINUTE else 'NOT MET'}"
        )

        width = 58
        header = f"{'step (ms)':<{width}} {'p50':>8} {'p95':>8} {'max':>8} {'mean':>8} {'n':>6}"
        print("\n" + header + "\n" + "-" * len(header))
        for step in STEPS:
            values = (
                [c.steps[step] for c in ok_cases if step in c.steps]
                if step != "precheck"
                else [c.precheck_s for c in ok_cases if c.precheck_s is not None]
            )
            label = {
                "precheck": "precheck (submit end -> verify task created)",
                "decide": "decide+apply (+ second approval if any)",
            }.get(step, step)
            print(row(label, values, width))
        print(row("end to end (start begins -> applied)", [c.t_applied - c.t_start for c in ok_cases], width))
        print(
            f"\n{'CPU of the client thread per step (ms)':<{width}} {'p50':>8} {'p95':>8} {'max':>8} {'mean':>8} {'n':>6}"
        )
        for step in ("start", "upload", "submit", "decide"):
            print(row(f"  {step}", [c.cpu[step] for c in ok_cases if step in c.cpu], width))
        print("\nPre-check breakdown (database timestamps):")
        for label, values in breakdown.items():
            print(row("  " + label, values, width))

        second = sum(1 for c in timed if c.second_approval)
        from documents.models import Document, Precheck, PrecheckPage

        verdicts: dict[str, int] = {}
        for verdict in Precheck.objects.filter(document_set__reference__in=[c.reference for c in timed]).values_list(
            "verdict", flat=True
        ):
            verdicts[verdict or "-"] = verdicts.get(verdict or "-", 0) + 1
        pages = PrecheckPage.objects.filter(precheck__document_set__reference__in=[c.reference for c in timed]).count()
        previews = Document.objects.filter(
            document_set__reference__in=[c.reference for c in timed], preview_status="ready"
        ).count()
        print(
            f"\nPre-check verdicts: {verdicts}; second approvals given: {second}. Pages read: {pages}; previews rendered: {previews}."
        )
        if not args.probe:
            print(
                "Celery tasks per request (the code path as shipped; --probe counts them): run_precheck 1 + plan_precheck 1 + "
                f"read_page {pages / max(1, len(timed)):.2f} + make_previews 1 + e-mails {all_mails / len(cases):.2f}"
            )
        print(
            f"E-mails written by the worker: {all_mails} of {expected_mails} expected for all {len(cases)} requests "
            f"(all there within {mail_lag:.1f} s of the last apply: the worker takes its queues in turn, so e-mails "
            "queue up behind the pre-checks)" + ("" if all_mails == expected_mails else "  WARNING: missing e-mails")
        )
        driver_cpu = cpu_after.driver - cpu_before.driver
        worker_cpu = _delta(cpu_after.worker, cpu_before.worker)
        pg_cpu = max(_delta(cpu_after.postgres, cpu_before.postgres), sampler.backend_cpu())
        server_cpu = _delta(cpu_after.server, cpu_before.server)
        redis_cpu = _delta(cpu_after.redis, cpu_before.redis)
        worker_main = cpu_after.worker.get(worker.process.pid, 0.0) - cpu_before.worker.get(worker.process.pid, 0.0)
        busy = cpu_after.busy - cpu_before.busy
        capacity = cpu_after.total - cpu_before.total
        n = max(1, len(ok_cases))
        print(
            f"\nCPU during the timed run ({wall:.1f} s wall, {os.cpu_count()} CPUs = {capacity:.1f} CPU-s available):"
        )
        print(
            f"  driver (this process, {args.clients} client threads + poller): {driver_cpu:6.1f} CPU-s  {1000 * driver_cpu / n:6.1f} ms/request"
        )
        print(
            f"  celery worker (main + {args.workers} pool processes):       {worker_cpu:6.1f} CPU-s  {1000 * worker_cpu / n:6.1f} ms/request"
            f"  (of which the main process {1000 * worker_main / n:.1f} ms/request)"
        )
        print(
            f"  PostgreSQL backends of {dbname} (sampled*):        {pg_cpu:6.1f} CPU-s  {1000 * pg_cpu / n:6.1f} ms/request"
        )
        print(
            f"  PostgreSQL server, all processes and exited backends: {server_cpu:6.1f} CPU-s  {1000 * server_cpu / n:6.1f} ms/request"
            " (includes other databases)"
        )
        print(
            f"  redis-server (shared with other users):              {redis_cpu:6.1f} CPU-s  {1000 * redis_cpu / n:6.1f} ms/request"
        )
        rest = busy - driver_cpu - worker_cpu - server_cpu - redis_cpu
        print(f"  everything else (kernel, other users' tests):        {rest:6.1f} CPU-s")
        print(
            f"  whole machine busy:                                  {busy:6.1f} CPU-s  = {100 * busy / capacity if capacity else 0:.0f}% of capacity"
            f" (it was {100 * idle_busy:.0f}% busy before the run)"
        )
        ours = driver_cpu + worker_cpu + pg_cpu + redis_cpu
        ours_server = driver_cpu + worker_cpu + max(pg_cpu, server_cpu) + redis_cpu
        cpus = os.cpu_count() or 1
        print(
            f"  => this benchmark's own CPU: {1000 * ours / n:.0f} ms/request with PostgreSQL as sampled*, "
            f"{1000 * ours_server / n:.0f} with the whole server; so at most {60 * cpus * n / ours_server:.0f}-"
            f"{60 * cpus * n / ours:.0f} processes/minute on {cpus} otherwise idle CPUs"
        )
        print(
            "  * backends sampled every 200 ms: CPU of connections shorter than that (the worker reconnects for every task\n"
            "    unless CELERY_DB_REUSE_MAX is set) is missed, the server line catches it along with other databases' load."
        )
        service_cpu = sum(sum(c.cpu.values()) for c in ok_cases)
        print(
            f"  driver: {1000 * service_cpu / n:.0f} ms/request in the service calls (client threads), "
            f"{1000 * driver.poller_cpu / n:.1f} in the poller ({driver.polls} polls), {1000 * sampler.thread_cpu / n:.1f} in the "
            f"activity sampler; the rest ({1000 * (driver_cpu - service_cpu - driver.poller_cpu - sampler.thread_cpu) / n:.0f}) is "
            "thread scheduling, the GIL and the Celery publisher"
        )
        print(
            "PostgreSQL activity during the run (pg_stat_activity of the benchmark's database, wait_event_type:wait_event):"
        )
        print(
            f"  per request: {counters['sessions'] / n:.1f} new sessions (connections), {counters['commits'] / n:.1f} commits, "
            f"{counters['rollbacks'] / n:.1f} rollbacks, {counters['inserted'] / n:.0f} rows inserted, {counters['updated'] / n:.0f} updated, "
            f"{counters['active_ms'] / n:.0f} ms of backend time in SQL (includes lock waits)"
        )
        print(sampler.report())
        if sampler.samples and sampler.advisory_held:
            held_ms = 1000 * wall * sampler.advisory_held / sampler.samples / n
            print(
                f"  = about {held_ms:.0f} ms of lock time per request: the audit chain alone caps the flow at "
                f"~{60_000 / held_ms:.0f} processes/minute at these transaction lengths"
            )
        if args.probe:
            probe = read_probe(tmp / "probe", wall_before, wall_after)
            total_in_tasks = sum(c for rows in probe.values() for c, _ in rows)
            print("Worker tasks (--probe; CPU and wall inside each task body, started during the timed run):")
            print(f"  {'task':<48} {'n':>5} {'cpu ms mean':>12} {'wall ms p50':>12} {'wall ms p95':>12} {'CPU-s':>7}")
            for name, rows in sorted(probe.items(), key=lambda kv: -sum(c for c, _ in kv[1])):
                cpus, walls = [c for c, _ in rows], [w for _, w in rows]
                print(
                    f"  {name:<48} {len(rows):>5} {1000 * statistics.fmean(cpus):>12.1f} {1000 * percentile(walls, 50):>12.1f} "
                    f"{1000 * percentile(walls, 95):>12.1f} {sum(cpus):>7.1f}"
                )
            everything = read_probe(tmp / "probe", 0, float("inf"))
            print(
                f"  tasks per request (all {len(cases)} requests, warm-up included): "
                + ", ".join(
                    f"{name.rsplit('.', 1)[-1]} {len(rows) / len(cases):.2f}"
                    for name, rows in sorted(everything.items())
                )
                + f" = {sum(len(r) for r in everything.values()) / len(cases):.2f}"
            )
            print(
                f"  inside task bodies {total_in_tasks:.1f} CPU-s of the worker's {worker_cpu:.1f} CPU-s; "
                f"Celery's own per-task work (receive, decode, ack, prefork IPC) the other {worker_cpu - total_in_tasks:.1f} CPU-s "
                f"= {1000 * (worker_cpu - total_in_tasks) / max(1, sum(len(r) for r in probe.values())):.1f} ms per task"
            )
        print(
            f"Load average (1 min): {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
            f"uptime load now {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
            + (
                " - the machine was busy, expect noisy figures."
                if max(load_before[0], load_after[0]) > (os.cpu_count() or 1) + 0.5
                else "."
            )
        )

        if problems:
            print(f"\nFAILED: {len(problems)} problem(s):")
            for problem in problems[:30]:
                print("  " + problem)
            if len(problems) > 30:
                print(f"  ... and {len(problems) - 30} more")
            exit_code = 1
        else:
            print(
                f"\nAll {len(cases)} requests ({args.warmup} warm-up + {args.requests} timed) applied exactly once: outcome "
                "applied, process DONE, one active representative (the new person), one grant.create audit event for "
                "them and one request.apply per request; the audit hash chain verifies."
            )
            exit_code = 0
    except KeyboardInterrupt:
        print("\nflow_bench: interrupted; stopping the worker.", file=sys.stderr)
        exit_code = 130
    finally:
        worker.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001
            pass
        if args.keep_logs or exit_code not in (0, 130):
            print(f"Worker log, e-mails and documents kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
