"""The Celery application. Tasks are thin adapters around services."""

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")
# Tesseract single-threaded per process: OpenMP threads on a busy core make it ~8x slower;
# parallelism comes from worker processes instead.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

app = Celery("backoffice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.task_routes = {
    "accounts.tasks.send_templated_email": {"queue": "mail"},
    "accounts.tasks.send_templated_emails": {"queue": "mail"},
    "documents.tasks.read_page_task": {"queue": "ocr"},
    "documents.tasks.make_previews_task": {"queue": "ocr"},
}
app.conf.beat_schedule = {
    "purge-stale-attempts": {"task": "accounts.tasks.purge_stale_attempts", "schedule": 3600.0},
    "fire-workflow-timers": {"task": "workflows.tasks.fire_workflow_timers", "schedule": 60.0},
    "sweep-stale-precheck-pages": {"task": "documents.tasks.sweep_stale_precheck_pages_task", "schedule": 120.0},
    "purge-expired-documents": {"task": "documents.tasks.purge_expired_documents_task", "schedule": 86400.0},
    "verify-and-anchor-audit-chain": {"task": "accounts.tasks.verify_and_anchor_audit_chain", "schedule": 86400.0},
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
