"""Every page and state of the customer area on a 390 px phone: nothing wider than the viewport (WCAG 1.4.10;
tables become stacked cards). Screenshots of each page at 1280 and 390 px, in Catalan, go to test-artifacts/ (or A11Y_SHOTS)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.customer_pages import CustomerArea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = Path(os.environ.get("A11Y_SHOTS") or Path(__file__).resolve().parents[2] / "test-artifacts")


def test_no_customer_page_scrolls_sideways_at_390_px(new_page, mail_link, submit):
    SHOTS.mkdir(parents=True, exist_ok=True)
    widths: dict[str, int] = {}
    overflow = f"document.documentElement.scrollWidth - Math.min(window.innerWidth, {PHONE['width']})"
    probe = new_page(viewport=PHONE, is_mobile=True, has_touch=True)  # the instrument sees a wide page
    probe.set_content('<meta name="viewport" content="width=device-width"><div style="width:600px">x</div>')
    assert probe.evaluate(overflow) > 0

    def check(name: str, page) -> None:
        page.screenshot(path=str(SHOTS / f"a11y-{name}-390.png"), full_page=True)
        # Against the phone's width too: a mobile browser may widen innerWidth to fit a page that overflows.
        widths[name] = page.evaluate(overflow)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(SHOTS / f"a11y-{name}-1280.png"), full_page=True)
        page.set_viewport_size(PHONE)

    phone = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
    area = CustomerArea(new_page=new_page, mail_link=mail_link, submit=submit, page_args=phone)
    area.visit(check)

    assert len(widths) >= 60, sorted(widths)
    assert {name: extra for name, extra in widths.items() if extra > 0} == {}
    assert area.unvisited_routes() == set()


HEADER_PARTS = """(() => Array.from(document.querySelectorAll('header .bar > *')).map((el) => {
  const r = el.getBoundingClientRect(); return [el.tagName + '.' + el.className, r.top, r.bottom, r.left, r.right];
}))()"""


def test_the_header_is_one_line_at_1280_px_and_stacks_within_390_px_in_every_language(new_page, submit):
    from tests import factories

    person = factories.person(login=True, name="Roser Puig Ferrer")
    factories.grant(customer=factories.customer(), person=person, role="representative")
    page = new_page()
    page.goto("/login/")
    form = page.locator("main form")
    form.locator("#id_id_number").fill(person.id_number)
    form.locator("#id_password").fill(factories.PASSWORD)
    submit(page, form, expect_url=r"/supplies/$")
    for language in ("ca", "es", "en"):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.select_option("#language-switcher", language)
        with page.expect_navigation(wait_until="load"):
            page.locator("form.language button[type=submit]").click()
        assert page.locator("html").get_attribute("lang") == language
        parts = page.evaluate(HEADER_PARTS)
        assert len(parts) == 3, parts  # the name, the menu, the language form
        tops = {round(top) for _name, top, *_rest in parts}
        middles = [(top + bottom) / 2 for _name, top, bottom, *_rest in parts]
        assert max(middles) - min(middles) < 8, (language, parts)  # one line
        assert page.evaluate("document.querySelector('header nav ul').getBoundingClientRect().height") < 50, tops
        page.set_viewport_size(PHONE)
        parts = page.evaluate(HEADER_PARTS)
        assert all(left >= 0 and right <= PHONE["width"] for _name, _top, _bottom, left, right in parts), parts
        assert [bottom <= next_top + 1 for (_n, _t, bottom, *_r), (_m, next_top, *_s) in zip(parts, parts[1:])] == [
            True,
            True,
        ], (language, parts)  # stacked: each part below the one before, none beside another
        assert page.evaluate(f"document.documentElement.scrollWidth <= {PHONE['width']}"), language
