"""The API reference page in Chromium: in the reader's language, one block per operation under a heading, the
blocks apart from each other, grouped by resource; readable at 390 px. Screenshots: test-artifacts/api-docs-*.png."""

from __future__ import annotations

import pytest

from api.docs import _groups, _schema

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("locale", "started"), [("ca-ES", "Per començar"), ("es-ES", "Para empezar")])
def test_each_operation_is_its_own_block_under_its_resource_in_the_readers_language(
    new_page, screenshot, locale, started
):
    page = new_page(locale=locale)
    page.goto("/api/v1/docs/")
    assert page.locator("html").get_attribute("lang") == locale[:2]
    assert page.locator("h2#api-start").inner_text() == started
    groups = _groups(_schema())
    assert page.locator("h2.api-group").count() == len(groups)
    blocks = page.locator("article.api-op")
    assert blocks.count() == sum(len(group["ops"]) for group in groups)
    boxes = [blocks.nth(n).bounding_box() for n in range(blocks.count())]
    # one after the other, never touching: a visible gap between each block and the next
    assert all(after["y"] - (before["y"] + before["height"]) >= 8 for before, after in zip(boxes, boxes[1:]))
    for n in range(blocks.count()):
        block = blocks.nth(n)
        assert block.locator("h3").count() == 1 and block.locator(".api-method").inner_text() in {
            "GET",
            "POST",
            "PUT",
            "PATCH",
            "DELETE",
        }
    assert blocks.first.evaluate("e => getComputedStyle(e).borderLeftWidth") == "5px"
    screenshot(page, f"api-docs-{locale[:2]}-1280")


def test_the_reference_reflows_at_390_px(new_page, screenshot):
    page = new_page(viewport={"width": 390, "height": 800})
    page.goto("/api/v1/docs/")
    screenshot(page, "api-docs-ca-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
