"""Links in the e-mails to customers are built from SITE_URL (which `make run` sets to the address it serves), and
the profile says which new e-mail address waits for its confirmation, until it is confirmed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories as f
from tests import mailbox
from tests.portal.helpers import login_as, use_language

pytestmark = pytest.mark.django_db

SITE = "http://192.0.2.15:8123"  # not the default port: a link to 8000 would be wrong


def _links(address: str) -> list[str]:
    return [url for message in mailbox.to(address) for url in re.findall(r"https?://\S+", message.body)]


def test_the_password_reset_link_points_at_site_url(client, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = SITE
    person = f.person(login=True, email="reset.me@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:forgot_password"), {"id_number": person.id_number})
    links = _links("reset.me@example.com")
    assert links and all(link.startswith(SITE + "/") for link in links), links
    assert any(link.startswith(f"{SITE}/password/reset/") for link in links)


def test_the_email_change_link_points_at_site_url(client, settings, story, django_capture_on_commit_callbacks):
    settings.SITE_URL = SITE
    login_as(client, story.full)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:profile"), {"action": "email", "email": "new.address@example.com"})
    links = _links("new.address@example.com")
    assert links and all(link.startswith(SITE + "/") for link in links), links
    assert any(link.startswith(f"{SITE}/profile/email/") for link in links)


def test_the_profile_shows_the_address_waiting_for_confirmation_until_it_is_confirmed(
    client, story, django_capture_on_commit_callbacks
):
    use_language(client, "en")
    login_as(client, story.full)
    assert "data-email-pending" not in client.get(reverse("portal:profile")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:profile"), {"action": "email", "email": "first.try@example.com"})
        client.post(reverse("portal:profile"), {"action": "email", "email": "second.try@example.com"})
    body = client.get(reverse("portal:profile")).content.decode()
    pending = body[body.index("data-email-pending") :]
    pending = pending[: pending.index("</p>")]
    assert "second.try@example.com" in pending and "first.try@example.com" not in pending  # the latest ask only
    with django_capture_on_commit_callbacks(execute=True):
        client.post(mailbox.link_path("second.try@example.com", "/profile/email/"))
    body = client.get(reverse("portal:profile")).content.decode()
    assert "data-email-pending" not in body and "second.try@example.com" in body  # now the current address
