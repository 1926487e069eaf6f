"""The profile: the password changed from it (the current one first) with a notice e-mail, and an e-mail
change told to the OLD address once the new one confirms it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent, FailedAttempt
from tests import factories as f
from tests.portal.helpers import login_as

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Nova-Clau-2026!x"


@pytest.fixture
def person(db):
    someone = f.person(login=True, name="Helena Perfil", email="helena@example.com")
    f.grant(customer=f.customer(), person=someone, role="representative")
    return someone


def _change(client, current=f.PASSWORD, new=NEW_PASSWORD, repeat=None):
    return client.post(
        reverse("portal:profile"),
        {"action": "password", "current_password": current, "password1": new, "password2": repeat or new},
    )


def test_the_profile_page_offers_name_phone_email_and_password(client, person):
    login_as(client, person)
    text = client.get(reverse("portal:profile")).content.decode()
    for field in ('name="name"', 'name="phone"', 'name="email"', 'name="current_password"', 'name="password1"'):
        assert field in text


def test_changing_the_password_keeps_the_session_and_tells_the_person(
    client, person, django_capture_on_commit_callbacks
):
    login_as(client, person)
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(client)
    assert response.status_code == 302
    person.user.refresh_from_db()
    assert person.user.check_password(NEW_PASSWORD)
    assert client.get(reverse("portal:profile")).status_code == 200  # still logged in
    notice = [m for m in mail.outbox if m.to == ["helena@example.com"]]
    assert len(notice) == 1 and "contrasenya" in notice[0].subject
    assert AuditEvent.objects.filter(action="person.password_changed", target_id=str(person.pk)).count() == 1


def test_a_wrong_current_password_changes_nothing_and_counts(client, person, django_capture_on_commit_callbacks):
    login_as(client, person)
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(client, current="Not-The-Password-1")
    assert response.status_code == 400
    assert "La contrasenya actual no és correcta." in response.content.decode()
    person.user.refresh_from_db()
    assert person.user.check_password(f.PASSWORD)
    assert mail.outbox == [] and FailedAttempt.objects.exists()
    assert not AuditEvent.objects.filter(action="person.password_changed").exists()


def test_a_weak_or_mismatched_new_password_is_refused(client, person):
    login_as(client, person)
    assert _change(client, new="short").status_code == 400
    assert _change(client, repeat="Another-Pass-2026!").status_code == 400
    person.user.refresh_from_db()
    assert person.user.check_password(f.PASSWORD)


def test_the_password_is_locked_after_too_many_wrong_current_passwords(client, person, settings):
    settings.LOCKOUT_MAX_ATTEMPTS = 2
    login_as(client, person)
    for _ in range(2):
        _change(client, current="Not-The-Password-1")
    response = _change(client)
    assert response.status_code == 400
    person.user.refresh_from_db()
    assert person.user.check_password(f.PASSWORD)


def test_anonymous_cannot_change_a_password(client, person):
    response = _change(client)
    assert response.status_code == 302 and reverse("portal:login") in response["Location"]


def test_an_email_change_is_told_to_the_old_address(client, person, django_capture_on_commit_callbacks):
    login_as(client, person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:profile"), {"action": "email", "email": "helena.nova@example.com"})
    link = re.search(r"https?://\S+(/profile/email/\S+/)", mail.outbox[-1].body).group(1)
    assert mail.outbox[-1].to == ["helena.nova@example.com"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    assert mail.outbox[-1].to == ["helena@example.com"]
    assert "helena.nova@example.com" in mail.outbox[-1].body
