"""CeleryJob: a flow step run by Celery, its message written with the step and sent after commit, idempotent, retryable."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from tests.workflows.jobflow import JobFlow, JobOnErrorFlow, mark_process
from workflows.nodes import complete_job, fail_job, retry_job

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


@pytest.fixture
def enqueued(monkeypatch):
    """Record every job message handed to the broker (and still send it)."""
    from outbox import services as outbox

    calls = []
    original = outbox._send

    def send(message):
        calls.append((message.args[0], message.task_id))
        return original(message)

    monkeypatch.setattr(outbox, "_send", send)
    return calls


def job_tasks(process):
    return list(Task.objects.filter(process=process, flow_task=JobFlow.job).order_by("pk"))


def job_ref(task):
    return task.flow_task.activation_class(task).ref()


def test_job_is_enqueued_after_commit_and_the_process_reaches_the_end(enqueued):
    with transaction.atomic():
        process = JobFlow.start.run()
        [task] = job_tasks(process)
        assert task.status == STATUS.SCHEDULED
        assert enqueued == []  # not before the commit

    assert enqueued == [(job_ref(task), task.external_task_id)]
    process.refresh_from_db()
    task.refresh_from_db()
    assert task.status == STATUS.DONE and task.started and task.finished
    assert process.data == {"runs": 1, "marker": f"job {task.pk}"}
    assert process.status == PROCESS.DONE
    assert Task.objects.get(process=process, flow_task=JobFlow.end).status == STATUS.DONE


def test_nothing_is_enqueued_when_the_starting_transaction_rolls_back(enqueued):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        JobFlow.start.run()
        raise Abort

    assert enqueued == []
    assert not Process.objects.exists() and not Task.objects.exists()


def test_redelivery_of_a_finished_job_changes_nothing():
    process = JobFlow.start.run()
    [task] = job_tasks(process)
    before = (task.status, task.finished, process.__class__.objects.get(pk=process.pk).data)

    assert mark_process(job_ref(task)) == "skipped"  # the same message again
    assert mark_process.apply(args=[job_ref(task)]).get() == "skipped"

    task.refresh_from_db()
    assert (task.status, task.finished, Process.objects.get(pk=process.pk).data) == before
    assert Task.objects.filter(process=process).count() == 3  # start, job, end: nothing new


def test_a_failing_job_is_recorded_as_error_and_retry_continues_the_process(enqueued):
    process = JobFlow.start.run(fail=True)
    [task] = job_tasks(process)
    process.refresh_from_db()

    assert task.status == STATUS.ERROR and task.finished
    assert task.data["_exception"]["title"] == "the job body failed"
    assert "JobBodyError" in task.data["_exception"]["traceback"]
    assert process.status == PROCESS.NEW  # still active, visible in the process list
    assert "marker" not in process.data  # the failed body's writes were rolled back
    assert mark_process(job_ref(task)) == "skipped"  # a redelivered message doesn't re-run it

    process.data["fail"] = False  # fix the cause
    process.save()
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "x")
    new_task = retry_job(task.pk, user=admin)

    task.refresh_from_db()
    new_task.refresh_from_db()
    process.refresh_from_db()
    assert task.status == STATUS.REVIVED
    assert new_task.status == STATUS.DONE and "_exception" not in new_task.data
    assert new_task.external_task_id != task.external_task_id
    assert enqueued[-1] == (job_ref(new_task), new_task.external_task_id)
    assert process.status == PROCESS.DONE and process.data["marker"] == f"job {new_task.pk}"


def test_retry_needs_manage_permission_and_an_errored_job():
    process = JobFlow.start.run(fail=True)
    [task] = job_tasks(process)
    clerk = get_user_model().objects.create_user("clerk", "clerk@example.com", "x")
    with pytest.raises(PermissionDenied):
        retry_job(task.pk, user=clerk)
    assert Task.objects.get(pk=task.pk).status == STATUS.ERROR

    done = job_tasks(JobFlow.start.run())[0]
    with pytest.raises(FlowRuntimeError):
        retry_job(done.pk)


def test_a_waiting_job_completes_only_when_complete_job_is_called():
    process = JobFlow.start.run(mode="wait")
    [task] = job_tasks(process)
    process.refresh_from_db()
    assert task.status == STATUS.STARTED and process.status == PROCESS.NEW
    assert process.data["runs"] == 1

    assert mark_process(job_ref(task)) == "skipped"  # redelivery while waiting
    assert Process.objects.get(pk=process.pk).data["runs"] == 1

    def store_result(activation):
        activation.process.data["result"] = "clear"
        activation.process.save()

    assert complete_job(task.pk, store_result) is True
    assert complete_job(task.pk) is False  # late/repeated completion is harmless
    task.refresh_from_db()
    process.refresh_from_db()
    assert task.status == STATUS.DONE
    assert process.status == PROCESS.DONE and process.data["result"] == "clear"


def test_a_waiting_job_can_fail_and_be_retried():
    process = JobFlow.start.run(mode="wait")
    [task] = job_tasks(process)

    assert fail_job(task.pk, "page 3 unreadable") is True
    task.refresh_from_db()
    assert task.status == STATUS.ERROR and task.data["_exception"]["title"] == "page 3 unreadable"
    with pytest.raises(FlowRuntimeError):
        complete_job(task.pk)

    new_task = retry_job(task.pk)
    new_task.refresh_from_db()
    assert new_task.status == STATUS.STARTED  # ran again, waiting again
    assert complete_job(new_task.pk) is True
    assert Process.objects.get(pk=process.pk).status == PROCESS.DONE


def test_cancelling_the_process_cancels_a_waiting_job():
    process = JobFlow.start.run(mode="wait")
    [task] = job_tasks(process)
    JobFlow.instance.cancel(process)
    task.refresh_from_db()
    assert task.status == STATUS.CANCELED
    assert complete_job(task.pk) is False
    assert Process.objects.get(pk=process.pk).status == PROCESS.CANCELED


def test_a_failing_job_fires_its_on_error_boundary():
    process = JobOnErrorFlow.start.run(fail=True)
    task = Task.objects.get(process=process, flow_task=JobOnErrorFlow.job)
    process.refresh_from_db()
    assert task.status == STATUS.CANCELED  # interrupting boundary cancels the errored host
    assert "_exception" in task.data
    assert Task.objects.get(process=process, flow_task=JobOnErrorFlow.recovered).status == STATUS.DONE
    assert process.status == PROCESS.DONE


def test_a_successful_job_disarms_its_on_error_boundary():
    process = JobOnErrorFlow.start.run()
    process.refresh_from_db()
    boundary = Task.objects.get(process=process, flow_task=JobOnErrorFlow.job__error)
    assert boundary.status == STATUS.CANCELED
    assert process.status == PROCESS.DONE


@pytest.mark.slow
def test_a_real_worker_runs_the_job(settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database server shared with the test")
    from backoffice.celery import app

    broker = app.conf.broker_url
    if not broker or broker.startswith(("filesystem", "safefs")):
        pytest.skip("needs a broker server (CELERY_BROKER_URL=redis://...)")
    db = connection.settings_dict
    # A queue of our own: other test runs share the broker and must not steal (or feed) our messages.
    queue = f"jobtest-{uuid.uuid4().hex[:12]}"
    monkeypatch.setattr(JobFlow.job, "_queue", queue)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | {
        "BACKOFFICE_VAR_DIR": str(settings.VAR_DIR),
        "CELERY_BROKER_URL": broker,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    worker = subprocess.Popen(
        [
            CELERY,
            "-A",
            "backoffice",
            "worker",
            "-Q",
            queue,
            "-c",
            "1",
            "--pool",
            "solo",
            "-l",
            "info",
            "-I",
            "tests.workflows.jobflow",
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
    try:
        process = JobFlow.start.run()
        [task] = job_tasks(process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            process.refresh_from_db()
            if process.status != PROCESS.NEW:
                break
            time.sleep(0.3)
        task.refresh_from_db()
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
        assert process.status == PROCESS.DONE, f"job {task.status}, process {process.status}; worker output:\n{output}"
        assert task.status == STATUS.DONE and process.data == {"runs": 1, "marker": f"job {task.pk}"}
        # it was the worker that ran it, under the Celery id stored on the task
        assert f"mark_process[{task.external_task_id}] succeeded" in output, output
    finally:
        app.conf.task_always_eager = True
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()
        try:
            from kombu import Queue

            with app.connection_for_write() as conn:
                Queue(queue, channel=conn.default_channel).delete()
        except Exception:  # best effort: an empty Redis list is gone anyway
            pass
