"""Deactivating a contact: a page that names everything it ends, then e-mails to everyone whose access ended;
the contacts page explains the roles (from authority's table) and a change to the same role changes nothing."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

import authority
from accounts.models import AuditEvent, Grant
from tests import factories as f
from tests.portal.helpers import login_as, use_language

pytestmark = pytest.mark.django_db


def _url(story, grant) -> str:
    return reverse("portal:deactivate_contact", args=[story.customer.pk, grant.pk])


def test_the_confirmation_names_the_managers_collaborators_and_ends_nothing(client, story):
    login_as(client, story.representative)
    page = client.get(_url(story, story.manager_grant))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Manager Extern" in text and "Colla Borator" in text
    assert (
        Grant.objects.filter(pk__in=[story.manager_grant.pk, story.collaborator_grant.pk], revoked_at=None).count() == 2
    )


def test_confirming_ends_the_manager_and_collaborators_and_tells_each_in_their_language(
    client, story, django_capture_on_commit_callbacks
):
    story.collaborator.language = "es"
    story.collaborator.save(update_fields=["language"])
    login_as(client, story.representative)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(story, story.manager_grant))
    assert response.status_code == 302
    assert (
        Grant.objects.filter(pk__in=[story.manager_grant.pk, story.collaborator_grant.pk], revoked_at=None).count() == 0
    )
    to_manager = [m for m in mail.outbox if story.manager.email in m.to]
    to_collaborator = [m for m in mail.outbox if story.collaborator.email in m.to]
    assert len(to_manager) == 1 and len(to_collaborator) == 1
    assert "ha finalitzat" in to_manager[0].subject  # Catalan, the manager's language
    assert "ha finalizado" in to_collaborator[0].subject  # Spanish, the collaborator's
    assert "Manager Extern" in to_collaborator[0].body  # says whose deactivation ended it
    assert (
        AuditEvent.objects.filter(
            action="grant.revoke", target_id__in=[str(story.manager_grant.pk), str(story.collaborator_grant.pk)]
        ).count()
        == 2
    )


def test_confirming_twice_sends_nothing_more(client, story, django_capture_on_commit_callbacks):
    login_as(client, story.representative)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(story, story.full_grant))
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(story, story.full_grant))
    assert len(mail.outbox) == sent == 1


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("authorised_readonly", 403), ("collaborator", 403)])
@pytest.mark.parametrize("method", ["get", "post"])
def test_others_cannot_see_or_confirm_a_deactivation(client, story, who, status, method):
    login_as(client, story.people()[who])
    response = getattr(client, method)(_url(story, story.manager_grant))
    assert response.status_code == status
    story.manager_grant.refresh_from_db()
    assert story.manager_grant.revoked_at is None
    assert mail.outbox == []


def test_a_scoped_manager_cannot_deactivate_another_contact(client, story):
    story.manager_grant.scope_limited = True
    story.manager_grant.save(update_fields=["scope_limited"])
    login_as(client, story.manager)
    assert client.post(_url(story, story.full_grant)).status_code in (403, 404)
    story.full_grant.refresh_from_db()
    assert story.full_grant.revoked_at is None


def test_anonymous_and_staff_are_sent_to_the_login(client, story):
    assert client.post(_url(story, story.full_grant)).status_code == 302
    client.force_login(f.staff_user())
    response = client.post(_url(story, story.full_grant))
    assert response.status_code == 302 and reverse("portal:login") in response["Location"]
    story.full_grant.refresh_from_db()
    assert story.full_grant.revoked_at is None


def test_the_contacts_page_explains_each_role_from_the_rule(client, story):
    login_as(client, story.representative)
    html = client.get(reverse("portal:contacts", args=[story.customer.pk])).content.decode()
    table = html[html.index('id="roles-explained"') :]
    row = re.search(r"Canvia el dia de domiciliació</th>(.*?)</tr>", table, re.S).group(1)
    shown = [cell == "sí" for cell in re.findall(r'<span class="visually-hidden">(sí|no)</span>', row)]
    expected = [authority.Action.CHANGE_PAYMENT_DAY in authority.ROLE_ACTIONS[role] for role, _ in Grant.Role.choices]
    expected.append(authority.Action.CHANGE_PAYMENT_DAY in authority.COLLABORATOR_ACTIONS)
    assert shown == expected == [True, True, False, False, False]


def test_changing_a_role_to_the_same_role_says_nothing_changed_and_writes_nothing(client, story):
    login_as(client, story.representative)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("portal:change_contact_role", args=[story.customer.pk, story.full_grant.pk]),
        {"role": "authorised_full"},
        follow=True,
    )
    text = response.content.decode()
    assert "No ha canviat res" in text and "S'ha modificat" not in text
    assert AuditEvent.objects.count() == before


def test_a_name_after_de_is_elided_in_catalan(client, story):
    story.manager.name = "Arnau Gestor"
    story.manager.save(update_fields=["name"])
    login_as(client, story.representative)
    html = client.get(reverse("portal:contacts", args=[story.customer.pk])).content.decode()
    assert "en nom d&#x27;Arnau Gestor" in html or "en nom d'Arnau Gestor" in html
    assert "en nom de Arnau" not in html
    use_language(client, "es")
    assert (
        "en nombre de Arnau Gestor" in client.get(reverse("portal:contacts", args=[story.customer.pk])).content.decode()
    )
