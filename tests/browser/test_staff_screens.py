"""In Catalan, in Chromium: a supervisor opens a verification task's detail page (reached from the workspace's
breadcrumb) and the failed pre-check's page, whose "Retry" runs it again. Screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from viewflow.workflow.status import STATUS

from accounts.audit import Actor
from tests.supervision.conftest import a_change_on_a_new_customer
from tests.workflows.paperwork import power_of_attorney, staff, task_of, tasks_of, upload
from workflows import services

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _submitted(n: int):
    process = a_change_on_a_new_customer(n)
    upload(process, power_of_attorney(process.customer, nif=process.new_id_number, name=process.new_name))
    services.submit_documents(process=process, actor=Actor.system("test"))
    process.refresh_from_db()
    return process


def _broken_plan(*, precheck_id):
    raise RuntimeError("disk /srv/x/y full")


def test_a_supervisor_reads_a_verification_task_and_retries_a_failed_pre_check_in_catalan(
    page, log_in_staff, screenshot, monkeypatch
):
    from documents import prechecks

    supervisor = staff("supervisors", "supervisor")
    waiting = _submitted(1)
    with monkeypatch.context() as patched:
        patched.setattr(prechecks, "_read_text_layers", lambda precheck, rows: False)
        patched.setattr(prechecks, "plan", _broken_plan)
        failed = _submitted(2)
    job = tasks_of(failed, "precheck")[-1]
    assert job.status == STATUS.ERROR

    log_in_staff(page, supervisor)
    assert page.url.endswith("/staff/supervision/board/")  # a supervisor starts at the board
    page.goto(page.url.replace("/staff/supervision/board/", "/staff/workflow/queue/"))
    assert page.locator(".vf-dialog__trigger").count() == 0  # no empty "New process" dialog
    screenshot(page, "staff-queue-ca")
    page.goto(task_of(waiting, "verify").reverse("execute"))
    page.locator(".vw-crumbs a").nth(2).click()  # the workspace's breadcrumb to the task's detail
    page.wait_for_url("**/verify/*/detail/")
    page.wait_for_selector("md-outlined-text-field[icon=schedule]", state="attached")
    screenshot(page, "staff-verification-task-detail-ca")

    page.goto(job.reverse("detail"))
    body = page.content()
    assert "data-task-error" in body and "Traceback" not in body and "/srv/x" not in body
    screenshot(page, "staff-failed-job-detail-ca")
    page.locator("[data-task-retry]").first.click()
    page.wait_for_url("**/revive/")
    page.wait_for_selector("button[data-task-retry]")
    screenshot(page, "staff-retry-ca")
    page.locator("button[data-task-retry]").click()
    page.wait_for_url(lambda url: not url.endswith("/revive/"))
    job.refresh_from_db()
    assert job.status == STATUS.REVIVED
    screenshot(page, "staff-after-retry-ca")
