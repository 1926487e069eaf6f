"""A change of representative through a REAL Celery worker process on Redis: the pre-check job, its OCR pages
and the e-mails all run in the worker, joined in PostgreSQL; the verifier's approval then applies the change."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from viewflow.workflow.status import PROCESS, STATUS

from accounts.models import Grant
from documents.models import Precheck
from workflows import services

from .paperwork import (
    NEW_NIF,
    QUEUE_ENV,
    customer_actor,
    power_of_attorney,
    route_every_task_to,
    staff,
    staff_actor,
    start_change,
    task_of,
    task_summary,
    tasks_of,
    upload,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def wait_for(condition, timeout: float, what: str, worker) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.poll() is not None:
            break
        time.sleep(0.3)
    worker.terminate()
    pytest.fail(f"{what} did not happen within {timeout} s; worker output:\n{worker.communicate(timeout=30)[0]}")


@pytest.fixture
def worker(settings, tmp_path):
    """A `celery worker` process of our own, on a queue of our own, sharing the test database and document store."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database server shared with the test")
    from backoffice.celery import app

    broker = app.conf.broker_url
    if not broker or broker.startswith(("filesystem", "safefs")):
        pytest.skip("needs a broker server (CELERY_BROKER_URL=redis://...)")
    db = connection.settings_dict
    queue = f"flowtest-{uuid.uuid4().hex[:12]}"
    old_routes = app.conf.task_routes
    route_every_task_to(app, queue)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    var_dir = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | {
        "BACKOFFICE_VAR_DIR": str(var_dir),
        "CELERY_BROKER_URL": broker,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DOCUMENTS_ROOT": settings.STORAGES["documents"]["OPTIONS"]["location"],
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        QUEUE_ENV: queue,
    }
    process = subprocess.Popen(
        [
            CELERY,
            "-A",
            "backoffice",
            "worker",
            "-Q",
            queue,
            "-c",
            "2",
            "-l",
            "info",
            "-I",
            "tests.workflows.paperwork",
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.mail_dir = var_dir / "mail"
    try:
        yield process
    finally:
        app.conf.task_always_eager = True
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        app.conf.task_routes = old_routes
        app.amqp.flush_routes()
        app.amqp.router = app.amqp.Router()
        try:
            from kombu import Queue

            with app.connection_for_write() as conn:
                Queue(queue, channel=conn.default_channel).delete()
        except Exception:  # best effort: an empty Redis list is gone anyway
            pass


def mails(worker) -> str:
    folder = worker.mail_dir
    return "\n".join(p.read_text() for p in folder.iterdir()) if folder.exists() else ""


def scanned(pdf: bytes) -> bytes:
    """The PDF's first page as a 200 dpi greyscale PNG: a page with no text layer, so it needs OCR."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=200 / 72, grayscale=True).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(200, 200))
    return buffer.getvalue()


def test_a_representative_change_goes_through_a_real_worker(story, worker):
    """A text-layer PDF (read inside the job) and a scan of it (the OCR queue's tasks: plan, then read with Tesseract)."""
    verifier = staff("verifiers")
    process = start_change(story)
    document = power_of_attorney(story.customer)
    upload(process, document)
    upload(process, scanned(document), name="escaneig.png")
    services.submit_documents(process=process, actor=customer_actor(story.representative))
    [job] = tasks_of(process, "precheck")
    assert job.status == STATUS.SCHEDULED  # nothing ran in this process

    wait_for(lambda: task_of(process, "verify") is not None, 120, "the pre-check reaching verification", worker)
    process.refresh_from_db()
    job.refresh_from_db()
    assert job.status == STATUS.DONE, task_summary(process)
    assert process.precheck.status == Precheck.Status.DONE and process.precheck.verdict == "clear", (
        process.precheck.result
    )

    process = services.decide(
        task_id=task_of(process, "verify").pk, user=verifier, decision="approve", actor=staff_actor(verifier)
    )
    assert process.outcome == "applied" and process.status == PROCESS.DONE, task_summary(process)
    assert (
        Grant.objects.get(customer=story.customer, role="representative", revoked_at__isnull=True).person.id_number
        == NEW_NIF
    )

    # the e-mails went out through the worker too: received, approved, welcome, replaced
    wait_for(lambda: mails(worker).count("To: ") >= 4, 60, "the e-mails being sent", worker)
    sent = mails(worker)
    for address in ("rep@example.com", "marta@example.com", story.representative.email):
        assert f"To: {address}" in sent, sent
    worker.terminate()
    output = worker.communicate(timeout=30)[0]
    assert f"workflows.run_precheck[{job.external_task_id}] succeeded" in output, output
    assert "read_page_task" in output and "plan_precheck_task" in output, output  # the scan went through the OCR tasks
    assert process.precheck.pages_total == 2 and process.precheck.pages_done >= 1
