"""The pages of explanations and confirmations, looked at in Catalan at 1280 and 390 px: the contacts page with its
table of roles and a pending invitation, the deactivation confirmation, the profile and the 404 page.
At 390 px no page scrolls sideways."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f
from tests.factories import Story

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", WIDTHS)
def test_the_explanation_pages_fit_and_read_well(new_page, live_server, screenshot, size):
    story = Story()
    f.grant(customer=story.customer, person=f.person(login=False, name="Ona Pendent"), role="authorised_readonly")
    page = new_page(viewport=WIDTHS[size], locale="ca-ES")
    page.goto(live_server.url + reverse("portal:login"))
    page.locator("#id_id_number").fill(story.representative.id_number)
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/supplies/")
    pages = {
        "contacts": reverse("portal:contacts", args=[story.customer.pk]),
        "deactivate-manager": reverse("portal:deactivate_contact", args=[story.customer.pk, story.manager_grant.pk]),
        "profile": reverse("portal:profile"),
        "not-found": "/no/such/page/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        screenshot(page, f"voice-{name}-{size}")
        if size == "phone":
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    assert "Colla Borator" in page.goto(live_server.url + pages["deactivate-manager"]).text()
