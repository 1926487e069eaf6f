"""A verifier's tools on a phone request: the page zoomed at 300 dpi, the crop of the evidence beside the claim, the
identifier's differing characters, the customer's language, "ask for more documents" -- and the phone customer reads
that message word for word in the e-mail and on the upload page; the new upload is then marked. Screenshots in
Catalan and Spanish. Assertions use data attributes, URLs and the database (any language)."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.audit import Actor
from tests import factories
from tests.browser.test_request_journeys import open_task_from_queue, wait_for_page_images
from tests.workflows.paperwork import power_of_attorney, staff, staff_actor, start_change, upload
from workflows import services
from workflows.models import RepresentativeChangeProcess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOLDER = Actor(user=None, ip="203.0.113.9", label="upload link")
MISREAD_NIF = "12345670Y"
MESSAGE = "Envíanos el poder completo: falta la página 2, firmada por el notario."


def _phone_request_waiting_for_verification() -> RepresentativeChangeProcess:
    story = factories.Story()
    agent = staff("callcenter_agents", "anna")
    process = start_change(story, actor=staff_actor(agent), channel="phone", language="es")
    # the caller's document gives a NIF two characters away from the one asked for (12345678Z): where do they differ?
    upload(process, power_of_attorney(story.customer, nif=MISREAD_NIF), actor=HOLDER)
    services.submit_documents(process=process, actor=HOLDER)
    process.refresh_from_db()
    assert process.precheck is not None and process.precheck.status == "done", process.precheck
    return process


def _verifier_page(new_page, log_in_staff, verifier, locale):
    page = new_page(locale=locale)
    log_in_staff(page, verifier)
    return page


def test_a_verifier_zooms_compares_and_asks_the_phone_customer_for_more(new_page, mail_link, screenshot, log_in_staff):
    process = _phone_request_waiting_for_verification()
    verifier = staff("verifiers", "vera")

    page = _verifier_page(new_page, log_in_staff, verifier, "ca-ES")
    open_task_from_queue(page, process, "verify")
    wait_for_page_images(page)

    # the identifier's differing characters, marked and said in words
    row = page.locator("[data-vw-comparison] tr[data-field=person_nif]")
    assert row.locator("mark.vw-diff").count() >= 2  # on the claim and on the reading
    assert row.locator("[data-vw-diff-said]").inner_text().strip()
    # the crop of the evidence beside the claim, loaded through the page's session
    crop = page.locator("img[data-vw-crop=company_cif]")
    crop.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=crop.element_handle(), timeout=15_000)
    # the customer's language beside the message box
    page.locator("input[name=decision][value=more_documents]").check()
    assert page.locator("[data-vw-customer-language=es]").first.is_visible()
    assert page.locator("[data-vw-glance]").count() == 1
    screenshot(page, "glance-verifier-tools-ca")

    # zoom: the page at 300 dpi, on demand
    with page.expect_popup() as popup:
        page.locator("a[data-vw-zoom-hd='0']").first.click()
    zoomed = popup.value
    zoomed.wait_for_load_state()
    width = zoomed.evaluate("() => document.images[0].naturalWidth")
    preview_width = int(page.locator("[data-vw-page]:not([hidden])").first.get_attribute("data-width"))
    assert width > 2.5 * preview_width, (width, preview_width)
    zoomed.close()

    # the same page in Spanish, then the decision
    spanish = _verifier_page(new_page, log_in_staff, verifier, "es-ES")
    spanish.goto(page.url)
    spanish.locator("[data-vw-workspace][data-vw-ready]").wait_for()
    spanish.locator("input[name=decision][value=more_documents]").check()
    screenshot(spanish, "glance-verifier-tools-es")
    spanish.close()

    mail.outbox.clear()
    form = page.locator("form[data-vw-decision-form]")
    form.locator("input[name=decision][value=more_documents]").check()
    form.locator("textarea[name=customer_message]").fill(MESSAGE)
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").click()
    assert "/execute/" not in page.url  # saved: back to where the verifier's day goes on
    assert page.locator(".vf-snackbar__label:visible, [role=status]:visible").count() <= 1  # one message per action

    # the phone customer: the message in the e-mail, and on the upload page the link opens
    [email] = [m for m in mail.outbox if "/upload/" in m.body]
    assert MESSAGE in email.body and email.to == [process.contact_email]
    customer = new_page(locale="es-ES")
    customer.goto(mail_link(r"/upload/", to=process.contact_email))
    assert MESSAGE in customer.locator("[data-more-documents]").inner_text()
    screenshot(customer, "glance-upload-page-es")
    catalan = new_page(locale="ca-ES")
    catalan.goto(mail_link(r"/upload/", to=process.contact_email))
    assert MESSAGE in catalan.locator("[data-more-documents]").inner_text()
    screenshot(catalan, "glance-upload-page-ca")

    # round 2: the new upload is marked on the verifier's page
    second = upload(process, power_of_attorney(process.customer, seed=11), name="poder-complet.pdf", actor=HOLDER)
    services.submit_documents(process=process, actor=HOLDER)
    open_task_from_queue(page, process, "verify")
    tab = page.locator(f"[data-vw-document='{second.pk}'] [data-vw-new-this-round]")
    assert tab.count() == 1
    assert page.locator("[data-vw-earlier-round]").count() == 1
    screenshot(page, "glance-new-this-round-ca")
