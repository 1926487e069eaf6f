"""A supervisor opens the stuck-work page from the menu and reads what needs a person: an e-mail a mail server
refused for good, with its reason, and messages the broker has not taken; a verifier is refused the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from outbox.models import Email, Message
from tests.workflows.paperwork import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_reads_the_stuck_work_and_a_verifier_may_not(new_page, screenshot, log_in_staff):
    Email.objects.create(
        key="refused",
        to="gone@example.com",
        template="request_outcome",
        language="ca",
        request_ref="RC0000000042",
        status=Email.Status.FAILED,
        error="550 5.1.1 <gone@example.com>: user unknown",
    )
    Message.objects.create(
        task="documents.tasks.read_page_task",
        args=[1],
        task_id="waiting",
        created_at=timezone.now() - timedelta(minutes=20),
    )
    desk = new_page()
    log_in_staff(desk, staff("supervisors"))
    desk.goto("/staff/supervision/stuck/")
    assert desk.locator("[data-sv-failed-email]").count() == 1
    assert "550 5.1.1" in desk.locator("[data-sv-failed-email]").inner_text()
    assert desk.locator('[data-sv-waiting="1"]').count() == 1
    screenshot(desk, "supervision-stuck-work")

    other = new_page()
    log_in_staff(other, staff("verifiers", "vera"))
    response = other.goto("/staff/supervision/stuck/")
    assert response.status == 403
