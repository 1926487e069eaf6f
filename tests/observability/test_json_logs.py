"""Log lines as JSON objects (and their text twin), with the request id, the user and the request's reference."""

import json
import logging
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

import log_context
from backoffice.observability import JsonFormatter, TextFormatter
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def record(message="hello %s", args=("world",), level=logging.WARNING, exc_info=None, **extra):
    made = logging.getLogger("tests.observability").makeRecord(
        "tests.observability", level, __file__, 1, message, args, exc_info, extra=extra
    )
    return made


def test_a_line_is_one_json_object_with_the_fields_an_operator_filters_on():
    token = log_context.request_id.set("req-json-1")
    user_token = log_context.user_id.set(42)
    try:
        line = JsonFormatter().format(record(request_ref="RC-ABC234", event="test.event", count=3))
    finally:
        log_context.request_id.reset(token)
        log_context.user_id.reset(user_token)
    assert "\n" not in line
    entry = json.loads(line)
    assert (
        entry["level"] == "WARNING" and entry["logger"] == "tests.observability" and entry["message"] == "hello world"
    )
    assert entry["request_id"] == "req-json-1" and entry["user_id"] == 42 and entry["request_ref"] == "RC-ABC234"
    assert entry["event"] == "test.event" and entry["count"] == 3
    stamp = datetime.fromisoformat(entry["timestamp"].replace("Z", "+00:00"))
    assert entry["timestamp"].endswith("Z") and stamp.utcoffset().total_seconds() == 0
    assert len(entry["timestamp"].split(".")[1]) == len("123Z")  # milliseconds


def test_outside_a_request_the_ids_are_null():
    entry = json.loads(JsonFormatter().format(record()))
    assert entry["request_id"] is None and entry["user_id"] is None and entry["request_ref"] is None


def test_an_exception_is_written_as_text_within_the_line():
    try:
        raise ValueError("boom")
    except ValueError:
        line = JsonFormatter().format(record(exc_info=sys.exc_info()))
    entry = json.loads(line)
    assert "Traceback" in entry["exc_info"] and "ValueError: boom" in entry["exc_info"]


def test_secrets_of_links_are_redacted_in_extras_and_tracebacks():
    try:
        raise ValueError("GET /invitation/s3cr3t-token-value/ failed")
    except ValueError:
        line = JsonFormatter().format(record(exc_info=sys.exc_info(), path="/upload/RC-ABC234/s3cr3t-token-value/"))
    assert "s3cr3t-token-value" not in line and "[redacted]" in line


def test_the_text_format_has_the_same_fields_on_one_line():
    token = log_context.request_id.set("req-text-1")
    try:
        line = TextFormatter().format(record(request_ref="RC-ABC234"))
    finally:
        log_context.request_id.reset(token)
    assert " WARNING tests.observability [req-text-1] hello world" in line and "request_ref=RC-ABC234" in line


def test_a_request_logs_its_id_and_the_logged_in_user(client, db, security_log):
    """A logged-in customer refused another company's page: the line names the request and the user."""
    story_person = factories.person(login=True)
    other = factories.customer()
    client.force_login(story_person.user)
    response = client.get(f"/customers/{other.pk}/contacts/", HTTP_X_REQUEST_ID="req-user-1")
    assert response.status_code == 404
    [line] = security_log.events("access.refused")
    assert line["request_id"] == "req-user-1" and line["user_id"] == story_person.user.pk


def _logging_config(env: dict) -> str:
    code = (
        "import django, logging; django.setup(); from django.conf import settings; "
        "print(settings.LOG_FORMAT, type(logging.getLogger().handlers[0].formatter).__name__, "
        "[type(f).__name__ for f in logging.getLogger().handlers[0].filters])"
    )
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "backoffice.settings",
        "BACKOFFICE_VAR_DIR": env.pop("VAR"),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base | env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "example.com",
    "TRUSTED_PROXY_COUNT": "0",
    "PRODUCTION_ALLOW_SQLITE": "true",
    "PRODUCTION_ALLOW_FILESYSTEM_BROKER": "true",
    "PRODUCTION_ALLOW_LOCAL_DOCUMENTS": "true",
    "PRODUCTION_ALLOW_INSECURE_SITE_URL": "true",
}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "text TextFormatter ['RedactTokensFilter']"),
        ({"LOG_FORMAT": "json"}, "json JsonFormatter ['RedactTokensFilter']"),
        (PRODUCTION, "json JsonFormatter ['RedactTokensFilter']"),
        (PRODUCTION | {"LOG_FORMAT": "text"}, "text TextFormatter ['RedactTokensFilter']"),
    ],
)
def test_log_format_chooses_the_console_formatter_and_keeps_the_redaction(tmp_path, env, expected):
    assert _logging_config({"VAR": str(tmp_path)} | env) == expected
