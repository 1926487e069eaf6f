"""The call-center console through its pages: search, take the call, verify the caller, start on their behalf, links, log, close."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.audit import Actor
from accounts.models import FailedAttempt, Grant, Invoice, SupplyPoint
from backoffice.demo import make_cif, make_cups, make_nif
from documents.models import Document
from tests import factories
from tests.workflows.paperwork import (
    FIRM_CIF,
    FIRM_NAME,
    MANAGER_NAME,
    MANAGER_NIF,
    link_token,
    power_of_attorney,
    start_change,
    task_of,
)
from workflows import services as workflows
from workflows.models import ExternalManagerProcess, RepresentativeChangeProcess, UploadLink

from .helpers import REP_FORM, html, last4, logged_in, take_call, url, verified_call, verify, wrong_last4

pytestmark = pytest.mark.django_db

HOLDER = Actor(user=None, ip="203.0.113.9", label="upload link")


def search(client, query, status=200):
    response = client.get(url("index"), {"q": query})
    assert response.status_code == status, response.status_code
    return html(response)


def found_customers(page: str) -> int:
    return page.count("data-cc-result ")


# -- the console home: one search box ----------------------------------------------------------


def test_the_console_home_has_one_autofocused_search_box_and_its_script(console):
    page = html(console.get(url("index")))
    assert page.count('name="q"') == 1
    assert "autofocus" in page and "data-cc-search" in page
    assert "callcenter/console.js" in page and "callcenter/console.css" in page
    assert 'src="http' not in page and 'href="http' not in page  # our own static files, no CDN


def _self_employed():
    customer = factories.customer(kind="self_employed", name="Pere Autonom Serra")
    customer.tax_id = make_nif(33_000_001)
    customer.save(update_fields=["tax_id"])
    return customer, customer.tax_id


KEYS = {
    "NIF of a person with a grant": lambda story: (story.customer, story.readonly.id_number.lower()),
    "self-employed NIF as tax id": lambda story: _self_employed(),
    "CIF": lambda story: (story.customer, " " + story.customer.tax_id.lower() + " "),
    "CUPS": lambda story: (
        story.customer,
        SupplyPoint.objects.filter(contract__customer=story.customer).first().cups.lower(),
    ),
    "phone": lambda story: _with_phone(story),
    "e-mail in another case": lambda story: (story.customer, story.full.email.upper()),
    "invoice number": lambda story: (
        story.customer,
        Invoice.objects.filter(contract__customer=story.customer).first().number.lower(),
    ),
    "request reference": lambda story: (story.customer, start_change(story).reference.lower()),
    "request reference as dictated, with spaces": lambda story: (
        story.customer,
        _spaced(start_change(story).reference),
    ),
}


def _spaced(reference):
    prefix, code = reference.split("-")
    return f" {prefix.lower()} - {code[:3]} {code[3:]} "


def _with_phone(story):
    story.full.phone = "612345678"
    story.full.save(update_fields=["phone"])
    return story.customer, "+34 612 34 56 78"


@pytest.mark.parametrize("kind", KEYS)
def test_search_by_every_kind_of_key_finds_the_customer_card(console, story, kind):
    customer, query = KEYS[kind](story)
    page = search(console, query)
    assert found_customers(page) == 1, page
    assert customer.name in page and customer.tax_id in page
    assert story.other_customer.name not in page
    for point in SupplyPoint.objects.filter(contract__customer=customer):
        assert point.cups in page and point.city in page
    if customer == story.customer:
        for person in (story.representative, story.full, story.readonly, story.manager, story.collaborator):
            assert person.name in page
        assert "Representative" in page and "Authorised (read only)" in page and "Collaborator (full access)" in page
        # names and roles only before verification: no e-mail, no phone
        assert all(p.email not in page for p in story.people().values())
        assert "600111222" not in page and "612345678" not in page
    assert "Take the call" in page and f'action="{url("take_call", customer.pk)}"' in page


def test_a_card_lists_the_customers_open_requests(console, story):
    process = start_change(story)
    page = search(console, story.customer.tax_id)
    assert process.reference in page and "Change of representative" in page


def _bad_cif():
    good = make_cif("B", 1_234_567)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


@pytest.mark.parametrize(
    "query, message",
    [
        ("12345678A", "“12345678A” looks like a NIF or NIE but its check letter is wrong."),
        ("X1234567A", "“X1234567A” looks like a NIF or NIE but its check letter is wrong."),
        (_bad_cif(), f"“{_bad_cif()}” looks like a CIF but its check digit is wrong."),
        (
            make_cups(12_345)[:-2] + ("AB" if not make_cups(12_345).endswith("AB") else "CD"),
            "looks like a CUPS but its check letters are wrong.",
        ),
        (
            "A1",
            "“A1” is not a NIF/NIE, CIF, CUPS, phone, e-mail, invoice or contract number, request reference, "
            "or a name of three letters or more.",
        ),
        ("someone@", "“someone@” is not a valid e-mail address."),
    ],
)
def test_a_malformed_key_is_a_400_with_the_message(console, story, query, message):
    page = search(console, query, status=400)
    assert "data-cc-search-error" in page
    assert message in page
    assert found_customers(page) == 0
    assert f'value="{query}"' in page  # the box keeps what was typed


def test_a_key_that_matches_nobody_says_so(console, story):
    page = search(console, make_cif("B", 7_654_321))
    assert found_customers(page) == 0 and "No customer matches." in page and "data-cc-search-error" not in page


def test_results_are_keyboard_navigable_buttons(console, story):
    other = factories.customer()
    person = factories.person()
    factories.grant(customer=story.customer, person=person, role="authorised_readonly")
    factories.grant(customer=other, person=person, role="authorised_readonly")
    page = search(console, person.id_number)
    assert found_customers(page) == 2
    assert page.count('<button type="submit" class="cc-button cc-button--primary" data-cc-result') == 2
    assert "data-cc-results" in page


def _customer_with(points: int, people: int):
    customer = factories.customer(supply_points=points)
    for k in range(people):
        factories.grant(
            customer=customer, person=factories.person(), role="representative" if k == 0 else "authorised_full"
        )
    return customer


def test_the_search_takes_the_same_number_of_queries_whatever_the_customer_holds(console, story):
    small, large = _customer_with(1, 1), _customer_with(5, 5)
    start_change(story)  # some open request somewhere
    search(console, small.tax_id)  # warm up (content types, permissions caches)

    counts = []
    for customer in (small, large):
        with CaptureQueriesContext(connection) as queries:
            page = search(console, customer.tax_id)
        assert found_customers(page) == 1
        counts.append(len(queries))
    assert counts[0] == counts[1], counts

    with CaptureQueriesContext(connection) as by_phone:  # many customers at once: still the same number
        search(console, "600111222")
    assert len(by_phone) == counts[0]


def test_take_the_call_opens_an_interaction_and_goes_to_the_call_page(console, story, agent):
    interaction = take_call(console, story.customer)
    assert interaction.agent == agent and interaction.verification == "not_attempted" and interaction.ended_at is None
    page = html(console.get(url("call", interaction.pk)))
    assert story.customer.name in page and "Not verified" in page
    assert story.representative.name in page and story.representative.email not in page
    # the console home lists the call until it is closed
    assert url("call", interaction.pk) in html(console.get(url("index")))


# -- verifying the caller ----------------------------------------------------------------------


def test_the_caller_is_verified_with_the_bank_digits(console, story, agent):
    interaction = take_call(console, story.customer)
    page = html(console.get(url("call", interaction.pk)))
    assert 'data-cc-proof="bank"' in page and 'name="bank_last4"' in page and 'name="invoice_total"' not in page
    assert "ES**" not in page and last4(story.customer) not in page.split('name="bank_last4"')[1][:80]

    response = verify(console, interaction, story.representative)
    assert response.status_code == 302 and response["Location"].endswith("#verification")
    interaction.refresh_from_db()
    assert interaction.verification == "verified" and interaction.verified_at is not None
    assert (
        interaction.caller_id_number == story.representative.id_number
        and interaction.caller_name == story.representative.name
    )

    page = html(console.get(response["Location"]))
    assert "Caller verified. You may now act for them." in page and "data-cc-verified" in page
    assert story.full.email in page and story.readonly.email in page and "600111222" in page
    assert 'name="rc-new_id_number"' in page and 'name="em-firm_cif"' in page
    assert FailedAttempt.objects.count() == 0


WRONG = {
    "wrong proof": lambda story: {"bank_last4": wrong_last4(story.customer)},
    "the right proof with another person's NIF": lambda story: {"id_number": story.full.id_number},
}


@pytest.mark.parametrize("wrong", WRONG)
def test_a_wrong_proof_or_nif_is_logged_as_failed_and_counted_with_the_same_words(console, story, agent, wrong):
    interaction = take_call(console, story.customer)
    response = verify(console, interaction, story.representative, **WRONG[wrong](story))
    assert response.status_code == 302
    interaction.refresh_from_db()
    assert interaction.verification == "failed" and interaction.verified_at is None
    assert FailedAttempt.objects.filter(scope="holder_proof:id", key=story.customer.tax_id).count() == 1
    assert FailedAttempt.objects.filter(scope="holder_proof:id+ip", key__contains=f"|agent{agent.pk}:").count() == 1

    page = html(console.get(response["Location"]))
    assert "The proof does not match. The caller is not verified." in page
    assert 'data-cc-verification="failed"' in page
    assert story.full.email not in page and 'name="rc-new_id_number"' not in page


def test_a_malformed_proof_is_a_400_and_is_not_counted(console, story):
    interaction = take_call(console, story.customer)
    response = verify(console, interaction, story.representative, bank_last4="12a4")
    assert response.status_code == 400
    assert "Type the 4 digits the caller reads out." in html(response)
    assert f'value="{story.representative.id_number}"' in html(response)  # values kept
    response = verify(console, interaction, None, id_number="12345678A", name="Algu Desconegut")
    assert response.status_code == 400 and "Incorrect NIF, NIE or passport format" in html(response)
    response = verify(console, interaction, story.representative, id_number="12345678A")
    assert response.status_code == 400 and "Incorrect NIF, NIE or passport format" in html(response)
    interaction.refresh_from_db()
    assert interaction.verification == "not_attempted" and FailedAttempt.objects.count() == 0


def test_a_malformed_invoice_total_is_a_400_and_never_counts_toward_the_lock(console, story, settings):
    customer = factories.customer(direct_debit=False, invoices=("1234.56", "98.10", "143.00"))
    caller = factories.person()
    factories.grant(customer=customer, person=caller, role="representative")
    interaction = take_call(console, customer)
    for malformed in ["abc", "1,234.567", "-143,00", "12,34,567", "1e3"] * settings.LOCKOUT_MAX_ATTEMPTS:
        response = verify(console, interaction, caller, invoice_total=malformed)
        assert response.status_code == 400 and "Enter an amount such as 123,45." in html(response)
    interaction.refresh_from_db()
    assert interaction.verification == "not_attempted"
    assert verify(console, interaction, caller, invoice_total="1,234.56").status_code == 302
    interaction.refresh_from_db()
    assert interaction.verification == "verified"


def test_the_lockout_counts_failures_per_customer(story):
    """LOCKOUT_MAX_ATTEMPTS failures on one customer, each by another agent: then even the right proof is refused."""
    from tests.workflows.paperwork import staff

    for n in range(settings.LOCKOUT_MAX_ATTEMPTS):
        client = logged_in(staff("callcenter_agents", f"agent{n}-"))
        interaction = take_call(client, story.customer)
        verify(client, interaction, story.representative, bank_last4=wrong_last4(story.customer))
    assert (
        FailedAttempt.objects.filter(scope="holder_proof:id", key=story.customer.tax_id).count()
        == settings.LOCKOUT_MAX_ATTEMPTS
    )

    client = logged_in(staff("callcenter_agents", "fresh"))
    interaction = take_call(client, story.customer)
    page = html(client.get(url("call", interaction.pk)))
    assert "data-cc-locked" in page and 'name="bank_last4"' not in page
    response = verify(client, interaction, story.representative)  # the right proof
    interaction.refresh_from_db()
    assert interaction.verification == "locked" and interaction.verified_at is None
    page = html(client.get(response["Location"]))
    assert "verification is locked for now" in page and story.full.email not in page
    # locked attempts are not counted again
    assert FailedAttempt.objects.filter(scope="holder_proof:id").count() == settings.LOCKOUT_MAX_ATTEMPTS

    # the same agent, on another customer, may verify
    other = factories.customer()
    person = factories.person()
    factories.grant(customer=other, person=person, role="representative")
    verified_call(client, other, person)


def test_the_lockout_counts_failures_per_agent_session(console, agent, settings):
    """An agent's session stands for an address: failing on as many customers as its ceiling locks it on the next one too."""
    settings.LOCKOUT_MAX_PER_ADDRESS = settings.LOCKOUT_MAX_ATTEMPTS
    for _ in range(settings.LOCKOUT_MAX_ATTEMPTS):
        customer = factories.customer()
        interaction = take_call(console, customer)
        stranger = factories.person()
        verify(
            console,
            interaction,
            None,
            id_number=stranger.id_number,
            name=stranger.name,
            bank_last4=wrong_last4(customer),
        )
    target, caller = factories.customer(), factories.person()
    factories.grant(customer=target, person=caller, role="representative")
    interaction = take_call(console, target)
    verify(console, interaction, caller)  # the right proof
    interaction.refresh_from_db()
    assert interaction.verification == "locked"
    assert FailedAttempt.objects.filter(scope="holder_proof:id", key=target.tax_id).count() == 0

    # another agent (another session) verifies the same caller at once
    from tests.workflows.paperwork import staff

    verified_call(logged_in(staff("callcenter_agents", "colleague")), target, caller)


def test_a_customer_without_direct_debit_is_verified_with_a_recent_invoice_total(console, story):
    customer = factories.customer(direct_debit=False)
    caller = factories.person()
    factories.grant(customer=customer, person=caller, role="representative")
    interaction = take_call(console, customer)
    page = html(console.get(url("call", interaction.pk)))
    assert 'data-cc-proof="invoice"' in page and "does not pay by direct debit" in page
    assert 'name="invoice_total"' in page and 'name="bank_last4"' not in page

    # the fourth invoice back is too old to prove anything
    verify(console, interaction, caller, invoice_total="77,77")
    interaction.refresh_from_db()
    assert interaction.verification == "failed"

    response = verify(console, interaction, caller, invoice_total="143,00 €")
    assert response.status_code == 302
    interaction.refresh_from_db()
    assert interaction.verification == "verified"
    assert Invoice.objects.filter(contract__customer=customer, total=Decimal("143.00")).exists()


# -- before verification: nothing personal, nothing started -----------------------------------


def test_an_unverified_caller_sees_no_contact_data_no_details_and_cannot_start(
    console, story, django_capture_on_commit_callbacks
):
    process = start_change(story, contact_email="rep@example.com")
    interaction = take_call(console, story.customer)
    page = html(console.get(url("call", interaction.pk)))
    assert process.reference in page and "Change of representative" in page
    assert all(p.email not in page for p in story.people().values()) and "600111222" not in page
    assert (
        "rep@example.com" not in page and "marta@example.com" not in page and "Marta Puig Soler" not in page
    )  # no request details
    assert 'name="rc-new_id_number"' not in page and 'name="em-firm_cif"' not in page and "data-cc-no-start" in page
    assert "data-cc-links" not in page and "data-cc-pending" not in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post(url("start_representative_change", interaction.pk), REP_FORM)
        failed = console.post(url("start_external_manager", interaction.pk), {"em-firm_cif": FIRM_CIF})
    assert response.status_code == 400 and failed.status_code == 400
    assert "Verify the caller first." in html(response)
    assert RepresentativeChangeProcess.objects.count() == 1 and ExternalManagerProcess.objects.count() == 0
    assert mail.outbox == [] and UploadLink.objects.count() == 0

    # nor after a failed check
    verify(console, interaction, story.representative, bank_last4=wrong_last4(story.customer))
    response = console.post(url("start_representative_change", interaction.pk), REP_FORM)
    assert response.status_code == 400 and RepresentativeChangeProcess.objects.count() == 1
    assert story.full.email not in html(response)


# -- on the caller's behalf ----------------------------------------------------------------------


def _start_by_phone(console, story, capture, **overrides):
    interaction = verified_call(console, story.customer, story.representative)
    mail.outbox.clear()
    with capture(execute=True):
        response = console.post(url("start_representative_change", interaction.pk), REP_FORM | overrides)
    assert response.status_code == 302, html(response)
    process = RepresentativeChangeProcess.objects.get(customer=story.customer, is_open=True)
    assert response["Location"] == url("call", interaction.pk) + f"#request-{process.reference}"
    return interaction, process, response


def test_a_change_of_representative_is_started_by_phone_and_the_caller_gets_the_link(
    console, story, agent, django_capture_on_commit_callbacks
):
    interaction, process, response = _start_by_phone(console, story, django_capture_on_commit_callbacks)
    assert process.channel == "phone" and process.started_by == agent and process.requested_by == story.representative
    assert (
        process.new_id_number == "12345678Z"
        and process.contact_email == "caller@example.com"
        and process.language == "es"
    )
    link = UploadLink.objects.get(reference=process.reference)
    assert link.email == "caller@example.com" and link.created_by == agent and link.state == "sent"
    [message] = mail.outbox
    assert message.to == ["caller@example.com"] and f"/upload/{process.reference}/" in message.body
    interaction.refresh_from_db()
    assert interaction.outcome == "request_started" and interaction.reason == "representative_change"
    assert interaction.request_ref == process.reference

    page = html(console.get(response["Location"]))
    assert f"Request {process.reference} started. The upload link was e-mailed to caller@example.com." in page
    assert f'data-cc-request="{process.reference}"' in page
    assert 'data-state="sent"' in page and "Sent" in page
    assert "Waiting for the customer&#x27;s documents" in page and "on the customer" in page
    assert 'data-cc-documents="0"' in page and "Request submitted" in page and "Upload link sent" in page


def test_a_refused_start_is_a_400_with_the_message_and_the_values_kept(
    console, story, django_capture_on_commit_callbacks
):
    interaction = verified_call(console, story.customer, story.representative)
    form = REP_FORM | {"rc-new_id_number": story.representative.id_number}
    response = console.post(url("start_representative_change", interaction.pk), form)
    assert response.status_code == 400
    page = html(response)
    assert "This person is already the representative of this customer." in page
    assert 'value="Marta Puig Soler"' in page and 'value="caller@example.com"' in page
    assert RepresentativeChangeProcess.objects.count() == 0

    response = console.post(
        url("start_representative_change", interaction.pk), REP_FORM | {"rc-new_email": "not-an-address"}
    )
    assert response.status_code == 400 and 'value="not-an-address"' in html(response)

    with django_capture_on_commit_callbacks(execute=True):
        first = console.post(url("start_representative_change", interaction.pk), REP_FORM)
    assert first.status_code == 302
    process = RepresentativeChangeProcess.objects.get()
    response = console.post(url("start_representative_change", interaction.pk), REP_FORM)
    assert response.status_code == 400
    assert f"There is already an open request of this kind for this customer: {process.reference}." in html(response)
    assert RepresentativeChangeProcess.objects.count() == 1


def test_an_external_manager_is_registered_by_phone_for_some_supply_points(
    console, story, agent, django_capture_on_commit_callbacks
):
    interaction = verified_call(console, story.customer, story.representative)
    point = SupplyPoint.objects.filter(contract__customer=story.customer).order_by("cups").first()
    data = {
        "em-firm_cif": FIRM_CIF,
        "em-firm_name": FIRM_NAME,
        "em-firm_kind": "energy_manager",
        "em-manager_id_number": MANAGER_NIF,
        "em-manager_name": MANAGER_NAME,
        "em-manager_email": "jordi@example.com",
        "em-supply_points": [point.pk],
        "em-contact_email": "caller@example.com",
        "em-language": "ca",
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post(url("start_external_manager", interaction.pk), data)
    assert response.status_code == 302, html(response)
    process = ExternalManagerProcess.objects.get(customer=story.customer)
    assert process.channel == "phone" and process.started_by == agent and list(process.supply_points.all()) == [point]
    assert [m.to for m in mail.outbox] == [["caller@example.com"]]

    # a supply point of someone else is not on the form's list
    other_point = SupplyPoint.objects.filter(contract__customer=story.other_customer).first()
    interaction2 = verified_call(console, story.other_customer, story.outsider)
    response = console.post(
        url("start_external_manager", interaction2.pk), data | {"em-supply_points": [point.pk, other_point.pk]}
    )
    assert (
        response.status_code == 400
        and not ExternalManagerProcess.objects.filter(customer=story.other_customer).exists()
    )


# -- upload links and the status explained ------------------------------------------------------


def test_the_link_state_resend_and_revoke(console, story, django_capture_on_commit_callbacks):
    interaction, process, _ = _start_by_phone(console, story, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    token = link_token(message, process.reference)
    workflows.check_upload_link(reference=process.reference, token=token, mark_opened=True)
    page = html(console.get(url("call", interaction.pk)))
    assert 'data-state="opened"' in page and "Opened" in page

    first = UploadLink.objects.get(reference=process.reference)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post(url("resend_link", interaction.pk), {"reference": process.reference, "email": ""})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == "revoked"
    second = UploadLink.objects.exclude(pk=first.pk).get(reference=process.reference)
    assert second.state == "sent" and second.email == "caller@example.com"
    [message] = mail.outbox
    assert message.to == ["caller@example.com"]
    with pytest.raises(workflows.UploadLinkError):
        workflows.check_upload_link(reference=process.reference, token=token)
    interaction.refresh_from_db()
    assert interaction.outcome == "link_resent"
    page = html(console.get(response["Location"]))
    assert (
        f'data-cc-link="{first.pk}" data-state="revoked"' in page
        and f'data-cc-link="{second.pk}" data-state="sent"' in page
    )
    assert "the earlier links no longer work" in page

    # to another address the caller dictates
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        console.post(url("resend_link", interaction.pk), {"reference": process.reference, "email": "other@example.com"})
    assert [m.to for m in mail.outbox] == [["other@example.com"]]
    third = UploadLink.objects.get(reference=process.reference, revoked_at__isnull=True)
    assert third.email == "other@example.com"

    response = console.post(url("revoke_link", interaction.pk, third.pk))
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.state == "revoked"
    interaction.refresh_from_db()
    assert interaction.outcome == "link_revoked"
    page = html(console.get(url("call", interaction.pk)))
    assert f'data-cc-link="{third.pk}" data-state="revoked"' in page
    assert f'action="{url("revoke_link", interaction.pk, third.pk)}"' not in page  # nothing left to revoke

    # a bad address is a 400 with the value kept
    response = console.post(url("resend_link", interaction.pk), {"reference": process.reference, "email": "nope"})
    assert response.status_code == 400 and 'value="nope"' in html(response)


def test_links_of_another_customers_request_are_refused(console, story, django_capture_on_commit_callbacks):
    _, process, _ = _start_by_phone(console, story, django_capture_on_commit_callbacks)
    link = UploadLink.objects.get(reference=process.reference)
    other = verified_call(console, story.other_customer, story.outsider)
    response = console.post(url("revoke_link", other.pk, link.pk))
    assert response.status_code == 400 and "This request does not belong to the customer of this call." in html(
        response
    )
    response = console.post(url("resend_link", other.pk), {"reference": process.reference})
    assert response.status_code == 400
    link.refresh_from_db()
    assert link.state == "sent" and UploadLink.objects.filter(reference=process.reference).count() == 1


def test_after_the_caller_uploads_the_request_waits_in_the_verification_queue(
    console, story, django_capture_on_commit_callbacks
):
    interaction, process, _ = _start_by_phone(console, story, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    link, found = workflows.check_upload_link(
        reference=process.reference, token=link_token(message, process.reference), mark_opened=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflows.add_request_document(
            process=found,
            uploaded=SimpleUploadedFile("poder.pdf", power_of_attorney(story.customer)),
            original_name="poder.pdf",
            actor=HOLDER,
        )
    with django_capture_on_commit_callbacks(execute=True):
        workflows.submit_documents(process=found, actor=HOLDER, link=link)
    assert task_of(process, "verify") is not None

    page = html(console.get(url("call", interaction.pk)))
    block = page.split(f'data-cc-request="{process.reference}"')[1]
    assert "Verification by staff" in block and "on verification queue" in block
    assert 'data-cc-documents="1"' in block and "1 document received" in block
    assert 'data-state="uploaded"' in block and "Documents uploaded" in block
    assert "Documents received" in block  # the customer's timeline
    assert "Resend the upload link" not in block  # no longer waiting for documents
    document = Document.objects.get(document_set=process.document_set)
    assert reverse("documents:file", args=[document.pk]) not in page and "/documents/" not in page
    assert "poder.pdf" not in page


# -- the interaction log -------------------------------------------------------------------------


def test_the_interaction_log_filters_by_customer_and_by_agent(console, story, agent):
    from tests.workflows.paperwork import staff

    mine = take_call(console, story.customer)
    verify(console, mine, story.representative, bank_last4=wrong_last4(story.customer))
    colleague = staff("callcenter_agents", "colleague")
    theirs = take_call(logged_in(colleague), story.other_customer)
    other_mine = take_call(console, story.other_customer)

    page = html(console.get(url("log")))
    assert all(f'data-cc-interaction="{i.pk}"' in page for i in (mine, theirs, other_mine))

    for key in (story.customer.tax_id.lower(), str(story.customer.pk)):
        page = html(console.get(url("log"), {"customer": key}))
        assert f'data-cc-interaction="{mine.pk}"' in page
        assert f'data-cc-interaction="{theirs.pk}"' not in page and f'data-cc-interaction="{other_mine.pk}"' not in page
        assert "Verification failed" in page and story.representative.id_number in page and agent.username in page

    page = html(console.get(url("log"), {"agent": colleague.username}))
    assert f'data-cc-interaction="{theirs.pk}"' in page
    assert f'data-cc-interaction="{mine.pk}"' not in page and f'data-cc-interaction="{other_mine.pk}"' not in page
    assert url("call", theirs.pk) not in page  # someone else's call is not a link

    page = html(console.get(url("log"), {"agent": agent.username, "customer": story.other_customer.tax_id}))
    assert f'data-cc-interaction="{other_mine.pk}"' in page and f'data-cc-interaction="{theirs.pk}"' not in page

    page = html(console.get(url("log"), {"customer": "B00000000"}))
    assert "No customer has the tax id or number “B00000000”." in page and "data-cc-interaction" not in page
    page = html(console.get(url("log"), {"agent": "nobody-here"}))
    assert "No staff user is called “nobody-here”." in page


def test_the_log_shows_the_linked_request_and_the_note(console, story, django_capture_on_commit_callbacks):
    interaction, process, _ = _start_by_phone(console, story, django_capture_on_commit_callbacks)
    console.post(
        url("close", interaction.pk),
        {"reason": "representative_change", "outcome": "request_started", "note": "Caller in a hurry"},
    )
    page = html(console.get(url("log"), {"customer": story.customer.tax_id}))
    assert (
        process.reference in page
        and "Caller in a hurry" in page
        and "Request started" in page
        and "Change of representative" in page
    )
    assert story.representative.name in page


# -- closing the call --------------------------------------------------------------------------


def test_close_the_call(console, story, django_capture_on_commit_callbacks):
    interaction = verified_call(console, story.customer, story.representative)
    page = html(console.get(url("call", interaction.pk)))
    assert 'name="reason"' in page and 'name="outcome"' in page and 'name="note"' in page

    response = console.post(url("close", interaction.pk), {"reason": "status", "outcome": ""})
    assert response.status_code == 400
    interaction.refresh_from_db()
    assert interaction.ended_at is None

    response = console.post(
        url("close", interaction.pk), {"reason": "status", "outcome": "informed", "note": "Explained the status."}
    )
    assert response.status_code == 302 and response["Location"] == url("index")
    interaction.refresh_from_db()
    assert interaction.ended_at is not None and interaction.reason == "status" and interaction.outcome == "informed"
    assert interaction.note == "Explained the status."
    home = html(console.get(url("index")))
    assert f"Call with {story.customer.name} closed." in home and url("call", interaction.pk) not in home

    # a closed call: no more acting for the caller, no new verification; a note can still be added
    page = html(console.get(url("call", interaction.pk)))
    assert "data-cc-closed" in page and 'name="rc-new_id_number"' not in page and story.full.email not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post(url("start_representative_change", interaction.pk), REP_FORM)
    assert response.status_code == 400 and "This call is closed. Open a new one." in html(response)
    assert RepresentativeChangeProcess.objects.count() == 0
    response = verify(console, interaction, story.representative)
    assert response.status_code == 400 and "This call is closed. Open a new one." in html(response)
    console.post(url("close", interaction.pk), {"reason": "status", "outcome": "informed", "note": "Called back."})
    interaction.refresh_from_db()
    assert interaction.note == "Explained the status.\nCalled back."


def test_a_call_of_a_grant_holder_that_was_revoked_is_not_found_by_their_nif(console, story):
    Grant.objects.filter(pk=story.readonly_grant.pk).update(revoked_at=story.readonly_grant.granted_at)
    page = search(console, story.readonly.id_number)
    assert found_customers(page) == 0
