"""The Celery application. Tasks are thin adapters around services."""

import logging
import os

from celery import Celery, Task, bootsteps
from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

from backoffice import observability
from supervision import queues

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")
# Tesseract single-threaded per process: OpenMP threads on a busy core make it ~8x slower;
# parallelism comes from worker processes instead.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

logger = logging.getLogger(__name__)


class ReliableTask(Task):
    """Every task, at least once and never for ever.

    - A failure of the database, broker, storage or mail server (``faults.is_transient``) is
      retried with back-off, however the task body is written; only the work's own errors end it.
    - Each start of a message is counted in the database (``outbox.Delivery``): a message started more than
      ``TASK_MAX_DELIVERIES`` times -- one that kills its worker every time and is given back to the queue
      by ``task_reject_on_worker_lost`` -- is not run again; ``poisoned(args, kwargs)`` records it.
    """

    def __call__(self, *args, **kwargs):
        request = self.request
        if request.is_eager or not request.id:
            return super().__call__(*args, **kwargs)
        from django.conf import settings

        from faults import backoff, is_transient
        from outbox.services import count_delivery

        try:
            starts = count_delivery(task_id=request.id, retries=request.retries or 0, task=self.name)
            if starts > settings.TASK_MAX_DELIVERIES:
                logger.error(
                    "task %s[%s] started %s times without finishing: not run again", self.name, request.id, starts - 1
                )
                return self.poisoned(args, kwargs)
            return super().__call__(*args, **kwargs)
        except Exception as exc:
            if not is_transient(exc):
                raise
            logger.warning("task %s[%s] met a transient fault, retried: %r", self.name, request.id, exc)
            raise self.retry(
                exc=exc, countdown=backoff(request.retries or 0), max_retries=settings.TASK_MAX_TRANSIENT_RETRIES
            ) from exc

    def poisoned(self, args, kwargs):
        """What to record when this message keeps killing workers (a task may override it)."""
        return None


app = Celery("backoffice", task_cls=ReliableTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.task_routes = {
    "accounts.tasks.deliver_emails": {"queue": "mail"},
    "documents.tasks.read_page_task": {"queue": "ocr"},
    "documents.tasks.make_previews_task": {"queue": "ocr"},
}
app.conf.beat_schedule = {
    "reconcile": {"task": "outbox.tasks.reconcile", "schedule": 60.0},
    "purge-relayed-messages": {"task": "outbox.tasks.purge_relayed", "schedule": 86400.0},
    "purge-stale-attempts": {"task": "accounts.tasks.purge_stale_attempts", "schedule": 3600.0},
    "fire-workflow-timers": {"task": "workflows.tasks.fire_workflow_timers", "schedule": 60.0},
    "sweep-stale-precheck-pages": {"task": "documents.tasks.sweep_stale_precheck_pages_task", "schedule": 120.0},
    "purge-expired-documents": {"task": "documents.tasks.purge_expired_documents_task", "schedule": 86400.0},
    "sweep-orphan-document-files": {"task": "documents.tasks.sweep_orphan_files_task", "schedule": 3600.0},
    "verify-and-anchor-audit-chain": {"task": "accounts.tasks.verify_and_anchor_audit_chain", "schedule": 86400.0},
    "housekeeping": {"task": "accounts.tasks.housekeeping", "schedule": 86400.0},
    "purge-expired-upload-links": {"task": "workflows.tasks.purge_expired_upload_links", "schedule": 86400.0},
    "sweep-webhook-deliveries": {"task": "webhooks.tasks.sweep_deliveries", "schedule": 15.0},
    "purge-old-webhook-deliveries": {"task": "webhooks.tasks.purge_old_deliveries", "schedule": 86400.0},
    "purge-expired-oauth-tokens": {"task": "api.tasks.purge_expired_oauth_tokens", "schedule": 86400.0},
}
QUEUES = queues.QUEUES


def _heartbeats() -> dict:
    """One heartbeat per queue every HEARTBEAT_INTERVAL, expiring after it: a queue with no worker piles up nothing."""
    from django.conf import settings

    return {
        f"heartbeat-{queue}": {
            "task": "supervision.tasks.heartbeat",
            "schedule": float(settings.HEARTBEAT_INTERVAL),
            "args": (queue,),
            "options": {"queue": queue, "expires": settings.HEARTBEAT_INTERVAL},
        }
        for queue in QUEUES
    }


class Liveness(bootsteps.StartStopStep):
    """A worker says it is alive, for each queue it consumes, every HEARTBEAT_INTERVAL seconds (heartbeat
    ``worker:<queue>``), from its main process's timer: busy children and a long backlog do not silence it, a
    dead or wedged worker does.  ``/readyz`` judges each queue by it; beat's heartbeat *tasks* (``queue:<queue>``)
    measure the backlog instead (``/metrics``)."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def start(self, worker) -> None:
        from django.conf import settings

        self.alive(worker)
        self.tref = worker.timer.call_repeatedly(settings.HEARTBEAT_INTERVAL, self.alive, (worker,), priority=10)

    def stop(self, worker) -> None:
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None

    @staticmethod
    def alive(worker) -> None:
        from django.db import close_old_connections
        from django.utils import timezone

        from supervision.tasks import record_heartbeat

        try:
            close_old_connections()
            now = timezone.now()
            for queue in worker.app.amqp.queues.consume_from:
                record_heartbeat(name=f"worker:{queue}", sent_at=now)
        except Exception:  # noqa: BLE001 -- a database fault must not stop the worker; the next beat tries again
            logger.warning("worker liveness not recorded", exc_info=True)


app.steps["worker"].add(Liveness)


@app.on_after_finalize.connect
def _schedule_heartbeats(sender, **kwargs) -> None:
    """Added once the app is finalized (beat finalizes it before it reads its schedule): read at import, the
    settings could be half-loaded (a settings module that imports backoffice.settings)."""
    sender.conf.beat_schedule |= _heartbeats()


# The request id travels in every message's headers and is the worker's while it runs the task.
before_task_publish.connect(observability.stamp_published, weak=False)
task_prerun.connect(observability.enter_task, weak=False)
task_postrun.connect(observability.leave_task, weak=False)


@setup_logging.connect
def _django_logging(**kwargs):
    """Workers and beat log as the web does (settings.LOGGING: JSON lines, redaction), not in Celery's own format."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@task_prerun.connect
def _fresh_connection(task=None, **kwargs):
    """Replace a connection that died (database restart) or outlived CONN_MAX_AGE before each task.

    Not for eager tasks: they run inside the caller's transaction and connection.
    """
    from django.db import close_old_connections

    if task is not None and task.request.is_eager:
        return
    close_old_connections()
