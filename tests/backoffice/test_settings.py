"""Settings come from the environment; production values are checked by Django's deploy checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7%k2!pq9Lm4zR8vT1wY6uN3bC5dF0gH2jK4lM6nP8qS0tV2xZ4",
    "DJANGO_ALLOWED_HOSTS": "clients.example.com",
    # What else production refuses to start without (tests/production); none of it is connected to by `check`.
    "DATABASE_URL": "postgres://backoffice@db.example.com:5432/backoffice",
    "CELERY_BROKER_URL": "redis://broker.example.com:6379/0",
    "DOCUMENTS_S3_BUCKET": "documents",
    "SITE_URL": "https://clients.example.com",
    "TRUSTED_PROXY_COUNT": "1",
}


def _manage(*args, env_extra=None, var_dir):
    env = (
        {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        | {"BACKOFFICE_VAR_DIR": str(var_dir)}
        | (env_extra or {})
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_production_values(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION, var_dir=tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_required_values(tmp_path, missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _manage("check", env_extra=env, var_dir=tmp_path)
    assert result.returncode != 0 and missing in result.stderr


def test_embedded_defaults_need_no_server(tmp_path):
    code = (
        "from django.conf import settings as s; import json; print(json.dumps([s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, "
        "s.STORAGES['documents']['BACKEND'], s.DEBUG]))"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "DOCUMENTS_S3_BUCKET") and not k.startswith("DJANGO_")
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env | {"BACKOFFICE_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        "django.db.backends.sqlite3",
        "safefs://",
        "django.core.files.storage.FileSystemStorage",
        True,
    ]


SQLITE_WRITERS = """
import threading, time
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE t (x integer)")
holding, outcome = threading.Event(), []

def writer():
    with transaction.atomic():
        connection.cursor().execute("INSERT INTO t VALUES (1)")
        holding.set()
        time.sleep(1)
    connection.close()

def reads_then_writes():  # as the pre-check job does: reads the documents, then writes its rows
    holding.wait(5)
    try:
        with transaction.atomic():
            connection.cursor().execute("SELECT count(*) FROM t").fetchone()
            connection.cursor().execute("INSERT INTO t VALUES (2)")
        outcome.append("written")
    except Exception as exc:
        outcome.append(str(exc))
    connection.close()

threads = [threading.Thread(target=writer), threading.Thread(target=reads_then_writes)]
[t.start() for t in threads]
[t.join(30) for t in threads]
print(outcome)
"""


def test_embedded_sqlite_lets_a_transaction_that_read_first_write_after_another_writer(tmp_path):
    """Two workers writing at once on the embedded database: the second waits its turn instead of
    failing with "database is locked"."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL") and not k.startswith("DJANGO_")
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SQLITE_WRITERS],
        cwd=ROOT,
        env=env | {"BACKOFFICE_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "['written']", result.stdout + result.stderr


def test_environment_switches_to_postgresql_redis_and_s3(tmp_path):
    code = (
        "from django.conf import settings as s; import json; print(json.dumps([s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, "
        "s.STORAGES['documents']['BACKEND'], s.STORAGES['documents']['OPTIONS']['default_acl']]))"
    )
    env = os.environ | {
        "BACKOFFICE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "DOCUMENTS_S3_BUCKET": "documents",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        "django.db.backends.postgresql",
        "redis://127.0.0.1:6379/0",
        "storages.backends.s3.S3Storage",
        "private",
    ]
