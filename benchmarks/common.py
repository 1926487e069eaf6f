"""Set-up shared by the benchmarks that run against their own PostgreSQL database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
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
        fail("refusing to run on SQLite: the figures would say nothing about production. "
             f"Point DATABASE_URL at PostgreSQL, e.g. {example}")
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
