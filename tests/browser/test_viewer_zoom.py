"""The viewer's own zoom sharpens the page: past 100% the preview is swapped for the page rendered at 200, then
300 dpi (the same page URL with ?dpi=), loaded through the verifier's session; the per-page 300 dpi link stays."""

from __future__ import annotations

import pytest

from tests.browser.test_request_journeys import open_task_from_queue, wait_for_page_images
from tests.browser.test_verifier_tools import _phone_request_waiting_for_verification
from tests.workflows.paperwork import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOWN_IMAGE = "[data-vw-page]:not([hidden]) .vw-sheet img"


def _loaded(page) -> dict:
    page.wait_for_function(
        "sel => { const img = document.querySelector(sel); return img.complete && img.naturalWidth > 0; }",
        arg=SHOWN_IMAGE,
        timeout=20_000,
    )
    return page.eval_on_selector(SHOWN_IMAGE, "img => ({src: img.getAttribute('src'), width: img.naturalWidth})")


def _zoom_to(page, percent: int) -> None:
    for _ in range(20):
        if page.locator("[data-vw-zoom]").inner_text().strip() == f"{percent}%":
            return
        page.locator("[data-vw-action=zoom-in]").click()
    raise AssertionError(f"the zoom never read {percent}%")


def test_a_verifier_zooms_past_100_percent_and_the_page_turns_sharp(new_page, log_in_staff, screenshot):
    process = _phone_request_waiting_for_verification()
    page = new_page(locale="ca-ES")
    log_in_staff(page, staff("verifiers", "vera"))
    open_task_from_queue(page, process, "verify")
    wait_for_page_images(page)
    preview = _loaded(page)
    assert "dpi=" not in preview["src"]
    preview_width = int(page.locator("[data-vw-page]:not([hidden])").first.get_attribute("data-width"))

    _zoom_to(page, 100)
    assert "dpi=" not in _loaded(page)["src"]  # at 100% the preview's own pixels are sharp enough

    _zoom_to(page, 125)
    at_200 = _loaded(page)
    assert at_200["src"] == f"{preview['src']}?dpi=200" and at_200["width"] > 1.5 * preview_width

    _zoom_to(page, 250)
    at_300 = _loaded(page)
    assert at_300["src"] == f"{preview['src']}?dpi=300" and at_300["width"] > 2.5 * preview_width

    page.locator("[data-vw-action=fit]").click()
    assert _loaded(page)["src"].endswith("dpi=300")  # never back to a blurrier image once loaded
    assert page.locator("a[data-vw-zoom-hd='0']").first.get_attribute("href").endswith("?dpi=300")  # the link stays
    _zoom_to(page, 250)
    screenshot(page, "staff2-viewer-zoom-300dpi-ca")
