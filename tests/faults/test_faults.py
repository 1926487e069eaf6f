"""Faults injected into real parts -- Redis, the workers, S3, mail servers -- and the end state each must reach.

Every test starts from a fresh private Redis and its own workers (conftest.py); the request's flow, its
pre-check and its e-mails then run as in production. ``parts.recovered`` notes each time to recover for
``benchmarks/fault_recovery.py``.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from viewflow.workflow.status import STATUS

from accounts import notifications
from documents.models import Precheck, PrecheckPage
from outbox import services as outbox
from outbox.models import Delivery, Email, Message
from outbox.tasks import reconcile
from tests.workflows.paperwork import customer_actor, start_change, task_of, tasks_of, upload
from workflows import services

from . import parts
from .conftest import EMAIL_TIMEOUT, VISIBILITY_TIMEOUT

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

READ_PAGE = "documents.tasks.read_page_task"


def submit(story, process, content: bytes):
    upload(process, content)
    return services.submit_documents(process=process, actor=customer_actor(story.representative))


def at_verification(process) -> bool:
    """The pre-check job is DONE and the request waits for a verifier."""
    jobs = tasks_of(process, "precheck")
    return bool(jobs) and jobs[-1].status == STATUS.DONE and task_of(process, "verify") is not None


def emails_sent_once(smtp) -> bool:
    rows = list(Email.objects.all())
    return bool(rows) and all(row.status == Email.Status.SENT for row in rows) and len(smtp.received) == len(rows)


def assert_right_verdict(process) -> None:
    process.refresh_from_db()
    precheck = Precheck.objects.get(pk=process.precheck_id)
    assert precheck.status == Precheck.Status.DONE and precheck.verdict == "clear", precheck.result
    assert not precheck.pages.exclude(status__in=[PrecheckPage.Status.DONE, PrecheckPage.Status.SKIPPED]).exists()


def started_page():
    """The page a worker is reading now, or None."""
    return PrecheckPage.objects.filter(status=PrecheckPage.Status.QUEUED, started_at__isnull=False).first()


def starts_of(page) -> int:
    """How many times workers started the first delivery of ``page``'s message."""
    task_ids = Message.objects.filter(task=READ_PAGE, args=[page.pk]).values_list("task_id", flat=True)
    return sum(
        Delivery.objects.filter(key__in=[f"{task_id}:0" for task_id in task_ids]).values_list("count", flat=True)
    )


def reading_child(worker: parts.Process) -> int | None:
    """The pool child of ``worker`` that runs tesseract now (or the worker itself, solo), or None."""
    for pid in [worker.pid, *worker.children()]:
        if any(_command(child).startswith("tesseract") for child in parts.children(pid)):
            return pid
    return None


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().split(b"\0")[0].decode().rsplit("/", 1)[-1]
    except OSError:
        return ""


def test_broker_down_at_start_and_submit_loses_nothing(story, stack, redis, smtp, scanned_document):
    redis.stop()
    began = time.monotonic()
    process = start_change(story)
    submit(story, process, scanned_document(story.customer))
    assert time.monotonic() - began < 30  # the web side never waits for a broker that is down
    waiting = set(Message.objects.filter(relayed_at__isnull=True).values_list("task", flat=True))
    assert {"accounts.tasks.deliver_emails", "workflows.run_precheck"} <= waiting, waiting

    redis.start()
    worker, relay = stack.worker(), stack.relay()
    took = parts.wait_for(
        lambda: at_verification(process) and emails_sent_once(smtp),
        timeout=90,
        what="request at verification, e-mail sent",
        logs=[worker, relay],
    )
    parts.recovered("broker down at start and submit", took)
    assert_right_verdict(process)
    time.sleep(2)
    assert emails_sent_once(smtp) and len(smtp.to("rep@example.com")) == 1


def test_messages_lost_with_a_restarted_broker_are_driven_again(story, stack, redis, smtp, scanned_document):
    process = start_change(story)
    submit(story, process, scanned_document(story.customer))
    parts.wait_for(lambda: outbox.pending_count() == 0 and redis.queued() >= 2, timeout=30, what="messages relayed")
    redis.restart()
    assert redis.queued() == 0
    worker = stack.worker()
    restarted = time.monotonic()

    def driven_again() -> bool:
        reconcile()  # what beat runs every minute
        return at_verification(process) and emails_sent_once(smtp)

    parts.wait_for(driven_again, timeout=90, what="request re-driven to verification", logs=[worker])
    parts.recovered("broker restarted without persistence (reconciled)", time.monotonic() - restarted)
    assert_right_verdict(process)
    assert len(smtp.to("rep@example.com")) == 1


def test_a_hanging_broker_does_not_hold_the_caller(stack, redis, smtp):
    redis.pause()
    try:
        began = time.monotonic()
        email = notifications.send_after_commit(
            to="hang@example.com", template="password_reset", context={"name": "Hang", "link": "/x/"}, language="es"
        )
        took = time.monotonic() - began
    finally:
        redis.resume()
    assert Message.objects.filter(relayed_at__isnull=True).count() == 1  # the row stays for the relay
    resumed = time.monotonic()
    worker, relay = stack.worker(), stack.relay()
    parts.wait_for(
        lambda: Email.objects.filter(pk=email.pk, status=Email.Status.SENT).exists(),
        timeout=60,
        what="e-mail sent after SIGCONT",
        logs=[worker, relay],
    )
    parts.recovered("broker frozen (SIGSTOP)", time.monotonic() - resumed)
    assert len(smtp.to("hang@example.com")) == 1
    # At most the connect timeout plus one socket timeout (2 + 5 s by default): a read timeout is not retried.
    assert took < 10, f"the caller waited {took:.1f} s on a hanging broker"


def test_a_pool_child_killed_while_reading_a_page_reads_it_again(story, stack, smtp, scanned_document):
    worker, relay = stack.worker(prefork=2), stack.relay()
    process = start_change(story)
    submit(story, process, scanned_document(story.customer))
    reader: dict[str, int] = {}

    def reading() -> bool:
        # the pid is kept as found: looked up again, the child may have just finished its page (seen on Python 3.12)
        pid = reading_child(worker)
        if pid is not None and started_page() is not None:
            reader["pid"] = pid
            return True
        return False

    parts.wait_for(reading, timeout=60, what="a pool child reading a page", logs=[worker, relay])
    page = started_page()
    os.kill(reader["pid"], signal.SIGKILL)
    killed = time.monotonic()
    parts.wait_for(lambda: at_verification(process), timeout=90, what="request at verification", logs=[worker, relay])
    parts.recovered("pool child SIGKILLed mid-page", time.monotonic() - killed)
    assert_right_verdict(process)
    assert starts_of(page) >= 2  # redelivered, not recorded unreadable


def test_a_worker_killed_mid_task_is_redelivered_after_the_visibility_timeout(story, stack, smtp, scanned_document):
    worker, relay = stack.worker(), stack.relay()
    process = start_change(story)
    submit(story, process, scanned_document(story.customer))
    parts.wait_for(
        lambda: reading_child(worker) is not None and started_page() is not None,
        timeout=60,
        what="the worker reading a page",
        logs=[worker, relay],
    )
    page = started_page()
    worker.signal(signal.SIGKILL)
    worker.popen.wait(10)
    # A worker scans for unacknowledged messages at start, then only every 10 x 10 s (kombu's
    # unacked_restore_interval x unacked_restore_throttle): start it once the message is older than the timeout.
    time.sleep(max(0.0, VISIBILITY_TIMEOUT + 1 - (timezone.now() - page.started_at).total_seconds()))
    worker = stack.worker()
    restarted = time.monotonic()
    parts.wait_for(lambda: at_verification(process), timeout=90, what="request at verification", logs=[worker, relay])
    parts.recovered("worker SIGKILLed mid-task (visibility timeout)", time.monotonic() - restarted)
    assert_right_verdict(process)
    assert starts_of(page) == 2


def test_a_worker_told_to_stop_finishes_its_task_first(story, stack, smtp, scanned_document):
    worker, relay = stack.worker(), stack.relay()
    process = start_change(story)
    submit(story, process, scanned_document(story.customer))
    parts.wait_for(
        lambda: reading_child(worker) is not None and started_page() is not None,
        timeout=60,
        what="the worker reading a page",
        logs=[worker, relay],
    )
    page = started_page()
    worker.signal(signal.SIGTERM)
    worker.popen.wait(60)
    page.refresh_from_db()
    assert page.status == PrecheckPage.Status.DONE and starts_of(page) == 1, worker.tail()
    worker = stack.worker()
    parts.wait_for(
        lambda: at_verification(process) and emails_sent_once(smtp),
        timeout=60,
        what="request at verification",
        logs=[worker, relay],
    )
    assert_right_verdict(process)


def test_a_locked_request_moves_on_once_the_lock_is_released(story, stack, smtp, scanned_document):
    worker, relay = stack.worker(), stack.relay()
    process = start_change(story)
    submit(story, process, scanned_document(story.customer))
    parts.wait_for(lambda: started_page() is not None, timeout=60, what="a page being read", logs=[worker, relay])
    process.refresh_from_db()
    with transaction.atomic():
        type(process).objects.select_for_update().get(pk=process.pk)  # a verifier holds the request
        parts.wait_for(
            lambda: Precheck.objects.filter(pk=process.precheck_id, status=Precheck.Status.DONE).exists(),
            timeout=60,
            what="pre-check done",
            logs=[worker, relay],
        )
        time.sleep(14)  # continue_after_precheck meets the lock (Viewflow tries ~6-10 s), then retries in 5 s
        assert tasks_of(process, "precheck")[-1].status == STATUS.STARTED
    released = time.monotonic()
    parts.wait_for(lambda: at_verification(process), timeout=60, what="request at verification", logs=[worker, relay])
    parts.recovered("request locked when the pre-check finished", time.monotonic() - released)
    assert_right_verdict(process)
    continue_ids = Message.objects.filter(task="workflows.tasks.continue_after_precheck").values_list(
        "task_id", flat=True
    )
    assert Delivery.objects.filter(key__in=[f"{task_id}:1" for task_id in continue_ids]).exists()  # it was retried


def test_storage_down_while_a_page_is_read_is_retried(story, s3, stack, smtp, scanned_document):
    flow_worker, relay = stack.worker(queues="celery,mail"), stack.relay()
    process = start_change(story)
    submit(story, process, scanned_document(story.customer))
    parts.wait_for(
        lambda: PrecheckPage.objects.filter(status=PrecheckPage.Status.QUEUED).exists(),
        timeout=60,
        what="a page queued",
        logs=[flow_worker, relay],
    )
    s3.stop()
    ocr_worker = stack.worker(queues="ocr")
    page = PrecheckPage.objects.get(status=PrecheckPage.Status.QUEUED)
    parts.wait_for(
        lambda: PrecheckPage.objects.filter(pk=page.pk, started_at__isnull=False).exists(),
        timeout=60,
        what="the page tried while S3 is down",
        logs=[ocr_worker],
    )
    time.sleep(2)
    s3.start()
    back = time.monotonic()
    parts.wait_for(
        lambda: at_verification(process),
        timeout=90,
        what="request at verification",
        logs=[flow_worker, ocr_worker, relay],
    )
    parts.recovered("S3 down while a page is read", time.monotonic() - back)
    assert_right_verdict(process)
    page.refresh_from_db()
    assert page.error == ""


def test_mail_server_down_then_up_sends_each_email_once(stack, smtp):
    down = parts.SmtpServer()  # not started: its port is closed
    worker, relay = stack.worker(EMAIL_PORT=str(down.port)), stack.relay()
    email = notifications.send_after_commit(
        to="down@example.com", template="password_reset", context={"name": "Down", "link": "/x/"}, language="es"
    )
    parts.wait_for(
        lambda: Email.objects.filter(pk=email.pk, attempts__gte=1).exists(),
        timeout=60,
        what="a first attempt",
        logs=[worker, relay],
    )
    email.refresh_from_db()
    assert email.status == Email.Status.QUEUED and "refused" in email.error.lower(), email.error
    down.start()
    try:
        up = time.monotonic()
        Email.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())  # its retry is due (60 s back-off)
        assert notifications.redrive() == 1
        parts.wait_for(
            lambda: Email.objects.filter(pk=email.pk, status=Email.Status.SENT).exists(),
            timeout=60,
            what="e-mail sent",
            logs=[worker, relay],
        )
        parts.recovered("mail server down", time.monotonic() - up)
        for message in Message.objects.filter(task="accounts.tasks.deliver_emails"):
            outbox.offer(message)  # every delivery message reaches the worker once more
        time.sleep(3)
        assert len(down.to("down@example.com")) == 1
    finally:
        down.stop()


def test_a_refused_recipient_fails_alone(stack):
    server = parts.SmtpServer(refuse={"nobody@example.com"})
    server.start()
    try:
        addresses = ["one@example.com", "nobody@example.com", "two@example.com"]
        emails = [
            outbox.queue_email(to=to, template="password_reset", context={"name": "N", "link": "/x/"}, language="es")
            for to in addresses
        ]
        with override_settings(EMAIL_PORT=server.port):
            outcomes = [notifications.deliver(email_id=email.pk) for email in emails]
    finally:
        server.stop()
    assert outcomes == ["sent", "failed", "sent"]
    refused = Email.objects.get(to="nobody@example.com")
    assert refused.status == Email.Status.FAILED and "550" in refused.error
    assert [len(server.to(to)) for to in addresses] == [1, 0, 1]


def test_a_hanging_mail_server_does_not_hold_the_worker(stack):
    server = parts.SmtpServer(mode="hang")
    server.start()
    try:
        email = outbox.queue_email(
            to="slow@example.com", template="password_reset", context={"name": "N", "link": "/x/"}, language="es"
        )
        began = time.monotonic()
        with override_settings(EMAIL_PORT=server.port):
            outcome = notifications.deliver(email_id=email.pk)
        took = time.monotonic() - began
    finally:
        server.stop()
    email.refresh_from_db()
    assert outcome == "waiting" and email.status == Email.Status.QUEUED
    assert "timed out" in email.error.lower(), email.error
    assert took < EMAIL_TIMEOUT + 3, took


def test_a_message_that_kills_every_worker_is_stopped(stack, tmp_path):
    worker = stack.worker(prefork=1, queues="celery")
    marker = tmp_path / "poison.starts"
    message = outbox.publish("tests.faults.poison.kill_my_worker", args=[str(marker)])
    poisoned = marker.with_suffix(".poisoned")
    parts.wait_for(poisoned.exists, timeout=90, what="the poison message stopped", logs=[worker])
    time.sleep(2)
    assert marker.read_text().count("started") == 3  # TASK_MAX_DELIVERIES in the worker's environment
    assert Delivery.objects.get(key=f"{message.task_id}:0").count == 4
