import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent, Grant, Person
from backoffice.demo import make_nif
from tests import factories as f
from tests.portal.helpers import login_as, use_language

pytestmark = pytest.mark.django_db


def _contacts_url(customer):
    return reverse("portal:contacts", args=[customer.pk])


def _add(client, customer, **data):
    payload = {
        "name": "Nou Contacte",
        "email": "nou@example.com",
        "id_number": make_nif(55_000_001),
        "role": "authorised_readonly",
    } | data
    return client.post(_contacts_url(customer), payload)


def _invite_new_contact(client, story, capture) -> str:
    """The representative adds a new person; returns the invitation link's path from the e-mail."""
    login_as(client, story.representative)
    with capture(execute=True):
        _add(client, story.customer)
    return re.search(r"https?://\S+(/invitation/\S+/)", mail.outbox[-1].body).group(1)


def test_representative_sees_every_active_contact(client, story):
    login_as(client, story.representative)
    body = client.get(_contacts_url(story.customer)).content.decode()
    for person in (story.representative, story.full, story.readonly, story.manager, story.collaborator):
        assert person.id_number in body
    assert story.outsider.id_number not in body


def test_adding_a_new_contact_sends_an_invitation_in_their_language(client, story, django_capture_on_commit_callbacks):
    login_as(client, story.representative)
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client, story.customer)
    assert response.status_code == 302
    grant = Grant.objects.get(person__id_number=make_nif(55_000_001))
    assert grant.role == "authorised_readonly" and grant.granted_by == story.representative.user
    assert mail.outbox[-1].to == ["nou@example.com"] and "/invitation/" in mail.outbox[-1].body
    event = AuditEvent.objects.get(action="grant.create", target_id=str(grant.pk))
    assert (
        event.actor == story.representative.user and event.reason == "portal: add contact" and event.ip == "127.0.0.1"
    )


def test_adding_a_registered_person_notifies_without_invitation(client, story, django_capture_on_commit_callbacks):
    known = f.person(login=True, email="known@example.com")
    login_as(client, story.representative)
    with django_capture_on_commit_callbacks(execute=True):
        _add(client, story.customer, id_number=known.id_number, email="known@example.com")
    assert "/invitation/" not in mail.outbox[-1].body and "/login/" in mail.outbox[-1].body


@pytest.mark.parametrize(
    "data, message",
    [
        ({"id_number": "123"}, "Incorrect NIF, NIE or passport format"),
        ({"id_number": "B12345674"}, "representative"),
        ({"email": "nope"}, "Enter a valid e-mail address."),
        ({"email": ""}, "This field is required."),
        ({"name": ""}, "This field is required."),
        ({"name": "y" * 250}, "At most 200 characters."),
        ({"role": "representative"}, "Choose full access or read only."),
    ],
)
def test_add_contact_bad_input_gets_clear_message_and_writes_nothing(client, story, data, message):
    login_as(client, story.representative)
    use_language(client, "en")
    persons, grants = Person.objects.count(), Grant.objects.count()
    response = _add(client, story.customer, **data)
    assert response.status_code == 400 and message in response.content.decode()
    assert (Person.objects.count(), Grant.objects.count()) == (persons, grants)


def test_adding_someone_already_authorised_is_refused(client, story):
    login_as(client, story.representative)
    use_language(client, "en")
    response = _add(client, story.customer, id_number=story.readonly.id_number)
    assert response.status_code == 400 and "already has access" in response.content.decode()


def test_adding_yourself_is_refused(client, story):
    login_as(client, story.representative)
    use_language(client, "en")
    response = _add(client, story.customer, id_number=story.representative.id_number)
    assert response.status_code == 400 and "You cannot authorise yourself." in response.content.decode()


def test_manager_adds_a_collaborator_delegated_from_its_grant(client, story):
    login_as(client, story.manager)
    assert _add(client, story.customer, role="authorised_full").status_code == 302
    grant = Grant.objects.get(person__id_number=make_nif(55_000_001))
    assert grant.delegated_from == story.manager_grant


def test_representative_changes_role_and_deactivates(client, story):
    login_as(client, story.representative)
    client.post(
        reverse("portal:change_contact_role", args=[story.customer.pk, story.full_grant.pk]),
        {"role": "authorised_readonly"},
    )
    story.full_grant.refresh_from_db()
    assert story.full_grant.role == "authorised_readonly"
    client.post(reverse("portal:deactivate_contact", args=[story.customer.pk, story.full_grant.pk]))
    story.full_grant.refresh_from_db()
    assert story.full_grant.revoked_at is not None


def test_deactivating_the_manager_ends_its_collaborators(client, story):
    login_as(client, story.representative)
    client.post(reverse("portal:deactivate_contact", args=[story.customer.pk, story.manager_grant.pk]))
    story.collaborator_grant.refresh_from_db()
    assert story.collaborator_grant.revoked_at is not None


def test_change_role_with_bad_value_changes_nothing(client, story):
    login_as(client, story.representative)
    client.post(
        reverse("portal:change_contact_role", args=[story.customer.pk, story.full_grant.pk]), {"role": "representative"}
    )
    story.full_grant.refresh_from_db()
    assert story.full_grant.role == "authorised_full"


def test_readonly_contact_is_offered_no_change(client, story):
    login_as(client, story.readonly)
    body = client.get(_contacts_url(story.customer)).content.decode()
    assert 'name="id_number"' not in body and 'name="role"' not in body and "/deactivate/" not in body


def test_invitation_registration_and_reuse(client, story, django_capture_on_commit_callbacks):
    link = _invite_new_contact(client, story, django_capture_on_commit_callbacks)
    client.logout()
    use_language(client, "en")
    assert client.get(link).status_code == 200
    data = {
        "id_number": make_nif(55_000_001),
        "name": "Nou Contacte",
        "email": "nou@example.com",
        "password1": f.PASSWORD,
        "password2": f.PASSWORD,
    }
    assert client.post(link, data).status_code == 302
    assert Person.objects.get(id_number=make_nif(55_000_001)).user.check_password(f.PASSWORD)
    reused = client.get(link)
    assert reused.status_code == 400 and "already been used" in reused.content.decode()


def test_invitation_with_wrong_nif_is_refused(client, story, django_capture_on_commit_callbacks):
    link = _invite_new_contact(client, story, django_capture_on_commit_callbacks)
    client.logout()
    use_language(client, "en")
    data = {
        "id_number": make_nif(55_000_002),
        "name": "Nou",
        "email": "nou@example.com",
        "password1": f.PASSWORD,
        "password2": f.PASSWORD,
    }
    response = client.post(link, data)
    assert response.status_code == 400 and "does not match the invited person" in response.content.decode()


def test_expired_and_unknown_invitation_links(client, story, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Invitation

    link = _invite_new_contact(client, story, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    use_language(client, "en")
    assert "has expired" in client.get(link).content.decode()
    assert "not valid" in client.get(reverse("portal:invitation", args=["nonsense"])).content.decode()


def test_contacts_added_are_limited_per_person_and_a_refused_one_does_not_count(client, story, settings):
    settings.INVITATIONS_PER_WINDOW = 3
    login_as(client, story.representative)
    use_language(client, "en")
    assert (
        _add(client, story.customer, id_number=story.readonly.id_number).status_code == 400
    )  # already there: not counted
    for n in range(3):
        assert _add(client, story.customer, id_number=make_nif(56_000_001 + n)).status_code == 302
    response = _add(client, story.customer, id_number=make_nif(56_000_009))
    assert response.status_code == 400 and "You have added many contacts in a short time" in response.content.decode()
    assert not Grant.objects.filter(person__id_number=make_nif(56_000_009)).exists()
