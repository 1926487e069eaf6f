"""A gestoria's person registers a webhook endpoint in the customer area, keeps the secret shown once, sends a
test event and sees it delivered; a bad address is answered on the form."""

from __future__ import annotations

import pytest

from tests import factories
from tests.webhooks.conftest import Receiver
from webhooks.models import Delivery, Endpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_TIMEOUT_SECONDS = 2
    server = Receiver().start("up")
    yield server
    server.stop()


def test_a_manager_registers_an_endpoint_and_sends_it_a_test_event(new_page, submit, screenshot, receiver):
    company = factories.customer(name="Comunitat Carrer Major 5")
    manager = factories.person(login=True, name="Montserrat Vilaró")
    factories.grant(customer=company, person=manager, role="external_manager", firm=factories.firm())
    page = new_page(locale="en-GB")
    page.goto("/login/")
    form = page.locator("main form")
    form.locator("#id_id_number").fill(manager.id_number)
    form.locator("#id_password").fill(factories.PASSWORD)
    submit(page, form)

    with page.expect_navigation():
        page.locator("header a[href='/webhooks/']").click()
    assert page.locator("header a[aria-current='page']").inner_text() == "Webhooks"
    with page.expect_navigation():
        page.get_by_role("link", name="Register an endpoint").click()

    form = page.locator("main form")
    form.locator("#id_url").fill("http://10.0.0.1/hooks")
    form.get_by_label("An invoice was issued").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "https://" in page.locator("#field-url .errorlist").inner_text()
    screenshot(page, "webhooks-refused-address")
    assert not Endpoint.objects.exists()

    form.locator("#id_url").fill(receiver.url)
    form.locator("#id_description").fill("ERP de la gestoria")
    form.locator("#id_customer").select_option(str(company.pk))
    submit(page, form)
    endpoint = Endpoint.objects.get()
    assert page.locator("#secret").inner_text() == endpoint.secret
    screenshot(page, "webhooks-secret-once")

    with page.expect_navigation():
        page.get_by_role("link", name="Go to the endpoint").click()
    assert endpoint.secret not in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Send a test event").click()
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.status == Delivery.Status.DELIVERED
    page.reload()
    row = page.locator("main table tbody tr").first
    assert "webhook.test" in row.inner_text() and "HTTP 204" in row.inner_text()
    [got] = receiver.received
    assert got.signed_with(endpoint.secret) and got.payload["type"] == "webhook.test"
    screenshot(page, "webhooks-endpoint-delivered")
