"""The person's own identity: name, phone and language at once; a new e-mail only from the new address."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, EmailChange, Person
from tests import factories as f
from tests import mailbox
from tests.portal.helpers import login_as, use_language

pytestmark = pytest.mark.django_db


def test_profile_changes_name_phone_and_language_and_audits_it(client, story):
    login_as(client, story.full)
    response = client.post(
        reverse("portal:profile"),
        {"action": "details", "name": "  Full   Access Nou ", "phone": "600 22 33 44", "language": "es"},
    )
    assert response.status_code == 302
    story.full.refresh_from_db()
    assert (story.full.name, story.full.phone, story.full.language) == ("Full Access Nou", "600223344", "es")
    event = AuditEvent.objects.get(action="person.update", target_id=str(story.full.pk))
    assert (
        event.actor == story.full.user
        and event.before["name"] == "Full Access"
        and event.after["name"] == "Full Access Nou"
    )


def test_profile_bad_phone_is_refused_with_a_message_and_changes_nothing(client, story):
    login_as(client, story.full)
    use_language(client, "en")
    response = client.post(
        reverse("portal:profile"), {"action": "details", "name": "Full Access", "phone": "abc", "language": "ca"}
    )
    assert response.status_code == 400 and "Enter a valid phone number." in response.content.decode()
    story.full.refresh_from_db()
    assert story.full.phone == "600111222"


def test_new_email_changes_only_when_confirmed_from_the_new_address_and_the_old_one_is_told(
    client, story, django_capture_on_commit_callbacks
):
    old = story.full.email
    login_as(client, story.full)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(reverse("portal:profile"), {"action": "email", "email": "new.me@example.com"}).status_code
            == 302
        )
    story.full.refresh_from_db()
    assert story.full.email == old  # nothing yet
    path = mailbox.link_path("new.me@example.com", "/profile/email/")
    assert client.get(path).status_code == 200  # a GET confirms nothing (mail scanners)
    story.full.refresh_from_db()
    assert story.full.email == old
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path).status_code == 302
    story.full.refresh_from_db()
    assert story.full.email == "new.me@example.com" and story.full.email_confirmed_at is not None
    assert story.full.user.email == "new.me@example.com"
    assert "new.me@example.com" in mailbox.to(old)[-1].body
    assert client.post(path).status_code == 400  # used once


def test_a_newer_email_change_voids_the_earlier_link(client, story, django_capture_on_commit_callbacks):
    login_as(client, story.full)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:profile"), {"action": "email", "email": "first@example.com"})
        client.post(reverse("portal:profile"), {"action": "email", "email": "second@example.com"})
    first = mailbox.link_path("first@example.com", "/profile/email/")
    assert client.post(first).status_code == 400
    story.full.refresh_from_db()
    assert story.full.email != "first@example.com"
    assert EmailChange.objects.filter(person=story.full, used_at__isnull=True).count() == 1


def test_profile_needs_a_customer_login(client):
    response = client.get(reverse("portal:profile"))
    assert response.status_code == 302 and reverse("portal:login") in response["Location"]
    client.force_login(f.staff_user())
    assert client.get(reverse("portal:profile")).status_code == 302


def test_forgot_password_goes_only_to_a_confirmed_address(client, django_capture_on_commit_callbacks):
    person = f.person(login=True, email="unconfirmed@example.com")
    Person.objects.filter(pk=person.pk).update(email_confirmed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:forgot_password"), {"id_number": person.id_number})
    assert mailbox.to("unconfirmed@example.com") == []
