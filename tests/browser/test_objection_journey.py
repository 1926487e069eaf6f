"""An unknown caller asks by phone to become a company's representative; the representative is told by e-mail and
stops the request from the link; a supervisor finds it in the holds list.

1. An agent finds the customer in the console, takes the call and verifies an *unknown* caller (their own NIF and
   name, and the right last four digits of the direct-debit account). The only request offered is a change of
   representative naming the caller; the agent gives the caller's e-mail and starts it. Nobody's contact data shows.
2. The registered representative gets the notice e-mail (their language: Spanish) and, in their own browser, opens
   the link, types a note and objects: the request goes on hold.
3. A supervisor sees the request in /staff/supervision/holds/ with the representative, the channel and the note.

Assertions use URLs, ids, data attributes and the database (any language); the only texts compared are data typed or
stored in the journey, and the phone numbers the notice must give.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from accounts.models import AuditEvent
from backoffice.demo import make_nif
from callcenter.models import Interaction
from tests import factories
from tests.workflows.paperwork import staff
from workflows.models import RepresentativeChangeProcess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALLER_NIF = make_nif(31_415_926)  # valid, and no person in the store has it
CALLER_NAME = "Javier Intruso Gómez"
CALLER_EMAIL = "javier.intruso@example.com"
NOTE = "No he pedido nada: no conozco a esta persona."
PHONES = ("912 100 100", "900 385 425")


def test_an_unknown_callers_change_is_stopped_by_the_representative_and_listed_for_supervisors(
    new_page, mail_link, screenshot, submit, log_in_staff
):
    customer = factories.customer(direct_debit=True)
    representative = factories.person(
        login=True, name="Roser Puig Ferrer", email="roser.puig@example.com", language="es"
    )
    factories.grant(customer=customer, person=representative, role="representative")
    people_contact_data = [representative.email, representative.phone]
    iban_last4 = customer.contracts.first().iban_last4
    agent = staff("callcenter_agents", "anna")
    supervisor = staff("supervisors", "sara")
    assert not Interaction.objects.exists()

    # -- the agent finds the customer and takes the call ---------------------------------------------------------------
    console = new_page()
    log_in_staff(console, agent)
    console.goto("/staff/callcenter/")
    box = console.locator("input[name=q]")
    box.fill(customer.tax_id)
    with console.expect_navigation():
        box.press("Enter")
    hit = console.locator(f"li[data-customer='{customer.pk}']")
    assert hit.count() == 1
    submit(console, hit.locator("form"), expect_url=r"/staff/callcenter/calls/\d+/")

    # -- an unknown caller: their own NIF and name, and the right bank digits ---------------------------------------------
    form = console.locator("form[action$='/verify/']")
    form.locator("input[name=caller][value=unknown]").check()
    form.locator("input[name=caller_id_number]").fill(CALLER_NIF)
    form.locator("input[name=caller_name]").fill(CALLER_NAME)
    form.locator("input[name=bank_last4]").fill(iban_last4)
    submit(console, form, expect_url=r"/staff/callcenter/calls/\d+/")
    assert console.locator("[data-cc-verification=verified]").count() == 1
    assert console.locator("[data-cc-caller-kind=unknown]").count() == 1
    assert console.locator("[data-cc-caller-case=unknown]").count() == 1
    assert console.locator("[data-cc-no-contact-data]").count() == 1

    # -- only a change of representative, naming the caller -----------------------------------------------------------------
    assert console.locator("[data-cc-start=external_manager]").count() == 0
    assert console.locator("form[action$='/external-manager/']").count() == 0
    assert console.locator("[data-cc-own-change]").count() == 1
    start = console.locator("[data-cc-start=representative_change]")
    assert start.count() == 1
    if start.get_attribute("open") is None:
        start.locator("summary").click()
    form = start.locator("form")
    new_id, new_name = form.locator("input[name=rc-new_id_number]"), form.locator("input[name=rc-new_name]")
    assert new_id.input_value() == CALLER_NIF and new_name.input_value() == CALLER_NAME
    assert new_id.get_attribute("readonly") is not None and new_name.get_attribute("readonly") is not None
    assert form.locator("[name=rc-new_email]").count() == 0
    form.locator("input[name=rc-contact_email]").fill(CALLER_EMAIL)
    if form.locator("[name=rc-language]").count():
        form.locator("[name=rc-language]").select_option("es")
    submit(console, form, expect_url=r"/staff/callcenter/calls/\d+/")

    process = RepresentativeChangeProcess.objects.get(customer=customer)
    assert process.channel == "phone" and process.started_by == agent
    assert process.new_id_number == CALLER_NIF
    assert console.locator(f"[data-cc-request='{process.reference}']").count() == 1
    # Still no external-manager form, and no e-mail or phone of the customer's people anywhere on the page.
    assert console.locator("[data-cc-start=external_manager]").count() == 0
    page_text = console.locator("body").inner_text()
    for value in people_contact_data:
        assert value not in page_text, f"the unknown caller's page shows {value!r}"
    assert console.locator("[data-cc-contact]").count() == 0  # the people table has no contact columns
    console.reload()  # without the "request started" snackbar, which covers the requests card for a few seconds
    assert console.locator(f"[data-cc-request='{process.reference}']").count() == 1
    screenshot(console, "objection-agent-call")

    # -- the representative is told, in Spanish, and objects from the link --------------------------------------------------
    link = mail_link(r"/object/", to=representative.email)
    [notice] = [m for m in mail.outbox if representative.email in m.to and "/object/" in m.body]
    assert process.reference in notice.subject and process.reference in notice.body
    with translation.override("es"):  # written in the representative's language: the kind of request in Spanish
        assert str(RepresentativeChangeProcess._meta.verbose_name) in notice.body
    for phone in PHONES:
        assert phone in notice.body, f"the notice does not give {phone}"
    assert CALLER_NAME in notice.body

    own = new_page(locale="es-ES")
    response = own.goto(link)
    assert response is not None and response.status == 200
    assert process.reference in own.locator("main").inner_text()
    process.refresh_from_db()
    assert not process.on_hold  # opening the link stops nothing
    form = own.locator("main form:has(textarea[name=note])")
    form.locator("textarea[name=note]").fill(NOTE)
    own.once("dialog", lambda dialog: dialog.accept())  # in case the button asks for a confirmation
    submit(own, form)
    assert own.locator("[data-objection=recorded]").count() == 1
    assert (own.locator("html").get_attribute("lang") or "").lower().startswith("es")  # the representative's language
    screenshot(own, "objection-representative")

    # -- the supervisor finds it on hold ------------------------------------------------------------------------------------
    desk = new_page()
    log_in_staff(desk, supervisor)
    response = desk.goto("/staff/supervision/holds/")
    assert response is not None and response.status == 200
    row = desk.locator(f"tr[data-sv-hold='{process.reference}']")
    assert row.count() == 1
    cells = row.locator("td")
    assert representative.name in cells.nth(2).inner_text()
    process.refresh_from_db()
    with translation.override(desk.locator("html").get_attribute("lang")):  # the label in the page's language
        assert cells.nth(3).inner_text().strip() == str(process.get_objection_channel_display())
    assert NOTE in cells.nth(4).inner_text()
    screenshot(desk, "objection-supervisor-holds")

    # -- the database -----------------------------------------------------------------------------------------------------------
    assert process.is_open and process.on_hold
    assert process.objected_by == representative
    assert process.objection_channel == "portal"
    assert process.objection_note == NOTE
    interaction = Interaction.objects.get(agent=agent, customer=customer)
    assert interaction.caller_kind == "unknown" and interaction.caller_person is None
    assert interaction.caller_id_number == CALLER_NIF
    assert AuditEvent.objects.filter(action="request.objection", request_ref=process.reference).count() == 1
