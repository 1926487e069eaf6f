"""Every portal role × every portal action × own customer / someone else's customer.

Each cell states the outcome: ALLOW (the change happened or the page rendered),
DENY (403, nothing changed) or HIDE (404: the customer's existence is not revealed).

Besides the story's roles: an external manager limited to one supply point ("scoped_manager"), a
collaborator it authorised ("scoped_collaborator"), and a full contact added after a request closed
("later_contact"). The request actions work on the representative's requests: one closed (its page and
its document), one open (uploading to it); on someone else's customer, on that customer's open request.
"""

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Grant
from backoffice.demo import make_nif
from documents.models import Document
from tests import factories as f
from tests.documents import samples
from tests.workflows.paperwork import fire, power_of_attorney, start_change, start_manager, upload
from workflows import services as workflows

pytestmark = pytest.mark.django_db

ALLOW, DENY, HIDE, LOGIN = "allow", "deny", "hide", "login"
ROLES = [
    "representative",
    "authorised_full",
    "authorised_readonly",
    "external_manager",
    "collaborator",
    "scoped_manager",
    "scoped_collaborator",
    "later_contact",
    "anonymous",
    "staff",
]
REQUEST_ACTIONS = ("view_request", "download_document", "upload_to_request")
_uploads = itertools.count(1)


def _add_roles(story, *, requests: bool) -> None:
    """The scoped manager, its collaborator and the later contact; with ``requests``, the representative's closed
    and open requests (with a document each) and an open one on the other customer, before the later contact."""
    first_point = story.customer.contracts.get().supply_points.order_by("cups").first()
    story.scoped_manager = f.person(login=True, name="Scoped Manager")
    story.scoped_manager_grant = f.grant(
        customer=story.customer,
        person=story.scoped_manager,
        role="external_manager",
        firm=f.firm(),
        supply_points=[first_point],
    )
    story.scoped_collaborator = f.person(login=True, name="Scoped Collaborator")
    f.grant(
        customer=story.customer,
        person=story.scoped_collaborator,
        role="authorised_full",
        delegated_from=story.scoped_manager_grant,
    )
    story.later_contact = f.person(login=True, name="Later Contact")
    if requests:
        story.closed_request = start_change(story)
        story.closed_document = upload(story.closed_request, power_of_attorney(story.customer))
        assert fire(story.closed_request, "expire") == 1
        story.closed_request.refresh_from_db()
        assert not story.closed_request.is_open
        story.open_request = start_manager(story)
        upload(story.open_request, samples.pdf(1, text="Mandat de gestio"))
        story.other_request = workflows.start_representative_change(
            customer=story.other_customer,
            new_id_number=make_nif(66_100_001),
            new_name="Altra Persona Nova",
            new_email="altra@example.com",
            outgoing="authorised_full",
            contact_email="outsider@example.com",
            language="ca",
            requested_by=story.outsider,
            actor=f.actor(),
        )
        story.other_document = upload(story.other_request, power_of_attorney(story.other_customer))
    f.grant(customer=story.customer, person=story.later_contact, role="authorised_full")


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
    response = client.post(
        reverse("portal:contacts", args=[customer.pk]),
        {"name": "Matriu Prova", "email": "m@example.com", "id_number": nif, "role": "authorised_readonly"},
    )
    return response, Grant.objects.filter(customer=customer, person__id_number=nif, revoked_at__isnull=True).exists()


def _change_role(kind):
    def action(client, story, own):
        target = _grant_on(story, own, kind)
        new_role = "authorised_readonly" if target.role == "authorised_full" else "authorised_full"
        response = client.post(
            reverse("portal:change_contact_role", args=[target.customer_id, target.pk]), {"role": new_role}
        )
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


def view_request(client, story, own):
    process = story.closed_request if own else story.other_request
    response = client.get(reverse("portal:request_detail", args=[process.reference]))
    return response, response.status_code == 200 and process.reference in response.content.decode()


def download_document(client, story, own):
    document = story.closed_document if own else story.other_document
    response = client.get(reverse("documents:file", args=[document.pk]))
    return response, response.status_code == 200


def upload_to_request(client, story, own):
    process = story.open_request if own else story.other_request
    count = Document.objects.filter(document_set=process.document_set, removed_at__isnull=True).count
    before = count()
    upload_file = SimpleUploadedFile(
        "annex.pdf", samples.pdf(1, text=f"Annex {next(_uploads)}"), content_type="application/pdf"
    )
    response = client.post(
        reverse("portal:request_detail", args=[process.reference]), {"action": "upload", "files": upload_file}
    )
    return response, count() > before


ACTIONS = {
    "view_supplies": view_supplies,
    "view_contacts": view_contacts,
    "add_contact": add_contact,
    "change_role_of_contact": _change_role("contact"),
    "deactivate_contact": _deactivate("contact"),
    "change_role_of_collaborator": _change_role("collaborator"),
    "deactivate_collaborator": _deactivate("collaborator"),
    "view_request": view_request,
    "download_document": download_document,
    "upload_to_request": upload_to_request,
}
_CONTACT_CHANGES = (
    "change_role_of_contact",
    "deactivate_contact",
    "change_role_of_collaborator",
    "deactivate_collaborator",
)

# Expected outcome on our own customer, per role and action.
OWN = {
    "representative": dict(
        view_supplies=ALLOW,
        view_contacts=ALLOW,
        add_contact=ALLOW,
        change_role_of_contact=ALLOW,
        deactivate_contact=ALLOW,
        change_role_of_collaborator=ALLOW,
        deactivate_collaborator=ALLOW,
        view_request=ALLOW,
        download_document=ALLOW,
        upload_to_request=ALLOW,
    ),
    "authorised_full": dict(
        view_supplies=ALLOW,
        view_contacts=ALLOW,
        add_contact=DENY,
        change_role_of_contact=DENY,
        deactivate_contact=DENY,
        change_role_of_collaborator=DENY,
        deactivate_collaborator=DENY,
        view_request=ALLOW,
        download_document=HIDE,
        upload_to_request=DENY,
    ),
    "authorised_readonly": dict(
        view_supplies=ALLOW,
        view_contacts=ALLOW,
        add_contact=DENY,
        change_role_of_contact=DENY,
        deactivate_contact=DENY,
        change_role_of_collaborator=DENY,
        deactivate_collaborator=DENY,
        view_request=ALLOW,
        download_document=HIDE,
        upload_to_request=DENY,
    ),
    "external_manager": dict(
        view_supplies=ALLOW,
        view_contacts=ALLOW,
        add_contact=ALLOW,
        change_role_of_contact=DENY,
        deactivate_contact=DENY,
        change_role_of_collaborator=ALLOW,
        deactivate_collaborator=ALLOW,
        view_request=ALLOW,
        download_document=HIDE,
        upload_to_request=DENY,
    ),
    "collaborator": dict(
        view_supplies=ALLOW,
        view_contacts=ALLOW,
        add_contact=DENY,
        change_role_of_contact=DENY,
        deactivate_contact=DENY,
        change_role_of_collaborator=DENY,
        deactivate_collaborator=DENY,
        view_request=ALLOW,
        download_document=HIDE,
        upload_to_request=DENY,
    ),
    # Limited to one supply point: nothing customer-wide (other people's requests); the collaborators it acts
    # on here are another manager's.
    "scoped_manager": dict(
        view_supplies=ALLOW,
        view_contacts=ALLOW,
        add_contact=ALLOW,
        **dict.fromkeys(_CONTACT_CHANGES, DENY),
        view_request=HIDE,
        download_document=HIDE,
        upload_to_request=HIDE,
    ),
    "scoped_collaborator": dict(
        view_supplies=ALLOW,
        view_contacts=ALLOW,
        add_contact=DENY,
        **dict.fromkeys(_CONTACT_CHANGES, DENY),
        view_request=HIDE,
        download_document=HIDE,
        upload_to_request=HIDE,
    ),
    # A whole-customer role granted after the request closed: sees that it exists, never its documents.
    "later_contact": dict(
        view_supplies=ALLOW,
        view_contacts=ALLOW,
        add_contact=DENY,
        **dict.fromkeys(_CONTACT_CHANGES, DENY),
        view_request=ALLOW,
        download_document=HIDE,
        upload_to_request=DENY,
    ),
    # Documents are served outside the customer area: anyone who may not read one gets 404, logged in or not.
    "anonymous": {action: HIDE if action == "download_document" else LOGIN for action in ACTIONS},
    "staff": {action: HIDE if action == "download_document" else LOGIN for action in ACTIONS},
}
# On someone else's customer nobody sees anything: supplies are simply not listed, the rest is 404.
OTHER = {role: (dict.fromkeys(ACTIONS, HIDE) if role not in ("anonymous", "staff") else OWN[role]) for role in ROLES}

CASES = [(role, action, own) for role in ROLES for action in ACTIONS for own in (True, False)]


def _log_in(client, story, role):
    if role == "anonymous":
        return
    if role == "staff":
        client.force_login(f.staff_user())
        return
    person = {
        "collaborator": story.collaborator,
        "external_manager": story.manager,
        "authorised_full": story.full,
        "authorised_readonly": story.readonly,
        "representative": story.representative,
        "scoped_manager": story.scoped_manager,
        "scoped_collaborator": story.scoped_collaborator,
        "later_contact": story.later_contact,
    }[role]
    client.force_login(person.user)


@pytest.mark.parametrize("role, action, own", CASES, ids=[f"{r}-{a}-{'own' if o else 'other'}" for r, a, o in CASES])
def test_portal_authorisation(client, story, role, action, own):
    _add_roles(story, requests=action in REQUEST_ACTIONS)
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
