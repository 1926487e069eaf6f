"""Paperwork requests in the browser, end to end, with three people in their own browsers.

1. Four eyes: a sensitive company's representative asks for a change of representative in "Gestions", uploads a
   text-layer power of attorney and submits it; the OCR pre-check runs (eagerly, when the request commits); a
   verifier picks the task from the Viewflow queue, reads the page image and the checks and approves; a supervisor
   gives the second approval; the representative sees the change applied.
2. More documents: the verifier asks for more with a message; the customer reads it, uploads a second file and
   submits again; the verifier approves and, the customer not being sensitive and the verdict clear, the change is
   applied without a second approval.

Assertions rely on URLs, ids, data attributes, CSS classes and the database, so they hold in any language and
whether or not the translations are compiled. The only texts compared are the data typed in the journey.
"""

from __future__ import annotations

import re
import time

import pytest

from accounts.models import Grant
from tests import factories
from tests.workflows.paperwork import NEW_NAME, NEW_NIF, power_of_attorney, staff, task_of
from workflows.models import RepresentativeChangeProcess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_EMAIL = "marta.puig@example.com"
REFERENCE = re.compile(r"/requests/(?P<reference>[A-Z]{2}-[0-9A-Z]+)/$")
RECEIVED = re.compile(r"/requests/(?P<reference>[A-Z]{2}-[0-9A-Z]+)/received/$")
FLOW_PATH = "/staff/workflow/flows/representativechange"
TIMELINE_ROWS = "main section[aria-labelledby=timeline] tbody tr[data-kind]"
UPLOAD_FORM = "main form:has(input[name=action][value=upload])"
SUBMIT_FORM = "main form:has(input[name=action][value=submit])"
DOCUMENT_ROWS = "main section[aria-labelledby=documents] table tbody tr"


# -- data ---------------------------------------------------------------------------------------------------


def company_with_representative(*, sensitive: bool):
    customer = factories.customer()
    customer.sensitive = sensitive
    customer.save(update_fields=["sensitive"])
    representative = factories.person(login=True, name="Roser Puig Ferrer")
    factories.grant(customer=customer, person=representative, role="representative")
    return customer, representative


# -- the customer area ----------------------------------------------------------------------------------------


def log_in_customer(page, person, submit):
    page.goto("/login/")
    form = page.locator("main form")
    form.locator("#id_id_number").fill(person.id_number)
    form.locator("#id_password").fill(factories.PASSWORD)
    submit(page, form, expect_url=r"/supplies/$")


def timeline_kinds(page) -> list[str]:
    return [row.get_attribute("data-kind") for row in page.locator(TIMELINE_ROWS).all()]


def reload_until_last_step(page, kind: str, *, timeout: float = 20.0) -> None:
    """Reload the request's page until its newest timeline row is ``kind`` (the pre-check may still be running)."""
    deadline = time.monotonic() + timeout
    while True:
        kinds = timeline_kinds(page)
        if kinds and kinds[-1] == kind:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"the request's timeline never reached {kind!r}: {kinds}")
        page.wait_for_timeout(300)
        page.reload()


def start_change_of_representative(page, customer, submit) -> str:
    """From "Gestions": the button, the form, the request's page. Returns the reference."""
    page.locator("header a[href='/requests/']").click()
    page.wait_for_url(re.compile(r"/requests/$"))
    section = page.locator("main section[aria-labelledby=requests-title]")
    assert section.locator("table").count() == 0  # no request yet
    section.locator(f"a.button[href='/customers/{customer.pk}/requests/representative/']").click()
    page.wait_for_url(re.compile(rf"/customers/{customer.pk}/requests/representative/$"))

    form = page.locator("main form[novalidate]")
    assert form.locator("input[name=outgoing][value=authorised_full]").is_checked()  # the default, kept
    assert form.locator("#id_contact_email").input_value()  # prefilled with the representative's e-mail
    form.locator("#id_new_id_number").fill(NEW_NIF.lower())  # typed in lower case: the form normalises it
    form.locator("#id_new_name").fill(NEW_NAME)
    form.locator("#id_new_email").fill(NEW_EMAIL)
    submit(page, form, expect_url=REFERENCE)

    reference = REFERENCE.search(page.url)["reference"]
    assert page.locator("main h1 code").inner_text() == reference
    assert page.locator("main ul.messages li.success").count() == 1
    asked = page.locator("main section[aria-labelledby=request] table").inner_text()
    assert NEW_NIF in asked and NEW_NAME in asked and NEW_EMAIL in asked
    assert timeline_kinds(page) == ["submitted"]
    return reference


def upload(page, path, submit) -> None:
    before = page.locator(DOCUMENT_ROWS).count()
    form = page.locator(UPLOAD_FORM)
    form.locator("input[type=file]").set_input_files(str(path))
    submit(page, form, expect_url=REFERENCE)
    assert page.locator(DOCUMENT_ROWS).count() == before + 1
    assert page.locator(DOCUMENT_ROWS).last.locator("a[href^='/documents/']").inner_text() == path.name


def submit_documents(page, submit) -> None:
    # a confirmation page of its own (Post/Redirect/Get: a reload never re-posts), then back to the request
    submit(page, page.locator(SUBMIT_FORM), expect_url=RECEIVED)
    reference = RECEIVED.search(page.url)["reference"]
    assert reference in page.locator("main .card p").first.inner_text()
    page.locator(f"main a[href$='/requests/{reference}/']").click()
    page.wait_for_url(REFERENCE)
    # Nothing more to upload until staff ask for it.
    assert page.locator(UPLOAD_FORM).count() == 0
    assert page.locator(SUBMIT_FORM).count() == 0


# -- the staff site -------------------------------------------------------------------------------------------


def open_task_from_queue(page, process, node: str) -> int:
    """The queue lists the task; its link leads to Viewflow's assign page, and "assign and continue" to our page."""
    task = task_of(process, node)
    assert task is not None and task.owner_id is None
    page.goto("/staff/workflow/queue/")
    link = page.locator(f"a[href='{FLOW_PATH}/{process.pk}/{node}/{task.pk}/']")
    assert link.count() == 1, f"task {node} #{task.pk} not in the queue"
    link.click()
    page.wait_for_url(re.compile(rf"{FLOW_PATH}/{process.pk}/{node}/{task.pk}/assign/$"))
    page.locator("form button[name=_continue]").click()
    page.wait_for_url(re.compile(rf"{FLOW_PATH}/{process.pk}/{node}/{task.pk}/execute/$"))
    page.locator("[data-vw-workspace][data-vw-ready]").wait_for()
    assert page.locator(".vw-title__reference").inner_text() == process.reference
    task.refresh_from_db()
    assert task.owner_id is not None  # assigned to whoever clicked
    return task.pk


def wait_for_page_images(page) -> None:
    """The page shown in the viewer has its preview image loaded (not a broken or empty image)."""
    page.locator("[data-vw-viewer].vw-viewer--ready").wait_for()
    page.wait_for_function(
        """() => {
            const images = [...document.querySelectorAll('[data-vw-page]:not([hidden]) img')];
            return images.length > 0 && images.every(img => img.complete && img.naturalWidth > 0);
        }"""
    )


def decide(page, field: str, value: str, *, message: str = "") -> None:
    form = page.locator("form[data-vw-decision-form]")
    form.locator(f"input[name={field}][value={value}]").check()
    if message:
        form.locator("textarea[name=customer_message]").fill(message)  # shown once the choice is made
    form.locator("button[type=submit]").click()
    # back to where the decider's day starts (the queue; a supervisor's board), the decision saved
    page.wait_for_url(re.compile(r"/staff/(workflow/((inbox|queue|worklist)/)?|supervision/board/)$"))


# -- journeys -------------------------------------------------------------------------------------------------


def test_four_eyes_change_of_representative_from_the_customer_area_to_applied(
    new_page, tmp_path, submit, screenshot, log_in_staff
):
    customer, representative = company_with_representative(sensitive=True)
    pdf = tmp_path / "poder-notarial.pdf"
    pdf.write_bytes(power_of_attorney(customer))

    # -- the representative asks for the change and sends the power of attorney ------------------------------
    customer_page = new_page()
    log_in_customer(customer_page, representative, submit)
    reference = start_change_of_representative(customer_page, customer, submit)
    assert customer_page.locator(UPLOAD_FORM).count() == 1
    upload(customer_page, pdf, submit)
    submit_documents(customer_page, submit)
    reload_until_last_step(customer_page, "under_review")
    assert {"documents_received", "checks_running"} <= set(timeline_kinds(customer_page))
    assert customer_page.locator("main section[aria-labelledby=precheck]").count() == 0  # the pre-check is done
    assert customer_page.locator("main section[aria-labelledby=outcome]").count() == 0  # still open
    screenshot(customer_page, "request-under-review")

    process = RepresentativeChangeProcess.objects.get(reference=reference)
    assert process.customer_id == customer.pk and process.channel == "portal" and process.is_open

    # -- the verifier picks the task from the queue, reads the page and the checks, approves ----------------
    verifier = staff("verifiers", "vera")
    verifier_page = new_page()
    log_in_staff(verifier_page, verifier)
    open_task_from_queue(verifier_page, process, "verify")
    wait_for_page_images(verifier_page)
    assert verifier_page.locator("[data-vw-document]").count() == 1
    assert verifier_page.locator("[data-vw-verdict]").get_attribute("data-vw-verdict") == "clear"
    outcomes = [
        badge.get_attribute("data-outcome")
        for badge in verifier_page.locator("ul.vw-checks li.vw-check .vw-badge").all()
    ]
    assert outcomes and "fail" not in outcomes, outcomes
    person_row = verifier_page.locator("table[data-vw-comparison] tr[data-field=person_nif]")
    assert person_row.locator("td").nth(0).inner_text() == NEW_NIF
    assert NEW_NIF in person_row.locator("td").nth(2).inner_text()  # read on the document
    assert person_row.locator("td").nth(1).inner_text() == representative.id_number  # who holds the role today
    assert verifier_page.locator(".vw-chip--warn").count() == 1  # sensitive customer
    # The evidence of a check is drawn on the page; "show" highlights its box.
    assert verifier_page.locator("[data-vw-page]:not([hidden]) .vw-box").count() >= 1
    verifier_page.locator("ul.vw-checks button[data-vw-show]").first.click()
    assert verifier_page.locator(".vw-box.vw-box--active").count() == 1
    verifier_page.locator("form[data-vw-decision-form] input[name=decision][value=approve]").check()
    assert verifier_page.locator(".vw-hint--note").is_visible()  # "goes to a supervisor" hint
    # Viewflow's "task assigned" snackbar would cover the page image in the picture.
    verifier_page.locator("vf-snackbar").evaluate_all(
        "nodes => nodes.forEach(node => { node.style.display = 'none'; })"
    )
    verifier_page.evaluate(
        "window.scrollTo(0, 0)"
    )  # the viewer is sticky: capture it beside the checks, not scrolled down
    screenshot(verifier_page, "verification-page")
    decide(verifier_page, "decision", "approve")

    process.refresh_from_db()
    assert process.is_open and process.outcome == "" and process.decided_by_id == verifier.pk
    assert task_of(process, "second_approval") is not None

    customer_page.reload()
    assert timeline_kinds(customer_page)[-1] == "second_approval"

    # -- the supervisor gives the second approval ------------------------------------------------------------
    supervisor = staff("supervisors", "sara")
    supervisor_page = new_page()
    log_in_staff(supervisor_page, supervisor)
    open_task_from_queue(supervisor_page, process, "second_approval")
    assert supervisor_page.locator("[data-vw-first-decision] dl").count() == 1  # the first decision is shown
    wait_for_page_images(supervisor_page)
    decide(supervisor_page, "approve", "yes")

    process.refresh_from_db()
    assert process.outcome == "applied" and not process.is_open and process.second_approved_by_id == supervisor.pk
    representative_grant = Grant.objects.get(customer=customer, role="representative", revoked_at__isnull=True)
    assert representative_grant.person.id_number == NEW_NIF and representative_grant.person.name == NEW_NAME
    assert (
        Grant.objects.get(customer=customer, person=representative, revoked_at__isnull=True).role == "authorised_full"
    )

    # -- the (former) representative sees the change applied -------------------------------------------------
    customer_page.reload()
    assert customer_page.locator("main h1 code").inner_text() == reference
    assert customer_page.locator("main section[aria-labelledby=outcome][data-outcome=applied]").count() == 1
    assert timeline_kinds(customer_page)[-1] == "applied"
    assert customer_page.locator(UPLOAD_FORM).count() == 0
    screenshot(customer_page, "request-applied")


def test_verifier_asks_for_more_documents_then_approves(new_page, tmp_path, submit, screenshot, log_in_staff):
    customer, representative = company_with_representative(sensitive=False)
    first = tmp_path / "poder.pdf"
    first.write_bytes(power_of_attorney(customer))
    second = tmp_path / "escriptura.pdf"
    second.write_bytes(power_of_attorney(customer, doc_type="deed", seed=8))
    message = "Falta la pàgina de signatures de l'escriptura."

    customer_page = new_page()
    log_in_customer(customer_page, representative, submit)
    reference = start_change_of_representative(customer_page, customer, submit)
    upload(customer_page, first, submit)
    submit_documents(customer_page, submit)
    reload_until_last_step(customer_page, "under_review")
    process = RepresentativeChangeProcess.objects.get(reference=reference)

    # -- the verifier asks for more documents -----------------------------------------------------------------
    verifier = staff("verifiers", "vera")
    verifier_page = new_page()
    log_in_staff(verifier_page, verifier)
    open_task_from_queue(verifier_page, process, "verify")
    assert verifier_page.locator(".vw-chip--warn").count() == 0  # not sensitive
    decide(verifier_page, "decision", "more_documents", message=message)
    process.refresh_from_db()
    assert process.is_open and process.documents_rounds == 1

    # -- the customer reads the message, uploads a second file and submits again --------------------------------
    customer_page.reload()
    assert timeline_kinds(customer_page)[-1] == "more_documents"
    assert customer_page.locator("main section[aria-labelledby=needed]").inner_text().endswith(message)
    assert customer_page.locator(UPLOAD_FORM).count() == 1 and customer_page.locator(SUBMIT_FORM).count() == 1
    screenshot(customer_page, "request-more-documents")
    upload(customer_page, second, submit)
    submit_documents(customer_page, submit)
    reload_until_last_step(customer_page, "under_review")
    assert timeline_kinds(customer_page).count("under_review") == 2

    # -- the verifier approves: clear verdict, ordinary customer, no second approval ---------------------------
    open_task_from_queue(verifier_page, process, "verify")
    assert verifier_page.locator("[data-vw-verdict]").get_attribute("data-vw-verdict") == "clear"
    assert verifier_page.locator("[data-vw-document]").count() == 2
    decide(verifier_page, "decision", "approve")
    process.refresh_from_db()
    assert (
        process.outcome == "applied" and process.second_approved_by_id is None and process.decided_by_id == verifier.pk
    )
    assert task_of(process, "second_approval") is None
    assert (
        Grant.objects.get(customer=customer, role="representative", revoked_at__isnull=True).person.id_number == NEW_NIF
    )

    customer_page.reload()
    assert customer_page.locator("main section[aria-labelledby=outcome][data-outcome=applied]").count() == 1
    assert timeline_kinds(customer_page)[-1] == "applied"
    screenshot(customer_page, "request-applied-after-more-documents")
