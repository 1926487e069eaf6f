"""Fixtures of the fault tests: a private Redis, mail servers, S3 (moto), workers and a relay of our own, all
sharing this test's database (``transactional_db``: what the test writes is committed, the workers see it)."""

from __future__ import annotations

import os
import random

import pytest
from django.db import connection

from tests.documents.conftest import S3_KEY, S3_REGION, S3_SECRET
from tests.ocr.corpus import make_facts, pdf_from_images, render_document
from tests.workflows.paperwork import NEW_NAME, NEW_NIF

from . import parts

EMAIL_TIMEOUT = 2
RECONCILE_AFTER = 5
VISIBILITY_TIMEOUT = 15


def _use_broker(app, url: str) -> None:
    """Point this process's Celery app at ``url`` with fresh connections (a restarted Redis kills the old ones).
    Celery reads CELERY_BROKER_URL from the environment before its own setting."""
    from kombu import pools

    os.environ["CELERY_BROKER_URL"] = app.conf.broker_url = url
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(scope="session")
def redis_port() -> int:
    return parts.free_port()


@pytest.fixture
def redis(redis_port, transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the workers need a database server shared with the test")
    from backoffice.celery import app

    server = parts.Redis(redis_port)
    server.start()
    old_url = app.conf.broker_url
    _use_broker(app, server.url)
    yield server
    if server.process.poll() is None:
        server.resume()  # a test that froze it and failed
    server.stop()
    _use_broker(app, old_url)


@pytest.fixture
def smtp():
    server = parts.SmtpServer()
    server.start()
    yield server
    server.stop()


class Stack:
    """Starts workers and relays on the private Redis, with short fault timings; stops them at the end."""

    def __init__(self, env: dict, tmp_path):
        self.env, self.tmp_path, self.processes = env, tmp_path, []

    def worker(self, *, prefork: int = 0, queues: str = "celery,ocr,mail", **env) -> parts.Process:
        log = self.tmp_path / f"worker{len(self.processes)}.log"
        return self._start(parts.worker(self.env | env, log, queues=queues, prefork=prefork))

    def relay(self) -> parts.Process:
        return self._start(parts.relay(self.env, self.tmp_path / f"relay{len(self.processes)}.log"))

    def _start(self, process: parts.Process) -> parts.Process:
        self.processes.append(process)
        return process.start()

    def stop(self) -> None:
        for process in self.processes:
            process.stop()


@pytest.fixture
def stack(redis, smtp, settings, tmp_path):
    """Workers and relays share the test database, document store, private Redis and the normal mail server."""
    from backoffice.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    settings.RECONCILE_AFTER_SECONDS = RECONCILE_AFTER
    settings.OUTBOX_RELAY_GRACE_SECONDS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp.port, EMAIL_TIMEOUT
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | {
        "BACKOFFICE_VAR_DIR": str(tmp_path / "var"),
        "CELERY_BROKER_URL": redis.url,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DOCUMENTS_ROOT": settings.STORAGES["documents"]["OPTIONS"].get("location", ""),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": str(EMAIL_TIMEOUT),
        "RECONCILE_AFTER_SECONDS": str(RECONCILE_AFTER),
        "CELERY_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "CELERY_BROKER_SOCKET_TIMEOUT": "2",
        "TASK_MAX_DELIVERIES": "3",
        "OMP_THREAD_LIMIT": "1",
    }
    parts_stack = Stack(env, tmp_path)
    yield parts_stack
    parts_stack.stop()
    app.conf.task_always_eager = True


class Moto:
    """moto's S3 in server mode on a fixed port, stoppable and restartable (its buckets live in this process)."""

    def __init__(self):
        self.port = parts.free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._server = None

    def start(self) -> None:
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()

    def stop(self) -> None:
        self._server.stop()


@pytest.fixture
def s3(settings, stack):
    """The documents on moto's S3 (for this process and the workers), with short timeouts."""
    import boto3

    server = Moto()
    server.start()
    bucket = "faults-documents"
    boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
    ).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
    from botocore.config import Config

    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": server.endpoint,
                "region_name": S3_REGION,
                "access_key": S3_KEY,
                "secret_key": S3_SECRET,
                "default_acl": "private",
                "file_overwrite": False,
                "client_config": Config(
                    connect_timeout=1, read_timeout=3, retries={"mode": "standard", "total_max_attempts": 1}
                ),
            },
        },
    }
    stack.env |= {
        "DOCUMENTS_S3_BUCKET": bucket,
        "DOCUMENTS_S3_ENDPOINT_URL": server.endpoint,
        "DOCUMENTS_S3_REGION": S3_REGION,
        "DOCUMENTS_S3_ACCESS_KEY_ID": S3_KEY,
        "DOCUMENTS_S3_SECRET_ACCESS_KEY": S3_SECRET,
        "DOCUMENTS_S3_CONNECT_TIMEOUT": "1",
        "DOCUMENTS_S3_READ_TIMEOUT": "3",
        "DOCUMENTS_S3_MAX_ATTEMPTS": "1",
    }
    yield server
    server.stop()


@pytest.fixture(scope="session")
def scanned_document():
    """A one-page scanned (image-only) power of attorney naming the story's customer and the request's person:
    OCR takes seconds, and the right verdict is "clear"."""

    def scan(customer) -> bytes:
        facts = make_facts(random.Random(7), "power_of_attorney", "es")
        facts.company_name, facts.company_cif, facts.person_nif, facts.person_name = (
            customer.name,
            customer.tax_id,
            NEW_NIF,
            NEW_NAME,
        )
        return pdf_from_images(render_document(facts))

    return scan
