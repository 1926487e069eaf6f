"""Real parts for the fault tests and ``benchmarks/fault_recovery.py``: a private Redis, small SMTP servers,
worker and relay processes sharing the test database, and a private PostgreSQL server (``PrivatePostgres``)
for the tests that stop the database itself. Each part can be stopped, restarted or frozen."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
REDIS_SERVER = "/usr/bin/redis-server"
RECOVERY_REPORT_ENV = "FAULTS_RECOVERY_REPORT"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout: float, what: str, logs=()) -> float:
    """Poll ``condition`` until true; returns the seconds it took. Fails with the processes' logs."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if condition():
            return time.monotonic() - start
        time.sleep(0.2)
    import pytest

    pytest.fail(f"{what}: not within {timeout} s\n" + "\n".join(log.tail() for log in logs))


def recovered(fault: str, seconds: float) -> None:
    """Note a time to recover (printed by benchmarks/fault_recovery.py)."""
    path = os.environ.get(RECOVERY_REPORT_ENV)
    if path:
        with open(path, "a") as report:
            report.write(f"{fault}\t{seconds:.1f}\n")


class Redis:
    """``redis-server`` without persistence on its own port: a restart loses every message."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def restart(self) -> None:
        self.stop()
        self.start()

    def pause(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def queued(self) -> int:
        """Messages waiting in the worker's queues."""
        import redis

        client = redis.Redis.from_url(self.url)
        return sum(client.llen(queue) for queue in ("celery", "ocr", "mail"))


class _SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        server: SmtpServer = self.server.owner
        if server.mode == "hang":
            server.stopped.wait(60)  # accepts, never says a word
            return
        self.say("220 faults ESMTP")
        recipients = []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.say("250 faults")
            elif verb == "MAIL":
                recipients = []
                self.say("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>")
                if address in server.refuse:
                    self.say("550 5.1.1 No such user here")
                else:
                    recipients.append(address)
                    self.say("250 OK")
            elif verb == "DATA":
                self.say("354 go ahead")
                body = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body += chunk
                server.received.append((recipients, body.decode(errors="replace")))
                self.say("250 queued")
            elif verb == "QUIT":
                self.say("221 bye")
                return
            else:
                self.say("250 OK")

    def say(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")


class SmtpServer:
    """A mail server on ``port``: "normal" records what it receives (refusing the addresses in ``refuse`` with
    550); "hang" accepts connections and never answers. Not started: the port is closed (the server is down)."""

    def __init__(self, port: int | None = None, *, mode: str = "normal", refuse: tuple = ()):
        self.port, self.mode, self.refuse = port or free_port(), mode, set(refuse)
        self.received: list[tuple[list[str], str]] = []
        self.stopped = threading.Event()
        self._server = None

    def start(self) -> None:
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), _SmtpHandler)
        self._server.daemon_threads = True
        self._server.owner = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.stopped.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def to(self, address: str) -> list[str]:
        return [body for recipients, body in self.received if address in recipients]


class Process:
    """A subprocess whose output goes to a file (a pipe nobody reads would block it)."""

    def __init__(self, args: list[str], *, env: dict, log: Path):
        self.args, self.env, self.log = args, env, log
        self.popen: subprocess.Popen | None = None

    def start(self) -> Process:
        with open(self.log, "a") as out:
            self.popen = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        return self

    @property
    def pid(self) -> int:
        return self.popen.pid

    def signal(self, number: int) -> None:
        os.kill(self.popen.pid, number)

    def children(self) -> list[int]:
        return children(self.pid)

    def stop(self, timeout: float = 15) -> None:
        if self.popen and self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)

    def tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.log.name} ---\n" + "\n".join(text.splitlines()[-lines:])


def worker(env: dict, log: Path, *, queues: str = "celery,ocr,mail", prefork: int = 0) -> Process:
    """A Celery worker: solo, or a prefork pool of ``prefork`` children (a child can then be killed)."""
    pool = ["--pool", "prefork", "-c", str(prefork)] if prefork else ["--pool", "solo"]
    return Process(
        [
            CELERY,
            "-A",
            "backoffice",
            "worker",
            "-Q",
            queues,
            *pool,
            "-l",
            "info",
            "-I",
            "tests.faults.poison",
            "-n",
            f"faults-{log.stem}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        log=log,
    )


def relay(env: dict, log: Path) -> Process:
    return Process([sys.executable, "manage.py", "relay_outbox", "--interval", "0.2"], env=env, log=log)


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "--ppid", str(pid), "-o", "pid="], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


class PrivatePostgres:
    """A PostgreSQL server of our own (``initdb`` into a temporary folder, trust authentication, a free port),
    to stop, crash and start again without touching the shared one. PostgreSQL refuses to run as root: as
    root, its files belong to the ``postgres`` user and its commands run as that user."""

    def __init__(self, port: int | None = None):
        import tempfile

        self.port = port or free_port()
        # Not under pytest's tmp_path: that folder is root's alone (0700), and the server runs as postgres.
        self.dir = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, cwd=self.dir, capture_output=True, text=True, timeout=timeout)
        if check and done.returncode:
            raise RuntimeError(
                f"{' '.join(args[:2])} failed ({done.returncode}): {done.stdout}{done.stderr}\n{self.tail()}"
            )
        return done

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start", timeout=90
        )

    def stop(self, mode: str = "fast") -> None:
        """``fast``: a clean shutdown (sessions ended); ``immediate``: a crash (recovery at the next start)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def crash(self) -> None:
        self.stop("immediate")

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def execute(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql)

    def query(self, sql: str, params=(), database: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(database), connect_timeout=5) as conn:
            return conn.execute(sql, params).fetchall()

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "--- postgres.log ---\n" + "\n".join(text.splitlines()[-lines:])

    def remove(self) -> None:
        if self.data.exists() and self.running():
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)
