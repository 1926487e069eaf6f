"""The staff site's own login: staff only, locked after repeated failures, customers never in."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_verifier_logs_in_with_password_and_code_and_reaches_the_inbox(client):
    user = factories.staff_user("verifier")
    user.groups.add(Group.objects.get(name="verifiers"))
    device = factories.totp_device(user)
    response = client.post(reverse("staff_login"), {"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff_mfa_verify"))
    response = client.post(response["Location"], {"code": factories.totp_code(device)})
    assert response.status_code == 302
    assert client.get("/staff/workflow/inbox/").status_code == 200


def test_staff_user_without_a_role_sees_no_requests(client):
    client.force_login(factories.staff_user("nobody"))
    assert client.get("/staff/workflow/inbox/").status_code == 403


def test_customer_account_is_refused_at_the_staff_login(client, story):
    response = client.post(
        reverse("staff_login"),
        {"username": story.representative.id_number, "password": factories.PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "This is the staff site" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_login_locks_after_repeated_failures_even_with_the_right_password(client, settings):
    settings.LOCKOUT_MAX_ATTEMPTS = 3
    user = factories.staff_user("agent")
    for _ in range(3):
        assert client.post(reverse("staff_login"), {"username": user.username, "password": "wrong"}).status_code == 200
    response = client.post(
        reverse("staff_login"), {"username": user.username, "password": factories.PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_compatibility_and_case_variants_of_a_user_name_share_its_lock(client, settings):
    settings.LOCKOUT_MAX_PER_ACCOUNT = 3
    user = factories.staff_user("supervisor")
    fullwidth = (
        "".join(chr(ord(c) + 0xFEE0) if c.isalpha() and c.islower() else c for c in user.username[:2])
        + user.username[2:]
    )
    for n, variant in enumerate((user.username, user.username.upper(), fullwidth)):  # each from another address
        assert (
            client.post(
                reverse("staff_login"), {"username": variant, "password": "wrong"}, REMOTE_ADDR=f"127.0.0.{n + 2}"
            ).status_code
            == 200
        )
    response = client.post(
        reverse("staff_login"), {"username": fullwidth, "password": factories.PASSWORD}, REMOTE_ADDR="127.0.0.9"
    )
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_anonymous_visitor_of_the_staff_site_goes_to_the_staff_login(client):
    response = client.get("/staff/workflow/queue/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff_login"))


def test_logged_in_customer_gets_403_on_the_staff_site(client, story):
    client.force_login(story.representative.user)
    for url in ("/staff/", "/staff/workflow/inbox/", "/staff/workflow/queue/", "/staff/admin/"):
        assert client.get(url).status_code in (403, 302), url
    assert client.get("/staff/workflow/queue/").status_code == 403
