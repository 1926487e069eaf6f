"""Paperwork requests in the browser: a representative asks for a change with a text-layer PDF, verification
staff decide in the staff site, a supervisor gives the second approval, and the customer sees the outcome.

Assertions rely on URLs, ids, data attributes and the database, so they hold in any language.
"""

from __future__ import annotations

import re

import pytest

from accounts.models import Grant
from tests import factories
from tests.workflows.paperwork import NEW_NAME, NEW_NIF, power_of_attorney, staff
from workflows.models import RepresentativeChangeProcess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_customer(page, person):
    page.goto("/login/")
    form = page.locator("main form")
    form.locator("#id_id_number").fill(person.id_number)
    form.locator("#id_password").fill(factories.PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def log_in_staff(page, user):
    page.goto("/staff/login/")
    form = page.locator("form:has(#id_username)")
    form.locator("#id_username").fill(user.username)
    form.locator("#id_password").fill(factories.PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "/staff/login/" not in page.url


def documents_action(page, action: str):
    with page.expect_navigation():
        page.locator(f"form:has(input[name=action][value={action}]) button[type=submit]").click()


def upload_and_submit(page, path):
    page.locator("form:has(input[name=action][value=upload]) input[type=file]").set_input_files(str(path))
    documents_action(page, "upload")
    assert page.locator("form:has(input[name=action][value=remove])").count() >= 1
    documents_action(page, "submit")


def task_page(process, node: str) -> str:
    task = process.task_set.get(flow_task_type="HUMAN", status="NEW")
    assert task.flow_task.name == node
    return f"/staff/workflow/flows/representativechange/{process.pk}/{node}/{task.pk}/execute/"


def decide(page, url: str, field: str, value: str, message: str = ""):
    page.goto(url)
    form = page.locator("form[data-vw-decision-form]")
    form.locator(f"input[name={field}][value={value}]").check()
    if message:
        form.locator("textarea[name=customer_message]").fill(message)
    with page.expect_navigation():
        form.locator("button[type=submit]").last.click()


def start_change(page, customer, tmp_path):
    page.goto("/requests/")
    with page.expect_navigation():
        page.locator(f"a[href='/customers/{customer.pk}/requests/representative/']").click()
    form = page.locator("main form")
    form.locator("input[name=new_id_number]").fill(NEW_NIF)
    form.locator("input[name=new_name]").fill(NEW_NAME)
    form.locator("input[name=new_email]").fill("marta@example.com")
    form.locator("input[name=outgoing][value=authorised_full]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").last.click()
    assert re.search(r"/requests/RC-[2-9A-Z]{6}/$", page.url), page.url
    pdf = tmp_path / "poder.pdf"
    pdf.write_bytes(power_of_attorney(customer))
    upload_and_submit(page, pdf)
    return RepresentativeChangeProcess.objects.get(customer=customer)


def company_with_representative(*, sensitive: bool):
    customer = factories.customer()
    customer.sensitive = sensitive
    customer.save(update_fields=["sensitive"])
    representative = factories.person(login=True, name="Roser Puig Ferrer")
    factories.grant(customer=customer, person=representative, role="representative")
    return customer, representative


def test_four_eyes_change_of_representative_from_the_customer_area_to_applied(new_page, tmp_path, screenshot):
    customer, representative = company_with_representative(sensitive=True)
    customer_page = new_page()
    log_in_customer(customer_page, representative)
    process = start_change(customer_page, customer, tmp_path)
    customer_page.reload()
    assert customer_page.locator("tr[data-kind=under_review]").count() == 1
    screenshot(customer_page, "request-under-review")

    verifier_page = new_page()
    log_in_staff(verifier_page, staff("verifiers", "vera"))
    verifier_page.goto("/staff/workflow/queue/")
    assert process.reference in verifier_page.content() or str(process.pk) in verifier_page.content()
    url = task_page(process, "verify")
    verifier_page.goto(url)
    assert verifier_page.locator("img[src*='/documents/']").count() >= 1
    assert verifier_page.locator("[data-bbox]").count() >= 1
    screenshot(verifier_page, "verification-workspace")
    decide(verifier_page, url, "decision", "approve")
    process.refresh_from_db()
    assert process.outcome == "" and process.is_open  # sensitive customer: waits for the second approval

    supervisor_page = new_page()
    log_in_staff(supervisor_page, staff("supervisors", "sara"))
    decide(supervisor_page, task_page(process, "second_approval"), "approve", "yes")
    process.refresh_from_db()
    assert process.outcome == "applied" and process.second_approved_by.username.startswith("sara")
    assert Grant.objects.get(customer=customer, role="representative", revoked_at__isnull=True).person.id_number == NEW_NIF

    customer_page.reload()
    assert customer_page.locator("[data-outcome=applied]").count() == 1
    assert customer_page.locator("tr[data-kind=applied]").count() == 1
    screenshot(customer_page, "request-applied")


def test_more_documents_loop_then_approval(new_page, tmp_path):
    customer, representative = company_with_representative(sensitive=False)
    customer_page = new_page()
    log_in_customer(customer_page, representative)
    process = start_change(customer_page, customer, tmp_path)

    verifier_page = new_page()
    log_in_staff(verifier_page, staff("verifiers", "vera"))
    decide(verifier_page, task_page(process, "verify"), "decision", "more_documents", message="Falta la pàgina de signatures.")

    customer_page.reload()
    assert "Falta la pàgina de signatures." in customer_page.content()
    assert customer_page.locator("tr[data-kind=more_documents]").count() == 1
    second = tmp_path / "signatures.pdf"
    second.write_bytes(power_of_attorney(customer, doc_type="deed", seed=8))
    upload_and_submit(customer_page, second)

    decide(verifier_page, task_page(process, "verify"), "decision", "approve")
    process.refresh_from_db()
    assert process.outcome == "applied" and process.documents_rounds == 1
    customer_page.reload()
    assert customer_page.locator("[data-outcome=applied]").count() == 1
