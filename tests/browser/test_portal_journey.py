"""A company's representative registers, authorises a read-only contact, and the contact logs in.

Assertions rely on URLs, ids and CSS structure, so they hold in any language and whether or not the
translations are compiled; the one text checked (the read-only role) is the English msgid, on a page
requested in English.
"""

from __future__ import annotations

import re

import pytest

from accounts.models import Grant, Person
from backoffice.demo import make_nif
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Llum-Verda!2026bosc"
CONTACT_PASSWORD = "Sol-Ixent#2027mar"


def test_representative_registers_and_authorises_a_read_only_contact(
    page, new_page, live_server, mail_link, submit, screenshot
):
    # -- data: a company paying by direct debit whose representative has no login yet ----------------------------
    customer = factories.customer(direct_debit=True, supply_points=2)
    representative = factories.person(login=False, name="Roser Puig Ferrer")
    factories.grant(customer=customer, person=representative, role="representative")
    iban_last4 = customer.contracts.first().iban_last4
    cups = sorted(point.cups for point in factories.SupplyPoint.objects.filter(contract__customer=customer))
    rep_email = "roser.puig@example.com"
    contacts_path = f"/customers/{customer.pk}/contacts/"

    # -- registration, step 1: the contract holder and the bank proof ------------------------------------------
    page.goto("/register/")
    assert page.locator("html").get_attribute("lang") == "ca"
    assert page.locator("ol.steps li[aria-current=step]").inner_text().startswith("1.")
    form = page.locator("main form")
    form.locator("#id_holder_id").fill(customer.tax_id.lower())  # typed in lower case: the form normalises it
    form.locator("input[name=proof][value=bank]").check()
    form.locator("#id_bank_last4").fill(iban_last4)
    submit(page, form, expect_url=r"/register/contact/$")

    # -- step 2: the representative's own details ------------------------------------------------------------
    assert page.locator("ol.steps li[aria-current=step]").inner_text().startswith("2.")
    assert customer.name in page.locator("main .card > p strong").inner_text()
    form = page.locator("main form")
    form.locator("#id_id_number").fill(representative.id_number)
    form.locator("#id_name").fill("Roser Puig Ferrer")
    form.locator("#id_email").fill(rep_email)
    form.locator("#id_phone").fill("600 123 456")
    submit(page, form, expect_url=r"/register/password/$")

    # -- step 3: a strong password; step 4: "check your e-mail" ------------------------------------------------
    assert page.locator("ol.steps li[aria-current=step]").inner_text().startswith("3.")
    form = page.locator("main form")
    form.locator("#id_password1").fill(PASSWORD)
    form.locator("#id_password2").fill(PASSWORD)
    submit(page, form, expect_url=r"/register/password/$")
    assert page.locator("ol.steps li[aria-current=step]").inner_text().startswith("4.")
    assert page.locator("main form").count() == 0
    assert page.locator("main .card p strong").inner_text() == rep_email
    assert Person.objects.get(pk=representative.pk).user_id is None  # nothing is created before the confirmation

    # -- the e-mailed confirmation link: a GET only shows a button ---------------------------------------------
    page.goto(mail_link(r"/register/confirm/", to=rep_email))
    assert Person.objects.get(pk=representative.pk).user_id is None
    submit(page, page.locator("main form"), expect_url=r"/login/$")
    assert page.locator("main ul.messages li.success").count() == 1

    # -- log in: the supplies page lists the customer's CUPS ---------------------------------------------------
    form = page.locator("main form")
    form.locator("#id_id_number").fill(representative.id_number)
    form.locator("#id_password").fill(PASSWORD)
    submit(page, form, expect_url=r"/supplies/$")
    section = page.locator(f"main tr#company-{customer.pk}")
    assert section.count() == 1
    assert sorted(section.locator("td code").all_inner_texts()) == cups
    assert customer.tax_id in section.inner_text()
    screenshot(page, "portal-representative-supplies")

    # -- contacts: add a read-only contact who is new to the store ---------------------------------------------
    section.locator(f'a[href="{contacts_path}"]').click()
    page.wait_for_url(re.compile(re.escape(contacts_path) + "$"))
    rep_row = page.locator("main table.stack:not(.roles) tbody tr", has_text=representative.id_number)
    assert rep_row.count() == 1
    assert rep_row.locator("form").count() == 0  # nobody edits the representative here
    contact_nif = make_nif(71_234_567)
    contact_email = "jordi.soler@example.com"
    form = page.locator("main form[novalidate]")
    form.locator("#id_name").fill("Jordi Soler Vidal")
    form.locator("#id_email").fill(contact_email)
    form.locator("#id_id_number").fill(contact_nif)
    form.locator("#id_role").select_option("authorised_readonly")
    submit(page, form, expect_url=re.escape(contacts_path) + "$")
    assert page.locator("main ul.messages li.success").count() == 1
    contact_row = page.locator("main table.stack:not(.roles) tbody tr", has_text=contact_nif)
    assert contact_row.count() == 1
    assert "Jordi Soler Vidal" in contact_row.inner_text()
    assert contact_row.locator("form select[name=role]").input_value() == "authorised_readonly"
    assert contact_row.locator("a[href$='/deactivate/']").count() == 1  # to a page that says what it ends
    screenshot(page, "portal-representative-contacts")
    grant = Grant.objects.get(customer=customer, person__id_number=contact_nif, revoked_at__isnull=True)
    assert grant.role == "authorised_readonly"
    invitation_link = mail_link(r"/invitation/", to=contact_email)

    # -- log out -----------------------------------------------------------------------------------------------
    with page.expect_navigation():
        page.locator("header form[action$='/logout/'] button[type=submit]").click()
    assert re.search(r"/login/$", page.url)
    assert page.locator("header form[action$='/logout/']").count() == 0
    page.goto(contacts_path)
    assert re.search(r"/login/\?next=", page.url)

    # -- the contact, in their own browser and in English, accepts the invitation ------------------------------
    contact_page = new_page(locale="en-GB")
    contact_page.goto(invitation_link)
    assert contact_page.locator("html").get_attribute("lang") == "en"
    assert customer.name in contact_page.locator("main .card p strong").inner_text()
    # The name and e-mail are the store's, shown but not editable here (only the person changes them, from their profile).
    assert "Jordi Soler Vidal" in contact_page.locator("main .card").inner_text()
    assert contact_email in contact_page.locator("main .card").inner_text()
    form = contact_page.locator("main form")
    assert form.locator("#id_name, #id_email, #id_phone").count() == 0
    form.locator("#id_id_number").fill(contact_nif)
    form.locator("#id_password1").fill(CONTACT_PASSWORD)
    form.locator("#id_password2").fill(CONTACT_PASSWORD)
    submit(contact_page, form, expect_url=r"/login/$")
    assert contact_page.locator("main ul.messages li.success").count() == 1

    form = contact_page.locator("main form")
    form.locator("#id_id_number").fill(contact_nif)
    form.locator("#id_password").fill(CONTACT_PASSWORD)
    submit(contact_page, form, expect_url=r"/supplies/$")
    section = contact_page.locator(f"main tr#company-{customer.pk}")
    assert sorted(section.locator("td code").all_inner_texts()) == cups
    assert section.locator(".role").inner_text() == "Authorised (read only)"
    screenshot(contact_page, "portal-readonly-supplies")

    # -- a read-only contact sees the contacts but is offered no change ----------------------------------------
    section.locator(f'a[href="{contacts_path}"]').click()
    contact_page.wait_for_url(re.compile(re.escape(contacts_path) + "$"))
    rows = contact_page.locator("main table.stack:not(.roles) tbody tr")
    assert rows.count() == 2
    assert rows.filter(has_text=contact_nif).count() == 1  # their own id, whole
    assert rows.filter(has_text=representative.id_number).count() == 0  # someone else's, masked
    assert rows.filter(has_text=representative.name).count() == 1
    main = contact_page.locator("main")
    assert main.locator("form select[name=role]").count() == 0
    assert main.locator("form[action$='/role/']").count() == 0
    assert main.locator("form[action$='/deactivate/'], a[href$='/deactivate/']").count() == 0
    assert main.locator("form[novalidate], #id_id_number, #id_role").count() == 0
    assert main.locator("form").count() == 0
    screenshot(contact_page, "portal-readonly-contacts")
