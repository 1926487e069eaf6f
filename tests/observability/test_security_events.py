"""Security events on the ``security`` logger, each once, with an ``event`` field and never a secret or a whole NIF."""

import pytest
from django.urls import reverse

from accounts import throttle
from tests import factories
from tests.workflows.paperwork import (
    customer_actor,
    power_of_attorney,
    staff,
    staff_actor,
    start_change,
    task_of,
    upload,
)
from workflows import services

pytestmark = pytest.mark.django_db

WRONG_PASSWORD = "Not-The-Password-42!"


def assert_clean(security_log, *secrets):
    text = "\n".join(security_log.text)
    for secret in secrets:
        assert secret not in text


def test_a_customer_login_failure_is_logged_once_with_the_nif_masked(client, security_log):
    person = factories.person(login=True)
    client.post(reverse("portal:login"), {"id_number": person.id_number, "password": WRONG_PASSWORD})
    [line] = security_log.events("login.failed")
    assert line["secret"] == "password" and line["key"].endswith(person.id_number[-3:])
    assert line["level"] == "INFO" and line["logger"] == "security"
    assert_clean(security_log, person.id_number, WRONG_PASSWORD, factories.PASSWORD)


def test_a_staff_login_failure_is_logged_once(client, security_log):
    user = factories.staff_user("verifier")
    client.post(reverse("staff_login"), {"username": user.username, "password": WRONG_PASSWORD})
    [line] = security_log.events("login.failed")
    assert line["secret"] == "staff_password" and line["key"].endswith(user.username[-3:])
    assert_clean(security_log, WRONG_PASSWORD, user.username)


def test_a_lockout_is_logged_once_when_a_try_is_refused(client, settings, security_log):
    settings.LOCKOUT_MAX_ATTEMPTS = 2
    person = factories.person(login=True)
    for _ in range(2):
        client.post(reverse("portal:login"), {"id_number": person.id_number, "password": WRONG_PASSWORD})
    assert security_log.events("lockout") == []
    client.post(reverse("portal:login"), {"id_number": person.id_number, "password": factories.PASSWORD})
    [line] = security_log.events("lockout")
    assert line["scope"] == "password:id+ip" and line["level"] == "WARNING"
    assert len(security_log.events("login.failed")) == 2  # the refused try was not checked
    assert_clean(security_log, person.id_number, WRONG_PASSWORD, factories.PASSWORD)


def test_an_unlock_is_logged_once(client, settings, security_log):
    for _ in range(settings.LOCKOUT_MAX_ATTEMPTS):
        throttle.failed(throttle.attempt(throttle.PASSWORD, identifier="12345678Z", address="10.0.0.7"))
    [lock] = [lock for lock in throttle.active_locks() if lock.scope == "password:id+ip"]
    client.force_login(staff("supervisors"))
    client.post(
        reverse("staff:supervision:lift_lock"),
        {"scope": lock.scope, "key": lock.key, "reason": "called the customer back"},
    )
    [line] = security_log.events("unlock")
    assert line["scope"] == "password:id+ip" and line["key"].startswith("•")
    assert_clean(security_log, "12345678Z")


def test_a_password_reset_request_is_logged_once_whether_or_not_the_nif_is_known(client, security_log):
    person = factories.person(login=True)
    client.post(reverse("portal:forgot_password"), {"id_number": person.id_number})
    client.post(reverse("portal:forgot_password"), {"id_number": "87654321X"})
    lines = security_log.events("password_reset.requested")
    assert len(lines) == 2 and lines[0]["message"].endswith(person.id_number[-3:])
    assert_clean(security_log, person.id_number, "87654321X")


def test_a_customer_refused_another_companys_page_is_logged_once(client, security_log):
    person = factories.person(login=True)
    other = factories.customer()
    client.force_login(person.user)
    assert client.get(reverse("portal:contacts", args=[other.pk])).status_code == 404
    [line] = security_log.events("access.refused")
    assert line["target"] == f"customer {other.pk}" and line["user_id"] == person.user.pk


def test_a_staff_page_refused_to_a_verifier_is_logged_once(client, security_log):
    verifier = staff("verifiers")
    client.force_login(verifier)
    assert client.get(reverse("staff:supervision:locks")).status_code == 403
    [line] = security_log.events("access.refused")
    assert line["target"] == reverse("staff:supervision:locks") and line["user_id"] == verifier.pk


def test_a_customer_in_the_staff_site_is_logged_once(client, security_log):
    person = factories.person(login=True)
    client.force_login(person.user)
    assert client.get("/staff/").status_code == 403
    [line] = security_log.events("access.refused")
    assert line["target"] == "/staff/"


def test_a_page_allowed_logs_no_refusal(client, security_log):
    story = factories.Story()
    client.force_login(story.representative.user)
    assert client.get(reverse("portal:contacts", args=[story.customer.pk])).status_code == 200
    assert security_log.events("access.refused") == []


@pytest.mark.parametrize(
    ("decision", "fields"),
    [
        ("approve", {}),
        ("more_documents", {"customer_message": "The second page of the power of attorney, please."}),
    ],
)
def test_a_staff_decision_is_logged_once_with_the_requests_reference(
    story, django_capture_on_commit_callbacks, security_log, decision, fields
):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=customer_actor(story.representative))
    process.refresh_from_db()
    verifier = staff("verifiers")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            task_id=task_of(process, "verify").pk,
            user=verifier,
            decision=decision,
            actor=staff_actor(verifier),
            **fields,
        )
    [line] = security_log.events("decision")
    assert line["decision"] == decision and line["request_ref"] == process.reference


def test_a_document_refused_to_an_outsider_is_logged_once(client, story, security_log):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents import services as documents
    from tests.documents import samples

    document_set = start_change(story).document_set
    pdf = documents.add_document(
        document_set=document_set,
        uploaded=SimpleUploadedFile("poder.pdf", samples.pdf(1)),
        original_name="poder.pdf",
        actor=factories.actor(),
    )
    client.force_login(story.outsider.user)
    assert client.get(reverse("documents:file", args=[pdf.pk])).status_code == 404
    client.force_login(story.representative.user)
    assert client.get(reverse("documents:file", args=[pdf.pk])).status_code == 200
    [line] = security_log.events("access.refused")
    assert line["target"] == f"document {pdf.pk}" and line["user_id"] == story.outsider.user.pk
