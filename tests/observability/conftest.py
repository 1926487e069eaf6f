import json
import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from backoffice.observability import JsonFormatter
from backoffice.security import RedactTokensFilter

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


class JsonLines(logging.Handler):
    """What the production console handler writes (JSON formatter, token redaction), kept as parsed lines."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.addFilter(RedactTokensFilter())
        self.text: list[str] = []

    def emit(self, record):
        self.text.append(self.format(record))

    @property
    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.text]

    def events(self, name: str) -> list[dict]:
        return [line for line in self.lines if line.get("event") == name]


@pytest.fixture
def security_log():
    """The JSON lines written on the ``security`` logger during the test."""
    handler = JsonLines()
    logger = logging.getLogger("security")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(old_level)


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path, queue: str):
        self.process, self.log, self.queue = process, log, queue

    def lines(self) -> list[dict]:
        """The worker's JSON log lines so far (anything else it printed is skipped)."""
        found = []
        for line in self.log.read_text(errors="replace").splitlines():
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
        return found

    def wait_for(self, condition, what: str, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        pytest.fail(
            f"{what} did not happen within {timeout} s; worker output:\n{self.log.read_text(errors='replace')[-6000:]}"
        )


@pytest.fixture
def worker(settings, tmp_path):
    """A real `celery worker` on a queue of its own, sharing the test database, logging JSON lines to a file."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database server shared with the test")
    from backoffice.celery import app

    broker = app.conf.broker_url
    if not broker or broker.startswith(("filesystem", "safefs")):
        pytest.skip("needs a broker server (CELERY_BROKER_URL=redis://... or amqp://...)")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    db = connection.settings_dict
    queue = f"obs-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | {
        "BACKOFFICE_VAR_DIR": str(tmp_path / "var"),
        "CELERY_BROKER_URL": broker,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "HEARTBEAT_INTERVAL": "2",  # the worker's liveness every 2 s
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "backoffice",
                "worker",
                "-Q",
                queue,
                "-c",
                "1",
                "-n",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    started = Worker(process, log, queue)
    try:
        started.wait_for(
            lambda: any(line.get("message", "").endswith(" ready.") for line in started.lines()), "worker start"
        )
        yield started
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
