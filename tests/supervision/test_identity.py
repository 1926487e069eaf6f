"""A person's identity for supervisors: find by exact id number, correct with an audited reason, send the login invitation."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent, Invitation, Person
from tests import factories
from tests.workflows.paperwork import staff

from .conftest import html, logged_in, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def unconfirmed(story):
    """Someone authorised on the customer who has no login and never confirmed their e-mail."""
    person = factories.person(name="Nuria Sense Login", email="nuria@example.com")
    factories.grant(customer=story.customer, person=person, role="authorised_readonly")
    return person


def correction(person, **changes) -> dict:
    return {
        "name": person.name,
        "email": person.email,
        "phone": person.phone,
        "reason": "Called from the number on file; checked her DNI.",
        **changes,
    }


def corrections_of(person):
    return AuditEvent.objects.filter(action="person.corrected_by_staff", target_id=str(person.pk))


# -- finding the person ------------------------------------------------------------------------


def test_an_exact_id_number_leads_to_the_persons_page(supervising, story):
    person = story.representative
    response = supervising.get(url("people"), {"id_number": person.id_number.lower()})
    assert response.status_code == 302 and response["Location"] == url("person", person.pk)
    page = html(supervising.get(response["Location"]))
    for shown in (
        person.name,
        person.id_number,
        person.email,
        person.phone,
        "Registration with the holder&#x27;s proof",
        story.customer.name,
        story.customer.tax_id,
        "Representative",
    ):
        assert shown in page, shown
    assert "data-sv-email-confirmed" in page and 'data-sv-login="yes"' in page
    assert story.other_customer.name not in page  # only the person's own roles


def test_a_person_without_login_or_confirmed_email_is_shown_so(supervising, unconfirmed):
    page = html(supervising.get(url("person", unconfirmed.pk)))
    assert 'data-sv-login="no"' in page and "data-sv-email-unconfirmed" in page and "Nothing proved yet" in page
    assert "Authorised (read only)" in page


@pytest.mark.parametrize(
    "typed, message",
    [
        ("12345678A", "Incorrect NIF, NIE or passport format"),
        ("B12345674", "Incorrect NIF, NIE or passport format"),
    ],
)
def test_a_malformed_id_number_gets_a_message(supervising, db, typed, message):
    response = supervising.get(url("people"), {"id_number": typed})
    assert response.status_code == 400 and message in html(response)


def test_an_unknown_id_number_says_nobody_is_known(supervising, db):
    response = supervising.get(url("people"), {"id_number": "12345678Z"})
    assert response.status_code == 200 and "Nobody with the id number 12345678Z is known." in html(response)


# -- correcting it -------------------------------------------------------------------------------


def test_a_correction_without_a_reason_changes_nothing(supervising, unconfirmed):
    address = url("correct_identity", unconfirmed.pk)
    response = supervising.post(address, correction(unconfirmed, name="Nuria Nova", reason=""))
    assert response.status_code == 400 and "Nothing was changed" in html(response)
    response = supervising.post(address, correction(unconfirmed, name="Nuria Nova", reason="typo"))
    assert response.status_code == 400 and "Write why you are changing this person&#x27;s data" in html(response)
    unconfirmed.refresh_from_db()
    assert unconfirmed.name == "Nuria Sense Login" and not corrections_of(unconfirmed).exists()


def test_a_correction_is_audited_with_its_reason_and_who_made_it(supervising, supervisor, unconfirmed):
    response = supervising.post(
        url("correct_identity", unconfirmed.pk),
        correction(unconfirmed, name="Núria Sens Login", phone="+34 600 999 888"),
    )
    assert response.status_code == 302 and response["Location"] == url("person", unconfirmed.pk)
    unconfirmed.refresh_from_db()
    assert (unconfirmed.name, unconfirmed.phone) == ("Núria Sens Login", "+34 600 999 888")
    [event] = corrections_of(unconfirmed)
    assert event.reason == "Called from the number on file; checked her DNI."
    assert event.actor == supervisor and event.ip == "127.0.0.1"
    assert event.before["name"] == "Nuria Sense Login" and event.after["name"] == "Núria Sens Login"


def test_the_email_counts_as_confirmed_only_with_the_checkbox(supervising, unconfirmed):
    address = url("correct_identity", unconfirmed.pk)
    assert supervising.post(address, correction(unconfirmed, email="nuria.nova@example.com")).status_code == 302
    unconfirmed.refresh_from_db()
    assert unconfirmed.email == "nuria.nova@example.com" and not unconfirmed.has_confirmed_email
    assert supervising.post(address, correction(unconfirmed, identity_checked="on")).status_code == 302
    unconfirmed.refresh_from_db()
    assert unconfirmed.has_confirmed_email and unconfirmed.identity_basis == Person.IdentityBasis.STAFF
    assert [e.after["email_confirmed"] for e in corrections_of(unconfirmed).order_by("pk")] == [False, True]


def test_changing_the_email_tells_the_old_address(supervising, story, django_capture_on_commit_callbacks):
    person = story.full
    old = person.email
    with django_capture_on_commit_callbacks(execute=True):
        response = supervising.post(
            url("correct_identity", person.pk), correction(person, email="full.nova@example.com")
        )
    assert response.status_code == 302
    [notice] = [m for m in mail.outbox if old in m.to]
    assert "full.nova@example.com" in notice.body


def test_a_malformed_email_changes_nothing(supervising, unconfirmed):
    response = supervising.post(
        url("correct_identity", unconfirmed.pk), correction(unconfirmed, email="not an address")
    )
    assert response.status_code == 400
    unconfirmed.refresh_from_db()
    assert unconfirmed.email == "nuria@example.com" and not corrections_of(unconfirmed).exists()


# -- the login invitation ------------------------------------------------------------------------


def test_the_invitation_is_refused_without_a_confirmed_email(supervising, unconfirmed):
    response = supervising.post(url("send_login_invitation", unconfirmed.pk))
    assert response.status_code == 400 and "Confirm this person&#x27;s e-mail address first." in html(response)
    assert not Invitation.objects.filter(grant__person=unconfirmed).exists() and not mail.outbox


def test_the_invitation_goes_to_the_confirmed_email_and_is_audited(
    supervising, unconfirmed, django_capture_on_commit_callbacks
):
    assert (
        supervising.post(
            url("correct_identity", unconfirmed.pk), correction(unconfirmed, identity_checked="on")
        ).status_code
        == 302
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = supervising.post(url("send_login_invitation", unconfirmed.pk))
    assert response.status_code == 302
    assert "The login invitation was e-mailed to nuria@example.com." in html(supervising.get(response["Location"]))
    assert Invitation.objects.filter(grant__person=unconfirmed, email="nuria@example.com").count() == 1
    assert [m.to for m in mail.outbox] == [["nuria@example.com"]]
    assert AuditEvent.objects.filter(action="person.login_invited", target_id=str(unconfirmed.pk)).count() == 1


def test_someone_with_a_login_gets_no_invitation(supervising, story):
    response = supervising.post(url("send_login_invitation", story.full.pk))
    assert response.status_code == 400 and "This person already has a login." in html(response)


# -- who may use it ------------------------------------------------------------------------------


def _addresses(person) -> list[tuple[str, str, dict]]:
    return [
        ("get", url("people"), {"id_number": person.id_number}),
        ("get", url("person", person.pk), {}),
        ("post", url("correct_identity", person.pk), correction(person, name="Intrus", identity_checked="on")),
        ("post", url("send_login_invitation", person.pk), {}),
    ]


@pytest.mark.parametrize("group", ["verifiers", "callcenter_agents"])
def test_staff_who_do_not_supervise_cannot_reach_the_identity_pages(story, unconfirmed, group):
    client = logged_in(staff(group))
    for method, address, data in _addresses(unconfirmed):
        assert getattr(client, method)(address, data).status_code == 403, address
    unconfirmed.refresh_from_db()
    assert unconfirmed.name == "Nuria Sense Login" and not corrections_of(unconfirmed).exists() and not mail.outbox


def test_customers_get_403_and_anonymous_visitors_the_staff_login(client, story, unconfirmed):
    customer = logged_in(story.representative.user)
    for method, address, data in _addresses(unconfirmed):
        assert getattr(customer, method)(address, data).status_code == 403, address
        response = getattr(client, method)(address, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("staff_login")), address
    unconfirmed.refresh_from_db()
    assert unconfirmed.name == "Nuria Sense Login" and not corrections_of(unconfirmed).exists()


def test_an_unknown_person_is_404(supervising, db):
    assert supervising.get(url("person", 10**9)).status_code == 404
    assert supervising.post(url("correct_identity", 10**9), {}).status_code == 404
