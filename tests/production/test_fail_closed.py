"""Production fails closed: with DJANGO_DEBUG=false the settings refuse every unsafe value at once, each
embedded default only unless its own variable allows it; a web node or a worker refuses to start without
Tesseract's languages. The refusals are proved on real process starts (``django.setup()``, the WSGI module,
a Celery worker), with a controlled environment."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import checks

from backoffice import production
from backoffice.apps import tesseract_languages

ROOT = Path(__file__).resolve().parents[2]
SECRET = "q7%k2!pX9Lm4zR8vT1wY6uN3bC5dF0gH2jK4lM6nP8qS0tV2xZ4aB"
DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"

# A production environment with nothing to refuse (nothing here is connected to at startup).
GOOD = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "clients.example.com",
    "DATABASE_URL": "postgres://backoffice@db.example.com:5432/backoffice",
    "CELERY_BROKER_URL": "redis://broker.example.com:6379/0",
    "DOCUMENTS_S3_BUCKET": "documents",
    "SITE_URL": "https://clients.example.com",
    "TRUSTED_PROXY_COUNT": "1",
}
ALLOWANCES = (
    "PRODUCTION_ALLOW_SQLITE",
    "PRODUCTION_ALLOW_FILESYSTEM_BROKER",
    "PRODUCTION_ALLOW_LOCAL_DOCUMENTS",
    "PRODUCTION_ALLOW_INSECURE_SITE_URL",
)
# Each unsafe value alone: (variable changed, its value or None to unset it, the variable the message names,
# the variable that allows it or None when nothing may).
UNSAFE = [
    ("DJANGO_SECRET_KEY", None, "DJANGO_SECRET_KEY", None),
    ("DJANGO_SECRET_KEY", "too-short-for-a-secret", "DJANGO_SECRET_KEY", None),
    ("DJANGO_SECRET_KEY", DEV_SECRET, "DJANGO_SECRET_KEY", None),
    ("DJANGO_SECRET_KEY_FALLBACKS", f"{SECRET[::-1]},{DEV_SECRET}", "DJANGO_SECRET_KEY_FALLBACKS", None),
    ("DJANGO_SECRET_KEY_FALLBACKS", "short-old-key", "DJANGO_SECRET_KEY_FALLBACKS", None),
    ("DJANGO_ALLOWED_HOSTS", None, "DJANGO_ALLOWED_HOSTS", None),
    ("DATABASE_URL", None, "DATABASE_URL", "PRODUCTION_ALLOW_SQLITE"),
    ("DATABASE_URL", "sqlite:////srv/backoffice/db.sqlite3", "DATABASE_URL", "PRODUCTION_ALLOW_SQLITE"),
    ("CELERY_BROKER_URL", None, "CELERY_BROKER_URL", "PRODUCTION_ALLOW_FILESYSTEM_BROKER"),
    ("CELERY_BROKER_URL", "safefs://", "CELERY_BROKER_URL", "PRODUCTION_ALLOW_FILESYSTEM_BROKER"),
    ("CELERY_BROKER_URL", "filesystem://", "CELERY_BROKER_URL", "PRODUCTION_ALLOW_FILESYSTEM_BROKER"),
    ("DOCUMENTS_S3_BUCKET", None, "DOCUMENTS_S3_BUCKET", "PRODUCTION_ALLOW_LOCAL_DOCUMENTS"),
    ("SITE_URL", None, "SITE_URL", "PRODUCTION_ALLOW_INSECURE_SITE_URL"),
    ("SITE_URL", "http://clients.example.com", "SITE_URL", "PRODUCTION_ALLOW_INSECURE_SITE_URL"),
    ("SITE_URL", "https://localhost:8443", "SITE_URL", "PRODUCTION_ALLOW_INSECURE_SITE_URL"),
    ("SITE_URL", "https://127.0.0.1", "SITE_URL", "PRODUCTION_ALLOW_INSECURE_SITE_URL"),
    ("SITE_URL", "https://[::1]:8000", "SITE_URL", "PRODUCTION_ALLOW_INSECURE_SITE_URL"),
    ("SITE_URL", "https://clients.localhost", "SITE_URL", "PRODUCTION_ALLOW_INSECURE_SITE_URL"),
    ("TRUSTED_PROXY_COUNT", None, "TRUSTED_PROXY_COUNT", None),
    ("TRUSTED_PROXY_COUNT", "", "TRUSTED_PROXY_COUNT", None),
    ("TRUSTED_PROXY_COUNT", "-1", "TRUSTED_PROXY_COUNT", None),
    ("TRUSTED_PROXY_COUNT", "one", "TRUSTED_PROXY_COUNT", None),
]
UNSAFE_IDS = [f"{name}={value}" for name, value, _, _ in UNSAFE]
EVERY_PROBLEM = [
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DOCUMENTS_S3_BUCKET",
    "SITE_URL",
    "TRUSTED_PROXY_COUNT",
]


def _problems(environ: dict) -> list[str]:
    """production.problems() given an environment, as settings.py reads it."""
    return production.problems(
        secret_key=environ.get("DJANGO_SECRET_KEY", ""),
        secret_key_fallbacks=[k for k in environ.get("DJANGO_SECRET_KEY_FALLBACKS", "").split(",") if k],
        dev_secret=DEV_SECRET,
        allowed_hosts=[h for h in environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h],
        database_url=environ.get("DATABASE_URL", ""),
        broker_url=environ.get("CELERY_BROKER_URL", ""),
        documents_s3_bucket=environ.get("DOCUMENTS_S3_BUCKET", ""),
        site_url=environ.get("SITE_URL", "http://127.0.0.1:8000"),
        trusted_proxy_count=environ.get("TRUSTED_PROXY_COUNT"),
        allow_sqlite=environ.get("PRODUCTION_ALLOW_SQLITE") == "true",
        allow_filesystem_broker=environ.get("PRODUCTION_ALLOW_FILESYSTEM_BROKER") == "true",
        allow_local_documents=environ.get("PRODUCTION_ALLOW_LOCAL_DOCUMENTS") == "true",
        allow_insecure_site_url=environ.get("PRODUCTION_ALLOW_INSECURE_SITE_URL") == "true",
    )


def _with(name: str, value: str | None, **extra: str) -> dict:
    environ = {k: v for k, v in GOOD.items() if k != name} | extra
    return environ if value is None else environ | {name: value}


# -- the rules, one value at a time --------------------------------------------------------------------------


def test_a_safe_production_environment_has_no_problem():
    assert _problems(GOOD) == []
    assert _problems(GOOD | {"TRUSTED_PROXY_COUNT": "0"}) == []  # 0 is an explicit answer
    assert _problems(GOOD | {"DJANGO_SECRET_KEY_FALLBACKS": SECRET[::-1]}) == []
    assert _problems(GOOD | {"CELERY_BROKER_URL": "amqp://guest:guest@rabbit.example.com:5672//"}) == []


@pytest.mark.parametrize(("name", "value", "named", "allowed_by"), UNSAFE, ids=UNSAFE_IDS)
def test_each_unsafe_value_alone_is_one_problem_naming_the_variable(name, value, named, allowed_by):
    found = _problems(_with(name, value))
    assert len(found) == 1, found
    assert found[0].startswith(named), found
    if allowed_by:
        assert allowed_by in found[0]  # the message says how to allow it on purpose


@pytest.mark.parametrize(
    ("name", "value", "named", "allowed_by"),
    [case for case in UNSAFE if case[3]],
    ids=[i for i, case in zip(UNSAFE_IDS, UNSAFE) if case[3]],
)
def test_each_embedded_default_is_allowed_by_its_own_variable_only(name, value, named, allowed_by):
    assert _problems(_with(name, value, **{allowed_by: "true"})) == []
    for other in set(ALLOWANCES) - {allowed_by}:
        assert len(_problems(_with(name, value, **{other: "true"}))) == 1, other


def test_every_problem_together_is_listed_at_once():
    found = _problems({"DJANGO_DEBUG": "false"})
    assert [problem.split(" ", 1)[0] for problem in found] == EVERY_PROBLEM
    message = production.refusal(found)
    assert message.startswith(f"DJANGO_DEBUG=false refuses to start with {len(EVERY_PROBLEM)} problem(s):")
    assert all(f"\n  - {problem}" in message for problem in found)


def test_missing_ocr_languages():
    assert production.missing_ocr_languages(wanted="spa+cat", installed={"spa", "cat", "eng", "osd"}) == []
    assert production.missing_ocr_languages(wanted="spa+cat+eng", installed={"spa", "osd"}) == ["cat", "eng"]
    assert production.missing_ocr_languages(wanted="spa+cat", installed=set()) == ["spa", "cat"]


# -- Tesseract's languages: the system check -------------------------------------------------------------------


def test_tesseract_check_passes_with_the_installed_languages(settings):
    settings.DEBUG = False
    assert tesseract_languages() == []


@pytest.mark.parametrize(
    ("debug", "level", "check_id"),
    [(False, checks.ERROR, "backoffice.E001"), (True, checks.WARNING, "backoffice.W001")],
)
def test_tesseract_check_names_a_missing_language(settings, monkeypatch, debug, level, check_id):
    from ocr import engine

    settings.DEBUG = debug
    monkeypatch.setattr(engine, "DEFAULT_LANGS", "spa+cat+qaa")  # qaa: reserved for local use, never shipped
    [message] = tesseract_languages()
    assert (message.level, message.id) == (level, check_id)
    assert message.msg.startswith("Tesseract lacks the OCR language(s) qaa of OCR_LANGS=spa+cat+qaa (installed: "), (
        message.msg
    )


def test_tesseract_check_is_registered_as_a_startup_check():
    from backoffice.apps import STARTUP

    assert tesseract_languages in checks.registry.registry.get_checks() and STARTUP in tesseract_languages.tags


# -- real process starts ----------------------------------------------------------------------------------


CONTROLLED = (
    "DJANGO_",
    "DATABASE_URL",
    "CELERY_",
    "DOCUMENTS_S3_",
    "SITE_URL",
    "TRUSTED_PROXY_COUNT",
    "PRODUCTION_ALLOW_",
    "OCR_LANGS",
)


def _environment(environ: dict, tmp_path: Path) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(CONTROLLED)}
    return (
        base | {"DJANGO_SETTINGS_MODULE": "backoffice.settings", "BACKOFFICE_VAR_DIR": str(tmp_path / "var")} | environ
    )


def _start(environ: dict, tmp_path: Path, code: str = "import django; django.setup()") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_environment(environ, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_app_starts_with_a_safe_production_environment(tmp_path):
    started = _start(
        GOOD, tmp_path, "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "False"


def test_the_app_refuses_to_start_listing_every_problem(tmp_path):
    refused = _start({"DJANGO_DEBUG": "false"}, tmp_path)
    assert refused.returncode != 0
    assert "ImproperlyConfigured: DJANGO_DEBUG=false refuses to start with 7 problem(s):" in refused.stderr
    listed = [line.strip()[2:].split(" ", 1)[0] for line in refused.stderr.splitlines() if line.startswith("  - ")]
    assert listed == EVERY_PROBLEM, refused.stderr
    assert not (tmp_path / "var" / "broker").exists()  # refused before anything is set up


@pytest.mark.parametrize(
    ("name", "value", "named", "allowed_by"),
    [case for case in UNSAFE if case[1] is None or case[0] == "DJANGO_SECRET_KEY_FALLBACKS"],
    ids=[i for i, case in zip(UNSAFE_IDS, UNSAFE) if case[1] is None or case[0] == "DJANGO_SECRET_KEY_FALLBACKS"],
)
def test_the_app_refuses_to_start_with_one_unsafe_value(tmp_path, name, value, named, allowed_by):
    refused = _start(_with(name, value), tmp_path)
    assert refused.returncode != 0
    assert "refuses to start with 1 problem(s)" in refused.stderr and f"  - {named} " in refused.stderr, refused.stderr[
        -2000:
    ]


def test_the_app_starts_on_the_embedded_defaults_when_each_is_allowed(tmp_path):
    environ = {
        k: v
        for k, v in GOOD.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "DOCUMENTS_S3_BUCKET", "SITE_URL")
    }
    environ |= dict.fromkeys(ALLOWANCES, "true") | {"TRUSTED_PROXY_COUNT": "0"}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.STORAGES['documents']['BACKEND'], s.SITE_URL)"
    )
    started = _start(environ, tmp_path, code)
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == [
        "django.db.backends.sqlite3",
        "safefs://",
        "django.core.files.storage.FileSystemStorage",
        "http://127.0.0.1:8000",
    ]


def test_an_allow_variable_must_say_true_or_false(tmp_path):
    refused = _start(GOOD | {"PRODUCTION_ALLOW_SQLITE": "maybe"}, tmp_path)
    assert refused.returncode != 0 and "PRODUCTION_ALLOW_SQLITE must be true or false" in refused.stderr


def test_debug_still_starts_on_the_embedded_defaults(tmp_path):
    started = _start(
        {},
        tmp_path,
        "import django; django.setup(); from django.conf import settings; print(len(settings.PRODUCTION_PROBLEMS))",
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "7"  # what DJANGO_DEBUG=false would refuse, for manage.py doctor


def test_secret_key_fallbacks_reach_django(tmp_path):
    old = SECRET[::-1]
    code = f"import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS == [{old!r}])"
    started = _start(GOOD | {"DJANGO_SECRET_KEY_FALLBACKS": f" {old} ,"}, tmp_path, code)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "True"


# -- Tesseract's languages: web nodes and workers refuse to start ---------------------------------------------------


WSGI = "import backoffice.wsgi; print('serving')"


def test_a_web_node_starts_with_tesseracts_languages(tmp_path):
    started = _start(GOOD | {"OCR_LANGS": "spa+cat"}, tmp_path, WSGI)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "serving"


def test_a_web_node_refuses_to_start_without_a_tesseract_language(tmp_path):
    refused = _start(GOOD | {"OCR_LANGS": "spa+cat+qaa"}, tmp_path, WSGI)
    assert refused.returncode != 0 and "serving" not in refused.stdout
    assert "SystemCheckError" in refused.stderr and "(backoffice.E001)" in refused.stderr and "qaa" in refused.stderr


def test_gunicorn_stops_when_its_worker_refuses_to_start(tmp_path):
    from tests.faults.parts import free_port

    environ = GOOD | {"OCR_LANGS": "spa+qaa", "BIND": f"127.0.0.1:{free_port()}", "GUNICORN_WORKERS": "1"}
    env = {k: v for k, v in _environment(environ, tmp_path).items() if k not in ("PORT", "GUNICORN_THREADS")}
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 3, done.stderr[-3000:]  # gunicorn's "worker failed to boot": the master stops
    assert "(backoffice.E001)" in done.stderr and "Worker failed to boot" in done.stderr


def test_in_debug_a_missing_tesseract_language_is_a_warning(tmp_path):
    checked = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_environment({"OCR_LANGS": "spa+qaa"}, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stderr
    assert "(backoffice.W001)" in checked.stderr + checked.stdout and "qaa" in checked.stderr + checked.stdout
    started = _start({"OCR_LANGS": "spa+qaa"}, tmp_path, WSGI)
    assert started.returncode == 0 and started.stdout.strip() == "serving", started.stderr


def test_manage_py_check_fails_in_production_without_a_tesseract_language(tmp_path):
    checked = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_environment(GOOD | {"OCR_LANGS": "qaa"}, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode != 0 and "(backoffice.E001)" in checked.stderr


def _worker(environ: dict, tmp_path: Path) -> subprocess.Popen:
    """A Celery worker on the test's broker and database (what it may touch once ready), on a queue of its own."""
    environ = environ | {
        "CELERY_BROKER_URL": _broker_url(),
        "DATABASE_URL": os.environ.get("DATABASE_URL", GOOD["DATABASE_URL"]),
    }
    log = (tmp_path / "worker.log").open("w")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "backoffice",
            "worker",
            "-Q",
            "fail-closed-test",
            "--pool",
            "solo",
            "-n",
            f"failclosed-{os.getpid()}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=_environment(environ, tmp_path),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _broker_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith(("redis://", "amqp://")):
        pytest.skip("needs a real broker in CELERY_BROKER_URL (make test gives Redis)")
    return url


def test_a_worker_refuses_to_start_without_a_tesseract_language(tmp_path):
    worker = _worker(GOOD | {"OCR_LANGS": "spa+qaa"}, tmp_path)
    try:
        code = worker.wait(60)
    finally:
        if worker.poll() is None:
            worker.kill()
    log = (tmp_path / "worker.log").read_text()
    assert code != 0, log
    assert "(backoffice.E001)" in log and "qaa" in log and "ready." not in log


def test_a_worker_starts_with_tesseracts_languages(tmp_path):
    worker = _worker(GOOD | {"OCR_LANGS": "spa+cat"}, tmp_path)
    log = tmp_path / "worker.log"
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            assert worker.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
    assert "backoffice.E001" not in log.read_text()
