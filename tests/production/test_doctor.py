"""``manage.py doctor`` run as an operator runs it, in a process of its own with production settings, against
real parts: the test's PostgreSQL database, Redis (or RabbitMQ), S3 served by moto, a small SMTP server and
Tesseract. Everything up: exit 0. Each part broken alone: exit 1, that part named, the others still ok."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection

from tests.documents.conftest import S3_KEY, S3_REGION, S3_SECRET, moto_endpoint, s3_client  # noqa: F401 (fixtures)
from tests.faults import parts

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("database", "broker", "storage", "smtp", "tesseract")
DB_PASSWORD = "not-to-be-printed-db"
CONTROLLED = (
    "DJANGO_",
    "DATABASE_URL",
    "CELERY_",
    "DOCUMENTS_",
    "SITE_URL",
    "TRUSTED_PROXY_COUNT",
    "PRODUCTION_ALLOW_",
    "OCR_LANGS",
    "EMAIL_",
)


def _database_url(name: str) -> str:
    """The test database's server, with a password written in (the server trusts loopback; it must not be printed)."""
    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or 'postgres'}:{DB_PASSWORD}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )


def _broker_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("needs Redis in CELERY_BROKER_URL (make test gives it)")
    return url


@pytest.fixture
def smtp():
    server = parts.SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def production(db, s3_client, moto_endpoint, smtp, tmp_path) -> dict:  # noqa: F811 (fixtures imported above)
    """A production environment whose every part is up: the test database (migrated), Redis, moto's S3, SMTP."""
    bucket = f"doctor-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "d0ct0r-" + "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "clients.example.com",
        "SITE_URL": "https://clients.example.com",
        "TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": _database_url(connection.settings_dict["NAME"]),
        "CELERY_BROKER_URL": _broker_url(),
        "DOCUMENTS_S3_BUCKET": bucket,
        "DOCUMENTS_S3_ENDPOINT_URL": moto_endpoint,
        "DOCUMENTS_S3_REGION": S3_REGION,
        "DOCUMENTS_S3_ACCESS_KEY_ID": S3_KEY,
        "DOCUMENTS_S3_SECRET_ACCESS_KEY": S3_SECRET,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "OCR_LANGS": "spa+cat",
        "BACKOFFICE_VAR_DIR": str(tmp_path / "var"),
    }


def doctor(environ: dict) -> tuple[int, dict[str, str], str]:
    """Exit status, each part's check line ({"database": "ok (...)", ...}) and the whole output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(CONTROLLED)} | environ
    done = subprocess.run(
        [sys.executable, "manage.py", "doctor", "--timeout", "3"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = done.stdout + done.stderr
    checks = done.stdout.split("\nChecks\n", 1)[1] if "\nChecks\n" in done.stdout else ""
    lines = dict(line.strip().split(": ", 1) for line in checks.splitlines() if ": " in line)
    return done.returncode, lines, output


def test_every_part_up_is_ok_and_exits_0(production):
    code, lines, output = doctor(production)
    assert code == 0, output
    assert list(lines) == list(PARTS), output
    assert all(lines[part].startswith("ok") for part in PARTS), output
    assert "every migration applied" in lines["database"] and "answered NOOP" in lines["smtp"]
    settings = output.split("\nChecks\n", 1)[0]
    for shown in (
        "debug: False",
        "allowed hosts: clients.example.com",
        "SITE_URL: https://clients.example.com",
        f"database: postgresql, name {connection.settings_dict['NAME']}, host",
        f"broker: {production['CELERY_BROKER_URL']}",
        f"documents: S3 bucket {production['DOCUMENTS_S3_BUCKET']} at {production['DOCUMENTS_S3_ENDPOINT_URL']}",
        f"e-mail: SMTP 127.0.0.1:{production['EMAIL_PORT']} (no TLS)",
        "OCR languages: wanted spa+cat, installed ",
        "TRUSTED_PROXY_COUNT: 1\n",
        "production settings: ok",
    ):
        assert shown in settings, (shown, settings)
    for secret in (DB_PASSWORD, production["DJANGO_SECRET_KEY"], S3_SECRET):
        assert secret not in output


def test_the_broker_password_is_masked(production):
    code, lines, output = doctor(production | {"CELERY_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//"})  # RabbitMQ
    assert "broker: amqp://guest:**@127.0.0.1:5672//" in output and "guest:guest" not in output
    assert code == 0 and lines["broker"].startswith("ok"), output


def _empty_database(production: dict) -> str:
    """A database on the same server with no migration applied (dropped by the caller)."""
    name = f"{connection.settings_dict['NAME']}_unmigrated"[:63]
    with psycopg.connect(_admin_url(production), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return name


def _admin_url(production: dict) -> str:
    return urlunsplit(urlsplit(production["DATABASE_URL"])._replace(path="/postgres"))


BROKEN = {
    "broker": lambda env, _: {"CELERY_BROKER_URL": f"redis://127.0.0.1:{parts.free_port()}/2"},  # nothing listens there
    "database": lambda env, _: {"DATABASE_URL": _database_url("no_such_database_for_doctor")},
    "storage": lambda env, _: {"DOCUMENTS_S3_BUCKET": "no-such-bucket-for-doctor"},
    "smtp": lambda env, _: {"EMAIL_PORT": str(parts.free_port())},
    "tesseract": lambda env, _: {"OCR_LANGS": "spa+cat+qaa"},  # qaa: reserved for local use, never shipped
}


@pytest.mark.parametrize("part", list(BROKEN))
def test_a_broken_part_fails_alone_and_exits_1(production, part):
    code, lines, output = doctor(production | BROKEN[part](production, None))
    assert code == 1, output
    assert lines[part].startswith("FAIL: "), output
    assert [p for p in PARTS if not lines[p].startswith("ok")] == [part], output
    assert f"1 check(s) failed: {part}" in output


def test_the_reason_names_what_failed(production):
    _, lines, _ = doctor(
        production | {"DATABASE_URL": _database_url("no_such_database_for_doctor"), "OCR_LANGS": "spa+qaa"}
    )
    assert 'database "no_such_database_for_doctor" does not exist' in lines["database"]
    assert lines["tesseract"].startswith("FAIL: Tesseract lacks the OCR language(s) qaa of OCR_LANGS=spa+qaa")


def test_a_database_without_its_migrations_fails(production):
    name = _empty_database(production)
    try:
        code, lines, output = doctor(production | {"DATABASE_URL": _database_url(name)})
    finally:
        with psycopg.connect(_admin_url(production), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    assert code == 1, output
    assert lines["database"].startswith("FAIL: ") and "migration(s) not applied" in lines["database"]
    assert "run manage.py migrate" in lines["database"]


def test_in_debug_it_lists_what_production_would_refuse_without_failing(production, tmp_path):
    debug = {
        k: v
        for k, v in production.items()
        if not k.startswith(("DOCUMENTS_S3_", "SITE_URL", "TRUSTED_PROXY_COUNT", "EMAIL_"))
    }
    debug |= {"DJANGO_DEBUG": "true", "DOCUMENTS_ROOT": str(tmp_path / "documents")}
    code, lines, output = doctor(debug)
    assert code == 0, output
    assert "production settings: 3 problem(s), DJANGO_DEBUG=false would refuse to start:" in output
    for variable in ("DOCUMENTS_S3_BUCKET", "SITE_URL", "TRUSTED_PROXY_COUNT"):
        assert f"\n      - {variable} " in output
    assert lines["storage"].startswith("ok") and lines["smtp"].startswith("not used (EMAIL_BACKEND is ")
    assert f"documents: local folder {tmp_path / 'documents'}" in output
