"""In Catalan, in Chromium: a supervisor lands on the board and sees the queue, the breached deadline and the failed
job (tests/supervision/test_board.py has the figures)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from viewflow.workflow.status import STATUS

from accounts.audit import Actor
from supervision.models import Heartbeat
from tests.supervision.conftest import a_change_on_a_new_customer, put_on_hold, url
from tests.supervision.test_board import created_ago
from tests.workflows.paperwork import power_of_attorney, staff, staff_actor, task_of, tasks_of, upload
from workflows import services as workflows


def _broken_plan(*, precheck_id):
    raise RuntimeError("disk /srv/x/y full")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_lands_on_the_board_in_catalan(new_page, log_in_staff, screenshot, monkeypatch):
    from documents import prechecks

    supervisor = staff("supervisors", "supervisor")
    verifier = staff("verifiers", "vera")
    processes = []
    for n in range(3):
        process = a_change_on_a_new_customer(900 + n)
        upload(process, power_of_attorney(process.customer, nif=process.new_id_number, name=process.new_name))
        workflows.submit_documents(process=process, actor=Actor.system("test"))
        processes.append(process)
    created_ago(processes[0], timezone.now() - timedelta(days=6))
    workflows.decide(
        task_id=task_of(process, "verify").pk, user=verifier, decision="approve", actor=staff_actor(verifier)
    )
    failed = a_change_on_a_new_customer(950)
    upload(failed, power_of_attorney(failed.customer))
    with monkeypatch.context() as patched:
        patched.setattr(prechecks, "_read_text_layers", lambda precheck, rows: False)
        patched.setattr(prechecks, "plan", _broken_plan)
        workflows.submit_documents(process=failed, actor=Actor.system("test"))
    assert tasks_of(failed, "precheck")[-1].status == STATUS.ERROR
    put_on_hold(a_change_on_a_new_customer(960))
    now = timezone.now()
    for name in ("worker:celery", "queue:celery", "worker:mail", "queue:mail"):
        Heartbeat.objects.create(name=name, sent_at=now, ran_at=now)
    page = new_page()
    log_in_staff(page, supervisor)
    assert page.url.endswith(url("board"))
    assert page.locator('[data-sv-queue="verify"]').get_attribute("data-count") == "2"
    assert page.locator('[data-sv-bucket="breached"]').get_attribute("data-count") == "1"
    assert page.locator("html").get_attribute("lang") == "ca"
    assert page.locator(f'[data-sv-failed-job="{failed.reference}"]').count() == 1
    screenshot(page, "supervision-board-ca")
