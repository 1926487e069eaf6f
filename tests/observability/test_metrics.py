"""/metrics: closed to the public, read from the database at scrape time; Sentry only with a DSN."""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from accounts.audit import Actor
from outbox import services as outbox
from outbox.models import Email
from supervision.tasks import record_heartbeat
from tests.workflows.paperwork import start_change

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = "203.0.113.9"


def samples(response) -> dict[tuple, float]:
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_closed_to_an_outside_address_without_the_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE).status_code == 404
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="s3cret-scrape-token").status_code == 404


def test_open_to_the_bearer_of_the_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")


def test_without_a_token_set_no_bearer_gets_in(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_open_to_the_allowed_networks_only(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "::1/128"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


def test_a_forwarded_address_counts_only_through_trusted_proxies(client, settings):
    settings.METRICS_TOKEN = ""
    settings.TRUSTED_PROXY_COUNT = 1  # a load balancer on this machine: the client is who it says
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OUTSIDE).status_code == 404


def test_the_product_figures_come_from_the_database(client, story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start_change(story)
    Email.objects.create(
        key="metrics-test", to="a@example.com", template="x", language="ca", status=Email.Status.FAILED
    )
    outbox.publish("outbox.tasks.purge_relayed")  # in the test's transaction: never offered, still waiting
    outbox.publish("accounts.tasks.deliver_emails", kwargs={"ids": []})
    record_heartbeat(name="queue:ocr", sent_at=timezone.now() - timedelta(seconds=5))
    found = samples(client.get("/metrics"))
    assert found[("backoffice_paperwork_requests", (("process", "representativechange"), ("state", "open")))] == 1
    assert found[("backoffice_emails", (("status", "failed"),))] == 1
    assert found[("backoffice_queue_depth", (("queue", "celery"), ("source", "outbox")))] >= 1
    assert found[("backoffice_queue_depth", (("queue", "mail"), ("source", "outbox")))] >= 1
    assert found[("backoffice_decisions_last_hour", (("outcome", "approve"),))] == 0
    assert 0 <= found[("backoffice_heartbeat_age_seconds", (("name", "queue:ocr"),))] < 60
    assert 5 <= found[("backoffice_heartbeat_age_seconds", (("name", "beat"),))] < 60
    assert found[("backoffice_precheck_duration_seconds_count", ())] >= 0


def test_decisions_and_sla_breaches_are_counted(client, story, django_capture_on_commit_callbacks):
    from django.db import transaction

    from accounts import audit

    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    type(process).objects.filter(pk=process.pk).update(escalated_at=timezone.now())
    with transaction.atomic():
        audit.record(
            actor=Actor.system("test"),
            action="request.reject",
            target=process,
            customer_id=process.customer_id,
            before=None,
            after=None,
            reason="test",
        )
    found = samples(client.get("/metrics"))
    assert found[("backoffice_sla_breaches", (("process", "representativechange"),))] == 1
    assert found[("backoffice_decisions_last_hour", (("outcome", "reject"),))] == 1


def _sentry_client_active(tmp_path, **env) -> str:
    code = (
        "import django; django.setup(); import sentry_sdk; c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options['send_default_pii'], c.options['before_send'].__name__ if c.is_active() else '-')"
    )
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "backoffice.settings",
        "BACKOFFICE_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base | env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_sentry_is_initialised_only_with_a_dsn(tmp_path):
    assert _sentry_client_active(tmp_path).startswith("False ")
    # A DSN on a closed local port: nothing is sent (no event is raised), and nothing leaves the machine.
    assert _sentry_client_active(tmp_path, SENTRY_DSN="http://public@127.0.0.1:9/1") == "True False redact_event"


def test_sentry_events_are_redacted_before_they_leave():
    from backoffice.observability import redact_event

    event = {
        "request": {"url": "https://example.com/invitation/s3cr3t-token/"},
        "breadcrumbs": [{"message": "GET /upload/RC-ABC234/s3cr3t-token/"}],
        "level": "error",
    }
    assert "s3cr3t-token" not in repr(redact_event(event, {}))
