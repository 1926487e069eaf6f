"""Staff second factor: TOTP enrolment on first login, recovery codes, and no staff page before it."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

INBOX = "/staff/workflow/inbox/"


def verifier():
    user = factories.staff_user("verifier")
    user.groups.add(Group.objects.get(name="verifiers"))
    return user


def log_in_with_password(client, user, next_url=INBOX):
    return client.post(
        f"{reverse('staff_login')}?next={next_url}", {"username": user.username, "password": factories.PASSWORD}
    )


def wrong_code(device) -> str:
    right = {factories.totp_code(device, steps_ahead=n) for n in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


def enrol(client, user) -> list[str]:
    log_in_with_password(client, user)
    client.get(reverse("staff_mfa_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("staff_mfa_enrol"), {"code": factories.totp_code(device), "next": INBOX})
    return re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())


def test_a_password_alone_does_not_reach_staff_pages(client):
    user = verifier()
    response = log_in_with_password(client, user)
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff_mfa_enrol"))
    for url in (INBOX, "/staff/", "/staff/supervision/holds/", "/staff/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("staff_mfa_enrol")), url


def test_a_password_alone_of_an_enrolled_user_leads_to_the_code_page(client):
    user = verifier()
    factories.totp_device(user)
    response = log_in_with_password(client, user)
    assert response["Location"].startswith(reverse("staff_mfa_verify"))
    assert client.get(INBOX)["Location"].startswith(reverse("staff_mfa_verify"))
    # and the enrolment page does not let a password alone replace the device
    assert client.get(reverse("staff_mfa_enrol"))["Location"].startswith(reverse("staff_mfa_verify"))


def test_enrolment_refuses_a_wrong_code_and_accepts_the_right_one(client):
    user = verifier()
    log_in_with_password(client, user)
    page = client.get(reverse("staff_mfa_enrol"), HTTP_ACCEPT_LANGUAGE="en")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r"data-mfa-secret>([A-Z2-7 ]+)<", page.content.decode())[1]
    assert "otpauth://totp/" in page.content.decode() and secret.replace(" ", "") in device.config_url

    response = client.post(
        reverse("staff_mfa_enrol"), {"code": wrong_code(device), "next": INBOX}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and "That code is not right" in response.content.decode()
    assert client.get(INBOX).status_code == 302

    response = client.post(reverse("staff_mfa_enrol"), {"code": factories.totp_code(device), "next": INBOX})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert AuditEvent.objects.filter(action="staff_mfa.enrol").count() == 1
    assert client.get(INBOX).status_code == 200


def test_recovery_codes_are_shown_once_and_each_works_once(client):
    user = verifier()
    codes = enrol(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    page = client.get(reverse("staff_mfa_verify"))
    assert page.status_code == 200 and not any(code in page.content.decode() for code in codes)

    client.post(reverse("logout"))
    log_in_with_password(client, user)
    response = client.post(reverse("staff_mfa_verify"), {"code": codes[0].upper(), "next": INBOX})
    assert response.status_code == 302 and response["Location"] == INBOX
    assert client.get(INBOX).status_code == 200

    client.post(reverse("logout"))
    log_in_with_password(client, user)
    response = client.post(reverse("staff_mfa_verify"), {"code": codes[0], "next": INBOX})
    assert response.status_code == 200  # used up
    assert client.get(INBOX).status_code == 302
    assert client.post(reverse("staff_mfa_verify"), {"code": codes[1], "next": INBOX}).status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 8


def test_a_verified_session_reaches_staff_pages(client):
    user = verifier()
    device = factories.totp_device(user)
    log_in_with_password(client, user)
    response = client.post(reverse("staff_mfa_verify"), {"code": factories.totp_code(device), "next": INBOX})
    assert response.status_code == 302 and response["Location"] == INBOX
    assert client.get(INBOX).status_code == 200


def test_an_outside_next_is_not_followed(client):
    user = verifier()
    device = factories.totp_device(user)
    log_in_with_password(client, user)
    response = client.post(
        reverse("staff_mfa_verify"), {"code": factories.totp_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("staff:index")


def test_customers_are_unaffected(client, story):
    response = client.post(
        reverse("portal:login"), {"id_number": story.representative.id_number, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    response = client.get(reverse("portal:home"), follow=True)
    assert response.status_code == 200 and not response.request["PATH_INFO"].startswith("/staff/")  # no code asked
    assert client.get(reverse("staff_mfa_verify")).status_code == 403
    assert client.get(reverse("staff_mfa_enrol")).status_code == 403


def test_the_mfa_pages_need_the_password_first(client):
    response = client.get(reverse("staff_mfa_verify"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff_login"))


def test_wrong_codes_lock_even_the_right_one(client, settings):
    settings.LOCKOUT_MAX_ATTEMPTS = 3
    user = verifier()
    device = factories.totp_device(user)
    log_in_with_password(client, user)
    for _ in range(3):
        assert client.post(reverse("staff_mfa_verify"), {"code": wrong_code(device)}).status_code == 200
    response = client.post(
        reverse("staff_mfa_verify"), {"code": factories.totp_code(device)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429 and "Too many wrong codes" in response.content.decode()
    assert client.get(INBOX).status_code == 302


def test_force_login_of_staff_in_tests_is_verified(client):
    client.force_login(verifier())
    assert client.get(INBOX).status_code == 200
