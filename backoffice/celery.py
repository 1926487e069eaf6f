"""The Celery application. Tasks are thin adapters around services."""

import logging
import os

from celery import Celery, Task
from celery.signals import task_prerun

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
                logger.error("task %s[%s] started %s times without finishing: not run again", self.name, request.id, starts - 1)
                return self.poisoned(args, kwargs)
            return super().__call__(*args, **kwargs)
        except Exception as exc:
            if not is_transient(exc):
                raise
            logger.warning("task %s[%s] met a transient fault, retried: %r", self.name, request.id, exc)
            raise self.retry(exc=exc, countdown=backoff(request.retries or 0), max_retries=settings.TASK_MAX_TRANSIENT_RETRIES) from exc

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
}


@task_prerun.connect
def _fresh_connection(task=None, **kwargs):
    """Replace a connection that died (database restart) or outlived CONN_MAX_AGE before each task.

    Not for eager tasks: they run inside the caller's transaction and connection.
    """
    from django.db import close_old_connections

    if task is not None and task.request.is_eager:
        return
    close_old_connections()
