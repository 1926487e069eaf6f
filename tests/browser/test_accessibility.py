"""axe-core on every page and state of the customer area (Catalan, 1280 px): no serious or critical violation.

The pages and their data come from ``customer_pages.CustomerArea`` (shared with the 390 px reflow pass). Minor and
moderate findings are printed, not asserted."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.customer_pages import NOT_PAGES, CustomerArea, customer_routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: WCAG 2.0/2.1 A and AA, plus axe's best practices (landmarks, one h1, headings in order...).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}


def test_no_customer_page_has_a_serious_or_critical_accessibility_violation(new_page, mail_link, submit):
    axe = Axe()
    probe = new_page()  # the instrument first: it must see a list made an alert and an unlabelled field
    probe.set_content('<html lang="ca"><body><main><ul role="alert"><li>x</li></ul><input></main></body></html>')
    found = {v["id"] for v in axe.run(probe, options=AXE_OPTIONS).response["violations"]}
    assert {"aria-allowed-role", "label"} <= found or {"list", "label"} <= found, found
    seen: dict[str, list[dict]] = {}

    def check(name: str, page) -> None:
        assert name not in seen, f"page {name!r} visited twice"
        seen[name] = axe.run(page, options=AXE_OPTIONS).response["violations"]

    area = CustomerArea(new_page=new_page, mail_link=mail_link, submit=submit, page_args={"bypass_csp": True})
    area.visit(check)

    blocking, minor = [], []
    for name, violations in seen.items():
        for violation in violations:
            line = f"{name}: {violation['id']} ({violation['impact']}) {violation['help']} - " + " | ".join(
                " ".join(node["target"]) for node in violation["nodes"][:5]
            )
            (blocking if violation["impact"] in BLOCKING else minor).append(line)
    print("\n".join(["minor or moderate findings:", *minor] if minor else ["no minor or moderate findings"]))
    assert len(seen) >= 60, sorted(seen)
    assert not blocking, "\n".join(blocking)
    assert area.unvisited_routes() == set()


def test_keyboard_users_skip_to_the_content_and_always_see_the_focus(page):
    page.goto("/login/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0  # shown on focus, not left off-screen
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    reached = []
    while len(reached) < 30:  # every control reached by Tab, up to the footer's last link, shows a focus outline
        page.keyboard.press("Tab")
        tag, outline, width = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
        )
        if tag == "BODY":
            break
        assert outline != "none" and width >= 2, (reached, tag, outline)
        reached.append(tag)
    assert {"INPUT", "BUTTON", "A"} <= set(reached), reached
    assert page.locator("#language-switcher option[lang=es]").count() == 1
    page.select_option("#language-switcher", "es")
    page.wait_for_timeout(200)
    assert page.locator("html").get_attribute("lang") == "ca"  # choosing does not change the page (3.2.2) ...
    with page.expect_navigation(wait_until="load"):
        page.locator("form.language button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == "es"  # ... the button does


def test_the_walk_leaves_out_only_routes_that_are_no_page():
    """The walk's exclusions are real routes (a renamed one would silently widen the gap) and few."""
    routes = customer_routes()
    assert set(NOT_PAGES) <= routes, set(NOT_PAGES) - routes
    assert len(routes) - len(NOT_PAGES) >= 30
    assert all(why for why in NOT_PAGES.values())


def test_after_a_submit_with_errors_the_focus_lands_on_the_summary_and_each_link_on_its_field(page):
    page.goto("/register/")
    form = page.locator("main form")
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").click()
    summary = page.locator("[data-error-summary]")
    assert summary.count() == 1 and summary.get_attribute("role") == "alert"
    page.wait_for_function("document.activeElement && document.activeElement.hasAttribute('data-error-summary')")
    assert page.evaluate("document.activeElement.id") == summary.get_attribute("id")
    links = summary.locator("a[href^='#']")
    assert links.count() >= 1
    targets = [links.nth(n).get_attribute("href")[1:] for n in range(links.count())]
    for n, target in enumerate(targets):
        links.nth(n).click()
        assert page.evaluate("document.activeElement.id") == target, (
            target,
            page.evaluate("document.activeElement.id"),
        )
        assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
    # By keyboard too: from the summary, Tab reaches its first link, and Enter moves the focus to the field.
    page.evaluate("document.querySelector('[data-error-summary]').focus()")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"#{targets[0]}"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == targets[0]
    shown = page.evaluate(
        f"(() => {{ const r = document.querySelector('label[for={targets[0]}]').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; })()"
    )
    assert shown, "the field's label scrolled out of sight"
