"""The production artefacts: static files through whitenoise under gunicorn, gunicorn.conf.py, the image's
build steps (scripts/build-image-steps.sh, what the Dockerfile runs), its health check, and compose.yaml.

No Docker engine is needed: the image's steps run here as a script, and compose.yaml is checked by
``docker-compose config`` (which parses it without an engine).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import runpy
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x7%k2!pq9Lm4zR8vT1wY6uN3bC5dF0gH2jK4lM6nP8qS0tV2xZ4-deploy"
APP_SERVICES = {"migrate", "web", "worker-default", "worker-ocr", "worker-mail", "beat", "relay"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """scripts/build-image-steps.sh (the Dockerfile's compilemessages + collectstatic) into a temporary folder."""
    static_root = tmp_path_factory.mktemp("image") / "static"
    result = subprocess.run(
        ["sh", "scripts/build-image-steps.sh", str(static_root)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=os.environ | {"PYTHON": sys.executable},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {"static_root": static_root, "manifest": json.loads((static_root / "staticfiles.json").read_text())["paths"]}


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    """gunicorn with ./gunicorn.conf.py and production settings, behind one (pretended) TLS-terminating proxy."""
    var_dir = tmp_path_factory.mktemp("var")
    port = _free_port()
    log = var_dir / "gunicorn.log"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "GUNICORN_")) and k not in ("DATABASE_URL", "BIND", "PORT")
    }
    env |= {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(built["static_root"]),
        "BACKOFFICE_VAR_DIR": str(var_dir),
        "TRUSTED_PROXY_COUNT": "1",
        "CELERY_BROKER_URL": "safefs://",
        "BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "PRODUCTION_ALLOW_SQLITE": "true",
        "PRODUCTION_ALLOW_FILESYSTEM_BROKER": "true",  # one machine, on purpose
        "PRODUCTION_ALLOW_LOCAL_DOCUMENTS": "true",
        "PRODUCTION_ALLOW_INSECURE_SITE_URL": "true",
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield {"port": port, "log": log, "env": env}
    finally:
        process.terminate()
        process.wait(30)


# -- static files ------------------------------------------------------------------------------------------


def test_whitenoise_right_after_security_middleware_and_plain_storage_in_debug():
    middleware = settings.MIDDLEWARE
    assert (
        middleware[middleware.index("django.middleware.security.SecurityMiddleware") + 1]
        == "whitenoise.middleware.WhiteNoiseMiddleware"
    )
    # Tests run with the debug settings (pytest-django turns DEBUG off only afterwards) and render templates with no
    # collectstatic: plain names, no manifest needed.
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    dependencies = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'"whitenoise==\d+\.\d+\.\d+"', dependencies) and re.search(r'"brotli==[\d.]+"', dependencies)


def test_production_settings_use_the_compressed_manifest_storage(tmp_path):
    code = "from django.conf import settings as s; print(s.STORAGES['staticfiles']['BACKEND'])"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "x.example",
        "BACKOFFICE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://backoffice@db.x.example/backoffice",
        "CELERY_BROKER_URL": "redis://broker.x.example/0",
        "DOCUMENTS_S3_BUCKET": "documents",
        "SITE_URL": "https://x.example",
        "TRUSTED_PROXY_COUNT": "0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "whitenoise.storage.CompressedManifestStaticFilesStorage", (
        result.stderr
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", ["workflows/staff-login.css", "callcenter/console.css"])
def test_gunicorn_serves_hashed_compressed_static_files_cached_for_ever(server, built, name):
    hashed = built["manifest"][name]
    assert re.fullmatch(re.escape(name[:-4]) + r"\.[0-9a-f]{12}\.css", hashed)
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}

    status, headers, body = _get(server["port"], f"/static/{hashed}", **proxy)
    assert status == 200, body[:300]
    assert headers["content-type"].startswith("text/css")
    cache_control = headers["cache-control"]
    assert "immutable" in cache_control and int(re.search(r"max-age=(\d+)", cache_control)[1]) >= 365 * 24 * 3600
    assert (built["static_root"] / hashed).read_bytes() == body

    for encoding in ("br", "gzip"):
        status, headers, compressed = _get(
            server["port"], f"/static/{hashed}", **proxy, **{"Accept-Encoding": encoding}
        )
        assert (
            status == 200
            and headers.get("content-encoding") == encoding
            and "accept-encoding" in headers["vary"].lower()
        )
        assert len(compressed) < len(body)

    # Only hashed names are kept; a plain request over HTTP is sent to HTTPS first, as every page.
    assert _get(server["port"], f"/static/{name}", **proxy)[0] == 404
    status, headers, _ = _get(server["port"], f"/static/{hashed}")
    assert status == 301 and headers["location"].startswith("https://")


# -- gunicorn ----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_access_log_has_the_request_time_and_no_link_secret(server):
    _get(
        server["port"],
        "/invitation/SeCrEtInViTaTiOnToKeN/",
        **{"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.9"},
    )
    deadline = time.monotonic() + 10
    while '"GET /invitation/' not in server["log"].read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    log = server["log"].read_text()
    assert "SeCrEtInViTaTiOnToKeN" not in log
    line = next(line for line in log.splitlines() if '"GET /invitation/' in line)
    assert "SeCrEtInViTaTiOnToKeN" not in line and "/invitation/[redacted]/" in line
    assert "198.51.100.9" in line and re.search(r" \d+ms$", line), line


def _config(monkeypatch, **env: str) -> dict:
    for name in (
        "BIND",
        "PORT",
        "GUNICORN_WORKERS",
        "WEB_CONCURRENCY",
        "GUNICORN_THREADS",
        "GUNICORN_TIMEOUT",
        "TRUSTED_PROXY_COUNT",
        "FORWARDED_ALLOW_IPS",
        "DOCUMENTS_SANDBOX_TIMEOUT_SECONDS",
        "GUNICORN_CONTROL_SOCKET",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    from gunicorn.config import Config

    config = Config()
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)  # gunicorn's own validation
    return {name: config.settings[name].get() for name in config.settings}


def test_gunicorn_config_from_the_environment(monkeypatch):
    config = _config(monkeypatch)
    assert config["bind"] == ["0.0.0.0:8000"]
    assert config["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert config["threads"] >= 2  # gthread: a long upload does not silence its worker
    # Above the longest request: an upload whose files are parsed in the sandbox and stored in S3 (< 20 s).
    assert config["timeout"] > settings.DOCUMENTS_SANDBOX_TIMEOUT_SECONDS + 20 and config["graceful_timeout"] >= 30
    assert config["accesslog"] == "-" and "%(M)s" in config["access_log_format"]
    assert config["max_requests"] > 0 and 0 < config["max_requests_jitter"] < config["max_requests"]
    assert config["forwarded_allow_ips"] == []  # no proxy: nobody may say "https"
    assert config["wsgi_app"] == "backoffice.wsgi:application"

    config = _config(
        monkeypatch,
        PORT="9000",
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="4",
        GUNICORN_TIMEOUT="300",
        TRUSTED_PROXY_COUNT="1",
    )
    assert (config["bind"], config["workers"], config["threads"], config["timeout"]) == (["0.0.0.0:9000"], 3, 4, 300)
    assert config["forwarded_allow_ips"] == ["*"]
    config = _config(
        monkeypatch,
        BIND="127.0.0.1:8001,unix:/tmp/web.sock",
        WEB_CONCURRENCY="5",
        TRUSTED_PROXY_COUNT="2",
        FORWARDED_ALLOW_IPS="10.0.0.0/8",
    )
    assert (config["bind"], config["workers"], config["forwarded_allow_ips"]) == (
        ["127.0.0.1:8001", "unix:/tmp/web.sock"],
        5,
        ["10.0.0.0/8"],
    )


@pytest.mark.slow
def test_healthcheck_script(server):
    env = server["env"] | {"PORT": str(server["port"])}
    result = subprocess.run(
        [sys.executable, "scripts/healthcheck.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0 and result.stdout.strip() == "HTTP 200", result.stdout + result.stderr
    resolve("/staff/login/")  # the page it asks for exists
    result = subprocess.run(
        [sys.executable, "scripts/healthcheck.py"],
        cwd=ROOT,
        env=env | {"PORT": str(_free_port())},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1 and "unhealthy" in result.stderr


# -- the image ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_build_steps_compile_translations_and_collect_static(built):
    for language in ("ca", "es", "en"):
        mo = ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"
        assert (
            mo.exists() and mo.stat().st_mtime >= mo.with_suffix(".po").stat().st_mtime
        )  # compiled from the current .po
    hashed = built["manifest"]["viewflow/fonts/roboto/roboto-fontface.css"]
    assert (built["static_root"] / hashed).exists() and (built["static_root"] / f"{hashed}.br").exists()
    assert (built["static_root"] / f"{hashed}.gz").exists()
    assert not any("node_modules" in path for path in built["manifest"])


def test_dockerfile_runs_the_tested_steps():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim-bookworm$", dockerfile, re.M)
    for package in (
        "tesseract-ocr",
        "tesseract-ocr-spa",
        "tesseract-ocr-cat",
        "tesseract-ocr-eng",
        "poppler-utils",
        "gettext",
        "libmagic1",
        "fonts-dejavu-core",
        "fonts-liberation",
    ):
        assert re.search(rf"\s{re.escape(package)}(\s|$)", dockerfile), package
    assert "sh scripts/build-image-steps.sh" in dockerfile
    # every version from the hashed lock; the project itself adds none
    assert "--require-hashes -r requirements/runtime.txt" in dockerfile and "--no-deps ." in dockerfile
    runtime = (ROOT / "requirements" / "runtime.txt").read_text()
    pins = re.findall(r"^([A-Za-z0-9_.\-\[\]]+)==", runtime, re.M)
    assert "django" in {p.lower() for p in pins} and runtime.count("--hash=sha256:") >= len(pins)
    assert re.search(r"^USER app$", dockerfile, re.M) and re.search(r'^CMD \["gunicorn"\]$', dockerfile, re.M)
    assert "HEALTHCHECK" in dockerfile and "scripts/healthcheck.py" in dockerfile
    assert "DJANGO_SECRET_KEY" not in dockerfile  # the dummy build secret lives in the script, never in the image's ENV
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var"} <= set(ignored)


# -- compose -----------------------------------------------------------------------------------------------


def _compose(*args: str) -> subprocess.CompletedProcess:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (Makefile APT_PACKAGES installs it): compose.yaml not checked")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "COMPOSE_"))} | {
        "DJANGO_SECRET_KEY": SECRET
    }
    return subprocess.run(
        [binary, "-f", "compose.yaml", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_compose_file_is_valid():
    result = _compose("config", "-q")
    assert result.returncode == 0, result.stderr


def test_compose_stack():
    import yaml

    result = _compose("config")
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert {"postgres", "redis", "minio", "createbuckets"} | APP_SERVICES <= set(services)
    assert services["postgres"]["image"].startswith("postgres:15") and services["redis"]["image"].startswith("redis:7")
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1  # one image for every process

    def command(name):
        value = services[name]["command"]
        return value if isinstance(value, str) else " ".join(value)

    assert command("web") == "gunicorn"
    assert "manage.py migrate" in command("migrate")
    assert "manage.py relay_outbox" in command("relay")
    assert "celery -A backoffice beat" in command("beat")
    for name, queue in (("worker-default", "celery"), ("worker-ocr", "ocr"), ("worker-mail", "mail")):
        assert f"celery -A backoffice worker -Q {queue} " in command(name)
        assert services[name]["stop_grace_period"] and services[name]["healthcheck"]["test"]
    assert "nproc" in command("worker-ocr") and services["worker-ocr"]["environment"]["OMP_THREAD_LIMIT"] == "1"
    for name in APP_SERVICES - {"migrate"}:
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["createbuckets"]["condition"] == "service_completed_successfully", name
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["web"]["healthcheck"]["test"][-1] == "scripts/healthcheck.py"

    # Every variable given to the project's processes is one it reads (no typo goes unnoticed).
    readers = "".join(
        (ROOT / path).read_text()
        for path in ("backoffice/settings.py", "backoffice/celery.py", "gunicorn.conf.py", "scripts/healthcheck.py")
    )
    environment = services["web"]["environment"]
    for name in (
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "DOCUMENTS_S3_BUCKET",
        "DOCUMENTS_S3_ENDPOINT_URL",
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "SITE_URL",
        "TRUSTED_PROXY_COUNT",
        "AUDIT_ANCHOR_SINK",
    ):
        assert name in environment
    for name in environment:
        assert re.search(rf"""["']{name}["']""", readers), name
    assert environment["DJANGO_DEBUG"] == "false" and environment["DJANGO_SECRET_KEY"] == SECRET


def test_compose_refuses_to_start_without_a_secret():
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (Makefile APT_PACKAGES installs it)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [binary, "-f", "compose.yaml", "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
