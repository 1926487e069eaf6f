"""The customer at a glance (workflows/glance.py) on the verification page and the call page, and the verifier's
aids: identifier differences, the customer's language, "new this round", the more-documents message delivered."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import authority
from accounts.audit import Actor
from accounts.models import Grant
from callcenter.models import Interaction
from documents.models import Document, DocumentSet
from tests import factories
from tests.callcenter.helpers import take_call
from tests.callcenter.helpers import url as cc_url
from workflows import services
from workflows.evidence import closest_reading, identifier_diff
from workflows.flows import FLOW_OF_MODEL
from workflows.glance import customer_glance
from workflows.models import ExternalManagerProcess, Milestone, RepresentativeChangeProcess, new_reference

from .paperwork import OTHER_NIF, link_token, power_of_attorney, staff, staff_actor, start_change, task_of, upload
from .test_verification_page import logged_in, page_url, submitted, verifier  # noqa: F401 -- fixtures

pytestmark = pytest.mark.django_db
HOLDER = Actor(user=None, ip="203.0.113.9", label="upload link")


def _closed_request(customer, n: int):
    """An earlier request, closed after a rejection and one ask for more documents, with one document."""
    model = (RepresentativeChangeProcess, ExternalManagerProcess)[n % 2]
    reference = new_reference(model.reference_prefix)
    document_set = DocumentSet.objects.create(reference=reference, customer=customer)
    fields = (
        {"new_id_number": "12345678Z", "new_name": f"Nova {n}", "new_email": "nova@example.com"}
        if model is RepresentativeChangeProcess
        else {
            "firm_cif": "B12345674",
            "firm_name": "Gestoria",
            "firm_kind": "gestoria",
            "manager_id_number": "11111111H",
            "manager_name": f"Gestor {n}",
            "manager_email": "g@example.com",
        }
    )
    process = model.objects.create(
        flow_class=FLOW_OF_MODEL[model],
        reference=reference,
        customer=customer,
        channel="portal",
        contact_email="rep@example.com",
        document_set=document_set,
        is_open=False,
        outcome="rejected",
        decision="reject",
        reject_reason="unreadable",
        customer_message=f"Message {n} for the customer",
        internal_note=f"Internal note {n}",
        **fields,
    )
    Document.objects.create(
        document_set=document_set,
        file=f"sets/{document_set.pk}/x.pdf",
        original_name=f"earlier-{n}.pdf",
        content_type="application/pdf",
        size=10,
        sha256=f"{n:064d}",
        page_count=1,
    )
    Milestone.objects.create(reference=reference, customer=customer, kind="more_documents", message=f"Ask {n}")
    return process


def _history(story, requests: int):
    earlier = [_closed_request(story.customer, n) for n in range(requests)]
    past = factories.grant(
        customer=story.customer, person=factories.person(name="Antic Apoderat"), role="authorised_full"
    )
    Grant.objects.filter(pk=past.pk).update(revoked_at=timezone.now())
    agent = staff("callcenter_agents", "glance_agent")
    ours = Interaction.objects.create(agent=agent, customer=story.customer, note="Our customer's call")
    theirs = Interaction.objects.create(agent=agent, customer=story.other_customer, note="Another customer's call")
    return earlier, ours, theirs


@pytest.mark.parametrize("requests", [2, 20])
def test_the_glance_costs_six_queries_for_2_or_20_earlier_requests(story, requests, django_assert_num_queries):
    earlier, ours, theirs = _history(story, requests)
    verifier_user = staff("verifiers", "glance_verifier")
    authority.staff_may(verifier_user, authority.StaffAction.VERIFY)  # the permission cache, filled once per request
    with django_assert_num_queries(6):
        glance = customer_glance(customer=story.customer, user=verifier_user)
    assert {row.process.reference for row in glance.requests} == {p.reference for p in earlier}
    assert [call.pk for call in glance.calls] == [ours.pk]
    assert len(glance.past_grants) == 1 and len(glance.active_grants) == 5
    row = glance.requests[0]
    assert row.internal_note.startswith("Internal note") and row.more_documents_asked[0].message.startswith("Ask")
    assert row.documents[0].url == reverse("documents:page", args=[row.documents[0].document.pk, 0])


def test_an_agent_sees_no_internal_note_and_no_document_link(story):
    _history(story, 2)
    glance = customer_glance(customer=story.customer, user=staff("callcenter_agents"))
    assert all(row.internal_note == "" for row in glance.requests)
    assert all(item.url == "" for row in glance.requests for item in row.documents)


def test_the_verification_page_shows_the_customer_at_a_glance(client, story, submitted, verifier):  # noqa: F811
    earlier, ours, theirs = _history(story, 2)
    page = logged_in(client, verifier).get(page_url(submitted)).content.decode()
    assert "data-vw-glance" in page and "The customer at a glance" in page
    for process in earlier:
        assert process.reference in page
    assert "Message 0 for the customer" in page and "Internal note 1" in page and "Ask 0" in page
    assert 'data-vw-glance-grant="past"' in page and "Antic Apoderat" in page
    assert f'data-vw-glance-call="{ours.pk}"' in page and f'data-vw-glance-call="{theirs.pk}"' not in page
    assert submitted.reference not in page.split("data-vw-glance-requests")[1].split("</ul>")[0]  # not itself
    assert 'data-vw-customer-language="ca"' in page and "The customer reads Catalan" in page


def test_the_call_page_lists_only_this_customers_calls(story):
    _, ours, theirs = _history(story, 1)
    agent = staff("callcenter_agents", "caller_agent")
    client = logged_in(Client(), agent)
    interaction = take_call(client, story.customer)
    page = client.get(cc_url("call", interaction.pk)).content.decode()
    assert "data-cc-glance" in page
    assert f'data-cc-glance-call="{ours.pk}"' in page and f'data-cc-glance-call="{interaction.pk}"' in page
    assert f'data-cc-glance-call="{theirs.pk}"' not in page
    assert 'data-cc-glance-grant="past"' in page and "Antic Apoderat" in page
    # "Earlier calls about this customer" opens the log filtered to this customer (the page's base template names
    # its own menu link ``log_url``: the customer's link must not be shadowed by it)
    log_url = f"{cc_url('log')}?customer={story.customer.pk}"
    assert page.count(f'href="{log_url}"') == 2
    log = client.get(log_url).content.decode()
    assert f'data-cc-interaction="{ours.pk}"' in log and f'data-cc-interaction="{theirs.pk}"' not in log


# -- identifiers: the differing characters ------------------------------------------------------------------------


def test_identifier_diff_marks_each_differing_character_and_says_it():
    diff = identifier_diff("39184726V", "39184728L")
    assert [(p["text"], p["changed"]) for p in diff["read"]] == [("3918472", False), ("8", True), ("L", True)]
    assert [(p["text"], p["changed"]) for p in diff["claimed"]] == [("3918472", False), ("6", True), ("V", True)]
    assert diff["summary"] == (
        "2 characters differ: character 8 is 6 on the request and 8 on the document; "
        "character 9 is V on the request and L on the document."
    )
    assert identifier_diff("39184726V", "39184726-v") is None and identifier_diff("", "X") is None
    assert "missing" in identifier_diff("B1234567", "B12345674")["summary"]
    assert identifier_diff("12345678Z", "87654321X")["summary"] == "Another number: 9 characters differ."
    assert identifier_diff("12345678Z", "112345678Z")["summary"].startswith("1 character differs: character 1 is")


def test_the_misread_is_compared_with_the_claim_not_another_persons_number():
    assert closest_reading("12345678Z", ["21535642Y", "21535642Y", " 12345670Y", ""]) == "12345670Y"
    assert closest_reading("12345678Z", ["", ""]) == ""


def test_the_comparison_marks_the_differing_characters_and_shows_the_crop(
    client,
    story,
    verifier,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    with django_capture_on_commit_callbacks(execute=True):
        upload(process, power_of_attorney(story.customer, nif=OTHER_NIF))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=staff_actor(story.representative.user))
    page = logged_in(client, verifier).get(page_url(process)).content.decode()
    row = page.split('data-field="person_nif"')[1].split("</tr>")[0]
    assert 'data-vw-diff="claimed"' in row and 'data-vw-diff="read"' in row and '<mark class="vw-diff">' in row
    assert "data-vw-diff-said" in row and "Another number" in row  # 87654321X for 12345678Z: no list of each
    document = Document.objects.get(document_set=process.document_set)
    crop = reverse("documents:evidence_crop", args=[document.pk, 0])
    assert f'src="{crop}?box=' in page and 'data-vw-crop="company_cif"' in page


# -- ask for more documents: the message reaches the phone customer; the new upload is marked ----------------------


def ask_for_more(process, verifier, message, capture):
    with capture(execute=True):
        services.decide(
            task_id=task_of(process, "verify").pk,
            user=verifier,
            decision="more_documents",
            customer_message=message,
            actor=staff_actor(verifier),
        )


def test_the_more_documents_message_reaches_the_phone_customer_word_for_word_and_the_new_upload_is_marked(
    client,
    story,
    verifier,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    agent = staff("callcenter_agents", "phone_agent")
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story, actor=staff_actor(agent), channel="phone", language="es")
    with django_capture_on_commit_callbacks(execute=True):
        first = upload(process, power_of_attorney(story.customer), actor=HOLDER)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=HOLDER)
    message = "Envíanos la escritura completa, con las páginas 3 y 4 firmadas por el notario."
    mail.outbox.clear()
    ask_for_more(process, verifier, message, django_capture_on_commit_callbacks)
    [email] = [m for m in mail.outbox if "/upload/" in m.body]
    assert email.to == [process.contact_email] and message in email.body
    token = link_token(email, process.reference)
    page = client.get(reverse("portal:upload_link", args=[process.reference, token])).content.decode()
    assert "data-more-documents" in page and message in page
    # the second round: the new upload is marked, the first one is from an earlier round
    with django_capture_on_commit_callbacks(execute=True):
        second = upload(process, power_of_attorney(story.customer, seed=9), name="escritura.pdf", actor=HOLDER)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=HOLDER)
    page = logged_in(client, verifier).get(page_url(process)).content.decode()
    new_part = page.split(f'data-vw-document="{second.pk}"')[1].split("data-vw-document=")[0]
    old_part = page.split(f'data-vw-document="{first.pk}"')[1].split("data-vw-document=")[0]
    assert "data-vw-new-this-round" in new_part and "data-vw-new-this-round" not in old_part
    assert "data-vw-earlier-round" in old_part
    assert 'data-vw-customer-language="es"' in page and "The customer reads Spanish" in page


def test_a_web_customer_reads_the_message_in_the_more_documents_email(
    story,
    submitted,
    verifier,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    message = "Falta la pàgina 2 del poder, signada."
    mail.outbox.clear()
    ask_for_more(submitted, verifier, message, django_capture_on_commit_callbacks)
    [email] = [m for m in mail.outbox if submitted.reference in m.subject and m.to == [submitted.contact_email]]
    assert message in email.body


def test_a_refused_decision_says_so_once(client, submitted, verifier):  # noqa: F811
    colleague = staff("verifiers", "colleague")
    task = task_of(submitted, "verify")
    task.flow_task.activation_class(task).assign(colleague)
    response = logged_in(client, verifier).post(
        page_url(submitted), {"decision": "approve", "customer_message": "", "internal_note": ""}
    )
    assert response.status_code == 409
    page = response.content.decode()
    error = page.split("data-vw-error>")[1].split("</span>")[0].split("<span>")[1]
    assert error and page.count(error) == 1  # one banner, not a second copy in the decision card
