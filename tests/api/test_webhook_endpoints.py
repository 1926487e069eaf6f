"""Webhook endpoints through the API: the page's form, checks and services; each person's endpoints are theirs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEvent
from webhooks.models import Attempt, Delivery, Endpoint, Event

URL = "https://hooks.example.com/in"


def _register(api, **body):
    return api.post("/api/v1/webhooks/", {"url": URL, "events": ["request.applied"]} | body)


def test_registering_answers_the_secret_once_and_lists_without_it(story, api_for):
    api = api_for(story.manager)
    created = _register(api, customer=story.customer.pk, description="ERP")
    assert created.status_code == 201, created.content
    body = created.json()
    row = Endpoint.objects.get()
    assert body["secret"] == row.secret and body["customer"] == story.customer.pk
    listed = api.get("/api/v1/webhooks/").json()["results"]
    assert [e["id"] for e in listed] == [row.pk] and "secret" not in listed[0]
    assert api.get(f"/api/v1/webhooks/{row.pk}/").json()["secret_hint"] == row.secret_hint
    assert AuditEvent.objects.filter(action="webhook.endpoint_registered", actor_label__contains="api token").exists()


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://hooks.example.com/in", "url_scheme"),
        ("https://user:pw@hooks.example.com/in", "url_credentials"),
        ("https://127.0.0.1/in", "url_address"),
        ("https://10.1.2.3/in", "url_address"),
        ("https://[::1]/in", "url_address"),
    ],
)
def test_the_pages_address_checks_hold_and_nothing_is_written(story, api_for, url, code):
    response = _register(api_for(story.representative), url=url)
    assert response.status_code == 400 and "url" in response.json()["error"]["fields"], response.content
    assert response.json()["error"]["code"] == code
    assert not Endpoint.objects.exists()


def test_every_company_needs_access_to_one_and_a_foreign_company_is_refused(story, api_for):
    assert _register(api_for(story.outsider), customer=story.customer.pk).status_code == 400
    assert _register(api_for(story.outsider)).status_code == 201  # every company it can see: its own
    assert Endpoint.objects.get().customer_id is None


def test_the_owner_changes_events_disables_tests_rotates_and_deletes(
    story, api_for, django_capture_on_commit_callbacks
):
    api = api_for(story.manager)
    row = Endpoint.objects.get(pk=_register(api).json()["id"])
    changed = api.patch(f"/api/v1/webhooks/{row.pk}/", {"events": ["invoice.issued", "request.rejected"]})
    assert changed.status_code == 200 and changed.json()["events"] == ["invoice.issued", "request.rejected"]
    assert AuditEvent.objects.filter(action="webhook.events_changed").count() == 1
    assert api.patch(f"/api/v1/webhooks/{row.pk}/", {"events": ["nonsense"]}).status_code == 400
    with django_capture_on_commit_callbacks(execute=False):
        sent = api.post(f"/api/v1/webhooks/{row.pk}/test/")
    assert sent.status_code == 202 and sent.json()["event"]["type"] == "webhook.test"
    rotated = api.post(f"/api/v1/webhooks/{row.pk}/secret/").json()["secret"]
    row.refresh_from_db()
    assert rotated == row.secret
    assert api.patch(f"/api/v1/webhooks/{row.pk}/", {"is_active": False}).json()["is_active"] is False
    refused = api.post(f"/api/v1/webhooks/{row.pk}/test/")
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "disabled")
    assert api.delete(f"/api/v1/webhooks/{row.pk}/").status_code == 204
    assert not Endpoint.objects.exists()
    # each change is audited as made through the API, not on the customer-area pages
    webhook_events = AuditEvent.objects.filter(action__startswith="webhook.").exclude(action="webhook.test_sent")
    assert {e.action for e in webhook_events} == {
        "webhook.endpoint_registered",
        "webhook.events_changed",
        "webhook.secret_rotated",
        "webhook.endpoint_disabled",
        "webhook.endpoint_deleted",
    }
    assert set(webhook_events.values_list("reason", flat=True)) == {"api"}


def test_someone_elses_endpoint_is_not_found_for_every_operation(story, api_for):
    row = Endpoint.objects.get(pk=_register(api_for(story.manager)).json()["id"])
    other = api_for(story.representative)
    base = f"/api/v1/webhooks/{row.pk}/"
    answers = [
        other.get(base),
        other.patch(base, {"is_active": False}),
        other.delete(base),
        other.get(f"{base}deliveries/"),
        other.post(f"{base}test/"),
        other.post(f"{base}secret/"),
    ]
    assert [a.status_code for a in answers] == [404] * 6
    assert other.get("/api/v1/webhooks/").json()["results"] == []
    row.refresh_from_db()
    assert row.is_active and not Delivery.objects.exists()


def _deliveries(endpoint: Endpoint, count: int) -> None:
    now = timezone.now()
    for n in range(count):
        event = Event.objects.create(type="webhook.test", data={"n": n})
        delivery = Delivery.objects.create(event=event, endpoint=endpoint, status="failed", attempt_count=2)
        Attempt.objects.bulk_create(
            [
                Attempt(delivery=delivery, number=k, started_at=now - timedelta(minutes=k), status_code=500)
                for k in (1, 2)
            ]
        )


def test_deliveries_come_with_their_attempts_last_first_at_a_fixed_cost(story, api_for):
    api = api_for(story.manager)
    few = Endpoint.objects.get(pk=_register(api).json()["id"])
    many = Endpoint.objects.get(pk=_register(api).json()["id"])
    _deliveries(few, 2)
    _deliveries(many, 20)

    def read(endpoint):
        with CaptureQueriesContext(connection) as captured:
            rows = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()
        return len(captured.captured_queries), rows

    (q_few, rows_few), (q_many, rows_many) = read(few), read(many)
    assert (len(rows_few), len(rows_many)) == (2, 20) and q_few == q_many
    assert [a["number"] for a in rows_many[0]["attempts"]] == [2, 1]
