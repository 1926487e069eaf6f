#!/usr/bin/env python3
"""A production-shaped deployment of the back office on this machine, driven end to end through HTTP.

    python scripts/cluster.py run     [--requests 50] [--threads 5]   # up, drive (with the kills), check, down
    python scripts/cluster.py up                                      # start it and leave it running
    python scripts/cluster.py drive   [--run-dir DIR] [--no-chaos]    # drive and check a cluster started by `up`
    python scripts/cluster.py down    [--run-dir DIR]                 # stop every process, drop the database

What runs (every process of the project from the same settings the image uses -- ``DJANGO_DEBUG=false``, the
environment of compose.yaml -- in its own process group, logs in the run's folder, ``logs/``):

* PostgreSQL: a fresh database ``h_clu_<random>`` on the machine's server (``CLUSTER_POSTGRES_URL``), migrated
  with ``manage.py migrate``; dropped at the end.
* S3: moto in server mode on a free loopback port, one bucket for the documents (server-side encryption asked).
* RabbitMQ as the broker (``CLUSTER_BROKER_URL``); its ``celery``, ``ocr`` and ``mail`` queues are purged at the
  start and the end (two runs must not share one broker at the same time).
* Two gunicorn web nodes (gunicorn.conf.py, 2 workers each) behind haproxy, which terminates TLS with a
  self-signed certificate made at run time, sets X-Forwarded-For/Proto and X-Request-ID, checks ``/healthz``
  every second (``/readyz`` says whether the *deployment* can work; a node that answers is in rotation) and
  retries, on another node, a request whose connection to a node failed (``retries 3``, ``option redispatch``).
  ``TRUSTED_PROXY_COUNT=1``. The site's name is ``backoffice.cluster.test`` (SITE_URL is its https address),
  which the clients resolve to 127.0.0.1 themselves, as ``curl --resolve`` does.
* One Celery worker per queue (``-c 1``), one beat (heartbeats every 2 s, a queue "not ready" after 6 s without
  one), the outbox relay, and an SMTP server on loopback (tests/faults/parts.py) keeping every e-mail as a file.

The drive: N paperwork requests (a change of representative), each by its own customer with their own browser
session in the portal -- log in, start, upload a scanned page (a PNG without text layer: the pre-check reads it
with Tesseract on the ``ocr`` queue), submit, wait for the pre-check, later wait for "applied" -- a few customers
at a time; meanwhile two verifiers work the staff queue (password, then a TOTP code from the key the enrolment
page shows at their first login; take a task, read it, approve) and a supervisor gives the second approvals the
pre-check's verdict asks for. Every step goes through HTTP via the balancer, forms with their CSRF token; a user
who gets a 5xx or no answer looks (reloads) and does the step again only if it did not happen. Meanwhile one web
node and the ``ocr`` worker are killed (SIGKILL to their process groups) and started again seconds later.

The checks (``Report.problems``): every request applied exactly once (the new representative holds one grant,
the outgoing one its revoked grant and one full-access grant, the audit log two grant creations and one
revocation with the request's reference), every uploaded file in S3 with the sha256 of what was sent,
``verify_audit_chain`` passes, ``/readyz`` said 503 naming ``queue:ocr`` all the while the ocr worker was dead
(past READY_HEARTBEAT_MAX_AGE) and 200 after its restart, and no HTTP 5xx reached a user except while the
killed node's connections failed over (from the kill until haproxy marked it down, and 3 s more). Timings are
printed: setup, the drive (total, per request p50/p95) and the time to recover after each kill.

Environment: ``CLUSTER_POSTGRES_URL`` (a PostgreSQL server, default postgres://postgres@127.0.0.1:5432/postgres),
``CLUSTER_BROKER_URL`` (default amqp://guest:guest@127.0.0.1:5672//), ``CLUSTER_DATABASE_PREFIX`` (h_clu),
``CLUSTER_KEEP=1`` (keep the run's folder when `up` fails).

Sub-commands used by the above inside the deployment's environment: ``seed`` (customers and staff, a setup
script: seed data is not the thing under test), ``check`` (what the database and S3 hold) and ``smtp-sink``.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import hashlib
import hmac
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.faults.parts import Process, SmtpServer, free_port  # noqa: E402 -- the fault tests' parts, reused

BIN = Path(sys.executable).parent
SITE_NAME = "backoffice.cluster.test"  # RFC 2606: never a real host; the clients resolve it to 127.0.0.1
DEFAULT_BROKER = os.environ.get("CLUSTER_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
DEFAULT_POSTGRES = os.environ.get("CLUSTER_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE_PREFIX = os.environ.get("CLUSTER_DATABASE_PREFIX", "h_clu")
QUEUES = ("celery", "ocr", "mail")
S3_BUCKET, S3_REGION, S3_KEY, S3_SECRET = "documents", "us-east-1", "cluster", "cluster-secret"
HEARTBEAT_INTERVAL, READY_HEARTBEAT_MAX_AGE = 2, 6
CURRENT = Path(tempfile.gettempdir()) / "energia-cluster.current"  # the run dir of the last `up`
PASSWORD_ENV = "CLUSTER_PASSWORD"  # how `seed` gets the customers' and staff's password


def say(text: str) -> None:
    print(f"[cluster {time.strftime('%H:%M:%S')}] {text}", flush=True)


class ClusterError(RuntimeError):
    """The deployment did not come up, or the drive found a problem; the message carries the logs' tails."""


# -- processes -------------------------------------------------------------------------------------------


class Part(Process):
    """A process of the deployment in a process group of its own: stopping or killing it reaches its children
    (gunicorn's workers, Celery's pool, Tesseract) as stopping a container or losing a machine does."""

    def start(self) -> Part:
        with open(self.log, "a") as out:
            self.popen = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        return self

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole group, no warning."""
        _signal_group(self.pid, signal.SIGKILL)
        self.popen.wait(30)

    def stop(self, timeout: float = 20) -> None:
        if self.popen is not None:
            stop_group(self.popen.pid, timeout=timeout, popen=self.popen)


def _signal_group(pgid: int, number: int) -> bool:
    try:
        os.killpg(pgid, number)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def _group_alive(pgid: int) -> bool:
    return _signal_group(pgid, 0)


def stop_group(pgid: int, *, timeout: float = 20, popen: subprocess.Popen | None = None) -> None:
    """SIGTERM to a process group (a warm shutdown), SIGKILL to whatever is left after ``timeout``. ``popen``: the
    group's leader when it is our child, reaped here (a zombie leader keeps its group "alive" for killpg)."""
    if not _signal_group(pgid, signal.SIGTERM):
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if popen is not None:
            popen.poll()
        if not _group_alive(pgid):
            return
        time.sleep(0.2)
    _signal_group(pgid, signal.SIGKILL)
    if popen is not None:
        try:
            popen.wait(10)
        except subprocess.TimeoutExpired:
            pass


# -- the deployment --------------------------------------------------------------------------------------


@dataclass
class State:
    """What `down` and `drive` need to find a running cluster (saved as state.json in the run's folder)."""

    run_dir: str
    database: str
    postgres_url: str
    broker_url: str
    site_url: str
    balancer_port: int
    web_ports: list[int]
    s3_endpoint: str
    smtp_port: int
    env: dict
    groups: dict = field(default_factory=dict)  # part name -> process group id
    seed: dict = field(default_factory=dict)
    setup_seconds: dict = field(default_factory=dict)


class Cluster:
    """The deployment: ``up()``, ``drive()`` (returns a Report; ``report.problems`` is what failed), ``down()``.
    Usable as a context manager; ``down()`` runs at interpreter exit too unless ``detach`` was asked."""

    def __init__(
        self,
        *,
        requests: int = 50,
        threads: int = 5,
        run_dir: str | Path | None = None,
        broker_url: str = DEFAULT_BROKER,
        postgres_url: str = DEFAULT_POSTGRES,
        detach: bool = False,
    ):
        self.requests, self.threads, self.detach = requests, threads, detach
        self.broker_url, self.postgres_url = broker_url, postgres_url
        self.run_dir = Path(run_dir) if run_dir else Path(tempfile.mkdtemp(prefix="cluster-"))
        self.parts: dict[str, Part] = {}
        self.state: State | None = None
        self._down = False

    # -- up ---------------------------------------------------------------------------------------------

    def up(self) -> State:
        """Everything started, in the order compose.yaml gives (stores, migrations, then the processes), as much
        at once as the order allows: collectstatic (the image's build step) runs beside migrate, the seed and the
        workers; the web nodes start once it is done (whitenoise reads the static files at start)."""
        import atexit

        if not self.detach:
            atexit.register(self.down)
        started = time.monotonic()
        timings: dict[str, float] = {}

        def took(name: str, since: float) -> float:
            timings[name] = round(time.monotonic() - since, 1)
            return time.monotonic()

        try:
            step = self._configure()
            self._stores()
            step = took("database, broker, S3, SMTP", step)
            collect = self._one_shot(
                "collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], background=True
            )
            self._one_shot("migrate", [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"])
            step = took("migrate", step)
            self._seed()
            step = took("seed (customers, staff users)", step)
            self._start_workers()
            if collect.wait(600) != 0:
                raise ClusterError("collectstatic failed\n" + self.parts["collectstatic"].tail())
            step = took("collectstatic (waited for, after the seed)", step)
            self._start_web()
            self._wait_ready()
            took("web nodes UP in haproxy, /readyz 200", step)
        except BaseException:
            self.down(keep_run_dir=bool(os.environ.get("CLUSTER_KEEP")))
            raise
        took("setup total", started)
        self.state.setup_seconds = timings
        self.save()
        return self.state

    def _configure(self) -> float:
        run = self.run_dir
        for sub in ("logs", "var", "static", "mail"):
            (run / sub).mkdir(parents=True, exist_ok=True)
        database = f"{DATABASE_PREFIX}_{secrets.token_hex(4)}"
        balancer_port, web_ports = free_port(), [free_port(), free_port()]
        site_url = f"https://{SITE_NAME}:{balancer_port}"
        moto_port, smtp_port = free_port(), free_port()
        database_url = urlsplit(self.postgres_url)._replace(path=f"/{database}").geturl()
        env = self._environment(
            database_url=database_url,
            site_url=site_url,
            s3_endpoint=f"http://127.0.0.1:{moto_port}",
            smtp_port=smtp_port,
        )
        self.state = State(
            run_dir=str(run),
            database=database,
            postgres_url=self.postgres_url,
            broker_url=self.broker_url,
            site_url=site_url,
            balancer_port=balancer_port,
            web_ports=web_ports,
            s3_endpoint=f"http://127.0.0.1:{moto_port}",
            smtp_port=smtp_port,
            env=env,
        )
        CURRENT.write_text(str(run))
        self.save()
        return time.monotonic()

    def _stores(self) -> None:
        run, state = self.run_dir, self.state
        _make_certificate(run)
        create_database(self.postgres_url, state.database)
        purge_queues(self.broker_url)
        moto_port = urlsplit(state.s3_endpoint).port
        self._part("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(moto_port)], env=_base_env()).start()
        self._part(
            "smtp",
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "smtp-sink",
                "--port",
                str(state.smtp_port),
                "--out",
                str(run / "mail"),
            ],
            env=_base_env(),
        ).start()
        self._remember()
        _wait_port(moto_port, what="moto (S3)", logs=[self.parts["s3"]])
        _make_bucket(state.s3_endpoint)

    def _seed(self) -> None:
        password = secrets.token_urlsafe(12) + "-Aa1!"
        seed_file = self.run_dir / "seed.json"
        self._one_shot(
            "seed",
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "seed",
                "--requests",
                str(self.requests),
                "--staff",
                str(max(Drive.VERIFIERS, Drive.SUPERVISORS)),
                "--out",
                str(seed_file),
            ],
            extra_env={PASSWORD_ENV: password},
        )
        self.state.seed = json.loads(seed_file.read_text()) | {"password": password}

    def _environment(self, *, database_url: str, site_url: str, s3_endpoint: str, smtp_port: int) -> dict:
        """The image's environment (compose.yaml's x-app-environment), production values throughout."""
        run = self.run_dir
        return _base_env() | {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": SITE_NAME,
            "DJANGO_CSRF_TRUSTED_ORIGINS": site_url,
            "DJANGO_SECURE_SSL_REDIRECT": "true",
            "SITE_URL": site_url,
            "TRUSTED_PROXY_COUNT": "1",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": self.broker_url,
            "DOCUMENTS_S3_BUCKET": S3_BUCKET,
            "DOCUMENTS_S3_ENDPOINT_URL": s3_endpoint,
            "DOCUMENTS_S3_REGION": S3_REGION,
            "DOCUMENTS_S3_ACCESS_KEY_ID": S3_KEY,
            "DOCUMENTS_S3_SECRET_ACCESS_KEY": S3_SECRET,
            "AUDIT_ANCHOR_SINK": f"file://{run / 'var' / 'audit-anchors.jsonl'}",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "DEFAULT_FROM_EMAIL": "Àrea Clients <no-reply@cluster.test>",
            "BACKOFFICE_VAR_DIR": str(run / "var"),
            "DJANGO_STATIC_ROOT": str(run / "static"),
            "HEARTBEAT_INTERVAL": str(HEARTBEAT_INTERVAL),
            "READY_HEARTBEAT_MAX_AGE": str(READY_HEARTBEAT_MAX_AGE),
            "OMP_THREAD_LIMIT": "1",
            # Two nodes on one 2-core machine: 2 workers of 2 threads each (the image's default is 2 x cores + 1).
            "GUNICORN_WORKERS": "2",
            "LOG_LEVEL": "INFO",
        }

    def _part(self, name: str, args: list[str], *, env: dict | None = None) -> Part:
        part = Part(args, env=env if env is not None else self.state.env, log=self.run_dir / "logs" / f"{name}.log")
        self.parts[name] = part
        return part

    def _one_shot(self, name: str, args: list[str], *, background: bool = False, extra_env: dict | None = None):
        part = self._part(name, args, env=self.state.env | (extra_env or {})).start()
        if background:
            return part.popen
        if part.popen.wait(600) != 0:
            raise ClusterError(f"{name} failed\n" + part.tail())
        return part.popen

    def web_args(self, port: int) -> list[str]:
        return [str(BIN / "gunicorn"), "backoffice.wsgi", "--bind", f"127.0.0.1:{port}"]

    def worker_args(self, queue: str) -> list[str]:
        return [
            str(BIN / "celery"),
            "-A",
            "backoffice",
            "worker",
            "-Q",
            queue,
            "-c",
            "1",
            "-n",
            f"{queue}@%h",
            "-l",
            "info",
        ]

    def _start_workers(self) -> None:
        for queue in QUEUES:
            self._part(f"worker-{queue}", self.worker_args(queue)).start()
        self._part(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "backoffice",
                "beat",
                "-l",
                "info",
                "-s",
                str(self.run_dir / "var" / "celerybeat-schedule"),
            ],
        ).start()
        self._part("relay", [sys.executable, "manage.py", "relay_outbox"]).start()
        self._remember()

    def _start_web(self) -> None:
        state, run = self.state, self.run_dir
        for n, port in enumerate(state.web_ports, 1):
            self._part(f"web{n}", self.web_args(port)).start()
        (run / "haproxy.cfg").write_text(haproxy_config(state, run))
        check = subprocess.run(["haproxy", "-c", "-f", str(run / "haproxy.cfg")], capture_output=True, text=True)
        if check.returncode:
            raise ClusterError(f"haproxy refuses its configuration:\n{check.stdout}{check.stderr}")
        self._part("haproxy", ["haproxy", "-db", "-f", str(run / "haproxy.cfg")], env=_base_env()).start()
        self._remember()

    def _remember(self) -> None:
        """The process groups, saved at once: `down` (in this process or another) finds them even if this process
        dies. Parts this process started replace their earlier entries; the others' entries are kept."""
        for name, part in self.parts.items():
            if part.alive():
                self.state.groups[name] = part.pid
            elif self.state.groups.get(name) == part.pid:
                del self.state.groups[name]
        self.save()

    def _wait_ready(self, timeout: float = 240) -> None:
        started = time.monotonic()
        _wait(
            self.balancer_serving,
            timeout=timeout,
            what="both web nodes UP in haproxy",
            logs=self._logs("haproxy", "web1", "web2"),
        )
        client = Client(self.state)
        body: dict = {}

        def ready() -> bool:
            # Both nodes serving before and after: a node whose first requests were slow (its workers still loading
            # the application) can fail haproxy's check meanwhile and be taken out of rotation for a few seconds.
            nonlocal body
            response = client.get("/readyz", record=False)
            body = _json_or_text(response)
            return response.status_code == 200 and self.balancer_serving()

        try:
            _wait(
                ready,
                timeout=max(30.0, timeout - (time.monotonic() - started)),
                what="/readyz 200",
                logs=self._logs("worker-celery", "worker-ocr", "worker-mail", "beat"),
            )
        except ClusterError as error:
            raise ClusterError(f"{error}\nlast /readyz: {body}") from None

    def balancer_status(self) -> dict[str, str]:
        """haproxy's view of the web nodes (its stats socket): {"web1": "UP", "web2": "DOWN", ...}."""
        return {name: status for name, (status, _) in balancer_checks(self.run_dir).items()}

    def balancer_serving(self) -> bool:
        """Both web nodes UP on a passed health check. haproxy starts its servers UP before checking them (check
        status INI); a node still loading the application then fails its first check and goes DOWN."""
        return all(status == "UP" and check == "L7OK" for status, check in balancer_checks(self.run_dir).values())

    def _logs(self, *names: str) -> list[Part]:
        return [self.parts[name] for name in names if name in self.parts]

    def save(self) -> None:
        if self.state is not None:
            (self.run_dir / "state.json").write_text(json.dumps(asdict(self.state), indent=1))

    @classmethod
    def attach(cls, run_dir: str | Path | None = None) -> Cluster:
        """The cluster a detached `up` left running (its run dir, or the last one started)."""
        run_dir = Path(run_dir or (CURRENT.read_text().strip() if CURRENT.exists() else ""))
        if not (run_dir / "state.json").exists():
            raise ClusterError(f"no cluster state in {run_dir!s}: start one with `up`")
        cluster = cls(run_dir=run_dir, detach=True)
        cluster.state = State(**json.loads((run_dir / "state.json").read_text()))
        cluster.requests = len(cluster.state.seed.get("slots", []))
        return cluster

    # -- restarts (the drive's faults) ------------------------------------------------------------------

    def kill(self, name: str) -> None:
        """SIGKILL to the part's process group (started by this process or by an earlier `up`)."""
        part = self.parts.get(name)
        pgid = self.state.groups.pop(name, None)
        if part is not None and part.alive():
            part.kill()
        elif pgid is None or not _signal_group(pgid, signal.SIGKILL):
            raise ClusterError(f"{name} is not running")
        self.save()
        say(f"SIGKILL {name}")

    def restart(self, name: str) -> None:
        if name.startswith("web"):
            args = self.web_args(self.state.web_ports[int(name[3:]) - 1])
        elif name.startswith("worker-"):
            args = self.worker_args(name.removeprefix("worker-"))
        else:
            raise ValueError(name)
        self._part(name, args).start()
        self._remember()
        say(f"restarted {name}")

    # -- down -------------------------------------------------------------------------------------------

    def down(self, *, keep_run_dir: bool = False) -> None:
        if self._down:
            return
        self._down = True
        # Every process group at once (the ones `up` saved and the ones this process started), each given 20 s for
        # a warm shutdown, then the database and the broker's queues.
        popens = {part.pid: part.popen for part in self.parts.values() if part.popen is not None}
        pgids = set(self.state.groups.values() if self.state else ()) | set(popens)
        threads = [
            threading.Thread(target=stop_group, args=(pgid,), kwargs={"timeout": 20, "popen": popens.get(pgid)})
            for pgid in pgids
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if self.state is not None:
            try:
                drop_database(self.state.postgres_url, self.state.database)
            except Exception as error:  # noqa: BLE001 -- said, and the cleaning goes on
                say(f"could not drop database {self.state.database}: {error}")
            try:
                purge_queues(self.state.broker_url)
            except Exception as error:  # noqa: BLE001 -- said, and the cleaning goes on
                say(f"could not purge the broker's queues: {error}")
        if not keep_run_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            if CURRENT.exists() and CURRENT.read_text().strip() == str(self.run_dir):
                CURRENT.unlink(missing_ok=True)

    def __enter__(self) -> Cluster:
        self.up()
        return self

    def __exit__(self, *exc) -> None:
        self.down()

    # -- drive ------------------------------------------------------------------------------------------

    def drive(self, *, chaos: bool = True, count: int | None = None) -> Report:
        return Drive(self, chaos=chaos, count=count).run()


# -- pieces of setup ---------------------------------------------------------------------------------------


def _base_env() -> dict:
    """What any process gets from the machine; everything else is the deployment's own (like a container's)."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ", "USER")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _make_certificate(run: Path) -> None:
    """A self-signed certificate for the site's name (and 127.0.0.1), made now, valid for a day."""
    key, cert = run / "tls.key", run / "tls.crt"
    done = subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            f"/CN={SITE_NAME}",
            "-addext",
            f"subjectAltName=DNS:{SITE_NAME},IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise ClusterError(f"openssl failed: {done.stderr}")
    (run / "tls.pem").write_text(cert.read_text() + key.read_text())
    os.chmod(run / "tls.pem", 0o600)


def _connect_admin(postgres_url: str):
    import psycopg

    return psycopg.connect(postgres_url, autocommit=True, connect_timeout=10)


def create_database(postgres_url: str, name: str) -> None:
    with _connect_admin(postgres_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(postgres_url: str, name: str) -> None:
    with _connect_admin(postgres_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def purge_queues(broker_url: str) -> dict[str, int]:
    """Empty the Celery queues (a run never inherits the messages of another)."""
    import kombu

    purged = {}
    with kombu.Connection(broker_url, connect_timeout=10) as connection:
        connection.ensure_connection(max_retries=3)
        for queue in QUEUES:
            channel = connection.channel()
            try:
                purged[queue] = channel.queue_purge(queue) or 0
            except connection.channel_errors:
                purged[queue] = 0  # no such queue yet
            finally:
                try:
                    channel.close()
                except Exception:  # noqa: BLE001 -- closed by the server after a channel error
                    pass
    return purged


def _s3(endpoint: str):
    import boto3

    return boto3.client(
        "s3", endpoint_url=endpoint, region_name=S3_REGION, aws_access_key_id=S3_KEY, aws_secret_access_key=S3_SECRET
    )


def _make_bucket(endpoint: str) -> None:
    _s3(endpoint).create_bucket(Bucket=S3_BUCKET)


def _wait_port(port: int, *, what: str, logs=(), timeout: float = 60) -> None:
    def open_() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    _wait(open_, timeout=timeout, what=what, logs=logs)


def _wait(condition, *, timeout: float, what: str, logs=(), every: float = 0.3) -> float:
    started, last_error = time.monotonic(), ""
    while time.monotonic() - started < timeout:
        try:
            if condition():
                return time.monotonic() - started
        except Exception as error:  # noqa: BLE001 -- not yet
            last_error = f" (last error: {type(error).__name__}: {error})"
        time.sleep(every)
    raise ClusterError(f"{what}: not within {timeout:.0f} s{last_error}\n" + "\n".join(log.tail(40) for log in logs))


def haproxy_config(state: State, run: Path) -> str:
    """TLS in front, two web nodes behind, checked on /healthz; a request whose connection to a node fails is
    retried (3 times) on another node (``option redispatch 1``: at each retry, not only the last)."""
    servers = "\n".join(f"    server web{n} 127.0.0.1:{port} check" for n, port in enumerate(state.web_ports, 1))
    return f"""# Made by scripts/cluster.py for one run.
global
    log stdout format raw local0 info
    stats socket {run / "haproxy.sock"} mode 600 level admin
    maxconn 1024

defaults
    mode http
    log global
    option httplog
    option forwardfor
    timeout connect 2s
    timeout client 200s
    timeout server 200s
    timeout http-request 30s
    timeout http-keep-alive 5s
    timeout check 5s
    retries 3
    option redispatch 1

frontend site
    bind 127.0.0.1:{state.balancer_port} ssl crt {run / "tls.pem"}
    http-request set-header X-Forwarded-Proto https
    http-request set-header X-Request-ID %[uuid()] unless {{ req.hdr(X-Request-ID) -m found }}
    default_backend web

backend web
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host {SITE_NAME}
    http-check expect status 200
    default-server inter 1s fall 3 rise 2
{servers}
"""


def balancer_checks(run: Path) -> dict[str, tuple[str, str]]:
    """{"web1": ("UP", "L7OK"), ...}: each node's state (UP or DOWN, whatever its way there: "UP 1/3" is UP,
    going down) and its last check's result ("* " marks a check under way)."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(5)
        sock.connect(str(run / "haproxy.sock"))
        sock.sendall(b"show stat\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    lines = data.decode().splitlines()
    header = lines[0].lstrip("# ").split(",")
    rows = [dict(zip(header, line.split(","))) for line in lines[1:] if line.strip()]
    return {
        row["svname"]: (row["status"].split()[0], row["check_status"].lstrip("* "))
        for row in rows
        if row["pxname"] == "web" and row["svname"].startswith("web")
    }


def _json_or_text(response) -> dict:
    try:
        return response.json()
    except ValueError:
        return {"text": response.text[:300]}


# -- HTTP clients ----------------------------------------------------------------------------------------


def _loopback_adapter():
    """A requests adapter that connects to 127.0.0.1 for the site's name: the certificate, SNI, Host header
    and cookies are the name's, as for a browser whose DNS answers 127.0.0.1."""
    import requests.adapters
    from urllib3.connection import HTTPSConnection
    from urllib3.connectionpool import HTTPSConnectionPool

    class Connection(HTTPSConnection):
        def _new_conn(self):
            name = self._dns_host  # urllib3 keeps the host here: the Host header, SNI and the certificate check use it
            if name != SITE_NAME:
                return super()._new_conn()
            self._dns_host = "127.0.0.1"
            try:
                return super()._new_conn()
            finally:
                self._dns_host = name

    class Pool(HTTPSConnectionPool):
        ConnectionCls = Connection

    class Adapter(requests.adapters.HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {**self.poolmanager.pool_classes_by_scheme, "https": Pool}

    return Adapter(pool_connections=4, pool_maxsize=4, max_retries=0)


@dataclass
class Hit:
    at: float  # monotonic
    method: str
    path: str
    status: int  # 0: no answer at all (connection refused, reset, timeout)
    who: str
    said: str = ""  # a 5xx: who answered it (haproxy, or our page's failure code) and the first words of its body


class Journal:
    """Every HTTP answer users got, shared by all clients."""

    def __init__(self):
        self.hits: list[Hit] = []
        self._lock = threading.Lock()

    def add(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def errors(self) -> list[Hit]:
        with self._lock:
            return [hit for hit in self.hits if hit.status >= 500 or hit.status == 0]


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TITLE = re.compile(r"<title>(.*?)</title>|<h1>(.*?)</h1>", re.S)


def _said(response) -> str:
    """Who gave a 5xx: haproxy's own page (no node answered in time), or ours (its failure code, when the
    application named a part being down, and the page's title)."""
    code = response.headers.get("X-Failure-Code", "")
    found = TITLE.search(response.text[:4000])
    title = " ".join((found.group(1) or found.group(2)).split()) if found else response.text[:80].strip()
    if "X-Request-ID" not in response.headers:  # our middleware echoes it on every answer, error pages too
        return f"haproxy: {title}"
    return f"app{' ' + code if code else ''}: {title}"


class Client:
    """One person's browser: a requests.Session with its cookies, forms posted with their CSRF token and the
    Origin and Referer a browser sends, redirects followed, every answer noted in the journal."""

    def __init__(self, state: State, *, who: str = "probe", journal: Journal | None = None):
        import requests

        self.base, self.who, self.journal = state.site_url, who, journal
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy and no CA bundle from the environment: the balancer, its certificate
        self.session.verify = str(Path(state.run_dir) / "tls.crt")
        self.session.mount("https://", _loopback_adapter())
        self.session.headers["Accept-Language"] = "en"
        self.last_url = self.base + "/"

    def request(self, method: str, path: str, *, record: bool = True, timeout: float = 120, **kwargs):
        import requests

        url = urljoin(self.base, path)
        headers = kwargs.pop("headers", {})
        if method == "POST":
            headers |= {"Origin": self.base, "Referer": self.last_url}
        for _ in range(10):
            try:
                response = self.session.request(
                    method, url, headers=headers, timeout=timeout, allow_redirects=False, **kwargs
                )
            except requests.RequestException:
                if record and self.journal is not None:
                    self.journal.add(Hit(time.monotonic(), method, urlsplit(url).path, 0, self.who))
                raise
            if record and self.journal is not None:
                said = _said(response) if response.status_code >= 500 else ""
                self.journal.add(
                    Hit(time.monotonic(), method, urlsplit(url).path, response.status_code, self.who, said)
                )
            if response.is_redirect:
                url, method, kwargs, headers = urljoin(url, response.headers["Location"]), "GET", {}, {}
                continue
            if method == "GET" and response.status_code < 400:
                self.last_url = url
            response.final_path = urlsplit(url).path
            return response
        raise ClusterError(f"too many redirects from {path}")

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs):
        return self.request("POST", path, data=data, **kwargs)

    def form_token(self, html: str) -> str:
        found = CSRF.search(html)
        if not found:
            raise ClusterError(f"{self.who}: no CSRF token on the page {self.last_url}")
        return found.group(1)


def totp(secret_b32: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> tuple[str, int]:
    """RFC 6238 (what an authenticator app shows): the code and its time step."""
    key = base64.b32decode(secret_b32.replace(" ", "").upper())
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{number:0{digits}d}", counter


# -- the drive ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    slot: int
    reference: str = ""
    sha256: str = ""
    seconds: float = 0.0  # from the customer's login to "applied" on their page
    error: str = ""
    retried: int = 0  # steps the customer did again after a 5xx or a broken connection


@dataclass
class Fault:
    part: str
    killed_at: float = 0.0
    down_at: float = 0.0  # haproxy marked the node down (web nodes)
    restarted_at: float = 0.0
    recovered_at: float = 0.0
    note: str = ""
    restarted_wall: float = 0.0  # time.time() of the restart, to read the restarted process's log
    log_offset: int = 0  # its log's size then

    @property
    def recovery(self) -> float:
        return self.recovered_at - self.restarted_at if self.recovered_at else float("nan")


@dataclass
class Report:
    setup: dict
    outcomes: list[Outcome]
    decisions: dict  # reference -> {"verify": staff user, "second_approval": staff user}
    drive_seconds: float
    faults: list[Fault]
    errors: list[Hit]
    failover_errors: list[Hit]
    readyz: list[tuple[float, int, list[str]]]
    check: dict
    problems: list[str]
    mails: int

    def summary(self) -> str:
        times = sorted(o.seconds for o in self.outcomes if not o.error)
        lines = ["setup:"] + [f"  {name}: {seconds} s" for name, seconds in self.setup.items()]
        lines.append(f"drive: {len(self.outcomes)} requests, {len(times)} applied, in {self.drive_seconds:.1f} s")
        if times:
            lines.append(
                f"  per request (login to applied): p50 {_percentile(times, 50):.1f} s, p95 {_percentile(times, 95):.1f} s, "
                f"max {times[-1]:.1f} s"
            )
        seconds = sum(1 for d in self.decisions.values() if "second_approval" in d)
        lines.append(
            f"  second approvals: {seconds}; steps customers did again: {sum(o.retried for o in self.outcomes)}; "
            f"e-mails received by the SMTP server: {self.mails}"
        )
        for fault in self.faults:
            if fault.killed_at:
                lines.append(
                    f"  {fault.part}: SIGKILL, restarted {fault.restarted_at - fault.killed_at:.1f} s later; {fault.note}"
                )
            else:
                lines.append(f"  {fault.part}: {fault.note}")
        lines.append(
            f"  HTTP 5xx or no answer seen by users: {len(self.errors)}, of which during the web node's fail-over: "
            f"{len(self.failover_errors)}"
        )
        red = [sample for sample in self.readyz if sample[1] != 200]
        lines.append(
            f"  /readyz sampled {len(self.readyz)} times, 503 {len(red)} times ("
            + ", ".join(f"{name} {count}" for name, count in _failing_counts(red).items())
            + ")"
        )
        lines.append("problems: " + ("none" if not self.problems else "\n  - " + "\n  - ".join(self.problems)))
        return "\n".join(lines)


def _first_task_done(log: Path, offset: int) -> float | None:
    """When the worker whose output starts at ``offset`` of ``log`` finished its first task (JSON log lines)."""
    from datetime import datetime

    with open(log, "rb") as handle:
        handle.seek(offset)
        for raw in handle:
            line = raw.decode(errors="replace")
            if '"celery.app.trace"' in line and " succeeded in " in line:
                try:
                    stamp = json.loads(line)["timestamp"]
                except (ValueError, KeyError):
                    continue
                return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    return None


def _failing_counts(samples) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, _, failing in samples:
        for name in failing:
            counts[name] = counts.get(name, 0) + 1
    return counts


def _percentile(values: list[float], pct: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


REFERENCE_PATH = re.compile(r"^/requests/(?P<reference>[A-Z]{2}-[0-9A-Z]+)/$")
REQUEST_LINK = re.compile(r'href="(/requests/[A-Z]{2}-[0-9A-Z]+/)"')
TIMELINE_KIND = re.compile(r'<tr data-kind="([a-z_]+)"')
TASK_LINK = re.compile(r'href="(/staff/workflow/flows/[a-z]+/\d+/(verify|second_approval)/\d+/)"')
TASK_REFERENCE = re.compile(r'class="vw-title__reference"[^>]*>\s*([A-Z]{2}-[0-9A-Z]+)\s*<')


class Drive:
    """The users: customers (a few at a time, one browser each) and staff (two verifiers and a supervisor working
    the staff queue as it fills), while the faults thread kills and restarts a web node and the ocr worker."""

    VERIFIERS, SUPERVISORS = 2, 1

    def __init__(self, cluster: Cluster, *, chaos: bool, count: int | None):
        self.cluster, self.state, self.chaos = cluster, cluster.state, chaos
        self.slots = self.state.seed["slots"][: count or len(self.state.seed["slots"])]
        self.journal = Journal()
        self.faults: list[Fault] = []
        self.readyz: list[tuple[float, int, list[str]]] = []
        self.decisions: dict[str, dict] = {}
        self.submitted = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()  # the readyz watcher
        self._customers_done = threading.Event()  # the staff
        self.staff: list[Staff] = []
        self.started = 0.0
        self.deadline = 0.0  # the whole drive's: a stuck part fails it in minutes, not hours

    # -- the whole run ---------------------------------------------------------------------------------

    def run(self) -> Report:
        self.started = time.monotonic()
        self.deadline = self.started + max(600, 15 * len(self.slots))
        monitor = threading.Thread(target=self._watch_readyz, name="readyz", daemon=True)
        monitor.start()
        chaos = threading.Thread(target=self._faults, name="faults", daemon=True) if self.chaos else None
        if chaos:
            chaos.start()
        staff = [
            threading.Thread(target=self._staff_member, args=(account, "verify"), name=account["username"], daemon=True)
            for account in self.state.seed["verifiers"][: self.VERIFIERS]
        ]
        staff += [
            threading.Thread(
                target=self._staff_member, args=(account, "second_approval"), name=account["username"], daemon=True
            )
            for account in self.state.seed["supervisors"][: self.SUPERVISORS]
        ]
        for member in staff:
            member.start()
        with concurrent.futures.ThreadPoolExecutor(self.cluster.threads, thread_name_prefix="customer") as pool:
            outcomes = list(pool.map(self._customer, range(len(self.slots))))
        drive_seconds = time.monotonic() - self.started
        self._customers_done.set()
        for member in staff:
            member.join(timeout=60)
        if chaos:
            chaos.join(timeout=300)
        # After the drive: /readyz green again once the ocr worker is back (and its queue no longer late).
        ocr = next((fault for fault in self.faults if fault.part == "worker-ocr"), None)
        deadline = time.monotonic() + 120
        while ocr is not None and ocr.restarted_at and not ocr.recovered_at and time.monotonic() < deadline:
            time.sleep(0.5)
            self._recovered_ocr(ocr)
        if ocr is not None and ocr.restarted_at:
            # Two times: the worker working again (its first task done, read in its log), and /readyz 200 again, which
            # also needs the queue to be served within HEARTBEAT_INTERVAL again (the backlog of the dead time drained).
            first = _first_task_done(self.cluster.run_dir / "logs" / "worker-ocr.log", ocr.log_offset)
            ocr.note = (
                f"its first task done {first - ocr.restarted_wall:.1f} s after the restart"
                if first
                else "its first task after the restart not found in its log"
            )
            ocr.note += (
                f"; recovered (/readyz 200 again) {ocr.recovery:.1f} s after the restart"
                if ocr.recovered_at
                else "; /readyz never 200 again"
            )
        self._stop.set()
        monitor.join(timeout=15)
        check = self._check(outcomes)
        problems = self._problems(outcomes, check)
        errors = self.journal.errors()
        return Report(
            setup=self.state.setup_seconds,
            outcomes=outcomes,
            decisions=self.decisions,
            drive_seconds=drive_seconds,
            faults=self.faults,
            errors=errors,
            failover_errors=[hit for hit in errors if self._in_failover(hit)],
            readyz=self.readyz,
            check=check,
            problems=problems,
            mails=len(list((Path(self.state.run_dir) / "mail").glob("*.eml"))),
        )

    # -- customers -------------------------------------------------------------------------------------

    def _customer(self, index: int) -> Outcome:
        slot = self.slots[index]
        outcome = Outcome(slot=index)
        started = time.monotonic()
        try:
            user = Client(self.state, who=f"customer{index}", journal=self.journal)
            detail = self._customer_part(user, slot, outcome)
            self._wait_timeline(
                user, detail, outcome, lambda kinds: "applied" in kinds, what="the change to be applied", timeout=300
            )
        except Exception as error:  # noqa: BLE001 -- one request's failure is reported, the others go on
            outcome.error = f"{type(error).__name__}: {error}"[:2000]
            say(f"request {index} ({outcome.reference or 'not started'}) failed: {outcome.error[:300]}")
        outcome.seconds = time.monotonic() - started
        return outcome

    def _retrying(self, outcome: Outcome, action, *, done=None, what: str, attempts: int = 6):
        """Do ``action`` (returns a response); after a 5xx or no answer, look whether it happened anyway
        (``done()`` returns the page that shows it), as a person reloading the page would, and else do it again."""
        import requests

        last = None
        for attempt in range(attempts):
            try:
                response = action()
                if response.status_code < 500:
                    return response
                last = f"HTTP {response.status_code}"
            except requests.RequestException as error:
                last = f"{type(error).__name__}"
            outcome.retried += 1
            time.sleep(1 + attempt)
            if done is not None:
                try:
                    result = done()
                except requests.RequestException:
                    result = None
                if result is not None:
                    return result
        raise ClusterError(f"{what}: still failing after {attempts} tries ({last})")

    def _customer_part(self, user: Client, slot: dict, outcome: Outcome) -> str:
        """Log in, start the request, upload the scan, submit, wait for the pre-check. Returns the request's page."""
        password = self.state.seed["password"]

        def log_in():
            page = user.get("/login/")
            if page.status_code >= 500:
                return page
            return user.post(
                "/login/",
                {"csrfmiddlewaretoken": user.form_token(page.text), "id_number": slot["rep_nif"], "password": password},
            )

        response = self._retrying(outcome, log_in, what="customer login")
        if response.final_path != "/supplies/":
            raise ClusterError(
                f"the customer login ended on {response.final_path} ({response.status_code}): {_errors(response.text)}"
            )

        start_path = f"/customers/{slot['customer_id']}/requests/representative/"

        def start():
            page = user.get(start_path)
            if page.status_code >= 500:
                return page
            return user.post(
                start_path,
                {
                    "csrfmiddlewaretoken": user.form_token(page.text),
                    "new_id_number": slot["new_nif"],
                    "new_name": slot["new_name"],
                    "new_email": slot["new_email"],
                    "outgoing": "authorised_full",
                    "contact_email": slot["rep_email"],
                },
            )

        def started():  # the request list shows it when the start went through although its answer was lost
            found = REQUEST_LINK.search(user.get("/requests/").text)
            page = user.get(found.group(1)) if found else None
            return page if page is not None and page.status_code == 200 else None

        response = self._retrying(outcome, start, done=started, what="start the request")
        if not REFERENCE_PATH.match(response.final_path):
            # Started by a try whose answer was lost: the form refuses a second one and links the open request.
            found = REQUEST_LINK.search(response.text)
            if not found:
                raise ClusterError(
                    f"starting the request ended on {response.final_path} ({response.status_code}): "
                    f"{_errors(response.text)}"
                )
            response = user.get(found.group(1))
        outcome.reference = REFERENCE_PATH.match(response.final_path)["reference"]
        detail = response.final_path

        name, content = scanned_page(slot)
        outcome.sha256 = hashlib.sha256(content).hexdigest()

        def upload():
            page = user.get(detail)
            if page.status_code >= 500:
                return page
            return user.post(
                detail,
                {"csrfmiddlewaretoken": user.form_token(page.text), "action": "upload"},
                files={"files": (name, content, "image/png")},
            )

        def uploaded():
            page = user.get(detail)
            return page if page.status_code == 200 and name in page.text else None

        response = self._retrying(outcome, upload, done=uploaded, what="upload")
        if name not in response.text or 'value="submit"' not in response.text:
            raise ClusterError(f"the upload of {name} did not show on the request's page: {_errors(response.text)}")

        def submit():
            page = user.get(detail)
            if page.status_code >= 500:
                return page
            return user.post(detail, {"csrfmiddlewaretoken": user.form_token(page.text), "action": "submit"})

        def submitted():
            page = user.get(detail)
            return page if page.status_code == 200 and 'value="submit"' not in page.text else None

        response = self._retrying(outcome, submit, done=submitted, what="submit")
        if 'value="submit"' in response.text:
            raise ClusterError(f"the documents were not submitted: {_errors(response.text)}")
        with self._lock:
            self.submitted += 1
        # The pre-check: the page's timeline reaches "under review" (or a step after it).
        self._wait_timeline(
            user,
            detail,
            outcome,
            lambda kinds: bool({"under_review", "second_approval", "applied"} & set(kinds)),
            what="the pre-check to finish",
            timeout=420,
        )
        return detail

    def _wait_timeline(
        self, user: Client, detail: str, outcome: Outcome, condition, *, what: str, timeout: float
    ) -> list[str]:
        import requests

        deadline = min(time.monotonic() + timeout, self.deadline)
        kinds: list[str] = []
        while time.monotonic() < deadline:
            try:
                page = user.get(detail)
                if page.status_code < 500:
                    kinds = TIMELINE_KIND.findall(page.text)
                    if condition(kinds):
                        return kinds
                else:
                    outcome.retried += 1
            except requests.RequestException:
                outcome.retried += 1
            time.sleep(1.0)
        raise ClusterError(f"{outcome.reference}: waited {timeout:.0f} s for {what}; the timeline says {kinds}")

    # -- staff -------------------------------------------------------------------------------------------

    def _staff_member(self, account: dict, node: str) -> None:
        """Work the staff queue until the customers are done: the tasks already assigned to me first (a decision
        whose answer was lost), then the queue's, each taken, read and approved."""
        import requests

        staff = Staff(self, account)
        self.staff.append(staff)
        while not self._customers_done.is_set():
            try:
                if not staff.logged_in:
                    staff.log_in()
                if not staff.work(node):
                    time.sleep(1.0)
            except (requests.RequestException, ClusterError) as error:
                staff.trouble.append(f"{type(error).__name__}: {error}"[:300])
                time.sleep(1.0)
            except Exception as error:  # noqa: BLE001 -- a bug here must not hang the drive: noted, then reported
                staff.trouble.append(f"{type(error).__name__}: {error}"[:300])
                self.faults.append(Fault(part=account["username"], note=f"failed: {error}"))
                return

    def decided(self, reference: str, node: str, username: str) -> None:
        with self._lock:
            self.decisions.setdefault(reference, {})[node] = username

    # -- faults ----------------------------------------------------------------------------------------------

    def _wait_submitted(self, count: int) -> None:
        while not self._customers_done.is_set():
            with self._lock:
                if self.submitted >= count:
                    return
            time.sleep(0.2)

    def _faults(self) -> None:
        n = len(self.slots)
        try:
            self._wait_submitted(max(1, n // 5))
            self._kill_web("web1")
            self._wait_submitted(max(2, n * 2 // 5))
            self._kill_ocr()
        except Exception as error:  # noqa: BLE001 -- reported as a problem
            self.faults.append(Fault(part="faults", note=f"failed: {error}"))
            say(f"the faults thread failed: {error}")

    def _kill_web(self, name: str) -> None:
        fault = Fault(part=name)
        self.faults.append(fault)
        fault.killed_at = time.monotonic()
        self.cluster.kill(name)
        _wait(
            lambda: self.cluster.balancer_status().get(name) != "UP",
            timeout=30,
            what=f"haproxy to mark {name} down",
            every=0.1,
        )
        fault.down_at = time.monotonic()
        fault.note = f"haproxy marked it DOWN {fault.down_at - fault.killed_at:.1f} s after the kill"
        time.sleep(max(0.0, 5 - (time.monotonic() - fault.killed_at)))
        fault.restarted_at = time.monotonic()
        self.cluster.restart(name)
        _wait(
            lambda: self.cluster.balancer_status().get(name) == "UP",
            timeout=180,
            what=f"{name} UP again in haproxy",
            logs=self.cluster._logs(name),
            every=0.2,
        )
        fault.recovered_at = time.monotonic()
        fault.note += f"; recovered (UP in haproxy again) {fault.recovery:.1f} s after the restart"

    def _kill_ocr(self) -> None:
        fault = Fault(part="worker-ocr")
        self.faults.append(fault)
        fault.killed_at = time.monotonic()
        self.cluster.kill("worker-ocr")
        # Dead for the heartbeat's age limit and 6 s more, and until /readyz has been asked a few times since.
        earliest, deadline = (
            fault.killed_at + READY_HEARTBEAT_MAX_AGE + 6,
            fault.killed_at + READY_HEARTBEAT_MAX_AGE + 60,
        )
        while time.monotonic() < deadline:
            asked = [at for at, _, _ in self.readyz if at > fault.killed_at + READY_HEARTBEAT_MAX_AGE + 1]
            if time.monotonic() >= earliest and len(asked) >= 5:
                break
            time.sleep(0.5)
        log = self.cluster.run_dir / "logs" / "worker-ocr.log"
        fault.log_offset, fault.restarted_wall = log.stat().st_size if log.exists() else 0, time.time()
        fault.restarted_at = time.monotonic()
        self.cluster.restart("worker-ocr")

    def _recovered_ocr(self, fault: Fault) -> None:
        if fault.restarted_at and not fault.recovered_at:
            green = [at for at, status, _ in self.readyz if status == 200 and at > fault.restarted_at]
            if green:
                fault.recovered_at = green[0]

    def _watch_readyz(self) -> None:
        probe = Client(self.state, who="readyz")
        while not self._stop.is_set():
            try:
                response = probe.get("/readyz", record=False, timeout=10)
                body = _json_or_text(response)
                failing = sorted(name for name, check in (body.get("checks") or {}).items() if not check.get("ok"))
                self.readyz.append((time.monotonic(), response.status_code, failing))
            except Exception:  # noqa: BLE001 -- noted as no answer
                self.readyz.append((time.monotonic(), 0, ["no answer"]))
            ocr = next((fault for fault in self.faults if fault.part == "worker-ocr"), None)
            if ocr is not None:
                self._recovered_ocr(ocr)
            time.sleep(0.5)

    def _in_failover(self, hit: Hit) -> bool:
        """A 5xx (or no answer) while a killed web node's connections failed over: from the kill until haproxy
        marked it down, and 3 s more (answers to requests that were in flight on it)."""
        return any(
            fault.part.startswith("web") and fault.killed_at <= hit.at <= (fault.down_at or hit.at) + 3
            for fault in self.faults
        )

    # -- checks ----------------------------------------------------------------------------------------------

    def _check(self, outcomes: list[Outcome]) -> dict:
        expected = [
            {
                "reference": o.reference,
                "sha256": o.sha256,
                "customer_id": self.slots[o.slot]["customer_id"],
                "new_nif": self.slots[o.slot]["new_nif"],
                "rep_nif": self.slots[o.slot]["rep_nif"],
            }
            for o in outcomes
            if o.reference
        ]
        path = Path(self.state.run_dir) / "expected.json"
        path.write_text(json.dumps(expected))
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "check", "--expected", str(path)],
            cwd=ROOT,
            env=self.state.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            return {"error": f"check failed ({done.returncode}): {done.stderr[-3000:]}"}
        result = json.loads(done.stdout.strip().splitlines()[-1])
        audit = subprocess.run(
            [sys.executable, "manage.py", "verify_audit_chain"],
            cwd=ROOT,
            env=self.state.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        result["audit_chain"] = {"returncode": audit.returncode, "output": (audit.stdout + audit.stderr)[-2000:]}
        return result

    def _problems(self, outcomes: list[Outcome], check: dict) -> list[str]:
        problems = [f"request {o.slot} ({o.reference or 'not started'}): {o.error}" for o in outcomes if o.error]
        if "error" in check:
            return problems + [check["error"]]
        problems += check.get("problems", [])
        if check["audit_chain"]["returncode"] != 0:
            problems.append(f"verify_audit_chain failed: {check['audit_chain']['output']}")
        undecided = [
            o.reference for o in outcomes if o.reference and "verify" not in self.decisions.get(o.reference, {})
        ]
        if undecided:
            trouble = "; ".join(
                f"{member.account['username']}: {' / '.join(member.trouble[-3:])}"
                for member in self.staff
                if member.trouble
            )
            problems.append(
                f"requests no verifier approved through the staff pages: {undecided} (staff trouble: {trouble or 'none'})"
            )
        errors = self.journal.errors()
        outside = [hit for hit in errors if not self._in_failover(hit)]
        if outside:
            problems.append(
                f"{len(outside)} HTTP 5xx or unanswered requests outside the web node's fail-over: "
                + ", ".join(
                    f"{h.who} {h.method} {h.path} {h.status} at +{h.at - self.started:.1f} s"
                    + (f" ({h.said})" if h.said else "")
                    for h in outside[:10]
                )
            )
        broken = [fault for fault in self.faults if not fault.killed_at]
        if broken:
            problems.append("a thread of the drive failed: " + "; ".join(f"{f.part}: {f.note}" for f in broken))
        if self.chaos:
            ocr = next((fault for fault in self.faults if fault.part == "worker-ocr"), None)
            if ocr is None or not ocr.restarted_at:
                problems.append("the ocr worker was not killed and restarted")
            else:
                red = [
                    (at, status, failing)
                    for at, status, failing in self.readyz
                    if ocr.killed_at + READY_HEARTBEAT_MAX_AGE + 1 < at < ocr.restarted_at and status
                ]
                if len(red) < 3 or not all(status == 503 and "queue:ocr" in failing for _, status, failing in red):
                    problems.append(
                        f"/readyz while the ocr worker was dead (after {READY_HEARTBEAT_MAX_AGE} s) was not always "
                        f"503 naming queue:ocr: {[(round(at - ocr.killed_at, 1), s, f) for at, s, f in red][:10]}"
                    )
                if not ocr.recovered_at:
                    tail = [(round(at - ocr.restarted_at, 1), s, f) for at, s, f in self.readyz[-5:]]
                    problems.append(f"/readyz never answered 200 after the ocr worker's restart; last samples: {tail}")
            web = [fault for fault in self.faults if fault.part.startswith("web")]
            if not web or not all(fault.recovered_at for fault in web):
                problems.append("the web node was not killed and back UP in haproxy")
        return problems


class Staff:
    """A staff member with their own browser: the password, then the TOTP code (enrolled at the first login, as
    the pages ask), then the queue."""

    def __init__(self, drive: Drive, account: dict):
        self.drive, self.account = drive, account
        self.client = Client(drive.state, who=account["username"], journal=drive.journal)
        self.secret = ""
        self.logged_in = False
        self.last_step = -1
        self.trouble: list[str] = []

    def log_in(self) -> None:
        client, password = self.client, self.drive.state.seed["password"]
        page = client.get("/staff/login/")
        response = client.post(
            "/staff/login/",
            {
                "csrfmiddlewaretoken": client.form_token(page.text),
                "username": self.account["username"],
                "password": password,
            },
        )
        if response.final_path == "/staff/mfa/enrol/":
            self.secret = re.search(r"<code data-mfa-secret>([A-Z2-7 ]+)</code>", response.text).group(1)
        elif response.final_path != "/staff/mfa/verify/":
            raise ClusterError(
                f"the staff login ended on {response.final_path} ({response.status_code}): {_errors(response.text)}"
            )
        code, step = totp(self.secret)
        if step <= self.last_step:  # this window's code was used already: the next one (the device accepts it)
            code, step = totp(self.secret, at=time.time() + 30)
        self.last_step = step
        response = client.post(
            f"{response.final_path}?{urlsplit(response.url).query}",
            {"csrfmiddlewaretoken": client.form_token(response.text), "code": code},
        )
        if (
            response.status_code != 200
            or response.final_path in ("/staff/login/", "/staff/mfa/verify/")
            or 'name="code"' in response.text
        ):
            raise ClusterError(f"the second factor was refused for {self.account['username']} ({response.final_path})")
        self.logged_in = True

    def work(self, node: str) -> bool:
        """Decide one task of ``node``; False when there was none."""
        client = self.client
        page = client.get("/staff/workflow/inbox/")
        if page.final_path.startswith("/staff/login/"):
            self.logged_in = False
            return False
        mine = [link for link, kind in TASK_LINK.findall(page.text) if kind == node]
        for link in mine:  # assigned to me already (a decision whose answer was lost): decide it now
            if self.decide(link + "execute/", node):
                return True
        queue = client.get("/staff/workflow/queue/")
        tasks = [link for link, kind in TASK_LINK.findall(queue.text) if kind == node]
        if not tasks:
            return False
        link = random.choice(tasks[:5])  # colleagues work the same queue: not all on its first line
        assign = client.get(link + "assign/")
        if assign.status_code != 200 or "_continue" not in assign.text:
            return True  # taken by a colleague meanwhile
        response = client.post(
            link + "assign/", {"csrfmiddlewaretoken": client.form_token(assign.text), "_continue": "1"}
        )
        if response.status_code >= 500 or not response.final_path.endswith("/execute/"):
            return True  # the inbox shows it next time if it was assigned to me
        return self.decide(response.final_path, node, page=response)

    def decide(self, execute: str, node: str, page=None) -> bool:
        client = self.client
        page = page if page is not None else client.get(execute)
        field = "decision" if node == "verify" else "approve"
        if page.status_code != 200 or f'name="{field}"' not in page.text:
            return False
        found = TASK_REFERENCE.search(page.text)
        reference = found.group(1) if found else "?"
        data = (
            {"decision": "approve", "customer_message": "", "internal_note": "cluster drive"}
            if node == "verify"
            else {"approve": "yes"}
        )
        response = client.post(execute, {"csrfmiddlewaretoken": client.form_token(page.text), **data})
        if response.status_code < 400 and not response.final_path.endswith("/execute/"):
            self.drive.decided(reference, node, self.account["username"])
            return True
        if response.status_code < 500:
            raise ClusterError(
                f"{self.account['username']}: the decision on {reference} was refused ({response.status_code}): "
                f"{_errors(response.text)}"
            )
        return False


def _errors(html: str) -> str:
    found = re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', html, re.S) + re.findall(
        r'<li class="error">(.*?)</li>', html, re.S
    )
    return re.sub(r"<[^>]+>", " ", " | ".join(found))[:1000] or html[:600]


# -- documents -------------------------------------------------------------------------------------------


def scanned_page(slot: dict) -> tuple[str, bytes]:
    """A notary's power of attorney naming the customer and the new representative, as a scanner makes it: a grey,
    slightly soft 300-dpi PNG with no text layer (the pre-check reads it with Tesseract), the page cut below its
    last line (the closing boilerplate left out: each page costs the ocr worker about a second, not five)."""
    import numpy as np
    from PIL import Image, ImageFilter, ImageOps

    from tests.ocr.corpus import FILLER_CA, FILLER_ES, layout, make_facts, paragraphs, render_page

    facts = make_facts(random.Random(slot["index"]), "power_of_attorney", "es")
    facts.company_name, facts.company_cif = slot["customer_name"], slot["customer_cif"]
    facts.person_nif, facts.person_name = slot["new_nif"], slot["new_name"]
    lines = layout([p for p in paragraphs(facts) if p[1] not in (FILLER_ES, FILLER_CA)], facts.font, 300)[0]
    page = render_page(lines, facts.font, 300)
    width = page.size[0]
    # Cut below the text, but never to an identity card's proportions (1.45 to 1.9 wide for 1 high: read as a card).
    page = page.crop((0, 0, width, max(ImageOps.invert(page).getbbox()[3] + 120, int(width / 1.4))))
    paper = np.asarray(page.filter(ImageFilter.GaussianBlur(0.8)), np.float32) * (208 / 255) + 30
    buffer = io.BytesIO()
    Image.fromarray(paper.astype(np.uint8)).save(buffer, "PNG", dpi=(300, 300), optimize=True)
    return f"poder-{slot['index']:03d}.png", buffer.getvalue()


# -- sub-commands run inside the deployment's environment -------------------------------------------------


def _django() -> None:
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")
    import django

    django.setup()


def seed(requests: int, staff: int, out: Path) -> None:
    """Customers, each with a representative who can log in, and staff users (verifiers and supervisors) with
    the password in CLUSTER_PASSWORD and no second factor yet (they enrol at their first login)."""
    _django()
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.audit import Actor
    from accounts.models import Contract, Customer, Grant, Person, SupplyPoint, User
    from accounts.services import iban_fingerprint
    from backoffice.demo import FIRST_NAMES, PLACES, SURNAMES, TRADES, make_cif, make_cups, make_iban, make_nif
    from supervision import services as staff_services

    password = os.environ[PASSWORD_ENV]
    hashed = make_password(password)
    slots = []
    with transaction.atomic():
        for i in range(requests):
            name = f"{TRADES[i % len(TRADES)]} {PLACES[(i // len(TRADES)) % len(PLACES)]} {i + 1} S.L."
            customer = Customer.objects.create(kind="company", tax_id=make_cif("B", 3_100_000 + i), name=name)
            iban = make_iban(8_100_000 + i)
            contract = Contract.objects.create(
                customer=customer,
                number=f"C{i:08d}",
                energy="electricity",
                started_on=timezone.localdate().replace(year=2022, month=1, day=1),
                iban_last4=iban[-4:],
                iban_fingerprint=iban_fingerprint(iban),
            )
            SupplyPoint.objects.create(
                contract=contract,
                cups=make_cups(90_000_000 + i),
                address="Carrer Major 1",
                city="Girona",
                postcode="17001",
            )
            rep_nif = make_nif(61_000_000 + i)
            rep = Person.objects.create(
                id_type="nif",
                id_number=rep_nif,
                name=f"{FIRST_NAMES[i % 16]} {SURNAMES[i % 16]} Vidal",
                email=f"rep{i}@cluster.test",
                phone="600111222",
                language="ca",
                user=User.objects.create(username=rep_nif, password=hashed),
                email_confirmed_at=timezone.now(),
                identity_basis=Person.IdentityBasis.REGISTRATION,
            )
            Grant.objects.create(customer=customer, person=rep, role="representative")
            new_name = f"{FIRST_NAMES[(i + 3) % 16]} {SURNAMES[(i * 7 + 1) % 16]} {SURNAMES[(i * 5 + 2) % 16]}"
            slots.append(
                {
                    "index": i,
                    "customer_id": customer.pk,
                    "customer_name": name,
                    "customer_cif": customer.tax_id,
                    "rep_nif": rep_nif,
                    "rep_email": rep.email,
                    "new_nif": make_nif(71_000_000 + i),
                    "new_name": new_name,
                    "new_email": f"new{i}@cluster.test",
                }
            )
    accounts = {"verifiers": [], "supervisors": []}
    for group in accounts:
        for n in range(staff):
            username = f"{group[:-1]}{n + 1}"
            staff_services.create_staff_user(
                username=username,
                email=f"{username}@cluster.test",
                group=group,
                password=password,
                first_name=group[:-1].title(),
                last_name=str(n + 1),
                actor=Actor.system("cluster seed"),
            )
            accounts[group].append({"username": username})
    out.write_text(json.dumps({"slots": slots, **accounts}))


def check(expected_path: Path) -> dict:
    """What the database and the document store hold for each request the drive made (JSON on stdout)."""
    _django()
    from django.core.files.storage import storages

    from accounts.models import AuditEvent, Grant
    from documents.models import Document
    from workflows.models import RepresentativeChangeProcess

    problems, rows = [], []
    storage = storages["documents"]
    for item in json.loads(expected_path.read_text()):
        reference = item["reference"]
        process = RepresentativeChangeProcess.objects.filter(reference=reference).first()
        if process is None:
            problems.append(f"{reference}: no such request")
            continue
        # Applied exactly once: the new representative holds one grant (active), the outgoing one its revoked
        # representative grant and one active full-access grant, and the audit log holds that change once.
        new_grants = list(
            Grant.objects.filter(customer_id=item["customer_id"], person__id_number=item["new_nif"]).values_list(
                "pk", "role", "revoked_at"
            )
        )
        old_grants = sorted(
            (role, revoked is None)
            for role, revoked in Grant.objects.filter(
                customer_id=item["customer_id"], person__id_number=item["rep_nif"]
            ).values_list("role", "revoked_at")
        )
        events = sorted(
            AuditEvent.objects.filter(request_ref=reference, action__startswith="grant.").values_list(
                "action", "target_id"
            )
        )
        documents = list(Document.objects.filter(document_set__reference=reference, removed_at__isnull=True))
        stored = []
        for document in documents:
            with storage.open(document.file.name, "rb") as handle:
                stored.append(
                    {
                        "name": document.file.name,
                        "sha256_row": document.sha256,
                        "sha256_s3": hashlib.sha256(handle.read()).hexdigest(),
                    }
                )
        row = {
            "reference": reference,
            "outcome": process.outcome,
            "new_grants": [(pk, role, revoked is None) for pk, role, revoked in new_grants],
            "old_grants": old_grants,
            "grant_events": events,
            "documents": stored,
            "verdict": process.precheck.verdict if process.precheck_id else "",
        }
        rows.append(row)
        if process.outcome != "applied":
            problems.append(f"{reference}: outcome {process.outcome!r}, not applied")
        if len(new_grants) != 1 or new_grants[0][1] != "representative" or new_grants[0][2] is not None:
            problems.append(
                f"{reference}: the new representative's grants are {row['new_grants']} (expected one, active)"
            )
        if old_grants != [("authorised_full", True), ("representative", False)]:
            problems.append(
                f"{reference}: the outgoing representative's grants are {old_grants} (expected the revoked "
                "representative grant and one active full access)"
            )
        if [action for action, _ in events] != ["grant.create", "grant.create", "grant.revoke"] or (
            new_grants
            and str(new_grants[0][0]) not in [target for action, target in events if action == "grant.create"]
        ):
            problems.append(
                f"{reference}: grant events with its reference {events} (expected two creations, one of them the "
                "new representative's grant, and one revocation)"
            )
        if len(stored) != 1 or stored[0]["sha256_row"] != item["sha256"] or stored[0]["sha256_s3"] != item["sha256"]:
            problems.append(f"{reference}: documents {stored}, expected one with sha256 {item['sha256']}")
    return {"requests": rows, "problems": problems}


class _MailFiles(list):
    """SmtpServer's ``received`` list that also writes each e-mail to a file (another process counts them)."""

    def __init__(self, out: Path):
        super().__init__()
        self.out = out

    def append(self, item) -> None:
        super().append(item)
        recipients, body = item
        path = self.out / f"{len(self):05d}-{secrets.token_hex(3)}.eml"
        path.write_text(f"X-Recipients: {', '.join(recipients)}\n{body}")


def smtp_sink(port: int, out: Path) -> None:
    server = SmtpServer(port)
    server.received = _MailFiles(out)
    server.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop()


# -- command line ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="up, drive with the kills, check, down")
    up = commands.add_parser("up", help="start a cluster and leave it running")
    drive = commands.add_parser("drive", help="drive and check the running cluster")
    down = commands.add_parser("down", help="stop the running cluster and drop its database")
    for sub in (run, up):
        sub.add_argument("--requests", type=int, default=50)
        sub.add_argument("--threads", type=int, default=5)
    for sub in (run, drive):
        sub.add_argument("--no-chaos", action="store_true", help="no kills")
        sub.add_argument("--keep", action="store_true", help="keep the run's folder (logs) at the end")
    for sub in (drive, down):
        sub.add_argument("--run-dir", default=None)
    seed_cmd = commands.add_parser("seed")
    seed_cmd.add_argument("--requests", type=int, required=True)
    seed_cmd.add_argument("--staff", type=int, required=True)
    seed_cmd.add_argument("--out", type=Path, required=True)
    check_cmd = commands.add_parser("check")
    check_cmd.add_argument("--expected", type=Path, required=True)
    sink = commands.add_parser("smtp-sink")
    sink.add_argument("--port", type=int, required=True)
    sink.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    if args.command == "seed":
        seed(args.requests, args.staff, args.out)
        return 0
    if args.command == "check":
        print(json.dumps(check(args.expected)))
        return 0
    if args.command == "smtp-sink":
        smtp_sink(args.port, args.out)
        return 0
    if args.command == "down":
        Cluster.attach(args.run_dir).down()
        say("down")
        return 0
    if args.command == "up":
        cluster = Cluster(requests=args.requests, threads=args.threads, detach=True)
        state = cluster.up()
        say(
            f"up in {state.setup_seconds['setup total']} s: {state.site_url}/ (resolve {SITE_NAME} to 127.0.0.1; "
            f"certificate {state.run_dir}/tls.crt), logs in {state.run_dir}/logs; password {state.seed['password']}"
        )
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # atexit then stops everything
    cluster = (
        Cluster.attach(args.run_dir)
        if args.command == "drive"
        else Cluster(requests=args.requests, threads=args.threads)
    )
    try:
        if args.command == "run":
            cluster.up()
            say("up: " + ", ".join(f"{name} {seconds} s" for name, seconds in cluster.state.setup_seconds.items()))
        report = cluster.drive(chaos=not args.no_chaos)
        print(report.summary(), flush=True)
        return 1 if report.problems else 0
    finally:
        if args.command == "run":
            cluster.down(keep_run_dir=args.keep)


if __name__ == "__main__":
    sys.exit(main())
