"""The staff verification workspace: what it shows, who may decide through it, and who may not even open it."""

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from accounts.models import Grant
from documents.models import Document, Precheck
from tests import factories
from workflows import services

from .paperwork import (
    FIRM_NAME,
    MANAGER_NAME,
    MANAGER_NIF,
    NEW_NAME,
    NEW_NIF,
    manager_mandate,
    power_of_attorney,
    staff,
    staff_actor,
    start_change,
    start_manager,
    task_of,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifier(db):
    user = staff("verifiers")
    user.first_name, user.last_name = "Vera", "Verifier"
    user.save()
    return user


@pytest.fixture
def supervisor(db):
    user = staff("supervisors")
    user.first_name, user.last_name = "Sara", "Supervisor"
    user.save()
    return user


@pytest.fixture
def agent(db):
    return staff("callcenter_agents")


@pytest.fixture
def submitted(story, django_capture_on_commit_callbacks):
    """A change of representative waiting for verification: documents uploaded (with previews), pre-check done."""
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    with django_capture_on_commit_callbacks(execute=True):  # the page previews are rendered after commit
        upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=staff_actor(story.representative.user))
    process.refresh_from_db()
    assert process.precheck.verdict == "clear", process.precheck.result
    return process


def logged_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page_url(process, node="verify"):
    return task_of(process, node).reverse("execute")


def representative_id(story):
    return Grant.objects.get(
        customer=story.customer, role=Grant.Role.REPRESENTATIVE, revoked_at__isnull=True
    ).person.id_number


def assert_nothing_decided(process, story):
    process.refresh_from_db()
    assert process.is_open and process.decision == "" and process.decided_by_id is None
    assert representative_id(story) == story.representative.id_number
    task = task_of(process, "verify")
    assert task is not None and task.status == STATUS.NEW and task.owner_id is None


# -- what the page shows ----------------------------------------------------------------------


def test_verifier_sees_the_pages_the_evidence_boxes_the_comparison_and_the_verdict(client, submitted, verifier):
    document = Document.objects.get(document_set=submitted.document_set)
    response = logged_in(client, verifier).get(page_url(submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("documents:page", args=[document.pk, 0]) in html
    assert reverse("documents:file", args=[document.pk]) in html
    # every check with evidence is drawn as a box on its page, with the bbox of the pre-check's page image
    result = submitted.precheck.result
    page_image = result["files"][0]["page_images"][0]
    assert f'data-ocr-width="{page_image["width"]}"' in html and f'data-ocr-height="{page_image["height"]}"' in html
    drawn = [check for check in result["checks"] if (check.get("evidence") or {}).get("bbox")]
    assert {c["name"] for c in drawn} >= {"company_cif", "person_nif", "person_name"}
    for check in drawn:
        bbox = ",".join(str(v) for v in check["evidence"]["bbox"])
        assert f'data-bbox="{bbox}" data-check="{check["name"]}"' in html
        assert f'data-vw-show="evidence-{document.pk}-{check["evidence"]["page"]}-check-{check["name"]}"' in html
    # the verdict and each check with its outcome
    assert 'data-vw-verdict="clear"' in html
    assert html.count('data-outcome="pass"') >= len(result["checks"])
    # the comparison: the claim, the account store (today's representative) and the reading
    assert "data-vw-comparison" in html
    for value in (
        NEW_NIF,
        NEW_NAME,
        submitted.customer.tax_id,
        submitted.customer.name,
        result["files"][0]["fields"]["company_cif"]["value"],
    ):
        assert value in html
    outgoing = submitted.outgoing_person
    assert outgoing.id_number in html and outgoing.name in html
    # notarial data found by the pre-check
    notary = result["files"][0]["fields"]["notary"]["value"]
    assert notary in html and "Notary" in html
    # the timeline and the form
    assert "data-vw-timeline" in html and "Request submitted" in html and "Under review" in html
    assert (
        'name="decision"' in html
        and 'name="reason"' in html
        and 'name="customer_message"' in html
        and 'name="internal_note"' in html
    )
    assert "workflows/workspace.js" in html and "workflows/workspace.css" in html


def test_a_running_precheck_shows_its_progress_and_a_failed_one_its_error(client, submitted, verifier):
    logged_in(client, verifier)
    Precheck.objects.filter(pk=submitted.precheck_id).update(
        status=Precheck.Status.RUNNING, pages_done=1, pages_total=3
    )
    html = client.get(page_url(submitted)).content.decode()
    assert "data-vw-running" in html and "1 of 3 pages read" in html and "Running" in html
    Precheck.objects.filter(pk=submitted.precheck_id).update(status=Precheck.Status.FAILED, error="storage unavailable")
    html = client.get(page_url(submitted)).content.decode()
    assert "data-vw-precheck-failed" in html and "The pre-check failed." in html and "storage unavailable" in html


def test_an_escalated_request_is_flagged_and_left_to_the_supervisors(
    client, story, submitted, verifier, supervisor, django_capture_on_commit_callbacks
):
    flow_class = submitted.flow_class
    with flow_class.lock(submitted.pk):
        services.escalate_verification(type("Activation", (), {"process": submitted})())
    url = page_url(submitted)
    html = logged_in(client, supervisor).get(url).content.decode()
    assert "data-vw-escalated" in html and "Escalated to supervisors" in html
    assert 'name="decision"' in html  # an escalated verification is the supervisors' to decide
    # a verifier sees why they get no form (the service would refuse them: the task now needs the supervisors' permission)
    html = logged_in(client, verifier).get(url).content.decode()
    assert "queue: a supervisor decides" in html and 'name="decision"' not in html
    assert client.post(url, {"decision": "approve"}).status_code == 409
    assert_nothing_decided(submitted, story)


def test_a_verifier_may_take_the_task_from_the_page_while_reading(client, submitted, verifier):
    url = page_url(submitted)
    html = logged_in(client, verifier).get(url).content.decode()
    task = task_of(submitted, "verify")
    assign = f"{task.reverse('assign')}?back="
    assert assign in html
    response = client.post(f"{task.reverse('assign')}?back={url}")
    assert response.status_code == 302 and response["Location"] == url
    task.refresh_from_db()
    assert task.owner == verifier and task.status == STATUS.ASSIGNED
    html = client.get(url).content.decode()
    assert "This task is assigned to you." in html and 'name="decision"' in html


def test_a_task_taken_by_someone_else_shows_who_has_it_and_no_form(client, submitted, verifier):
    colleague = staff("verifiers", "colleague")
    task = task_of(submitted, "verify")
    task.flow_task.activation_class(task).assign(colleague)
    html = logged_in(client, verifier).get(page_url(submitted)).content.decode()
    assert f"taken by {colleague.username}" in html
    assert 'name="decision"' not in html


# -- deciding through the page ----------------------------------------------------------------


def test_approve_through_the_page_applies_the_change(
    client, story, submitted, verifier, django_capture_on_commit_callbacks
):
    url = page_url(submitted)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, verifier).post(
            url, {"decision": "approve", "customer_message": "", "internal_note": "ok"}
        )
    assert response.status_code == 302 and response["Location"] == reverse("staff:workflow:worklist")
    submitted.refresh_from_db()
    assert submitted.outcome == "applied" and submitted.decided_by == verifier and submitted.internal_note == "ok"
    assert representative_id(story) == NEW_NIF
    # the page of the finished task says who decided, and offers no form
    html = client.get(url).content.decode()
    assert "already decided by Vera Verifier" in html and 'name="decision"' not in html


def test_reject_without_a_reason_is_refused_with_the_message_and_changes_nothing(client, story, submitted, verifier):
    response = logged_in(client, verifier).post(page_url(submitted), {"decision": "reject", "reason": ""})
    assert response.status_code in (400, 409)
    html = response.content.decode()
    assert "Choose the reason for the rejection." in html and 'role="alert"' in html
    assert (
        'name="decision"' in html and 'value="reject" id="id_decision_1" required checked' in html
    )  # the form keeps the choice
    assert_nothing_decided(submitted, story)


def test_reject_without_a_reason_is_a_400(client, story, submitted, verifier):
    assert (
        logged_in(client, verifier).post(page_url(submitted), {"decision": "reject", "reason": ""}).status_code == 400
    )
    assert_nothing_decided(submitted, story)


def test_a_decision_without_a_choice_is_a_400(client, story, submitted, verifier):
    response = logged_in(client, verifier).post(page_url(submitted), {"customer_message": "hola"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert_nothing_decided(submitted, story)


def test_asking_for_more_documents_needs_a_message_for_the_customer(
    client, story, submitted, verifier, django_capture_on_commit_callbacks
):
    url = page_url(submitted)
    response = logged_in(client, verifier).post(url, {"decision": "more_documents", "customer_message": " "})
    assert "Tell the customer which documents are needed." in response.content.decode()
    assert_nothing_decided(submitted, story)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"decision": "more_documents", "customer_message": "The deed's second page, please."}
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.is_open and submitted.documents_rounds == 1 and task_of(submitted, "documents") is not None
    assert submitted.customer_message == "The deed's second page, please."


def test_a_second_post_after_the_decision_is_409_and_changes_nothing(
    client, story, submitted, verifier, django_capture_on_commit_callbacks
):
    url = page_url(submitted)
    logged_in(client, verifier)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"decision": "approve"}).status_code == 302
    submitted.refresh_from_db()
    decided_at = submitted.decided_at
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "reject", "reason": "wrong_document", "customer_message": "no"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "already decided" in html and "your decision was not saved" in html and 'role="alert"' in html
    assert 'name="decision"' not in html
    submitted.refresh_from_db()
    assert submitted.outcome == "applied" and submitted.decision == "approve" and submitted.decided_at == decided_at
    assert submitted.reject_reason == "" and submitted.customer_message == ""
    assert representative_id(story) == NEW_NIF


def test_the_verifier_who_started_the_request_sees_why_and_cannot_decide(client, story, submitted, verifier):
    type(submitted).objects.filter(pk=submitted.pk).update(started_by=verifier)
    url = page_url(submitted)
    html = logged_in(client, verifier).get(url).content.decode()
    assert "You started this request, so someone else must decide on it." in html
    assert 'name="decision"' not in html
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 409
    assert "You started this request" in response.content.decode()
    assert_nothing_decided(submitted, story)


def test_second_approval_page_shows_the_first_decision_and_decides(
    client, story, submitted, verifier, supervisor, django_capture_on_commit_callbacks
):
    story.customer.sensitive = True
    story.customer.save(update_fields=["sensitive"])
    logged_in(client, verifier)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(page_url(submitted), {"decision": "approve", "internal_note": "looks right"}).status_code == 302
        )
    submitted.refresh_from_db()
    url = page_url(submitted, "second_approval")
    # a verifier may not give the second approval
    html = client.get(url).content.decode()
    assert "Only a supervisor may give the second approval." in html and 'name="approve"' not in html
    logged_in(client, supervisor)
    html = client.get(url).content.decode()
    assert "data-vw-first-decision" in html and "Vera Verifier" in html and "looks right" in html
    assert 'name="approve"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"approve": "yes"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.outcome == "applied" and submitted.second_approved_by == supervisor
    assert representative_id(story) == NEW_NIF


# -- who may open it --------------------------------------------------------------------------


def test_a_call_center_agent_opens_the_page_without_documents_or_form_and_cannot_decide(
    client, story, submitted, agent
):
    document = Document.objects.get(document_set=submitted.document_set)
    url = page_url(submitted)
    response = logged_in(client, agent).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only verification staff may decide on requests." in html
    assert 'name="decision"' not in html
    assert reverse("documents:page", args=[document.pk, 0]) not in html and "data-bbox" not in html
    assert "data-vw-no-access" in html
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 409
    assert "Only verification staff may decide on requests." in response.content.decode()
    assert_nothing_decided(submitted, story)


def test_page_images_are_404_for_an_agent_and_200_for_a_verifier(client, submitted, agent, verifier):
    document = Document.objects.get(document_set=submitted.document_set)
    image = reverse("documents:page", args=[document.pk, 0])
    assert logged_in(client, agent).get(image).status_code == 404
    assert client.get(reverse("documents:file", args=[document.pk])).status_code == 404
    response = logged_in(client, verifier).get(image)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"


def test_a_customer_gets_403_on_every_staff_url(client, story, submitted, django_capture_on_commit_callbacks):
    task = task_of(submitted, "verify")
    urls = [
        page_url(submitted),
        task.reverse("detail"),
        task.reverse("assign"),
        submitted.flow_class.instance.reverse("process_detail", args=[submitted.pk]),
        "/staff/",
        "/staff/workflow/",
        "/staff/workflow/inbox/",
        "/staff/workflow/queue/",
        "/staff/admin/",
    ]
    logged_in(client, story.representative.user)
    for url in urls:
        assert client.get(url).status_code == 403, url
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(page_url(submitted), {"decision": "approve"}).status_code == 403
    assert_nothing_decided(submitted, story)


def test_an_anonymous_visitor_is_sent_to_the_staff_login(client, story, submitted):
    url = page_url(submitted)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('staff_login')}?next={url}"
    assert_nothing_decided(submitted, story)


def test_the_staff_login_refuses_a_customer_account_with_the_message(client, story):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("staff_login"))
    assert page.status_code == 200 and 'name="username"' in page.content.decode()
    response = client.post(
        reverse("staff_login"), {"username": story.representative.user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 200
    assert "This is the staff site. Customers log in at the customer area." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/workflow/inbox/").status_code == 302


def test_a_supervisor_who_decided_first_may_not_give_the_second_approval(
    client, story, submitted, supervisor, django_capture_on_commit_callbacks
):
    story.customer.sensitive = True
    story.customer.save(update_fields=["sensitive"])
    logged_in(client, supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(page_url(submitted), {"decision": "approve"}).status_code == 302
    url = page_url(submitted, "second_approval")
    html = client.get(url).content.decode()
    assert "The second approval must come from a different person than the first decision." in html
    assert 'name="approve"' not in html
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"approve": "yes"}).status_code == 409
    submitted.refresh_from_db()
    assert submitted.is_open and submitted.second_approved_by_id is None
    assert representative_id(story) == story.representative.id_number


def test_an_external_manager_request_renders_with_the_firm_and_the_manager(
    client, story, verifier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_manager(story)
    with django_capture_on_commit_callbacks(execute=True):
        upload(process, manager_mandate(story.customer), name="mandat.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=staff_actor(story.representative.user))
    process.refresh_from_db()
    response = logged_in(client, verifier).get(page_url(process))
    assert response.status_code == 200
    html = response.content.decode()
    assert FIRM_NAME in html and "Energy manager" in html and MANAGER_NAME in html and MANAGER_NIF in html
    assert "All of the customer's supply points" in html
    assert "data-bbox" in html and 'name="decision"' in html
