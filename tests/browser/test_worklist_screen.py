"""In Chromium, in Catalan then in Spanish: a verifier lands on the work queue, filters it, saves the filters as a view,
presses "Take next" and lands on the task due first; a second verifier's "Take next" gives them the next one
(tests/workflows/test_worklist.py has the rules). Screenshots in test-artifacts/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.audit import Actor
from tests.supervision.conftest import a_change_on_a_new_customer
from tests.supervision.test_board import created_ago
from tests.workflows.paperwork import power_of_attorney, staff, task_of, upload
from workflows import services
from workflows.models import SavedView

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

QUEUE = reverse("staff:workflow:worklist")


def _at_verification(n: int, *, days_old: float = 0, channel: str = "portal"):
    process = a_change_on_a_new_customer(n)
    upload(process, power_of_attorney(process.customer, nif=process.new_id_number, name=process.new_name))
    services.submit_documents(process=process, actor=Actor.system("test"))
    if channel != "portal":
        type(process).objects.filter(pk=process.pk).update(channel=channel)
    created_ago(process, timezone.now() - timedelta(days=days_old))
    return process


def _rows(page) -> list[str]:
    return [row.get_attribute("data-worklist-row") for row in page.locator("[data-worklist-row]").all()]


def test_a_verifier_filters_saves_a_view_and_takes_the_task_due_first(new_page, log_in_staff, screenshot, submit):
    oldest = _at_verification(1, days_old=6)
    by_phone = _at_verification(2, days_old=1, channel="phone")
    newest = _at_verification(3)
    vera = staff("verifiers", "vera")

    page = new_page(locale="ca-ES")
    log_in_staff(page, vera)
    assert page.url.endswith(QUEUE)  # a verifier starts the day at the work queue
    assert page.locator("html").get_attribute("lang") == "ca"
    assert _rows(page) == [oldest.reference, by_phone.reference, newest.reference]
    assert page.locator(f'[data-worklist-row="{oldest.reference}"]').get_attribute("data-bucket") == "breached"
    assert page.locator('[data-worklist-menu="queue"] [data-count]').get_attribute("data-count") == "3"
    assert page.locator('[data-worklist-menu="overdue"] [data-count]').get_attribute("data-count") == "1"
    screenshot(page, "worklist-queue-ca")

    filters = page.locator("form[data-worklist-filters]")
    filters.locator("select[name=channel]").select_option("phone")
    submit(page, filters, expect_url=r"channel=phone")
    assert _rows(page) == [by_phone.reference]

    save = page.locator("form[data-worklist-save]")
    save.locator("input[name=name]").fill("Telèfon")
    submit(page, save, expect_url=r"channel=phone")
    assert SavedView.objects.get(user=vera).query == "channel=phone"
    assert page.locator('[data-worklist-view="Telèfon"]').count() == 1
    assert page.locator("[data-worklist-messages]").count() == 1 and page.locator("vf-snackbar").count() == 0
    screenshot(page, "worklist-saved-view-ca")

    page.locator("form[data-worklist-take] button").click()
    page.wait_for_url(f"**{task_of(oldest, 'verify').reverse('execute')}")
    assert task_of(oldest, "verify").owner_id == vera.pk
    screenshot(page, "worklist-take-next-ca")

    page.goto(QUEUE)
    page.locator('[data-worklist-view="Telèfon"] a').click()
    page.wait_for_url("**?channel=phone")
    assert _rows(page) == [by_phone.reference]

    victor = staff("verifiers", "victor")
    page = new_page(locale="es-ES")
    log_in_staff(page, victor)
    assert page.url.endswith(QUEUE) and page.locator("html").get_attribute("lang") == "es"
    assert page.locator(f'[data-worklist-row="{oldest.reference}"]').get_attribute("data-bucket") == "breached"
    screenshot(page, "worklist-queue-es")
    page.locator("form[data-worklist-take] button").click()
    page.wait_for_url(f"**{task_of(by_phone, 'verify').reverse('execute')}")  # the oldest is Vera's already
    assert task_of(by_phone, "verify").owner_id == victor.pk
    screenshot(page, "worklist-take-next-es")
    page.goto(QUEUE + "?assignee=mine")
    assert _rows(page) == [by_phone.reference]
    screenshot(page, "worklist-mine-es")
