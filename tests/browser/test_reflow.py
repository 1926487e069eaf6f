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
    CustomerArea(new_page=new_page, mail_link=mail_link, submit=submit, page_args=phone).visit(check)

    assert len(widths) >= 30, sorted(widths)
    assert {name: extra for name, extra in widths.items() if extra > 0} == {}
