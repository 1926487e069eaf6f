"""A representative makes an API token for their gestoria software, sees it once, uses it, and revokes it.

From the profile page to the tokens page; the token works from outside (Playwright's request client, no cookies)
until it is revoked; the tokens page and the API reference page have no serious or critical axe violation.
Screenshots: ``test-artifacts/api-*`` (1280 px and 390 px)."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # beside the other browser tests' screenshots
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def _serious(page) -> list[str]:
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in ("serious", "critical")]


def test_a_token_is_made_shown_once_used_and_revoked(new_page, submit, live_server):
    SHOTS.mkdir(exist_ok=True)
    customer = factories.customer()
    representative = factories.person(login=True, language="en")
    factories.grant(customer=customer, person=representative, role="representative")

    page = new_page(locale="en-GB")
    page.goto("/login/")
    form = page.locator("main form")
    form.locator("#id_id_number").fill(representative.id_number)
    form.locator("#id_password").fill(factories.PASSWORD)
    submit(page, form)
    page.goto("/profile/")
    with page.expect_navigation():
        page.locator("main a[href='/profile/tokens/']").click()

    form = page.locator("main form:has(#id_name)")
    form.locator("#id_name").fill("Gestoria ERP")
    form.locator("input[name=scope][value=write]").check()
    submit(page, form)
    secret = page.locator("#token-value").input_value()
    assert secret.startswith("eab_")
    page.screenshot(path=str(SHOTS / "api-tokens-created-1280.png"), full_page=True)
    assert _serious(page) == []

    api = page.context.request
    headers = {"Authorization": f"Bearer {secret}", "Accept-Language": "en", "Cookie": ""}
    answer = api.get(f"{live_server.url}/api/v1/customers/", headers=headers)
    assert answer.status == 200 and answer.json()["results"][0]["id"] == customer.pk

    page.reload()
    assert page.locator("#token-value").count() == 0  # shown once
    row = page.locator("main table tbody tr", has_text="Gestoria ERP")
    assert "Never" not in row.inner_text()
    page.set_viewport_size({"width": 390, "height": 800})
    page.screenshot(path=str(SHOTS / "api-tokens-list-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    with page.expect_navigation():
        row.locator("button.danger").click()
    assert "Revoked" in page.locator("main table tbody tr", has_text="Gestoria ERP").inner_text()
    refused = api.get(f"{live_server.url}/api/v1/customers/", headers=headers)
    assert refused.status == 401 and refused.json()["error"]["code"] == "token_revoked"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/api/v1/docs/")
    assert page.locator("h1").count() == 1
    page.screenshot(path=str(SHOTS / "api-reference-1280.png"))
    assert _serious(page) == []
