"""The firm's workspace in a browser: an external manager of 61 companies; on a 390 px phone no workspace page
scrolls sideways (tables become stacked rows). Screenshots of the companies table at 1280 and 390 px go to
test-artifacts/workspace-*.png."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.audit import Actor
from accounts.models import Invoice
from portal import services as portal_services
from tests import factories
from workflows import services as workflows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world():
    """A gestoria's manager on 61 companies (a collaborator on some, a returned invoice, a request waiting for
    documents that the manager started as representative of one company, a collaborator batch)."""
    manager = factories.person(login=True, name="Montserrat Vilaró i Castellví")
    firm = factories.firm()
    grants = [
        factories.grant(
            customer=factories.customer(
                supply_points=1 + n % 3, name=f"Comunitat de Propietaris Passeig de Gràcia {100 + n}"
            ),
            person=manager,
            role="external_manager",
            firm=firm,
        )
        for n in range(60)
    ]
    own = factories.customer(name="Administració de Finques Vilaró S.L.")
    factories.grant(customer=own, person=manager, role="representative")
    workflows.start_representative_change(
        customer=own,
        new_id_number="12345678Z",
        new_name="Jaume Nou Representant",
        new_email="jaume@example.com",
        outgoing="authorised_full",
        contact_email="montse@example.com",
        language="ca",
        requested_by=manager,
        actor=Actor(user=manager.user, ip=None, label="customer"),
        channel="portal",
    )
    contract = grants[0].customer.contracts.get()
    Invoice.objects.create(
        contract=contract,
        supply_point=contract.supply_points.first(),
        number="RT2026110001",
        issued_on=date(2026, 11, 1),
        total=Decimal("1234.56"),
        status=Invoice.Status.RETURNED,
    )
    collaborator = factories.person(login=True, name="Jordi Col·laborador Puig")
    batch = portal_services.apply_collaborator_batch(
        manager=manager,
        collaborator_id_number=collaborator.id_number,
        role="authorised_readonly",
        customers=[g.customer_id for g in grants[:12]],
        add=True,
        actor=factories.actor(),
    )
    return manager, grants, batch


def _log_in(page, person) -> None:
    page.goto("/login/")
    form = page.locator("main form")
    form.locator("#id_id_number").fill(person.id_number)
    form.locator("#id_password").fill(factories.PASSWORD)
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").click()
    assert page.url.endswith("/supplies/"), page.url


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_no_workspace_page_scrolls_sideways_at_390_px(new_page, world, screenshot):
    manager, grants, batch = world
    wide = new_page(locale="en-GB")
    _log_in(wide, manager)
    assert wide.locator("main table.stack tbody tr").count() == 50
    assert "Page 1 of 2" in wide.locator("main nav.pager").inner_text()
    screenshot(wide, "workspace-companies-1280")

    phone = new_page(locale="en-GB", viewport=PHONE, is_mobile=True, has_touch=True)
    _log_in(phone, manager)
    screenshot(phone, "workspace-companies-390")
    pages = {
        "companies": reverse("portal:supplies"),
        "companies-search": reverse("portal:supplies") + "?q=Gr%C3%A0cia+101",
        "company": reverse("portal:company", args=[grants[1].customer_id]),
        "actions": reverse("portal:needs_action"),
        "requests": reverse("portal:requests"),
        "batch": reverse("portal:collaborator_batch"),
        "batch-detail": reverse("portal:collaborator_batch_detail", args=[batch.reference]),
    }
    widths = {}
    for name, path in pages.items():
        phone.goto(path)
        widths[name] = _scroll_width(phone)
        if name != "companies":
            screenshot(phone, f"workspace-{name}-390")
    assert all(width <= PHONE["width"] for width in widths.values()), widths

    # The confirm page of a batch, reached through the form on the phone.
    phone.goto(pages["batch"])
    for checkbox in phone.locator("main input[name=customers]").all()[:3]:
        checkbox.check()
    phone.locator("#id_collaborator").select_option(label=f"Jordi Col·laborador Puig · {batch.collaborator.id_number}")
    phone.locator("input[name=action][value=remove]").check()
    with phone.expect_navigation(wait_until="load"):
        phone.locator("main form[method=post] button[type=submit]").click()
    assert "Remove Jordi Col·laborador Puig from 3 companies" in phone.locator("main h2").first.inner_text()
    assert _scroll_width(phone) <= PHONE["width"]
    screenshot(phone, "workspace-batch-confirm-390")
