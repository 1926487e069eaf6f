"""An invited contact who has not set up a login shows as pending (not active), with "send again" (a new link,
the old one stops; counted by the invitation limit; audited) and "withdraw" (through the deactivation page)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent, Grant
from backoffice.demo import make_nif
from tests import factories as f
from tests.portal.helpers import login_as

pytestmark = pytest.mark.django_db
NEW_NIF = make_nif(55_000_777)


@pytest.fixture
def pending(client, story, django_capture_on_commit_callbacks) -> Grant:
    login_as(client, story.representative)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("portal:contacts", args=[story.customer.pk]),
            {"name": "Ona Pendent", "email": "ona@example.com", "id_number": NEW_NIF, "role": "authorised_readonly"},
        )
    return Grant.objects.get(person__id_number=NEW_NIF, revoked_at=None)


def _link() -> str:
    return re.search(r"https?://\S+(/invitation/\S+/)", mail.outbox[-1].body).group(1)


def _resend_url(story, grant) -> str:
    return reverse("portal:resend_invitation", args=[story.customer.pk, grant.pk])


def test_an_invited_contact_shows_as_pending_and_a_registered_one_does_not(client, story, pending):
    html = client.get(reverse("portal:contacts", args=[story.customer.pk])).content.decode()
    row = next(tr for tr in html.split("<tr") if "Ona Pendent" in tr)
    assert "data-pending" in row and "Pendent: encara no ha creat l" in row
    assert _resend_url(story, pending) in row
    registered = next(tr for tr in html.split("<tr") if "Full Access" in tr)
    assert "data-pending" not in registered


def test_sending_again_gives_a_new_link_and_the_old_one_stops(
    client, story, pending, django_capture_on_commit_callbacks
):
    old = _link()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_resend_url(story, pending))
    assert response.status_code == 302
    new = _link()
    assert mail.outbox[-1].to == ["ona@example.com"] and new != old
    assert client.get(old).status_code == 400
    assert client.get(new).status_code == 200
    assert AuditEvent.objects.filter(action="invitation.resend", target_id=str(pending.pk)).count() == 1


def test_sending_again_is_limited(client, story, pending, settings, django_capture_on_commit_callbacks):
    settings.INVITATIONS_PER_WINDOW = 2  # the first invitation counted already
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post(_resend_url(story, pending))
    assert len(mail.outbox) == sent + 1


def test_nothing_to_send_again_to_someone_with_a_login(client, story, django_capture_on_commit_callbacks):
    login_as(client, story.representative)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_resend_url(story, story.full_grant), follow=True)
    assert mail.outbox == [] and "No hi ha cap invitació" in response.content.decode()


def test_withdrawing_ends_the_grant_and_the_link(client, story, pending, django_capture_on_commit_callbacks):
    link = _link()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:deactivate_contact", args=[story.customer.pk, pending.pk]))
    pending.refresh_from_db()
    assert pending.revoked_at is not None
    assert "retirat" in client.get(link).content.decode()


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("authorised_readonly", 403), ("collaborator", 403)])
def test_others_cannot_send_again_or_withdraw(client, story, pending, who, status, django_capture_on_commit_callbacks):
    sent = len(mail.outbox)
    login_as(client, story.people()[who])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_resend_url(story, pending)).status_code == status
        assert (
            client.post(reverse("portal:deactivate_contact", args=[story.customer.pk, pending.pk])).status_code
            == status
        )
    pending.refresh_from_db()
    assert pending.revoked_at is None and len(mail.outbox) == sent


def test_anonymous_staff_and_get_are_refused(client, story, pending):
    assert client.get(_resend_url(story, pending)).status_code == 405
    client.logout()
    assert client.post(_resend_url(story, pending)).status_code == 302
    client.force_login(f.staff_user())
    assert client.post(_resend_url(story, pending)).status_code == 302
    assert not AuditEvent.objects.filter(action="invitation.resend").exists()
