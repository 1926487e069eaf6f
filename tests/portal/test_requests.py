"""The customer side of paperwork requests: "Gestions", the start forms, a request's page and the e-mailed upload link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from accounts.audit import Actor
from accounts.models import AuditEvent
from backoffice.demo import make_cif, make_nif
from documents.models import Document, Precheck
from tests.portal.helpers import login_as, use_language
from tests.workflows.paperwork import (
    NEW_NAME,
    NEW_NIF,
    power_of_attorney,
    staff,
    staff_actor,
    start_change,
    task_of,
    upload,
)
from workflows import services
from workflows.models import ExternalManagerProcess, Milestone, RepresentativeChangeProcess, UploadLink

pytestmark = pytest.mark.django_db

ROLES = ("representative", "authorised_full", "authorised_readonly", "external_manager", "collaborator")
FIRM_CIF = make_cif("B", 6_543_210)
MANAGER_NIF = make_nif(66_000_001)


@pytest.fixture
def en(client):
    use_language(client, "en")
    return client


def _detail_url(process) -> str:
    return reverse("portal:request_detail", args=[process.reference])


def _started(story, capture, **kwargs):
    with capture(execute=True):
        return start_change(story, **kwargs)


def _start_manager(story, capture, *, channel="portal", **overrides):
    fields = {
        "firm_cif": FIRM_CIF,
        "firm_name": "Gestió Energètica S.L.",
        "firm_kind": "energy_manager",
        "manager_id_number": MANAGER_NIF,
        "manager_name": "Pere Gestor",
        "manager_email": "pere@example.com",
        "contact_email": "rep@example.com",
        "language": "ca",
        "requested_by": story.representative,
    } | overrides
    with capture(execute=True):
        return services.start_external_manager(
            customer=story.customer,
            channel=channel,
            actor=Actor(user=story.representative.user, ip=None, label="customer"),
            **fields,
        )


def _pdf(story, seed: int = 7, name: str = "poder.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, power_of_attorney(story.customer, seed=seed), content_type="application/pdf")


def _documents(process) -> list[Document]:
    return list(Document.objects.filter(document_set=process.document_set_id, removed_at__isnull=True))


def _milestones(process) -> list[str]:
    return list(Milestone.objects.filter(reference=process.reference).values_list("kind", flat=True))


def _body(response) -> str:
    return response.content.decode()


# -- "Gestions" -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_gestions_lists_each_request_with_type_date_status_and_link_for_every_role(
    en, story, role, django_capture_on_commit_callbacks
):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.people()[role])
    response = en.get(reverse("portal:requests"))
    body = _body(response)
    assert response.status_code == 200
    assert process.reference in body and _detail_url(process) in body
    assert "Change of representative" in body and "Request submitted" in body
    with translation.override("en"):
        assert formats.date_format(timezone.localtime(process.created), "SHORT_DATE_FORMAT") in body


def test_gestions_shows_nothing_of_another_customers_requests(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.outsider)
    body = _body(en.get(reverse("portal:requests")))
    assert process.reference not in body and story.customer.name not in body
    assert "No requests yet." in body  # one table across companies: a company without requests is not listed


@pytest.mark.parametrize(
    "role, shown",
    [
        ("representative", True),
        ("authorised_full", True),
        ("authorised_readonly", False),
        ("external_manager", False),
        ("collaborator", False),
    ],
)
def test_gestions_offers_the_start_buttons_to_the_representative_and_full_contacts(client, story, role, shown):
    login_as(client, story.people()[role])
    body = _body(client.get(reverse("portal:requests")))
    for name in ("portal:new_representative_change", "portal:new_external_manager"):
        assert (reverse(name, args=[story.customer.pk]) in body) is shown


def test_gestions_shows_the_current_status_as_the_last_milestone(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    Milestone.objects.create(reference=process.reference, customer=story.customer, kind=Milestone.Kind.UNDER_REVIEW)
    login_as(en, story.full)
    body = _body(en.get(reverse("portal:requests")))
    assert '<span class="role">We are reviewing it</span>' in body and "Waiting for your documents" not in body


def test_gestions_query_count_does_not_grow_with_the_number_of_requests(
    client, story, django_capture_on_commit_callbacks
):
    login_as(client, story.representative)
    _started(story, django_capture_on_commit_callbacks)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("portal:requests")).status_code == 200
        return len(queries.captured_queries)

    one = count()
    for _ in range(2):  # one open request of each kind at a time: close the last one, start another
        RepresentativeChangeProcess.objects.update(is_open=False, outcome="expired")
        _started(story, django_capture_on_commit_callbacks)
    _start_manager(story, django_capture_on_commit_callbacks)
    ExternalManagerProcess.objects.update(is_open=False, outcome="expired")
    _start_manager(story, django_capture_on_commit_callbacks, manager_id_number=make_nif(66_000_002))
    assert RepresentativeChangeProcess.objects.count() + ExternalManagerProcess.objects.count() == 5
    assert count() == one


def test_gestions_tells_direct_contact_changes_as_sentences(en, story):
    login_as(en, story.representative)
    contacts = reverse("portal:contacts", args=[story.customer.pk])
    en.post(
        contacts,
        {
            "name": "Nou Contacte",
            "email": "nou@example.com",
            "id_number": make_nif(55_000_001),
            "role": "authorised_readonly",
        },
    )
    en.post(
        reverse("portal:change_contact_role", args=[story.customer.pk, story.full_grant.pk]),
        {"role": "authorised_readonly"},
    )
    en.post(reverse("portal:deactivate_contact", args=[story.customer.pk, story.readonly_grant.pk]))
    assert AuditEvent.objects.filter(action__startswith="grant.", request_ref="").count() == 3
    en.get(contacts)  # the representative reads their confirmations
    login_as(en, story.full)
    body = _body(en.get(reverse("portal:requests")))
    customer = story.customer.name
    assert f"Nou Contacte was given the role Authorised (read only) on {customer}<" in body
    assert (
        f"The role of Full Access on {customer} changed from Authorised (full access) to Authorised (read only)<"
        in body
    )
    assert f"Read Only no longer has access to {customer} (was Authorised (read only))<" in body
    assert body.count("Rep Resentant") == 3  # who made each change
    assert make_nif(55_000_001) not in body and "portal: add contact" not in body


def test_gestions_needs_a_login(client):
    response = client.get(reverse("portal:requests"))
    assert response.status_code == 302 and reverse("portal:login") in response["Location"]


def test_requests_link_is_in_the_menu_of_logged_in_customers(en, story):
    login_as(en, story.readonly)
    assert f'href="{reverse("portal:requests")}"' in _body(en.get(reverse("portal:supplies")))


# -- starting a request ---------------------------------------------------------------------


def _representative_change_form(**data):
    return {
        "new_id_number": NEW_NIF,
        "new_name": NEW_NAME,
        "new_email": "marta@example.com",
        "outgoing": "authorised_full",
        "contact_email": "rep@example.com",
    } | data


def _external_manager_form(**data):
    return {
        "firm_cif": FIRM_CIF,
        "firm_name": "Gestió Energètica S.L.",
        "firm_kind": "energy_manager",
        "manager_id_number": MANAGER_NIF,
        "manager_name": "Pere Gestor",
        "manager_email": "pere@example.com",
        "contact_email": "rep@example.com",
    } | data


def test_start_form_prefills_the_contact_email_with_the_representatives(client, story):
    login_as(client, story.representative)
    body = _body(client.get(reverse("portal:new_representative_change", args=[story.customer.pk])))
    assert f'value="{story.representative.email}"' in body


def test_representative_starts_a_change_of_representative_and_lands_on_its_page(
    en, story, django_capture_on_commit_callbacks
):
    login_as(en, story.representative)
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(
            reverse("portal:new_representative_change", args=[story.customer.pk]), _representative_change_form()
        )
    process = RepresentativeChangeProcess.objects.get(customer=story.customer)
    assert response.status_code == 302 and response["Location"] == _detail_url(process)
    assert (process.new_id_number, process.new_name, process.outgoing) == (NEW_NIF, NEW_NAME, "authorised_full")
    assert (process.channel, process.language) == ("portal", "en")
    assert process.requested_by == story.representative and process.started_by == story.representative.user
    assert AuditEvent.objects.get(action="request.start", request_ref=process.reference).actor_label == "customer"
    assert mail.outbox[-1].to == ["rep@example.com"] and process.reference in mail.outbox[-1].body
    page = en.get(response["Location"])
    assert process.reference in _body(page) and "Submit documents" in _body(page)


def test_representative_registers_an_external_manager_for_the_checked_supply_points(
    en, story, django_capture_on_commit_callbacks
):
    login_as(en, story.representative)
    url = reverse("portal:new_external_manager", args=[story.customer.pk])
    points = list(story.customer.contracts.get().supply_points.order_by("cups"))
    assert all(point.cups in _body(en.get(url)) for point in points)
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(url, _external_manager_form(supply_points=[points[0].pk]))
    process = ExternalManagerProcess.objects.get(customer=story.customer)
    assert response.status_code == 302 and response["Location"] == _detail_url(process)
    assert (process.firm_cif, process.firm_kind, process.manager_id_number) == (FIRM_CIF, "energy_manager", MANAGER_NIF)
    assert list(process.supply_points.all()) == [points[0]]


def test_external_manager_with_no_supply_point_checked_covers_them_all(en, story):
    login_as(en, story.representative)
    response = en.post(reverse("portal:new_external_manager", args=[story.customer.pk]), _external_manager_form())
    process = ExternalManagerProcess.objects.get(customer=story.customer)
    assert response.status_code == 302 and process.supply_points.count() == 0
    assert "All the customer&#x27;s supply points" in _body(en.get(_detail_url(process)))


def test_start_form_with_a_bad_nif_says_so_keeps_the_values_and_starts_nothing(en, story):
    login_as(en, story.representative)
    response = en.post(
        reverse("portal:new_representative_change", args=[story.customer.pk]),
        _representative_change_form(new_id_number="12345678A", new_email="typed@example.com"),
    )
    body = _body(response)
    assert response.status_code == 400 and "Incorrect NIF, NIE or passport format" in body
    assert 'value="12345678A"' in body and 'value="typed@example.com"' in body and f'value="{NEW_NAME}"' in body
    assert not RepresentativeChangeProcess.objects.exists()


def test_start_form_with_a_bad_cif_says_so_keeps_the_values_and_starts_nothing(en, story):
    login_as(en, story.representative)
    point = story.customer.contracts.get().supply_points.first()
    response = en.post(
        reverse("portal:new_external_manager", args=[story.customer.pk]),
        _external_manager_form(firm_cif="B12345670", supply_points=[point.pk]),
    )
    body = _body(response)
    assert response.status_code == 400 and "The firm&#x27;s CIF is not valid." in body
    assert (
        'value="B12345670"' in body
        and f'value="{MANAGER_NIF}"' in body
        and re.search(rf'value="{point.pk}"[^>]*checked', body)
    )
    assert not ExternalManagerProcess.objects.exists()


def test_start_form_shows_the_services_refusal_on_the_form(en, story):
    login_as(en, story.representative)
    response = en.post(
        reverse("portal:new_representative_change", args=[story.customer.pk]),
        _representative_change_form(new_id_number=story.representative.id_number),
    )
    assert response.status_code == 400 and "This person is already the representative of this customer." in _body(
        response
    )
    assert not RepresentativeChangeProcess.objects.exists()


def test_second_open_request_of_a_kind_is_refused_naming_the_open_one(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    response = en.post(
        reverse("portal:new_representative_change", args=[story.customer.pk]),
        _representative_change_form(new_id_number=make_nif(66_000_009), new_name="Una Altra"),
    )
    body = _body(response)
    assert response.status_code == 400 and "already an open request" in body and process.reference in body
    assert _detail_url(process) in body and 'value="Una Altra"' in body
    assert RepresentativeChangeProcess.objects.count() == 1


@pytest.mark.parametrize("role", ["authorised_readonly", "external_manager", "collaborator", "outsider"])
@pytest.mark.parametrize(
    "name, data",
    [
        ("portal:new_representative_change", _representative_change_form()),
        ("portal:new_external_manager", _external_manager_form()),
    ],
)
def test_start_forms_are_404_for_anyone_but_the_representative_and_full_contacts(client, story, role, name, data):
    login_as(client, story.people()[role])
    url = reverse(name, args=[story.customer.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    assert not RepresentativeChangeProcess.objects.exists() and not ExternalManagerProcess.objects.exists()


# -- a request's page -----------------------------------------------------------------------


def test_request_page_shows_the_request_and_the_upload_controls_to_the_representative_who_asked(
    en, story, django_capture_on_commit_callbacks
):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    body = _body(en.get(_detail_url(process)))
    assert process.reference in body and "Change of representative" in body and story.customer.name in body
    assert NEW_NAME in body and NEW_NIF in body and "Keep the outgoing representative" in body
    assert "Request submitted" in body
    assert 'type="file"' in body and "multiple" in body and "Submit documents" in body


@pytest.mark.parametrize("role", ["authorised_full", "authorised_readonly", "external_manager", "collaborator"])
def test_request_page_of_someone_else_shows_the_status_but_no_identities_documents_or_controls(
    en, story, role, django_capture_on_commit_callbacks
):
    process = _started(story, django_capture_on_commit_callbacks)
    upload(process, power_of_attorney(story.customer))
    login_as(en, story.people()[role])
    body = _body(en.get(_detail_url(process)))
    assert process.reference in body and NEW_NAME in body and "Request submitted" in body
    assert NEW_NIF not in body and NEW_NIF[-3:] in body and "poder.pdf" not in body
    assert 'type="file"' not in body and "Submit documents" not in body


def test_uploading_a_good_pdf_stores_and_lists_it(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    response = en.post(_detail_url(process), {"action": "upload", "files": [_pdf(story)]})
    assert response.status_code == 302
    [document] = _documents(process)
    assert document.original_name == "poder.pdf" and document.uploaded_by == story.representative.user
    body = _body(en.get(_detail_url(process)))
    assert "poder.pdf uploaded." in body and "poder.pdf" in body and 'value="remove"' in body


def test_several_files_are_uploaded_at_once(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    en.post(_detail_url(process), {"action": "upload", "files": [_pdf(story, 7, "a.pdf"), _pdf(story, 8, "b.pdf")]})
    assert sorted(d.original_name for d in _documents(process)) == ["a.pdf", "b.pdf"]


def test_uploading_a_file_that_is_not_a_document_says_why_and_stores_nothing(
    en, story, django_capture_on_commit_callbacks
):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    response = en.post(_detail_url(process), {"action": "upload", "files": [SimpleUploadedFile("x.pdf", b"not a pdf")]})
    body = _body(response)
    assert response.status_code == 400 and "x.pdf: Only PDF, JPEG, PNG and TIFF files are accepted." in body
    assert process.reference in body and "Submit documents" in body  # the rest of the page is still there
    assert Document.objects.filter(document_set=process.document_set_id).count() == 0


def test_a_good_and_a_bad_file_together_keep_the_good_one(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    response = en.post(
        _detail_url(process), {"action": "upload", "files": [_pdf(story), SimpleUploadedFile("x.pdf", b"not a pdf")]}
    )
    body = _body(response)
    assert response.status_code == 400 and "poder.pdf uploaded." in body and "x.pdf: Only PDF" in body
    assert [d.original_name for d in _documents(process)] == ["poder.pdf"]


def test_uploading_the_same_file_twice_says_so(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    en.post(_detail_url(process), {"action": "upload", "files": [_pdf(story)]})
    response = en.post(_detail_url(process), {"action": "upload", "files": [_pdf(story, name="copy.pdf")]})
    assert response.status_code == 400 and "already been uploaded" in _body(response)
    assert len(_documents(process)) == 1


def test_upload_without_a_file_asks_for_one(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    response = en.post(_detail_url(process), {"action": "upload"})
    assert response.status_code == 400 and "Choose at least one file to upload." in _body(response)


def test_removing_a_document_takes_it_off_the_request(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    document = upload(process, power_of_attorney(story.customer))
    login_as(en, story.representative)
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(_detail_url(process), {"action": "remove", "document": document.pk})
    assert response.status_code == 302 and _documents(process) == []
    document.refresh_from_db()
    assert document.removed_at is not None and not document.has_file


def test_removing_a_document_of_another_request_is_refused(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    other = _start_manager(story, django_capture_on_commit_callbacks)
    document = upload(other, power_of_attorney(story.customer))
    login_as(en, story.representative)
    response = en.post(_detail_url(process), {"action": "remove", "document": document.pk})
    assert response.status_code == 400 and "does not belong to this request" in _body(response)
    assert _documents(other) == [document]


def test_submitting_with_nothing_uploaded_says_so(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    response = en.post(_detail_url(process), {"action": "submit"})
    assert response.status_code == 400 and "Add at least one document before submitting." in _body(response)
    assert services.waiting_for_documents(process)


def test_submitting_runs_the_precheck_and_the_page_shows_the_verification_stage(
    en, story, django_capture_on_commit_callbacks
):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    en.post(_detail_url(process), {"action": "upload", "files": [_pdf(story)]})
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(_detail_url(process), {"action": "submit"}, follow=True)
    assert response.redirect_chain[0][1] == 302 and "Documents received" in _body(response)  # ends on a confirmation
    process.refresh_from_db()
    assert process.precheck.status == Precheck.Status.DONE and task_of(process, "verify") is not None
    assert _milestones(process)[-3:] == ["documents_received", "checks_running", "under_review"]
    body = _body(en.get(_detail_url(process)))
    assert "Under review" in body and "Documents received" in body and "poder.pdf" in body
    assert 'type="file"' not in body and "Submit documents" not in body
    assert "We are reviewing it" in _body(en.get(reverse("portal:requests")))


def test_uploading_after_submission_is_refused_with_a_message(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=Actor.system("test"))
    login_as(en, story.representative)
    response = en.post(_detail_url(process), {"action": "upload", "files": [_pdf(story, 9)]})
    assert response.status_code == 400 and "not waiting for documents any more" in _body(response)
    assert len(_documents(process)) == 1


def test_request_page_shows_the_precheck_progress_while_it_runs(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    process.precheck = Precheck.objects.create(
        document_set=process.document_set, claim={}, status="running", pages_total=3, pages_done=1
    )
    process.save(update_fields=["precheck"])
    login_as(en, story.readonly)
    body = _body(en.get(_detail_url(process)))
    assert "pages 1 of 3" in body and "Running" in body


def test_rejection_shows_the_reason_and_message_but_never_the_internal_note(
    en, story, django_capture_on_commit_callbacks
):
    process = _started(story, django_capture_on_commit_callbacks)
    upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=staff_actor(story.representative.user))
    verifier = staff("verifiers")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            task_id=task_of(process, "verify").pk,
            user=verifier,
            decision="reject",
            reason="names_do_not_match",
            customer_message="The deed names someone else.",
            internal_note="Looks forged, call the notary",
            actor=staff_actor(verifier),
        )
    login_as(en, story.readonly)
    body = _body(en.get(_detail_url(process)))
    assert "Rejected" in body and "Names do not match" in body and "The deed names someone else." in body
    assert "forged" not in body and 'type="file"' not in body


def test_more_documents_asked_shows_the_staff_message_and_the_upload_again(
    en, story, django_capture_on_commit_callbacks
):
    process = _started(story, django_capture_on_commit_callbacks)
    upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=staff_actor(story.representative.user))
    verifier = staff("verifiers")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            task_id=task_of(process, "verify").pk,
            user=verifier,
            decision="more_documents",
            customer_message="Send the registry certificate too.",
            internal_note="hidden note",
            actor=staff_actor(verifier),
        )
    login_as(en, story.representative)
    body = _body(en.get(_detail_url(process)))
    assert "More documents needed" in body and "Send the registry certificate too." in body
    assert 'type="file"' in body and "hidden note" not in body


def test_readonly_contact_sees_the_request_but_no_documents_nor_forms(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    upload(process, power_of_attorney(story.customer))
    login_as(en, story.readonly)
    body = _body(en.get(_detail_url(process)))
    assert process.reference in body and "poder.pdf" not in body and "Request submitted" in body
    assert '<form method="post" action="/requests/' not in body and 'type="file"' not in body
    assert 'value="remove"' not in body and "Submit documents" not in body


@pytest.mark.parametrize("data", [{"action": "upload"}, {"action": "remove"}, {"action": "submit"}])
def test_readonly_contacts_post_is_refused_and_changes_nothing(client, story, data, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    document = upload(process, power_of_attorney(story.customer))
    login_as(client, story.readonly)
    payload = (
        data
        | {"upload": {"files": [_pdf(story, 9)]}, "remove": {"document": document.pk}, "submit": {}}[data["action"]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_detail_url(process), payload)
    assert response.status_code == 403
    assert _documents(process) == [document] and services.waiting_for_documents(process)


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_customers_person_gets_404_on_a_request(client, story, method, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(client, story.outsider)
    response = getattr(client, method)(_detail_url(process), {"action": "submit"} if method == "post" else None)
    assert response.status_code == 404 and services.waiting_for_documents(process)


def test_unknown_reference_is_404(client, story):
    login_as(client, story.representative)
    assert client.get(reverse("portal:request_detail", args=["RC-ZZZZZZ"])).status_code == 404


# -- the upload link ------------------------------------------------------------------------


def _by_phone(story, capture, **kwargs):
    mail.outbox.clear()
    process = _started(story, capture, channel="phone", **kwargs)
    return process, _link_in_mail()


def _link_in_mail() -> str:
    return re.search(r"https?://\S+?(/upload/\S+/)", mail.outbox[-1].body).group(1)


def test_upload_link_shows_only_the_customer_name_the_reference_and_the_type(
    en, story, django_capture_on_commit_callbacks
):
    process, link = _by_phone(story, django_capture_on_commit_callbacks)
    response = en.get(link)
    body = _body(response)
    assert response.status_code == 200
    assert process.reference in body and story.customer.name in body and "Change of representative" in body
    for secret in (
        story.customer.tax_id,
        NEW_NIF,
        NEW_NAME,
        "marta@example.com",
        "rep@example.com",
        story.representative.name,
    ):
        assert secret not in body
    assert 'type="file"' in body and "Submit documents" in body
    assert UploadLink.objects.get(reference=process.reference).opened_at is not None


def test_upload_link_upload_remove_and_submit_end_on_a_thank_you_page(en, story, django_capture_on_commit_callbacks):
    process, link = _by_phone(story, django_capture_on_commit_callbacks)
    assert en.post(link, {"action": "upload", "files": [SimpleUploadedFile("x.pdf", b"not a pdf")]}).status_code == 400
    assert (
        en.post(link, {"action": "upload", "files": [_pdf(story, 7, "a.pdf"), _pdf(story, 8, "b.pdf")]}).status_code
        == 302
    )
    first = Document.objects.get(document_set=process.document_set_id, original_name="a.pdf")
    assert first.uploaded_by is None
    with django_capture_on_commit_callbacks(execute=True):
        assert en.post(link, {"action": "remove", "document": first.pk}).status_code == 302
    assert [d.original_name for d in _documents(process)] == ["b.pdf"]
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(link, {"action": "submit"}, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert "Documents received" in _body(response) and process.reference in _body(response)
    assert UploadLink.objects.get(reference=process.reference).uploaded_at is not None
    assert AuditEvent.objects.filter(
        request_ref=process.reference, action="document_set.submit", actor_label="upload link"
    ).exists()
    process.refresh_from_db()
    assert task_of(process, "verify") is not None
    again = en.get(link)
    assert again.status_code == 410 and "no longer waiting for documents" in _body(again)


def test_upload_link_submit_with_nothing_uploaded_says_so(en, story, django_capture_on_commit_callbacks):
    process, link = _by_phone(story, django_capture_on_commit_callbacks)
    response = en.post(link, {"action": "submit"})
    assert response.status_code == 400 and "Add at least one document before submitting." in _body(response)


def test_expired_upload_link_is_410(en, story, django_capture_on_commit_callbacks):
    process, link = _by_phone(story, django_capture_on_commit_callbacks)
    UploadLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = en.get(link)
    assert response.status_code == 410 and "has expired" in _body(response) and 'type="file"' not in _body(response)


def test_revoked_upload_link_is_410_also_for_a_post(en, story, django_capture_on_commit_callbacks):
    process, link = _by_phone(story, django_capture_on_commit_callbacks)
    services.revoke_upload_link(link=UploadLink.objects.get(reference=process.reference), actor=Actor.system("test"))
    assert en.get(link).status_code == 410 and "was withdrawn" in _body(en.get(link))
    response = en.post(link, {"action": "upload", "files": [_pdf(story)]})
    assert response.status_code == 410 and _documents(process) == []


def test_upload_link_of_another_request_is_410(en, story, django_capture_on_commit_callbacks):
    process, _link = _by_phone(story, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    _start_manager(story, django_capture_on_commit_callbacks, channel="phone")
    other_token = _link_in_mail().rstrip("/").rsplit("/", 1)[1]
    response = en.get(reverse("portal:upload_link", args=[process.reference, other_token]))
    assert response.status_code == 410 and "belongs to another request" in _body(response)


def test_invalid_upload_token_is_404(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    url = reverse("portal:upload_link", args=[process.reference, "not-a-token"])
    response = en.get(url)
    assert response.status_code == 404 and "not valid" in _body(response) and 'type="file"' not in _body(response)
    assert en.post(url, {"action": "upload", "files": [_pdf(story)]}).status_code == 404 and _documents(process) == []


def test_upload_link_stops_working_once_the_request_moved_on(en, story, django_capture_on_commit_callbacks):
    process, link = _by_phone(story, django_capture_on_commit_callbacks)
    upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=Actor.system("test"))
    for response in (en.get(link), en.post(link, {"action": "upload", "files": [_pdf(story, 9)]})):
        assert response.status_code == 410 and process.reference in _body(response)
    assert len(_documents(process)) == 1


def test_upload_link_needs_no_login_but_a_logged_in_customer_may_use_it(en, story, django_capture_on_commit_callbacks):
    process, link = _by_phone(story, django_capture_on_commit_callbacks)
    login_as(en, story.outsider)
    assert en.get(link).status_code == 200


def test_a_used_upload_link_stays_dead_when_more_documents_are_asked(en, story, django_capture_on_commit_callbacks):
    process, link = _by_phone(story, django_capture_on_commit_callbacks)
    en.post(link, {"action": "upload", "files": [_pdf(story)]})
    with django_capture_on_commit_callbacks(execute=True):
        assert en.post(link, {"action": "submit"}).status_code == 302  # to the confirmation
    verifier = staff("verifiers")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            task_id=task_of(process, "verify").pk,
            user=verifier,
            decision="more_documents",
            customer_message="Send the registry certificate too.",
            actor=staff_actor(verifier),
        )
    new_link = _link_in_mail()
    assert new_link != link
    assert en.get(link).status_code == 410
    assert en.get(new_link).status_code == 200


@pytest.mark.parametrize("reference", ["RC-HXCEDP%00", "EM-%00", "RC-" + "A" * 500, "rc-88888B"])
def test_a_reference_of_the_wrong_shape_is_404_not_an_error(client, story, reference):
    login_as(client, story.representative)
    assert client.get(f"/requests/{reference}/").status_code == 404
