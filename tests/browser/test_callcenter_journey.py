"""An agent handles a phone request end to end: finds the account, verifies the caller, starts a change of
representative on their behalf; the caller uploads through the e-mailed link; a verifier approves; the agent
sees the request applied. Assertions use URLs, ids, data attributes and the database (any language)."""

from __future__ import annotations

import pytest

from accounts.models import Grant
from tests import factories
from tests.workflows.paperwork import NEW_NAME, NEW_NIF, power_of_attorney, staff
from workflows.models import RepresentativeChangeProcess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def post_form(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").last.click()


def test_agent_starts_a_change_for_a_verified_caller_who_uploads_through_the_link(
    new_page, mail_link, tmp_path, screenshot, log_in_staff
):
    customer = factories.customer(direct_debit=True)
    representative = factories.person(name="Roser Puig Ferrer")
    factories.grant(customer=customer, person=representative, role="representative")
    agent = staff("callcenter_agents", "anna")

    # -- the agent finds the account from the keyboard and takes the call ------------------------------------------
    console = new_page()
    log_in_staff(console, agent)
    console.goto("/staff/callcenter/")
    box = console.locator("input[name=q]")
    assert box.evaluate("el => el === document.activeElement")  # the search box has the focus
    box.fill(customer.tax_id)
    with console.expect_navigation():
        box.press("Enter")
    assert console.locator(f"li[data-customer='{customer.pk}']").count() == 1
    post_form(console, console.locator(f"li[data-customer='{customer.pk}'] form"))
    assert "/staff/callcenter/calls/" in console.url

    # -- a wrong proof first, then the right one --------------------------------------------------------------------
    form = console.locator("form[action$='/verify/']")
    form.locator(f"input[name=caller][value='{representative.pk}']").check()  # the representative calls
    form.locator("input[name=caller_id_number]").fill(representative.id_number)
    form.locator("input[name=bank_last4]").fill("0000" if customer.contracts.first().iban_last4 != "0000" else "1111")
    post_form(console, form)
    assert console.locator("[data-cc-verification=failed]").count() == 1
    assert console.locator("[data-cc-start]").count() == 0  # no start forms for an unverified caller
    form = console.locator("form[action$='/verify/']")
    form.locator(f"input[name=caller][value='{representative.pk}']").check()  # the representative calls
    form.locator("input[name=caller_id_number]").fill(representative.id_number)
    form.locator("input[name=bank_last4]").fill(customer.contracts.first().iban_last4)
    post_form(console, form)
    assert console.locator("[data-cc-verification=verified]").count() == 1

    # -- start the change of representative on the caller's behalf ---------------------------------------------------
    start = console.locator("[data-cc-start=representative_change]")
    if start.get_attribute("open") is None:
        start.locator("summary").click()
    form = start.locator("form")
    form.locator("input[name=rc-new_id_number]").fill(NEW_NIF)
    form.locator("input[name=rc-new_name]").fill(NEW_NAME)
    form.locator("input[name=rc-new_email]").fill("marta@example.com")
    form.locator("input[name=rc-contact_email]").fill("caller@example.com")
    outgoing = form.locator("[name=rc-outgoing]").first
    if outgoing.evaluate("el => el.tagName") == "SELECT":
        outgoing.select_option("authorised_full")
    else:
        form.locator("input[name=rc-outgoing][value=authorised_full]").check()
    post_form(console, form)
    process = RepresentativeChangeProcess.objects.get(customer=customer)
    assert process.channel == "phone" and process.started_by == agent
    assert console.locator(f"[data-cc-request='{process.reference}'] tr[data-state=sent]").count() == 1

    # -- the caller opens the e-mailed link, uploads and submits -----------------------------------------------------
    caller = new_page()
    caller.goto(mail_link(r"/upload/", to="caller@example.com"))
    pdf = tmp_path / "poder.pdf"
    pdf.write_bytes(power_of_attorney(customer))
    caller.locator("form:has(input[name=action][value=upload]) input[type=file]").set_input_files(str(pdf))
    with caller.expect_navigation():
        caller.locator("form:has(input[name=action][value=upload]) button[type=submit]").click()
    with caller.expect_navigation():
        caller.locator("form:has(input[name=action][value=submit]) button[type=submit]").click()
    console.reload()
    assert console.locator(f"[data-cc-request='{process.reference}'] tr[data-state=uploaded]").count() == 1
    screenshot(console, "callcenter-call")

    # -- a verifier approves; the agent cannot ------------------------------------------------------------------------
    task = process.task_set.get(flow_task_type="HUMAN", status="NEW")
    url = f"/staff/workflow/flows/representativechange/{process.pk}/verify/{task.pk}/execute/"
    assert console.goto(url).status in (200, 403)
    assert console.locator("form[data-vw-decision-form]").count() == 0
    verifier = new_page()
    log_in_staff(verifier, staff("verifiers", "vera"))
    verifier.goto(url)
    form = verifier.locator("form[data-vw-decision-form]")
    form.locator("input[name=decision][value=approve]").check()
    post_form(verifier, form)
    process.refresh_from_db()
    assert process.outcome == "applied"
    assert (
        Grant.objects.get(customer=customer, role="representative", revoked_at__isnull=True).person.id_number == NEW_NIF
    )

    # -- the agent sees "applied" ---------------------------------------------------------------------------------------
    console.goto(f"/staff/callcenter/calls/{process_call_id(agent)}/")
    assert (
        console.locator(f"[data-cc-request='{process.reference}'] [data-cc-timeline] li[data-kind=applied]").count()
        == 1
    )
    screenshot(console, "callcenter-applied")


def process_call_id(agent):
    from callcenter.models import Interaction

    return Interaction.objects.filter(agent=agent).latest("started_at").pk
