"""Who is calling: the agent picks one of the customer's known people or marks an unknown caller, the caller's own
NIF/NIE is checked with the proof, and what the agent may then tell and do follows that caller's authority."""

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import AuditEvent, FailedAttempt, Person
from callcenter.models import Interaction
from tests.workflows.paperwork import (
    FIRM_CIF,
    FIRM_NAME,
    MANAGER_NAME,
    MANAGER_NIF,
    NEW_NAME,
    NEW_NIF,
    staff,
    start_change,
    start_manager,
)
from workflows.models import ExternalManagerProcess, RepresentativeChangeProcess, UploadLink

from .helpers import REP_FORM, html, logged_in, take_call, url, verified_call, verify, wrong_last4

pytestmark = pytest.mark.django_db

EM_FORM = {
    "em-firm_cif": FIRM_CIF,
    "em-firm_name": FIRM_NAME,
    "em-firm_kind": "energy_manager",
    "em-manager_id_number": MANAGER_NIF,
    "em-manager_name": MANAGER_NAME,
    "em-manager_email": "jordi@example.com",
    "em-contact_email": "caller@example.com",
    "em-language": "ca",
}
OWN_CHANGE = {
    "rc-new_id_number": NEW_NIF,
    "rc-new_name": NEW_NAME,
    "rc-outgoing": "authorised_full",
    "rc-contact_email": "marta.new@example.com",
    "rc-language": "es",
}


def unknown_call(console, story) -> Interaction:
    """A verified call of someone the customer does not know: the incoming representative."""
    return verified_call(console, story.customer, None, id_number=NEW_NIF, name=NEW_NAME)


@pytest.fixture
def phones(story) -> dict[str, str]:
    """A phone number of each person of the story, none alike."""
    numbers = {}
    for k, (role, person) in enumerate(story.people().items()):
        person.phone = f"61000000{k}"
        person.save(update_fields=["phone"])
        numbers[role] = person.phone
    return numbers


# -- choosing and checking the caller ----------------------------------------------------------


def test_the_agent_picks_the_caller_from_the_known_people_by_name_and_role_without_id_numbers(console, story):
    page = html(console.get(url("call", take_call(console, story.customer).pk)))
    choice = page.split("data-cc-caller-choice")[1].split("</fieldset>")[0]
    for person in (story.representative, story.full, story.readonly, story.manager, story.collaborator):
        assert f'value="{person.pk}"' in choice and person.name in choice and person.id_number not in choice
    assert "Representative" in choice and "Authorised (read only)" in choice and story.firm.name in choice
    assert 'value="unknown"' in choice and "Unknown caller" in choice
    assert story.outsider.name not in choice


def test_wrong_nifs_alone_lock_the_verification(story):
    for n in range(settings.LOCKOUT_MAX_ATTEMPTS):
        client = logged_in(staff("callcenter_agents", f"agent{n}-"))
        verify(client, take_call(client, story.customer), story.representative, id_number=story.readonly.id_number)
    client = logged_in(staff("callcenter_agents", "fresh"))
    interaction = take_call(client, story.customer)
    verify(client, interaction, story.representative)
    interaction.refresh_from_db()
    assert interaction.verification == "locked"


def test_a_person_who_is_not_one_of_the_known_people_cannot_be_picked(console, story):
    interaction = take_call(console, story.customer)
    for chosen in (str(story.outsider.pk), "not-a-number", ""):
        response = console.post(
            url("verify", interaction.pk),
            {"caller": chosen, "caller_id_number": story.outsider.id_number, "bank_last4": "0000"},
        )
        assert response.status_code == 400 and "The caller was not checked: correct the form below." in html(response)
    interaction.refresh_from_db()
    assert interaction.verification == "not_attempted" and FailedAttempt.objects.count() == 0


def test_an_unknown_caller_must_give_a_name_and_is_not_counted_without_one(console, story):
    interaction = take_call(console, story.customer)
    response = verify(console, interaction, None, id_number=NEW_NIF, name="", bank_last4=wrong_last4(story.customer))
    assert response.status_code == 400 and "Type the full name of the unknown caller." in html(response)
    assert FailedAttempt.objects.count() == 0


def test_the_case_is_recorded_on_the_call_and_in_the_audit(console, story):
    known = verified_call(console, story.customer, story.full)
    assert known.caller_kind == "known" and known.caller_person == story.full and known.caller_name == story.full.name
    unknown = unknown_call(console, story)
    assert unknown.caller_kind == "unknown" and unknown.caller_person is None
    assert unknown.caller_id_number == NEW_NIF and unknown.caller_name == NEW_NAME
    snapshots = {event.target_id: event.after for event in AuditEvent.objects.filter(action="call.verify")}
    assert (
        snapshots[str(known.pk)]["caller_kind"] == "known"
        and snapshots[str(known.pk)]["caller_person"] == story.full.pk
    )
    assert (
        snapshots[str(unknown.pk)]["caller_kind"] == "unknown" and snapshots[str(unknown.pk)]["caller_person"] is None
    )


def test_the_call_page_shows_the_case(console, story):
    page = html(console.get(url("call", unknown_call(console, story).pk)))
    assert 'data-cc-caller-kind="unknown"' in page and 'data-cc-caller-case="unknown"' in page
    page = html(console.get(url("call", verified_call(console, story.customer, story.readonly).pk)))
    assert (
        'data-cc-caller-kind="known"' in page
        and 'data-cc-caller-case="known"' in page
        and "(Authorised (read only))" in page
    )


def test_the_log_shows_the_caller_case(console, story):
    known = verified_call(console, story.customer, story.representative)
    unknown = unknown_call(console, story)
    page = html(console.get(url("log"), {"customer": story.customer.tax_id}))
    known_row = page.split(f'data-cc-interaction="{known.pk}"')[1].split("</tr>")[0]
    unknown_row = page.split(f'data-cc-interaction="{unknown.pk}"')[1].split("</tr>")[0]
    assert 'data-cc-caller-kind="known"' in known_row and "One of the customer&#x27;s known people" in known_row
    assert (
        'data-cc-caller-kind="unknown"' in unknown_row and "Unknown caller" in unknown_row and NEW_NAME in unknown_row
    )


# -- an unknown caller ---------------------------------------------------------------------------


def test_an_unknown_caller_hears_no_contact_data_nor_request_details(console, story, phones):
    start_manager(story, contact_email="rep@example.com")
    page = html(console.get(url("call", unknown_call(console, story).pk)))
    assert all(person.email not in page for person in story.people().values())
    assert all(phone not in page for phone in phones.values())
    assert all(person.id_number not in page for person in story.people().values())
    assert "data-cc-contact=" not in page and "data-cc-no-contact-data" in page
    assert "rep@example.com" not in page and "jordi@example.com" not in page and MANAGER_NIF not in page
    assert "data-cc-timeline" not in page and "data-cc-links" not in page and "data-cc-request-withheld" in page


def test_an_unknown_caller_may_only_start_a_change_naming_themselves(console, story):
    page = html(console.get(url("call", unknown_call(console, story).pk)))
    assert 'data-cc-start="representative_change"' in page and 'data-cc-start="external_manager"' not in page
    assert 'name="em-firm_cif"' not in page and 'name="rc-new_email"' not in page
    field = page.split('name="rc-new_id_number"')[1].split(">")[0]
    assert f'value="{NEW_NIF}"' in field and "readonly" in field
    field = page.split('name="rc-new_name"')[1].split(">")[0]
    assert f'value="{NEW_NAME}"' in field and "readonly" in field


def test_an_unknown_caller_starts_a_change_naming_themselves_with_the_address_they_give(
    console, story, agent, django_capture_on_commit_callbacks
):
    interaction = unknown_call(console, story)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post(url("start_representative_change", interaction.pk), OWN_CHANGE)
    assert response.status_code == 302, html(response)
    process = RepresentativeChangeProcess.objects.get(customer=story.customer)
    assert process.new_id_number == NEW_NIF and process.new_name == NEW_NAME
    assert process.new_email == process.contact_email == "marta.new@example.com"
    assert process.requested_by is None and process.started_by == agent and process.channel == "phone"
    assert {tuple(m.to) for m in mail.outbox} == {("marta.new@example.com",), (story.representative.email,)}
    [notice] = [m for m in mail.outbox if m.to == [story.representative.email]]
    assert NEW_NAME in notice.body  # the representative is told who asked


def test_an_unknown_caller_cannot_name_someone_else_by_tampering_with_the_form(console, story):
    interaction = unknown_call(console, story)
    for tampered in ({"rc-new_id_number": story.full.id_number}, {"rc-new_name": "Algu Altre"}):
        response = console.post(url("start_representative_change", interaction.pk), OWN_CHANGE | tampered)
        assert response.status_code == 400
        assert "An unknown caller can only ask to become the representative themselves" in html(response)
    assert RepresentativeChangeProcess.objects.count() == 0


def test_an_unknown_caller_cannot_start_an_external_manager(console, story):
    interaction = unknown_call(console, story)
    response = console.post(url("start_external_manager", interaction.pk), EM_FORM)
    assert response.status_code == 400
    assert "An unknown caller can only ask to become the representative themselves." in html(response)
    assert ExternalManagerProcess.objects.count() == 0


# -- known callers: what their grant lets them hear and do ----------------------------------------


def _contact_row(page: str, person: Person) -> str:
    people = page.split("data-cc-people")[1].split("</table>")[0]
    [row] = [row for row in people.split("<tr")[1:] if f'<th scope="row">{person.name}</th>' in row]
    return row


def test_the_representative_hears_every_contact_and_the_details_of_their_requests(console, story, phones):
    process = start_change(story, contact_email="rep@example.com")
    page = html(console.get(url("call", verified_call(console, story.customer, story.representative).pk)))
    for role in ("representative", "authorised_full", "authorised_readonly", "external_manager", "collaborator"):
        person = story.people()[role]
        row = _contact_row(page, person)
        assert person.id_number in row and person.email in row and phones[role] in row, role
    block = page.split(f'data-cc-request="{process.reference}"')[1]
    assert "rep@example.com" in block and NEW_NIF in block and "data-cc-timeline" in block
    assert 'data-cc-start="representative_change"' in page and 'data-cc-start="external_manager"' in page


def test_a_read_only_caller_hears_only_their_own_contact_data(console, story, phones):
    page = html(console.get(url("call", verified_call(console, story.customer, story.readonly).pk)))
    own = _contact_row(page, story.readonly)
    assert story.readonly.id_number in own and story.readonly.email in own and phones["authorised_readonly"] in own
    for role in ("representative", "authorised_full", "external_manager", "collaborator"):
        person = story.people()[role]
        assert person.id_number not in page and person.email not in page and phones[role] not in page, role
        assert 'data-cc-contact="withheld"' in _contact_row(page, person)


def test_a_read_only_caller_hears_the_status_but_not_the_details_of_someone_elses_request(console, story):
    process = start_change(story, contact_email="rep@example.com")
    page = html(console.get(url("call", verified_call(console, story.customer, story.readonly).pk)))
    block = page.split(f'data-cc-request="{process.reference}"')[1]
    assert "data-cc-timeline" in block and NEW_NAME in block
    assert "rep@example.com" not in page and NEW_NIF not in page and "data-cc-contact-email" not in block
    assert "data-cc-resend" not in block


def test_a_read_only_caller_cannot_start_requests(console, story):
    interaction = verified_call(console, story.customer, story.readonly)
    page = html(console.get(url("call", interaction.pk)))
    assert (
        "data-cc-start=" not in page
        and "data-cc-no-start" in page
        and "This caller may not start requests on this customer." in page
    )
    for name, form in (("start_representative_change", REP_FORM), ("start_external_manager", EM_FORM)):
        response = console.post(url(name, interaction.pk), form)
        assert response.status_code == 400 and "This caller may not start this request on this customer." in html(
            response
        )
    assert RepresentativeChangeProcess.objects.count() == 0 and ExternalManagerProcess.objects.count() == 0


def test_a_collaborator_caller_cannot_start_requests(console, story):
    interaction = verified_call(console, story.customer, story.collaborator)
    assert "data-cc-start=" not in html(console.get(url("call", interaction.pk)))
    assert console.post(url("start_representative_change", interaction.pk), REP_FORM).status_code == 400
    assert RepresentativeChangeProcess.objects.count() == 0


def test_a_full_contact_can_start_an_external_manager(console, story, django_capture_on_commit_callbacks):
    interaction = verified_call(console, story.customer, story.full)
    page = html(console.get(url("call", interaction.pk)))
    assert 'data-cc-start="external_manager"' in page and 'data-cc-start="representative_change"' in page
    assert f'value="{story.full.email}"' in page  # the caller's own address, offered for the link
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post(url("start_external_manager", interaction.pk), EM_FORM)
    assert response.status_code == 302, html(response)
    process = ExternalManagerProcess.objects.get(customer=story.customer)
    assert process.requested_by == story.full and process.representative_at_start == story.representative
    [notice] = [m for m in mail.outbox if m.to == [story.representative.email]]
    assert story.full.name in notice.body


def test_a_caller_who_is_not_a_party_gets_no_upload_link_resent(console, story):
    process = start_change(story, channel="phone", contact_email="rep@example.com")
    interaction = verified_call(console, story.customer, story.full)
    response = console.post(
        url("resend_link", interaction.pk), {"reference": process.reference, "email": "thief@example.com"}
    )
    assert response.status_code == 400
    assert f"This caller may not act on request {process.reference}: its upload links are not for them." in html(
        response
    )
    assert not UploadLink.objects.filter(email="thief@example.com").exists()
