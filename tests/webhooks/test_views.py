"""The customer area's webhook pages: the owner's alone, bad input answered on the form, the secret shown once."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from tests.factories import grant, person, staff_user
from webhooks.models import Attempt, Delivery, Endpoint, Event

from .helpers import endpoint

pytestmark = pytest.mark.django_db

ACTIONS = ("webhooks:rotate_secret", "webhooks:send_test", "webhooks:set_active", "webhooks:delete")


def logged_in(client, who):
    client.force_login(who.user if hasattr(who, "user") else who)
    return client


def form(customer="all", url="https://hooks.example.com/in", events=("request.applied", "invoice.issued")):
    return {"url": url, "description": "ERP", "customer": str(customer), "events": list(events)}


def test_the_menu_and_the_list_show_only_ones_own_endpoints(client, story):
    mine, _ = endpoint(story.representative, customer=story.customer, url="https://mine.example.com/in")
    endpoint(story.manager, url="https://theirs.example.com/in")
    page = logged_in(client, story.representative).get(reverse("webhooks:endpoints"))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("webhooks:endpoints") in html and "mine.example.com" in html and "theirs.example.com" not in html


def test_registering_shows_the_secret_once(client, story):
    logged_in(client, story.manager)
    answer = client.post(reverse("webhooks:new"), form(customer=story.customer.pk))
    row = Endpoint.objects.get()
    assert answer.status_code == 200 and row.secret in answer.content.decode()
    assert "no-store" in answer["Cache-Control"]
    assert row.owner == story.manager and row.customer == story.customer
    assert row.events == ["invoice.issued", "request.applied"]
    detail = client.get(reverse("webhooks:endpoint", args=[row.pk])).content.decode()
    assert row.secret not in detail and row.secret_hint in detail


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        (form(url="http://10.0.0.1/hook"), "url", "url_scheme"),
        (form(url="https://169.254.169.254/latest/meta-data/"), "url", "url_address"),
        (form(url="file:///etc/passwd"), "url", "url_scheme"),
        (form(url="https://" + "a" * 600 + ".com/"), "url", "max_length"),
        (form(url=""), "url", "required"),
        (form(events=()), "events", "required"),
        (form(events=("request.applied", "everything")), "events", "invalid_choice"),
        (form(customer="99999999"), "customer", "invalid_choice"),
        (form(customer="../../etc"), "customer", "invalid_choice"),
    ],
)
def test_bad_input_is_answered_on_the_form_and_writes_nothing(client, story, data, field, code):
    answer = logged_in(client, story.manager).post(reverse("webhooks:new"), data)
    assert answer.status_code == 200
    assert [error.code for error in answer.context["form"].errors.as_data()[field]] == [code]
    # shown, in the person's language
    assert answer.context["form"].errors[field][0] in html.unescape(answer.content.decode())
    assert not Endpoint.objects.exists() and not AuditEvent.objects.filter(action__startswith="webhook.").exists()


def test_nobody_registers_for_a_customer_they_do_not_see(client, story):
    answer = logged_in(client, story.outsider).post(reverse("webhooks:new"), form(customer=story.customer.pk))
    assert answer.status_code == 200 and "customer" in answer.context["form"].errors
    assert not Endpoint.objects.exists()


def test_the_customer_choices_are_the_companies_one_sees(client, story):
    page = logged_in(client, story.outsider).get(reverse("webhooks:new"))
    choices = [value for value, _label in page.context["form"].fields["customer"].choices]
    assert choices == ["all", str(story.other_customer.pk)]


def _intruders(story):
    scoped = person(login=True)
    point = story.customer.contracts.first().supply_points.first()
    grant(customer=story.customer, person=scoped, role="external_manager", firm=story.firm, supply_points=[point])
    return {
        "other customer": story.outsider,
        "read-only contact": story.readonly,
        "scoped manager": scoped,
        "representative of the same customer": story.representative,
    }


def test_someone_elses_endpoint_is_not_found_for_everyone_else(client, story):
    row, secret = endpoint(story.manager, customer=story.customer)
    for who, intruder in _intruders(story).items():
        logged_in(client, intruder)
        assert client.get(reverse("webhooks:endpoint", args=[row.pk])).status_code == 404, who
        for name in ACTIONS:
            assert client.post(reverse(name, args=[row.pk]), {"active": "0"}).status_code == 404, (who, name)
    row.refresh_from_db()
    assert row.secret == secret and row.is_active and not Event.objects.exists()


def test_anonymous_and_staff_are_sent_to_the_customer_login(client, story):
    row, _secret = endpoint(story.manager, customer=story.customer)
    staff = staff_user()
    for who in (None, staff):
        if who is not None:
            client.force_login(who)
        for url in (
            reverse("webhooks:endpoints"),
            reverse("webhooks:new"),
            reverse("webhooks:endpoint", args=[row.pk]),
        ):
            answer = client.get(url)
            assert answer.status_code == 302 and reverse("portal:login") in answer["Location"], (who, url)
        answer = client.post(reverse("webhooks:delete", args=[row.pk]))
        assert answer.status_code == 302 and reverse("portal:login") in answer["Location"]
    assert Endpoint.objects.filter(pk=row.pk).exists()


def test_get_on_a_button_is_refused(client, story):
    row, _secret = endpoint(story.manager, customer=story.customer)
    logged_in(client, story.manager)
    for name in ACTIONS:
        assert client.get(reverse(name, args=[row.pk])).status_code == 405
    assert Endpoint.objects.filter(pk=row.pk, is_active=True).exists()


def test_the_owners_buttons(client, story, django_capture_on_commit_callbacks):
    row, secret = endpoint(story.manager, customer=story.customer)
    logged_in(client, story.manager)
    rotated = client.post(reverse("webhooks:rotate_secret", args=[row.pk]))
    row.refresh_from_db()
    assert row.secret != secret and row.secret in rotated.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("webhooks:send_test", args=[row.pk]))
    [delivery] = Delivery.objects.filter(endpoint=row)
    assert delivery.event.type == "webhook.test"
    page = client.get(reverse("webhooks:endpoint", args=[row.pk])).content.decode()
    assert delivery.event.public_id in page
    disabled = client.post(reverse("webhooks:set_active", args=[row.pk]), {"active": "0"}, follow=True)
    assert [m.level_tag for m in disabled.context["messages"]] == ["success"]
    row.refresh_from_db()
    assert not row.is_active
    answer = client.post(reverse("webhooks:send_test", args=[row.pk]), follow=True)
    assert [m.level_tag for m in answer.context["messages"]] == ["error"]
    assert Delivery.objects.filter(endpoint=row).count() == 1
    client.post(reverse("webhooks:delete", args=[row.pk]))
    assert not Endpoint.objects.filter(pk=row.pk).exists()


def test_the_endpoint_page_costs_the_same_queries_for_many_deliveries(client, story):
    row, _secret = endpoint(story.manager, customer=story.customer)
    logged_in(client, story.manager)

    def add(count: int) -> None:
        for _ in range(count):
            event = Event.objects.create(type="webhook.test", data={})
            delivery = Delivery.objects.create(event=event, endpoint=row, attempt_count=2)
            Attempt.objects.create(delivery=delivery, number=1, status_code=500)
            Attempt.objects.create(delivery=delivery, number=2, status_code=204)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("webhooks:endpoint", args=[row.pk])).status_code == 200
        return len(captured)

    add(1)
    one = queries()
    add(20)
    assert queries() == one
