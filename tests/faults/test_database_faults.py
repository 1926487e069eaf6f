"""PostgreSQL down or crashed under the workers and the web side, on a PostgreSQL server of our own.

The shared server (the test database's) must never stop, so these tests run on a private one
(``parts.PrivatePostgres``: a free port, stopped and crashed at will), migrated once per module; each test
gets a fresh copy of the migrated database. That database is not pytest-django's: the request is built and
submitted by ``tests/faults/pg_driver.py`` in a process of its own, handled by a real worker and relay on a
private Redis, and its end state read back over a direct connection (or through the driver).
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import subprocess
import sys
import time

import pytest

from . import parts
from .conftest import EMAIL_TIMEOUT, Stack

pytestmark = pytest.mark.slow

FLOW = "workflows/flows.RepresentativeChange"
TRANSIENT_RETRY = "met a transient fault, retried"
_databases = itertools.count(1)


def base_env(tmp_path) -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))} | {
        "BACKOFFICE_VAR_DIR": str(tmp_path / "var"),
        "DOCUMENTS_ROOT": str(tmp_path / "documents"),
        "OMP_THREAD_LIMIT": "1",
    }


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    """The private server, with a database ``migrated`` to copy from."""
    server = parts.PrivatePostgres()
    try:
        server.init()
        server.start()
        server.execute("CREATE DATABASE migrated")
        env = base_env(tmp_path_factory.mktemp("migrate")) | {"DATABASE_URL": server.url("migrated")}
        done = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=parts.ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
        yield server
    finally:
        server.remove()


@pytest.fixture
def database(postgres) -> str:
    """A fresh copy of the migrated database on the private server (started, whatever the last test left)."""
    if not postgres.running():
        postgres.start()
    name = f"faults_{next(_databases)}"
    postgres.execute(f"CREATE DATABASE {name} TEMPLATE migrated")
    return name


@pytest.fixture
def broker():
    server = parts.Redis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def env(postgres, database, broker, smtp, tmp_path) -> dict:
    """What the driver, the workers and the relay share: the private database and Redis, our mail server."""
    return base_env(tmp_path) | {
        "DATABASE_URL": postgres.url(database),
        "CELERY_BROKER_URL": broker.url,
        "CELERY_BROKER_SOCKET_TIMEOUT": "2",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": str(EMAIL_TIMEOUT),
        "OUTBOX_RELAY_GRACE_SECONDS": "1",
        "TASK_MAX_DELIVERIES": "3",
    }


@pytest.fixture
def stack(env, tmp_path):
    workers = Stack(env, tmp_path)
    yield workers
    workers.stop()


def drive(env: dict, *args: str, timeout: float = 60) -> dict:
    """Run ``tests/faults/pg_driver.py`` with ``args``; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.faults.pg_driver", *args],
        cwd=parts.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"pg_driver {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def tasks(postgres, database: str, process: int) -> list[tuple[str, str]]:
    rows = postgres.query(
        "SELECT flow_task, status FROM viewflow_task WHERE process_id = %s ORDER BY id", (process,), database=database
    )
    return [(flow_task.removeprefix(f"{FLOW}."), status) for flow_task, status in rows]


def at_verification(postgres, database: str, process: int) -> bool:
    """The pre-check job is DONE and a verifier's task waits (read straight from the database)."""
    rows = tasks(postgres, database, process)
    jobs = [status for node, status in rows if node == "precheck"]
    return bool(jobs) and jobs[-1] == "DONE" and ("verify", "NEW") in rows


def emails_sent_once(postgres, database: str, smtp) -> bool:
    rows = postgres.query("SELECT status FROM outbox_email", database=database)
    return bool(rows) and all(status == "sent" for (status,) in rows) and len(smtp.received) == len(rows)


def errors(postgres, database: str) -> list[tuple]:
    return postgres.query(
        "SELECT process_id, flow_task, status FROM viewflow_task WHERE status = 'ERROR'", database=database
    )


def assert_right_verdict(env: dict, process: int) -> None:
    state = drive(env, "state", str(process))
    assert state["at_verification"], state
    assert state["precheck"] == "done" and state["verdict"] == "clear" and state["pages_not_done"] == 0, state


def log_lines(process: parts.Process, text: str) -> list[str]:
    return [line for line in process.log.read_text(errors="replace").splitlines() if text in line]


def test_a_precheck_job_meeting_a_database_that_is_down_is_retried(postgres, database, env, broker, stack, smtp):
    submitted = drive(env, "submit")["process"]  # no worker yet: the job's message waits in Redis
    relayed = postgres.query(
        "SELECT count(*) FROM outbox_message WHERE task = 'workflows.run_precheck' AND relayed_at IS NOT NULL",
        database=database,
    )[0][0]
    assert relayed == 1 and broker.queued() >= 1

    postgres.stop("fast")
    worker, relay = stack.worker(), stack.relay()
    parts.wait_for(
        lambda: any("workflows.run_precheck" in line for line in log_lines(worker, TRANSIENT_RETRY)),
        timeout=30,
        what="the pre-check job retried while the database is down",
        logs=[worker, relay],
    )
    time.sleep(10)  # down about 10 s: the job's retries back off (5, 10, 20 s) against the closed port
    postgres.start()
    back = time.monotonic()
    took = parts.wait_for(
        lambda: at_verification(postgres, database, submitted) and emails_sent_once(postgres, database, smtp),
        timeout=90,
        what="request at verification, e-mail sent",
        logs=[worker, relay, postgres],
    )
    parts.recovered("database down when the pre-check job arrives", time.monotonic() - back)

    assert_right_verdict(env, submitted)
    assert errors(postgres, database) == []  # the job was retried, never recorded as failed
    assert relay.popen.poll() is None and worker.popen.poll() is None  # both lived through the outage
    time.sleep(2)
    assert emails_sent_once(postgres, database, smtp) and len(smtp.to("rep@example.com")) == 1
    assert took < 60, took


def test_a_database_crash_under_an_idle_worker_replaces_its_connection(postgres, database, env, stack):
    worker, relay = stack.worker(), stack.relay()
    first = drive(env, "submit")["process"]
    parts.wait_for(
        lambda: at_verification(postgres, database, first),
        timeout=60,
        what="first request at verification",
        logs=[worker, relay],
    )
    held = postgres.query(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend' "
        "AND pid <> pg_backend_pid()",
        (database,),
    )[0][0]
    assert held >= 1  # the idle worker (and relay) keep connections that the crash will break

    postgres.crash()  # immediate stop: no goodbye to the clients, recovery at start
    postgres.start()
    crashed_at = len(worker.log.read_text(errors="replace").splitlines())
    second = drive(env, "submit")["process"]
    parts.wait_for(
        lambda: at_verification(postgres, database, second),
        timeout=60,
        what="second request at verification",
        logs=[worker, relay, postgres],
    )

    assert_right_verdict(env, second)
    assert errors(postgres, database) == []
    assert relay.popen.poll() is None and worker.popen.poll() is None
    after = worker.log.read_text(errors="replace").splitlines()[crashed_at:]
    # CONN_HEALTH_CHECKS + close_old_connections before each task: the dead connection is replaced, not failed on.
    assert not [line for line in after if TRANSIENT_RETRY in line], "\n".join(after[-40:])


def test_pages_while_the_database_is_down_are_the_503_page(postgres, database, env):
    web = env | {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "SITE_URL": "https://testserver",
        "TRUSTED_PROXY_COUNT": "0",
        "PRODUCTION_ALLOW_LOCAL_DOCUMENTS": "true",
        "DJANGO_STATIC_MANIFEST": "false",  # no collectstatic here: {% static %} names the plain files
    }
    assert drive(web, "get", "/login/")["status"] == 200  # the same page, with the database up

    postgres.stop("fast")
    for path in ("/login/", "/staff/", "/staff/login/"):
        began = time.monotonic()
        answer = drive(web, "get", path)
        assert answer["status"] == 503, (path, answer["status"], answer["body"][:2000])
        assert answer["retry_after"] == "300"
        assert "not available" in answer["body"] and 'data-error-code="database_unavailable"' in answer["body"], path
        assert time.monotonic() - began < 30
