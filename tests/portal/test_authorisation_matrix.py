"""Every portal role × every portal action × own customer / someone else's customer.

Each cell states the outcome: ALLOW (the change happened or the page rendered),
DENY (403, nothing changed) or HIDE (404: the customer's existence is not revealed).
"""

import pytest
from django.urls import reverse

from accounts.demo import make_nif
from accounts.models import Grant
from tests import factories as f

pytestmark = pytest.mark.django_db

ALLOW, DENY, HIDE, LOGIN = "allow", "deny", "hide", "login"
ROLES = ["representative", "authorised_full", "authorised_readonly", "external_manager", "collaborator", "anonymous", "staff"]


def _target_customer(story, own: bool):
    return story.customer if own else story.other_customer


def _grant_on(story, own, kind):
    """The grant the action works on: on our customer the read-only contact (or the collaborator), elsewhere the other company's representative."""
    if not own:
        return story.other_grant
    return story.collaborator_grant if kind == "collaborator" else story.readonly_grant


def view_supplies(client, story, own):
    response = client.get(reverse("portal:supplies"))
    customer = _target_customer(story, own)
    shown = response.status_code == 200 and customer.tax_id in response.content.decode()
    return response, shown


def view_contacts(client, story, own):
    response = client.get(reverse("portal:contacts", args=[_target_customer(story, own).pk]))
    return response, response.status_code == 200


def add_contact(client, story, own):
    customer = _target_customer(story, own)
    nif = make_nif(66_000_001)
    response = client.post(reverse("portal:contacts", args=[customer.pk]),
                           {"name": "Matriu Prova", "email": "m@example.com", "id_number": nif, "role": "authorised_readonly"})
    return response, Grant.objects.filter(customer=customer, person__id_number=nif, revoked_at__isnull=True).exists()


def _change_role(kind):
    def action(client, story, own):
        target = _grant_on(story, own, kind)
        new_role = "authorised_readonly" if target.role == "authorised_full" else "authorised_full"
        response = client.post(reverse("portal:change_contact_role", args=[target.customer_id, target.pk]), {"role": new_role})
        target.refresh_from_db()
        return response, target.role == new_role
    return action


def _deactivate(kind):
    def action(client, story, own):
        target = _grant_on(story, own, kind)
        response = client.post(reverse("portal:deactivate_contact", args=[target.customer_id, target.pk]))
        target.refresh_from_db()
        return response, target.revoked_at is not None
    return action


ACTIONS = {
    "view_supplies": view_supplies,
    "view_contacts": view_contacts,
    "add_contact": add_contact,
    "change_role_of_contact": _change_role("contact"),
    "deactivate_contact": _deactivate("contact"),
    "change_role_of_collaborator": _change_role("collaborator"),
    "deactivate_collaborator": _deactivate("collaborator"),
}

# Expected outcome on our own customer, per role and action.
OWN = {
    "representative":      dict(view_supplies=ALLOW, view_contacts=ALLOW, add_contact=ALLOW, change_role_of_contact=ALLOW, deactivate_contact=ALLOW, change_role_of_collaborator=ALLOW, deactivate_collaborator=ALLOW),
    "authorised_full":     dict(view_supplies=ALLOW, view_contacts=ALLOW, add_contact=DENY, change_role_of_contact=DENY, deactivate_contact=DENY, change_role_of_collaborator=DENY, deactivate_collaborator=DENY),
    "authorised_readonly": dict(view_supplies=ALLOW, view_contacts=ALLOW, add_contact=DENY, change_role_of_contact=DENY, deactivate_contact=DENY, change_role_of_collaborator=DENY, deactivate_collaborator=DENY),
    "external_manager":    dict(view_supplies=ALLOW, view_contacts=ALLOW, add_contact=ALLOW, change_role_of_contact=DENY, deactivate_contact=DENY, change_role_of_collaborator=ALLOW, deactivate_collaborator=ALLOW),
    "collaborator":        dict(view_supplies=ALLOW, view_contacts=ALLOW, add_contact=DENY, change_role_of_contact=DENY, deactivate_contact=DENY, change_role_of_collaborator=DENY, deactivate_collaborator=DENY),
    "anonymous":           {action: LOGIN for action in ACTIONS},
    "staff":               {action: LOGIN for action in ACTIONS},
}
# On someone else's customer nobody sees anything: supplies are simply not listed, the rest is 404.
OTHER = {role: ({action: HIDE for action in ACTIONS} if role not in ("anonymous", "staff") else {action: LOGIN for action in ACTIONS}) for role in ROLES}

CASES = [(role, action, own) for role in ROLES for action in ACTIONS for own in (True, False)]


def _log_in(client, story, role):
    if role == "anonymous":
        return
    if role == "staff":
        client.force_login(f.staff_user())
        return
    person = {"collaborator": story.collaborator, "external_manager": story.manager, "authorised_full": story.full,
              "authorised_readonly": story.readonly, "representative": story.representative}[role]
    client.force_login(person.user)


@pytest.mark.parametrize("role, action, own", CASES, ids=[f"{r}-{a}-{'own' if o else 'other'}" for r, a, o in CASES])
def test_portal_authorisation(client, story, role, action, own):
    _log_in(client, story, role)
    expected = (OWN if own else OTHER)[role][action]
    response, effect = ACTIONS[action](client, story, own)
    if expected == ALLOW:
        assert response.status_code in (200, 302) and effect
    elif expected == DENY:
        assert response.status_code == 403 and not effect
    elif expected == HIDE:
        if action == "view_supplies":
            assert response.status_code == 200 and not effect
        else:
            assert response.status_code == 404 and not effect
    else:
        assert response.status_code == 302 and reverse("portal:login") in response["Location"] and not effect
