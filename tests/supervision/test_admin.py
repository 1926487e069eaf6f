"""The Django admin's pages on the account store (supervision/admin.py): for supervisors and superusers only, read-only,
each list at a constant number of queries, and an audited "unlock" on the throttle's counters."""

import pytest
from django.apps import apps
from django.contrib.admin import helpers
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services, throttle
from accounts.models import AuditEvent, FailedAttempt, User
from tests import factories as f
from tests.workflows.paperwork import staff

pytestmark = pytest.mark.django_db

MODELS = ("person", "customer", "grant", "auditevent", "failedattempt")


def changelist(model: str) -> str:
    return reverse(f"admin:accounts_{model}_changelist")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def supervising(db) -> Client:
    return logged_in(staff("supervisors"))


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create(username="root", is_staff=True, is_superuser=True, password=f.password_hash())


def rows(n: int) -> None:
    """``n`` customers, each with a representative (a person, a grant, an audit event) and a counted try."""
    for _ in range(n):
        customer = f.customer(supply_points=0, invoices=())
        services.grant_role(customer=customer, person=f.person(), role="representative", actor=f.actor(), reason="test")
        throttle.attempt(throttle.PASSWORD, identifier=f"id{customer.pk}", address="10.0.0.1")


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", MODELS)
def test_a_list_costs_the_same_queries_for_2_rows_as_for_12(supervising, model):
    rows(2)
    few = queries_for(supervising, changelist(model))
    rows(10)
    assert queries_for(supervising, changelist(model)) == few


def test_a_superuser_sees_every_page_and_the_index_lists_them(superuser):
    client = logged_in(superuser)
    rows(1)
    for model in MODELS:
        assert client.get(changelist(model)).status_code == 200
    index = client.get(reverse("admin:index")).content.decode()
    assert all(changelist(model) in index for model in MODELS)


@pytest.mark.parametrize("model", MODELS)
def test_nothing_is_added_changed_or_deleted_here(supervising, superuser, model):
    rows(1)
    pk = apps.get_model("accounts", model).objects.order_by("pk").values_list("pk", flat=True).first()
    for client in (supervising, logged_in(superuser)):
        assert client.get(reverse(f"admin:accounts_{model}_add")).status_code == 403
        assert client.post(reverse(f"admin:accounts_{model}_delete", args=[pk]), {"post": "yes"}).status_code == 403
        assert client.post(reverse(f"admin:accounts_{model}_change", args=[pk]), {}).status_code == 403
        assert client.get(reverse(f"admin:accounts_{model}_change", args=[pk])).status_code == 200  # a read-only view


def test_the_audit_log_filters_by_action_actor_and_customer(supervising):
    rows(2)
    event = AuditEvent.objects.order_by("pk").first()
    page = supervising.get(
        changelist("auditevent"),
        {"customer__id__exact": event.customer_id, "actor_label": event.actor_label, "action": event.action},
    )
    assert page.status_code == 200 and page.context["cl"].result_count == 1
    assert 'href="?actor_label=' in page.content.decode()


def test_the_audit_log_has_no_delete_action(supervising):
    rows(1)
    page = supervising.get(changelist("auditevent"))
    assert "delete_selected" not in page.context["cl"].model_admin.get_actions(page.wsgi_request)


def test_a_verifier_gets_403_and_a_customer_never_reaches_the_admin(story):
    verifier = logged_in(staff("verifiers"))
    for model in MODELS:
        assert verifier.get(changelist(model)).status_code == 403
    assert "accounts_person" not in verifier.get(reverse("admin:index")).content.decode()
    customer = logged_in(story.representative.user)
    assert customer.get(changelist("person")).status_code == 403
    assert Client().get(changelist("person")).status_code == 302


def test_unlock_asks_why_then_lifts_the_lock_and_audits_it(settings, supervising):
    for _ in range(settings.LOCKOUT_MAX_ATTEMPTS):
        throttle.failed(throttle.attempt(throttle.PASSWORD, identifier="12345678Z", address="10.0.0.7"))
    assert throttle.is_locked(throttle.PASSWORD, identifier="12345678Z", address="10.0.0.7")
    selected = list(FailedAttempt.objects.filter(scope="password:id+ip").values_list("pk", flat=True)[:1])
    form = {"action": "unlock", helpers.ACTION_CHECKBOX_NAME: selected}
    asked = supervising.post(changelist("failedattempt"), form)
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    assert "12345678Z" not in asked.content.decode()
    assert throttle.is_locked(throttle.PASSWORD, identifier="12345678Z", address="10.0.0.7")
    done = supervising.post(changelist("failedattempt"), form | {"reason": "called the customer back"})
    assert done.status_code == 302
    assert not throttle.is_locked(throttle.PASSWORD, identifier="12345678Z", address="10.0.0.7")
    event = AuditEvent.objects.get(action="lock.lift")
    assert event.reason == "called the customer back" and event.actor.groups.filter(name="supervisors").exists()
    assert event.before["scope"] == "password:id+ip" and "12345678Z" not in event.before["key"]


def test_unlock_is_refused_to_a_verifier(settings):
    throttle.failed(throttle.attempt(throttle.PASSWORD, identifier="12345678Z", address="10.0.0.7"))
    verifier = logged_in(staff("verifiers"))
    pks = list(FailedAttempt.objects.values_list("pk", flat=True))
    response = verifier.post(
        changelist("failedattempt"),
        {"action": "unlock", helpers.ACTION_CHECKBOX_NAME: pks, "reason": "called the customer back"},
    )
    assert response.status_code == 403
    assert FailedAttempt.objects.count() == len(pks) and not AuditEvent.objects.filter(action="lock.lift").exists()


def test_the_actor_of_an_unlock_is_the_admin_user(superuser):
    throttle.attempt(throttle.PASSWORD, identifier="12345678Z", address="10.0.0.7")
    pks = list(FailedAttempt.objects.values_list("pk", flat=True))
    logged_in(superuser).post(
        changelist("failedattempt"),
        {"action": "unlock", helpers.ACTION_CHECKBOX_NAME: pks, "reason": "called the customer back"},
    )
    assert FailedAttempt.objects.count() == 0
    assert set(AuditEvent.objects.filter(action="lock.lift").values_list("actor", flat=True)) == {superuser.pk}
