"""Set-up shared by the benchmarks that run against their own PostgreSQL database."""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_portal"


def fail(message: str, code: int = 2) -> None:
    print(f"{Path(sys.argv[0]).stem}: {message}", file=sys.stderr)
    sys.exit(code)


def check_database_url(example: str = DEFAULT_DATABASE_URL) -> str:
    """DATABASE_URL, refused unless it names a PostgreSQL database other than the test suite's."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        fail(f"DATABASE_URL is not set. This benchmark needs PostgreSQL, e.g.\n  DATABASE_URL={example}")
    scheme = urlsplit(url).scheme.lower()
    if scheme.startswith("sqlite"):
        fail(
            "refusing to run on SQLite: the figures would say nothing about production. "
            f"Point DATABASE_URL at PostgreSQL, e.g. {example}"
        )
    if scheme not in {"postgres", "postgresql", "pgsql", "postgis"}:
        fail(f"DATABASE_URL must be a PostgreSQL URL, not {scheme}://")
    name = urlsplit(url).path.lstrip("/")
    if name == "test" or name.startswith("test_"):
        fail(f"refusing to write into {name!r}, the test suite's database; use e.g. {example}")
    return url


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` when the server does not have it yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    try:
        psycopg.connect(url, connect_timeout=5).close()
        return
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            fail(f"cannot connect to {parts.hostname}:{parts.port or 5432}: {error}")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"Created database {name}.")


def manage(env: dict[str, str], *args: str) -> tuple[float, str]:
    """Run ``manage.py`` with ``env``; (seconds, stdout), or fail with its output."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        fail(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(url: str, settings_module: str, **extra: str) -> dict[str, str]:
    """The environment for a benchmark's own Django processes: production-like (DEBUG off), quiet."""
    import secrets

    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_STATIC_MANIFEST": "false",  # no collectstatic here: {% static %} names the plain files
            # One machine on purpose: the embedded broker (unless the caller's environment names one), local documents,
            # links to 127.0.0.1, no proxy (backoffice/production.py refuses these unless allowed).
            "PRODUCTION_ALLOW_FILESYSTEM_BROKER": "true",
            "PRODUCTION_ALLOW_LOCAL_DOCUMENTS": "true",
            "PRODUCTION_ALLOW_INSECURE_SITE_URL": "true",
            "TRUSTED_PROXY_COUNT": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
    )
    return env


def open_session(user_id: int) -> str:
    """A logged-in session written straight to the session store, as ``django.contrib.auth.login`` would."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts.models import User

    user = User.objects.get(pk=user_id)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def close_sessions(keys: list[str]) -> None:
    """Delete the sessions ``open_session`` wrote; best effort (says so on stderr when it cannot)."""
    try:
        from django.contrib.sessions.models import Session

        Session.objects.filter(session_key__in=[k for k in keys if k]).delete()
    except Exception as error:  # noqa: BLE001 - clean-up must not hide the figures
        print(f"could not delete the benchmark sessions: {error}", file=sys.stderr)


@contextlib.contextmanager
def gunicorn_server(
    env: dict[str, str], app: str, *, workers: int, ready_path: str, worker_class: str = "sync", timeout: float = 60
):
    """gunicorn serving ``app`` on a free loopback port, up (``ready_path`` answers 200) until the block ends.

    Yields (process, port); fails with gunicorn's log if it exits or does not answer in time.
    """
    log = tempfile.NamedTemporaryFile("w+", prefix="bench_gunicorn_", suffix=".log", delete=False)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--chdir",
            str(BASE_DIR),
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if server.poll() is not None:
                fail(f"gunicorn exited with {server.returncode}:\n{Path(log.name).read_text()}")
            if time.monotonic() > deadline:
                fail(f"gunicorn did not answer within {timeout:.0f} s:\n{Path(log.name).read_text()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", ready_path)
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                pass
            time.sleep(0.1)
        print(f"\ngunicorn up on 127.0.0.1:{port} (pid {server.pid}).", flush=True)
        yield server, port
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        log.close()
        os.unlink(log.name)


def timed_get(conn: http.client.HTTPConnection, path: str, jar: dict[str, str]) -> tuple[int, bytes, float, str | None]:
    """GET ``path`` with the cookies in ``jar`` (kept up to date, as a browser would): (status, body, ms, Location).

    The clock runs from sending the request to having read the whole body (so it includes the TCP
    connect whenever the server closed the previous connection: gunicorn's sync worker always does).
    """
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()), "Accept": "text/html"}
    started = time.perf_counter_ns()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed_ms = (time.perf_counter_ns() - started) / 1e6
    for header in response.msg.get_all("Set-Cookie") or []:
        for morsel in SimpleCookie(header).values():
            jar[morsel.key] = morsel.value
    return response.status, body, elapsed_ms, response.getheader("Location")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (the value below which ``pct`` % of the samples fall); NaN when there are none."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)] if ordered else float("nan")


class Timings:
    """For a dataclass with ``samples_ms``: its median and percentiles."""

    samples_ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    def percentile(self, pct: float) -> float:
        return percentile(self.samples_ms, pct)
